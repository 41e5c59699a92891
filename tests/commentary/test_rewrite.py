"""The optional rewrite of the commentary by an OpenAI-compatible endpoint (a fake model
server on loopback here): a rewrite is shown only when it adds no number; a rewrite that
adds or changes one, an empty or failing answer, all leave the generated text."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.cache import cache

from scorecard.web.commentary.rewrite import rewrite
from tests.factories import KpiFactory, MeasurementFactory, ObjectiveFactory

SOURCE = "Revenue was 1,978,000 € in Oct 2026, down 117,000 € (5.6 %) from 2,095,000 €."


class FakeModel:
    """An OpenAI-compatible chat-completions server answering ``reply`` (or ``status``)."""

    def __init__(self) -> None:
        self.reply = ""
        self.status = 200
        self.requests: list[dict[str, Any]] = []
        model = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                model.requests.append(
                    {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
                )
                payload = json.dumps(
                    {"choices": [{"message": {"role": "assistant", "content": model.reply}}]}
                ).encode()
                self.send_response(model.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def model(settings: Any) -> Iterator[FakeModel]:
    server = FakeModel()
    settings.SCORECARD_COMMENTARY_LLM_URL = server.url
    settings.SCORECARD_COMMENTARY_LLM_MODEL = "local-small"
    settings.SCORECARD_COMMENTARY_LLM_API_KEY = "sk-local"
    cache.clear()
    yield server
    server.close()
    cache.clear()


def test_a_rewrite_with_the_same_figures_is_used_and_cached(model: FakeModel) -> None:
    model.reply = "In Oct 2026 revenue fell by 117,000 € (5.6 %) to 1,978,000 €."
    outcome = rewrite(SOURCE)
    assert (outcome.text, outcome.rewritten) == (model.reply, True)
    [asked] = model.requests
    assert asked["path"] == "/v1/chat/completions" and asked["auth"] == "Bearer sk-local"
    assert asked["body"]["model"] == "local-small" and asked["body"]["temperature"] == 0
    assert asked["body"]["messages"][1] == {"role": "user", "content": SOURCE}
    # Shown again: the cached answer, nothing asked.
    assert rewrite(SOURCE) == outcome and len(model.requests) == 1


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("Revenue fell by 117,000 € (6 %).", "the model added numbers: 6"),
        ("Revenue reached 1,987,000 € in Oct 2026.", "the model added numbers: 1987000"),
        (
            "Revenue fell 117,000 € and should recover 10 % by 2027.",
            "the model added numbers: 10, 2027",
        ),
        ("", "the model answered nothing"),
    ],
)
def test_a_rewrite_adding_or_changing_a_number_is_refused(
    model: FakeModel, reply: str, reason: str
) -> None:
    model.reply = reply
    outcome = rewrite(SOURCE)
    assert (outcome.text, outcome.rewritten, outcome.reason) == (SOURCE, False, reason)


def test_a_failing_or_missing_endpoint_leaves_the_generated_text(
    model: FakeModel, settings: Any
) -> None:
    model.status = 500
    outcome = rewrite(SOURCE)
    assert (outcome.text, outcome.rewritten) == (SOURCE, False)
    assert outcome.reason.startswith("the model could not be reached: 500")
    settings.SCORECARD_COMMENTARY_LLM_URL = "http://127.0.0.1:9/v1"  # nobody listens
    assert rewrite(SOURCE).text == SOURCE
    settings.SCORECARD_COMMENTARY_LLM_URL = ""
    assert rewrite(SOURCE) == type(outcome)(SOURCE, False, "not configured")


@pytest.mark.django_db
def test_the_panel_shows_the_checked_rewrite(world: Any, model: FakeModel, settings: Any) -> None:
    settings.SCORECARD_TODAY = "2026-11-23"
    objective = ObjectiveFactory(perspective__scorecard=world.scorecard, name="Delight")
    kpi = KpiFactory(objective=objective, code="nps", name="NPS", unit="")
    MeasurementFactory(kpi=kpi, period_start=dt.date(2026, 10, 1), value=61)
    url = "/o/northwind/s/company/commentary/kpi/nps/"
    client = world.client_for("viewer")
    model.reply = "NPS reworded."
    page = client.get(url).content.decode()
    assert "NPS reworded." in page and "Reworded by a language model" in page
    generated = model.requests[0]["body"]["messages"][1]["content"]
    assert generated in page.replace("&#x27;", "'")  # the generated text stays one click away
    cache.clear()
    model.reply = "NPS was 99."  # a number the numbers do not say
    page = client.get(url).content.decode()
    assert "NPS was 99." not in page and "Reworded" not in page
