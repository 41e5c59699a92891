"""One number, one function (issue 13): every view of the demo company shows what the
one evaluation (``kpis.evaluation.scorecard_evaluate``) computed, formatted by the one
formatter (``presentation.numbers``).

The demo is loaded once for the module (the clock frozen on a fixed day) and rolled back
at its end. For each window (the latest period, quarter, half-year, year, year to date,
an earlier as-of date and the numbers "as known then") the engine's result is computed
once and compared with every score shown by the scorecard page, a few KPI pages (a plain
amount, two calculated ratios and the net promoter score), the strategy map, the what-if
page's "now" column, the scores API, the MCP tools, a dashboard's KPI tiles and
scorecard table, ``scorecard score --json``, the XLSX cells, the PDF text and a review
meeting's frozen scores (docs/scoring.md, "One number, one function").
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html
from openpyxl import load_workbook

from scorecard.api.services import api_token_create
from scorecard.dashboards.services import dashboard_create, widget_add
from scorecard.engine.evaluate import ScorecardResult
from scorecard.interchange.demo_story import demo_load
from scorecard.interchange.scores import perspective_keys, result_as_dict
from scorecard.kpis.evaluation import (
    ScorecardRows,
    organization_evaluate,
    scorecard_evaluate,
    scorecard_rows,
    value_rollups,
)
from scorecard.kpis.models import Kpi, KpiAlignment
from scorecard.kpis.period_words import VIEW_LABELS as REPORT_VIEW_LABELS
from scorecard.kpis.services import kpi_create, measurement_record
from scorecard.mcp_server import tools as mcp_tools
from scorecard.mcp_server.access import access_for_token
from scorecard.meetings.models import ReviewMeeting
from scorecard.meetings.services import meeting_create
from scorecard.organizations.models import Membership
from scorecard.presentation.numbers import format_number, pct, period_label, status_label
from scorecard.strategy.models import Objective, Scorecard

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)
ORG, SC = "northwind", "company"
#: KPI pages sampled: a plain amount, two calculated ratios and the net promoter score.
SAMPLED_KPIS = ["revenue", "gross_margin", "lead_conversion", "net_promoter_score"]


@dataclass(frozen=True)
class Window:
    """What a reader asks for: a view, an as-of date and (maybe) the knowledge of then."""

    view: str
    as_of: dt.date = TODAY
    known: str = ""

    @property
    def known_at(self) -> dt.datetime | None:
        if self.known != "then":
            return None
        return timezone.make_aware(dt.datetime.combine(self.as_of, dt.time.max))

    @property
    def window(self) -> tuple[str, str] | None:
        """A custom window's first and last day (from its view code), or None."""
        if not self.view.startswith("custom:"):
            return None
        _, start, end = self.view.split(":")
        return start, end

    @property
    def params(self) -> dict[str, str]:
        if self.window is not None:
            return {"view": "custom", "from": self.window[0], "to": self.window[1]}
        params = {"as_of": self.as_of.isoformat(), "view": self.view}
        if self.known:
            params["known"] = self.known
        return params

    @property
    def query(self) -> str:
        return "?" + urlencode(self.params)


WINDOWS = [
    pytest.param(Window("period"), id="period"),
    pytest.param(Window("quarter"), id="quarter"),
    pytest.param(Window("half_year"), id="half-year"),
    pytest.param(Window("year"), id="year"),
    pytest.param(Window("ytd"), id="ytd"),
    pytest.param(Window("period", dt.date(2026, 8, 20)), id="as-of"),
    # A custom window across a quarter's edge, scored as of its last day.
    pytest.param(Window("custom:2026-02-01:2026-05-15", dt.date(2026, 5, 15)), id="custom"),
    pytest.param(Window("quarter", dt.date(2026, 10, 20), "then"), id="known-then"),
]


@dataclass
class Demo:
    scorecard: Scorecard
    client: Client
    token: str


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Demo]:
    """The demo company, loaded once for the module and rolled back after it."""
    with override_settings(SCORECARD_TODAY=TODAY.isoformat()), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo_load(TODAY)
            scorecard = Scorecard.objects.select_related("organization").get(
                organization__slug=ORG, slug=SC
            )
            admin = (
                Membership.objects.filter(organization=scorecard.organization, role="admin")
                .select_related("user")
                .order_by("pk")
                .first()
            )
            assert admin is not None
            client = Client()
            client.force_login(admin.user)
            _, token = api_token_create(
                user=admin.user, organization=scorecard.organization, name="consistency"
            )
            yield Demo(scorecard, client, token)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _frozen_clock(settings: Any) -> None:
    settings.SCORECARD_TODAY = TODAY.isoformat()


