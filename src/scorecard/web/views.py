"""Reading and data-entry pages: check access, validate input, call one selector or
service, render.

Full pages include the same partial templates that htmx requests fetch, so a
page works without JavaScript and htmx only swaps the part that changed.
Structure editing and action plans live in ``web/manage/`` (see manage_urls.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from scorecard import clock
from scorecard.accounts.services import setup_needed
from scorecard.dates import month_year
from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.kpis import scorecard_selectors
from scorecard.kpis import selectors as kpi_selectors
from scorecard.kpis.evaluation import kpi_spec
from scorecard.kpis.models import Kpi
from scorecard.kpis.services import (
    MeasurementRow,
    MeasurementRowsError,
    measurement_bulk_record,
    measurement_record,
)
from scorecard.organizations.models import Membership
from scorecard.planning.selectors import forecast_rule_of
from scorecard.presentation.charts import history_chart, sparkline, status_zones, value_range
from scorecard.presentation.numbers import format_number, plain_number
from scorecard.presentation.why import no_data_reasons
from scorecard.reviews.selectors import (
    unplanned_red_of,
    unplanned_red_of_scores,
    unplanned_red_on_page,
)
from scorecard.reviews.services import comment_add_to_kpi, usage_record_view
from scorecard.strategy.models import Scorecard
from scorecard.web import panels
from scorecard.web.access import is_htmx, kpi_for, member_scorecard_for, scorecard_for
from scorecard.web.alerts.views import watch_panel
from scorecard.web.dashboards.home import home_dashboard_redirect
from scorecard.web.fragments import cached_rows, kept_scorecard_page, scorecard_rows_key
from scorecard.web.home import SESSION_ORG, home_memberships, home_page, remember_organization
from scorecard.web.parsing import clean_number, parse_number
from scorecard.web.planning.pages import kpi_page_extras, risk_marks
from scorecard.web.queries import (
    VIEW_LABELS,
    known_params,
    parse_as_of,
    period_params,
    period_query,
    saved_values_text,
)
from scorecard.web.structure import structure_note

#: Session key of the organization the user looked at last (the home page's switcher).
#: How many of a KPI's periods the entry form offers.
ENTRY_PERIODS = 24


# --- home -------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Start page: my organizations and scorecards, KPIs waiting for my values, red KPIs
    of my area and my open tasks. The chosen organization is remembered in the session.
    A member who chose a dashboard as home page lands on it (web/dashboards/home.py)."""
    memberships = home_memberships(user=request.user)
    remembered = request.session.get(SESSION_ORG)
    chosen = home_dashboard_redirect(request, remembered=remembered, memberships=memberships)
    if chosen is not None:
        return chosen
    page = home_page(
        user=request.user,
        wanted=request.GET.get("org"),
        remembered=remembered,
        today=clock.today(),
        memberships=memberships,
    )
    if not page.memberships and request.user.is_superuser and setup_needed():
        return redirect("setup")  # first run: the set-up wizard, not an empty page
    alerts = []
    if page.current is not None:
        remember_organization(request, page.current.organization.slug)
        alerts = unplanned_red_of(red_kpis=page.red_kpis, organization=page.current.organization)
    return render(
        request,
        "web/home.html",
        {
            "page": page,
            "organization": page.current.organization if page.current else None,
            "membership": page.current,
            "alerts": alerts,
            "governance": panels.home_governance_panel(request.user, page.current.organization)
            if page.current
            else None,
        },
    )


# --- scorecard (the strategy map lives in web/maps/) ---------------------------------


