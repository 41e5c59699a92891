"""No arithmetic in templates (issue 13): a number is computed in selectors or the
presentation layer and a template only formats it. Django's ``add`` filter turns
13.86 into 13 (it adds integers, and gives up on anything else), ``widthratio``
rounds; both once made pages disagree with the API."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import scorecard
from scorecard.presentation.numbers import bar_width, percent_input
from scorecard.presentation.reports.pdf import report_html
from scorecard.reports.data import report_data
from tests.factories import InitiativeFactory

ROOT = Path(scorecard.__file__).parent
#: Template tags and filters that do arithmetic.
ARITHMETIC = re.compile(r"\|\s*add\s*:|\{%\s*widthratio\b|\|\s*(?:sub|mul|div|mod)\s*:")


def templates() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*")
        if "templates" in path.parts and path.suffix in {".html", ".txt", ".xml", ".css"}
    )


def test_templates_are_found() -> None:
    names = {p.name for p in templates()}
    assert {"funnel.html", "report.html", "columns.html"} <= names


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_does_arithmetic(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [
        f"line {text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}"
        for m in ARITHMETIC.finditer(text)
    ]
    assert not found, (
        f"{path.relative_to(ROOT)} computes in the template ({', '.join(found)}); "
        "compute the number in a selector or presentation/ and only format it here"
    )


def test_the_pattern_catches_the_old_mistakes() -> None:
    for bad in (
        "{{ row.result|add:row.gain }}",
        "{{ columns|length|add:1 }}",
        "{% widthratio i.shown_progress 1 100 %}",
        "{{ a | add: b }}",
    ):
        assert ARITHMETIC.search(bad), bad
    assert not ARITHMETIC.search("{{ lever.result_relative|num:unit }} {{ x|address }}")


@pytest.mark.parametrize(
    ("value", "width"),
    [(0.425, "42.5"), (0.5, "50"), (1.3, "100"), (-0.2, "0"), (None, "0"), (0.1386, "13.9")],
)
def test_bar_width(value: float | None, width: str) -> None:
    assert bar_width(value) == width


@pytest.mark.parametrize(
    ("share", "shown"),
    [(0.5, "50"), (0.3333, "33.33"), (1, "100"), (0.125, "12.5"), (0, "0"), (None, "")],
)
def test_a_share_is_edited_as_a_percent_at_full_precision(share: float | None, shown: str) -> None:
    assert percent_input(share) == shown


@pytest.mark.django_db
def test_the_report_draws_progress_bars_from_bar_width(world) -> None:  # type: ignore[no-untyped-def]
    InitiativeFactory(scorecard=world.scorecard, name="Open a shop", progress=0.425)
    data = report_data(
        scorecard=world.scorecard,
        as_of=dt.date(2026, 10, 31),
        view="period",
        generated_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
    )
    text = report_html(data)
    assert '<span style="width: 42.5%"></span>' in text  # widthratio drew 42 %
