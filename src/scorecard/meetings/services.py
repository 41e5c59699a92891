"""Writes for review meetings: hold one (freezing the numbers), keep notes, record decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scorecard import clock
from scorecard.audit.services import record_change, snapshot
from scorecard.engine.evaluate import ScorecardResult
from scorecard.engine.snapshot import input_to_json
from scorecard.engine.types import View
from scorecard.initiatives.models import Initiative
from scorecard.initiatives.services import initiative_create, task_create
from scorecard.kpis.evaluation import ScorecardRows, scorecard_evaluate_with_input, scorecard_rows
from scorecard.organizations.models import Membership
from scorecard.strategy.models import Objective, Scorecard

from .models import Decision, ReviewMeeting

#: The initiative that collects decisions when the user names none.
DECISIONS_INITIATIVE = "Decisions from reviews"
MAX_NOTES = 20000
#: What the history keeps of a meeting (the snapshot itself never changes).
MEETING_FIELDS = ("title", "held_on", "as_of", "view", "known_at", "notes")


def scorecard_snapshot(
    *, scorecard: Scorecard, as_of: dt.date, view: str, known_at: dt.datetime
) -> dict[str, Any]:
    """The evaluated scorecard as plain JSON: every perspective, objective and KPI with
    its numbers as known at ``known_at``. The meeting page shows this, never live data."""
    return frozen_numbers(scorecard=scorecard, as_of=as_of, view=view, known_at=known_at)[0]


def frozen_numbers(
    *, scorecard: Scorecard, as_of: dt.date, view: str, known_at: dt.datetime
) -> tuple[dict[str, Any], dict[str, Any]]:
    """What a meeting keeps: the evaluated scorecard (:func:`scorecard_snapshot`) and the
    whole engine input it was computed from (engine/snapshot.py), both as JSON."""
    rows = scorecard_rows(scorecard)
    result, sc = scorecard_evaluate_with_input(
        scorecard=scorecard, as_of=as_of, view=view, known_at=known_at, rows=rows
    )
    return _result_json(rows, result), input_to_json(sc)


def _result_json(rows: ScorecardRows, result: ScorecardResult) -> dict[str, Any]:
    perspectives = []
    for perspective in rows.perspectives:
        node = result.perspectives[str(perspective.pk)]
        objectives = []
        for objective in rows.objectives:
            if objective.perspective_id != perspective.pk:
                continue
            o_node = result.objectives[objective.code]
            kpis = []
            for kpi in rows.kpis:
                if kpi.objective_id != objective.pk:
                    continue
                k = result.kpis[kpi.code]
                kpis.append(
                    {
                        "code": kpi.code,
                        "name": kpi.name,
                        "unit": kpi.unit,
                        "window": [k.window.start.isoformat(), k.window.end.isoformat()],
                        "value": k.value,
                        "target": k.target,
                        "performance": k.performance,
                        "progress": k.progress,
                        "status": k.status,
                        "trend": k.trend,
                        "previous_value": k.previous_value,
                        "optimization": kpi.optimization,
                    }
                )
            objectives.append(
                {
                    "code": objective.code,
                    "name": objective.name,
                    "score": o_node.score,
                    "status": o_node.status,
                    "kpis": kpis,
                }
            )
        perspectives.append(
            {
                "name": perspective.name,
                "score": node.score,
                "status": node.status,
                "objectives": objectives,
            }
        )
    return {
        "version": 1,
        "score": result.score,
        "status": result.status,
        "leading": result.leading,
        "lagging": result.lagging,
        "perspectives": perspectives,
        "errors": [{"code": e.code, "name": e.name, "message": e.message} for e in result.errors],
        "kpis_scored": result.kpis_scored,
        "kpis_counted": result.kpis_counted,
        "coverage": result.coverage,
    }


def _known_at(held_on: dt.date) -> dt.datetime:
    """A meeting held today freezes the numbers now; one recorded afterwards freezes
    them at the end of the day it was held."""
    now = clock.now()
    end_of_day = timezone.make_aware(dt.datetime.combine(held_on, dt.time.max))
    return min(now, end_of_day)


def history_label(meeting: ReviewMeeting) -> str:
    """How the history names a meeting: its title and day ("Monthly review, 23 Nov 2026"),
    since many meetings share a title."""
    return f"{meeting.title}, {meeting.held_on.day} {meeting.held_on:%b %Y}"


def _clean_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the meeting a title, e.g. “October review”.")})
    if len(title) > 200:
        raise ValidationError({"title": _("A title can be at most 200 characters.")})
    return title


@transaction.atomic
def meeting_create(
    *,
    scorecard: Scorecard,
    title: str,
    held_on: dt.date,
    as_of: dt.date | None = None,
    view: str = View.PERIOD.value,
    notes: str = "",
    user: Any = None,
) -> ReviewMeeting:
    """Hold a review of ``scorecard``: the numbers are frozen as known at the meeting.

    ``held_on`` cannot be in the future (the numbers of a meeting not yet held are
    not known); ``as_of`` (default: the meeting day) and ``view`` choose the period
    shown, as on the scorecard page.
    """
    today = clock.today()
    if held_on > today:
        raise ValidationError(
            {"held_on": _("A review is recorded on the day it is held or later, not before.")}
        )
    if view not in {v.value for v in View}:
        raise ValidationError({"view": _("“%(view)s” is not a period choice.") % {"view": view}})
    if len(notes) > MAX_NOTES:
        raise ValidationError(
            {
                "notes": _("Notes can be at most %(MAX_NOTES)s characters.")
                % {"MAX_NOTES": MAX_NOTES}
            }
        )
    as_of = as_of or held_on
    known_at = _known_at(held_on)
    numbers, engine_input = frozen_numbers(
        scorecard=scorecard, as_of=as_of, view=view, known_at=known_at
    )
    meeting = ReviewMeeting.objects.create(
        scorecard=scorecard,
        title=_clean_title(title),
        held_on=held_on,
        as_of=as_of,
        view=view,
        known_at=known_at,
        snapshot=numbers,
        engine_input=engine_input,
        notes=notes.strip(),
        created_by=user if getattr(user, "is_authenticated", False) else None,
        created_at=clock.now(),
    )
    record_change(
        obj=meeting,
        before=None,
        after=snapshot(meeting, MEETING_FIELDS),
        actor=user,
        label=history_label(meeting),
    )
    return meeting


@transaction.atomic
def meeting_notes_set(*, meeting: ReviewMeeting, notes: str, user: Any = None) -> ReviewMeeting:
    """Replace the meeting's notes (the history keeps the earlier text)."""
    notes = notes.strip()
    if len(notes) > MAX_NOTES:
        raise ValidationError(
            {
                "notes": _("Notes can be at most %(MAX_NOTES)s characters.")
                % {"MAX_NOTES": MAX_NOTES}
            }
        )
    before = snapshot(meeting, ("notes",))
    meeting.notes = notes
    meeting.save(update_fields=["notes"])
    record_change(
        obj=meeting,
        before=before,
        after={"notes": notes},
        actor=user,
        label=history_label(meeting),
    )
    return meeting