def _scorecard_context(
    request: HttpRequest,
    scorecard: Scorecard,
    membership: Membership,
    version: int,
) -> dict[str, Any]:
    """``version``: the organization's data version, read before any data (the rows'
    cache key, web/fragments.py)."""
    as_of, view, errors = period_params(request)
    known_at, known, known_errors = known_params(request, as_of)
    rule = forecast_rule_of(scorecard)
    query = period_query(as_of, view, known)
    rows_key = scorecard_rows_key(
        scorecard_id=scorecard.pk,
        version=version,
        as_of=as_of,
        view=view,
        known_at=known_at,
        period_query=query,
        role=membership.role,
        rule=rule,
        today=clock.today(),
    )
    # Rows already rendered need only the scores (the summary and the red alerts): not the
    # tree of KPIs, their last updates, the engine input (forecasts) or the sparklines.
    rendered = cached_rows(rows_key)
    page = scorecard_selectors.scorecard_page(
        scorecard=scorecard,
        as_of=as_of,
        view=view,
        known_at=known_at,
        version=version,
        with_input=rule is not None and rendered is None,
        tree=rendered is None,
    )

    def sparks() -> dict[int, str]:
        return {
            row.kpi.pk: sparkline([v for _, v, _ in row.result.history])
            for p in page.perspectives
            for o in p.objectives
            for row in o.kpis
        }

    def risks() -> dict[str, Any]:
        if rule is None:
            return {}
        return risk_marks(page, as_of)

    return {
        "scorecard": scorecard,
        "organization": scorecard.organization,
        "membership": membership,
        "can_edit": membership.allows("editor"),
        "page": page,
        "as_of": as_of,
        "view": view,
        "views": VIEW_LABELS,
        "param_errors": errors + known_errors,
        # Worked out only when the rows are rendered (not when they come from the cache).
        "rows_key": rows_key,
        "rows_html": rendered,
        "sparks": SimpleLazyObject(sparks),
        # KPI code → "at risk" mark when the scorecard's forecast rule is on.
        "risks": SimpleLazyObject(risks),
        "known_at": known_at,
        "known": known,
        "period_query": query,
        "alerts": unplanned_red_on_page(page=page)
        if rendered is None
        else unplanned_red_of_scores(scorecard=scorecard, result=page.result),
        "structure_note": structure_note(scorecard, known_at),
        "no_data_reasons": SimpleLazyObject(lambda: no_data_reasons(page.result, page.rows.kpis)),
    }


