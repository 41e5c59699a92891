"""Reading numbers as people type them, the one rule of the grid, the forms and imports.

The decimal mark follows the active language (the person's, docs/languages.md):

- English: a point is the decimal mark; commas only where they group thousands
  (``2,105,000``, ``82,000.5``): a comma anywhere else (``1,5``) is not guessed at and is
  refused with a hint.
- German, French, Spanish: a comma is the decimal mark (``1,5``); points only where they
  group thousands (``2.105.000``, ``82.000,5``). A lone point that groups no thousands
  (``12.5``, as a machine writes it) still reads as a decimal point; ``1.234`` is 1234.

Spaces (also non-breaking and narrow ones) are dropped anywhere in every language. The
typographic minus sign (U+2212) reads as a minus.
"""

from __future__ import annotations

import math
import re

from django.utils import formats, translation
from django.utils.translation import gettext_noop

from .sentences import said

#: A number whose commas group thousands, for example ``-2,105,000.25``.
GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
#: The same with points grouping and a decimal comma, for example ``-2.105.000,25``.
GROUPED_POINTS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def decimal_comma(language: str | None = None) -> bool:
    """True when ``language`` (default: the active one) writes decimals with a comma."""
    return (
        formats.get_format("DECIMAL_SEPARATOR", lang=language or translation.get_language()) == ","
    )


def normalize(text: str, comma: bool | None = None) -> str:
    """``text`` as Python reads numbers: ``2,105 000`` → ``2105000``; with a decimal comma
    (``comma``, default: the active language's) ``1.234,5`` → ``1234.5``.

    Separators that fit neither rule stay, so that reading it fails.
    """
    cleaned = _SPACES.sub("", text or "").replace("\u2212", "-")
    if comma is None:
        comma = decimal_comma()
    if comma:
        if GROUPED_POINTS.fullmatch(cleaned):
            cleaned = cleaned.replace(".", "")
        if cleaned.count(",") == 1 and "." not in cleaned:
            cleaned = cleaned.replace(",", ".")
        return cleaned
    if "," in cleaned and GROUPED.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    return cleaned


def number_from_text(text: str, comma: bool | None = None) -> float:
    """The finite number ``text`` writes, or ValueError with the reason in words.

    An empty text is an error too; callers that allow empty cells check first.
    """
    if comma is None:
        comma = decimal_comma()
    cleaned = normalize(text, comma)
    if not cleaned:
        raise ValueError(said(gettext_noop("the value is empty")))
    try:
        number = float(cleaned)
    except ValueError:
        shown = text.strip()
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        # The hint is a sentence of its own, so a kept reason is translated whole
        # (kpis/sentences.py); an empty hint stays plain text.
        hint: str = ""
        if comma and ("," in cleaned or cleaned.count(".") > 1):
            hint = said(
                gettext_noop(
                    " (use a comma for decimals; points may only group thousands, e.g. 1.234,5)"
                )
            )
        elif "," in cleaned:
            hint = said(
                gettext_noop(
                    " (use a point for decimals; commas may only group thousands, e.g. 1,234.5)"
                )
            )
        elif cleaned.endswith("%"):
            # xgettext:no-python-format
            hint = said(gettext_noop(" (leave out the % sign)"))
        raise ValueError(
            said(gettext_noop("'%(text)s' is not a number%(hint)s"), text=shown, hint=hint)
        ) from None
    if not math.isfinite(number):
        raise ValueError(said(gettext_noop("'%(text)s' is not a finite number"), text=text.strip()))
    return number