# --- what the engine says, in the words of the one formatter -----------------------------


def engine_result(demo: Demo, window: Window) -> ScorecardResult:
    return scorecard_evaluate(
        scorecard=demo.scorecard, as_of=window.as_of, view=window.view, known_at=window.known_at
    )


def expected_texts(result: ScorecardResult, rows: ScorecardRows) -> dict[str, str]:
    """Every number of the scorecard as the pages must show it (key → text)."""
    texts = {"score": pct(result.score), "status": status_label(result.status)}
    for perspective in rows.perspectives:
        node = result.perspectives[str(perspective.pk)]
        texts[f"perspective:{perspective.name}"] = pct(node.score)
    for objective in rows.objectives:
        texts[f"objective:{objective.code}"] = pct(result.objectives[objective.code].score)
    for kpi in rows.kpis:
        k = result.kpis[kpi.code]
        texts[f"kpi:{kpi.code}:window"] = period_label(k.window)
        texts[f"kpi:{kpi.code}:value"] = format_number(k.value, kpi.unit)
        texts[f"kpi:{kpi.code}:target"] = format_number(k.target, kpi.unit)
        texts[f"kpi:{kpi.code}:progress"] = pct(k.progress)
        texts[f"kpi:{kpi.code}:score"] = pct(k.performance)
        texts[f"kpi:{kpi.code}:status"] = status_label(k.status)
    return texts


def assert_shows(shown: dict[str, str], expected: dict[str, str], where: str) -> None:
    """Every number ``where`` shows is the engine's, formatted the one way."""
    assert shown, f"{where} showed no numbers"
    unknown = set(shown) - set(expected)
    assert not unknown, f"{where} shows numbers the engine does not have: {sorted(unknown)}"
    wanted = {key: expected[key] for key in shown}
    assert shown == wanted, f"{where} disagrees with the engine"


def text(element: Any) -> str:
    return " ".join(element.text_content().split()).replace(" %", "\u00a0%")


def norm(value: str) -> str:
    """Whitespace as the formatter writes it: a non-breaking space before a unit."""
    return " ".join(value.split())


def normalized(texts: dict[str, str]) -> dict[str, str]:
    return {key: norm(value) for key, value in texts.items()}


def get(demo: Demo, url: str) -> str:
    response = demo.client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return str(response.content.decode())


# --- the pages ---------------------------------------------------------------------------

KPI_CELLS = ["window", "value", "target", "progress", "score"]


def scorecard_table_texts(tree: Any, row_id: str = "kpi-") -> dict[str, str]:
    """The numbers of a scorecard table (the scorecard page, a meeting's frozen table)."""
    shown: dict[str, str] = {}
    for row in tree.xpath("//tr[contains(@class, 'perspective')]"):
        name = text(row.xpath("./th")[0])
        shown[f"perspective:{name}"] = text(row.xpath("./td[contains(@class, 'score')]")[0])
    for row in tree.xpath("//tr[contains(@class, 'objective') and @id]"):
        code = row.get("id").removeprefix("objective-")
        shown[f"objective:{code}"] = text(row.xpath("./td[contains(@class, 'score')]")[0])
    for row in tree.xpath(f"//tr[contains(@class, 'kpi') and starts-with(@id, '{row_id}')]"):
        code = row.get("id").removeprefix(row_id)
        cells = row.xpath("./td")
        for name, cell in zip(KPI_CELLS, cells, strict=False):
            shown[f"kpi:{code}:{name}"] = text(cell)
        shown[f"kpi:{code}:status"] = text(cells[5].xpath(".//span[contains(@class, 'pill')]")[0])
    return shown


