"""Reading numbers as people type them into forms: the one rule of the app, shared with
imports (``scorecard.kpis.numbers``): a point is the decimal mark, spaces and commas that
group thousands (``1,234,567``) are dropped, ``1,5`` is not guessed at."""

from __future__ import annotations

from scorecard.kpis.numbers import normalize, number_from_text


def clean_number(raw: str) -> str:
    """User input minus thousands separators and spaces: ``1,234 567`` → ``1234567``
    (a comma that groups no thousands stays, so the value is refused)."""
    return normalize(raw or "")


def parse_number(raw: str | None) -> float | None:
    """A number typed by a person (thousands separators allowed), or None when empty.

    Raises ValueError (with the reason) for text that is not a finite number.
    """
    if not clean_number(raw or ""):
        return None
    return number_from_text(raw or "")
