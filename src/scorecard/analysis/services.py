"""Writes of the SWOT and PESTEL boards."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext

from scorecard import clock
from scorecard.strategy.models import Objective, Perspective, Scorecard
from scorecard.strategy.services import objective_create

from .models import BOARDS, AnalysisItem


@transaction.atomic
def item_add(*, scorecard: Scorecard, board: str, category: str, text: str) -> AnalysisItem:
    """Add a note to a board's category, at its end."""
    if board not in BOARDS:
        raise ValidationError(
            {"board": gettext("“%(board)s” is not a board; use swot or pestel.") % {"board": board}}
        )
    categories = dict(BOARDS[board][1])
    if category not in categories:
        raise ValidationError(
            {"category": gettext("A %(board)s board has no “%(category)s”; use one of %(choices)s.")
             % {"board": BOARDS[board][0], "category": category, "choices": ", ".join(categories)}}
        )  # fmt: skip
    text = text.strip()
    if not text:
        raise ValidationError({"text": gettext("Write what the item says.")})
    if len(text) > 500:
        raise ValidationError({"text": gettext("An item can be at most 500 characters.")})
    last = AnalysisItem.objects.filter(
        scorecard=scorecard, board=board, category=category
    ).aggregate(m=Max("position"))["m"]
    return AnalysisItem.objects.create(
        scorecard=scorecard, board=board, category=category, text=text,
        position=0 if last is None else last + 1, created_at=clock.now(),
    )  # fmt: skip


@transaction.atomic
def item_delete(*, item: AnalysisItem) -> None:
    """Remove an item (an objective made from it stays)."""
    item.delete()


@transaction.atomic
def item_to_objective(
    *, item: AnalysisItem, perspective: Perspective, name: str = "", code: str = ""
) -> Objective:
    """Make an objective from ``item`` in one of its scorecard's perspectives; the item
    keeps the link, and the objective's description says where it came from."""
    if item.objective_id is not None:
        raise ValidationError({"item": gettext("An objective was already made from this item.")})
    if perspective.scorecard_id != item.scorecard_id:
        raise ValidationError(
            {"perspective": gettext("Choose a perspective of the item's scorecard.")}
        )
    objective = objective_create(
        perspective=perspective,
        name=(name or item.text)[:200],
        code=code,
        description=gettext("From the %(board)s analysis (%(category)s): %(text)s")
        % {"board": item.board_label, "category": item.category_label, "text": item.text},
    )
    item.objective = objective
    item.save(update_fields=["objective"])
    return objective
