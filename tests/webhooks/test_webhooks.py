"""Webhooks: registration rules, signed deliveries, status changes, retries, the page."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from scorecard.kpis.models import Measurement
from scorecard.kpis.services import (
    MeasurementRow,
    measurement_bulk_record,
    measurement_decide,
    measurement_record,
)
from scorecard.webhooks import services
from scorecard.webhooks.models import Delivery, Event, Webhook
from tests.factories import KpiFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


class Receiver:
    """A local HTTP server that records calls and answers with a chosen status."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.status = 200
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                owner.calls.append({"headers": dict(self.headers), "body": body})
                self.send_response(owner.status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def _deliver_by_hand(settings: Any) -> None:
    settings.WEBHOOKS_DELIVER_AT_ONCE = False
    # The test receiver listens on the loopback interface, which webhooks may not call
    # unless it is allowed (test_egress.py shows the refusals).
    settings.SCORECARD_WEBHOOK_ALLOW_HOSTS = ["127.0.0.0/8"]
    # The one clock stands at NOW (noon of this day), so deliveries are due exactly then.
    settings.SCORECARD_TODAY = NOW.date().isoformat()


@pytest.fixture
def kpi(world: Any) -> Any:
    objective = ObjectiveFactory(perspective__scorecard=world.scorecard, name="Delight customers")
    return KpiFactory(
        objective=objective,
        code="nps",
        name="Net promoter score",
        minimum=0.0,
        maximum=100.0,
        target=60.0,
    )


@pytest.mark.parametrize(
    ("url", "events", "message"),
    [
        ("", ["measurement.recorded"], "Enter the address"),
        ("ftp://example.org/x", ["measurement.recorded"], "must start with http"),
        ("https://", ["measurement.recorded"], "must start with http"),
        ("https://user:pw@example.org/", ["measurement.recorded"], "no user name or password"),
        ("https://example.org/" + "x" * 500, ["measurement.recorded"], "at most 500"),
        ("https://example.org/", [], "Choose at least one event"),
        ("https://example.org/", ["kpi.deleted"], "Unknown event: kpi.deleted"),
    ],
)
def test_bad_registrations_are_refused_with_a_reason(
    world: Any, url: str, events: list[str], message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.webhook_create(organization=world.organization, url=url, events=events)
    assert message in " ".join(caught.value.messages)
    assert not Webhook.objects.exists()


def test_a_recorded_value_is_delivered_signed(world: Any, kpi: Any, receiver: Receiver) -> None:
    hook = services.webhook_create(
        organization=world.organization, url=receiver.url, events=["measurement.recorded"]
    )
    measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=42, user=world.editor)
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.PENDING

    counts = services.deliver_due(now=NOW)
    assert counts == {"delivered": 1, "retrying": 0, "failed": 0}
    call = receiver.calls[0]
    body = json.loads(call["body"])
    assert body["event"] == "measurement.recorded"
    [row] = body["data"]["measurements"]
    assert row["kpi"] == "nps" and row["value"] == 42 and row["period_start"] == "2026-10-01"
    assert row["recorded_by"] == "editor-user"
    # The receiver can check the signature with the shared secret.
    header = call["headers"]["X-Scorecard-Signature"]
    stamp, digest = (part.split("=", 1)[1] for part in header.split(","))
    expected = hmac.new(
        hook.secret.encode(), stamp.encode() + b"." + call["body"], hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(digest, expected)
    assert int(stamp) == int(NOW.timestamp())
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.DELIVERED and delivery.last_status_code == 200


def test_other_organizations_and_paused_hooks_get_nothing(world: Any, kpi: Any) -> None:
    services.webhook_create(
        organization=world.other_organization,
        url="https://rival.example/hook",
        events=["measurement.recorded"],
    )
    paused = services.webhook_create(
        organization=world.organization,
        url="https://paused.example/hook",
        events=["measurement.recorded"],
    )
    services.webhook_set_active(webhook=paused, active=False)
    measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=42)
    assert not Delivery.objects.exists()


def test_a_rolled_back_write_announces_nothing(world: Any, kpi: Any) -> None:
    services.webhook_create(
        organization=world.organization, url="https://x.example/", events=["measurement.recorded"]
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        measurement_record(kpi=kpi, period_start=dt.date(2026, 9, 1), value=10)
        assert Delivery.objects.count() == 1  # queued inside the same transaction ...
        raise RuntimeError("the surrounding work failed")
    assert not Measurement.objects.exists()  # ... and gone with it
    assert not Delivery.objects.exists()


def test_a_bulk_upload_is_announced_in_parts(world: Any, kpi: Any) -> None:
    services.webhook_create(
        organization=world.organization, url="https://x.example/", events=["measurement.recorded"]
    )
    other = KpiFactory(objective=kpi.objective, code="csat")
    rows = [
        MeasurementRow(
            index=2 * i + j, kpi=k, period_start=dt.date(2000 + i // 12, i % 12 + 1, 1), value=i
        )
        for i in range(300)
        for j, k in enumerate((kpi, other))
    ]
    measurement_bulk_record(rows=rows)
    deliveries = list(Delivery.objects.order_by("id"))
    assert [len(d.payload["measurements"]) for d in deliveries] == [500, 100]


def test_a_status_change_is_announced(world: Any, kpi: Any, settings: Any) -> None:
    # The status before a write is the one known just before it: that takes a running clock.
    settings.SCORECARD_TODAY = ""
    services.webhook_create(
        organization=world.organization, url="https://x.example/", events=["kpi.status_changed"]
    )
    measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=95)
    [first] = Delivery.objects.all()
    assert first.payload["kpi"] == "nps"
    assert first.payload["status_before"] == "no_data"
    green = first.payload["status_after"]
    # The same status again: nothing new to say.
    measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=96)
    assert Delivery.objects.count() == 1
    # A correction that turns it red is announced with both statuses.
    measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=5)
    latest = Delivery.objects.order_by("-id").first()
    assert latest is not None
    assert (latest.payload["status_before"], latest.payload["status_after"]) == (green, "red")
    assert latest.payload["value"] == 5


