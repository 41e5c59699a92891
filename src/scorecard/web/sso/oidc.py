"""OpenID Connect sign-in: the provider's endpoints from its discovery document, the
authentication backend, and the views mozilla-django-oidc is told to use.

mozilla-django-oidc does the protocol (authorization code flow with state, nonce
and PKCE; the ID token's signature checked against the provider's keys). What is
ours: endpoints found through discovery (``SCORECARD_OIDC_ISSUER``), the issuer
and audience of the ID token checked too, the e-mail address taken from the claim
``SCORECARD_OIDC_EMAIL_CLAIM``, and who may sign in
(:func:`scorecard.organizations.sso.sso_user_for`), refusals shown on the sign-in page.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from scorecard.organizations.sso import SignupRule, SsoRefused, sso_email, sso_user_for

log = logging.getLogger(__name__)

#: The provider's settings that come from its discovery document.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_SECONDS = 3600


class ProviderUnavailable(Exception):
    """The identity provider's discovery document could not be read."""


def sso_enabled() -> bool:
    return bool(getattr(settings, "SCORECARD_OIDC_ENABLED", False))


def provider_name() -> str:
    return str(getattr(settings, "SCORECARD_OIDC_PROVIDER_NAME", "") or "single sign-on")


def discovery_url() -> str:
    explicit = str(getattr(settings, "SCORECARD_OIDC_DISCOVERY_URL", "") or "")
    if explicit:
        return explicit
    issuer = str(getattr(settings, "SCORECARD_OIDC_ISSUER", "")).rstrip("/")
    return f"{issuer}/.well-known/openid-configuration"


def provider_configuration() -> dict[str, Any]:
    """The provider's discovery document (cached for an hour); ProviderUnavailable."""
    url = discovery_url()
    key = f"scorecard:oidc:discovery:{url}"
    found = cache.get(key)
    if isinstance(found, dict):
        return found
    try:
        response = requests.get(url, timeout=getattr(settings, "OIDC_TIMEOUT", 10))
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        log.error("Single sign-on: cannot read the provider's discovery document %s: %s", url, exc)
        raise ProviderUnavailable(
            _("%(provider)s cannot be reached just now; try again in a moment.")
            % {"provider": provider_name()}
        ) from exc
    if not isinstance(document, dict):
        document = {}
    missing = [name for name in DISCOVERED.values() if not document.get(name)]
    if missing:
        log.error("Single sign-on: %s lacks %s", url, ", ".join(missing))
        raise ProviderUnavailable(
            _("%(provider)s is not set up correctly; tell an administrator.")
            % {"provider": provider_name()}
        )
    cache.set(key, document, DISCOVERY_SECONDS)
    return document


def oidc_setting(attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's setting ``attr``, endpoints taken from discovery."""
    if attr in DISCOVERED and not hasattr(settings, attr):
        return provider_configuration()[DISCOVERED[attr]]
    return import_from_settings(attr, *default)


def signup_rule() -> SignupRule:
    return SignupRule(
        allow=bool(getattr(settings, "SCORECARD_OIDC_ALLOW_SIGNUP", False)),
        organization=str(getattr(settings, "SCORECARD_OIDC_ORGANIZATION", "")),
        role=str(getattr(settings, "SCORECARD_OIDC_DEFAULT_ROLE", "viewer")),
    )


class ScorecardOIDCBackend(OIDCAuthenticationBackend):
    """Signs in the person the provider vouches for, by e-mail address.

    Nothing is read from the network until an OpenID Connect callback arrives, so
    password sign-ins never wait for (or fail with) the provider.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        ModelBackend.__init__(self, *args, **kwargs)
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID", "")
        self.OIDC_RP_CLIENT_SECRET = self.get_settings("OIDC_RP_CLIENT_SECRET", "")
        self.OIDC_RP_SIGN_ALGO = self.get_settings("OIDC_RP_SIGN_ALGO", "RS256")
        self.OIDC_RP_IDP_SIGN_KEY = self.get_settings("OIDC_RP_IDP_SIGN_KEY", None)
        self.UserModel = get_user_model()

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return oidc_setting(attr, *args)

    # The endpoints are looked up when used (after a callback), never when constructed.
    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:
        return str(self.get_settings("OIDC_OP_TOKEN_ENDPOINT"))

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:
        return str(self.get_settings("OIDC_OP_USER_ENDPOINT"))

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:
        return str(self.get_settings("OIDC_OP_JWKS_ENDPOINT"))

    def authenticate(self, request: Any, **kwargs: Any) -> Any:
        if request is None or not sso_enabled() or "nonce" not in kwargs:
            return None  # a password sign-in, or single sign-on is off
        try:
            return super().authenticate(request, **kwargs)
        except ProviderUnavailable as exc:
            messages.error(request, str(exc))
            return None
        except (requests.RequestException, SuspiciousOperation) as exc:
            log.warning("Single sign-on failed: %s", exc)
            messages.error(
                request,
                _("Signing in with %(provider)s did not work; try again.")
                % {"provider": provider_name()},
            )
            return None

    def verify_token(self, token: str, **kwargs: Any) -> Any:
        """The signature and nonce (mozilla-django-oidc), then issuer and audience."""
        payload = super().verify_token(token, **kwargs)
        if "nonce" in kwargs:  # the ID token (a signed userinfo answer has no nonce)
            issuer = provider_configuration().get("issuer")
            if issuer and payload.get("iss") != issuer:
                raise SuspiciousOperation(f"ID token from {payload.get('iss')!r}, not {issuer!r}")
            audience = payload.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            if self.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("ID token for another client")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: Any) -> Any:
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        claim = str(getattr(settings, "SCORECARD_OIDC_EMAIL_CLAIM", "email") or "email")
        try:
            email = sso_email(claims, claim)
            user = sso_user_for(email=email, claims=claims, signup=signup_rule())
        except SsoRefused as exc:
            log.info("Single sign-on refused: %s", exc)
            messages.error(self.request, str(exc))
            return None
        return user


class SsoStartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider; back to the sign-in page when it is down."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID", "")

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return oidc_setting(attr, *args)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            messages.error(request, _("Single sign-on is not set up here."))
            return HttpResponseRedirect(reverse("login"))
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(reverse("login"))
        response: HttpResponse = super().get(request)
        return response


class SsoCallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer; a refusal returns to the sign-in page with its reason."""

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return oidc_setting(attr, *args)

    def login_failure(self) -> HttpResponse:
        if not messages.get_messages(self.request):
            messages.error(self.request, f"Signing in with {provider_name()} did not work.")
        return HttpResponseRedirect(reverse("login"))


def provider_logout_url(request: HttpRequest, id_token: str | None) -> str | None:
    """Where to end the session at the provider too (RP-initiated logout), if it says."""
    if not id_token or not sso_enabled():
        return None
    try:
        endpoint = provider_configuration().get("end_session_endpoint")
    except ProviderUnavailable:
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": oidc_setting("OIDC_RP_CLIENT_ID", ""),
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
    )
    return f"{endpoint}?{query}"