@pytest.mark.parametrize("window", WINDOWS)
def test_scorecard_page(demo: Demo, window: Window) -> None:
    result = engine_result(demo, window)
    rows = scorecard_rows(demo.scorecard)
    expected = normalized(expected_texts(result, rows))
    page = get(demo, reverse("scorecard_detail", args=[ORG, SC]) + window.query)
    tree = lxml_html.fromstring(page)
    shown = normalized(scorecard_table_texts(tree))
    shown["score"] = norm(text(tree.get_element_by_id("scorecard-score")))
    assert len([k for k in shown if k.endswith(":score")]) == len(rows.kpis)
    assert_shows(shown, expected, "the scorecard page")
    # The page names the window as the reports do (the half-year too).
    showing = tree.xpath("//div[@class='big'][span[@class='label']='Showing']/strong")
    expected_label = (
        f"{dt.date.fromisoformat(window.window[0]):%-d %b %Y} – "
        f"{dt.date.fromisoformat(window.window[1]):%-d %b %Y}"
        if window.window is not None
        else REPORT_VIEW_LABELS[window.view]
    )
    assert text(showing[0]) == expected_label


@pytest.mark.parametrize("window", WINDOWS)
def test_kpi_pages(demo: Demo, window: Window) -> None:
    result = engine_result(demo, window)
    rows = scorecard_rows(demo.scorecard)
    expected = normalized(expected_texts(result, rows))
    objective_of = {kpi.code: kpi.objective.code for kpi in rows.kpis}
    for code in SAMPLED_KPIS:
        page = get(demo, reverse("kpi_detail", args=[ORG, SC, code]) + window.query)
        tree = lxml_html.fromstring(page)
        boxes = tree.xpath("//div[@aria-label='Latest numbers']/div[contains(@class, 'big')]")
        shown = {
            f"kpi:{code}:value": text(tree.get_element_by_id("kpi-value")),
            f"kpi:{code}:target": text(boxes[1].xpath("./strong")[0]),
            f"kpi:{code}:score": text(tree.get_element_by_id("kpi-score")),
            f"kpi:{code}:status": text(tree.get_element_by_id("kpi-status")),
            f"objective:{objective_of[code]}": text(tree.get_element_by_id("objective-score")),
        }
        label = text(boxes[0].xpath("./span[@class='label']")[0])
        shown[f"kpi:{code}:window"] = label.removeprefix("Value · ")
        assert_shows(normalized(shown), expected, f"the KPI page of {code}")


@pytest.mark.parametrize("window", WINDOWS)
def test_strategy_map(demo: Demo, window: Window) -> None:
    result = engine_result(demo, window)
    rows = scorecard_rows(demo.scorecard)
    expected = normalized(expected_texts(result, rows))
    page = get(demo, reverse("strategy_map", args=[ORG, SC]) + window.query)
    tree = lxml_html.fromstring(page)
    shown = {}
    for objective in rows.objectives:
        prefix = reverse("objective_detail", args=[ORG, SC, objective.code])
        [box] = [a for a in tree.xpath("//svg//a") if a.get("href", "").split("?")[0] == prefix]
        [score] = box.xpath(".//*[local-name()='text' and contains(@class, 'score')]")
        shown[f"objective:{objective.code}"] = text(score)
    assert_shows(normalized(shown), expected, "the strategy map")


@pytest.mark.parametrize(
    "window", [p for p in WINDOWS if p.values[0].view == "period" and not p.values[0].known]
)
def test_whatif_now_column(demo: Demo, window: Window) -> None:
    """The what-if page scores the latest period; its "now" is the scorecard page's number
    (with the shares the departments' scorecards contribute)."""
    result = engine_result(demo, window)
    rows = scorecard_rows(demo.scorecard)
    expected = normalized(expected_texts(result, rows))
    page = get(demo, reverse("whatif", args=[ORG, SC]) + f"?as_of={window.as_of.isoformat()}")
    tree = lxml_html.fromstring(page)
    shown = {"score": text(tree.xpath("//div[contains(@class, 'whatif-summary')]//strong")[0])}
    names = {kpi.name: kpi for kpi in rows.kpis}
    for row in tree.xpath(
        "//table[contains(@class, 'whatif')]/tbody/tr[not(@class='objective-row')]"
    ):
        name = " ".join(row.xpath("./th")[0].text_content().split())
        kpi = names[name]
        cells = row.xpath("./td")
        shown[f"kpi:{kpi.code}:value"] = text(cells[0])
        shown[f"kpi:{kpi.code}:target"] = text(cells[2])
        shown[f"kpi:{kpi.code}:score"] = " ".join(cells[6].text.split())
    assert len([k for k in shown if k.endswith(":score")]) == len(rows.kpis)
    assert_shows(normalized(shown), expected, "the what-if page")


