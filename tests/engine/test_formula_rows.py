"""The column evaluator of plain-arithmetic formulas (formulas.compiled_rows) gives, row by
row, exactly what the closures of formulas.compiled give through formulas.run: the same
float to the bit and the same flag, on random formulas over random values with missing
inputs, zeros, huge numbers and negative bases."""

from __future__ import annotations

import math
import random

import pytest

from scorecard.engine.formulas import Context, compiled, compiled_rows, parse, run

CODES = ("a", "b", "c")
VALUES = (None, 0.0, -0.0, 1.0, -1.0, 2.5, -3.75, 1e-300, 1e300, -1e308, 7.0, 0.1, 12345.678)


def _formula(rng: random.Random, depth: int = 0) -> str:
    pick = rng.random()
    if depth > 3 or pick < 0.3:
        return rng.choice(CODES)
    if pick < 0.4:
        return rng.choice(("0", "1", "2", "100", "0.5", "3.25", "1e308"))
    if pick < 0.5:
        return f"-({_formula(rng, depth + 1)})"
    op = rng.choice(("+", "-", "*", "/", "%", "**"))
    return f"({_formula(rng, depth + 1)} {op} {_formula(rng, depth + 1)})"


def _same(one: tuple[float | None, str | None], other: tuple[float | None, str | None]) -> bool:
    if one[1] != other[1] or (one[0] is None) != (other[0] is None):
        return False
    if one[0] is None or other[0] is None:
        return True
    return math.copysign(1.0, one[0]) == math.copysign(1.0, other[0]) and (
        one[0] == other[0] or (math.isnan(one[0]) and math.isnan(other[0]))
    )


@pytest.mark.parametrize("seed", range(40))
def test_columns_give_what_the_closures_give(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(25):
        parsed = parse(_formula(rng))
        rows = compiled_rows(parsed)
        if not parsed.references:
            assert rows is None  # nothing to compute a column of
            continue
        assert rows is not None, parsed
        refs = sorted(parsed.references)
        table = [{code: rng.choice(VALUES) for code in refs} for _ in range(30)]
        got = rows([[row[code] for row in table] for code in refs])
        want = [run(compiled(parsed), Context(row)) for row in table]
        assert all(_same(g, w) for g, w in zip(got, want, strict=True)), parsed


@pytest.mark.parametrize("seed", range(40))
def test_columns_without_missing_inputs(seed: int) -> None:
    """Columns without a missing input take the steps' whole-column way (formulas._pairs,
    _present, rows: every row at C speed, row by row again when a row raises): still what
    the closures give, with zeros, huge numbers and powers that overflow among the rows."""
    rng = random.Random(1000 + seed)
    present = [v for v in VALUES if v is not None]
    for _ in range(25):
        parsed = parse(_formula(rng))
        rows = compiled_rows(parsed)
        if rows is None:
            continue
        refs = sorted(parsed.references)
        # Few rows, mostly harmless values: many columns with no trouble at all.
        gentle = rng.random() < 0.5
        table = [
            {code: rng.choice((1.0, 2.5, 7.0, 0.1) if gentle else present) for code in refs}
            for _ in range(rng.randint(1, 12))
        ]
        got = rows([[row[code] for row in table] for code in refs])
        want = [run(compiled(parsed), Context(row)) for row in table]
        assert all(_same(g, w) for g, w in zip(got, want, strict=True)), parsed


@pytest.mark.parametrize(
    ("formula", "a", "b"),
    [
        ("a / b * 100", [1.0, 2.0, 3.0], [4.0, 0.0, -0.0]),  # one row divides by zero
        ("a % b", [5.0, 1.0], [0.0, 2.0]),
        ("a ** b", [10.0, 2.0], [400.0, 0.5]),  # one row out of range
        ("a * b", [1e308, 2.0], [10.0, 3.0]),  # inf: out of range at the end
        ("-a + b", [-0.0, 1.0], [0.0, 2.0]),
    ],
)
def test_a_row_that_fails_among_sound_ones(formula: str, a: list[float], b: list[float]) -> None:
    parsed = parse(formula)
    rows = compiled_rows(parsed)
    assert rows is not None
    got = rows([a, b])
    want = [run(compiled(parsed), Context({"a": x, "b": y})) for x, y in zip(a, b, strict=True)]
    assert all(_same(g, w) for g, w in zip(got, want, strict=True)), (got, want)


@pytest.mark.parametrize(
    "formula", ["min(a, b)", "if(a > b, a, b)", "value(a, -1) + b", "a > b", "not a", "ytd(a)"]
)
def test_other_formulas_keep_the_closures(formula: str) -> None:
    assert compiled_rows(parse(formula)) is None


def test_a_formula_without_inputs_keeps_the_closures() -> None:
    assert compiled_rows(parse("1 + 2")) is None
