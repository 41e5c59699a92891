"""``{{ share|share }}``: a cascading share as people say it. The cascading panels
themselves (the "why" chain, an objective's alignment, a unit's rolled-up values) get
their data from web/panels.py through their views."""

from __future__ import annotations

from typing import Any

from django import template

from scorecard.presentation.numbers import format_number

register = template.Library()


@register.filter
def share(value: Any) -> str:
    """A contribution share as people say it: 0.6 → ``60 %``, 1/3 → ``33.3 %``."""
    if value is None:
        return format_number(None)
    return format_number(round(float(value) * 100, 1), "%")
