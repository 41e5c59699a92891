"""Writes of dashboards: create, rename and share, add and remove widgets, reorder.

Every function takes the member who acts and checks that they may change the
dashboard (its owner while an editor or admin, or any admin of the organization);
bad input raises ValidationError with a plain message.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from scorecard import clock
from scorecard.kpis.models import Kpi
from scorecard.organizations.models import Membership, Role, Unit
from scorecard.planning.models import Funnel
from scorecard.strategy.models import Perspective, Scorecard

from .models import Dashboard, HomeDashboard, Widget

MAX_WIDGETS = 40
MAX_NOTE = 4000


def may_change(*, dashboard: Dashboard, membership: Membership) -> bool:
    """Its owner (still an editor or admin) and the organization's admins change it."""
    if membership.organization_id != dashboard.organization_id:
        return False
    if membership.allows(Role.ADMIN):
        return True
    return membership.allows(Role.EDITOR) and dashboard.owner_id == membership.user_id


def _check(dashboard: Dashboard, membership: Membership) -> None:
    if not may_change(dashboard=dashboard, membership=membership):
        raise PermissionDenied(_("Only the dashboard's owner or an admin can change it."))


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the dashboard a name.")})
    if len(name) > 120:
        raise ValidationError({"name": _("A name has at most 120 characters.")})
    return name


@transaction.atomic
def dashboard_create(*, membership: Membership, name: str, shared: bool = False) -> Dashboard:
    """A new, empty dashboard owned by the member (editors and admins)."""
    if not membership.allows(Role.EDITOR):
        raise PermissionDenied(_("Editors and admins compose dashboards; viewers read them."))
    now = clock.now()
    return Dashboard.objects.create(
        organization_id=membership.organization_id, owner_id=membership.user_id,
        name=_name(name), shared=shared, created_at=now, updated_at=now,
    )  # fmt: skip


@transaction.atomic
def dashboard_update(
    *, dashboard: Dashboard, membership: Membership, name: str, shared: bool, unit_id: Any = None
) -> Dashboard:
    """Rename the dashboard, and share it with the organization (``shared``), with the
    members of one unit and its sub-units (``unit_id``), or make it private (neither)."""
    _check(dashboard, membership)
    unit = None
    if not shared and _int(unit_id):
        unit = Unit.objects.filter(
            pk=_int(unit_id), organization_id=dashboard.organization_id
        ).first()
        if unit is None:
            raise ValidationError({"unit": _("Choose a unit of this organization to share with.")})
    dashboard.name, dashboard.shared, dashboard.unit = _name(name), shared, unit
    dashboard.updated_at = clock.now()
    dashboard.save(update_fields=["name", "shared", "unit", "updated_at"])
    return dashboard


@transaction.atomic
def dashboard_delete(*, dashboard: Dashboard, membership: Membership) -> None:
    _check(dashboard, membership)
    dashboard.delete()


