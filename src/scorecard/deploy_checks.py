"""System checks of our own for ``scorecard check --deploy``.

Django's ``security.W009`` only catches short or ``django-insecure-`` keys; the example
key printed in docs/deploy.md (and the development key used when ``SECRET_KEY`` is
empty) are long enough to pass it, yet anyone can read them and forge sessions.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

#: Keys that are public: the example in docs/deploy.md and the development default.
PUBLIC_SECRET_KEYS = frozenset(
    {
        "replace-me-with-the-output-of-python3-c-import-secrets-print-secrets-token-urlsafe-60",
        "dev-only-insecure-key-set-SECRET_KEY-in-production",
    }
)
PLACEHOLDER_MARKS = ("replace-me", "dev-only-insecure", "change-me", "changeme")


@register(Tags.security, deploy=True)
def check_secret_key_is_not_public(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    key = str(getattr(settings, "SECRET_KEY", ""))
    if key in PUBLIC_SECRET_KEYS or key.lower().startswith(PLACEHOLDER_MARKS):
        return [
            Error(
                "SECRET_KEY is the example or development key, which anyone can read.",
                hint='Set SECRET_KEY to the output of python3 -c "import secrets; '
                'print(secrets.token_urlsafe(60))" and keep it secret.',
                id="scorecard.E001",
            )
        ]
    return []


#: The development default of SCORECARD_BASE_URL (settings.py).
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


@register(Tags.security, deploy=True)
def check_base_url_is_set(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Invitation, set-password and set-up links and every e-mail's links are written
    with SCORECARD_BASE_URL; left at its default they lead nowhere for anyone else."""
    if str(getattr(settings, "SCORECARD_BASE_URL", "")).rstrip("/") == DEFAULT_BASE_URL:
        return [
            Warning(
                f"SCORECARD_BASE_URL is the development default {DEFAULT_BASE_URL}: "
                "invitation and set-password links and the links in e-mails lead there.",
                hint="Set SCORECARD_BASE_URL to the address people open the app at, "
                "e.g. https://scorecard.example.com.",
                id="scorecard.W001",
            )
        ]
    return []
