"""A webhook call's error reads in the language of the admin who opens the webhooks page
(the worker made the call for nobody in particular); an older error reads as stored."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest

from scorecard.kpis.services import measurement_record
from scorecard.webhooks import services
from scorecard.webhooks.models import Delivery, Webhook
from tests.factories import KpiFactory, ObjectiveFactory

from .test_webhooks import NOW

PAGE = "/o/northwind/webhooks/"
N = "\u00a0"


@pytest.fixture
def kpi(world: Any) -> Any:
    objective = ObjectiveFactory(perspective__scorecard=world.scorecard, name="Delight")
    return KpiFactory(objective=objective, code="nps", name="NPS")


@pytest.fixture(autouse=True)
def _by_hand_at_noon(settings: Any) -> None:
    settings.WEBHOOKS_DELIVER_AT_ONCE = False
    settings.SCORECARD_TODAY = NOW.date().isoformat()


def _page(world: Any, language: str) -> str:
    response = world.client_for("admin").get(PAGE, HTTP_ACCEPT_LANGUAGE=language)
    return html.unescape(response.content.decode())


def _called(world: Any, kpi: Any, url: str) -> Delivery:
    Webhook.objects.create(
        organization=world.organization, url=url, events=["measurement.recorded"], secret="s",
        created_at=NOW,
    )  # fmt: skip
    measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=42)
    services.deliver_due(now=NOW)
    return Delivery.objects.get()


def test_an_unreachable_receiver_reads_in_german_with_the_system_s_words_kept(
    world: Any,
    kpi: Any,
    settings: Any,
) -> None:
    settings.SCORECARD_WEBHOOK_ALLOW_HOSTS = ["127.0.0.0/8"]
    delivery = _called(world, kpi, "http://127.0.0.1:9/nothing-listens-here")
    assert delivery.last_error.startswith("Could not reach the receiver: ")
    reason = delivery.last_error.removeprefix("Could not reach the receiver: ")
    page = _page(world, "de")
    assert f"Der Empfänger war nicht erreichbar: {reason}" in page
    assert "Could not reach" not in page


def test_a_refused_target_reads_in_french_and_spanish(world: Any, kpi: Any, settings: Any) -> None:
    settings.SCORECARD_WEBHOOK_ALLOW_HOSTS = []
    delivery = _called(world, kpi, "http://127.0.0.1:9/probe")
    assert delivery.last_error == "Refused: address not allowed."
    assert f"Refusé{N}: adresse non autorisée." in _page(world, "fr")
    spanish = _page(world, "es")
    assert "Rechazado: dirección no permitida." in spanish and "Refused" not in spanish


def test_an_error_stored_before_reads_as_stored(world: Any, kpi: Any, settings: Any) -> None:
    settings.SCORECARD_WEBHOOK_ALLOW_HOSTS = []
    delivery = _called(world, kpi, "http://127.0.0.1:9/probe")
    Delivery.objects.filter(pk=delivery.pk).update(
        last_error="The receiver answered 503.", last_error_template="", last_error_values={}
    )
    assert "The receiver answered 503." in _page(world, "de")
