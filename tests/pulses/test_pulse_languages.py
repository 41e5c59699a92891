"""A pulse reads in each person's language: the invitation e-mail in the recipient's, the
magic question on the pages in the reader's; a question an admin wrote stays as written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from scorecard.accounts.models import AccountSettings
from scorecard.pulses import services
from scorecard.pulses.models import MAGIC_QUESTION

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(settings: Any) -> dt.date:
    settings.SCORECARD_TODAY = "2026-11-23"
    return dt.date(2026, 11, 23)


def _schedule(world: Any, today: dt.date, question: str = "") -> Any:
    return services.pulse_schedule(
        organization=world.organization, user=world.admin, opens_on=today,
        closes_on=today + dt.timedelta(days=14), anonymous=True, question=question,
        url="http://testserver/o/northwind/pulses/",
    )  # fmt: skip


def test_the_invitation_goes_out_in_each_recipient_s_language(
    world: Any, today: dt.date, django_capture_on_commit_callbacks: Any
) -> None:
    AccountSettings.objects.update_or_create(user=world.viewer, defaults={"language": "de"})
    with django_capture_on_commit_callbacks(execute=True):
        pulse = _schedule(world, today)
    assert pulse.question == MAGIC_QUESTION  # stored as the product's English sentence
    by_person = {m.to[0]: m for m in mail.outbox}
    with translation.override("de"):
        german_question = translation.gettext(MAGIC_QUESTION)
    assert german_question != MAGIC_QUESTION
    german = by_person[world.viewer.email]
    assert german.subject == german_question
    assert german.body.startswith(german_question + "\n\n")
    assert "Antworten Sie hier (unter einer Minute): http://testserver/" in german.body
    assert "Ihre Antwort ist anonym." in german.body
    english = by_person[world.editor.email]
    assert english.subject == MAGIC_QUESTION
    assert "Answer here (under a minute): http://testserver/" in english.body
    assert "Your answer is anonymous." in english.body


def test_the_pages_show_the_magic_question_in_the_reader_s_language_and_an_admin_s_own_as_written(
    world: Any, today: dt.date
) -> None:
    product = _schedule(world, today)
    own = _schedule(world, today, question="Was treibt Sie heute an?")
    client = world.client_for("viewer")
    with translation.override("fr"):
        french_question = translation.gettext(MAGIC_QUESTION)
    page = client.get(reverse("pulse_answer", args=["northwind", product.pk]),
                      HTTP_ACCEPT_LANGUAGE="fr").content.decode()  # fmt: skip
    assert french_question in page.replace("&#x27;", "'") and MAGIC_QUESTION not in page
    page = client.get(reverse("pulse_answer", args=["northwind", own.pk]),
                      HTTP_ACCEPT_LANGUAGE="fr").content.decode()  # fmt: skip
    assert "Was treibt Sie heute an?" in page