# --- the machine views -------------------------------------------------------------------


def assert_same_numbers(data: dict[str, Any], result: ScorecardResult, where: str) -> None:
    """A ``result_as_dict`` answer (the API, ``score --json``) carries the engine's numbers."""
    expected = result_as_dict(result)
    assert (data["score"], data["status"]) == (expected["score"], expected["status"]), where
    assert [(p["key"], p["score"], p["status"]) for p in data["perspectives"]] == [
        (p["key"], p["score"], p["status"]) for p in expected["perspectives"]
    ], where
    assert {o["key"]: o["score"] for o in data["objectives"]} == {
        o["key"]: o["score"] for o in expected["objectives"]
    }, where
    fields = ("value", "target", "performance", "progress", "status")
    assert {k["code"]: [k[f] for f in fields] for k in data["kpis"]} == {
        k["code"]: [k[f] for f in fields] for k in expected["kpis"]
    }, where


@pytest.mark.parametrize("window", WINDOWS)
def test_scores_api(demo: Demo, window: Window) -> None:
    result = engine_result(demo, window)
    params = {"as_of": window.as_of.isoformat(), "view": window.view}
    if window.window is not None:
        params = {"from": window.window[0], "to": window.window[1]}
    if window.known_at is not None:
        params["known_at"] = window.known_at.isoformat()
    client = Client(headers={"Authorization": f"Bearer {demo.token}"})
    response = client.get(f"/api/v1/scorecards/{demo.scorecard.pk}/scores?{urlencode(params)}")
    assert response.status_code == 200, response.content[:500]
    assert_same_numbers(response.json(), result, "the scores API")


#: The MCP tools take a view and an as-of date (and "as known at" for scores), not a custom
#: window.
MCP_WINDOWS = [p for p in WINDOWS if p.values[0].window is None]


@pytest.mark.parametrize("window", MCP_WINDOWS)
def test_mcp_tools(demo: Demo, window: Window) -> None:
    """What an assistant reads through MCP is the engine's number: the scores tool, a KPI
    explained, and the list of what is red."""
    result = engine_result(demo, window)
    access = access_for_token(demo.token)
    known_at = window.known_at.isoformat() if window.known_at is not None else None
    data = mcp_tools.read_scores(
        access, scorecard=SC, as_of=window.as_of.isoformat(), view=window.view, known_at=known_at
    )
    assert_same_numbers(data, result, "the MCP scores tool")
    if known_at is not None:
        return  # explain_kpi and list_attention read the numbers as known now
    fields = ("value", "target", "performance", "status")
    for code in SAMPLED_KPIS:
        explained = mcp_tools.explain_kpi(
            access, kpi=f"{SC}/{code}", as_of=window.as_of.isoformat(), view=window.view
        )
        shown = result.kpis[code]
        assert [explained["number"][f] for f in fields] == [getattr(shown, f) for f in fields]
    if window.view == "period":
        red = {
            row["kpi"].split("/")[1]: (row["value"], row["performance"])
            for row in mcp_tools.list_attention(
                access, scorecard=SC, as_of=window.as_of.isoformat()
            )
            if row["red"]
        }
        assert red == {
            code: (k.value, k.performance) for code, k in result.kpis.items() if k.status == "red"
        }
        assert red, "the demo has red KPIs to list"


