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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scorecard import clock
from scorecard.organizations.models import Membership, Organization, Unit
from scorecard.organizations.services import (
    membership_add,
    membership_remove,
    membership_role_change,
    unit_create,
    unit_delete,
    unit_move,
    unit_rename,
)

from .. import panels
from ..forms import MemberAddForm, MemberRoleForm, UnitEditForm, UnitForm
from . import selectors
from .common import (
    ADMIN,
    READ,
    apply_errors,
    base_context,
    confirm_page,
    form_page,
    organization_for,
    plural,
)


def _organization_page(
    request: HttpRequest,
    organization: Organization,
    membership: Membership,
    *,
    add_form: MemberAddForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = base_context(organization, membership)
    context["tree"] = selectors.organization_tree(organization=organization)
    if membership.allows(ADMIN):
        context["members"] = selectors.member_list(organization=organization)
        context["admin_count"] = sum(1 for m in context["members"] if m.role == ADMIN)
        context["add_form"] = add_form or MemberAddForm(auto_id="member-%s")
        context["role_choices"] = MemberRoleForm.base_fields["role"].choices  # type: ignore[attr-defined]
    return render(request, "web/manage/organization.html", context, status=status)


@login_required
@require_GET
def organization_detail(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The unit tree with each unit's scorecards; for admins also the members."""
    organization, membership = organization_for(request, org_slug, READ)
    # The start page opens on the organization the user looked at last.
    if request.session.get("organization") != organization.slug:
        request.session["organization"] = organization.slug  # setting it always writes
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
            unit = unit_create(organization=organization, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"Added the unit “{unit.name}”.")
            return redirect("unit_detail", org_slug, unit.slug)
    return form_page(
        request, form, context=base_context(organization, membership), title="New unit",
        submit="Add unit", cancel_url=reverse("organization_detail", args=[org_slug]),
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
            messages.success(request, f"Saved the unit “{unit.name}”.")
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
            messages.success(request, f"Deleted the unit “{unit.name}”.")
            return redirect("organization_detail", org_slug)
    else:
        problem = _unit_delete_problem(unit)
    homes = Membership.objects.filter(unit=unit).count()
    return confirm_page(
        request, context=base_context(organization, membership), thing="unit", name=unit.name,
        losses=[f"the home unit of {plural(homes, 'member')} (they stay members)"] if homes else [],
        cancel_url=reverse("unit_detail", args=[org_slug, unit_slug]), problem=problem,
    )  # fmt: skip


def _unit_delete_problem(unit: Unit) -> str:
    """Why deleting ``unit`` would be refused, said before anyone presses the button."""
    if unit.parent_id is None:
        return "The top unit is the organization itself; it stays."
    scorecards, children = unit.scorecards.count(), unit.children.count()
    if children:
        return f"“{unit.name}” still has {plural(children, 'sub-unit')}; move or delete them first."
    if scorecards:
        return (
            f"“{unit.name}” still has {plural(scorecards, 'scorecard')}; "
            "delete them or give them to another unit first."
        )
    return ""


@login_required
@require_GET
def members(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Members are managed on the organization page; this address leads there."""
    organization_for(request, org_slug, ADMIN)
    return redirect(reverse("organization_detail", args=[org_slug]) + "#members")


@login_required
@require_POST
def member_add(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Admins add an existing user by user name or e-mail with a role."""
    organization, membership = organization_for(request, org_slug, ADMIN)
    form = MemberAddForm(request.POST, auto_id="member-%s")
    if form.is_valid():
        try:
            added = membership_add(organization=organization, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, f"Added {added.user.get_username()} as {added.get_role_display()}."
            )
            return redirect(reverse("organization_detail", args=[org_slug]) + "#members")
    return _organization_page(request, organization, membership, add_form=form, status=422)


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
    organization, _ = organization_for(request, org_slug, ADMIN)
    target = _member(organization, pk)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the roles.")
    else:
        try:
            membership_role_change(membership=target, role=form.cleaned_data["role"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, f"{target.user.get_username()} is now {target.get_role_display()}."
            )
    return redirect(reverse("organization_detail", args=[org_slug]) + "#members")


@login_required
@require_POST
def member_remove(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    """Admins take someone out of the organization (never the last admin)."""
    organization, _ = organization_for(request, org_slug, ADMIN)
    target = _member(organization, pk)
    try:
        membership_remove(membership=target)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Removed {target.user.get_username()} from the organization.")
    return redirect(reverse("organization_detail", args=[org_slug]) + "#members")
