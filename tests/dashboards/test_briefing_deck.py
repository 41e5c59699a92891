"""The briefing deck of two demo scorecards, read back with python-pptx: the contents, a
summary slide per scorecard with a native chart of the perspectives' scores, and tables
whose numbers are the scorecard page's."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from pptx import Presentation

from scorecard.interchange.services import DEMO_FILE, document_load_file
from scorecard.kpis.scorecard_selectors import scorecard_page
from scorecard.presentation.numbers import format_number, pct, status_label
from scorecard.strategy.models import Scorecard

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(settings: Any) -> Client:
    settings.SCORECARD_TODAY = "2026-11-23"
    document_load_file(DEMO_FILE)
    client = Client()
    client.force_login(get_user_model().objects.get(username="viewer"))
    return client


def slide_texts(slide: Any) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]


def table_rows(slide: Any) -> dict[str, list[str]]:
    table = next(s for s in slide.shapes if s.has_table).table
    return {
        table.cell(r, 0).text.strip(): [table.cell(r, c).text for c in range(1, 5)]
        for r in range(1, len(table.rows))
    }


def test_a_deck_of_two_scorecards_has_the_scorecard_pages_numbers(viewer: Client) -> None:
    cards = list(Scorecard.objects.filter(organization__slug="northwind").order_by("name"))
    assert len(cards) >= 2
    company = Scorecard.objects.get(organization__slug="northwind", slug="company")
    other = next(c for c in cards if c.slug != "company")
    answer = viewer.get(f"/o/northwind/briefing.pptx?scorecards=company,{other.slug}")
    assert answer.status_code == 200
    assert answer["Content-Disposition"] == (
        'attachment; filename="northwind-briefing-2026-11-23.pptx"'
    )
    deck = Presentation(io.BytesIO(answer.content))
    slides = list(deck.slides)
    assert slides[0].shapes.title.text == "Briefing book of Northwind Outdoor"
    contents = " ".join(slide_texts(slides[1]))
    assert company.name in contents and other.name in contents
    assert contents.index(company.name) < contents.index(other.name)

    for card in (company, other):
        page = scorecard_page(scorecard=card, as_of=dt.date(2026, 11, 23), view="period")
        summary = next(
            s for s in slides if s.shapes.title.text == f"{card.name}: {pct(page.result.score)}"
        )
        chart = next(s for s in summary.shapes if s.has_chart).chart
        assert list(chart.plots[0].categories) == [p.perspective.name for p in page.perspectives]
        assert list(chart.series[0].values) == [
            round((p.result.score or 0) * 100, 1) for p in page.perspectives
        ]
        for p in page.perspectives:
            title = f"{card.name} · {p.perspective.name}: {pct(p.result.score)}"
            slide = next(s for s in slides if s.shapes.title.text == title)
            rows = table_rows(slide)
            for o in p.objectives:
                assert rows[o.objective.name][2:] == [
                    pct(o.result.score), status_label(o.result.status)
                ]  # fmt: skip
                for k in o.kpis:
                    r = k.result
                    assert rows[k.kpi.name] == [
                        format_number(r.value, k.kpi.unit), format_number(r.target, k.kpi.unit),
                        pct(r.performance), status_label(r.status),
                    ]  # fmt: skip
    revenue = table_rows(
        next(s for s in slides if s.shapes.title.text.startswith(f"{company.name} · Financial"))
    )["Revenue"]
    assert revenue == ["1,978,000\u00a0€", "2,300,000\u00a0€", "54.0\u00a0%", "Yellow"]


def test_a_deck_explains_an_unknown_scorecard(viewer: Client) -> None:
    answer = viewer.get("/o/northwind/briefing.pptx?scorecards=company,nope")
    assert answer.status_code == 400
    assert "No scorecard “nope” in Northwind Outdoor" in answer.content.decode()
