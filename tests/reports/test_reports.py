"""Scorecard reports as PDF and XLSX: content, layout, permissions and the command.

The PDF is checked the way a reader sees it: pdftoppm turns its pages into
images (it renders, more than one page), pdftotext gives its text (the numbers
of the scorecard page in the same formatting, the objectives of the strategy
map, a table of contents whose page numbers are right).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from scorecard.interchange.services import DEMO_FILE, document_load_file
from scorecard.kpis.models import Kpi, Measurement
from scorecard.organizations.models import Organization
from scorecard.presentation.reports.pdf import OfflineFetcher
from scorecard.presentation.strategy_map import _label_lines
from scorecard.reviews.models import Comment
from scorecard.strategy.models import Objective, Scorecard
from tests.conftest import World

pytestmark = pytest.mark.django_db

TODAY = "2026-11-23"
QUERY = {"view": "ytd", "as_of": "2026-10-31"}
NEEDS_POPPLER = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm")), reason="needs poppler-utils"
)


@pytest.fixture
def demo(settings: Any) -> Scorecard:
    settings.SCORECARD_TODAY = TODAY
    document_load_file(DEMO_FILE)
    company = Scorecard.objects.get(organization__slug="northwind", slug="company")
    revenue = Kpi.objects.get(scorecard=company, code="revenue")
    author = revenue.owner
    Comment.objects.create(
        kpi=revenue, author=author, text="Retail orders slipped into November.",
        created_at=dt.datetime(2026, 10, 20, 9, tzinfo=dt.UTC),
    )  # fmt: skip
    Comment.objects.create(
        kpi=revenue, author=author, text="Written after the as-of date, not in the report.",
        created_at=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC),
    )  # fmt: skip
    return company


def signed_in(username: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def pdf_text(path: Path, page: int | None = None) -> str:
    """The PDF's text with runs of white space (and no-break spaces) as one space."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    return " ".join(out.replace("\u00a0", " ").split())


def page_texts(path: Path, count: int) -> list[str]:
    return [pdf_text(path, n) for n in range(1, count + 1)]


def numbers_on_the_page(page_html: str) -> list[str]:
    """The value, target, progress and score cells of the KPI rows of the scorecard page."""
    cells = []
    for row in re.findall(r'<tr class="kpi" id="kpi-.*?</tr>', page_html, re.DOTALL):
        cells += re.findall(r'<td class="num">([^<]*)</td>', row)
    return [" ".join(html.unescape(c).replace("\u00a0", " ").split()) for c in cells]


@pytest.mark.once  # rendering a PDF is the same work on any database
@NEEDS_POPPLER
def test_pdf_report_shows_what_the_scorecard_page_shows(demo: Scorecard, tmp_path: Path) -> None:
    client = signed_in("viewer")
    url = reverse("scorecard_detail", args=["northwind", "company"])
    page = client.get(url, QUERY)
    assert page.status_code == 200
    started = time.perf_counter()
    response = client.get(reverse("scorecard_report_pdf", args=["northwind", "company"]), QUERY)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="northwind-company-2026-10-31.pdf"'
    )
    print(f"PDF report of the demo company: {elapsed:.1f} s, {len(response.content)} bytes")
    # Speed is measured by make bench, not asserted here (a busy machine is not a slow PDF).
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)

    # It renders: every page becomes an image, and there are many pages.
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", str(pdf), str(tmp_path / "page")],
        check=True, timeout=120,
    )  # fmt: skip
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) > 5
    assert all(image.stat().st_size > 1000 for image in images)
    pages = page_texts(pdf, len(images))
    text = " ".join(pages)

    # Cover: organization, scorecard, vision, mission, as-of date and period.
    assert pages[0].startswith("NORTHWIND OUTDOOR Northwind Outdoor 2027 Balanced Scorecard report")
    assert "As of 31 October 2026" in pages[0]
    assert "Period Year to date · Jan–Oct 2026" in pages[0]
    assert "Every outdoor day starts with Northwind gear" in pages[0]
    assert "We design durable, repairable outdoor equipment" in pages[0]

    # The numbers of the scorecard page, formatted the same way.
    numbers = [n for n in numbers_on_the_page(page.content.decode()) if n != "—"]
    assert len(numbers) > 60
    missing = [n for n in numbers if n not in text]
    assert missing == []
    overall = re.search(r'id="scorecard-score">([^<]*)<', page.content.decode())
    assert overall is not None
    assert "OVERALL SCORE" in pages[0]
    assert overall.group(1).replace("\u00a0", " ") in pages[0]

    # The strategy map names every objective (boxes wrap long names onto two lines).
    map_page = next(p for p in pages if p.startswith("Strategy map"))
    for objective in Objective.objects.filter(scorecard=demo):
        assert _label_lines(objective.name)[0] in map_page, objective.name

    # Contents with the right page numbers, and page numbers in the footer.
    assert pages[1].startswith("Contents ")
    entries = dict(
        (name.strip(), int(number))
        for name, number in re.findall(r"([A-Z][\w &]+?) \.{3,} ?(\d+)", pages[1][9:])
    )
    for name in (
        "Summary of scores",
        "Strategy map",
        "Financial",
        "Learning & growth",
        "Initiatives",
    ):
        assert name in entries, (name, pages[1])
        assert pages[entries[name] - 1].startswith(name), name
    assert f"Page 3 of {len(images)}" in pages[2]
    assert "Northwind Outdoor · Northwind Outdoor 2027 · as of 31 Oct 2026" in pages[2]

    # The latest comment up to the as-of date, not one written later.
    assert "Retail orders slipped into November." in text
    assert "not in the report" not in text
    # Initiatives with their progress.
    assert "New online shop" in text and "tasks done" in text


