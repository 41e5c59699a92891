"""Writes for comments."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from scorecard import clock
from scorecard.kpis.models import Kpi

from .models import Comment

MAX_COMMENT = 4000


@transaction.atomic
def comment_add_to_kpi(*, kpi: Kpi, author: Any, text: str) -> Comment:
    """Add a member's comment to a KPI."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write something first."})
    if len(text) > MAX_COMMENT:
        raise ValidationError({"text": f"A comment can be at most {MAX_COMMENT} characters."})
    return Comment.objects.create(kpi=kpi, author=author, text=text, created_at=clock.now())
