"""Parsing scorecard documents: every problem named by its place, in plain words.

These tests read documents only; nothing touches the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from scorecard.interchange.document import (
    DocumentError,
    SeriesIn,
    measurement_rows,
    parse_document,
    period_date,
)

from .documents import (
    COST,
    DEMO,
    GROW,
    MAIN,
    MARGIN,
    MINIMAL,
    SALES,
    card,
    kpi,
    mutate,
    objective,
    sales_kpi,
)


def errors_of(text: str) -> list[tuple[str, str]]:
    with pytest.raises(DocumentError) as excinfo:
        parse_document(text)
    return [(e.path, e.message) for e in excinfo.value.errors]


def test_minimal_document_parses() -> None:
    document = parse_document(MINIMAL)
    assert document.organization.slug == "acme"
    assert [s.slug for s in document.scorecards] == ["main", "sales-card"]


def test_demo_document_parses_without_error() -> None:
    document = parse_document(DEMO.read_text(encoding="utf-8"))
    assert document.organization.slug == "northwind"


Change = Callable[[dict[str, Any]], Any]

ACCOUNTS = "scorecards[sales-card].perspectives[Customer].objectives[accounts].kpis[accounts]"


#: (label, change to MINIMAL, path of the error, fragment of its message)
BAD: list[tuple[str, Change, str, str]] = [
    # --- fields
    ("unknown field", lambda d: kpi(d).update(colour="red"), f"{SALES}.colour", "unknown field"),
    ("unknown top-level field", lambda d: d.update(scorecard=[]), "scorecard", "unknown field"),
    ("missing name", lambda d: objective(d).pop("name"), f"{GROW}.name", "required"),
    ("missing version", lambda d: d.pop("version"), "version", "required"),
    ("bad version", lambda d: d.update(version=2), "version", "must be one of 1"),
    (
        "bad optimization",
        lambda d: kpi(d).update(optimization="biggest"),
        f"{SALES}.optimization",
        "must be one of 'maximize', 'minimize'",
    ),
    ("negative weight", lambda d: kpi(d).update(weight=-1), f"{SALES}.weight", "greater than 0"),
    (
        "zero perspective weight",
        lambda d: card(d)["perspectives"][0].update(weight=0),
        f"{MAIN}.perspectives[Financial].weight",
        "greater than 0",
    ),
    ("not a number", lambda d: kpi(d).update(maximum="lots"), f"{SALES}.maximum", "a number"),
    ("not finite", lambda d: kpi(d).update(maximum=float("nan")), f"{SALES}.maximum", "finite"),
    (
        "KPI code not usable in formulas",
        lambda d: kpi(d).update(code="Sales-EU"),
        f"{GROW}.kpis[Sales-EU].code",
        "lower-case letter",
    ),
    (
        "slug with a space",
        lambda d: d["units"][0].update(slug="head office"),
        "units[head office].slug",
        "letters, digits, - and _",
    ),
    (
        "bad e-mail",
        lambda d: d["users"][0].update(email="ann at acme"),
        "users[ann].email",
        "e-mail address",
    ),
    ("bad role", lambda d: d["users"][0].update(role="boss"), "users[ann].role", "must be one of"),
    (
        "progress above 1",
        lambda d: card(d)["initiatives"][0].update(progress=1.5),
        f"{MAIN}.initiatives[Price list].progress",
        "at most 1",
    ),
    (
        "negative budget",
        lambda d: card(d)["initiatives"][0].update(budget=-5),
        f"{MAIN}.initiatives[Price list].budget",
        "at least 0",
    ),
    (
        "bad date",
        lambda d: objective(d).update(due_date="next spring"),
        f"{GROW}.due_date",
        "a date like 2026-03-31",
    ),
    (
        "measurements neither list nor series",
        lambda d: kpi(d).update(measurements="10, 20"),
        f"{SALES}.measurements",
        "a list of {period, value, note} or a series {start, values}",
    ),
    (
        "series with a misspelt key",
        lambda d: kpi(d).update(measurements={"start": "2026-01", "valeus": [1]}),
        f"{SALES}.measurements.valeus",
        "unknown field",
    ),
    (
        "series value not a number",
        lambda d: kpi(d).update(measurements={"start": "2026-01", "values": [1, "x"]}),
        f"{SALES}.measurements.values[1]",
        "a number",
    ),
    (
        "period that is no period",
        lambda d: kpi(d, 1)["measurements"][0].update(period="March"),
        f"{COST}.measurements[0].period",
        "“March” is not a period",
    ),
    (
        "month 13",
        lambda d: kpi(d, 1)["measurements"][0].update(period="2026-13"),
        f"{COST}.measurements[0].period",
        "names no month",
    ),
    (
        "alignment not scorecard/objective",
        lambda d: card(d, 1)["perspectives"][0]["objectives"][0].update(
            aligned_to=[{"objective": "grow"}]
        ),
        "scorecards[sales-card].perspectives[Customer].objectives[accounts].aligned_to[0].objective",
        "scorecard-slug/objective-code",
    ),
    # --- unique names
    (
        "duplicate KPI code",
        lambda d: objective(d, 1)["kpis"].append({"code": "sales", "name": "Again"}),
        f"{MAIN}.perspectives[Financial].objectives[margin-up].kpis[sales].code",
        "the KPI code “sales” is used twice",
    ),
    (
        "duplicate objective code",
        lambda d: card(d)["perspectives"][1]["objectives"].append({"code": "grow", "name": "X"}),
        f"{MAIN}.perspectives[Customer].objectives[grow].code",
        "the objective code “grow” is used twice",
    ),
    (
        "duplicate unit slug",
        lambda d: d["units"].append({"slug": "hq", "name": "Again"}),
        "units[hq].slug",
        "the unit slug “hq” is used twice",
    ),
    (
        "duplicate username",
        lambda d: d["users"].append({"username": "ann"}),
        "users[ann].username",
        "used twice",
    ),
    (
        "duplicate perspective",
        lambda d: card(d)["perspectives"].append({"name": "Customer"}),
        f"{MAIN}.perspectives[Customer].name",
        "used twice",
    ),
    # --- references
    ("unknown owner", lambda d: objective(d).update(owner="eve"), f"{GROW}.owner", "no user “eve”"),
    ("unknown updater", lambda d: kpi(d).update(updater="eve"), f"{SALES}.updater", "no user"),
    (
        "unknown assignee",
        lambda d: card(d)["initiatives"][0]["tasks"][0].update(assignee="eve"),
        f"{MAIN}.initiatives[Price list].tasks[Compare].assignee",
        "no user “eve” in users",
    ),
    ("unknown unit", lambda d: card(d).update(unit="mars"), f"{MAIN}.unit", "no unit “mars”"),
    (
        "unknown parent unit",
        lambda d: d["units"][1].update(parent="mars"),
        "units[sales].parent",
        "no unit “mars”",
    ),
    (
        "unit loop",
        lambda d: d["units"][0].update(parent="sales"),
        "units[hq].parent",
        "units form a loop",
    ),
    (
        "user in unknown unit",
        lambda d: d["users"][0].update(unit="mars"),
        "users[ann].unit",
        "no unit “mars”",
    ),
    (
        "unknown parent scorecard",
        lambda d: card(d, 1).update(parent="nope"),
        "scorecards[sales-card].parent",
        "no scorecard “nope”",
    ),
    (
        "scorecard loop",
        lambda d: card(d).update(parent="sales-card"),
        f"{MAIN}.parent",
        "scorecards form a loop",
    ),
    (
        "link to unknown objective",
        lambda d: card(d)["links"].append({"cause": "grow", "effect": "ghost"}),
        f"{MAIN}.links[2].effect",
        "no objective “ghost” in this scorecard",
    ),
    (
        "link to itself",
        lambda d: card(d)["links"].append({"cause": "grow", "effect": "grow"}),
        f"{MAIN}.links[2]",
        "cannot cause itself",
    ),
    (
        "link twice",
        lambda d: card(d)["links"].append({"cause": "happy", "effect": "grow"}),
        f"{MAIN}.links[2]",
        "used twice",
    ),
    (
        "alignment to unknown objective",
        lambda d: card(d, 1)["perspectives"][0]["objectives"][0].update(
            aligned_to=[{"objective": "main/ghost"}]
        ),
        "scorecards[sales-card].perspectives[Customer].objectives[accounts].aligned_to[0].objective",
        "no objective “ghost” in scorecard “main”",
    ),
    (
        "initiative for unknown objective",
        lambda d: card(d)["initiatives"][0]["objectives"].append("ghost"),
        f"{MAIN}.initiatives[Price list].objectives",
        "no objective “ghost”",
    ),
    (
        "deadline before start",
        lambda d: card(d)["initiatives"][0].update(deadline="2025-12-31"),
        f"{MAIN}.initiatives[Price list].deadline",
        "before the start date",
    ),
    # --- scoring
    (
        "zero-width scale",
        lambda d: kpi(d).update(minimum=100),
        SALES,
        "nothing to measure on",
    ),
    (
        "percent of target with target zero",
        lambda d: kpi(d).update(optimization="percent_of_target", target=0, maximum=None),
        SALES,
        "target above zero",
    ),
    (
        "percent of target with a period target of zero",
        lambda d: kpi(d).update(
            optimization="percent_of_target",
            target=10,
            targets=[{"period": "2026-02", "value": 0}],
        ),
        f"{SALES}.targets[0].value",
        "target above zero",
    ),
    (
        "exact without tolerance",
        lambda d: kpi(d).update(optimization="exact", target=50),
        SALES,
        "tolerance greater than zero",
    ),
    (
        "goal equals red flag",
        lambda d: card(d)["perspectives"][1]["objectives"][0]["kpis"][0].update(red_flag=50),
        f"{MAIN}.perspectives[Customer].objectives[happy].kpis[nps]",
        "goal and the red flag are both 50",
    ),
    (
        "target path backwards",
        lambda d: kpi(d).update(baseline_date="2026-06-01", target_date="2026-01-01"),
        f"{SALES}.target_date",
        "after the baseline date",
    ),
    (
        "two bands from the same score",
        lambda d: kpi(d).update(thresholds=[{"status": "red"}, {"status": "green"}]),
        f"{SALES}.thresholds[1].lower",
        "used twice",
    ),
    # --- periods
    (
        "misaligned period",
        lambda d: kpi(d, 1)["measurements"][0].update(period="2026-01-15"),
        f"{COST}.measurements[0].period",
        "2026-01-15 does not start a month period (that period starts on 2026-01-01)",
    ),
    (
        "misaligned series start",
        lambda d: card(d)["perspectives"][1]["objectives"][0]["kpis"][0]["measurements"].update(
            start="2025-11"
        ),
        f"{MAIN}.perspectives[Customer].objectives[happy].kpis[nps].measurements.start",
        "does not start a quarter period",
    ),
    (
        "duplicate period",
        lambda d: kpi(d, 1)["measurements"].append({"period": "2026-01-01", "value": 1}),
        f"{COST}.measurements[1].period",
        "the period starting 2026-01-01 appears twice",
    ),
    (
        "duplicate target period",
        lambda d: kpi(d)["targets"].append({"period": "2026-01", "value": 90}),
        f"{SALES}.targets[1].period",
        "appears twice",
    ),
    # --- formulas
    (
        "formula cycle",
        lambda d: kpi(d).update(formula="margin * 2", measurements=[]),
        f"{SALES}.formula",
        "Formula cycle: “Sales” → “Margin” → “Sales”",
    ),
    (
        "formula refers to itself",
        lambda d: objective(d, 1)["kpis"][0].update(formula="margin + 1"),
        f"{MARGIN}.formula",
        "Formula cycle",
    ),
    (
        "unknown formula reference",
        lambda d: objective(d, 1)["kpis"][0].update(formula="sales / ghost"),
        f"{MARGIN}.formula",
        "unknown KPI code(s): ghost",
    ),
    (
        "formula reads a KPI of another scorecard",
        lambda d: objective(d, 1)["kpis"][0].update(formula="accounts * 2"),
        f"{MARGIN}.formula",
        "unknown KPI code(s): accounts",
    ),
    (
        "formula that cannot be read",
        lambda d: objective(d, 1)["kpis"][0].update(formula="sales / (cost"),
        f"{MARGIN}.formula",
        "not complete",
    ),
    (
        "formula with an unknown function",
        lambda d: objective(d, 1)["kpis"][0].update(formula="sqrt(sales)"),
        f"{MARGIN}.formula",
        "“sqrt” is not a known function",
    ),
    (
        "calculated KPI with values",
        lambda d: objective(d, 1)["kpis"][0].update(measurements={"start": 2026, "values": [1]}),
        f"{MARGIN}.measurements",
        "takes no values",
    ),
    (
        "KPI alignment written without a slash",
        lambda d: sales_kpi(d).update(aligned_to="sales"),
        f"{ACCOUNTS}.aligned_to",
        "scorecard-slug/kpi_code",
    ),
    (
        "KPI alignment to an unknown scorecard",
        lambda d: sales_kpi(d).update(aligned_to="nope/sales"),
        f"{ACCOUNTS}.aligned_to",
        "no scorecard “nope”",
    ),
    (
        "KPI alignment to an unknown KPI",
        lambda d: sales_kpi(d).update(aligned_to="main/ghost"),
        f"{ACCOUNTS}.aligned_to",
        "no KPI “ghost” in scorecard “main”",
    ),
    (
        "KPI aligned inside its own scorecard",
        lambda d: kpi(d).update(aligned_to="main/cost"),
        f"{SALES}.aligned_to",
        "a KPI of a scorecard above its own",
    ),
    (
        "KPI aligned to a scorecard below",
        lambda d: kpi(d).update(aligned_to="sales-card/accounts"),
        f"{SALES}.aligned_to",
        "“main” is not cascaded from “sales-card” (it has no parent)",
    ),
    (
        "unknown unit rollup",
        lambda d: kpi(d).update(unit_rollup="median"),
        f"{SALES}.unit_rollup",
        "must be one of",
    ),
    (
        "values need approval but nobody owns the KPI",
        lambda d: kpi(d, 1).update(values_need_approval=True),
        f"{COST}.values_need_approval",
        "has no owner",
    ),
    (
        "approval that is not yes or no",
        lambda d: kpi(d).update(values_need_approval="sometimes"),
        f"{SALES}.values_need_approval",
        "",
    ),
    (
        "at-risk chance of 100 %",
        lambda d: card(d).update(settings={"at_risk_below": 1}),
        f"{MAIN}.settings.at_risk_below",
        "must be less than 1",
    ),
]


@pytest.mark.parametrize(("label", "change", "path", "fragment"), BAD, ids=[b[0] for b in BAD])
def test_bad_documents_name_the_place_and_the_problem(
    label: str, change: Change, path: str, fragment: str
) -> None:
    found = errors_of(mutate(change))
    assert any(p == path and fragment in m for p, m in found), found


def test_cascade_and_approval_fields_parse() -> None:
    def fields(d: dict[str, Any]) -> None:
        sales_kpi(d).update(aligned_to="main/sales")
        kpi(d).update(unit_rollup="sum", values_need_approval=True)
        card(d)["settings"] = {"at_risk_below": 0.4}

    document = parse_document(mutate(fields))
    sales = document.scorecards[0].perspectives[0].objectives[0].kpis[0]
    accounts = document.scorecards[1].perspectives[0].objectives[0].kpis[0]
    assert (sales.unit_rollup, sales.values_need_approval) == ("sum", True)
    assert accounts.aligned_to == "main/sales" and accounts.unit_rollup == "auto"
    assert document.scorecards[0].settings.at_risk_below == 0.4


def test_yaml_syntax_error_gives_line_and_column() -> None:
    text = "version: 1\norganization: {name: Acme\nunits: []\n"
    [(path, message)] = errors_of(text)
    assert path == "line 3, column 6"
    assert message.startswith("the YAML cannot be read: ")


def test_tab_indentation_is_a_yaml_error_with_its_line() -> None:
    [(path, message)] = errors_of("version: 1\norganization:\n\tname: Acme\n")
    assert path == "line 3, column 1"
    assert "'\\t'" in message


def test_a_key_given_twice_is_an_error() -> None:
    text = MINIMAL.replace("name: Main\n", "name: Main\n    name: Other\n")
    [(path, message)] = errors_of(text)
    assert path.startswith("line ")
    assert "the key “name” appears twice" in message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the document is empty."),
        ("# nothing but a comment\n", "the document is empty."),
        ("- a list\n", "the document must be a mapping"),
    ],
)
def test_documents_of_the_wrong_kind(text: str, message: str) -> None:
    [(path, found)] = errors_of(text)
    assert path == ""
    assert found.startswith(message)


def test_all_errors_are_reported_at_once() -> None:
    def three_problems(d: dict[str, Any]) -> None:
        objective(d).update(owner="eve")
        card(d).update(unit="mars")
        kpi(d, 1)["measurements"][0].update(period="2026-01-15")

    paths = [p for p, _ in errors_of(mutate(three_problems))]
    assert sorted(paths) == sorted(
        [f"{GROW}.owner", f"{MAIN}.unit", f"{COST}.measurements[0].period"]
    )


def test_all_field_errors_are_reported_at_once() -> None:
    def two_fields(d: dict[str, Any]) -> None:
        kpi(d).update(optimization="biggest")
        kpi(d, 1).update(weight=0)

    paths = [p for p, _ in errors_of(mutate(two_fields))]
    assert paths == [f"{SALES}.optimization", f"{COST}.weight"]


def test_items_without_a_usable_name_are_counted_from_zero() -> None:
    text = mutate(lambda d: objective(d).update(name="Grow [sales]", owner="eve"))
    # the objective is named by its code, which is fine; a perspective with brackets is not
    text = mutate(lambda d: card(d)["perspectives"][0].update(name="Money [€]", weight=-1), text)
    assert ("scorecards[main].perspectives[0].weight", "must be greater than 0.") in errors_of(text)


# --- periods ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2025-03", dt.date(2025, 3, 1)),
        ("2025-3", dt.date(2025, 3, 1)),
        ("2025-Q1", dt.date(2025, 1, 1)),
        ("2025-Q4", dt.date(2025, 10, 1)),
        ("2025-H1", dt.date(2025, 1, 1)),
        ("2025-H2", dt.date(2025, 7, 1)),
        ("2025", dt.date(2025, 1, 1)),
        (2025, dt.date(2025, 1, 1)),
        ("2025-03-17", dt.date(2025, 3, 17)),
        (dt.date(2025, 3, 17), dt.date(2025, 3, 17)),
    ],
)
def test_period_shorthands(text: Any, day: dt.date) -> None:
    assert period_date(text) == day


@pytest.mark.parametrize("text", ["2025-Q5", "2025-H3", "March 2025", "25-03", "2025-02-30"])
def test_period_shorthands_that_are_not_periods(text: str) -> None:
    with pytest.raises(ValueError, match="period"):
        period_date(text)


def series_kpi(interval: str, start: Any, values: list[Any], fiscal: int = 1) -> str:
    """MINIMAL with the sales KPI measured on another interval."""

    def change(d: dict[str, Any]) -> None:
        d["organization"]["fiscal_year_start_month"] = fiscal
        # The quarterly NPS starts on a calendar quarter, which another fiscal year moves.
        card(d)["perspectives"][1]["objectives"][0]["kpis"][0]["measurements"] = []
        kpi(d).update(
            update_interval=interval,
            targets=[],
            measurements={"start": start, "values": values},
        )

    return mutate(change)


@pytest.mark.parametrize(
    ("interval", "start", "fiscal", "expected"),
    [
        ("month", "2025-11", 1, ["2025-11-01", "2025-12-01", "2026-02-01"]),
        ("quarter", "2025-Q4", 1, ["2025-10-01", "2026-01-01", "2026-07-01"]),
        ("quarter", "2025-05", 2, ["2025-05-01", "2025-08-01", "2026-02-01"]),
        ("half_year", "2025-H2", 1, ["2025-07-01", "2026-01-01", "2027-01-01"]),
        ("year", 2024, 1, ["2024-01-01", "2025-01-01", "2027-01-01"]),
        ("week", "2026-03-02", 1, ["2026-03-02", "2026-03-09", "2026-03-23"]),
        ("day", "2026-02-27", 1, ["2026-02-27", "2026-02-28", "2026-03-02"]),
    ],
)
def test_series_run_over_consecutive_periods_and_skip_nulls(
    interval: str, start: Any, fiscal: int, expected: list[str]
) -> None:
    document = parse_document(series_kpi(interval, start, [1, 2, None, 4], fiscal))
    sales = document.scorecards[0].perspectives[0].objectives[0].kpis[0]
    assert isinstance(sales.measurements, SeriesIn)
    rows = measurement_rows(sales, fiscal)
    assert [(d.isoformat(), v) for d, v, _ in rows] == list(zip(expected, [1, 2, 4], strict=True))


def test_a_weekly_kpi_starts_on_mondays() -> None:
    found = errors_of(series_kpi("week", "2026-03-04", [1]))
    assert (
        f"{SALES}.measurements.start",
        "2026-03-04 does not start a week period (that period starts on 2026-03-02).",
    ) in found


def test_quarters_follow_the_fiscal_year() -> None:
    # With a fiscal year from February, calendar quarters do not start a fiscal quarter.
    found = errors_of(series_kpi("quarter", "2025-Q2", [1], fiscal=2))
    assert found[0][1].startswith("2025-04-01 does not start a quarter period")
