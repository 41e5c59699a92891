"""Help where the question arises: every term a template explains exists in the glossary,
the glossary page lists them all, and a term renders as an abbr with a tooltip and link."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import Context, Template

from scorecard.presentation.glossary import TERMS, gap_text

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "scorecard" / "web" / "templates"
TERM_TAG = re.compile(r"""{%\s*term\s+["'](\w+)["']""")


def _linked_terms() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in TEMPLATES.rglob("*.html"):
        for key in TERM_TAG.findall(path.read_text()):
            found.setdefault(key, []).append(path.name)
    return found


def test_every_linked_term_exists_in_the_glossary() -> None:
    linked = _linked_terms()
    assert {"score", "progress", "status", "trend", "leading", "lagging"} <= set(linked)
    assert set(linked) - set(TERMS) == set()


@pytest.mark.django_db
def test_the_glossary_page_explains_every_term(client) -> None:
    html = client.get("/help/").content.decode()
    for key, term in TERMS.items():
        assert f'<dt id="{key}">{term.label}</dt>' in html
    for word in ["% of target", "Coverage", "Missing-data policy", "Leading", "Lagging"]:
        assert word in html


def test_a_term_is_an_abbr_with_its_tooltip_and_a_glossary_link() -> None:
    html = Template('{% load help %}{% term "score" "Overall score" %}').render(Context())
    assert '<abbr title="How well' in html and 'data-tip="How well' in html
    assert 'tabindex="0">Overall score</abbr>' in html
    assert 'href="/help/#score"' in html and 'aria-label="Score in the glossary"' in html


class _Result:
    def __init__(self, value, target):
        self.value, self.target = value, target


@pytest.mark.parametrize(
    ("value", "target", "optimization", "unit", "text"),
    [
        (1978000, 2300000, "maximize", "€", "322,000 € short of the target"),
        (110, 100, "maximize", "", "10 beyond the target"),
        (12, 10, "minimize", "%", "2 % over the target"),
        (8, 10, "minimize", "%", "2 % better than the target"),
        (5, 5, "maximize", "", "on target"),
        (None, 5, "maximize", "", ""),
        (5, None, "maximize", "", ""),
    ],
)
def test_gap_in_words(value, target, optimization, unit, text) -> None:
    assert gap_text(_Result(value, target), optimization, unit).replace("\xa0", " ") == text
