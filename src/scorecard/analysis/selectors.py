"""Reads of the SWOT and PESTEL boards."""

from __future__ import annotations

from dataclasses import dataclass

from scorecard.strategy.models import Objective, Scorecard

from .models import BOARDS, AnalysisItem


@dataclass(frozen=True)
class Column:
    category: str
    label: str
    items: list[AnalysisItem]


def board_columns(*, scorecard: Scorecard, board: str) -> list[Column]:
    """The board's categories in order, each with its items (one query)."""
    items = list(
        AnalysisItem.objects.filter(scorecard=scorecard, board=board)
        .select_related("objective")
        .order_by("position", "pk")
    )
    return [
        Column(key, str(label), [i for i in items if i.category == key])
        for key, label in BOARDS[board][1]
    ]


def item_get(*, scorecard: Scorecard, pk: int) -> AnalysisItem | None:
    return AnalysisItem.objects.filter(scorecard=scorecard, pk=pk).first()


def items_of_objective(*, objective: Objective) -> list[AnalysisItem]:
    """The board items an objective was made from."""
    return list(AnalysisItem.objects.filter(objective=objective).order_by("board", "pk"))
