"""Cascading pages: "cascade to a unit" (editors) and the alignment view (every member).

The "why am I doing this?" chain, an objective's alignments and the values rolled
up across units are partials that other pages include through the template tags
in templatetags/cascade.py.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from scorecard.alignment import selectors as cascade_selectors
from scorecard.alignment.services import DEFAULT_SHARE, scorecard_cascade
from scorecard.organizations.models import Unit
from scorecard.strategy.models import Objective

from ..manage.common import (
    EDIT,
    READ,
    apply_errors,
    base_context,
    organization_for,
    period_from_query,
    plural,
    scorecard_for,
)
from ..queries import VIEW_LABELS


class CascadeForm(forms.Form):
    """The unit, the new scorecard's names and whether KPIs come along.

    The objectives and their shares are a table of checkboxes the view reads itself.
    """

    def __init__(self, *args: Any, units: list[tuple[Unit, int]], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.units = {str(unit.pk): unit for unit, _ in units}
        self.fields["unit"] = forms.ChoiceField(
            # Tree order, each unit indented by its depth below this scorecard's unit.
            choices=[("", gettext("— choose a unit —"))]
            + [(str(unit.pk), "\u2003" * (depth - 1) + unit.name) for unit, depth in units],
            label=gettext("Unit"),
            error_messages={
                "required": gettext("Choose the unit that gets the scorecard."),
                "invalid_choice": gettext(
                    "Choose one of the units listed: they are the ones below this scorecard's unit."
                ),
            },
        )
        self.fields["name"] = forms.CharField(
            max_length=200,
            required=False,
            label=gettext("Name of the new scorecard"),
            help_text=gettext("Leave empty for “unit – this scorecard”."),
        )
        self.fields["slug"] = forms.CharField(
            max_length=80,
            required=False,
            label=gettext("Short name"),
            help_text=gettext("Used in addresses; made from the name when empty."),
        )
        self.fields["copy_kpis"] = forms.BooleanField(
            required=False,
            label=gettext("Copy their KPIs with targets"),
            help_text=gettext(
                "The unit records its own values; each KPI's values roll up into ours."
            ),
        )


def _shares(
    request: HttpRequest, objectives: list[Objective]
) -> tuple[dict[int, float], dict[int, str]]:
    """Shares typed in per cent for the chosen objectives, as fractions; errors by objective."""
    shares: dict[int, float] = {}
    errors: dict[int, str] = {}
    for objective in objectives:
        raw = request.POST.get(f"share-{objective.pk}", "").strip().rstrip("%").strip()
        if not raw:
            shares[objective.pk] = DEFAULT_SHARE
            continue
        try:
            percent = float(raw.replace(",", "."))
        except ValueError:
            errors[objective.pk] = gettext(
                "“%(raw)s” is not a number: enter a share in per cent."
            ) % {"raw": raw}
            continue
        if not 0 < percent <= 100:
            errors[objective.pk] = gettext("Enter a share above 0 and at most 100 %.")
            continue
        shares[objective.pk] = percent / 100
    return shares, errors


@login_required
@require_http_methods(["GET", "POST"])
def cascade_new(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """Cascade this scorecard to a unit below: its objectives (aligned), perhaps its KPIs."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, EDIT)
    data = cascade_selectors.cascade_form(scorecard=scorecard)
    initial_unit = next(
        (u.pk for u, _ in data.units if u.slug == request.GET.get("unit", "")), None
    )
    form = CascadeForm(
        request.POST or None, units=data.units, initial={"unit": initial_unit, "copy_kpis": True}
    )
    offered = {c.objective.pk: c.objective for _, choices in data.perspectives for c in choices}
    if request.method == "POST":
        picked = [int(v) for v in request.POST.getlist("objectives") if v.isdigit()]
        chosen = [offered[pk] for pk in picked if pk in offered]
        typed = {pk: request.POST.get(f"share-{pk}", "") for pk in offered}
    else:
        wanted = request.GET.get("objective", "")
        chosen = [o for o in offered.values() if o.code == wanted]
        typed = {}
    shares, share_errors = _shares(request, chosen) if request.method == "POST" else ({}, {})
    objectives_error = ""
    if request.method == "POST" and form.is_valid() and not share_errors:
        try:
            outcome = scorecard_cascade(
                parent=scorecard,
                unit=form.units[form.cleaned_data["unit"]],
                objectives=chosen,
                shares=shares,
                copy_kpis=form.cleaned_data["copy_kpis"],
                name=form.cleaned_data["name"],
                slug=form.cleaned_data["slug"],
                user=request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                objectives_error = " ".join(
                    exc.message_dict.pop("objectives", []) + exc.message_dict.pop("share", [])
                )
                rest = {
                    k: v for k, v in exc.message_dict.items() if k not in {"objectives", "share"}
                }
                if rest:
                    apply_errors(form, ValidationError(rest))
            else:
                apply_errors(form, exc)
        else:
            made = outcome.scorecard
            parts = [plural(outcome.objectives, "aligned objective")]
            if outcome.kpis:
                parts.append(
                    f"{plural(outcome.kpis, 'KPI')} with {plural(outcome.targets, 'target')}"
                )
            note = f" Left out {', '.join(outcome.left_out)}." if outcome.left_out else ""
            messages.success(
                request,
                f"Cascaded to {made.unit.name}: “{made.name}” has {' and '.join(parts)}.{note}",
            )
            return redirect("scorecard_detail", org_slug, made.slug)
    if request.method == "POST" and not chosen and not objectives_error:
        objectives_error = gettext("Choose at least one objective to cascade.")
    picked_ids = {o.pk for o in chosen}
    rows = [
        (
            perspective,
            [
                {
                    "choice": c,
                    "checked": c.objective.pk in picked_ids,
                    "share": typed.get(c.objective.pk) or _percent(DEFAULT_SHARE),
                    "error": share_errors.get(c.objective.pk, ""),
                }
                for c in choices
            ],
        )
        for perspective, choices in data.perspectives
    ]
    failed = request.method == "POST"
    return render(
        request,
        "web/cascade/cascade.html",
        {
            **base_context(scorecard.organization, membership, scorecard),
            "form": form,
            "rows": rows,
            "units": data.units,
            "objectives_error": objectives_error,
            "share_errors": share_errors,
        },
        status=422 if failed else 200,
    )


def _percent(share: float) -> str:
    return f"{share * 100:g}"


@login_required
@require_GET
def alignment(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The unit tree with every scorecard's score and what feeds what; rolled-up values."""
    organization, membership = organization_for(request, org_slug, READ)
    as_of, view, problems = period_from_query(request)
    page = cascade_selectors.alignment_overview(organization=organization, as_of=as_of, view=view)
    return render(
        request,
        "web/cascade/alignment.html",
        {
            **base_context(organization, membership),
            "page": page,
            "as_of": as_of,
            "view": view,
            "views": VIEW_LABELS,
            "param_errors": problems,
        },
    )
