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


def safe_text(text: str) -> str:
    """``=1+1`` → ``'=1+1``; any other text unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_value(value: Any) -> Any:
    """A cell value that is never a formula: text made safe, other values unchanged."""
    return safe_text(value) if isinstance(value, str) else value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """A whole row of cell values made safe (for ``worksheet.append`` or ``csv.writer``)."""
    return [safe_value(value) for value in values]
