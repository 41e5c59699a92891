"""The briefing book of two demo scorecards as PDF, checked by extracting its text: the
contents page names each scorecard with the page it starts on, and that page (numbered
through the book) is the scorecard's report."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from scorecard.interchange.services import DEMO_FILE, document_load_file
from scorecard.strategy.models import Scorecard

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils"),
]


def page_text(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    return " ".join(out.replace("\u00a0", " ").split())


@pytest.mark.once  # rendering a PDF is the same work on any database
def test_a_book_of_two_scorecards_with_contents_and_page_numbers(
    settings: Any, tmp_path: Path
) -> None:
    settings.SCORECARD_TODAY = "2026-11-23"
    document_load_file(DEMO_FILE)
    client = Client()
    client.force_login(get_user_model().objects.get(username="viewer"))
    other = Scorecard.objects.filter(organization__slug="northwind").exclude(slug="company").first()
    company = Scorecard.objects.get(organization__slug="northwind", slug="company")
    answer = client.get(f"/o/northwind/briefing.pdf?scorecards=company,{other.slug}")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    path = tmp_path / "book.pdf"
    path.write_bytes(answer.content)
    contents = page_text(path, 1)
    assert contents.startswith("Briefing book of Northwind Outdoor")
    starts = {}
    for card in (company, other):
        found = re.search(re.escape(card.name) + r" — .*? page (\d+)", contents)
        assert found, (card.name, contents)
        starts[card.name] = int(found.group(1))
    assert starts[company.name] == 2 < starts[other.name]
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    for card in (company, other):
        start = starts[card.name]
        assert card.name in page_text(path, start)
        # The report's next page carries the book's page number in its footer.
        assert f"Page {start + 1}" in page_text(path, start + 1)
    assert f"Page {pages}" in page_text(path, pages)