@login_required
def scorecard_detail(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """The scorecard as one table: perspectives → objectives → KPIs with their numbers.

    An htmx request (the period selector) gets only the table partial.
    """
    # One query: the scorecard, its organization (with the data version, read before any
    # data: web/fragments.py), the membership and the header's unread count.
    found = member_scorecard_for(request, org_slug, sc_slug)
    scorecard, membership = found.scorecard, found.membership
    version = scorecard.organization.data_version
    template = "web/partials/scorecard_table.html" if is_htmx(request) else "web/scorecard.html"
    # The whole page is kept, without the person's header and CSRF token (put in per
    # request); ``context`` is built only when it is rendered.
    return kept_scorecard_page(
        request,
        scorecard,
        membership,
        version=version,
        template=template,
        context=lambda: _scorecard_context(request, scorecard, membership, version),
        unread=found.unread,
    )


def _objective_url(org_slug: str, sc_slug: str, code: str, query: str = "") -> str:
    """The objective's page (web/manage), keeping the chosen period."""
    return reverse("objective_detail", args=[org_slug, sc_slug, code]) + query


# --- KPI page and entry -----------------------------------------------------------------


def _kpi_chart(kpi: Kpi, history: Any) -> str:
    """The history chart with the status zones of the latest target."""
    if not history:
        return ""
    latest_target = next((t for _, _, t in reversed(history) if t is not None), None)
    low, high = value_range(history)
    zones = status_zones(kpi_spec(kpi), latest_target, low, high)
    return history_chart(
        history,
        title=gettext("History of %(name)s: values, targets and status zones") % {"name": kpi.name},
        formatter=lambda v: format_number(v, kpi.unit),
        zones=zones,
        y_range=(low, high),
    )


def _entry_periods(kpi: Kpi, fiscal: int, chosen: dt.date) -> list[periods.Period]:
    """The periods the entry form offers, newest first: the running one, the ones
    before it, and the chosen one when it is older (to correct an old value)."""
    interval = et.Interval(kpi.update_interval)
    span = periods.period_containing(clock.today(), interval, fiscal)
    out = []
    for _ in range(ENTRY_PERIODS):
        out.append(span)
        span = periods.previous_period(span, interval, fiscal)
    if chosen < out[-1].start:
        out.append(periods.period_containing(chosen, interval, fiscal))
    return out


def _kpi_context(
    request: HttpRequest, scorecard: Scorecard, kpi: Kpi, membership: Membership
) -> dict[str, Any]:
    as_of, view, errors = period_params(request)
    # "As known then" as on the scorecard page that linked here, so the numbers agree.
    known_at, known, known_errors = known_params(request, as_of)
    page = scorecard_selectors.scorecard_page(
        scorecard=scorecard, as_of=as_of, view=view, known_at=known_at
    )
    result = page.result.kpis[kpi.code]
    fiscal = scorecard.organization.fiscal_year_start_month
    can_record = kpi_selectors.user_can_record(user=request.user, kpi=kpi, role=membership.role)
    default_period = kpi_selectors.entry_period_for(kpi, clock.today(), fiscal).start
    chosen, _ = parse_as_of(request.GET.get("period", ""), default_period)
    chosen = kpi_selectors.kpi_period(kpi, chosen, fiscal).start
    context = {
        "scorecard": scorecard,
        "organization": scorecard.organization,
        "membership": membership,
        "can_edit": membership.allows("editor"),
        "kpi": kpi,
        "result": result,
        "objective_result": page.result.objectives[kpi.objective.code],
        "objective_url": _objective_url(
            scorecard.organization.slug, scorecard.slug, kpi.objective.code
        ),
        "history": []
        if kpi.is_calculated
        else kpi_selectors.kpi_history(kpi=kpi, fiscal_year_start_month=fiscal),
        "calculated": kpi_selectors.calculated_history(
            kpi=kpi, history=result.history, fiscal_year_start_month=fiscal
        )
        if kpi.is_calculated
        else [],
        "chart": _kpi_chart(kpi, result.history),
        "can_record": can_record,
        "entry_periods": _entry_periods(kpi, fiscal, chosen) if can_record else [],
        "period_value": chosen.isoformat(),
        "form_values": {},
        "form_errors": {},
        "as_of": as_of,
        "view": view,
        "param_errors": errors + known_errors,
        "period_query": period_query(as_of, view, known),
        "known_at": known_at,
        "known": known,
        "watch": watch_panel(request, scorecard.organization, "kpi", kpi),
    }
    organization = scorecard.organization
    context["no_data_reason"] = no_data_reasons(page.result, [kpi]).get(kpi.code, "")
    context["why"] = panels.why_panel(organization, kpi=kpi)
    context["pending"] = panels.pending_panel(request.user, scorecard, membership, kpi)
    context["comments_panel"] = panels.comments_panel(scorecard, membership, kpi)
    # Target assistant, benchmarks and the forecast band (scorecard.planning).
    context.update(
        kpi_page_extras(
            request, scorecard, kpi, membership, result, as_of, page.rows, sc=page.input
        )
    )
    return context


@login_required
def kpi_detail(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """A KPI: its definition, chart, periods with corrections, and the entry form."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug)
    kpi = kpi_for(scorecard, code)
    usage_record_view(user=request.user, kpi=kpi)  # one query: the health check's usage
    context = _kpi_context(request, scorecard, kpi, membership)
    return render(request, "web/kpi.html", context)


@login_required
@require_POST
def kpi_record(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """Record (or correct) one value with measurement_record, which keeps the history.

    htmx gets the re-rendered KPI panel (new status, objective score, chart and
    periods); a plain form post is redirected back to the KPI page.
    """
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "contributor")
    kpi = kpi_for(scorecard, code)
    if not kpi_selectors.user_can_record(user=request.user, kpi=kpi, role=membership.role):
        return HttpResponse(gettext("You may not enter values for this KPI."), status=403)
    form_errors: dict[str, str] = {}
    raw_period = request.POST.get("period", "").strip()
    raw_value: float | None = None
    note = request.POST.get("note", "")
    period: dt.date | None = None
    try:
        period = dt.date.fromisoformat(raw_period)
    except ValueError:
        form_errors["period"] = gettext("Choose a period (its first day, e.g. 2026-10-01).")
    try:
        # The person's language decides the decimal mark (kpis/numbers.py).
        raw_value = parse_number(request.POST.get("value", ""))
    except ValueError as exc:
        form_errors["value"] = str(exc)
    else:
        if raw_value is None:
            form_errors["value"] = gettext("Enter a number.")
    if period is not None and raw_value is not None and not form_errors:
        try:
            measurement_record(
                kpi=kpi, period_start=period, value=raw_value, note=note, user=request.user
            )
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                form_errors[{"period_start": "period"}.get(field, field)] = " ".join(problems)
    if not form_errors and not is_htmx(request):
        messages.success(
            request,
            gettext("Saved the value of %(name)s for %(period)s.")
            % {"name": kpi.name, "period": month_year(period) if period else ""},
        )
        return redirect("kpi_detail", org_slug, sc_slug, code)
    context = _kpi_context(request, scorecard, kpi, membership)
    context.update(
        form_errors=form_errors,
        form_values={"value": request.POST.get("value", ""), "note": note} if form_errors else {},
        period_value=raw_period,
        saved=not form_errors,
    )
    status = 422 if form_errors else 200
    if is_htmx(request):
        return render(request, "web/partials/kpi_panel.html", context, status=status)
    return render(request, "web/kpi.html", context, status=status)


@login_required
@require_POST
def kpi_comment(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """Members who may contribute leave a comment on a KPI."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, "contributor")
    kpi = kpi_for(scorecard, code)
    url = reverse("kpi_detail", args=[org_slug, sc_slug, code])
    try:
        comment_add_to_kpi(
            kpi=kpi,
            author=request.user,
            text=request.POST.get("text", ""),
            url=request.build_absolute_uri(url),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{url}#comments")


# --- data-entry grid --------------------------------------------------------------------


def _grid_rows(
    rows: list[kpi_selectors.EntryRow], data: QueryDict
) -> tuple[list[MeasurementRow], dict[int, tuple[str, str]]]:
    """The filled cells of a posted grid as service rows, and what was typed per KPI."""
    cells: list[MeasurementRow] = []
    entered: dict[int, tuple[str, str]] = {}
    for index, row in enumerate(rows):
        raw = data.get(f"value-{row.kpi.pk}", "")
        note = data.get(f"note-{row.kpi.pk}", "")
        entered[row.kpi.pk] = (raw, note)
        value = clean_number(raw)
        if not value:
            continue  # an empty cell records nothing
        cells.append(MeasurementRow(index, row.kpi, row.period.start, value, note))
    return cells, entered


@login_required
@require_http_methods(["GET", "POST"])
def data_entry(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """One period's values for all of the user's KPIs in one form, saved all or nothing.

    Every cell is checked first; if any is wrong nothing is saved and each wrong cell
    says why. Corrections keep the earlier value (measurement_bulk_record).
    """
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "contributor")
    today = clock.today()
    months = kpi_selectors.entry_months(today)
    as_of, problem = parse_as_of(request.GET.get("as_of", ""), months[0])
    rows = kpi_selectors.entry_grid(
        scorecard=scorecard, user=request.user, role=membership.role, as_of=as_of
    )
    errors: dict[int, str] = {}
    entered: dict[int, tuple[str, str]] = {}
    if request.method == "POST":
        cells, entered = _grid_rows(rows, request.POST)
        try:
            result = measurement_bulk_record(rows=cells, user=request.user)
        except MeasurementRowsError as exc:
            for error in exc.row_errors:
                kpi_id = rows[error.index].kpi.pk
                errors[kpi_id] = " ".join(filter(None, [errors.get(kpi_id), error.message]))
        else:
            changed = result.created + result.corrected
            messages.success(request, saved_values_text(changed, result.corrected))
            url = reverse("data_entry", args=[org_slug, sc_slug])
            return redirect(f"{url}?as_of={as_of.isoformat()}")
    if as_of not in months:
        months = sorted({*months, as_of}, reverse=True)
    lines = [
        {
            "kpi": row.kpi,
            "period": row.period,
            "current": row.current,
            "target": row.target,
            "value": entered[row.kpi.pk][0]
            if row.kpi.pk in entered
            else ("" if row.current is None else plain_number(row.current.value)),
            "note": entered[row.kpi.pk][1]
            if row.kpi.pk in entered
            else (row.current.note if row.current else ""),
            "error": errors.get(row.kpi.pk),
        }
        for row in rows
    ]
    return render(
        request,
        "web/data_entry.html",
        {
            "scorecard": scorecard,
            "organization": scorecard.organization,
            "membership": membership,
            "rows": lines,
            "as_of": as_of,
            "months": months,
            "errors": errors,
            "param_errors": [problem] if problem else [],
        },
        status=422 if errors else 200,
    )
