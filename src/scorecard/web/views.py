"""Page views: check access, validate input, call one selector or service, render.

Full pages include the same partial templates that htmx requests fetch.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from scorecard import clock
from scorecard.engine.scoring import value_at_score
from scorecard.engine.types import View
from scorecard.kpis import selectors as kpi_selectors
from scorecard.kpis.models import Kpi
from scorecard.kpis.scoring import kpi_spec
from scorecard.kpis.services import measurement_record
from scorecard.organizations.access import require_role
from scorecard.organizations.models import Membership, Organization
from scorecard.organizations.selectors import membership_list_for_user
from scorecard.strategy import selectors as strategy_selectors
from scorecard.strategy.models import Objective, ObjectiveLink, Scorecard

from .charts import history_chart, sparkline
from .strategy_map import MapBand, MapBox, render_map
from .templatetags.scorecard_format import pct

VIEW_LABELS = [
    (View.PERIOD.value, "Latest period"),
    (View.MONTH.value, "Month"),
    (View.QUARTER.value, "Quarter"),
    (View.YTD.value, "Year to date"),
    (View.YEAR.value, "Year"),
]


def is_htmx(request: HttpRequest) -> bool:
    """True for a request made by htmx (it wants a partial, not a full page)."""
    return bool(getattr(request, "htmx", False))


def organization_for(
    request: HttpRequest, org_slug: str, role: str
) -> tuple[Organization, Membership]:
    """The organization named in the URL, if the user has ``role`` there (else 404/403)."""
    organization = Organization.objects.filter(slug=org_slug).first()
    if organization is None:
        raise Http404("No such organization.")
    membership = require_role(user=request.user, organization=organization, role=role)
    return organization, membership


def scorecard_for(
    request: HttpRequest, org_slug: str, sc_slug: str, role: str = "viewer"
) -> tuple[Scorecard, Membership]:
    """The scorecard named in the URL, checked against the user's organization and role."""
    organization, membership = organization_for(request, org_slug, role)
    scorecard = strategy_selectors.scorecard_get(organization=organization, slug=sc_slug)
    if scorecard is None:
        raise Http404("No such scorecard.")
    return scorecard, membership


def period_params(request: HttpRequest) -> tuple[dt.date, str, list[str]]:
    """The as-of date and view from the query string, with plain errors for bad values."""
    errors = []
    as_of = clock.today()
    raw = request.GET.get("as_of", "").strip()
    if raw:
        try:
            as_of = dt.date.fromisoformat(raw)
        except ValueError:
            errors.append(f"“{raw}” is not a date; showing today. Use the form 2026-10-31.")
    view = request.GET.get("view", View.PERIOD.value)
    if view not in {v.value for v in View}:
        errors.append(f"“{view}” is not a period choice; showing the latest period.")
        view = View.PERIOD.value
    return as_of, view, errors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Start page: my organizations and scorecards, KPIs waiting for my values, my tasks."""
    from scorecard.initiatives.models import Task

    memberships = list(membership_list_for_user(user=request.user))
    chosen = request.GET.get("org") or request.session.get("organization")
    current = next((m for m in memberships if m.organization.slug == chosen), None)
    if current is None and memberships:
        current = memberships[0]
    context: dict[str, Any] = {"memberships": memberships, "current": current}
    if current is not None:
        request.session["organization"] = current.organization.slug
        organization = current.organization
        today = clock.today()
        context["scorecards"] = strategy_selectors.scorecard_list(organization=organization)
        my_kpis = list(
            Kpi.objects.filter(scorecard__organization=organization, formula="")
            .filter(updater_id=request.user.pk)
            .select_related("scorecard")
            .order_by("scorecard__name", "name")
        )
        starts = {
            k.pk: kpi_selectors.entry_period_for(k, today, organization.fiscal_year_start_month)
            for k in my_kpis
        }
        have = kpi_selectors.current_values(my_kpis, starts)
        context["due_kpis"] = [(k, starts[k.pk]) for k in my_kpis if k.pk not in have]
        context["tasks"] = list(
            Task.objects.filter(
                assignee_id=request.user.pk, initiative__scorecard__organization=organization
            )
            .exclude(state="done")
            .select_related("initiative__scorecard")
            .order_by("deadline")
        )
        context["today"] = today
        context["red_kpis"] = _my_red_kpis(request, organization, today)
    return render(request, "web/home.html", context)


def _my_red_kpis(
    request: HttpRequest, organization: Organization, today: dt.date
) -> list[tuple[Kpi, Any]]:
    """Red KPIs the user owns or updates (one evaluation per scorecard they touch)."""
    from django.db.models import Q

    from scorecard.kpis.scoring import scorecard_evaluate

    mine = list(
        Kpi.objects.filter(scorecard__organization=organization)
        .filter(Q(owner_id=request.user.pk) | Q(updater_id=request.user.pk))
        .select_related("scorecard__organization")
    )
    red: list[tuple[Kpi, Any]] = []
    for scorecard in {k.scorecard_id: k.scorecard for k in mine}.values():
        result = scorecard_evaluate(scorecard=scorecard, as_of=today)
        for kpi in mine:
            if kpi.scorecard_id == scorecard.pk and result.kpis[kpi.code].status == "red":
                red.append((kpi, result.kpis[kpi.code]))
    return red


@login_required
def organization_detail(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The organization's scorecards."""
    organization, membership = organization_for(request, org_slug, "viewer")
    request.session["organization"] = organization.slug
    return render(
        request,
        "web/organization.html",
        {
            "organization": organization,
            "membership": membership,
            "scorecards": strategy_selectors.scorecard_list(organization=organization),
        },
    )


