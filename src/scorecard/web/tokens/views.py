"""Pages around the API: personal tokens (create, list, revoke) and the docs' assets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ninja
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from scorecard.api.models import ApiToken
from scorecard.api.services import LIFETIMES_DAYS, api_token_create, api_token_revoke
from scorecard.organizations.models import Role
from scorecard.web.access import organization_for

#: Swagger UI as shipped inside django-ninja (no CDN): the only files docs_asset serves.
NINJA_STATIC = Path(ninja.__file__).resolve().parent / "static" / "ninja"
DOCS_ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon.png": "image/png",
}


def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    """One of the Swagger UI files bundled with django-ninja, for the offline docs page."""
    if name not in DOCS_ASSETS:
        raise Http404("No such file.")
    response = FileResponse((NINJA_STATIC / name).open("rb"), content_type=DOCS_ASSETS[name])
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _lifetime(days: str) -> dt.timedelta | None:
    """The lifetime chosen on the form: empty for never, else one of LIFETIMES_DAYS."""
    if not days:
        return None
    if not days.isdigit() or int(days) not in LIFETIMES_DAYS:
        raise ValidationError(
            {"lifetime": gettext("Choose how long the token lives from the list.")}
        )
    return dt.timedelta(days=int(days))


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Your API tokens in this organization; POST creates one and shows it once."""
    organization, membership = organization_for(request, org_slug, Role.VIEWER)
    plaintext = ""
    error = ""
    if request.method == "POST":
        try:
            _, plaintext = api_token_create(
                user=request.user,
                organization=organization,
                name=request.POST.get("name", ""),
                lifetime=_lifetime(request.POST.get("lifetime_days", "")),
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    user = request.user
    assert user.is_authenticated  # login_required
    tokens = ApiToken.objects.filter(user=user, organization=organization)
    return render(
        request,
        "api/tokens.html",
        {
            "organization": organization,
            "membership": membership,
            "tokens": tokens,
            "plaintext": plaintext,
            "error": error,
            "lifetimes": [days for days in LIFETIMES_DAYS if days is not None],
        },
        status=422 if error else 200,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Revoke one of your tokens."""
    organization, _ = organization_for(request, org_slug, Role.VIEWER)
    token = get_object_or_404(ApiToken, pk=pk, user_id=request.user.pk, organization=organization)
    api_token_revoke(token=token)
    messages.success(request, gettext("Revoked the token “%(name)s”.") % {"name": token.name})
    return redirect("api_tokens", org_slug)
