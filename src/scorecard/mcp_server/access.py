"""Who is calling: a personal API token, checked exactly as the REST API checks it.

The MCP server has no session and no cookies: every call carries a personal API token
(``Authorization: Bearer sct_…`` over HTTP, the ``--token`` option or the
``SCORECARD_API_TOKEN`` variable over stdio). The token resolves to the same
:class:`scorecard.api.access.Access` the REST API builds — the token's organization
only, with the user's current role — so a tool may do exactly what the matching REST
call may do.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _

from scorecard.api.access import Access, _prime
from scorecard.api.services import ApiTokenExpired, api_token_authenticate, token_membership


class Refused(Exception):
    """A call the server refuses; the message is shown to the assistant as the tool's error."""


def access_for_token(token: str | None) -> Access:
    """The caller behind ``token``: unknown, revoked or missing tokens are refused."""
    if not token or not token.strip():
        raise Refused(
            _(
                "Not authenticated: send a personal API token (Authorization: Bearer sct_… "
                "over HTTP, --token or SCORECARD_API_TOKEN over stdio)."
            )
        )
    try:
        api_token = api_token_authenticate(plaintext=token)
    except ApiTokenExpired as expired:
        raise Refused(_("Not authenticated: %(reason)s") % {"reason": expired}) from None
    if api_token is None:
        raise Refused(_("Not authenticated: the API token is unknown or revoked."))
    membership = token_membership(api_token)  # read with the token, in its query
    if membership is None:
        raise Refused(
            _("Not authenticated: the token's user is no longer a member of its organization.")
        )
    user = api_token.user
    return Access(user=user, token=api_token, memberships=_prime(user, [membership]))


def bearer_token(headers: object) -> str | None:
    """The token of an ``Authorization: Bearer …`` header in ``headers`` (a mapping), if any."""
    getter = getattr(headers, "get", None)
    if getter is None:
        return None
    value = getter("authorization") or getter("Authorization") or ""
    scheme, _, token = str(value).partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def language_of(headers: object) -> str:
    """The language to answer in: the HTTP caller's Accept-Language, else LANGUAGE_CODE."""
    request = HttpRequest()
    getter = getattr(headers, "get", None)
    if getter is not None:
        request.META["HTTP_ACCEPT_LANGUAGE"] = str(getter("accept-language") or "")
    return translation.get_language_from_request(request)


def refusal(error: Exception) -> Refused:
    """The REST API's 404 and 403 answers as a refusal with the same words."""
    if isinstance(error, Http404):
        return Refused(_("Not found: %(reason)s") % {"reason": error})
    if isinstance(error, PermissionDenied):
        return Refused(_("Forbidden: %(reason)s") % {"reason": error})
    return Refused(str(error))