@transaction.atomic
def widget_add(
    *,
    dashboard: Dashboard,
    membership: Membership,
    kind: str,
    kpi_id: Any = None,
    scorecard_id: Any = None,
    perspective_id: Any = None,
    funnel_id: Any = None,
    title: str = "",
    text: str = "",
) -> Widget:
    """Add a widget at the end. KPI tiles, charts and gauges name a KPI; tables, maps and
    initiatives and top risks name a scorecard (a table may name one perspective); a
    funnel names a funnel; a note has text."""
    _check(dashboard, membership)
    if kind not in Widget.Kind.values:
        raise ValidationError({"kind": f"“{kind}” is not a kind of widget."})
    if dashboard.widgets.count() >= MAX_WIDGETS:
        raise ValidationError(
            _("A dashboard holds at most %(count)s widgets.") % {"count": MAX_WIDGETS}
        )
    org = dashboard.organization_id
    widget = Widget(dashboard=dashboard, kind=kind, title=(title or "").strip()[:120])
    if kind in Widget.KPI_KINDS:
        kpi = Kpi.objects.filter(pk=_int(kpi_id), scorecard__organization_id=org).first()
        if kpi is None:
            raise ValidationError({"kpi": _("Choose the KPI this widget shows.")})
        widget.kpi, widget.scorecard_id = kpi, kpi.scorecard_id
    elif kind == Widget.Kind.FUNNEL:
        funnel = Funnel.objects.filter(pk=_int(funnel_id), scorecard__organization_id=org).first()
        if funnel is None:
            raise ValidationError({"funnel": _("Choose the funnel this widget shows.")})
        widget.funnel, widget.scorecard_id, widget.wide = funnel, funnel.scorecard_id, True
    elif kind in Widget.SCORECARD_KINDS:
        scorecard = Scorecard.objects.filter(pk=_int(scorecard_id), organization_id=org).first()
        if scorecard is None:
            raise ValidationError({"scorecard": _("Choose the scorecard this widget shows.")})
        widget.scorecard = scorecard
        widget.wide = kind not in {Widget.Kind.INITIATIVES, Widget.Kind.RISKS}
        if kind == Widget.Kind.SCORECARD_TABLE and _int(perspective_id):
            part = Perspective.objects.filter(pk=_int(perspective_id), scorecard=scorecard).first()
            if part is None:
                raise ValidationError(
                    {"perspective": _("That perspective is not part of the chosen scorecard.")}
                )
            widget.perspective = part
    else:
        text = (text or "").strip()
        if not text:
            raise ValidationError({"text": _("Write the note's text.")})
        if len(text) > MAX_NOTE:
            raise ValidationError(
                {"text": _("A note has at most %(count)s characters.") % {"count": MAX_NOTE}}
            )
        widget.text = text
    last = dashboard.widgets.aggregate(last=Max("position"))["last"]
    widget.position = 0 if last is None else last + 1
    widget.save()
    _touch(dashboard)
    return widget


def _int(raw: Any) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0


def _touch(dashboard: Dashboard) -> None:
    dashboard.updated_at = clock.now()
    dashboard.save(update_fields=["updated_at"])


@transaction.atomic
def widget_remove(*, widget: Widget, membership: Membership) -> None:
    _check(widget.dashboard, membership)
    widget.delete()
    _touch(widget.dashboard)


@transaction.atomic
def widgets_reorder(*, dashboard: Dashboard, membership: Membership, order: list[Any]) -> None:
    """Put the widgets in ``order`` (their ids, first to last). Every widget of the
    dashboard must be named once; anything else is refused and nothing moves."""
    _check(dashboard, membership)
    ids = [_int(i) for i in order]
    widgets = {w.pk: w for w in dashboard.widgets.select_for_update()}
    if sorted(ids) != sorted(widgets):
        raise ValidationError(
            "The new order must name every widget of this dashboard exactly once; "
            "reload the page and try again."
        )
    for position, pk in enumerate(ids):
        widgets[pk].position = position
    Widget.objects.bulk_update(list(widgets.values()), ["position"])
    _touch(dashboard)


def widget_move(*, widget: Widget, membership: Membership, direction: str) -> None:
    """Move a widget one place up or down (the keyboard way of dragging)."""
    if direction not in {"up", "down"}:
        raise ValidationError({"direction": "Move a widget “up” or “down”."})
    order = list(widget.dashboard.widgets.values_list("pk", flat=True))
    index = order.index(widget.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
    widgets_reorder(dashboard=widget.dashboard, membership=membership, order=order)


@transaction.atomic
def home_set(*, dashboard: Dashboard, membership: Membership, use: bool) -> None:
    """Use ``dashboard`` as the member's home page in its organization (``use``), or stop
    using it. Any member who reads the dashboard may choose it; one home per organization."""
    if membership.organization_id != dashboard.organization_id:
        raise PermissionDenied(_("That dashboard belongs to another organization."))
    mine = HomeDashboard.objects.filter(
        user_id=membership.user_id, organization_id=membership.organization_id
    )
    if use:
        mine.update_or_create(
            user_id=membership.user_id,
            organization_id=membership.organization_id,
            defaults={"dashboard": dashboard},
        )
    else:
        mine.filter(dashboard=dashboard).delete()
