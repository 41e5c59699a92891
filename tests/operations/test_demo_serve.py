"""`scorecard demo --serve --addr` writes its links with the address it serves on."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core import management

from scorecard.commands.management.commands import demo


@pytest.mark.parametrize(
    ("addr", "url"),
    [
        ("127.0.0.1:8766", "http://127.0.0.1:8766"),
        ("8766", "http://127.0.0.1:8766"),
        ("0.0.0.0:9000", "http://127.0.0.1:9000"),
        ("scorecard.local:80", "http://scorecard.local:80"),
    ],
)
def test_serving_url(addr: str, url: str) -> None:
    assert demo.serving_url(addr) == url


@pytest.mark.django_db(transaction=True)
def test_demo_serve_links_lead_to_its_address(monkeypatch, settings) -> None:
    """An invitation made in `demo --serve --addr 127.0.0.1:8766` pointed at port 8000."""
    monkeypatch.delenv("SCORECARD_BASE_URL", raising=False)
    seen: dict[str, Any] = {}

    def call(name: str, *args: Any, **options: Any) -> None:
        if name == "runserver":  # instead of serving: what would the app write?
            seen["base"] = settings.SCORECARD_BASE_URL
            seen["env"] = os.environ.get("SCORECARD_BASE_URL")
            return
        management.call_command(name, *args, **options)

    monkeypatch.setattr(demo, "call_command", call)
    management.call_command("demo", serve=True, addr="127.0.0.1:8766", no_worker=True)
    assert seen == {"base": "http://127.0.0.1:8766", "env": "http://127.0.0.1:8766"}
