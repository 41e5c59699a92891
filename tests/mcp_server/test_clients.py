"""The MCP server driven by the official SDK's own client, over stdio and streamable HTTP.

The demo company is loaded into a SQLite file; ``scorecard mcp`` (stdio) and
``scorecard mcp --http`` (the ASGI application with MCP under /mcp/) run as real
subprocesses against it, as an assistant's client would start them (docs/mcp.md).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

# The clients start their own demo on a SQLite file whatever DATABASE_URL says.
pytestmark = pytest.mark.once


def _run(coroutine: Any) -> Any:
    """Run the client in a thread of its own: a browser test in the same worker may leave
    an event loop running in this one, where asyncio.run() refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


SCORECARD = str(Path(sys.executable).with_name("scorecard"))

TOKENS = """
import django
django.setup()
from django.contrib.auth import get_user_model
from scorecard.api.services import api_token_create
from scorecard.organizations.models import Organization
org = Organization.objects.get(slug="northwind")
for name in ["admin", "viewer"]:
    user = get_user_model().objects.get(username=name)
    print(name, api_token_create(user=user, organization=org, name="assistant")[1])
"""


@dataclass
class Demo:
    env: dict[str, str]
    tokens: dict[str, str]
    url: str  # the HTTP server's address


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    folder = tmp_path_factory.mktemp("mcp")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "scorecard.settings",
        "SECURE_COOKIES": "false",
    }
    subprocess.run([SCORECARD, "demo"], env=env, check=True, capture_output=True, timeout=600)
    made = subprocess.run(
        [sys.executable, "-c", TOKENS], env=env, check=True, capture_output=True, text=True
    )
    tokens = dict(line.split(" ", 1) for line in made.stdout.strip().splitlines())
    port = _free_port()
    server = subprocess.Popen(
        [SCORECARD, "mcp", "--http", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{url}/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the HTTP server did not start")
        yield Demo(env, tokens, url)
    finally:
        server.terminate()
        server.wait(timeout=30)


def stdio(demo: Demo, token: str) -> Client:
    env = {"DATABASE_URL": demo.env["DATABASE_URL"], "SCORECARD_API_TOKEN": token}
    if "PYTHONPATH" in os.environ:  # where the code under test is, when it is not installed
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return Client(StdioServerParameters(command=SCORECARD, args=["mcp"], env=env))


async def _http_calls(
    demo: Demo, token: str | None, calls: list[tuple[str, dict[str, Any]]]
) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with (
        create_mcp_http_client(headers=headers) as http,
        Client(streamable_http_client(f"{demo.url}/mcp/", http_client=http)) as client,
    ):
        return [await client.call_tool(name, arguments) for name, arguments in calls]


def scorecard_page(demo: Demo) -> str:
    """The demo's company scorecard page as the admin sees it in the browser."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{demo.url}/login/")
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    form = {"username": "admin", "password": "demo", "csrfmiddlewaretoken": csrf}
    opener.open(f"{demo.url}/login/", data=urllib.parse.urlencode(form).encode())
    return opener.open(f"{demo.url}/o/northwind/s/company/").read().decode()


def _text(result: Any) -> str:
    return " ".join(getattr(part, "text", "") for part in result.content)


def test_stdio_lists_red_kpis_and_records_a_value_that_the_page_shows(demo: Demo) -> None:
    async def session() -> tuple[Any, Any, Any, Any]:
        async with stdio(demo, demo.tokens["admin"]) as client:
            names = {tool.name for tool in (await client.list_tools()).tools}
            attention = await client.call_tool("list_attention", {"scorecard": "company"})
            red = [row for row in attention.structured_content["result"] if row["red"]]
            explained = await client.call_tool("explain_kpi", {"kpi": red[0]["kpi"]})
            start = explained.structured_content["number"]["window"]["start"]
            recorded = await client.call_tool(
                "record_value",
                {"kpi": red[0]["kpi"], "period_start": start, "value": 4242, "note": "by MCP"},
            )
            return names, red, explained, recorded

    before = scorecard_page(demo)
    names, red, explained, recorded = _run(session())
    assert names == {
        "list_scorecards",
        "read_scores",
        "explain_kpi",
        "list_attention",
        "record_value",
    }
    assert red and all(row["status"] == "red" for row in red)
    assert {"company/days_sales_outstanding", "company/return_rate"} <= {r["kpi"] for r in red}
    assert all(row["owner"] or row["updater"] or row["objective_owner"] for row in red)
    facts = explained.structured_content
    assert facts["rule"]["optimization"] and facts["inputs"] and facts["why"]
    assert facts["why"][0].startswith("kpi: ") and "vision: " in facts["why"][0]
    assert not recorded.is_error, _text(recorded)
    assert recorded.structured_content["value"] == 4242
    assert "4,242" not in before
    link = f'href="/o/northwind/s/company/kpi/{red[0]["kpi"].split("/")[1]}/"'
    rows = [row for row in re.findall(r"<tr.*?</tr>", scorecard_page(demo), re.S) if link in row]
    assert rows and any("4,242" in row for row in rows)


def test_http_viewer_reads_but_is_refused_the_write(demo: Demo) -> None:
    listed, scores, refused = _run(
        _http_calls(
            demo,
            demo.tokens["viewer"],
            [
                ("list_scorecards", {}),
                ("read_scores", {"scorecard": "company", "view": "ytd"}),
                (
                    "record_value",
                    {"kpi": "company/revenue", "period_start": "2026-01-01", "value": 1},
                ),
            ],
        )
    )
    assert "company" in {card["slug"] for card in listed.structured_content["result"]}
    assert not scores.is_error and scores.structured_content["view"] == "ytd"
    assert refused.is_error
    assert "Forbidden: This needs the contributor role or higher." in _text(refused)


def test_http_admin_records_and_anonymous_or_bad_tokens_are_refused(demo: Demo) -> None:
    [attention, bad_view] = _run(
        _http_calls(
            demo,
            demo.tokens["admin"],
            [("list_attention", {}), ("read_scores", {"scorecard": "company", "view": "week"})],
        )
    )
    assert any(row["red"] for row in attention.structured_content["result"])
    assert bad_view.is_error and "view: “week” is not a window" in _text(bad_view)
    for token in [None, "sct_nothing_here"]:
        [answer] = _run(_http_calls(demo, token, [("list_scorecards", {})]))
        assert answer.is_error and "Not authenticated" in _text(answer)


def test_stdio_refuses_to_start_without_a_valid_token(demo: Demo) -> None:
    env = {**demo.env, "SCORECARD_API_TOKEN": "sct_made_up"}
    done = subprocess.run(
        [SCORECARD, "mcp"], env=env, capture_output=True, text=True, timeout=120, input=""
    )
    assert done.returncode != 0
    assert "the API token is unknown or revoked" in done.stderr
