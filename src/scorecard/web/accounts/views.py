"""People pages: invite, make an account, accept an invitation, reset a password, my account.

Every answer about an address is the same whether or not someone has an account
with it: invitations are made for any address, and a password-reset request always
says "if an account has this address, a link is on its way".
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.views.decorators.http import require_http_methods, require_POST

from scorecard.accounts.models import Invitation
from scorecard.accounts.services import (
    InvitationInvalid,
    RateLimited,
    account_create,
    account_settings,
    account_update,
    invitation_accept_existing,
    invitation_accept_new,
    invitation_create,
    invitation_for_token,
    invitation_revoke,
    invitations_open,
    mail_configured,
    rate_limit_hit,
)

from ..language import remember
from ..manage.common import ADMIN, apply_errors, base_context, organization_for
from .forms import AccountForm, InviteForm, JoinForm, LimitedPasswordResetForm, NewAccountForm

log = logging.getLogger(__name__)
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _members_url(org_slug: str) -> str:
    return reverse("organization_detail", args=[org_slug]) + "#members"


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Admins invite people by e-mail; each gets a single-use link that expires."""
    organization, membership = organization_for(request, org_slug, ADMIN)
    form = InviteForm(request.POST or None, organization=organization, auto_id="invite-%s")
    issued = []
    if request.method == "POST" and form.is_valid():
        try:
            for email in form.cleaned_data["emails"]:
                issued.append(
                    invitation_create(
                        organization=organization, email=email, role=form.cleaned_data["role"],
                        unit=form.cleaned_data["unit"], invited_by=request.user,
                    )
                )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
            if issued:  # those made before the limit stay valid; show them
                form.add_error(
                    None,
                    translation.ngettext(
                        "%(count)s invitation was made before that.",
                        "%(count)s invitations were made before that.",
                        len(issued),
                    )
                    % {"count": len(issued)},
                )
        if not form.errors:
            form = InviteForm(organization=organization, auto_id="invite-%s")
    context = {
        **base_context(organization, membership),
        "form": form,
        "issued": issued,
        "mail": mail_configured(),
        "invitations": invitations_open(organization=organization),
        "welcome": request.GET.get("welcome") == "1",
        "first_scorecard": organization.scorecards.order_by("pk").first(),
    }
    return render(request, "web/accounts/invite.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def invitation_revoke_view(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Admins withdraw an open invitation; its link stops working."""
    organization, _ = organization_for(request, org_slug, ADMIN)
    invitation = Invitation.objects.filter(organization=organization, pk=pk).first()
    if invitation is None:
        raise Http404(translation.gettext("No such invitation."))
    invitation_revoke(invitation=invitation)
    messages.success(
        request,
        translation.gettext("Withdrew the invitation to %(email)s.") % {"email": invitation.email},
    )
    return redirect("invite", org_slug)


@login_required
@require_http_methods(["GET", "POST"])
def account_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Without e-mail: an admin makes the account and hands over a set-password link."""
    organization, membership = organization_for(request, org_slug, ADMIN)
    form = NewAccountForm(request.POST or None, organization=organization)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = account_create(organization=organization, created_by=request.user,
                                      **form.cleaned_data)  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
    context = {**base_context(organization, membership), "form": form, "created": created,
               "days": settings.PASSWORD_RESET_TIMEOUT // 86400}  # fmt: skip
    return render(
        request, "web/accounts/account_new.html", context, status=422 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invited person joins: with the account they are signed in with, or a new one."""
    try:
        invitation = invitation_for_token(token)
    except InvitationInvalid as exc:
        return render(request, "web/accounts/invitation_invalid.html", {"message": str(exc)},
                      status=410)  # fmt: skip
    form = JoinForm(request.POST or None if request.POST.get("action") == "create" else None,
                    initial={"username": invitation.email.split("@")[0][:150]})  # fmt: skip
    if request.method == "POST":
        try:
            if request.POST.get("action") == "join" and request.user.is_authenticated:
                membership = invitation_accept_existing(token=token, user=request.user)
            elif request.POST.get("action") == "create" and form.is_valid():
                data = form.cleaned_data
                user, membership = invitation_accept_new(
                    token=token, username=data["username"], first_name=data["first_name"],
                    last_name=data["last_name"], password=data["password1"],
                )  # fmt: skip
                login(request, user, backend=BACKEND)
            else:
                membership = None
        except InvitationInvalid as exc:
            return render(request, "web/accounts/invitation_invalid.html",
                          {"message": str(exc)}, status=410)  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
            membership = None
        if membership is not None:
            messages.success(
                request,
                translation.gettext("Welcome to %(name)s.")
                % {"name": membership.organization.name},
            )
            return redirect(reverse("home") + f"?org={membership.organization.slug}")
    return render(
        request, "web/accounts/invitation_accept.html",
        {"invitation": invitation, "form": form, "token": token},
        status=422 if form.errors else 200,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """My account: name, e-mail, language, e-mails wanted; links to change the password."""
    current = account_settings(request.user)
    initial = {
        "first_name": request.user.first_name, "last_name": request.user.last_name,  # type: ignore[union-attr]
        "email": request.user.email, "language": current.language,  # type: ignore[union-attr]
        "email_mentions": current.email_mentions, "email_reminders": current.email_reminders,
    }  # fmt: skip
    form = AccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            account_update(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            language = form.cleaned_data["language"]
            remember(request, request.user, language)
            translation.activate(language or translation.get_language_from_request(request))
            messages.success(request, translation.gettext("Saved your account."))
            return redirect("account")
    return render(request, "web/accounts/account.html", {"form": form},
                  status=422 if form.errors else 200)  # fmt: skip


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail, with a limit per address and per e-mail address.

    Whether or not an account has the address, the answer is the same page.
    """

    form_class = LimitedPasswordResetForm
    template_name = "web/accounts/password_reset_form.html"
    email_template_name = "web/accounts/password_reset_email.txt"
    subject_template_name = "web/accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        limit = settings.SCORECARD_RESET_REQUESTS_PER_HOUR
        address = self.request.META.get("REMOTE_ADDR", "")
        email = form.cleaned_data["email"].strip().lower()
        hour = dt.timedelta(hours=1)
        try:
            rate_limit_hit(kind="reset-ip", key=address, limit=limit * 4, window=hour)
            rate_limit_hit(kind="reset-email", key=email, limit=limit, window=hour)
        except RateLimited as exc:
            form.add_error(None, exc.messages[0])
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)

    def get_extra_email_context(self) -> dict[str, Any]:
        return {"base_url": settings.SCORECARD_BASE_URL.rstrip("/")}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.extra_email_context = self.get_extra_email_context()
        return super().dispatch(request, *args, **kwargs)
