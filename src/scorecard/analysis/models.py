"""Items of a scorecard's SWOT and PESTEL boards."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy

from scorecard.strategy.models import Objective, Scorecard

#: Each board and its categories, in the order the board shows them.
#: The labels are lazy translations: str() them before they leave for JSON or the database.
BOARDS: dict[str, tuple[Any, list[tuple[str, Any]]]] = {
    "swot": (
        gettext_lazy("SWOT"),
        [("strength", gettext_lazy("Strengths")), ("weakness", gettext_lazy("Weaknesses")),
         ("opportunity", gettext_lazy("Opportunities")), ("threat", gettext_lazy("Threats"))],
    ),
    "pestel": (
        gettext_lazy("PESTEL"),
        [("political", gettext_lazy("Political")), ("economic", gettext_lazy("Economic")),
         ("social", gettext_lazy("Social")), ("technological", gettext_lazy("Technological")),
         ("environmental", gettext_lazy("Environmental")), ("legal", gettext_lazy("Legal"))],
    ),
}  # fmt: skip


class AnalysisItem(models.Model):
    """One note on a board (e.g. a strength, or an economic factor). ``objective`` is the
    objective made from it, so the objective keeps where it came from."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="analysis")
    board = models.CharField(max_length=10, choices=[(k, v[0]) for k, v in BOARDS.items()])
    category = models.CharField(max_length=20)
    text = models.CharField(max_length=500)
    position = models.PositiveIntegerField(default=0)
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="analysis_items"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["scorecard_id", "board", "category", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def category_label(self) -> str:
        return str(dict(BOARDS[self.board][1]).get(self.category, self.category))

    @property
    def board_label(self) -> str:
        return str(BOARDS[self.board][0])
