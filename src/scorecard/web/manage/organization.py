"""The organization page (unit tree, members) and the unit pages.

Everybody in the organization reads them; admins add, rename, move and delete units
and manage who is a member with which role.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scorecard import clock
from scorecard.accounts.services import invitations_open, member_deactivate
from scorecard.organizations.models import Membership, Organization, Unit
from scorecard.organizations.services import (
    membership_role_change,
    unit_create,
    unit_delete,
    unit_move,
    unit_rename,
)
from scorecard.web.home import remember_organization

from .. import panels
from ..forms import MemberRoleForm, UnitEditForm, UnitForm
from . import selectors
from .common import (
    ADMIN,
    READ,
    apply_errors,
    base_context,
    confirm_page,
    form_page,
    organization_for,
)


def _organization_page(
    request: HttpRequest,
    organization: Organization,
    membership: Membership,
    *,
    status: int = 200,
) -> HttpResponse:
    context = base_context(organization, membership)
    context["tree"] = selectors.organization_tree(organization=organization)
    if membership.allows(ADMIN):
        context["members"] = selectors.member_list(organization=organization)
        context["admin_count"] = sum(1 for m in context["members"] if m.role == ADMIN)
        context["invitations"] = invitations_open(organization=organization)
        context["role_choices"] = MemberRoleForm.base_fields["role"].choices  # type: ignore[attr-defined]
    return render(request, "web/manage/organization.html", context, status=status)


@login_required
@require_GET
def organization_detail(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The unit tree with each unit's scorecards; for admins also the members."""
    organization, membership = organization_for(request, org_slug, READ)
    # The start page opens on the organization the user looked at last.
    remember_organization(request, organization.slug)
    return _organization_page(request, organization, membership)


def _unit(organization: Organization, slug: str) -> Unit:
    unit = Unit.objects.select_related("parent").filter(organization=organization, slug=slug)
    found = unit.first()
    if found is None:
        raise Http404("No such unit.")
    return found


