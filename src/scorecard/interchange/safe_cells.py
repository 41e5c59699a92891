"""Spreadsheet cells that cannot turn into formulas (CSV/formula injection).

Text that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return,
which some programs skip before reading a formula) is run as a formula by
Excel, LibreOffice and Google Sheets: a KPI named ``=HYPERLINK("http://…")``
would become a live link in a report. Every text cell an export or report writes
goes through :func:`safe_value`, which puts an apostrophe in front of such text
so it stays text. Numbers, dates and None pass unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: The first characters that make spreadsheet programs read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What a text cell gets in front when it would otherwise start a formula.
ESCAPE = "'"


def needs_escape(text: str) -> bool:
    """True when ``text`` must be escaped in CSV: it starts a formula, or it starts with
    the escape mark followed by something :func:`unescape_text` would remove."""
    if not text:
        return False
    if text.startswith(FORMULA_STARTS):
        return True
    return len(text) > 1 and text[0] == ESCAPE and text[1] in (*FORMULA_STARTS, ESCAPE)


def escape_text(text: str) -> str:
    """A CSV text cell made safe: ``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``.

    The rule is reversible (``unescape_text(escape_text(s)) == s`` for every string),
    which is why a text that already starts with ``'=`` or ``''`` gets one more
    apostrophe: an export read back in gives the very same notes and names.
    """
    return ESCAPE + text if needs_escape(text) else text


def unescape_text(text: str) -> str:
    """Undo :func:`escape_text` (a lone apostrophe elsewhere in a text is kept)."""
    if len(text) > 1 and text[0] == ESCAPE and text[1] in (*FORMULA_STARTS, ESCAPE):
        return text[1:]
    return text


def safe_text(text: str) -> str:
    """``=1+1`` → ``'=1+1``; any other text unchanged (see :func:`escape_text`)."""
    return escape_text(text)


def safe_value(value: Any) -> Any:
    """A cell value that is never a formula: text made safe, other values unchanged."""
    return safe_text(value) if isinstance(value, str) else value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """A whole row of cell values made safe (for ``worksheet.append`` or ``csv.writer``)."""
    return [safe_value(value) for value in values]
