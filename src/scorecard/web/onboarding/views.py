"""First run without /admin/: the set-up wizard and the sign-in page that leads to it.

With no organization yet, a signed-in superuser goes through the wizard at
/setup/; on a fresh install without any account, whoever holds the one-time
set-up link (printed by ``scorecard init`` and in the server log when the sign-in
page is first opened) makes the first account there too.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from scorecard.accounts.services import (
    first_admin_create,
    setup_needed,
    setup_token_issue,
    setup_token_open,
    setup_token_use,
    setup_token_valid,
)
from scorecard.onboarding.services import SetupResult, organization_setup

from ..manage.common import apply_errors
from ..sso import views as sso_views
from .forms import FirstAdminForm, SetupForm

log = logging.getLogger("scorecard.setup")
BACKEND = "django.contrib.auth.backends.ModelBackend"
SETUP_FIELDS = ("name", "unit_name", "starter", "scorecard_name", "language")


def announce_setup_link() -> None:
    """On a fresh install (no organization, no superuser), put a set-up link in the log."""
    if not setup_needed() or setup_token_open():
        return
    if get_user_model().objects.filter(is_superuser=True, is_active=True).exists():
        return  # a superuser signs in and gets the wizard
    url = setup_token_issue()
    log.warning("Scorecard has no organization yet. Set it up here (one-time link): %s", url)


class SignInView(sso_views.LoginView):
    """The sign-in page (passwords and single sign-on); on a fresh install it also says
    where set-up starts."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        try:
            needed = setup_needed()
        except DatabaseError:
            # The sign-in form shows even while the database is away (signing in then
            # answers the 503 page); only the set-up notice needs the database.
            needed = False
        if needed:
            announce_setup_link()
            context["setup_needed"] = True
        return context


def _finish(request: HttpRequest, result: SetupResult) -> HttpResponse:
    messages.success(
        request,
        _(
            "“%(organization)s” is ready with the scorecard “%(scorecard)s”. "
            "Invite the people who work with you, or do it later."
        )
        % {"organization": result.organization.name, "scorecard": result.scorecard.name},
    )
    return redirect(reverse("invite", args=[result.organization.slug]) + "?welcome=1")


def _page(request: HttpRequest, form: SetupForm, *, fresh: bool) -> HttpResponse:
    return render(request, "web/onboarding/setup.html", {"form": form, "fresh": fresh},
                  status=422 if form.errors else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """A superuser creates an organization: name, top unit, first scorecard, then people."""
    if not request.user.is_superuser:
        raise PermissionDenied(_("Only the site's administrators create organizations."))
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = organization_setup(
                admin=request.user, **{k: form.cleaned_data[k] for k in SETUP_FIELDS}
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _finish(request, result)
    return _page(request, form, fresh=False)


@require_http_methods(["GET", "POST"])
def setup_start(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time set-up link: the first account and the organization in one form."""
    if not setup_token_valid(token):
        return render(request, "web/onboarding/setup_link_invalid.html", status=410)
    form = FirstAdminForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                setup_token_use(token)
                user = first_admin_create(
                    username=data["username"], email=data["email"], password=data["password1"]
                )
                result = organization_setup(admin=user, **{k: data[k] for k in SETUP_FIELDS})
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            login(request, user, backend=BACKEND)
            return _finish(request, result)
    return _page(request, form, fresh=True)
