"""Who is acting: the person a change in the history is attributed to.

Services that do not take a ``user`` argument (structure edits) still record who
made the change: :class:`ActorMiddleware` remembers the request for the duration of
one request (a context variable, so nothing is shared between requests or threads)
and :func:`current_actor` reads the signed-in user from it, or the API token's
user. Code outside a request (CLI, tests) names the actor with :func:`acting_as`.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.http import HttpRequest, HttpResponse

_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "scorecard_request", default=None
)
_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("scorecard_actor", default=None)


def _authenticated(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def current_actor() -> Any:
    """The user on whose behalf code runs now, or None (a command, an import)."""
    actor = _actor.get()
    if actor is not None:
        return actor
    request = _request.get()
    if request is None:
        return None
    # The REST API authenticates per call (token or session) and puts an Access
    # object on request.auth; pages use the session's request.user.
    auth = getattr(request, "auth", None)
    if auth is not None and hasattr(auth, "user"):
        return _authenticated(auth.user)
    return _authenticated(getattr(request, "user", None))


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Attribute the changes made inside the block to ``user``."""
    token = _actor.set(_authenticated(user))
    try:
        yield
    finally:
        _actor.reset(token)


class ActorMiddleware:
    """Makes the request's user available to the history while the request runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
