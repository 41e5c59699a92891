"""A saved book's added sections: the risk register, the latest review meeting's
decisions and the commentary in words, in the PDF (read back with pdftotext) and as
slides of the deck (read back with python-pptx), compared with what was recorded and
with the engine's scores."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from scorecard import clock
from scorecard.commentary.models import Commentary
from scorecard.commentary.selectors import scorecard_facts, subject_period
from scorecard.commentary.services import commentary_save
from scorecard.deliveries.models import Book
from scorecard.kpis.scorecard_selectors import scorecard_page
from scorecard.meetings.services import decision_add, meeting_create
from scorecard.presentation.commentary import subject_text
from scorecard.presentation.numbers import format_number, pct
from scorecard.risks.services import risk_create
from tests.deliveries.test_deliveries import (  # noqa: F401 (fixture)
    cards,
    pdf_text,
    schedule_monthly,
    sweep_on,
)
from tests.factories import InitiativeFactory, KpiFactory, MeasurementFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 10, 31)


def assemble(world: Any, cards: list[Any], **extra: Any) -> Any:  # noqa: F811
    form = {
        "name": "October board", "scorecards": [c.pk for c in cards], "view": "ytd",
        "as_of": AS_OF.isoformat(), "known": "", "include_initiatives": "on",
        "include_risks": "on", "include_decisions": "on", "include_commentary": "on",
    }  # fmt: skip
    form.update(extra)
    return world.client_for("editor").post("/o/northwind/books/new/", form)


@pytest.fixture
def recorded(world: Any, cards: list[Any]) -> dict[str, Any]:  # noqa: F811
    """A risk, three meetings (the latest before the as-of date decides two things), an
    edited commentary for the company scorecard."""
    company = cards[0]
    world.editor.first_name, world.editor.last_name = "Eda", "Editor"
    world.editor.save()
    loyalty = InitiativeFactory(scorecard=company, name="Loyalty programme")
    risk_create(
        scorecard=company, title="Key account churns", likelihood=4, impact=5,
        likelihood_after=2, impact_after=3, owner=world.editor, initiatives=[loyalty],
    )  # fmt: skip
    risk_create(scorecard=company, title="Supplier <b>late</b>", likelihood=1, impact=2)
    with clock.frozen_at(dt.date(2026, 11, 20)):
        early = meeting_create(scorecard=company, title="September review",
                               held_on=dt.date(2026, 10, 2))  # fmt: skip
        decision_add(meeting=early, text="Old decision", owner=world.editor)
        latest = meeting_create(scorecard=company, title="October review",
                                held_on=dt.date(2026, 10, 28))  # fmt: skip
        decision_add(meeting=latest, text="Call the top ten accounts", owner=world.editor,
                     deadline=dt.date(2026, 11, 15))  # fmt: skip
        decision_add(meeting=latest, text="Review pricing", owner=world.editor)
        meeting_create(scorecard=company, title="November review", held_on=dt.date(2026, 11, 5))
    page = scorecard_page(scorecard=company, as_of=AS_OF, view="ytd")
    facts = scorecard_facts(page=page, as_of=AS_OF, view="ytd")
    assert facts.scorecard is not None
    period = subject_period(facts, Commentary.Subject.SCORECARD, company.slug)
    assert period is not None
    commentary_save(
        scorecard=company, subject=Commentary.Subject.SCORECARD, key=company.slug,
        period=period, text="Loyalty held up in October.", user=world.editor,
    )  # fmt: skip
    [perspective] = page.perspectives
    generated = subject_text(facts.perspectives[str(perspective.perspective.pk)])
    return {"perspective": perspective, "generated": generated}


def test_a_book_with_risks_decisions_and_commentary(
    world: Any,
    cards: list[Any],  # noqa: F811
    recorded: dict[str, Any],
    tmp_path: Path,
) -> None:
    assert assemble(world, cards[:1]).status_code == 302
    book = Book.objects.get()
    assert (book.include_risks, book.include_decisions, book.include_commentary) == (
        True, True, True,
    )  # fmt: skip
    perspective = recorded["perspective"]
    score = pct(perspective.result.score)
    assert score in recorded["generated"]  # the words carry the engine's score
    viewer = world.client_for("viewer")
    deck = Presentation(io.BytesIO(viewer.get(f"/o/northwind/books/{book.pk}/book.pptx").content))
    slides = {s.shapes.title.text: s for s in deck.slides}
    risks = slides["Company · Risks"]
    [table] = [s.table for s in risks.shapes if s.has_table]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows == [
        ["Risk", "Level", "After mitigation", "Owner", "Mitigating initiatives"],
        ["Key account churns", "critical", "medium", "Eda Editor", "Loyalty programme"],
        ["Supplier <b>late</b>", "low", "not rated", "—", "—"],
    ]
    decisions = slides["Company · Decisions of the latest review: October review (28 Oct 2026)"]
    [table] = [s.table for s in decisions.shapes if s.has_table]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Decision", "Owner", "Due"],
        ["Call the top ten accounts", "Eda Editor", "15 Nov 2026"],
        ["Review pricing", "Eda Editor", "—"],
    ]
    [commentary] = [s for title, s in slides.items() if title.startswith("Company · Commentary")]
    words = " ".join(s.text_frame.text for s in commentary.shapes if s.has_text_frame)
    assert "Company (edited)" in words and "Loyalty held up in October." in words
    assert recorded["generated"] in words and perspective.perspective.name in words
    if shutil.which("pdftotext"):
        text = pdf_text(viewer.get(f"/o/northwind/books/{book.pk}/book.pdf").content, tmp_path)
        assert "Company — risks, decisions, commentary page" in text
        assert "Key account churns critical medium Eda Editor Loyalty programme" in text
        assert "Supplier <b>late</b> low not rated" in text  # escaped, shown as written
        assert "October review (28 Oct 2026)" in text
        assert "Call the top ten accounts Eda Editor 15 Nov 2026" in text
        assert "Old decision" not in text and "November review" not in text
        assert "Loyalty held up in October." in text
        assert " ".join(recorded["generated"].replace("\u00a0", " ").split()) in text


def test_sections_are_off_unless_chosen_and_say_when_empty(
    world: Any,
    cards: list[Any],  # noqa: F811
    tmp_path: Path,
) -> None:
    assemble(world, cards[1:], include_risks="", include_commentary="", include_decisions="")
    book = Book.objects.get()
    viewer = world.client_for("viewer")
    deck = Presentation(io.BytesIO(viewer.get(f"/o/northwind/books/{book.pk}/book.pptx").content))
    titles = [s.shapes.title.text for s in deck.slides]
    assert not any("Risks" in t or "Decisions" in t or "Commentary" in t for t in titles)
    Book.objects.filter(pk=book.pk).update(include_risks=True, include_decisions=True)
    deck = Presentation(io.BytesIO(viewer.get(f"/o/northwind/books/{book.pk}/book.pptx").content))
    texts = {
        s.shapes.title.text: " ".join(x.text_frame.text for x in s.shapes if x.has_text_frame)
        for s in deck.slides
    }
    assert "No risks recorded." in texts["Sales · Risks"]
    assert "No review meeting held yet." in texts["Sales · Decisions of the latest review"]
    if shutil.which("pdftotext"):
        text = pdf_text(viewer.get(f"/o/northwind/books/{book.pk}/book.pdf").content, tmp_path)
        assert "Sales — risks, decisions page" in text and "No risks recorded." in text


def test_a_book_of_chosen_objectives_and_their_kpis(
    world: Any,
    cards: list[Any],  # noqa: F811
    tmp_path: Path,
) -> None:
    company, sales = cards
    nps_up = company.perspectives.get().objectives.get()
    churn_down = ObjectiveFactory(perspective=nps_up.perspective, name="Churn down")
    churn = KpiFactory(objective=churn_down, code="churn", name="Churn rate")
    MeasurementFactory(kpi=churn, period_start=dt.date(2026, 10, 1), value=3.0)
    sales_aim = sales.perspectives.get().objectives.get()
    # An objective of a scorecard not in the book is refused with a message.
    bad = assemble(world, [company], objectives=[sales_aim.pk])
    assert bad.status_code == 422
    assert "Choose objectives of the chosen scorecards" in bad.content.decode()
    assert assemble(world, cards, objectives=[nps_up.pk], include_commentary="").status_code == 302
    book = Book.objects.get()
    assert list(book.objectives.all()) == [nps_up]
    viewer = world.client_for("viewer")
    deck = Presentation(io.BytesIO(viewer.get(f"/o/northwind/books/{book.pk}/book.pptx").content))
    rows = [
        [c.text for c in row.cells]
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
    ]
    names = [r[0].strip() for r in rows]
    # Company: only the chosen objective and its KPI; Sales (none chosen): all of it.
    assert "Net promoter score up" in names and "Net promoter score" in names
    assert "Churn down" not in names and "Churn rate" not in names
    assert "Monthly revenue" in names
    page = scorecard_page(scorecard=company, as_of=AS_OF, view="ytd")
    [row] = [r for r in rows if r[0].strip() == "Net promoter score"]
    result = page.result.kpis["nps"]
    assert row[1] == format_number(result.value, "%") == "61\u00a0%"
    assert row[3] == pct(result.performance)
    if shutil.which("pdftotext"):
        text = pdf_text(viewer.get(f"/o/northwind/books/{book.pk}/book.pdf").content, tmp_path)
        assert "Net promoter score" in text and "Monthly revenue" in text
        assert "Churn" not in text


def test_the_deck_charts_each_kpi_history_of_the_chosen_perspective(
    world: Any,
    cards: list[Any],  # noqa: F811
) -> None:
    company, sales = cards
    nps = company.perspectives.get().objectives.get().kpis.get()
    MeasurementFactory(kpi=nps, period_start=dt.date(2026, 9, 1), value=58.0)
    part = company.perspectives.get()
    answer = assemble(
        world, cards, perspectives=[part.pk, sales.perspectives.get().pk],
        include_kpi_charts="on", include_commentary="", include_risks="",
        include_decisions="",
    )  # fmt: skip
    assert answer.status_code == 302
    book = Book.objects.get()
    assert book.include_kpi_charts
    viewer = world.client_for("viewer")
    deck = Presentation(io.BytesIO(viewer.get(f"/o/northwind/books/{book.pk}/book.pptx").content))
    charts = {
        s.shapes.title.text: shape.chart
        for s in deck.slides
        for shape in s.shapes
        if shape.has_chart and "history" in s.shapes.title.text
    }
    assert set(charts) == {
        "Company · Net promoter score (%): history",
        "Sales · Monthly revenue (%): history",
    }
    chart = charts["Company · Net promoter score (%): history"]
    assert chart.chart_type == XL_CHART_TYPE.LINE_MARKERS
    page = scorecard_page(scorecard=company, as_of=AS_OF, view="ytd")
    history = list(page.result.kpis["nps"].history)[-12:]
    plot = chart.plots[0]
    assert list(plot.categories) == [f"{start:%b %Y}" for start, _, _ in history]
    values, targets = (list(series.values) for series in plot.series)
    assert [s.name for s in plot.series] == ["Value", "Target"]
    assert values == [value for _, value, _ in history]
    assert targets == [target for _, _, target in history]
    assert values[-2:] == [58.0, 61.0]
    # Without the option, no history slides.
    Book.objects.filter(pk=book.pk).update(include_kpi_charts=False)
    deck = Presentation(io.BytesIO(viewer.get(f"/o/northwind/books/{book.pk}/book.pptx").content))
    assert not any("history" in s.shapes.title.text for s in deck.slides)


def test_a_scheduled_book_sends_its_sections(
    world: Any,
    cards: list[Any],  # noqa: F811
    recorded: dict[str, Any],
    tmp_path: Path,
) -> None:
    assemble(world, cards[:1], include_decisions="", include_commentary="")
    book = Book.objects.get()
    schedule_monthly(world, [], book=book, recipients=[world.viewer])
    sweep_on(dt.date(2026, 12, 7))
    [message] = mail.outbox
    [(_, content, _)] = message.attachments
    if shutil.which("pdftotext"):
        text = pdf_text(content, tmp_path)
        assert "Company — risks page" in text
        assert "Key account churns critical medium Eda Editor Loyalty programme" in text
        assert "Decisions of the latest review" not in text
