"""``scorecard score --from … --to …``: a custom window from the command line, as JSON and
text, with plain errors for bad dates."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from .documents import write

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

#: Monthly sales (summed, target 100) from November 2025 to March 2026, and a monthly
#: satisfaction score (averaged, target 75) from January to March 2026.
DOCUMENT = """
version: 1
organization: {name: Shop, slug: shop}
units: [{slug: shop, name: Shop}]
scorecards:
  - slug: shop
    name: Shop
    unit: shop
    perspectives:
      - name: Learning & growth
        objectives:
          - code: sell-more
            name: Sell more
            kpis:
              - {code: sales, name: Sales, minimum: 0, target: 100, time_aggregation: sum,
                 measurements: [{period: 2025-11, value: 100}, {period: 2025-12, value: 120},
                                {period: 2026-01, value: 90}, {period: 2026-02, value: 110},
                                {period: 2026-03, value: 130}]}
              - {code: satisfaction, name: Satisfaction, unit: score, minimum: 0, target: 75,
                 time_aggregation: average,
                 measurements: [{period: 2026-01, value: 80}, {period: 2026-02, value: 90},
                                {period: 2026-03, value: 70}]}
"""


@pytest.fixture
def frozen_today():
    with override_settings(SCORECARD_TODAY="2026-11-23"):
        yield


@pytest.fixture
def shop(tmp_path: Path) -> None:
    call_command("load", str(write(tmp_path, DOCUMENT)), stdout=StringIO())


def _score(*args: str) -> str:
    out = StringIO()
    call_command("score", *args, stdout=out)
    return out.getvalue()


# (from, to, sales value and target, satisfaction value)
WINDOWS = [
    # Two fiscal years: November + December 2025, January + February 2026.
    ("2025-11-01", "2026-02-28", 420, 400, 85),
    # 1 February – 31 March.
    ("2026-02-01", "2026-03-31", 240, 200, 80),
    # 16 of January's 31 days pro rata; the average weighs the months by their days.
    ("2026-01-16", "2026-02-28", 90 * 16 / 31 + 110, 100 * 16 / 31 + 100, (80 * 16 + 90 * 28) / 44),
]


@pytest.mark.usefixtures("shop")
@pytest.mark.parametrize(("start", "end", "value", "target", "satisfaction"), WINDOWS)
def test_score_json_over_a_custom_window(
    start: str, end: str, value: float, target: float, satisfaction: float
) -> None:
    data = json.loads(_score("--from", start, "--to", end, "--json"))
    assert data["view"] == "custom"
    assert data["window"] == {"start": start, "end": end}
    assert data["as_of"] == end
    card = data["scorecards"][0]
    assert card["view"] == "custom" and card["window"] == data["window"]
    # Keys by slug and code, never a database id.
    assert (card["organization"], card["key"]) == ("shop", "shop")
    assert [p["key"] for p in card["perspectives"]] == ["learning-growth"]
    assert [o["key"] for o in card["objectives"]] == ["sell-more"]
    sales, happy = card["kpis"]
    assert (sales["code"], sales["objective"], happy["code"]) == (
        "sales",
        "sell-more",
        "satisfaction",
    )
    assert sales["window"] == {"start": start, "end": end}
    assert sales["value"] == pytest.approx(value)
    assert sales["target"] == pytest.approx(target)
    assert sales["performance"] == pytest.approx(value / target)
    assert happy["value"] == pytest.approx(satisfaction)
    assert happy["target"] == pytest.approx(75)


@pytest.mark.usefixtures("shop")
def test_score_text_over_a_custom_window() -> None:
    text = _score("--from", "2026-02-01", "--to", "2026-03-31")
    assert "Sales: value 240 target 200 → 120.0 % (green)" in text


@pytest.mark.usefixtures("shop")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-03-31", "--to", "2026-02-01"], "The window ends (1 Feb 2026) before"),
        (["--from", "2026-02-01"], "the to date is missing"),
        (["--from", "1 Feb", "--to", "2026-03-31"], "The from date “1 Feb” is not a date"),
        (["--from", "2026-12-01", "--to", "2026-12-31"], "The window starts in the future"),
        (["--from", "2000-01-01", "--to", "2026-03-31"], "is longer than 10 years"),
        (["--from", "2026-02-01", "--to", "2026-03-31", "--view", "ytd"], "either --view or"),
    ],
)
def test_bad_windows_are_explained(args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as raised:
        _score(*args)
    assert message in str(raised.value)