def _decisions_initiative(
    scorecard: Scorecard, objective: Objective | None, user: Any
) -> Initiative:
    """The "Decisions from reviews" initiative serving ``objective`` (or none), made when
    it does not exist yet."""
    found = Initiative.objects.filter(scorecard=scorecard, name=DECISIONS_INITIATIVE)
    found = found.filter(objectives=objective) if objective else found.filter(objectives=None)
    initiative = found.order_by("pk").first()
    if initiative is not None:
        return initiative
    return initiative_create(
        scorecard=scorecard,
        name=DECISIONS_INITIATIVE,
        objectives=[objective] if objective else [],
        description="Tasks decided in review meetings.",
        owner=user if getattr(user, "is_authenticated", False) else None,
        status=Initiative.Status.ACTIVE,
    )


@transaction.atomic
def decision_add(
    *,
    meeting: ReviewMeeting,
    text: str,
    owner: Any,
    deadline: dt.date | None = None,
    initiative: Initiative | None = None,
    objective: Objective | None = None,
    user: Any = None,
) -> Decision:
    """Record a decision of the meeting and turn it into a task for ``owner``.

    The task goes to ``initiative``; without one, to the scorecard's "Decisions from
    reviews" initiative serving ``objective`` (created on first use).
    """
    scorecard = meeting.scorecard
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write what was decided.")})
    if len(text) > 200:
        raise ValidationError(
            {"text": _("A decision can be at most 200 characters; put details in the notes.")}
        )
    if owner is None:
        raise ValidationError({"owner": _("Choose who carries the decision out.")})
    if not Membership.objects.filter(
        user=owner, organization_id=scorecard.organization_id
    ).exists():
        raise ValidationError({"owner": _("The owner must be a member of the organization.")})
    if initiative is not None and initiative.scorecard_id != scorecard.pk:
        raise ValidationError({"initiative": _("The initiative belongs to another scorecard.")})
    if objective is not None and objective.scorecard_id != scorecard.pk:
        raise ValidationError({"objective": _("The objective belongs to another scorecard.")})
    if initiative is None:
        initiative = _decisions_initiative(scorecard, objective, user)
    task = task_create(initiative=initiative, name=text, assignee=owner, deadline=deadline)
    decision = Decision.objects.create(
        meeting=meeting,
        text=text,
        task=task,
        owner=owner,
        deadline=deadline,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        created_at=clock.now(),
    )
    record_change(
        obj=decision,
        before=None,
        after=snapshot(decision, ("text", "owner", "deadline", "task")),
        actor=user,
    )
    return decision