@pytest.mark.parametrize("window", WINDOWS)
def test_dashboard_widgets(demo: Demo, window: Window) -> None:
    """A dashboard's KPI tiles and scorecard table show the scorecard page's numbers."""
    result = engine_result(demo, window)
    rows = scorecard_rows(demo.scorecard)
    expected = normalized(expected_texts(result, rows))
    membership = Membership.objects.get(
        organization=demo.scorecard.organization, user=demo.client.session["_auth_user_id"]
    )
    board = dashboard_create(membership=membership, name="Consistency")
    by_code = {kpi.code: kpi for kpi in rows.kpis}
    tiles = {
        code: widget_add(
            dashboard=board, membership=membership, kind="kpi_tile", kpi_id=by_code[code].pk
        )
        for code in SAMPLED_KPIS
    }
    table = widget_add(
        dashboard=board, membership=membership, kind="scorecard_table",
        scorecard_id=demo.scorecard.pk,
    )  # fmt: skip

    def fragment(widget_pk: int) -> Any:
        url = reverse("widget_fragment", args=[ORG, board.pk, widget_pk]) + window.query
        return lxml_html.fromstring(get(demo, url))

    shown = {}
    for code, widget in tiles.items():
        [value] = fragment(widget.pk).xpath("//*[@data-testid='tile-value']")
        shown[f"kpi:{code}:value"] = text(value)
    tree = fragment(table.pk)
    name_to_code = {kpi.name: kpi.code for kpi in rows.kpis}
    for row in tree.xpath("//table//tr[td]"):
        cells = row.xpath("./td")
        name = text(row.xpath("./th | ./td")[0]).strip()
        if name in name_to_code and len(cells) == 5:
            code = name_to_code[name]
            for key, cell in zip(["value", "target", "score", "status"], cells[1:], strict=True):
                shown[f"kpi:{code}:{key}"] = text(cell)
        elif row.get("class") == "group":
            shown[f"perspective:{name}"] = text(row.xpath("./td[contains(@class, 'num')]")[0])
    assert len([k for k in shown if k.endswith(":score")]) == len(rows.kpis)
    assert_shows(normalized(shown), expected, "the dashboard's widgets")


@pytest.mark.parametrize("window", WINDOWS)
def test_score_json_command(demo: Demo, window: Window) -> None:
    result = engine_result(demo, window)
    args = ["score", "--json", "--organization", ORG, "--scorecard", SC]
    if window.window is not None:
        args += ["--from", window.window[0], "--to", window.window[1]]
    else:
        args += ["--as-of", window.as_of.isoformat(), "--view", window.view]
    if window.known_at is not None:
        args += ["--known-at", window.known_at.isoformat()]
    out = io.StringIO()
    call_command(*args, stdout=out)
    [data] = json.loads(out.getvalue())["scorecards"]
    assert_same_numbers(data, result, "scorecard score --json")


def xl(value: float | None) -> float | None:
    """A number as an XLSX file keeps it: 16 significant digits (openpyxl writes %.16g)."""
    return None if value is None else float(f"{value:.16g}")


@pytest.mark.parametrize("window", WINDOWS)
def test_xlsx_cells(demo: Demo, window: Window) -> None:
    result = engine_result(demo, window)
    rows = scorecard_rows(demo.scorecard)
    response = demo.client.get(reverse("scorecard_report_xlsx", args=[ORG, SC]) + window.query)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row}
    assert summary["Overall score"] == xl(result.score)
    assert summary["Lagging KPIs (outcomes)"] == xl(result.lagging)
    assert summary["Leading KPIs (drivers)"] == xl(result.leading)
    for perspective in rows.perspectives:
        assert summary[perspective.name] == xl(result.perspectives[str(perspective.pk)].score)
    for objective in rows.objectives:
        assert summary["    " + objective.name] == xl(result.objectives[objective.code].score)
    seen = {}
    for sheet in book.worksheets[1:]:
        header = [cell.value for cell in sheet[1]]
        if header[:3] != ["Objective", "KPI", "Code"]:
            continue
        for values in sheet.iter_rows(min_row=2, values_only=True):
            if values[2]:
                seen[values[2]] = (values[3], values[4], values[5], values[7], values[8], values[9])
    assert seen == {
        kpi.code: (
            period_label(result.kpis[kpi.code].window),
            xl(result.kpis[kpi.code].value),
            xl(result.kpis[kpi.code].target),
            xl(result.kpis[kpi.code].progress),
            xl(result.kpis[kpi.code].performance),
            status_label(result.kpis[kpi.code].status),
        )
        for kpi in rows.kpis
    }


