"""Reports as known then: the same "known" choice as the scorecard page, in the PDF and
XLSX downloads and in ``scorecard report --known-at``.

October's revenue of the demo company is corrected on 23 Nov 2026; a report as of
15 Nov 2026 "as known then" shows the value before the correction, the default
report the corrected one, and each says on its cover which numbers it shows.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from scorecard.interchange.services import DEMO_FILE, document_load_file
from scorecard.kpis.models import Kpi, Measurement
from scorecard.kpis.services import measurement_record
from scorecard.reviews.models import Comment
from scorecard.strategy.models import Scorecard
from tests.reports.test_reports import NEEDS_POPPLER, pdf_text, signed_in

pytestmark = pytest.mark.django_db

TODAY = "2026-11-23"  # the clock stands at noon UTC
OCTOBER = dt.date(2026, 10, 1)
CORRECTED = 2_222_000
AS_OF = {"as_of": "2026-11-15"}  # the latest complete month is October (entered 4 Nov)
THEN = {**AS_OF, "known": "then"}


@pytest.fixture
def corrected(settings: Any) -> int:
    """The demo company with October's revenue corrected today; returns the old value."""
    settings.SCORECARD_TODAY = TODAY
    document_load_file(DEMO_FILE)
    revenue = Kpi.objects.get(scorecard__slug="company", code="revenue")
    old = Measurement.objects.get(kpi=revenue, period_start=OCTOBER, superseded_at=None)
    assert old.recorded_at < dt.datetime(2026, 11, 15, tzinfo=dt.UTC)  # known by the as-of day
    measurement_record(kpi=revenue, period_start=OCTOBER, value=CORRECTED, user=revenue.owner)
    Comment.objects.create(
        kpi=revenue, author=revenue.owner, text="Corrected: late retail invoices.",
        created_at=dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC),
    )  # fmt: skip
    return int(old.value)


def money(value: int) -> str:
    return f"{value:,} €"


def xlsx(client: Client, query: dict[str, str]) -> tuple[Any, str]:
    response = client.get(reverse("scorecard_report_xlsx", args=["northwind", "company"]), query)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)), response["Content-Disposition"]


def revenue_row(book: Any) -> dict[str, Any]:
    rows = list(book["Financial"].iter_rows(values_only=True))
    return dict(zip(rows[0], next(r for r in rows if r[2] == "revenue"), strict=True))


def summary(book: Any) -> dict[str, Any]:
    return {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r and r[0]}


def october_revenue(book: Any) -> list[float]:
    return [
        r[5]
        for r in book["Measurements"].iter_rows(values_only=True)
        if r[3] == "revenue" and r[4] == dt.datetime(2026, 10, 1)
    ]


def test_xlsx_as_known_then_shows_the_value_before_the_correction(corrected: int) -> None:
    client = signed_in("viewer")
    latest, latest_name = xlsx(client, AS_OF)
    then, then_name = xlsx(client, THEN)

    assert revenue_row(latest)["Value"] == CORRECTED
    assert revenue_row(then)["Value"] == corrected
    assert revenue_row(latest)["Period"] == revenue_row(then)["Period"] == "Oct 2026"
    # The raw data agrees: one October value each, the one that counted.
    assert october_revenue(latest) == [CORRECTED]
    assert october_revenue(then) == [corrected]
    # The comment written with the correction is not quoted as known then.
    assert revenue_row(then)["Latest comment"] != "Corrected: late retail invoices."

    # The summary says which numbers these are; the file names differ.
    assert summary(latest)["Numbers"] == (
        "Latest: every value and correction up to 23 Nov 2026, 12:00"
    )
    assert summary(then)["Numbers"] == (
        "As known at the end of 15 Nov 2026; values entered or corrected later are left out"
    )
    assert latest_name == 'attachment; filename="northwind-company-2026-11-15.xlsx"'
    assert then_name == 'attachment; filename="northwind-company-2026-11-15-as-known-then.xlsx"'


