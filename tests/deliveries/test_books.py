"""Saved briefing books: an editor assembles one (chosen scorecards and perspectives,
without the map), members open it as PDF, PowerPoint and Excel for its saved period or
another one."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from openpyxl import load_workbook
from pptx import Presentation

from scorecard.deliveries.models import Book
from scorecard.strategy.models import Perspective
from tests.deliveries.test_deliveries import (  # noqa: F401 (fixture)
    cards,
    pdf_text,
    schedule_monthly,
    sweep_on,
)

pytestmark = pytest.mark.django_db


def assemble(world: Any, cards: list[Any], **extra: Any) -> Any:  # noqa: F811
    form = {
        "name": "October board", "scorecards": [c.pk for c in cards], "view": "ytd",
        "as_of": "2026-10-31", "known": "", "include_initiatives": "on",
    }  # fmt: skip
    form.update(extra)
    return world.client_for("editor").post("/o/northwind/books/new/", form)


def test_an_editor_assembles_a_book_a_viewer_opens_it(
    world: Any,
    cards: list[Any],  # noqa: F811
    tmp_path: Path,
) -> None:
    sales_part = Perspective.objects.get(scorecard=cards[1])
    # A perspective of a scorecard that is not in the book is refused with a message.
    bad = assemble(world, cards[:1], perspectives=[sales_part.pk])
    assert bad.status_code == 422
    assert "Choose perspectives of the chosen scorecards only." in bad.content.decode()
    answer = assemble(world, cards, perspectives=[sales_part.pk])
    assert answer.status_code == 302
    book = Book.objects.get()
    assert (book.include_map, book.include_initiatives, str(book.as_of)) == (
        False, True, "2026-10-31",
    )  # fmt: skip
    viewer = world.client_for("viewer")
    listing = viewer.get("/o/northwind/books/").content.decode()
    assert "October board" in listing and "Assemble a book" not in listing
    assert viewer.get("/o/northwind/books/new/").status_code == 403
    # Excel: contents, then each scorecard's sheets; no map (left out).
    workbook = load_workbook(
        io.BytesIO(viewer.get(f"/o/northwind/books/{book.pk}/book.xlsx").content)
    )
    assert workbook.sheetnames[0] == "Contents"
    rows = list(workbook["Contents"].iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rows] == ["Company", "Sales"]
    assert not any(name.startswith("Strategy map") for name in workbook.sheetnames)
    # PowerPoint: both scorecards, Sales with its one chosen perspective.
    deck = Presentation(io.BytesIO(viewer.get(f"/o/northwind/books/{book.pk}/book.pptx").content))
    text = " ".join(
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    assert "Company" in text and "Sales" in text and sales_part.name in text
    # PDF: the book's contents, the two reports, no strategy map.
    if shutil.which("pdftotext"):
        answer = viewer.get(f"/o/northwind/books/{book.pk}/book.pdf")
        assert answer["Content-Type"] == "application/pdf"
        assert 'filename="northwind-book-' in answer["Content-Disposition"]
        text = pdf_text(answer.content, tmp_path)
        assert text.startswith("October board — Northwind Outdoor")
        assert "Net promoter score" in text and "Monthly revenue" in text
        assert "Strategy map" not in text and "Initiatives" in text
    # Another period through the query string.
    other = viewer.get(f"/o/northwind/books/{book.pk}/book.xlsx?as_of=2026-09-30")
    assert "2026-09-30" in other["Content-Disposition"]


def test_a_saved_book_goes_out_on_its_schedule(
    world: Any,
    cards: list[Any],  # noqa: F811
    tmp_path: Path,
) -> None:
    assemble(world, cards, perspectives=[])
    book = Book.objects.get()
    delivery = schedule_monthly(world, [], book=book, recipients=[world.viewer])
    sweep_on(dt.date(2026, 12, 7))
    [message] = mail.outbox
    assert "the book “October board”" in message.body
    [(name, content, _)] = message.attachments
    assert name == "northwind-2026-12-07-book.pdf"
    if shutil.which("pdftotext"):
        text = pdf_text(content, tmp_path)
        assert text.startswith("October board — Northwind Outdoor")
        assert "Net promoter score" in text and "Strategy map" not in text
    # The book deleted: the next run says there is nothing to send.
    world.client_for("editor").post(f"/o/northwind/books/{book.pk}/delete/")
    sweep_on(dt.date(2027, 1, 7))
    run = delivery.runs.get(occurrence=dt.date(2027, 1, 7))
    assert (run.state, run.error) == ("failed", "Nothing to send: its book was deleted.")
    assert len(mail.outbox) == 1
