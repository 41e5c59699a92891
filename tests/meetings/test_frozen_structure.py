"""Frozen means frozen: a review meeting keeps the whole input it scored (structure and
values), so its page, its PDF and Excel reports and the API give the meeting's numbers
after a weight and a formula have changed; a plain view of an earlier moment, scored
with today's structure, says when the structure changed."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from scorecard.api.services import api_token_create
from scorecard.engine.snapshot import input_from_json
from scorecard.interchange.services import DEMO_FILE, document_load_file
from scorecard.jobs.services import report_job_create
from scorecard.kpis.evaluation import scorecard_evaluate
from scorecard.kpis.models import Kpi
from scorecard.kpis.services import kpi_update
from scorecard.meetings import services
from scorecard.meetings.frozen import meeting_scores
from scorecard.meetings.models import ReviewMeeting
from scorecard.presentation.numbers import pct
from scorecard.strategy.models import Perspective, Scorecard
from scorecard.strategy.services import perspective_update
from scorecard.web.reports.tasks import render_report
from tests.api.conftest import JsonClient
from tests.reports.test_reports import NEEDS_POPPLER, pdf_text, signed_in

pytestmark = pytest.mark.django_db

TODAY = "2026-11-23"
LATER = "2026-11-24"
AS_OF = dt.date(2026, 10, 31)


@pytest.fixture
def held(settings: Any) -> tuple[Scorecard, ReviewMeeting, float]:
    """The demo company reviewed on 23 Nov (year to date as of 31 Oct); on 24 Nov the
    Financial perspective's weight and Gross margin's formula change."""
    settings.SCORECARD_TODAY = TODAY
    document_load_file(DEMO_FILE)
    company = Scorecard.objects.get(organization__slug="northwind", slug="company")
    meeting = services.meeting_create(
        scorecard=company, title="October review", held_on=dt.date(2026, 11, 23), as_of=AS_OF,
        view="ytd",
    )  # fmt: skip
    frozen = meeting.snapshot["score"]
    with override_settings(SCORECARD_TODAY=LATER):
        perspective_update(
            perspective=Perspective.objects.get(scorecard=company, name="Financial"), weight=1
        )
        kpi_update(
            kpi=Kpi.objects.get(scorecard=company, code="gross_margin"),
            formula="(revenue - cost_of_goods) / revenue * 60",
        )
    return company, meeting, frozen


def test_the_kept_input_scores_to_the_meetings_numbers_while_todays_structure_does_not(
    held: tuple[Scorecard, ReviewMeeting, float],
) -> None:
    company, meeting, frozen = held
    meeting.refresh_from_db()
    # The stored input is plain JSON (no infinite numbers, which PostgreSQL refuses).
    json.dumps(meeting.engine_input, allow_nan=False)
    assert input_from_json(meeting.engine_input).key == "company"
    scores = meeting_scores(meeting)
    assert scores.frozen and scores.note == ""
    assert scores.result.score == frozen
    kept = {
        k["code"]: k["performance"]
        for p in meeting.snapshot["perspectives"]
        for o in p["objectives"]
        for k in o["kpis"]
    }
    assert {code: k.performance for code, k in scores.result.kpis.items()} == kept
    # Re-scoring the old values with today's structure gives another number: the
    # meeting's own report must not do that.
    with override_settings(SCORECARD_TODAY=LATER):
        today = scorecard_evaluate(
            scorecard=company, as_of=AS_OF, view="ytd", known_at=meeting.known_at
        )
    assert today.score is not None and frozen is not None
    assert round(today.score, 4) != round(frozen, 4)


def test_the_meetings_page_and_excel_report_give_the_frozen_score(
    held: tuple[Scorecard, ReviewMeeting, float],
) -> None:
    _company, meeting, frozen = held
    client = signed_in("viewer")
    with override_settings(SCORECARD_TODAY=LATER):
        html = client.get(
            reverse("meeting_detail", args=["northwind", "company", meeting.pk])
        ).content.decode()
        assert re.search(r'id="meeting-score">(.*?)<', html).group(1) == pct(frozen)
        assert "the meeting keeps everything it scored" in html
        assert 'id="structure-note"' not in html
        excel = re.search(r'<a href="([^"]*/report\.xlsx\?[^"]*)">Excel</a>', html).group(1)
        assert "meeting=" in excel
        book = load_workbook(io.BytesIO(client.get(excel.replace("&amp;", "&")).content))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row}
    assert summary["Overall score"] == pytest.approx(frozen, abs=1e-12)
    assert summary["Numbers"].startswith("As kept by the review meeting “October review”")


@pytest.mark.once  # rendering a PDF is the same work on any database
@NEEDS_POPPLER
def test_the_meetings_pdf_report_gives_the_frozen_score(
    held: tuple[Scorecard, ReviewMeeting, float], tmp_path: Path
) -> None:
    _company, meeting, frozen = held
    client = signed_in("viewer")
    url = reverse("scorecard_report_pdf", args=["northwind", "company"])
    with override_settings(SCORECARD_TODAY=LATER):
        kept = client.get(url, {"meeting": meeting.pk})
        plain = client.get(
            url,
            {"as_of": AS_OF.isoformat(), "view": "ytd", "known_at": meeting.known_at.isoformat()},
        )
    (tmp_path / "kept.pdf").write_bytes(kept.content)
    (tmp_path / "plain.pdf").write_bytes(plain.content)
    kept_text, plain_text = pdf_text(tmp_path / "kept.pdf"), pdf_text(tmp_path / "plain.pdf")
    score = pct(frozen).replace("\u00a0", " ")
    headline = "OVERALL SCORE LAGGING KPIS (OUTCOMES) LEADING KPIS (DRIVERS) "
    assert f"{headline}{score}" in kept_text
    assert headline in plain_text and f"{headline}{score}" not in plain_text
    assert "Scored with today's weights and formulas; the structure changed on 24 Nov 2026" in (
        plain_text
    )
    assert "structure changed" not in kept_text


def test_the_api_gives_the_meetings_numbers_and_says_when_a_plain_moment_is_rebuilt(
    held: tuple[Scorecard, ReviewMeeting, float],
) -> None:
    company, meeting, frozen = held
    viewer = meeting.scorecard.organization.memberships.get(user__username="viewer").user
    _, token = api_token_create(user=viewer, organization=company.organization, name="script")
    client = JsonClient(token)
    path = f"/api/v1/scorecards/{company.pk}/scores"
    with override_settings(SCORECARD_TODAY=LATER):
        kept = client.get(path, meeting=meeting.pk).json()
        plain = client.get(
            path, as_of=AS_OF.isoformat(), view="ytd", known_at=meeting.known_at.isoformat()
        ).json()
        now = client.get(path, as_of=AS_OF.isoformat(), view="ytd").json()
        missing = client.get(path, meeting=meeting.pk + 999)
    assert kept["score"] == frozen and kept["frozen"] is True and kept["structure_note"] == ""
    assert kept["kpis_counted"] == meeting.snapshot["kpis_counted"]
    assert plain["score"] != frozen
    assert plain["structure_note"].startswith(
        "Scored with today's weights and formulas; the structure changed on 24 Nov 2026"
    )
    assert "structure_note" not in now
    assert missing.status_code == 404


def test_the_scorecard_page_of_an_earlier_moment_says_the_structure_changed(
    held: tuple[Scorecard, ReviewMeeting, float],
) -> None:
    _company, meeting, _frozen = held
    client = signed_in("viewer")
    url = reverse("scorecard_detail", args=["northwind", "company"])
    query = {"as_of": AS_OF.isoformat(), "view": "ytd"}
    with override_settings(SCORECARD_TODAY=LATER):
        then = client.get(url, {**query, "known_at": meeting.known_at.isoformat()}).content
        before = client.get(url, {**query, "known_at": "2026-11-24T12:00:00+00:00"}).content
        now = client.get(url, query).content
    note = re.search(r'id="structure-note">(.*?)</p>', then.decode()).group(1)
    assert note == (
        "Scored with today&#x27;s weights and formulas; the structure changed on 24 Nov 2026 "
        "(perspective “Financial” and 1 more change)."
    )
    assert b'id="structure-note"' not in before  # nothing changed after that moment
    assert b'id="structure-note"' not in now


def test_a_meeting_held_before_inputs_were_kept_says_it_uses_todays_structure(
    held: tuple[Scorecard, ReviewMeeting, float],
) -> None:
    _company, meeting, frozen = held
    ReviewMeeting.objects.filter(pk=meeting.pk).update(engine_input=None)
    meeting.refresh_from_db()
    scores = meeting_scores(meeting)
    assert not scores.frozen
    assert scores.note.startswith("Scored with today's weights and formulas; the structure")
    client = signed_in("viewer")
    html = client.get(
        reverse("meeting_detail", args=["northwind", "company", meeting.pk])
    ).content.decode()
    assert 'id="structure-note"' in html
    # The page itself still shows the numbers kept at the meeting.
    assert re.search(r'id="meeting-score">(.*?)<', html).group(1) == pct(frozen)


def test_a_report_made_by_the_worker_for_the_meeting_gives_the_frozen_score(
    held: tuple[Scorecard, ReviewMeeting, float], settings: Any, tmp_path: Path
) -> None:
    company, meeting, frozen = held
    settings.MEDIA_ROOT = tmp_path
    viewer = company.organization.memberships.get(user__username="viewer").user
    job = report_job_create(
        scorecard=company, user=viewer, file_format="xlsx",
        params={"as_of": "2026-11-24", "view": "period", "known": "", "known_at": None,
                "meeting": str(meeting.pk)},
    )  # fmt: skip
    with override_settings(SCORECARD_TODAY=LATER):
        assert render_report(job.pk) == "done"
    job.refresh_from_db()
    with default_storage.open(job.stored_name, "rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row}
    assert summary["Overall score"] == pytest.approx(frozen, abs=1e-12)
    assert summary["As of"].date() == AS_OF


def test_a_meeting_of_another_scorecard_is_not_used_for_this_report(
    held: tuple[Scorecard, ReviewMeeting, float],
) -> None:
    _company, meeting, _frozen = held
    sales = Scorecard.objects.get(organization__slug="northwind", slug="sales")
    other = services.meeting_create(scorecard=sales, title="Sales review", held_on=meeting.held_on)
    client = signed_in("viewer")
    url = reverse("scorecard_report_xlsx", args=["northwind", "company"])
    with override_settings(SCORECARD_TODAY=LATER):
        book = load_workbook(io.BytesIO(client.get(url, {"meeting": other.pk}).content))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row}
    assert summary["Numbers"].startswith("Latest:")
