"""What Scorecard writes outside its pages speaks the reader's language: the PDF and XLSX
reports (in the language of the person who asks, also when the worker makes them), the
reminder e-mails (in each recipient's language), the API's error messages (the
Accept-Language's, English by default) and the engine's no-data reasons."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from scorecard.accounts.models import AccountSettings
from scorecard.jobs.models import ReportJob
from scorecard.mcp_server.access import Refused, access_for_token, language_of
from scorecard.web.reports.tasks import render_report
from tests.audit.conftest import card, frozen_today  # noqa: F401 — shared fixtures
from tests.factories import KpiFactory, MeasurementFactory, TaskFactory

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"
QUERY = {"view": "period", "as_of": "2026-10-31"}
NEEDS_POPPLER = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")


@pytest.fixture
def sales(card: Any) -> Any:  # noqa: F811 — the shared fixture
    """The card plus a KPI with a large value (1,234,567.5 € in October)."""
    big = KpiFactory(
        objective=card.objective, code="sales", name="Sales", unit="€", minimum=0,
        maximum=2_000_000, target=1_500_000, time_aggregation="last",
    )  # fmt: skip
    MeasurementFactory(kpi=big, period_start=dt.date(2026, 10, 1), value=1_234_567.5)
    return card


def speaks(user: Any, language: str) -> None:
    AccountSettings.objects.update_or_create(user=user, defaults={"language": language})


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    return " ".join(out.replace(NBSP, " ").split())


# --- PDF -------------------------------------------------------------------------------


@pytest.mark.once  # rendering a PDF is the same work on any database
@NEEDS_POPPLER
def test_the_pdf_report_in_german_has_german_words_and_numbers(sales: Any, tmp_path: Path) -> None:
    client = sales.world.client_for("viewer")
    url = sales.url("scorecard_report_pdf")
    text = pdf_text(client.get(url, QUERY, HTTP_ACCEPT_LANGUAGE="de").content, tmp_path)
    for words in [
        "Balanced-Scorecard-Bericht",
        "GESAMTSCORE",
        "Seite 2 von",
        "Übersicht der Scores",
        "ZIEL / KENNZAHL",
        "Stand 31 Oktober 2026",
        "Zielwert",
        "Noch keine Initiativen.",
        "Letzte Periode · Okt 2026",
    ]:
        assert words in text, words
    assert "1.234.568 €" in text  # German grouping
    for english in ["Balanced Scorecard report", "Overall score", "Summary of scores"]:
        assert english not in text
    english = pdf_text(client.get(url, QUERY).content, tmp_path)
    assert "Balanced Scorecard report" in english
    assert "1,234,568 €" in english


# --- XLSX ------------------------------------------------------------------------------


def test_the_xlsx_report_in_german_has_german_sheets_headers_and_texts(sales: Any) -> None:
    client = sales.world.client_for("viewer")
    response = client.get(sales.url("scorecard_report_xlsx"), QUERY, HTTP_ACCEPT_LANGUAGE="de")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Übersicht", "Financial", "Initiativen", "Messwerte", "Strategiekarte", "Diagramme",
    ]  # fmt: skip
    summary = {r[0]: r[1] for r in book["Übersicht"].iter_rows(values_only=True) if r and r[0]}
    assert summary["Periode"] == "Letzte Periode · Okt 2026"
    # Numbers inside text follow the language: a decimal comma before the per cent sign.
    assert re.fullmatch(r"aus 3 von 3 Kennzahlen \(\d+,\d\s% des Gewichts\)", summary["Abdeckung"])
    rows = list(book["Financial"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:6] == ("Ziel", "Kennzahl", "Kürzel", "Periode", "Wert", "Zielwert")
    sales_row = dict(zip(header, next(r for r in rows if r[2] == "sales"), strict=True))
    assert sales_row["Wert"] == 1_234_567.5  # a number Excel shows in the reader's format
    assert sales_row["Periode"] == "Okt 2026"
    assert sales_row["Status"] in {"Grün", "Gelb", "Rot"}


def test_a_report_made_by_the_worker_is_in_the_language_of_who_asked(
    sales: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = sales.world.client_for("viewer")
    start = reverse("scorecard_report_start_xlsx", args=["northwind", "company"])
    assert client.post(f"{start}?view=period&as_of=2026-10-31", HTTP_ACCEPT_LANGUAGE="fr")
    job = ReportJob.objects.get()
    assert job.params["language"] == "fr"
    assert render_report(job.pk) == "done"
    job.refresh_from_db()
    with default_storage.open(job.stored_name, "rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    assert book.sheetnames[0] == "Synthèse"
    assert "Mesures" in book.sheetnames


# --- e-mails ---------------------------------------------------------------------------


def test_a_reminder_is_written_in_each_recipients_language(card: Any) -> None:  # noqa: F811
    world = card.world
    TaskFactory(
        initiative__scorecard=world.scorecard, name="Call dealers", assignee=world.editor,
        deadline=dt.date(2026, 11, 1),
    )  # fmt: skip
    KpiFactory(objective=card.objective, code="nps", name="NPS", updater=world.contributor)
    speaks(world.contributor, "de")
    call_command("remind", stdout=io.StringIO())
    german = next(m for m in mail.outbox if m.to == [world.contributor.email])
    assert german.subject == "Northwind Outdoor: 1 Wert einzugeben"
    assert german.body.startswith("Hallo ")
    assert "1 Kennzahl von Northwind Outdoor braucht Ihren Wert:" in german.body
    assert "NPS (Company), für Okt 2026" in german.body
    assert "Eine Weile nicht da? Pausieren Sie diese Erinnerungen:" in german.body
    assert "Hello" not in german.body and "need" not in german.body
    english = next(m for m in mail.outbox if m.to == [world.editor.email])
    assert english.subject == "Northwind Outdoor: 1 overdue task"
    assert "Your overdue task:" in english.body
    assert "Call dealers" in english.body and "due 1 Nov 2026, 22 days late" in english.body
    assert "Away for a while? Pause these reminders:" in english.body


# --- API, engine -----------------------------------------------------------------------


def test_api_errors_follow_accept_language_and_stay_english_by_default(world: Any) -> None:
    client = world.client_for("anonymous")
    french = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="fr")
    assert french.status_code == 401
    body = french.json()
    assert body["detail"].startswith("Authentification requise")
    assert set(body) == {"detail", "errors"}
    english = client.get("/api/v1/me")
    assert english.json()["detail"] == (
        "Authentication required: send 'Authorization: Bearer <token>'."
    )
    signed_in = world.client_for("viewer")
    missing = signed_in.get("/api/v1/scorecards/999999", HTTP_ACCEPT_LANGUAGE="fr")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Introuvable dans vos organisations."


def test_an_engine_no_data_reason_is_shown_in_spanish(card: Any) -> None:  # noqa: F811
    returns = KpiFactory(objective=card.objective, code="returns", name="Returns", target=5)
    MeasurementFactory(kpi=returns, period_start=dt.date(2026, 10, 1), value=0)
    KpiFactory(
        objective=card.objective, code="per_return", name="Revenue per return",
        formula="revenue / returns", target=100, maximum=1000,
    )  # fmt: skip
    client = card.world.client_for("viewer")
    page = client.get(card.url("scorecard_detail"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    why = re.search(r'id="why-per_return">(.*?)<', page).group(1)
    assert why == "Sin datos: el denominador returns es 0 en este periodo."
    speaks(card.world.viewer, "es")
    kpi = card.world.client_for("viewer").get(card.url("kpi_detail", "per_return")).content
    assert "Sin datos: el denominador returns es 0 en este periodo." in kpi.decode()
    english = client.get(card.url("scorecard_detail")).content.decode()
    assert "No data: the denominator returns is 0 in this period." in english


def test_a_refused_window_is_explained_in_german(card: Any) -> None:  # noqa: F811
    client = card.world.client_for("viewer")
    query = {"view": "custom", "from": "2026-03-01", "to": "2026-02-01"}
    page = client.get(card.url("scorecard_detail"), query, HTTP_ACCEPT_LANGUAGE="de")
    text = page.content.decode()
    assert "Der Zeitraum endet (1 Feb 2026), bevor er beginnt (1 Mär 2026)" in text
    assert "Angezeigt wird die letzte Periode." in text
    english = client.get(card.url("scorecard_detail"), query).content.decode()
    assert "The window ends (1 Feb 2026) before it starts (1 Mar 2026)" in english


def test_mcp_refusals_follow_the_callers_accept_language() -> None:
    assert language_of({"accept-language": "de-DE,de;q=0.9"}) == "de"
    assert language_of(None) == "en"  # LANGUAGE_CODE
    french = translation.override(language_of({"accept-language": "fr"}))
    with french, pytest.raises(Refused, match=r"^Non authentifié : le jeton d'API est inconnu"):
        access_for_token("sct_unknown")
    with pytest.raises(Refused, match=r"^Not authenticated: the API token is unknown"):
        access_for_token("sct_unknown")
