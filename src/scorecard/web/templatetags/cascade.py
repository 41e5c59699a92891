"""Cascading partials that other pages include with one line each.

``{% why_chain kpi=kpi %}`` / ``{% why_chain initiative=initiative %}``: the chain up
to the strategy. ``{% objective_alignment page.objective %}``: what is aligned to an
objective from below and what it is aligned to above. ``{% unit_rollups page.unit %}``:
KPI values of a unit rolled up from the units below. Each calls one selector
(a constant number of queries); the page's view has already checked access.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from scorecard import clock
from scorecard.alignment import selectors as cascade_selectors
from scorecard.alignment.selectors import Step
from scorecard.engine.types import View
from scorecard.presentation.numbers import format_number

register = template.Library()

#: What each kind of step is called on the page.
KIND_LABELS = {
    "task": "Tasks",
    "initiative": "Initiative",
    "kpi": "KPI",
    "objective": "Objective",
    "perspective": "Perspective",
    "scorecard": "Scorecard",
    "vision": "Vision",
}


@register.filter
def share(value: Any) -> str:
    """A contribution share as people say it: 0.6 → ``60 %``, 1/3 → ``33.3 %``."""
    if value is None:
        return format_number(None)
    return format_number(round(float(value) * 100, 1), "%")


def step_url(org_slug: str, step: Step) -> str:
    """Where a step of the chain links to ('' for none)."""
    if step.kind == "kpi":
        return reverse("kpi_detail", args=[org_slug, step.scorecard, step.key])
    if step.kind == "objective":
        return reverse("objective_detail", args=[org_slug, step.scorecard, step.key])
    if step.kind == "initiative":
        return reverse("initiative_detail", args=[org_slug, step.scorecard, step.key])
    if step.kind == "task":
        url = reverse("initiative_detail", args=[org_slug, step.scorecard, step.key])
        return url + "#tasks-heading"
    if step.kind in {"scorecard", "vision"}:
        return reverse("scorecard_detail", args=[org_slug, step.scorecard])
    return ""


@register.inclusion_tag("web/cascade/_why.html", takes_context=True)
def why_chain(context: Any, kpi: Any = None, initiative: Any = None) -> dict[str, Any]:
    """ "Why am I doing this?": every path from this KPI or initiative up to the vision."""
    if kpi is not None:
        paths = cascade_selectors.kpi_chain(kpi=kpi)
        subject = "this KPI"
    else:
        paths = cascade_selectors.initiative_chain(initiative=initiative)
        subject = "this initiative and its tasks"
    org_slug = context["organization"].slug
    return {
        "subject": subject,
        "paths": [
            [{"step": s, "label": KIND_LABELS[s.kind], "url": step_url(org_slug, s)} for s in path]
            for path in paths
        ],
    }


@register.inclusion_tag("web/cascade/_objective_alignment.html", takes_context=True)
def objective_alignment(context: Any, objective: Any) -> dict[str, Any]:
    """The objective's place in the cascade: aligned above and below, with scores."""
    page = context.get("page")
    as_of = getattr(page, "as_of", None) or clock.today()
    request = context.get("request")
    view = request.GET.get("view", "period") if request is not None else "period"
    if view not in {v.value for v in View}:
        view = "period"
    return {
        "organization": context["organization"],
        "objective": objective,
        "can_edit": context.get("can_edit", False),
        "alignment": cascade_selectors.objective_alignment(
            objective=objective, as_of=as_of, view=view
        ),
    }


@register.inclusion_tag("web/cascade/_unit_rollups.html", takes_context=True)
def unit_rollups(context: Any, unit: Any) -> dict[str, Any]:
    """KPIs of the unit's scorecards whose values roll up from the units below it."""
    organization = context["organization"]
    return {
        "organization": organization,
        "rollups": cascade_selectors.unit_rollups(
            organization=organization, unit=unit, as_of=clock.today()
        ),
    }
