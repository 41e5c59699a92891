"""Webhooks call only the outside world (issue 19, item 6).

Webhooks could target 127.0.0.1, [::1], 0x7f000001, localhost:5432 and 169.254.169.254,
and the deliveries page showed the status or "Connection refused": a port scanner for
any organization admin.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from scorecard.kpis.services import measurement_record
from scorecard.webhooks import services
from scorecard.webhooks.egress import REFUSED, address_allowed
from scorecard.webhooks.models import Delivery, Webhook
from tests.factories import KpiFactory, ObjectiveFactory

from .test_webhooks import NOW, Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_allow_list(settings: Any) -> None:
    settings.WEBHOOKS_DELIVER_AT_ONCE = False
    settings.SCORECARD_TODAY = NOW.date().isoformat()
    settings.SCORECARD_WEBHOOK_ALLOW_HOSTS = []


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def kpi(world: Any) -> Any:
    objective = ObjectiveFactory(perspective__scorecard=world.scorecard, name="Delight")
    return KpiFactory(objective=objective, code="nps", name="NPS", minimum=0.0, maximum=100.0)


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Host names this test resolves itself (a DNS server it controls)."""
    names: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in names:
            return [
                (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (a, port))
                for a in names[host]
            ]  # fmt: skip
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return names


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://127.8.9.10:8000/",
        "http://[::1]/hook",
        "http://0x7f000001/",
        "http://2130706433/",
        "http://localhost:5432/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "https://internal.corp/hook",  # resolves to a private address (fixture)
        "https://mixed.example/hook",  # one public and one private address
    ],
)
def test_internal_addresses_are_refused_at_registration(
    world: Any, dns: dict[str, list[str]], url: str
) -> None:
    dns["internal.corp"] = ["10.0.0.7"]
    dns["mixed.example"] = ["93.184.216.34", "192.168.0.10"]
    with pytest.raises(ValidationError) as caught:
        services.webhook_create(
            organization=world.organization, url=url, events=["measurement.recorded"]
        )
    message = " ".join(caught.value.messages)
    assert message.startswith(REFUSED) and "SCORECARD_WEBHOOK_ALLOW_HOSTS" in message
    assert not Webhook.objects.exists()


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("::1", False),
        ("10.0.0.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("224.0.0.251", False),
        ("255.255.255.255", False),
        ("::ffff:10.0.0.1", False),
        ("::ffff:93.184.216.34", True),
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
        ("ff02::1", False),
        ("192.0.2.1", False),  # documentation
    ],
)
def test_address_table(address: str, allowed: bool) -> None:
    assert address_allowed(ipaddress.ip_address(address)) is allowed


def test_a_name_that_turns_internal_after_registration_is_refused_at_delivery(
    world: Any, kpi: Any, receiver: Receiver, dns: dict[str, list[str]]
) -> None:
    port = receiver.server.server_address[1]
    dns["rebind.example"] = ["93.184.216.34"]  # public when registered
    services.webhook_create(
        organization=world.organization,
        url=f"http://rebind.example:{port}/hook",
        events=["measurement.recorded"],
    )
    dns["rebind.example"] = ["127.0.0.1"]  # DNS rebinding: internal when delivered
    measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=42)
    services.deliver_due(now=NOW)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.last_error, delivery.last_status_code) == (
        Delivery.State.PENDING, REFUSED, None
    )  # fmt: skip
    assert receiver.calls == []  # nothing reached the local server


def test_the_deliveries_page_shows_no_details_of_refused_targets(world: Any, kpi: Any) -> None:
    # Registered before this check existed (or its name resolved elsewhere then).
    Webhook.objects.create(
        organization=world.organization, url="http://127.0.0.1:9/probe", events=[
            "measurement.recorded"], secret="s", created_at=NOW,
    )  # fmt: skip
    measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=42)
    services.deliver_due(now=NOW)
    page = world.client_for("admin").get("/o/northwind/webhooks/").content.decode()
    assert REFUSED in page
    assert "Could not reach" not in page
    assert "Connection refused" not in page and "Errno" not in page


def test_the_allow_list_lets_named_hosts_and_networks_through(
    world: Any, kpi: Any, receiver: Receiver, settings: Any, dns: dict[str, list[str]]
) -> None:
    port = receiver.server.server_address[1]
    dns["hooks.intranet"] = ["127.0.0.1"]
    settings.SCORECARD_WEBHOOK_ALLOW_HOSTS = ["hooks.intranet"]
    services.webhook_create(
        organization=world.organization,
        url=f"http://hooks.intranet:{port}/hook",
        events=["measurement.recorded"],
    )
    with pytest.raises(ValidationError):  # other internal addresses stay refused
        services.webhook_create(
            organization=world.organization, url=receiver.url, events=["measurement.recorded"]
        )
    settings.SCORECARD_WEBHOOK_ALLOW_HOSTS = ["hooks.intranet", "127.0.0.0/8"]
    services.webhook_create(
        organization=world.organization, url=receiver.url, events=["measurement.recorded"]
    )
    measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=42)
    assert services.deliver_due(now=NOW)["delivered"] == 2
    assert len(receiver.calls) == 2


def test_a_redirect_to_an_internal_address_is_not_followed(
    world: Any, kpi: Any, receiver: Receiver, settings: Any
) -> None:
    settings.SCORECARD_WEBHOOK_ALLOW_HOSTS = ["127.0.0.0/8"]
    receiver.status = 302
    services.webhook_create(
        organization=world.organization, url=receiver.url, events=["measurement.recorded"]
    )
    measurement_record(kpi=kpi, period_start=dt.date(2026, 10, 1), value=42)
    services.deliver_due(now=NOW)
    assert len(receiver.calls) == 1  # called once, never redirected
    assert Delivery.objects.get().last_status_code == 302
