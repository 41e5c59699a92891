"""Helpers shared by the manage views: access, form pages, delete confirmations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import pgettext_lazy

from scorecard.engine.text import Text
from scorecard.organizations.models import Membership, Organization, Role
from scorecard.presentation.findings import translated
from scorecard.strategy.models import Scorecard

from ..access import is_htmx, organization_for, scorecard_for
from ..queries import period_params

__all__ = ["is_htmx", "organization_for", "scorecard_for"]  # the access helpers, re-exported

#: Roles by what they may do here (organizations.access ranks them).
READ = Role.VIEWER
EDIT = Role.EDITOR
ADMIN = Role.ADMIN
#: The kinds of item a page names in a sentence ("Delete the KPI “Revenue”?"), in words.
THINGS = {
    "KPI": pgettext_lazy("item", "KPI"),
    "objective": pgettext_lazy("item", "objective"),
    "initiative": pgettext_lazy("item", "initiative"),
    "task": pgettext_lazy("item", "task"),
    "unit": pgettext_lazy("item", "unit"),
    "scorecard": pgettext_lazy("item", "scorecard"),
    "perspective": pgettext_lazy("item", "perspective"),
}


def apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names (else on top of the form)."""
    if not hasattr(exc, "error_dict"):
        for error in exc.error_list:
            form.add_error(None, _words(error))
        return
    for field, errors in exc.error_dict.items():
        target = field if field in form.fields else None
        for error in errors:
            form.add_error(target, _words(error))


def _words(error: ValidationError) -> str:
    """One problem in the person's language: an engine sentence (engine/text.py, which
    ``str()`` would turn into English) is translated here; other messages already are."""
    if isinstance(error.message, Text):
        return translated(error.message)
    return error.messages[0]


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The ``next`` URL from the form if it points into this site, else ``fallback``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    context: dict[str, Any],
    title: str,
    cancel_url: str,
    submit: str = "",
    template: str = "web/manage/form.html",
    intro: str = "",
) -> HttpResponse:
    """Render a form page; a form with errors answers 422 so clients and tests can tell."""
    return render(
        request,
        template,
        {**context, "form": form, "title": title, "cancel_url": cancel_url, "submit": submit,
         "intro": intro},
        status=422 if form.errors else 200,
    )  # fmt: skip


def confirm_page(
    request: HttpRequest,
    *,
    context: dict[str, Any],
    thing: str,
    name: str,
    losses: list[str],
    cancel_url: str,
    problem: str = "",
) -> HttpResponse:
    """The "are you sure?" page listing what goes with the item.

    When the service refuses the deletion, ``problem`` says why and the page answers 409.
    """
    return render(
        request,
        "web/manage/confirm_delete.html",
        {**context, "thing": THINGS.get(thing, thing), "name": name, "losses": losses,
         "cancel_url": cancel_url, "problem": problem},
        status=409 if problem else 200,
    )  # fmt: skip


def plural(count: int, word: str, many: str = "") -> str:
    """``3, "KPI"`` → ``3 KPIs``; ``1, "KPI"`` → ``1 KPI``."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def base_context(
    organization: Organization, membership: Membership, scorecard: Scorecard | None = None
) -> dict[str, Any]:
    """What web/base.html needs for its navigation, plus the role flags templates test."""
    return {
        "organization": organization,
        "membership": membership,
        "scorecard": scorecard,
        "can_edit": membership.allows(EDIT),
        "is_admin": membership.allows(ADMIN),
    }


def period_from_query(request: HttpRequest) -> tuple[dt.date, str, list[str]]:
    """``as_of`` and ``view`` (or a custom window, ``from``/``to``) from the query string,
    as the reading pages pass them on: :func:`scorecard.web.queries.period_params`.

    Bad values fall back to today and the latest period, with a message for the page.
    """
    return period_params(request)
