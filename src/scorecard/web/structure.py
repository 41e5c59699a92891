"""The note a page of an earlier moment shows when it is scored with today's structure."""

from __future__ import annotations

import datetime as dt

from scorecard.kpis.structure import structure_changed_after
from scorecard.strategy.models import Scorecard


def structure_note(scorecard: Scorecard, known_at: dt.datetime | None) -> str:
    """Empty for today's numbers and when nothing in the structure changed since
    ``known_at``; else "Scored with today's weights and formulas; the structure changed
    on …" (one query)."""
    if known_at is None:
        return ""
    change = structure_changed_after(scorecard.pk, known_at)
    return change.note if change else ""