@login_required
@require_GET
def unit_detail(request: HttpRequest, org_slug: str, unit_slug: str) -> HttpResponse:
    """A unit: where it sits, its scorecards, sub-units and the people based there."""
    organization, membership = organization_for(request, org_slug, READ)
    page = selectors.unit_page(organization=organization, slug=unit_slug)
    if page is None:
        raise Http404("No such unit.")
    context = {
        **base_context(organization, membership),
        "page": page,
        "rollups": panels.unit_rollups_panel(organization, page.unit, as_of=clock.today()),
    }
    return render(request, "web/manage/unit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def unit_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Admins add a department or team to the tree."""
    organization, membership = organization_for(request, org_slug, ADMIN)
    parent = Unit.objects.filter(organization=organization, slug=request.GET.get("parent", ""))
    initial = {"parent": parent.first() or organization.units.filter(parent=None).first()}
    form = UnitForm(request.POST or None, organization=organization, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = unit_create(
                organization=organization,
                name=form.cleaned_data["name"],
                parent=form.cleaned_data.get("parent"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Added the unit “%(name)s”.") % {"name": unit.name})
            return redirect("unit_detail", org_slug, unit.slug)
    return form_page(
        request, form, context=base_context(organization, membership), title=_("New unit"),
        submit=_("Add unit"), cancel_url=reverse("organization_detail", args=[org_slug]),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, org_slug: str, unit_slug: str) -> HttpResponse:
    """Admins rename a unit or move it under another parent."""
    organization, membership = organization_for(request, org_slug, ADMIN)
    unit = _unit(organization, unit_slug)
    title = f"Edit the unit “{unit.name}”"  # before a refused save changes the name in memory
    form = UnitEditForm(
        request.POST or None, unit=unit, initial={"name": unit.name, "parent": unit.parent_id}
    )
    if request.method == "POST" and form.is_valid():
        try:
            _unit_save(unit, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved the unit “%(name)s”.") % {"name": unit.name})
            return redirect("unit_detail", org_slug, unit.slug)
    return form_page(
        request, form, context=base_context(organization, membership),
        title=title, cancel_url=reverse("unit_detail", args=[org_slug, unit_slug]),
    )  # fmt: skip


def _unit_save(unit: Unit, data: dict[str, Any]) -> None:
    """Rename and move in one go: if the move is refused the name is not changed either."""
    with transaction.atomic():
        unit_rename(unit=unit, name=data["name"])
        parent = data.get("parent")
        if parent is not None and parent.pk != unit.parent_id:
            unit_move(unit=unit, parent=parent)


@login_required
@require_http_methods(["GET", "POST"])
def unit_delete_view(request: HttpRequest, org_slug: str, unit_slug: str) -> HttpResponse:
    """Admins delete an empty unit; one with scorecards or sub-units is refused, with why."""
    organization, membership = organization_for(request, org_slug, ADMIN)
    unit = _unit(organization, unit_slug)
    problem = ""
    if request.method == "POST":
        try:
            unit_delete(unit=unit)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        else:
            messages.success(request, _("Deleted the unit “%(name)s”.") % {"name": unit.name})
            return redirect("organization_detail", org_slug)
    else:
        problem = _unit_delete_problem(unit)
    homes = Membership.objects.filter(unit=unit).count()
    losses = []
    if homes:
        losses.append(
            ngettext(
                "the home unit of %(count)s member (they stay members)",
                "the home unit of %(count)s members (they stay members)",
                homes,
            )
            % {"count": homes}
        )
    return confirm_page(
        request, context=base_context(organization, membership), thing="unit", name=unit.name,
        losses=losses,
        cancel_url=reverse("unit_detail", args=[org_slug, unit_slug]), problem=problem,
    )  # fmt: skip


def _unit_delete_problem(unit: Unit) -> str:
    """Why deleting ``unit`` would be refused, said before anyone presses the button."""
    if unit.parent_id is None:
        return _("The top unit is the organization itself; it stays.")
    scorecards, children = unit.scorecards.count(), unit.children.count()
    if children:
        return ngettext(
            "“%(name)s” still has %(count)s sub-unit; move or delete it first.",
            "“%(name)s” still has %(count)s sub-units; move or delete them first.",
            children,
        ) % {"name": unit.name, "count": children}
    if scorecards:
        return ngettext(
            "“%(name)s” still has %(count)s scorecard; delete it or give it to another unit first.",
            "“%(name)s” still has %(count)s scorecards; delete them or give them to another unit "
            "first.",
            scorecards,
        ) % {"name": unit.name, "count": scorecards}
    return ""


@login_required
@require_GET
def members(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Members are managed on the organization page; this address leads there."""
    organization_for(request, org_slug, ADMIN)
    return redirect(reverse("organization_detail", args=[org_slug]) + "#members")


def _member(organization: Organization, pk: int) -> Membership:
    found = (
        Membership.objects.select_related("user").filter(organization=organization, pk=pk).first()
    )
    if found is None:
        raise Http404("No such member.")
    return found


@login_required
@require_POST
def member_role(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Admins change a member's role (the last admin stays admin)."""
    organization, _membership = organization_for(request, org_slug, ADMIN)
    target = _member(organization, pk)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
    else:
        try:
            membership_role_change(membership=target, role=form.cleaned_data["role"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(username)s is now %(role)s.")
                % {"username": target.user.get_username(), "role": target.get_role_display()},
            )
    return redirect(reverse("organization_detail", args=[org_slug]) + "#members")


@login_required
@require_POST
def member_remove(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Admins deactivate someone (never the last admin); what they did stays in the history."""
    organization, _membership = organization_for(request, org_slug, ADMIN)
    target = _member(organization, pk)
    try:
        member_deactivate(membership=target)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "Deactivated %(username)s: they are no longer a member; "
                "their values, comments and changes stay in the history."
            )
            % {"username": target.user.get_username()},
        )
    return redirect(reverse("organization_detail", args=[org_slug]) + "#members")