@pytest.mark.once  # rendering a PDF is the same work on any database
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils (pdftotext)")
@pytest.mark.parametrize(
    # WeasyPrint takes a while: the PDF is read in one window (the PDF and the XLSX share
    # reports.data, which the XLSX test checks in every window).
    "window",
    [p for p in WINDOWS if p.id == "ytd"],
)
def test_pdf_text(demo: Demo, window: Window) -> None:
    """The PDF's summary table: one line per perspective, objective and KPI."""
    result = engine_result(demo, window)
    rows = scorecard_rows(demo.scorecard)
    response = demo.client.get(reverse("scorecard_report_pdf", args=[ORG, SC]) + window.query)
    assert response.status_code == 200
    pdf = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    lines = [pdf_norm(line) for line in pdf.splitlines()]
    expected = {key: pdf_norm(value) for key, value in expected_texts(result, rows).items()}
    assert f"Overall score {expected['score']}" in " ".join(lines) or any(
        line.startswith("Summary of scores") and expected["score"] in line for line in lines
    )
    table = _summary_table(lines)
    for perspective in rows.perspectives:
        wanted = f"{perspective.name} {expected[f'perspective:{perspective.name}']}"
        assert any(line.startswith(wanted) for line in table), wanted
    for objective in rows.objectives:
        wanted = f"{objective.name} {expected[f'objective:{objective.code}']}"
        assert any(line.startswith(wanted) for line in table), wanted
    for kpi in rows.kpis:
        numbers = " ".join(
            expected[f"kpi:{kpi.code}:{name}"] for name in ("value", "target", "progress", "score")
        )
        assert any(numbers in line for line in table), (kpi.code, numbers)


def pdf_norm(value: str) -> str:
    """Text as pdftotext gives it back: single spaces, and the narrow space before a unit
    sometimes dropped ("6%" for "6 %"), so none is kept there."""
    return re.sub(r"(?<=\d) (?=[^\s\d−—])", "", " ".join(value.split()))


def _summary_table(lines: list[str]) -> list[str]:
    """The lines of the PDF's "Summary of scores" table (until the first perspective page)."""
    start = next(i for i, line in enumerate(lines) if line.startswith("Summary of scores"))
    return lines[start:]


# --- review meetings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    # Meetings are held over the fixed views (not over a custom window).
    "window",
    [p for p in WINDOWS if not p.values[0].known and p.id != "custom"],
)
def test_a_meeting_freezes_the_engines_numbers(demo: Demo, window: Window) -> None:
    meeting = meeting_create(
        scorecard=demo.scorecard,
        title="Consistency review",
        held_on=TODAY,
        as_of=window.as_of,
        view=window.view,
    )
    result = scorecard_evaluate(
        scorecard=demo.scorecard, as_of=window.as_of, view=window.view, known_at=meeting.known_at
    )
    rows = scorecard_rows(demo.scorecard)
    expected = normalized(expected_texts(result, rows))
    page = get(demo, reverse("meeting_detail", args=[ORG, SC, meeting.pk]))
    tree = lxml_html.fromstring(page)
    shown = normalized(scorecard_table_texts(tree, row_id="frozen-"))
    shown["score"] = norm(text(tree.get_element_by_id("meeting-score")))
    assert len([k for k in shown if k.endswith(":score")]) == len(rows.kpis)
    assert_shows(shown, expected, "the meeting page")


def test_the_demo_review_reproduces_as_known_at_the_meeting(demo: Demo) -> None:
    """ "Report as known at the meeting" gives the numbers the meeting froze."""
    meeting = ReviewMeeting.objects.get(scorecard=demo.scorecard)
    result = scorecard_evaluate(
        scorecard=demo.scorecard,
        as_of=meeting.as_of,
        view=meeting.view,
        known_at=meeting.known_at,
    )
    frozen = meeting.snapshot
    assert frozen["score"] == result.score
    keys = perspective_keys([p["name"] for p in frozen["perspectives"]])
    assert keys == [p["key"] for p in result_as_dict(result)["perspectives"]]
    for perspective in frozen["perspectives"]:
        for objective in perspective["objectives"]:
            assert objective["score"] == result.objectives[objective["code"]].score
            for kpi in objective["kpis"]:
                k = result.kpis[kpi["code"]]
                assert (kpi["value"], kpi["target"], kpi["performance"]) == (
                    k.value,
                    k.target,
                    k.performance,
                ), kpi["code"]


# --- the known bugs of issue 13 ----------------------------------------------------------


