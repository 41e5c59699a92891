"""How long a text people type may be, checked in the services on every database.

SQLite does not enforce a column's length, so a 4.9 MB objective name used to be
stored (and a report of it ran for 21 minutes). Every text field has a maximum length
on its model (names 200, descriptions, visions and missions 10,000 characters); the
services call :func:`lengths_check` before saving, so a form, the API, a document and
an import are refused alike with a clear message, and nothing is saved.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

M = TypeVar("M", bound=models.Model)

#: Names of things (scorecards, objectives, KPIs, initiatives, units …).
NAME_MAX = 200
#: Descriptions, visions, missions: a few pages of text at most.
TEXT_MAX = 10_000
#: The largest number a value, target or threshold may have, either side of zero: a
#: thousand million million (10**15). Floats keep every digit of whole numbers up to
#: 2**53 (about 9·10**15); a value of 1e308 used to be saved, and the KPI's page, the
#: commentary and the reports then failed on its chart and forecast.
NUMBER_MAX = 1e15


def too_long(label: str, value: str, limit: int) -> str:
    return f"{label} is too long: {len(value):,} characters, at most {limit:,}."


def lengths_check(instance: models.Model) -> None:
    """Raise a ValidationError naming every text field of ``instance`` over its maximum."""
    errors: dict[str, str] = {}
    for field in instance._meta.concrete_fields:
        limit = getattr(field, "max_length", None)
        if not limit or not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str) and len(value) > limit:
            errors[field.name] = too_long(f"The {field.verbose_name}", value, limit)
    if errors:
        raise ValidationError(errors)


def checked_create(model: type[M], **fields: Any) -> M:
    """``model.objects.create(**fields)`` after :func:`lengths_check`."""
    instance = model(**fields)
    lengths_check(instance)
    instance.save(force_insert=True)
    return instance
