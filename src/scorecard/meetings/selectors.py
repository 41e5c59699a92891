"""Reads for review meetings, scoped by scorecard; each page in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F

from scorecard.engine.periods import Period
from scorecard.strategy.models import Scorecard

from .models import Decision, ReviewMeeting


def meeting_list(*, scorecard: Scorecard) -> list[ReviewMeeting]:
    """The scorecard's review meetings, latest first, each with ``frozen_score`` and
    ``frozen_status``, ``frozen_scored`` and ``frozen_counted`` (KPIs with a score of
    those that count; None for meetings kept before these were) — read from the
    snapshot by the database; the snapshot itself is not loaded — and
    ``decision_count``. One query."""
    return list(
        ReviewMeeting.objects.filter(scorecard=scorecard)
        .defer("snapshot", "notes")
        .select_related("created_by")
        .annotate(
            frozen_score=F("snapshot__score"),
            frozen_status=F("snapshot__status"),
            frozen_scored=F("snapshot__kpis_scored"),
            frozen_counted=F("snapshot__kpis_counted"),
            decision_count=Count("decisions"),
        )
    )


def meeting_get(*, scorecard: Scorecard, pk: int) -> ReviewMeeting | None:
    """One meeting of ``scorecard``."""
    return (
        ReviewMeeting.objects.filter(scorecard=scorecard, pk=pk)
        .select_related("created_by", "scorecard__organization")
        .first()
    )


def decisions_of(meeting: ReviewMeeting) -> list[Decision]:
    """The meeting's decisions with their owners, tasks and initiatives (one query)."""
    return list(
        Decision.objects.filter(meeting=meeting).select_related(
            "owner", "task__initiative", "task__assignee"
        )
    )


@dataclass(frozen=True)
class FrozenKpi:
    """A KPI row as it was shown at the meeting."""

    code: str
    name: str
    unit: str
    window: Period | None
    value: float | None
    target: float | None
    performance: float | None
    progress: float | None
    status: str
    trend: str | None
    previous_value: float | None
    optimization: str


@dataclass
class FrozenNode:
    """An objective or perspective with its frozen score."""

    name: str
    score: float | None
    status: str
    code: str = ""
    children: list[Any] = field(default_factory=list)


@dataclass
class FrozenScorecard:
    """The whole snapshot, ready for the template."""

    score: float | None
    status: str
    leading: float | None
    lagging: float | None
    perspectives: list[FrozenNode]
    errors: list[dict[str, str]]
    #: how much data the score rested on (None: kept before meetings recorded it)
    kpis_scored: int | None = None
    kpis_counted: int | None = None


def _window(raw: Any) -> Period | None:
    try:
        return Period(dt.date.fromisoformat(raw[0]), dt.date.fromisoformat(raw[1]))
    except (TypeError, ValueError, IndexError):
        return None


def frozen_scorecard(meeting: ReviewMeeting) -> FrozenScorecard:
    """The meeting's stored snapshot as objects (no query)."""
    data = meeting.snapshot or {}
    perspectives = []
    for p in data.get("perspectives", []):
        objectives = []
        for o in p.get("objectives", []):
            kpis = [
                FrozenKpi(
                    code=k.get("code", ""),
                    name=k.get("name", ""),
                    unit=k.get("unit", ""),
                    window=_window(k.get("window")),
                    value=k.get("value"),
                    target=k.get("target"),
                    performance=k.get("performance"),
                    progress=k.get("progress"),
                    status=k.get("status", "no_data"),
                    trend=k.get("trend"),
                    previous_value=k.get("previous_value"),
                    optimization=k.get("optimization", "maximize"),
                )
                for k in o.get("kpis", [])
            ]
            objectives.append(
                FrozenNode(
                    o.get("name", ""), o.get("score"), o.get("status", ""), o.get("code", ""), kpis
                )
            )
        perspectives.append(
            FrozenNode(p.get("name", ""), p.get("score"), p.get("status", ""), "", objectives)
        )
    return FrozenScorecard(
        score=data.get("score"),
        status=data.get("status", "no_data"),
        leading=data.get("leading"),
        lagging=data.get("lagging"),
        perspectives=perspectives,
        errors=list(data.get("errors", [])),
        kpis_scored=data.get("kpis_scored"),
        kpis_counted=data.get("kpis_counted"),
    )
