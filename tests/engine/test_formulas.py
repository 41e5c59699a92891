"""The formula language: what it accepts, what it refuses, and the order of evaluation."""

from __future__ import annotations

import pytest

from scorecard.engine.formulas import (
    Context,
    FormulaError,
    evaluate,
    evaluation_order,
    parse,
    plan,
    references,
)
from scorecard.engine.types import KpiSpec

approx = pytest.approx


@pytest.mark.parametrize(
    ("formula", "values", "expected"),
    [
        # `if` becomes an internal name only where it is called; other names keep "if".
        ("if(a > 1, 10, 20)", {"a": 2}, (10.0, None)),
        ("if (a > 1, 10, 20)", {"a": 0}, (20.0, None)),
        ("iffy + if(a, 1, 2)", {"a": 1, "iffy": 3}, (4.0, None)),
        ("diff_if + gift", {"diff_if": 1, "gift": 2}, (3.0, None)),
        ("if(if(a, 1, 0), 5, 6)", {"a": 0}, (6.0, None)),
        # Only the chosen branch is evaluated, so a guarded division is safe.
        ("if(total == 0, 0, done / total)", {"total": 0, "done": 1}, (0.0, None)),
        ("total > 0 and done / total > 0.5", {"total": 0, "done": 1}, (0.0, None)),
        ("total == 0 or done / total > 0.5", {"total": 0, "done": 1}, (1.0, None)),
        ("not a", {"a": 0}, (1.0, None)),
        ("round(a, 1.0)", {"a": 2.345}, (2.3, None)),
        ("round(a)", {"a": 2.5}, (2.0, None)),
        ("min(a, 4) + max(a, 4)", {"a": 1}, (5.0, None)),
        ("a % 0", {"a": 1}, (None, "division_by_zero")),
        ("1" + "0" * 400, {}, (None, "out_of_range")),
        ("1e999", {}, (None, "out_of_range")),
        ("exp(a)", {"a": 1e6}, (None, "out_of_range")),
        ("pow(-8, 0.5)", {}, (None, "out_of_range")),
        ("9 ** 9 ** 9", {}, (None, "out_of_range")),
        ("a * b", {"a": None, "b": 0}, (None, None)),
    ],
)
def test_evaluation(formula: str, values: dict[str, float | None], expected) -> None:
    value, flag = evaluate(formula, Context(values))
    assert (value if value is None else approx(value), flag) == expected


@pytest.mark.parametrize(
    ("formula", "fragment"),
    [
        ("__import__('os').system('true')", "listed functions"),
        ("__import__(os)", "not a known function"),
        ("a.__class__", "Attribute"),
        ("a.b", "Attribute"),
        ("abs(1, 2)", "takes 1 argument"),
        ("min()", "at least 1"),
        ("pow(2, 3, 5)", "takes 2 argument"),
        ("round(1, 2, 3)", "1 or 2"),
        ("value(a, 1.5)", "whole number"),
        ("value(a, b)", "whole number"),
        ("target(3)", "KPI code"),
        ("if(a, b)", "three arguments"),
        ("-" * 80 + "1", "nests"),
        ("a" * 2001, "longer than"),
        ("a +", "cannot be read"),
        ("a ? b", "cannot be read"),
        ("a if b else c", "IfExp"),
        ("[a][0]", "not allowed"),
        ("{a: 1}", "not allowed"),
        ("a // b", "FloorDiv"),
        ("a is b", "Is"),
        ("None", "constants"),
        ("f'{a}'", "not allowed"),
    ],
)
def test_refused_with_a_plain_message(formula: str, fragment: str) -> None:
    with pytest.raises(FormulaError) as caught:
        parse(formula)
    assert fragment in str(caught.value)


def test_parse_errors_give_the_position() -> None:
    with pytest.raises(FormulaError, match="at character"):
        parse("a + * b")


def test_value_offsets_accept_negative_whole_numbers() -> None:
    assert references("value(sales, -2) - target(sales, +1)") == {"sales"}


def _kpi(code: str, formula: str | None = None) -> KpiSpec:
    return KpiSpec(code, code.replace("_", " ").title(), formula=formula)


def test_plan_reports_every_problem_kpi_by_kpi() -> None:
    result = plan(
        [
            _kpi("a"),
            _kpi("typo", "a + ghost"),
            _kpi("bad", "a +"),
            _kpi("x", "y + 1"),
            _kpi("y", "x + 1"),
            _kpi("uses_typo", "typo * 2"),
            _kpi("uses_user", "uses_typo + 1"),
            _kpi("fine", "a * 2"),
        ]
    )
    assert result.order == ["a", "fine"]
    messages = {code: error.message for code, error in result.problems.items()}
    assert "ghost" in messages["typo"]
    assert "Formula of “Bad”" in messages["bad"]
    assert messages["x"] == messages["y"] == "Formula cycle: “X” → “Y” → “X”."
    assert messages["uses_typo"] == (
        "KPI “Uses Typo” (uses_typo): its formula uses “Typo”, which cannot be computed."
    )
    assert "Uses Typo" in messages["uses_user"]


def test_self_reference_is_a_cycle() -> None:
    error = evaluation_order([_kpi("a", "value(a, -1) + 1")])
    assert not isinstance(error, list)
    assert error.message == "Formula cycle: “A” → “A”."


def test_three_kpi_cycle_is_named_in_order() -> None:
    error = evaluation_order([_kpi("a", "b"), _kpi("b", "c"), _kpi("c", "a"), _kpi("d")])
    assert not isinstance(error, list)
    assert error.message == "Formula cycle: “A” → “B” → “C” → “A”."
    assert (error.code, error.name) == ("a", "A")


def test_evaluation_order_returns_a_kpis_own_problem_first() -> None:
    error = evaluation_order([_kpi("user", "typo + 1"), _kpi("typo", "ghost")])
    assert not isinstance(error, list)
    assert error.code == "typo" and "ghost" in error.message
