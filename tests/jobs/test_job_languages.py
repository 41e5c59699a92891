"""A failed report job's error reads in the language of whoever opens the job's page:
the worker writes it without a reader; a job that failed before reads as stored."""

from __future__ import annotations

import html
from typing import Any
from unittest import mock

import pytest
from django.urls import reverse

from scorecard.jobs import services as jobs
from scorecard.jobs.models import ReportJob
from scorecard.web.reports import tasks

pytestmark = pytest.mark.django_db

N = "\u00a0"


def _job(world: Any) -> ReportJob:
    return jobs.report_job_create(
        scorecard=world.scorecard, user=world.viewer, file_format="xlsx",
        params={"as_of": "2026-10-31", "view": "period", "known": "", "known_at": None},
    )  # fmt: skip


def _page(world: Any, job: ReportJob, language: str) -> str:
    url = reverse("scorecard_report_job", args=["northwind", world.scorecard.slug, job.pk])
    response = world.client_for("viewer").get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_a_job_given_up_after_its_tries_says_so_in_german(world: Any) -> None:
    job = _job(world)
    ReportJob.objects.filter(pk=job.pk).update(attempts=tasks.MAX_TRIES)
    assert tasks.render_report(job.pk) == "failed: too many tries"
    job.refresh_from_db()
    assert job.error == "The report could not be rendered (tried 3 times)."
    page = _page(world, job, "de")
    assert "Der Bericht konnte nicht erstellt werden (3 Versuche)." in page
    assert "could not be rendered" not in page


def test_a_library_s_words_stay_inside_our_french_sentence(world: Any, settings: Any) -> None:
    job = _job(world)
    last = len(jobs.TASK_RETRY_DELAYS) + 1
    with (
        mock.patch.object(tasks, "report_xlsx", side_effect=RuntimeError("cell A1 too wide")),
        pytest.raises(RuntimeError),
    ):
        tasks.render_report_task.call(job.pk, attempt=last)
    job.refresh_from_db()
    assert (job.state, job.error) == (
        "failed", "The report could not be rendered: cell A1 too wide"
    )  # fmt: skip
    page = _page(world, job, "fr")
    assert f"Le rapport n'a pas pu être produit{N}: cell A1 too wide" in page


def test_a_job_that_failed_before_shows_its_english_error(world: Any) -> None:
    job = _job(world)
    ReportJob.objects.filter(pk=job.pk).update(state="failed", error="It broke (in English).")
    assert "It broke (in English)." in _page(world, job, "de")
