"""Who is calling and what they may touch: the API's view of organizations and roles.

Every request is authenticated either by a personal token (``Authorization: Bearer``)
or by the browser session (with a CSRF check on unsafe methods). Either way the view
receives an :class:`Access`: the user, and the organizations this request may see.
A token sees only its own organization; a session sees every organization the user
belongs to. Roles are always the user's current ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from scorecard.organizations.access import remember_memberships
from scorecard.organizations.models import Membership, Role

from .models import ApiToken
from .services import ApiTokenExpired, api_token_authenticate, token_membership

NOT_FOUND = gettext_lazy("Not found in your organizations.")


@dataclass
class Access:
    """The caller: a user, the token used (if any) and their memberships by organization id."""

    user: Any
    token: ApiToken | None = None
    memberships: dict[int, Membership] = field(default_factory=dict)

    @property
    def org_ids(self) -> list[int]:
        return list(self.memberships)

    def membership(self, org_id: int) -> Membership | None:
        return self.memberships.get(org_id)

    def require(self, org_id: int, role: str) -> Membership:
        """The membership in ``org_id`` if it allows ``role``; 404 for strangers, else 403."""
        membership = self.memberships.get(org_id)
        if membership is None:
            raise Http404(NOT_FOUND)
        if not membership.allows(role):
            raise PermissionDenied(
                _("This needs the %(role)s role or higher.")
                % {"role": str(Role(role).label).lower()}
            )
        return membership

    def can(self, org_id: int, role: str) -> bool:
        membership = self.memberships.get(org_id)
        return membership is not None and membership.allows(role)


def _prime(user: Any, memberships: list[Membership]) -> dict[int, Membership]:
    """Index memberships by organization and fill organizations.access' per-user cache."""
    remember_memberships(user=user, memberships=memberships)
    return {m.organization_id: m for m in memberships}


class TokenAuth(HttpBearer):
    """``Authorization: Bearer sct_…``: a personal API token. Unknown, expired or revoked: 401."""

    def authenticate(self, request: HttpRequest, token: str) -> Access | None:
        try:
            api_token = api_token_authenticate(plaintext=token)
        except ApiTokenExpired as exc:
            raise AuthenticationError(message=str(exc)) from None
        if api_token is None:
            raise AuthenticationError(message=_("The API token is unknown or revoked."))
        membership = token_membership(api_token)  # read with the token, in its query
        if membership is None:
            raise AuthenticationError(
                message=_("The token's user is no longer a member of its organization.")
            )
        user = api_token.user
        return Access(user=user, token=api_token, memberships=_prime(user, [membership]))


class SessionAuth(APIKeyCookie):
    """The browser's signed-in session; unsafe methods need the CSRF token (X-CSRFToken)."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # Unlike ninja's SessionAuth, an anonymous caller gets 401 (not a CSRF 403).
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Access | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request):
            raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header."))
        memberships = list(Membership.objects.select_related("organization").filter(user=user))
        return Access(user=user, memberships=_prime(user, memberships))


def access_of(request: HttpRequest) -> Access:
    """The authenticated caller of an API view."""
    return request.auth  # type: ignore[attr-defined]
