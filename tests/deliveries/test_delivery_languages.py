"""A delivery run's error and what each recipient got read in the language of whoever
opens the delivery's page: the worker wrote them for nobody in particular."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from scorecard.deliveries import services
from scorecard.deliveries.models import DeliveryRun, DeliverySend
from scorecard.organizations.models import Membership
from scorecard.web.deliveries.tasks import deliver_run

from .test_deliveries import schedule_monthly, sweep_on

pytestmark = pytest.mark.django_db


def _page(world: Any, delivery: Any, language: str) -> str:
    url = reverse("delivery_detail", args=["northwind", delivery.pk])
    response = world.client_for("editor").get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_what_each_recipient_got_reads_in_german(world: Any) -> None:
    delivery = schedule_monthly(
        world, [world.scorecard], recipients=[world.viewer, world.contributor], form="link"
    )
    Membership.objects.filter(user=world.contributor).delete()
    get_user_model().objects.filter(pk=world.viewer.pk).update(email="")
    sweep_on(dt.date(2026, 12, 7))
    details = set(DeliverySend.objects.values_list("detail", flat=True))
    assert details == {
        "Not sent: no longer a member who may read this organization's scorecards.",
        "Not sent: the member has no e-mail address.",
    }
    page = _page(world, delivery, "de")
    assert "Nicht gesendet: Das Mitglied hat keine E-Mail-Adresse." in page
    assert "Nicht gesendet: nicht mehr Mitglied mit Leserecht" in page
    assert "Not sent:" not in page


def test_a_run_with_nothing_to_send_says_so_in_spanish(world: Any) -> None:
    delivery = schedule_monthly(world, [world.scorecard], recipients=[world.viewer], form="link")
    delivery.scorecards.clear()
    run = services.run_test_create(delivery=delivery, user=world.editor)
    assert deliver_run(run.pk) == "failed: nothing to send"
    assert DeliveryRun.objects.get().error == "Nothing to send: its book was deleted."
    page = _page(world, delivery, "es")
    assert "Nada que enviar: se eliminó su dossier informativo." in page
    # A run that failed before kept no sentence: its English shows.
    DeliveryRun.objects.update(error="It failed (in English).", error_template="")
    assert "It failed (in English)." in _page(world, delivery, "es")
