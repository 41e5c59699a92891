"""Each person's interface language: the one saved in My account, else the browser's.

Django's ``LocaleMiddleware`` picks the language from the browser's ``Accept-Language``
(falling back to ``LANGUAGE_CODE``); ``UserLanguageMiddleware``, placed after the
authentication middleware, then switches to the language the signed-in person chose.
The choice is read from the database once, when the person signs in, and kept in the
session, so pages cost no extra query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from scorecard.accounts.services import account_settings

#: Session key holding ``[user id, language]`` ("" = as the browser).
SESSION_KEY = "scorecard_language"


def shipped(language: str) -> bool:
    """True for a language code the app ships (``LANGUAGES``)."""
    return language in {code for code, _name in settings.LANGUAGES}


def remember(request: HttpRequest, user: Any, language: str) -> None:
    """Keep ``user``'s choice in the session (after sign-in and after My account)."""
    if hasattr(request, "session"):
        request.session[SESSION_KEY] = [user.pk, language if shipped(language) else ""]


def remember_on_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """``user_logged_in`` receiver: read the saved language once."""
    if request is not None:
        remember(request, user, account_settings(user).language)


def connect() -> None:
    """Called from the web app's ``ready()``."""
    user_logged_in.connect(remember_on_sign_in, dispatch_uid="scorecard-language")


class UserLanguageMiddleware:
    """Activate the signed-in person's own language, if they chose one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A database that is away raises here (the session); the project's 500 handler
        # (web/errors.py) answers 503 for it, like for any view.
        self.activate(request)
        return self.get_response(request)

    @staticmethod
    def activate(request: HttpRequest) -> None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            kept = request.session.get(SESSION_KEY)
            if not kept or kept[0] != user.pk:
                remember(request, user, account_settings(user).language)  # older sessions
                kept = request.session[SESSION_KEY]
            if kept[1]:
                translation.activate(kept[1])
                request.LANGUAGE_CODE = kept[1]
