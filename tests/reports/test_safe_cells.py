"""Text that spreadsheet programs would run as a formula stays text."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from scorecard.interchange.safe_cells import safe_row, safe_text, safe_value


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        (
            '=HYPERLINK("http://evil.example","click")',
            '\'=HYPERLINK("http://evil.example","click")',
        ),
        ("+49 30 1234", "'+49 30 1234"),
        ("-5 after the audit", "'-5 after the audit"),
        ("@SUM(A1:A3)", "'@SUM(A1:A3)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Revenue", "Revenue"),
        ("1+1=2", "1+1=2"),
        ("", ""),
        ("'quoted", "'quoted"),
    ],
)
def test_safe_text(text: str, written: str) -> None:
    assert safe_text(text) == written


@pytest.mark.parametrize(
    "value", [-5, -0.5, 12.5, 0, None, dt.date(2026, 1, 1), dt.datetime(2026, 1, 1, 9, 0)]
)
def test_values_that_are_not_text_pass_unchanged(value: Any) -> None:
    assert safe_value(value) is value


def test_safe_row() -> None:
    assert safe_row(["=cmd", -1, "ok", None]) == ["'=cmd", -1, "ok", None]