def test_failures_are_retried_with_growing_delays_then_given_up(
    world: Any, kpi: Any, receiver: Receiver
) -> None:
    receiver.status = 500
    services.webhook_create(
        organization=world.organization, url=receiver.url, events=["measurement.recorded"]
    )
    measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=42)
    moment = NOW
    waits = []
    for _ in range(services.MAX_ATTEMPTS):
        services.deliver_due(now=moment)
        delivery = Delivery.objects.get()
        if delivery.next_attempt_at is None:
            break
        waits.append(delivery.next_attempt_at - moment)
        # Not due yet: nothing is attempted a second earlier.
        assert services.deliver_due(now=delivery.next_attempt_at - dt.timedelta(seconds=1)) == {
            "delivered": 0,
            "retrying": 0,
            "failed": 0,
        }
        moment = delivery.next_attempt_at
    assert waits == list(services.RETRY_DELAYS)
    assert delivery.state == Delivery.State.FAILED
    assert delivery.attempts == services.MAX_ATTEMPTS
    assert "500" in delivery.last_error
    assert len(receiver.calls) == services.MAX_ATTEMPTS

    # Fixed receiver, manual retry from the page's service: delivered.
    receiver.status = 204
    services.delivery_retry(delivery=delivery)
    assert services.deliver_due(now=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))["delivered"] == 1


def test_an_unreachable_receiver_is_a_clear_error(world: Any, kpi: Any) -> None:
    services.webhook_create(
        organization=world.organization,
        url="http://127.0.0.1:9/nothing-listens-here",
        events=["measurement.recorded"],
    )
    measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=42)
    services.deliver_due(now=NOW)
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.PENDING and delivery.attempts == 1
    assert delivery.last_error.startswith("Could not reach the receiver")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("editor", 403), ("viewer", 403), ("outsider", 404), ("anonymous", 302)],
)
def test_only_admins_see_the_webhooks_page(world: Any, persona: str, status: int) -> None:
    response = world.client_for(persona).get("/o/northwind/webhooks/")
    assert response.status_code == status


def test_the_page_registers_shows_the_secret_once_and_lists_deliveries(
    world: Any, kpi: Any
) -> None:
    client = world.client_for("admin")
    response = client.post(
        "/o/northwind/webhooks/",
        {"url": "https://erp.example/hook", "events": ["measurement.recorded"]},
    )
    assert response.status_code == 200
    hook = Webhook.objects.get()
    assert hook.secret in response.content.decode()
    measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=42)
    page = client.get("/o/northwind/webhooks/").content.decode()
    assert hook.secret not in page  # shown only once
    assert "https://erp.example/hook" in page and "Waiting" in page

    bad = client.post("/o/northwind/webhooks/", {"url": "javascript:alert(1)", "events": []})
    assert bad.status_code == 422
    assert "must start with http" in bad.content.decode()
    assert Webhook.objects.count() == 1

    client.post(f"/o/northwind/webhooks/{hook.pk}/toggle/")
    hook.refresh_from_db()
    assert hook.active is False
    client.post(f"/o/northwind/webhooks/{hook.pk}/delete/")
    assert not Webhook.objects.exists()


def test_an_admin_of_another_organization_cannot_touch_our_webhooks(world: Any) -> None:
    hook = services.webhook_create(
        organization=world.organization, url="https://x.example/", events=[Event.KPI_STATUS_CHANGED]
    )
    client = world.client_for("outsider")
    assert client.post(f"/o/northwind/webhooks/{hook.pk}/delete/").status_code == 404
    assert client.post(f"/o/rival/webhooks/{hook.pk}/delete/").status_code == 404
    assert Webhook.objects.filter(pk=hook.pk).exists()


def test_a_value_waiting_for_approval_is_announced_once_approved(world: Any, kpi: Any) -> None:
    kpi.owner, kpi.values_need_approval = world.editor, True
    kpi.save()
    services.webhook_create(
        organization=world.organization, url="https://x.example/", events=["measurement.recorded"]
    )
    pending = measurement_record(
        kpi=kpi, period_start=dt.date(2026, 10, 1), value=42, user=world.contributor
    )
    measurement_bulk_record(
        rows=[MeasurementRow(index=0, kpi=kpi, period_start=dt.date(2026, 9, 1), value=41)],
        user=world.contributor,
    )
    assert not Delivery.objects.exists()  # nothing counts yet, so nothing is announced

    measurement_decide(measurement=pending, approve=True, user=world.editor)
    [delivery] = Delivery.objects.all()
    [announced] = delivery.payload["measurements"]
    assert (announced["period_start"], announced["value"]) == ("2026-10-01", 42)
