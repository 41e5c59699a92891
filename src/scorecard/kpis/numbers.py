"""Reading numbers as people type them, the one rule of the grid, the forms and imports.

A point is the decimal mark. Spaces (also non-breaking and narrow ones) are dropped
anywhere; commas only where they group thousands (``2,105,000``, ``82,000.5``): a comma
anywhere else (``1,5``) is not guessed at and is refused with a hint. The typographic
minus sign (U+2212) reads as a minus.
"""

from __future__ import annotations

import math
import re

#: A number whose commas group thousands, for example ``-2,105,000.25``.
GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def normalize(text: str) -> str:
    """``text`` without spaces and thousands separators: ``2,105 000`` → ``2105000``.

    Commas that do not group thousands stay, so that reading it fails.
    """
    cleaned = _SPACES.sub("", text or "").replace("\u2212", "-")
    if "," in cleaned and GROUPED.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    return cleaned


def number_from_text(text: str) -> float:
    """The finite number ``text`` writes, or ValueError with the reason in words.

    An empty text is an error too; callers that allow empty cells check first.
    """
    cleaned = normalize(text)
    if not cleaned:
        raise ValueError("the value is empty")
    try:
        number = float(cleaned)
    except ValueError:
        shown = text.strip()
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        hint = ""
        if "," in cleaned:
            hint = " (use a point for decimals; commas may only group thousands, e.g. 1,234.5)"
        elif cleaned.endswith("%"):
            hint = " (leave out the % sign)"
        raise ValueError(f"'{shown}' is not a number{hint}") from None
    if not math.isfinite(number):
        raise ValueError(f"'{text.strip()}' is not a finite number")
    return number