def test_gross_margin_ytd_target_is_48_percent(demo: Demo) -> None:
    result = engine_result(demo, Window("ytd"))
    assert result.kpis["gross_margin"].target == pytest.approx(48)
    page = get(demo, reverse("scorecard_detail", args=[ORG, SC]) + Window("ytd").query)
    row = lxml_html.fromstring(page).get_element_by_id("kpi-gross_margin")
    assert norm(text(row.xpath("./td")[2])) == norm(format_number(48, "%"))


def test_whatif_now_equals_the_scorecard_page_with_cascaded_shares(demo: Demo) -> None:
    page = lxml_html.fromstring(get(demo, reverse("scorecard_detail", args=[ORG, SC])))
    whatif = lxml_html.fromstring(get(demo, reverse("whatif", args=[ORG, SC])))
    now = whatif.xpath("//div[contains(@class, 'whatif-summary')]//strong")[0]
    assert text(now) == text(page.get_element_by_id("scorecard-score"))
    # The departments' scorecards feed the company's objectives: the shares count.
    assert re.search(r"\d", text(now))


def test_net_promoter_scores_of_two_departments_average_at_the_company(demo: Demo) -> None:
    """Sales says 60, Operations 50: the company's rolled-up NPS is 55, not 110."""
    company_nps = Kpi.objects.get(scorecard=demo.scorecard, code="net_promoter_score")
    for slug, value in [("sales", 60), ("operations", 50)]:
        card = Scorecard.objects.get(organization=demo.scorecard.organization, slug=slug)
        objective = Objective.objects.filter(scorecard=card).order_by("pk").first()
        assert objective is not None
        kpi = kpi_create(
            objective=objective,
            code="net_promoter_score",
            name="Net promoter score",
            optimization="goal_red_flag",
            target=50,
            red_flag=30,
            update_interval="quarter",
            time_aggregation="last",
        )
        measurement_record(kpi=kpi, period_start=dt.date(2026, 7, 1), value=value)
        KpiAlignment.objects.create(child=kpi, parent=company_nps)
    scores = organization_evaluate(organization_id=demo.scorecard.organization_id, as_of=TODAY)
    assert value_rollups(scores)[company_nps.pk].value == pytest.approx(55)
    page = get(demo, reverse("alignment", args=[ORG]))
    assert "110" not in page
    assert norm(format_number(55)) in norm(page)


def test_the_alignment_page_shows_each_scorecards_page_score(demo: Demo) -> None:
    """The unit tree scores the whole organization at once; each scorecard's number there
    is the one its own page shows."""
    tree = lxml_html.fromstring(get(demo, reverse("alignment", args=[ORG])))
    cards = Scorecard.objects.filter(organization=demo.scorecard.organization)
    assert cards.count() > 1
    for card in cards:
        result = scorecard_evaluate(scorecard=card, as_of=TODAY)
        shown = text(tree.get_element_by_id(f"score-{card.slug}"))
        assert norm(shown) == norm(pct(result.score)), card.slug


def test_sensitivity_and_goal_seek_start_from_the_engines_numbers(demo: Demo) -> None:
    result = engine_result(demo, Window("period"))
    rows = scorecard_rows(demo.scorecard)
    names = {kpi.name: kpi.code for kpi in rows.kpis}
    url = reverse("whatif", args=[ORG, SC])
    tree = lxml_html.fromstring(get(demo, url))
    sensitivity = tree.xpath("//table[contains(@class, 'sensitivity')]/tbody/tr")
    assert sensitivity
    for row in sensitivity:
        code = names[" ".join(row.xpath("./th")[0].text_content().split())]
        shown = text(row.xpath("./td")[0])
        assert norm(shown) == norm(pct(result.kpis[code].performance)), code
    objective = next(o for o in rows.objectives if result.objectives[o.code].status != "green")
    kpi = next(k for k in rows.kpis if k.objective_id == objective.pk and not k.formula)
    answer = lxml_html.fromstring(
        get(demo, url + f"?seek_kpi={kpi.code}&seek_node=objective:{objective.code}")
    ).xpath("//p[@id='seek-answer']")
    assert answer, "goal seek gave no answer"
    if "now " in text(answer[0]):  # "unreachable" and "already green" name no value
        now = norm(format_number(result.kpis[kpi.code].value, kpi.unit))
        assert f"now {now}" in norm(text(answer[0]))
