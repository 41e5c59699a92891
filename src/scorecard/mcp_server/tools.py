"""What the MCP tools do, as plain functions of the caller's :class:`Access`.

Each function checks access the way the matching REST endpoint does (404 for what is
not in the token's organization, 403 for a role too low), calls the same selectors and
services, and returns JSON-ready dictionaries. ``server.py`` wraps them as MCP tools.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from scorecard import clock
from scorecard.alignment.selectors import kpi_chain
from scorecard.api.access import NOT_FOUND, Access
from scorecard.engine.types import View
from scorecard.initiatives.models import Initiative
from scorecard.interchange.scores import result_as_dict
from scorecard.kpis import services as kpi_services
from scorecard.kpis.evaluation import kpi_spec, scorecard_evaluate_with_input
from scorecard.kpis.models import Kpi, Measurement
from scorecard.kpis.selectors import user_can_record
from scorecard.planning.selectors import at_risk_marks
from scorecard.presentation.numbers import person
from scorecard.strategy.models import Scorecard

from .access import Refused

VIEWS = [v.value for v in View]


def _day(value: str | None, field: str) -> dt.date:
    if not value:
        return clock.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Refused(
            _("%(field)s: “%(value)s” is not a date; write it as YYYY-MM-DD.")
            % {"field": field, "value": value}
        ) from None


def _moment(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise Refused(
            _("known_at: “%(value)s” is not a date or date-time; write it as YYYY-MM-DD[THH:MM].")
            % {"value": value}
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def _view(value: str) -> str:
    if value not in VIEWS:
        raise Refused(
            _("view: “%(value)s” is not a window; use one of %(views)s.")
            % {"value": value, "views": ", ".join(VIEWS)}
        )
    return value


def _scorecards(access: Access) -> QuerySet[Scorecard]:
    return Scorecard.objects.select_related("organization", "unit").filter(
        organization_id__in=access.org_ids
    )


def _scorecard(access: Access, ref: str | int) -> Scorecard:
    """A scorecard of the caller's organizations by id or short name (slug)."""
    cards = _scorecards(access)
    text = str(ref).strip()
    card = cards.filter(pk=int(text)).first() if text.isdigit() else None
    card = card or cards.filter(slug=text).order_by("pk").first()
    if card is None:
        raise Refused(
            _("Not found: no scorecard “%(name)s” in your organization.") % {"name": text}
        )
    return card


def _kpi(access: Access, ref: str) -> Kpi:
    """A KPI by ``scorecard/code`` (or its id) in the caller's organizations."""
    kpis = Kpi.objects.select_related(
        "scorecard__organization", "objective", "owner", "updater"
    ).filter(scorecard__organization_id__in=access.org_ids)
    text = str(ref).strip()
    if text.isdigit():
        kpi = kpis.filter(pk=int(text)).first()
    else:
        slug, sep, code = text.partition("/")
        if not sep or not slug or not code:
            raise Refused(
                _("“%(text)s” is not a KPI reference; use “scorecard/kpi_code”.") % {"text": text}
            )
        kpi = kpis.filter(scorecard__slug=slug, code=code).first()
    if kpi is None:
        raise Refused(_("Not found: no KPI “%(name)s” in your organization.") % {"name": text})
    return kpi


def _user(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.get_username(), "name": person(user)}


def list_scorecards(access: Access) -> list[dict[str, Any]]:
    """Every scorecard of the token's organization, parents before the cards below them."""
    return [
        {
            "id": card.pk,
            "slug": card.slug,
            "name": card.name,
            "organization": card.organization.slug,
            "unit": card.unit.name,
            "parent": card.parent_id,
            "vision": card.vision,
        }
        for card in _scorecards(access).order_by("parent_id", "name", "pk")
    ]


def read_scores(
    access: Access,
    *,
    scorecard: str,
    as_of: str | None = None,
    view: str = "period",
    known_at: str | None = None,
) -> dict[str, Any]:
    """The scorecard's scores as the REST API's ``/scorecards/{id}/scores`` gives them."""
    card = _scorecard(access, scorecard)
    result, _input = scorecard_evaluate_with_input(
        scorecard=card, as_of=_day(as_of, "as_of"), view=_view(view), known_at=_moment(known_at)
    )
    data = result_as_dict(result)
    data["scorecard"] = {"id": card.pk, "slug": card.slug}
    data["known_at"] = known_at or None
    return data


RULES = {
    "maximize": "higher is better: the score grows from the minimum (or 0) to the target",
    "minimize": "lower is better: the score grows as the value falls toward the target",
    "exact": "on target is best: the score falls as the value moves away (within the tolerance)",
    "band": "inside the band is best: values between band_low and band_high score 100 %",
    "binary": "yes/no: 1 (done) scores 100 %, 0 scores 0 %",
    "none": "not scored: the value is shown without a score",
}


