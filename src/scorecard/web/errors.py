"""The project's 500 handler: a missing database is a 503 wherever it is met.

``DatabaseUnavailableMiddleware.process_exception`` only sees exceptions raised by a
view. A middleware that reads the database before the view runs (the session, the
person's language, an API token) raises outside it, and Django turns that into the 500
handler's answer. Django calls this handler inside its ``except`` block, so the
exception in flight tells a database that is away (answered like the middleware does:
503, a sentence for people, ``Retry-After``) from a real bug (the usual 500 page).
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.views import defaults

from scorecard.web.middleware import database_unavailable

logger = logging.getLogger("scorecard.database")


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: 503 when the error is the database being unavailable, else 500."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        logger.error("Database unavailable during %s %s: %s", request.method, request.path, error)
        return database_unavailable(request)
    return defaults.server_error(request)
