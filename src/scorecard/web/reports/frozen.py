"""``?meeting=<id>`` on a report: the report of a review meeting, scored from the whole
input the meeting kept (its values and its structure), for its as-of date and period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from scorecard.engine.evaluate import ScorecardInput
from scorecard.meetings.frozen import meeting_input
from scorecard.meetings.models import ReviewMeeting
from scorecard.strategy.models import Scorecard


@dataclass(frozen=True)
class MeetingReport:
    """What a meeting's report is made of."""

    as_of: dt.date
    view: str
    known_at: dt.datetime
    frozen: ScorecardInput | None
    title: str


def meeting_report(scorecard: Scorecard, raw: Any) -> MeetingReport | None:
    """The meeting ``raw`` names, of this scorecard only; None for anything else (the
    report is then the plain one of the query string)."""
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None
    meeting = ReviewMeeting.objects.filter(scorecard=scorecard, pk=pk).first()
    if meeting is None:
        return None
    return MeetingReport(
        meeting.as_of, meeting.view, meeting.known_at, meeting_input(meeting), meeting.title
    )