def test_offline_fetcher_refuses_every_url_but_data() -> None:
    from weasyprint import HTML

    fetcher = OfflineFetcher()
    pdf = HTML(
        string='<img src="http://example.com/x.png"><img src="file:///etc/passwd">'
        '<link rel="stylesheet" href="https://example.com/a.css"><p>ok</p>',
        url_fetcher=fetcher,
    ).write_pdf()
    assert pdf and pdf.startswith(b"%PDF")
    assert sorted(fetcher.refused) == [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://example.com/a.css",
    ]


def test_user_text_is_escaped_in_the_pdf_html(world: World) -> None:
    """A name with markup is shown as text; nothing in it is fetched or run."""
    from scorecard.presentation.reports.pdf import report_html
    from scorecard.reports.data import report_data

    world.scorecard.name = '<img src="http://example.com/x.png">Company'
    world.scorecard.save()
    data = report_data(
        scorecard=world.scorecard,
        as_of=dt.date(2026, 10, 31),
        view="period",
        generated_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
    )
    text = report_html(data)
    assert '<img src="http://example.com' not in text
    assert "&lt;img src=&quot;http://example.com/x.png&quot;&gt;Company" in text


# --- XLSX ----------------------------------------------------------------------------------


def test_xlsx_report_has_its_sheets_and_the_numbers(demo: Scorecard) -> None:
    client = signed_in("viewer")
    response = client.get(reverse("scorecard_report_xlsx", args=["northwind", "company"]), QUERY)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="northwind-company-2026-10-31.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Summary", "Financial", "Customer", "Internal processes", "Learning & growth",
        "Initiatives", "Measurements", "Strategy map", "Charts",
    ]  # fmt: skip
    page = client.get(reverse("scorecard_detail", args=["northwind", "company"]), QUERY)
    result = page.context["page"].result
    summary = book["Summary"]
    rows = {r[0]: r[1:] for r in summary.iter_rows(values_only=True) if r and r[0]}
    assert rows["Overall score"][0] == pytest.approx(result.score)
    assert summary["B9"].number_format == "0.0%"  # the overall score as a percentage
    financial = list(book["Financial"].iter_rows(values_only=True))
    header = financial[0]
    revenue = next(r for r in financial if r[2] == "revenue")
    by_column = dict(zip(header, revenue, strict=True))
    kpi = result.kpis["revenue"]
    assert by_column["Value"] == kpi.value
    assert by_column["Target"] == kpi.target
    assert by_column["Score"] == pytest.approx(kpi.performance)
    assert by_column["Period"] == "Jan–Oct 2026"
    assert by_column["Status"] == {"green": "Green", "yellow": "Yellow", "red": "Red"}[kpi.status]
    assert by_column["Latest comment"] == "Retail orders slipped into November."
    measurements = list(book["Measurements"].iter_rows(values_only=True))
    expected = Measurement.objects.filter(
        kpi__scorecard=demo, superseded_at__isnull=True, period_start__lte=dt.date(2026, 10, 31)
    ).count()
    assert len(measurements) - 1 == expected > 500
    initiatives = [r[0] for r in book["Initiatives"].iter_rows(values_only=True)]
    assert "New online shop" in initiatives


