"""Reading numbers as people type them into forms: ``1,234,567``, ``1 234,5`` is not
guessed at; thousands separators (commas, spaces, non-breaking spaces) are dropped and a
point is the decimal mark, the same rule for every form of the app."""

from __future__ import annotations

import math


def clean_number(raw: str) -> str:
    """User input minus thousands separators and spaces: ``1,234 567`` → ``1234567``."""
    return "".join(raw.split()).replace(",", "").replace("\u00a0", "")


def parse_number(raw: str | None) -> float | None:
    """A number typed by a person (thousands separators allowed), or None when empty.

    Raises ValueError for text that is not a finite number.
    """
    text = clean_number(raw or "")
    if not text:
        return None
    number = float(text.replace("\u2212", "-"))
    if not math.isfinite(number):
        raise ValueError(text)
    return number
