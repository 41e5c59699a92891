"""A meeting's numbers scored again from the input it kept: "as known at the meeting"
means the values *and* the structure of the meeting (docs/governance.md).

Meetings held before the whole input was kept (``engine_input`` empty) can only be
re-scored with today's structure; :func:`meeting_scores` says so, and when the
structure changed since, the note of kpis/structure.py tells the reader.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.utils.translation import gettext as _

from scorecard.engine.evaluate import ScorecardInput, ScorecardResult, evaluate_scorecard
from scorecard.engine.snapshot import SnapshotError, input_from_json
from scorecard.engine.types import View
from scorecard.kpis.evaluation import scorecard_evaluate
from scorecard.kpis.structure import structure_changed_after

from .models import ReviewMeeting

log = logging.getLogger(__name__)


def meeting_input(meeting: ReviewMeeting) -> ScorecardInput | None:
    """The engine input the meeting scored, or None when it kept none (older meetings)
    or the stored one cannot be read (logged; the caller falls back and says so)."""
    if not meeting.engine_input:
        return None
    try:
        return input_from_json(meeting.engine_input)
    except SnapshotError:
        log.warning("Review meeting %s: its stored input cannot be read", meeting.pk, exc_info=True)
        return None


@dataclass(frozen=True)
class MeetingScores:
    """The meeting's numbers scored again, and whether that was from the kept input."""

    result: ScorecardResult
    input: ScorecardInput | None
    #: empty when scored from the kept input; else why the numbers may differ
    note: str = ""

    @property
    def frozen(self) -> bool:
        return self.input is not None


def meeting_scores(meeting: ReviewMeeting) -> MeetingScores:
    """The meeting's scores for its as-of date and period: from the kept input (the
    numbers of the meeting, exactly), else re-scored as known at the meeting with
    today's structure, with a note saying so."""
    sc = meeting_input(meeting)
    if sc is not None:
        return MeetingScores(
            evaluate_scorecard(sc, as_of=meeting.as_of, view=View(meeting.view)), sc
        )
    result = scorecard_evaluate(
        scorecard=meeting.scorecard,
        as_of=meeting.as_of,
        view=meeting.view,
        known_at=meeting.known_at,
    )
    return MeetingScores(result, None, fallback_note(meeting))


def fallback_note(meeting: ReviewMeeting) -> str:
    """What a meeting without a kept input says about numbers recomputed for it (one
    query): when the structure changed since, and how."""
    change = structure_changed_after(meeting.scorecard_id, meeting.known_at)
    if change:
        return change.note
    return _(
        "This meeting was held before Scorecard kept the structure it scored; its numbers "
        "are recomputed with today's weights and formulas, unchanged since."
    )
