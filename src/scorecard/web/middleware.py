"""A page for people when the database cannot be used, instead of a server error.

When the database is unreachable (PostgreSQL down, wrong address), locked for longer
than the wait allowed (SQLite held by another writer) or refuses the connection, the
request answers 503 Service Unavailable with a short explanation and ``Retry-After``,
and the details go to the log. Nothing is kept between requests: as soon as the
database answers again, the next request works as usual.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy

logger = logging.getLogger("scorecard.database")

#: Seconds a client is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30
MESSAGE = gettext_lazy(
    "Scorecard cannot reach its database at the moment, so nothing was read or saved. "
    "Please try again in a minute; if this keeps happening, tell your administrator."
)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 answer: a page for browsers, the API's error shape for /api/."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": str(MESSAGE), "errors": []}, status=503)
    else:
        # Rendered without the request: the usual context (the signed-in user, the
        # messages) would need the very database that is missing.
        html = render_to_string("web/unavailable.html", {"message": str(MESSAGE)})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turn database connection and lock errors raised by a view into a 503 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """Answer 503 for OperationalError/InterfaceError; leave other errors to Django."""
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error(
            "Database unavailable during %s %s: %s",
            request.method,
            request.path,
            exception,
            exc_info=exception,
        )
        return database_unavailable(request)