def test_xlsx_text_never_becomes_a_formula(world: World) -> None:
    from tests.factories import ObjectiveFactory, PerspectiveFactory

    perspective = PerspectiveFactory(scorecard=world.scorecard, name="=cmd|' /C calc'!A0")
    objective = ObjectiveFactory(
        scorecard=world.scorecard, perspective=perspective, code="o", name="@SUM(1+1)*cmd"
    )
    Kpi.objects.create(
        scorecard=world.scorecard, objective=objective, code="k",
        name='=HYPERLINK("http://evil.example","click")', unit="+x",
    )  # fmt: skip
    response = world.client_for("viewer").get(
        reverse("scorecard_report_xlsx", args=["northwind", "company"])
    )
    book = load_workbook(io.BytesIO(response.content))
    sheet = book[book.sheetnames[1]]
    assert book.sheetnames[1] == "=cmd|'  C calc'!A0"  # a sheet name is never run
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    texts = {c.value for c in cells}
    assert "'@SUM(1+1)*cmd" in texts
    assert '\'=HYPERLINK("http://evil.example","click")' in texts
    assert "'+x" in texts
    assert all(c.data_type != "f" for c in cells)


def test_xlsx_report_reads_in_a_constant_number_of_queries(
    demo: Scorecard, django_assert_max_num_queries: Any
) -> None:
    client = signed_in("viewer")
    url = reverse("scorecard_report_xlsx", args=["northwind", "company"])
    client.get(url)  # sessions and the like, once
    # 21: the company's score also reads the scorecards aligned below it (one query).
    with django_assert_max_num_queries(21):
        assert client.get(url).status_code == 200


# --- who may download -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["scorecard_report_pdf", "scorecard_report_xlsx"])
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("editor", 200),
        ("contributor", 200),
        ("viewer", 200),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_reports_by_persona(world: World, name: str, persona: str, status: int) -> None:
    response = world.client_for(persona).get(reverse(name, args=["northwind", "company"]))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))
    if status == 200:
        assert response.content[:4] in {b"%PDF", b"PK\x03\x04"}


def test_outsider_cannot_reach_another_organizations_report_by_its_own_slug(world: World) -> None:
    """A member of one organization asking for a scorecard slug of another gets a 404."""
    client = world.client_for("outsider")
    response = client.get(reverse("scorecard_report_xlsx", args=["rival", "company"]))
    assert response.status_code == 404


def test_scorecard_page_links_to_the_reports_with_its_period(world: World, settings: Any) -> None:
    """The report buttons start a background report of the page's period and view."""
    settings.SCORECARD_TODAY = TODAY
    client = world.client_for("viewer")
    page = client.get(reverse("scorecard_detail", args=["northwind", "company"]), QUERY)
    text = page.content.decode()
    pdf = reverse("scorecard_report_start_pdf", args=["northwind", "company"])
    xlsx = reverse("scorecard_report_start_xlsx", args=["northwind", "company"])
    assert f'action="{pdf}?as_of=2026-10-31&amp;view=ytd">' in text
    assert f'action="{xlsx}?as_of=2026-10-31&amp;view=ytd">' in text
    assert ">PDF report</button>" in text and ">Excel report</button>" in text
    # htmx swaps only the table when the period changes: the buttons come with it.
    partial = client.get(
        reverse("scorecard_detail", args=["northwind", "company"]),
        {"view": "quarter"},
        headers={"HX-Request": "true"},
    )
    assert f'action="{pdf}?view=quarter">' in partial.content.decode()


# --- the command -------------------------------------------------------------------------------


@pytest.mark.once  # rendering a PDF is the same work on any database
def test_report_command_writes_xlsx_and_pdf(demo: Scorecard, tmp_path: Path) -> None:
    out = io.StringIO()
    target = tmp_path / "sales.xlsx"
    call_command(
        "report", "--org", "northwind", "--scorecard", "sales", "--format", "xlsx",
        "--as-of", "2026-10-31", "--period", "quarter", "-o", str(target), stdout=out,
    )  # fmt: skip
    assert out.getvalue().startswith(f"Wrote {target}")
    book = load_workbook(target)
    assert book["Summary"]["A5"].value == "Period"
    assert book["Summary"]["B5"].value == "Quarter · Oct–Dec 2026"
    pdf = tmp_path / "sales.pdf"
    call_command("report", "--org", "northwind", "--scorecard", "sales", "-o", str(pdf), stdout=out)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_report_command_errors(demo: Scorecard) -> None:
    with pytest.raises(CommandError, match="northwind has no scorecard “nope” \\(it has: "):
        call_command("report", "--org", "northwind", "--scorecard", "nope", stdout=io.StringIO())
    with pytest.raises(CommandError, match="There is no organization “nope”"):
        call_command("report", "--org", "nope", "--scorecard", "x", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--as-of must be a date"):
        call_command(
            "report", "--org", "northwind", "--scorecard", "sales", "--as-of", "soon",
            stdout=io.StringIO(),
        )  # fmt: skip
    assert Organization.objects.filter(slug="northwind").exists()
