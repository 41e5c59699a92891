"""Writes of commentary: an owner's text for one subject and period, kept with history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext

from scorecard import clock
from scorecard.audit.services import record_change, snapshot
from scorecard.engine.periods import Period
from scorecard.strategy.models import Scorecard

from .models import Commentary

#: The longest text kept (a paragraph or two before a meeting, not a report).
MAX_LENGTH = 4000
FIELDS = ["subject", "key", "period_start", "period_end", "text"]


def history_label(subject: str, key: str, period: Period) -> str:
    """The history entries' label: one subject's text for one period (it outlives the row)."""
    return f"Commentary on {subject} {key} for {period.start.isoformat()}"


@transaction.atomic
def commentary_save(
    *,
    scorecard: Scorecard,
    subject: str,
    key: str,
    period: Period,
    text: str,
    generated: str = "",
    user: Any = None,
) -> Commentary | None:
    """Keep ``text`` as the commentary of the subject for ``period``. An empty text (or
    the generated one) goes back to the generated text: the saved row is removed, its
    words stay in the change history. Returns the row kept, or None."""
    if subject not in Commentary.Subject.values:
        raise ValidationError({"subject": f"“{subject}” is not a kind of commentary."})
    text = text.strip().replace("\r\n", "\n")
    if len(text) > MAX_LENGTH:
        message = gettext(
            "The commentary is %(length)s characters long; at most %(limit)s are kept."
        ) % {
            "length": number_format(len(text), force_grouping=True),
            "limit": number_format(MAX_LENGTH, force_grouping=True),
        }
        raise ValidationError({"text": message})
    row = (
        Commentary.objects.select_for_update()
        .filter(scorecard=scorecard, subject=subject, key=key, period_start=period.start)
        .first()
    )
    label = history_label(subject, key, period)
    if not text or text == generated.strip():
        if row is not None:
            record_change(
                obj=row, before=snapshot(row, FIELDS), after=None, actor=user, label=label
            )
            row.delete()
        return None
    if row is None:
        row = Commentary.objects.create(
            scorecard=scorecard, subject=subject, key=key, period_start=period.start,
            period_end=period.end, text=text, generated=generated, edited_by=user,
            edited_at=clock.now(),
        )  # fmt: skip
        record_change(obj=row, before=None, after=snapshot(row, FIELDS), actor=user, label=label)
        return row
    before = snapshot(row, FIELDS)
    row.text, row.generated, row.edited_by, row.edited_at = text, generated, user, clock.now()
    row.save()
    record_change(obj=row, before=before, after=snapshot(row, FIELDS), actor=user, label=label)
    return row
