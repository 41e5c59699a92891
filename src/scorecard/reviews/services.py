"""Writes for comments."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from scorecard import clock
from scorecard.audit.services import mentions_notify
from scorecard.initiatives.models import Initiative
from scorecard.kpis.models import Kpi
from scorecard.strategy.models import Objective

from .models import Comment

MAX_COMMENT = 4000


@transaction.atomic
def comment_add(
    *, item: Kpi | Objective | Initiative, author: Any, text: str, url: str = ""
) -> Comment:
    """Add a member's comment to a KPI, an objective or an initiative.

    Members mentioned as ``@username`` are notified (see audit.services.mentions_notify);
    ``url`` is the item's address for the e-mail.
    """
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write something first."})
    if len(text) > MAX_COMMENT:
        raise ValidationError({"text": f"A comment can be at most {MAX_COMMENT} characters."})
    field = {Kpi: "kpi", Objective: "objective", Initiative: "initiative"}[type(item)]
    comment = Comment.objects.create(
        **{field: item}, author=author, text=text, created_at=clock.now()
    )
    mentions_notify(comment=comment, url=url)
    return comment


def comment_add_to_kpi(*, kpi: Kpi, author: Any, text: str, url: str = "") -> Comment:
    """Add a member's comment to a KPI."""
    return comment_add(item=kpi, author=author, text=text, url=url)
