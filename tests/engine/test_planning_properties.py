"""Properties of the funnel, growth and forecast maths that must hold for any numbers."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard.engine import forecast as fc
from scorecard.engine import funnel as fn
from scorecard.engine import growth as gr

positive = st.floats(min_value=1e-3, max_value=1e5, allow_nan=False, allow_infinity=False)
rate = st.floats(min_value=1e-3, max_value=1.0, allow_nan=False, allow_infinity=False)
value = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)


@st.composite
def two_periods(draw: st.DrawFn) -> tuple[list[float], list[float]]:
    n = draw(st.integers(min_value=1, max_value=6))
    return (
        draw(st.lists(positive, min_size=n, max_size=n)),
        draw(st.lists(positive, min_size=n, max_size=n)),
    )


@given(two_periods())
def test_lmdi_parts_add_up_to_the_change(periods: tuple[list[float], list[float]]) -> None:
    before, after = periods
    split = fn.lmdi(before, after)
    scale = max(abs(split.before), abs(split.after), 1e-300)
    assert math.isclose(
        sum(split.parts), split.after - split.before, rel_tol=1e-9, abs_tol=scale * 1e-9
    )


@given(two_periods(), st.randoms(use_true_random=False))
def test_lmdi_does_not_depend_on_the_order_of_factors(periods, random) -> None:
    before, after = periods
    order = list(range(len(before)))
    random.shuffle(order)
    plain = fn.lmdi(before, after).parts
    shuffled = fn.lmdi([before[i] for i in order], [after[i] for i in order]).parts
    for position, index in enumerate(order):
        assert shuffled[position] == pytest.approx(plain[index], rel=1e-9, abs=1e-12)


@given(two_periods())
def test_lmdi_part_has_the_sign_of_its_factor_change(periods) -> None:
    before, after = periods
    for x0, x1, part in zip(before, after, fn.lmdi(before, after).parts, strict=True):
        if x1 > x0:
            assert part > 0
        elif x1 < x0:
            assert part < 0


@given(
    st.floats(min_value=0, max_value=1e6, allow_nan=False),
    st.lists(rate, min_size=1, max_size=6),
)
def test_back_cascaded_stage_targets_reproduce_the_final_target(
    final: float, rates: list[float]
) -> None:
    targets = fn.back_cascade(final, rates)
    assert len(targets) == len(rates) + 1
    assert targets[-1] == final
    assert fn.chain_result(targets[0], rates) == pytest.approx(final, rel=1e-9, abs=1e-9)
    for stage, r in enumerate(rates):
        assert targets[stage] * r == pytest.approx(targets[stage + 1], rel=1e-9, abs=1e-9)


@given(positive, st.lists(rate, min_size=1, max_size=6), positive)
def test_gap_split_either_way_reaches_the_target(volume, rates, target) -> None:
    split = fn.gap_split(volume, rates, target)
    assert fn.chain_result(split.volume_needed, rates) == pytest.approx(target, rel=1e-9)
    improved = [r * split.each_rate_factor for r in rates]
    assert fn.chain_result(volume, improved) == pytest.approx(target, rel=1e-9)
    for need in split.single_rate:
        rates_one = list(rates)
        rates_one[need.index - 1] = need.needed
        assert fn.chain_result(volume, rates_one) == pytest.approx(target, rel=1e-9)


@given(positive, st.lists(st.floats(min_value=1e-3, max_value=0.9), min_size=1, max_size=6))
def test_lowest_rate_is_the_strongest_point_lever(volume, rates) -> None:
    ranked = fn.levers(volume, rates, points=0.01, relative=0.1)
    assert ranked[0].rate == pytest.approx(min(rates))
    gains = {round(lv.gain_relative, 9) for lv in ranked}
    assert len(gains) == 1  # equal relative steps give equal gains (elasticity 1)


@given(positive, positive, st.integers(min_value=1, max_value=30))
def test_growth_path_ends_on_the_target(baseline, target, years) -> None:
    g = gr.growth_rate(baseline, target, years)
    assert gr.growth_path(baseline, g, years)[-1] == pytest.approx(target, rel=1e-7)


@given(st.lists(value, min_size=3, max_size=40), st.integers(min_value=1, max_value=6))
def test_prediction_interval_holds_the_forecast(values, steps) -> None:
    model, predictions = fc.forecast_series(values, steps, season_length=12)
    assert model is not None and len(predictions) == steps
    for p in predictions:
        assert p.low is not None and p.high is not None
        assert p.low <= p.value <= p.high
    widths = [p.high - p.low for p in predictions if p.high is not None and p.low is not None]
    assert widths == sorted(widths)  # further ahead, never narrower


@given(st.lists(value, min_size=4, max_size=30), value, value)
def test_chance_falls_as_the_target_rises(values, a, b) -> None:
    _, predictions = fc.forecast_series(values, 1)
    low, high = sorted((a, b))
    chance_low = fc.chance_of_meeting(predictions[0], low)
    chance_high = fc.chance_of_meeting(predictions[0], high)
    assert chance_low is not None and chance_high is not None
    assert 0 <= chance_high <= chance_low <= 1