def test_xlsx_as_known_at_a_moment(corrected: int) -> None:
    """Review meetings link with an exact moment; an hour before the correction it is old."""
    client = signed_in("viewer")
    before, name = xlsx(client, {**AS_OF, "known_at": "2026-11-23T11:00:00+00:00"})
    assert revenue_row(before)["Value"] == corrected
    assert summary(before)["Numbers"].startswith("As known at 23 Nov 2026, 11:00;")
    assert name.endswith('-2026-11-15-as-known-2026-11-23-1100.xlsx"')
    # Not yet past, or not a moment: the latest numbers, as on the scorecard page.
    for moment in ("2027-01-01T00:00:00+00:00", "yesterday"):
        book, name = xlsx(client, {**AS_OF, "known_at": moment})
        assert revenue_row(book)["Value"] == CORRECTED
        assert summary(book)["Numbers"].startswith("Latest:")
        assert name.endswith('-2026-11-15.xlsx"')


@pytest.mark.once  # rendering a PDF is the same work on any database
@NEEDS_POPPLER
def test_pdf_cover_and_numbers_as_known_then(corrected: int, tmp_path: Path) -> None:
    client = signed_in("viewer")
    texts = {}
    for name, query in (("latest", AS_OF), ("then", THEN)):
        response = client.get(reverse("scorecard_report_pdf", args=["northwind", "company"]), query)
        assert response.status_code == 200
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(response.content)
        texts[name] = (pdf_text(path, 1), pdf_text(path))

    latest_cover, latest = texts["latest"]
    then_cover, then = texts["then"]
    assert "Numbers Latest: every value and correction up to 23 Nov 2026, 12:00" in latest_cover
    assert (
        "Numbers As known at the end of 15 Nov 2026; values entered or corrected later "
        "are left out" in then_cover
    )
    # The summary table and the KPI's card.
    assert f"Revenue Oct 2026 {money(CORRECTED)}" in latest
    assert f"Revenue Oct 2026 {money(corrected)}" in then
    assert money(corrected) not in latest.split("Summary of scores", 2)[2].split("Initiatives")[0]
    assert money(CORRECTED) not in then
    # Every page says so in its header.
    assert "as of 15 Nov 2026, numbers as known then" in then
    assert "numbers as known" not in latest


def test_report_command_known_at(corrected: int, tmp_path: Path) -> None:
    def run(*extra: str) -> tuple[Any, str]:
        out = io.StringIO()
        target = tmp_path / "company.xlsx"
        call_command(
            "report", "--org", "northwind", "--scorecard", "company", "--format", "xlsx",
            "--as-of", "2026-11-15", "-o", str(target), *extra, stdout=out,
        )  # fmt: skip
        return load_workbook(target), out.getvalue()

    book, said = run()
    assert revenue_row(book)["Value"] == CORRECTED
    assert "Numbers: Latest: every value and correction up to 23 Nov 2026, 12:00." in said
    book, said = run("--known-at", "then")
    assert revenue_row(book)["Value"] == corrected
    assert "Numbers: As known at the end of 15 Nov 2026;" in said
    book, _ = run("--known-at", "2026-11-22")  # the end of that day
    assert revenue_row(book)["Value"] == corrected
    assert summary(book)["Numbers"].startswith("As known at 22 Nov 2026, 23:59;")
    book, _ = run("--known-at", "2026-11-23T11:59")
    assert revenue_row(book)["Value"] == corrected
    book, _ = run("--known-at", "2026-11-23T12:00")  # the correction was made at noon
    assert revenue_row(book)["Value"] == CORRECTED
    # The default file name says which numbers it holds.
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        call_command(
            "report", "--org", "northwind", "--scorecard", "company", "--format", "xlsx",
            "--as-of", "2026-11-15", "--known-at", "then", stdout=out,
        )  # fmt: skip
    assert (tmp_path / "northwind-company-2026-11-15-as-known-then.xlsx").exists()


def test_report_command_refuses_a_bad_known_at(corrected: int) -> None:
    with pytest.raises(CommandError, match=r"--known-at must be “then” .* not “last week”"):
        call_command(
            "report", "--org", "northwind", "--scorecard", "company",
            "--known-at", "last week", stdout=io.StringIO(),
        )  # fmt: skip
    assert Scorecard.objects.filter(slug="company").exists()