def explain_kpi(
    access: Access, *, kpi: str, as_of: str | None = None, view: str = "period"
) -> dict[str, Any]:
    """A KPI's number with everything behind it: inputs, target, rule and why-chain."""
    found = _kpi(access, kpi)
    day = _day(as_of, "as_of")
    result, _input = scorecard_evaluate_with_input(
        scorecard=found.scorecard, as_of=day, view=_view(view)
    )
    shown = result.kpis.get(found.code)
    spec = kpi_spec(found)
    recent = list(
        Measurement.objects.filter(
            kpi=found, superseded_at__isnull=True, approval=Measurement.Approval.APPROVED
        )
        .select_related("recorded_by")
        .order_by("-period_start")[:6]
    )
    chains = kpi_chain(kpi=found)
    return {
        "kpi": f"{found.scorecard.slug}/{found.code}",
        "name": found.name,
        "description": found.description,
        "unit": found.unit,
        "objective": {"code": found.objective.code, "name": found.objective.name},
        "as_of": day.isoformat(),
        "view": view,
        "number": _kpi_result(shown),
        "rule": {
            "optimization": found.optimization,
            "in_words": RULES.get(found.optimization, found.optimization),
            "baseline": spec.baseline,
            "minimum": spec.minimum,
            "maximum": spec.maximum,
            "default_target": spec.target,
            "tolerance": spec.tolerance,
            "band_low": spec.band_low,
            "band_high": spec.band_high,
            "red_flag": spec.red_flag,
            "thresholds": [
                {"status": band.status, "from_performance": band.lower}
                for band in spec.thresholds.bands
                if band.lower != float("-inf")
            ],
            "time_aggregation": found.time_aggregation,
            "update_interval": found.update_interval,
            "formula": found.formula or None,
        },
        "inputs": [
            {
                "period_start": m.period_start.isoformat(),
                "value": m.value,
                "note": m.note,
                "recorded_by": person(m.recorded_by, "") or None,
                "recorded_at": m.recorded_at.isoformat(),
            }
            for m in recent
        ],
        "owner": _user(found.owner),
        "updater": _user(found.updater),
        "why": [" → ".join(f"{s.kind}: {s.name}" for s in path if s.name) for path in chains],
    }


def _kpi_result(shown: Any) -> dict[str, Any] | None:
    """One KPI result as plain data (None when the engine has none)."""
    if shown is None:
        return None
    return {
        "window": {"start": shown.window.start.isoformat(), "end": shown.window.end.isoformat()},
        "value": shown.value,
        "target": shown.target,
        "performance": shown.performance,
        "status": shown.status,
        "previous_value": shown.previous_value,
        "trend": shown.trend,
        "error": shown.error,
        "flag": shown.flag,
    }


def list_attention(
    access: Access, *, scorecard: str | None = None, as_of: str | None = None
) -> list[dict[str, Any]]:
    """The KPIs that are red, or that the "at risk" rule marks, and who acts on each."""
    day = _day(as_of, "as_of")
    cards = [_scorecard(access, scorecard)] if scorecard else list(_scorecards(access))
    rows: list[dict[str, Any]] = []
    for card in cards:
        result, sc = scorecard_evaluate_with_input(scorecard=card, as_of=day)
        marks = at_risk_marks(scorecard=card, sc=sc, result=result, as_of=day)
        flagged = {c for c, k in result.kpis.items() if k.status == "red"} | set(marks)
        if not flagged:
            continue
        kpis = {
            k.code: k
            for k in Kpi.objects.filter(scorecard=card, code__in=flagged).select_related(
                "owner", "updater", "objective__owner"
            )
        }
        plans: dict[int, list[dict[str, Any]]] = {}
        for initiative in (
            Initiative.objects.filter(objectives__in=[k.objective_id for k in kpis.values()])
            .select_related("owner")
            .prefetch_related("objectives")
        ):
            for objective in initiative.objectives.all():
                plans.setdefault(objective.pk, []).append(
                    {
                        "id": initiative.pk,
                        "name": initiative.name,
                        "status": initiative.status,
                        "owner": _user(initiative.owner),
                    }
                )
        for code, shown in result.kpis.items():
            if code not in flagged or code not in kpis:
                continue
            kpi = kpis[code]
            mark = marks.get(code)
            rows.append(
                {
                    "kpi": f"{card.slug}/{code}",
                    "name": kpi.name,
                    "scorecard": card.name,
                    "objective": kpi.objective.name,
                    "status": shown.status,
                    "red": shown.status == "red",
                    "at_risk": None
                    if mark is None
                    else {"chance": mark.chance, "target": mark.target, "below": mark.threshold},
                    "value": shown.value,
                    "target": shown.target,
                    "performance": shown.performance,
                    "owner": _user(kpi.owner),
                    "updater": _user(kpi.updater),
                    "objective_owner": _user(kpi.objective.owner),
                    "initiatives": plans.get(kpi.objective_id, []),
                }
            )
    return rows


def record_value(
    access: Access, *, kpi: str, period_start: str, value: float, note: str = ""
) -> dict[str, Any]:
    """Record one value, with the REST API's rules (contributor role or higher, and
    contributors only for the KPIs they own or update); a second value is a correction."""
    found = _kpi(access, kpi)
    try:
        membership = access.require(found.scorecard.organization_id, "contributor")
    except (Http404, PermissionDenied) as error:
        raise Refused(
            _("Forbidden: %(reason)s") % {"reason": error}
            if isinstance(error, PermissionDenied)
            else str(NOT_FOUND)
        ) from None
    if not found.is_calculated and not user_can_record(
        user=access.user, kpi=found, role=membership.role
    ):
        raise Refused(_("Forbidden: contributors record values only for KPIs they own or update."))
    start = _day(period_start, "period_start")
    try:
        measurement = kpi_services.measurement_record(
            kpi=found, period_start=start, value=value, note=note, user=access.user
        )
    except ValidationError as error:
        messages = (
            [f"{field}: {'; '.join(errs)}" for field, errs in error.message_dict.items()]
            if hasattr(error, "error_dict")
            else error.messages
        )
        raise Refused(_("Not recorded: %(reasons)s") % {"reasons": " ".join(messages)}) from None
    return {
        "kpi": f"{found.scorecard.slug}/{found.code}",
        "period_start": measurement.period_start.isoformat(),
        "value": measurement.value,
        "note": measurement.note,
        "approval": measurement.approval,
        "recorded_at": measurement.recorded_at.isoformat(),
        "recorded_by": access.user.get_username(),
    }