def _scorecard_context(request: HttpRequest, scorecard: Scorecard) -> dict[str, Any]:
    as_of, view, errors = period_params(request)
    page = strategy_selectors.scorecard_page(scorecard=scorecard, as_of=as_of, view=view)
    sparks = {
        row.kpi.pk: sparkline([v for _, v, _ in row.result.history])
        for p in page.perspectives
        for o in p.objectives
        for row in o.kpis
    }
    return {
        "scorecard": scorecard,
        "organization": scorecard.organization,
        "page": page,
        "as_of": as_of,
        "view": view,
        "views": VIEW_LABELS,
        "param_errors": errors,
        "sparks": sparks,
    }


@login_required
def scorecard_detail(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """The scorecard as one table: perspectives → objectives → KPIs with their numbers."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug)
    context = _scorecard_context(request, scorecard)
    context["membership"] = membership
    template = "web/partials/scorecard_table.html" if is_htmx(request) else "web/scorecard.html"
    return render(request, template, context)


@login_required
def strategy_map(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """The strategy map: objectives in perspective bands with cause-effect arrows."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug)
    as_of, view, errors = period_params(request)
    page = strategy_selectors.scorecard_page(scorecard=scorecard, as_of=as_of, view=view)
    codes = {o.pk: o.code for o in page.rows.objectives}
    bands = [
        MapBand(
            p.perspective.name,
            tuple(
                MapBox(
                    key=o.objective.code,
                    name=o.objective.name,
                    status=o.result.status,
                    score_text=pct(o.result.score),
                    url=reverse("objective_detail", args=[org_slug, sc_slug, o.objective.code]),
                )
                for o in p.objectives
            ),
        )
        for p in page.perspectives
    ]
    links = [(codes[c], codes[e]) for c, e in page.links if c in codes and e in codes]
    svg = render_map(bands, links, title=f"Strategy map of {scorecard.name}")
    return render(
        request,
        "web/strategy_map.html",
        {
            "scorecard": scorecard,
            "organization": scorecard.organization,
            "membership": membership,
            "page": page,
            "svg": svg,
            "as_of": as_of,
            "view": view,
            "views": VIEW_LABELS,
            "param_errors": errors,
        },
    )


def _kpi_context(
    request: HttpRequest, scorecard: Scorecard, kpi: Kpi, membership: Membership
) -> dict[str, Any]:
    as_of, view, errors = period_params(request)
    page = strategy_selectors.scorecard_page(scorecard=scorecard, as_of=as_of, view=view)
    result = page.result.kpis[kpi.code]
    objective_result = page.result.objectives[kpi.objective.code]
    fiscal = scorecard.organization.fiscal_year_start_month
    default_period = kpi_selectors.entry_period_for(kpi, clock.today(), fiscal)
    return {
        "scorecard": scorecard,
        "organization": scorecard.organization,
        "membership": membership,
        "kpi": kpi,
        "result": result,
        "objective_result": objective_result,
        "history": kpi_selectors.kpi_history(kpi=kpi),
        "comments": list(kpi.comments.select_related("author")[:50]),
        "chart": history_chart(
            result.history,
            title=f"History of {kpi.name}",
            unit=kpi.unit,
            thresholds=_threshold_lines(kpi, result.target),
        ),
        "can_record": kpi_selectors.user_can_record(
            user=request.user, kpi=kpi, role=membership.role
        ),
        "period_value": default_period.isoformat(),
        "as_of": as_of,
        "view": view,
        "param_errors": errors,
    }


def _threshold_lines(kpi: Kpi, target: float | None) -> list[tuple[str, float]]:
    """Where green starts and red ends, in the KPI's unit (linear scales with default bands)."""
    if kpi.thresholds:
        return []
    spec = kpi_spec(kpi)
    lines = [
        ("Green from", value_at_score(spec, 2 / 3, target)),
        ("Red below", value_at_score(spec, 1 / 3, target)),
    ]
    if spec.optimization == "minimize":
        lines = [("Green below", lines[0][1]), ("Red above", lines[1][1])]
    return [(label, value) for label, value in lines if value is not None]


def _kpi_or_404(scorecard: Scorecard, code: str) -> Kpi:
    kpi = kpi_selectors.kpi_get(scorecard=scorecard, code=code)
    if kpi is None:
        raise Http404("No such KPI.")
    return kpi


@login_required
def kpi_detail(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """A KPI: its definition, chart, history with corrections, and the entry form."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug)
    kpi = _kpi_or_404(scorecard, code)
    return render(request, "web/kpi.html", _kpi_context(request, scorecard, kpi, membership))


@login_required
@require_POST
def kpi_record(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """Record (or correct) one value; re-renders the KPI panel for htmx, else redirects."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "contributor")
    kpi = _kpi_or_404(scorecard, code)
    if not kpi_selectors.user_can_record(user=request.user, kpi=kpi, role=membership.role):
        return HttpResponse("You may not enter values for this KPI.", status=403)
    form_errors: dict[str, str] = {}
    raw_period = request.POST.get("period", "").strip()
    raw_value = request.POST.get("value", "").strip().replace(",", "")
    note = request.POST.get("note", "")
    period = None
    try:
        period = dt.date.fromisoformat(raw_period)
    except ValueError:
        form_errors["period"] = "Choose the first day of a period, e.g. 2026-10-01."
    if not raw_value:
        form_errors["value"] = "Enter a number."
    if period is not None and not form_errors:
        try:
            measurement_record(
                kpi=kpi, period_start=period, value=raw_value, note=note, user=request.user
            )
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                form_errors[{"period_start": "period"}.get(field, field)] = " ".join(problems)
    context = _kpi_context(request, scorecard, kpi, membership)
    context.update(
        form_errors=form_errors,
        form_values={"value": request.POST.get("value", ""), "note": note},
        period_value=raw_period,
        saved=not form_errors,
    )
    status = 422 if form_errors else 200
    if is_htmx(request):
        return render(request, "web/partials/kpi_panel.html", context, status=status)
    if not form_errors:
        messages.success(request, f"Saved {kpi.name} for {period}.")
        return redirect("kpi_detail", org_slug, sc_slug, code)
    return render(request, "web/kpi.html", context, status=status)


@login_required
@require_POST
def kpi_comment(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """Members who may contribute leave a comment on a KPI."""
    from scorecard.reviews.services import comment_add_to_kpi

    scorecard, _ = scorecard_for(request, org_slug, sc_slug, "contributor")
    kpi = _kpi_or_404(scorecard, code)
    try:
        comment_add_to_kpi(kpi=kpi, author=request.user, text=request.POST.get("text", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{reverse('kpi_detail', args=[org_slug, sc_slug, code])}#comments")


@login_required
@require_http_methods(["GET", "POST"])
def data_entry(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """This period's values for all of the user's KPIs in one form, saved all or nothing."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "contributor")
    fiscal = scorecard.organization.fiscal_year_start_month
    as_of, _, param_errors = period_params(request)
    kpis = kpi_selectors.entry_kpis(scorecard=scorecard, user=request.user, role=membership.role)
    starts = {k.pk: kpi_selectors.entry_period_for(k, as_of, fiscal) for k in kpis}
    current = kpi_selectors.current_values(kpis, starts)
    errors: dict[int, str] = {}
    entered: dict[int, tuple[str, str]] = {}
    if request.method == "POST":
        for kpi in kpis:
            value = request.POST.get(f"value-{kpi.pk}", "").strip().replace(",", "")
            note = request.POST.get(f"note-{kpi.pk}", "")
            entered[kpi.pk] = (request.POST.get(f"value-{kpi.pk}", ""), note)
            if value:
                try:
                    float(value)
                except ValueError:
                    errors[kpi.pk] = f"“{value}” is not a number."
        if not errors:
            try:
                saved = _save_grid(request, kpis, starts, entered)
            except _GridError as exc:
                errors = exc.errors
            else:
                messages.success(request, f"Saved {saved} value{'s' if saved != 1 else ''}.")
                url = reverse("data_entry", args=[org_slug, sc_slug])
                return redirect(f"{url}?as_of={as_of.isoformat()}")
    rows = [
        {
            "kpi": kpi,
            "period": starts[kpi.pk],
            "current": current.get(kpi.pk),
            "value": entered.get(kpi.pk, ("", ""))[0]
            if kpi.pk in entered
            else ("" if current.get(kpi.pk) is None else _plain(current[kpi.pk].value)),
            "note": entered.get(kpi.pk, ("", ""))[1],
            "error": errors.get(kpi.pk),
        }
        for kpi in kpis
    ]
    return render(
        request,
        "web/data_entry.html",
        {
            "scorecard": scorecard,
            "organization": scorecard.organization,
            "membership": membership,
            "rows": rows,
            "as_of": as_of,
            "errors": errors,
            "param_errors": param_errors,
        },
        status=422 if errors else 200,
    )


def _plain(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else str(value)


class _GridError(Exception):
    def __init__(self, errors: dict[int, str]) -> None:
        super().__init__("grid has errors")
        self.errors = errors


def _save_grid(
    request: HttpRequest,
    kpis: list[Kpi],
    starts: dict[int, dt.date],
    entered: dict[int, tuple[str, str]],
) -> int:
    """Record every filled cell in one transaction; any bad cell rolls all of them back."""
    errors: dict[int, str] = {}
    saved = 0
    with transaction.atomic():
        for kpi in kpis:
            raw, note = entered[kpi.pk]
            value = raw.strip().replace(",", "")
            if not value:
                continue
            try:
                measurement_record(
                    kpi=kpi,
                    period_start=starts[kpi.pk],
                    value=value,
                    note=note,
                    user=request.user,
                )
                saved += 1
            except ValidationError as exc:
                errors[kpi.pk] = " ".join(" ".join(v) for v in exc.message_dict.values())
        if errors:
            transaction.set_rollback(True)
            raise _GridError(errors)
    return saved


@login_required
def objective_detail(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """An objective: its score, KPIs, causes and effects, and the initiatives serving it."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug)
    as_of, view, errors = period_params(request)
    page = strategy_selectors.scorecard_page(scorecard=scorecard, as_of=as_of, view=view)
    row = next(
        (o for p in page.perspectives for o in p.objectives if o.objective.code == code), None
    )
    if row is None:
        raise Http404("No such objective.")
    by_id = {o.pk: o for o in page.rows.objectives}
    causes = [by_id[c] for c, e in page.links if e == row.objective.pk and c in by_id]
    link_ids = dict(
        ObjectiveLink.objects.filter(cause=row.objective).values_list("effect_id", "pk")
    )
    effects = [
        (link_ids[e], by_id[e]) for c, e in page.links if c == row.objective.pk and e in by_id
    ]
    linked = {o.pk for _, o in effects} | {row.objective.pk}
    others = [o for o in page.rows.objectives if o.pk not in linked]
    initiatives = list(row.objective.initiatives.select_related("owner").order_by("deadline"))
    return render(
        request,
        "web/objective.html",
        {
            "scorecard": scorecard,
            "organization": scorecard.organization,
            "membership": membership,
            "row": row,
            "perspective": next(p.perspective for p in page.perspectives if row in p.objectives),
            "causes": causes,
            "effects": effects,
            "others": others,
            "can_edit": membership.allows("editor"),
            "initiatives": initiatives,
            "results": page.result.objectives,
            "as_of": as_of,
            "param_errors": errors,
        },
    )


__all__ = ["Objective"]
