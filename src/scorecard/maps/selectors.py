"""Reads of the strategy map's hand-made layout."""

from __future__ import annotations

from scorecard.strategy.models import Scorecard

from .models import MapPosition


def map_positions(*, scorecard: Scorecard) -> dict[str, tuple[float, float]]:
    """Objective code → (x, dy) of every box placed by hand on the scorecard's map."""
    rows = MapPosition.objects.filter(scorecard=scorecard).select_related("objective")
    return {row.objective.code: (row.x, row.dy) for row in rows}
