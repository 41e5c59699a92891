"""Where an editor put the boxes of a scorecard's strategy map by hand.

No row for an objective means: the automatic layout places it (so objectives added
later, and every box after "Re-arrange automatically", follow the automatic layout).
"""

from __future__ import annotations

from django.db import models

from scorecard.strategy.models import Objective, Scorecard


class MapPosition(models.Model):
    """One box placed by hand: its left edge and its height within its perspective's
    band, in the map's drawing units (presentation/strategy_map.py)."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="+")
    objective = models.OneToOneField(
        Objective, on_delete=models.CASCADE, related_name="map_position"
    )
    x = models.FloatField()
    dy = models.FloatField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["scorecard_id", "objective_id"]

    def __str__(self) -> str:
        return f"{self.objective_id} at ({self.x:.0f}, {self.dy:.0f})"
