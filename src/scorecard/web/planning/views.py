"""Planning pages: funnels, the target assistant's actions, what-if and link evidence.

Viewers read everything here; editors create funnels and benchmarks and accept
targets; the what-if page never writes, whoever uses it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from scorecard import clock
from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.engine import whatif as wi
from scorecard.engine.text import message
from scorecard.kpis.models import Kpi
from scorecard.organizations.models import Membership
from scorecard.planning import selectors, services
from scorecard.planning.models import Benchmark, ForecastRule, Funnel
from scorecard.presentation.findings import translated
from scorecard.presentation.numbers import format_number, period_label, plain_number
from scorecard.presentation.planning_charts import lever_chart
from scorecard.strategy.models import Scorecard
from scorecard.web.access import kpi_for, scorecard_for
from scorecard.web.parsing import parse_number
from scorecard.web.queries import parse_as_of

from .pages import VERDICT_LABELS

#: How many stage choices the funnel form offers.
MAX_STAGES = 8


def _as_of(request: HttpRequest) -> tuple[dt.date, list[str]]:
    as_of, problem = parse_as_of(request.GET.get("as_of", ""), clock.today())
    return as_of, [problem] if problem else []


def _base(scorecard: Scorecard, membership: Membership, **extra: Any) -> dict[str, Any]:
    return {
        "scorecard": scorecard,
        "organization": scorecard.organization,
        "membership": membership,
        "can_edit": membership.allows("editor"),
        **extra,
    }


# --- planning home and the forecast rule -------------------------------------------------


@login_required
def planning_home(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """The scorecard's funnels, the "at risk" rule, and links to what-if and evidence."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug)
    rule = ForecastRule.objects.filter(scorecard=scorecard).first()
    return render(
        request,
        "planning/home.html",
        _base(
            scorecard,
            membership,
            funnels=selectors.funnels_for(scorecard=scorecard),
            rule=rule,
            rule_percent=plain_number(rule.at_risk_below * 100) if rule else "",
        ),
    )


