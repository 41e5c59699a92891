"""Let the sign-out form lead on to the identity provider.

Every page's Content-Security-Policy says ``form-action 'self'``, and browsers apply
it to the redirects after a form is sent too; signing out ends at the provider
(RP-initiated logout), so with single sign-on on, the provider's origin is added
to ``form-action``. The rest of the policy stays as scorecard.security sets it.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from scorecard.security import CONTENT_SECURITY_POLICY

from .oidc import discovery_url, sso_enabled


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def provider_origins() -> list[str]:
    """The provider's own origin, and its sign-out page's when discovery has named one."""
    url = discovery_url()
    origins = {_origin(url)}
    document = cache.get(f"scorecard:oidc:discovery:{url}")
    if isinstance(document, dict) and isinstance(document.get("end_session_endpoint"), str):
        origins.add(_origin(document["end_session_endpoint"]))
    return sorted(o for o in origins if o)


def policy_with_provider(policy: str, origins: list[str]) -> str:
    """``policy`` with ``origins`` added to its form-action directive."""
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    out = []
    for directive in directives:
        if directive.split()[0] == "form-action":
            directive = " ".join([directive, *origins])
        out.append(directive)
    return "; ".join(out)


class SsoFormActionMiddleware:
    """Sets the page's policy (with the provider in form-action) when single sign-on is on;
    placed after scorecard.security.SecurityHeadersMiddleware, which then keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY)
        if policy and sso_enabled() and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy_with_provider(policy, provider_origins())
        return response