@login_required
@require_POST
def forecast_rule(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """Editors set or clear the chance below which a KPI shows "at risk"."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, "editor")
    try:
        rule = services.forecast_rule_set(
            scorecard=scorecard, at_risk_below=request.POST.get("at_risk_below", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if rule is None:
            messages.success(
                request, gettext("KPIs are no longer marked at risk by their forecast.")
            )
        else:
            messages.success(
                request,
                gettext(
                    "KPIs whose chance of meeting the period's target is below %(threshold)s "
                    "are now marked at risk."
                )
                % {"threshold": f"{rule.at_risk_below:.0%}"},
            )
    return redirect("planning_home", org_slug, sc_slug)


# --- funnels -----------------------------------------------------------------------------


def _funnel_or_404(scorecard: Scorecard, pk: int) -> Funnel:
    funnel = selectors.funnel_get(scorecard=scorecard, pk=pk)
    if funnel is None:
        raise Http404(gettext("No such funnel."))
    return funnel


def _funnel_form(
    request: HttpRequest, scorecard: Scorecard, membership: Membership, funnel: Funnel | None
) -> HttpResponse:
    kpis = list(
        Kpi.objects.filter(scorecard=scorecard)
        .select_related("objective")
        .order_by("objective__perspective__position", "objective__position", "position", "pk")
    )
    by_pk = {k.pk: k for k in kpis}
    errors: dict[str, str] = {}
    if request.method == "POST":
        chosen: list[Kpi] = []
        costs: list[str] = []
        for i in range(MAX_STAGES):
            raw = request.POST.get(f"stage-{i}", "")
            if not raw:
                continue
            kpi = by_pk.get(int(raw)) if raw.isdigit() else None
            if kpi is None:
                errors["stages"] = gettext("Choose KPIs of this scorecard.")
                break
            chosen.append(kpi)
            costs.append(request.POST.get(f"cost-{i}", ""))
        form = {
            "name": request.POST.get("name", ""),
            "description": request.POST.get("description", ""),
            "stages": [
                (str(request.POST.get(f"stage-{i}", "")), request.POST.get(f"cost-{i}", ""))
                for i in range(MAX_STAGES)
            ],
        }
        if not errors:
            try:
                args: dict[str, Any] = {
                    "name": form["name"],
                    "kpis": chosen,
                    "description": form["description"],
                    "costs": [c.replace(",", "") for c in costs],
                }
                if funnel is None:
                    funnel = services.funnel_create(scorecard=scorecard, **args)
                else:
                    funnel = services.funnel_update(funnel=funnel, **args)
            except ValidationError as exc:
                for key, problems in exc.message_dict.items():
                    # Templates cannot read "__all__" (a leading underscore).
                    errors["form" if key == "__all__" else key] = " ".join(problems)
            else:
                messages.success(
                    request, gettext("Saved the funnel “%(name)s”.") % {"name": funnel.name}
                )
                return redirect(
                    "funnel_detail", scorecard.organization.slug, scorecard.slug, funnel.pk
                )
    else:
        stages = list(funnel.stages.all()) if funnel else []
        form = {
            "name": funnel.name if funnel else "",
            "description": funnel.description if funnel else "",
            "stages": [(str(s.kpi_id), plain_number(s.cost)) for s in stages]
            + [("", "")] * (MAX_STAGES - len(stages)),
        }
    return render(
        request,
        "planning/funnel_form.html",
        _base(scorecard, membership, funnel=funnel, kpis=kpis, form=form, errors=errors),
        status=422 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def funnel_new(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """Editors chain volume KPIs into a funnel."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "editor")
    return _funnel_form(request, scorecard, membership, None)


@login_required
@require_http_methods(["GET", "POST"])
def funnel_edit(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Editors rename a funnel or change its stages."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug, "editor")
    return _funnel_form(request, scorecard, membership, _funnel_or_404(scorecard, pk))


@login_required
@require_POST
def funnel_delete(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Editors delete a funnel (its KPIs stay)."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, "editor")
    funnel = _funnel_or_404(scorecard, pk)
    services.funnel_delete(funnel=funnel)
    messages.success(
        request, gettext("Deleted the funnel “%(name)s”; its KPIs stay.") % {"name": funnel.name}
    )
    return redirect("planning_home", org_slug, sc_slug)


def _percent_param(request: HttpRequest, name: str, default: float, errors: list[str]) -> float:
    try:
        value = parse_number(request.GET.get(name))
    except ValueError:
        errors.append(
            gettext("“%(raw)s” is not a number; using %(default)s.")
            % {"raw": request.GET.get(name), "default": f"{default * 100:g}"}
        )
        return default
    if value is None:
        return default
    if not 0 < value <= 100:
        errors.append(
            gettext("Try an improvement between 0 and 100; using %(default)s.")
            % {"default": f"{default * 100:g}"}
        )
        return default
    return value / 100


@login_required
def funnel_detail(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """A funnel: stage volumes and rates, stage targets, levers and why the result changed."""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug)
    funnel = _funnel_or_404(scorecard, pk)
    as_of, errors = _as_of(request)
    target = None
    try:
        target = parse_number(request.GET.get("target"))
    except ValueError:
        errors.append(
            gettext("“%(raw)s” is not a number; using the KPI's target.")
            % {"raw": request.GET.get("target")}
        )
    if target is not None and target <= 0:
        errors.append(gettext("A target must be above zero; using the KPI's target."))
        target = None
    points = _percent_param(request, "points", 0.01, errors)
    relative = _percent_param(request, "relative", 0.10, errors)
    compare: dt.date | None = None
    raw_compare = request.GET.get("compare", "").strip()
    if raw_compare:
        try:
            compare = dt.date.fromisoformat(raw_compare)
        except ValueError:
            errors.append(
                gettext("“%(raw)s” is not a date; comparing with the period before.")
                % {"raw": raw_compare}
            )
        else:
            if compare >= as_of:
                errors.append(gettext("Compare with a period before; using the period before."))
                compare = None
    analysis = selectors.funnel_analysis(
        funnel=funnel, as_of=as_of, target=target, points=points, relative=relative,
        compare=compare,
    )  # fmt: skip
    # The earlier periods to compare with: up to two years back, by their last day.
    compare_choices: list[tuple[str, str]] = []
    if analysis.window is not None and analysis.stages:
        interval = et.Interval(analysis.stages[-1].kpi.update_interval)
        fiscal = scorecard.organization.fiscal_year_start_month
        period = analysis.window
        for _ in range(24):
            period = periods.previous_period(period, interval, fiscal)
            compare_choices.append((period.end.isoformat(), period_label(period)))
    unit = analysis.stages[-1].kpi.unit if analysis.stages else ""
    labels = [
        f"{before.kpi.name} → {after.kpi.name}"
        for before, after in zip(analysis.stages, analysis.stages[1:], strict=False)
    ]
    chart = lever_chart(
        analysis.levers,
        labels=labels,
        points=points,
        relative=relative,
        formatter=lambda v: "+" + format_number(v, unit),
        title=gettext("Levers of %(name)s: what each conversion rate adds to the result")
        % {"name": funnel.name},
    )
    lever_rows = [
        {
            "lever": lv,
            "label": labels[lv.index - 1],
            "position": lv.index,
            "cost_per_gain": lv.cost_per_gain,
            "note": gettext(
                "Funnel “%(funnel)s”: %(stage)s from %(rate)s to %(new_rate)s raises %(kpi)s "
                "from %(result)s to %(new_result)s at today's volumes."
            )
            % {
                "funnel": funnel.name,
                "stage": labels[lv.index - 1],
                "rate": f"{lv.rate:.2%}",
                "new_rate": f"{lv.new_rate:.2%}",
                "kpi": analysis.stages[-1].kpi.name,
                "result": format_number(analysis.result, unit),
                "new_result": format_number(lv.result_points, unit),
            },
        }
        for lv in analysis.levers
    ]
    return render(
        request,
        "planning/funnel.html",
        _base(
            scorecard,
            membership,
            funnel=funnel,
            a=analysis,
            unit=unit,
            chart=chart,
            lever_rows=lever_rows,
            labels=labels,
            as_of=as_of,
            param_errors=errors,
            target_value=plain_number(target) if target is not None else "",
            compare_choices=compare_choices,
            compare_value=compare.isoformat() if compare else "",
            points_value=plain_number(points * 100),
            relative_value=plain_number(relative * 100),
        ),
    )


@login_required
@require_POST
def funnel_lever(request: HttpRequest, org_slug: str, sc_slug: str, pk: int) -> HttpResponse:
    """Editors turn a lever into an objective with a conversion KPI and its target."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, "editor")
    funnel = _funnel_or_404(scorecard, pk)
    try:
        position = int(request.POST.get("position", ""))
        new_rate = float(request.POST.get("new_rate", ""))
        current_rate = float(request.POST.get("current_rate", ""))
    except ValueError:
        messages.error(request, gettext("Choose a lever from the table."))
        return redirect("funnel_detail", org_slug, sc_slug, pk)
    try:
        objective, kpi = services.lever_to_objective(
            funnel=funnel,
            stage_position=position,
            new_rate=new_rate,
            current_rate=current_rate,
            note=request.POST.get("note", "")[:500],
            as_of=clock.today(),
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("funnel_detail", org_slug, sc_slug, pk)
    messages.success(
        request,
        gettext("Added the objective “%(objective)s” with the KPI “%(kpi)s” (target %(target)s).")
        % {
            "objective": objective.name,
            "kpi": kpi.name,
            "target": format_number(kpi.target, "%"),
        },
    )
    return redirect("kpi_detail", org_slug, sc_slug, kpi.code)


# --- the KPI page: target assistant, benchmarks, forecast --------------------------------


def _kpi_url(org_slug: str, sc_slug: str, code: str, anchor: str = "planning") -> str:
    return f"{reverse('kpi_detail', args=[org_slug, sc_slug, code])}#{anchor}"


@login_required
@require_POST
def kpi_target_accept(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """Editors accept a proposed target: saved with target_set, its provenance and note."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, "editor")
    kpi = kpi_for(scorecard, code)
    try:
        value = parse_number(request.POST.get("value"))
        period = dt.date.fromisoformat(request.POST.get("period", ""))
    except ValueError:
        messages.error(request, gettext("Give the target as a number and choose a period."))
        return redirect(_kpi_url(org_slug, sc_slug, code))
    if value is None:
        messages.error(request, gettext("Give the target as a number."))
        return redirect(_kpi_url(org_slug, sc_slug, code))
    try:
        target = services.target_accept(
            kpi=kpi,
            period_start=period,
            value=value,
            provenance=request.POST.get("provenance", ""),
            note=request.POST.get("note", ""),
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_kpi_url(org_slug, sc_slug, code))
    fiscal = scorecard.organization.fiscal_year_start_month
    span = periods.period_containing(target.period_start, et.Interval(kpi.update_interval), fiscal)
    messages.success(
        request,
        gettext("Target of %(kpi)s from %(period)s on: %(value)s (%(source)s).")
        % {
            "kpi": kpi.name,
            "period": period_label(span),
            "value": format_number(target.value, kpi.unit),
            "source": target.get_provenance_display().lower(),
        },
    )
    return redirect(_kpi_url(org_slug, sc_slug, code))


@login_required
@require_POST
def benchmark_add(request: HttpRequest, org_slug: str, sc_slug: str, code: str) -> HttpResponse:
    """Editors add a benchmark to the KPI's library."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, "editor")
    kpi = kpi_for(scorecard, code)
    as_of: dt.date | None = None
    try:
        as_of = dt.date.fromisoformat(request.POST.get("as_of", "").strip())
    except ValueError:
        as_of = None
    try:
        services.benchmark_add(
            kpi=kpi,
            value="".join(request.POST.get("value", "").split()).replace(",", ""),
            source=request.POST.get("source", ""),
            as_of=as_of,
            percentile=request.POST.get("percentile", ""),
            note=request.POST.get("note", ""),
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(
            request,
            gettext("The benchmark was not saved: %(problems)s")
            % {"problems": " ".join(exc.messages)},
        )
    else:
        messages.success(request, gettext("Added a benchmark to %(name)s.") % {"name": kpi.name})
    return redirect(_kpi_url(org_slug, sc_slug, code, "benchmarks"))


@login_required
@require_POST
def benchmark_delete(
    request: HttpRequest, org_slug: str, sc_slug: str, code: str, pk: int
) -> HttpResponse:
    """Editors remove a benchmark."""
    scorecard, _ = scorecard_for(request, org_slug, sc_slug, "editor")
    kpi = kpi_for(scorecard, code)
    benchmark = Benchmark.objects.filter(kpi=kpi, pk=pk).first()
    if benchmark is None:
        raise Http404(gettext("No such benchmark."))
    services.benchmark_delete(benchmark=benchmark)
    messages.success(request, gettext("Removed the benchmark."))
    return redirect(_kpi_url(org_slug, sc_slug, code, "benchmarks"))


# --- what-if -----------------------------------------------------------------------------


def _changes(data: QueryDict, page_kpis: list[Kpi], errors: dict[str, str]) -> wi.Changes:
    values: dict[str, float] = {}
    targets: dict[str, float] = {}
    weights: dict[str, float] = {}
    for kpi in page_kpis:
        for prefix, into in (("v", values), ("t", targets), ("w", weights)):
            raw = data.get(f"{prefix}-{kpi.code}", "")
            try:
                number = parse_number(raw)
            except ValueError:
                errors[f"{prefix}-{kpi.code}"] = gettext("“%(raw)s” is not a number.") % {
                    "raw": raw
                }
                continue
            if number is None:
                continue
            if prefix == "w" and number <= 0:
                errors[f"{prefix}-{kpi.code}"] = gettext("A weight must be above zero.")
                continue
            into[kpi.code] = number
    return wi.Changes(values=values, targets=targets, kpi_weights=weights)


@login_required
def whatif(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """Try other values, targets or weights and see every score change; nothing is saved.

    Goal seek answers "which value of this KPI turns this objective (or perspective)
    green?"; the sensitivity table shows which KPIs move the scorecard most.
    """
    scorecard, membership = scorecard_for(request, org_slug, sc_slug)
    as_of, param_errors = _as_of(request)
    rows = list(
        Kpi.objects.filter(scorecard=scorecard)
        .select_related("objective__perspective")
        .order_by("objective__perspective__position", "objective__position", "position", "pk")
    )
    field_errors: dict[str, str] = {}
    changes = _changes(request.GET, rows, field_errors)
    try:
        page = selectors.whatif_page(scorecard=scorecard, as_of=as_of, changes=changes)
    except wi.WhatIfError as exc:
        param_errors.append(translated(message(exc)))
        page = selectors.whatif_page(scorecard=scorecard, as_of=as_of, changes=wi.Changes())
    seek = None
    seek_error = None
    seek_kpi = request.GET.get("seek_kpi", "")
    seek_node = request.GET.get("seek_node", "")
    if seek_kpi and seek_node:
        kind, _, key = seek_node.partition(":")
        try:
            sc = wi.apply_changes(page.input, changes, as_of=as_of) if changes else page.input
            seek = wi.goal_seek(sc, as_of=as_of, kpi_code=seek_kpi, node=(kind, key))
        except (wi.WhatIfError, KeyError) as exc:
            seek_error = (
                translated(message(exc))
                if isinstance(exc, wi.WhatIfError)
                else gettext("Choose a KPI and a goal.")
            )
    result = page.changed or page.base
    kpi_rows = [
        {
            "kpi": k,
            "base": page.base.kpis[k.code],
            "new": result.kpis[k.code],
            "v": request.GET.get(f"v-{k.code}", ""),
            "t": request.GET.get(f"t-{k.code}", ""),
            "w": request.GET.get(f"w-{k.code}", ""),
            "errors": [
                field_errors[f"{p}-{k.code}"] for p in "vtw" if f"{p}-{k.code}" in field_errors
            ],
        }
        for k in rows
    ]
    seekable = [
        k for k in rows if not k.is_calculated and k.optimization in {o.value for o in wi.SEEKABLE}
    ]
    return render(
        request,
        "planning/whatif.html",
        _base(
            scorecard,
            membership,
            page=page,
            result=result,
            kpi_rows=kpi_rows,
            perspectives=page.rows.perspectives,
            objectives=page.rows.objectives,
            as_of=as_of,
            param_errors=param_errors,
            field_errors=field_errors,
            changed=bool(changes),
            seek=seek,
            seek_error=seek_error,
            seek_kpi=seek_kpi,
            seek_node=seek_node,
            seekable=seekable,
            goals=[
                (gettext("Scorecard"), [("scorecard:", gettext("the whole scorecard"))]),
                (
                    gettext("Perspectives"),
                    [(f"perspective:{p.pk}", p.name) for p in page.rows.perspectives],
                ),
                (
                    gettext("Objectives"),
                    [(f"objective:{o.code}", o.name) for o in page.rows.objectives],
                ),
            ],
            seek_kpi_obj=next((k for k in rows if k.code == seek_kpi), None),
            sensitivity=page.sensitivity[:15],
            names={k.code: k for k in rows},
        ),
    )


# --- evidence for the strategy map -------------------------------------------------------


@login_required
def evidence(request: HttpRequest, org_slug: str, sc_slug: str) -> HttpResponse:
    """For each cause → effect link: does the cause's KPI move ahead of the effect's?"""
    scorecard, membership = scorecard_for(request, org_slug, sc_slug)
    as_of, errors = _as_of(request)
    return render(
        request,
        "planning/evidence.html",
        _base(
            scorecard,
            membership,
            links=selectors.link_evidence(scorecard=scorecard, as_of=as_of),
            labels=VERDICT_LABELS,
            as_of=as_of,
            param_errors=errors,
        ),
    )
