"""Worked examples 13, 14, 15, 17 and 19 of docs/scoring.md (target setting), as tables.

Funnels, growth paths, forecasts and change attribution; no database, no Django.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from scorecard.engine import forecast as fc
from scorecard.engine import funnel as fn
from scorecard.engine import growth as gr
from scorecard.engine import periods as pr
from scorecard.engine.evidence import pearson
from scorecard.engine.types import TargetPath

approx = pytest.approx

# --- 13: least squares and a forecast with its interval ----------------------------------

EXAMPLE_13 = [(1, 100), (2, 110), (3, 125), (4, 130)]


def test_example_13_line_and_forecast() -> None:
    model = fc.fit(EXAMPLE_13)
    assert model is not None
    assert (model.slope, model.intercept) == (approx(10.5), approx(90))
    prediction = fc.predict(model, 5)
    assert prediction.value == approx(142.5)


@pytest.mark.parametrize(
    ("level", "half_width"),
    [
        # residuals −0.5, −1, 3.5, −2 → σ = √(17.5 / 2); se(5) = σ·√(1 + 1/4 + 6.25/5)
        (0.8, 1.885618 * 2.958040 * 2.5**0.5),
        (0.95, 4.302653 * 2.958040 * 2.5**0.5),
    ],
)
def test_example_13_prediction_interval(level: float, half_width: float) -> None:
    model = fc.fit(EXAMPLE_13)
    assert model is not None
    assert model.sigma == approx((17.5 / 2) ** 0.5)
    prediction = fc.predict(model, 5, level)
    assert prediction.high is not None and prediction.low is not None
    assert prediction.high - prediction.value == approx(half_width, rel=1e-4)
    assert prediction.value - prediction.low == approx(half_width, rel=1e-4)


@pytest.mark.parametrize(
    ("target", "higher_is_better", "chance"),
    [
        (142.5, True, 0.5),  # the forecast itself: even odds
        (140, True, 0.70351),  # Φ(2.5 / 4.6771)
        (140, False, 0.29649),
        (150, True, 0.05440),  # 1 − Φ(7.5 / 4.6771)
    ],
)
def test_example_13_chance_of_meeting_a_target(
    target: float, higher_is_better: bool, chance: float
) -> None:
    model = fc.fit(EXAMPLE_13)
    assert model is not None
    prediction = fc.predict(model, 5)
    result = fc.chance_of_meeting(prediction, target, higher_is_better=higher_is_better)
    assert result == approx(chance, abs=1e-4)


@pytest.mark.parametrize(
    ("chance", "threshold", "at_risk"),
    [
        (0.3, 0.5, True),
        (0.5, 0.5, False),
        (0.9, 0.5, False),
        (0.1, None, False),
        (None, 0.5, False),
    ],
)
def test_at_risk_rule(chance: float | None, threshold: float | None, at_risk: bool) -> None:
    assert fc.at_risk(chance, threshold) is at_risk


@pytest.mark.parametrize(
    ("p", "dof", "quantile"),
    [
        (0.975, 1, 12.7062),
        (0.975, 2, 4.3027),
        (0.975, 3, 3.1824),
        (0.975, 10, 2.2281),
        (0.9, 5, 1.4759),
        (0.9, 30, 1.3104),
        (0.5, 7, 0.0),
    ],
)
def test_t_quantiles_match_the_tables(p: float, dof: int, quantile: float) -> None:
    assert fc.t_quantile(p, dof) == approx(quantile, abs=0.005)


def test_seasonal_means_are_added_from_24_periods() -> None:
    # Two years of months: a rising line with a summer peak of +30 and a winter dip.
    season = [0, 0, 0, 0, 0, 30, 30, 30, 0, 0, -45, -45]
    values: list[float | None] = [100 + 2 * t + season[t % 12] for t in range(24)]
    model, predictions = fc.forecast_series(values, 12, season_length=12)
    assert model is not None and len(model.seasonal) == 12
    assert sum(model.seasonal) == approx(0, abs=1e-9)
    # The pattern is exact, so the forecast repeats it on the line and σ is zero.
    assert [p.value for p in predictions] == approx(
        [100 + 2 * t + season[t % 12] for t in range(24, 36)]
    )
    assert model.sigma == approx(0, abs=1e-9)


def test_no_season_below_24_periods() -> None:
    values: list[float | None] = [100.0 + (t % 12) for t in range(23)]
    model, _ = fc.forecast_series(values, 1, season_length=12)
    assert model is not None and model.seasonal == ()


def test_gaps_keep_their_place_in_time() -> None:
    model, predictions = fc.forecast_series([10, None, 30, None, 50], 1)
    assert model is not None and model.slope == approx(10)
    assert predictions[0].value == approx(60)


@pytest.mark.parametrize("values", [[], [5.0], [None, 5.0, None]])
def test_too_little_history_gives_no_forecast(values: list[float | None]) -> None:
    assert fc.forecast_series(values, 3) == (None, [])


def test_two_values_give_a_line_but_no_interval() -> None:
    model, predictions = fc.forecast_series([1, 2], 1)
    assert model is not None and model.sigma is None
    assert predictions[0].value == approx(3) and predictions[0].low is None
    assert fc.chance_of_meeting(predictions[0], 2) is None


# --- 14: a conversion chain, backwards and its levers -------------------------------------

RATES_14 = [0.04, 0.10, 0.10]


def test_example_14_result_and_back_cascade() -> None:
    assert fn.chain_result(5000, RATES_14) == approx(2)
    assert fn.back_cascade(3, RATES_14) == approx([7500, 300, 30, 3])


def test_example_14_rates_from_volumes() -> None:
    assert fn.rates_from_volumes([5000, 200, 20, 2]) == approx(RATES_14)


@pytest.mark.parametrize(
    ("rate", "with_one_point", "with_ten_percent"),
    [(1, 2.5, 2.2), (2, 2.2, 2.2), (3, 2.2, 2.2)],
)
def test_example_14_levers(rate: int, with_one_point: float, with_ten_percent: float) -> None:
    by_rate = {lv.index: lv for lv in fn.levers(5000, RATES_14, points=0.01, relative=0.10)}
    lever = by_rate[rate]
    assert lever.result_points == approx(with_one_point)
    assert 2 + lever.gain_relative == approx(with_ten_percent)


def test_example_14_levers_ranked_strongest_first() -> None:
    ranked = fn.levers(5000, RATES_14)
    assert [lv.index for lv in ranked] == [1, 2, 3]
    assert ranked[0].gain_points == approx(0.5)


def test_example_14_levers_ranked_by_gain_per_cost() -> None:
    # A point on the first rate costs 10 times as much: now it is the weakest lever.
    ranked = fn.levers(5000, RATES_14, costs=[10.0, 1.0, 2.0])
    assert [lv.index for lv in ranked] == [2, 3, 1]
    assert [lv.gain_per_cost for lv in ranked] == approx([0.2, 0.1, 0.05])


def test_example_14_gap_split() -> None:
    split = fn.gap_split(5000, RATES_14, 3)
    assert split.factor == approx(1.5)
    assert split.volume_needed == approx(7500)  # work on numbers
    assert [n.needed for n in split.single_rate] == approx([0.06, 0.15, 0.15])  # on conversion
    assert split.each_rate_factor == approx(1.5 ** (1 / 3))
    assert all(n.possible for n in split.single_rate)


def test_a_rate_that_would_pass_100_percent_is_impossible() -> None:
    split = fn.gap_split(100, [0.8], 100)
    assert split.single_rate[0].needed == approx(1.0)
    assert fn.gap_split(100, [0.8], 90).single_rate[0].possible is True
    impossible = fn.gap_split(100, [0.8], 130).single_rate[0]
    assert impossible.needed == approx(1.3) and impossible.possible is False


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: fn.back_cascade(3, [0.04, 0.0]), "every rate must be above zero"),
        (lambda: fn.back_cascade(3, []), "at least two stages"),
        (lambda: fn.rates_from_volumes([5000, None, 2]), "Stage 2 has no value"),
        (lambda: fn.rates_from_volumes([0, 5, 2]), "stage 1 must be above zero"),
        (lambda: fn.gap_split(5000, RATES_14, 0), "above zero"),
        (lambda: fn.levers(5000, RATES_14, costs=[1.0]), "one cost per conversion rate"),
        (lambda: fn.levers(5000, RATES_14, costs=[1.0, 0.0, 1.0]), "cost of improving rate 2"),
    ],
)
def test_funnel_errors_are_plain(call, message: str) -> None:
    with pytest.raises(fn.FunnelError, match=message):
        call()


# --- 15: why the result changed (LMDI) ----------------------------------------------------


def test_example_15_lmdi() -> None:
    split = fn.lmdi([5000, 0.04, 0.01], [6000, 0.045, 0.01])
    assert (split.before, split.after) == (approx(2), approx(2.7))
    visitors, rate, rest = split.parts
    assert visitors == approx(0.425, abs=5e-4)
    assert rate == approx(0.275, abs=5e-4)
    assert rest == 0
    assert sum(split.parts) == approx(0.7, abs=1e-12)


@pytest.mark.parametrize(
    ("order", "visitors", "rate"),
    [("visitors first", 0.40, 0.30), ("rate first", 0.45, 0.25)],
)
def test_example_15_sequential_splits_depend_on_order(
    order: str, visitors: float, rate: float
) -> None:
    """The split LMDI avoids: changing one factor after the other."""
    if order == "visitors first":
        seq = (6000 * 0.04 * 0.01 - 2, 2.7 - 6000 * 0.04 * 0.01)
    else:
        seq = (2.7 - 5000 * 0.045 * 0.01, 5000 * 0.045 * 0.01 - 2)
    assert seq == (approx(visitors), approx(rate))


def test_lmdi_of_funnel_volumes() -> None:
    before = fn.funnel_factors([5000, 200, 20, 2])
    after = fn.funnel_factors([6000, 270, 27, 2.7])
    split = fn.lmdi(before, after)
    assert split.parts[0] == approx(0.4253, abs=1e-4)
    assert split.parts[1] == approx(0.2747, abs=1e-4)
    assert split.parts[2:] == approx([0, 0], abs=1e-12)


def test_lmdi_when_the_result_did_not_change() -> None:
    # More visitors, a worse rate, the same result: the two parts cancel out exactly.
    split = fn.lmdi([5000, 0.04], [8000, 0.025])
    assert split.change == approx(0, abs=1e-12)
    assert split.parts[0] == approx(200 * math.log(1.6))  # L(Y, Y) = Y
    assert sum(split.parts) == approx(0, abs=1e-9)


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ([5000, 0.0], [6000, 0.045], "Conversion rate 1 is 0 in the earlier period"),
        ([5000, 0.04], [0, 0.045], "The first stage's volume is 0 in the later period"),
        ([5000], [6000, 0.04], "same, non-empty list"),
    ],
)
def test_lmdi_refuses_zeros_with_a_message(
    before: list[float], after: list[float], message: str
) -> None:
    with pytest.raises(fn.FunnelError, match=message):
        fn.lmdi(before, after)


# --- 17: a planned path, read per period --------------------------------------------------


@pytest.mark.parametrize(
    ("period_end", "target"),
    [
        (dt.date(2026, 1, 31), 1_000_000),
        (dt.date(2026, 3, 31), 3_000_000),
        (dt.date(2026, 6, 30), 6_000_000),
        (dt.date(2026, 12, 31), 12_000_000),
        (dt.date(2027, 3, 31), 12_000_000),  # held flat after the end
    ],
)
def test_example_17_path_targets_per_period(period_end: dt.date, target: float) -> None:
    path = TargetPath(dt.date(2026, 1, 1), 0, dt.date(2026, 12, 31), 12_000_000)
    period = pr.period_containing(period_end, pr.Interval.MONTH)
    assert pr.target_for_period(period, [], path, None) == approx(target)


# --- 19: a growth rate from a multiple over years -----------------------------------------


@pytest.mark.parametrize(
    ("baseline", "target", "years", "rate", "year_one"),
    [
        (100, 200, 5, 0.148698, 114.87),  # double in five years
        (100, 100, 3, 0.0, 100.0),
        (200, 100, 1, -0.5, 100.0),
        (50, 150, 2, 3**0.5 - 1, 50 * 3**0.5),
    ],
)
def test_example_19_growth_rate(
    baseline: float, target: float, years: float, rate: float, year_one: float
) -> None:
    g = gr.growth_rate(baseline, target, years)
    assert g == approx(rate, abs=1e-6)
    assert gr.growth_path(baseline, g, 1)[0] == approx(year_one, abs=0.005)
    assert gr.growth_path(baseline, g, int(years))[-1] == approx(target)


def test_growth_rate_per_month() -> None:
    monthly = gr.rate_per_period(0.148698, 12)
    assert (1 + monthly) ** 12 - 1 == approx(0.148698)


@pytest.mark.parametrize(
    ("baseline", "target", "years", "message"),
    [
        (0, 100, 5, "above zero"),
        (100, -5, 5, "above zero"),
        (100, 200, 0, "years"),
    ],
)
def test_growth_rate_refuses_what_has_no_rate(
    baseline: float, target: float, years: float, message: str
) -> None:
    with pytest.raises(gr.GrowthError, match=message):
        gr.growth_rate(baseline, target, years)


# --- history-based targets and achievability ---------------------------------------------


def test_history_proposals() -> None:
    stats = gr.history_stats([100, 110, 125, 130])
    assert stats.mean == approx(116.25)
    assert stats.best == 130 and stats.worst == 100
    assert stats.trend_next == approx(142.5)  # example 13 one step ahead
    assert stats.growth == approx((130 / 100) ** (1 / 3) - 1)
    assert stats.enough is False  # fewer than five values
    kinds = {p.kind: (p.value, p.provenance) for p in gr.history_proposals(stats)}
    assert kinds["mean"] == (approx(116.25), "history")
    assert kinds["best"] == (130, "history")
    assert kinds["trend"] == (approx(142.5), "history")
    assert kinds["growth"] == (approx(130 * 1.3 ** (1 / 3)), "growth")


def test_best_of_a_lower_is_better_kpi_is_the_lowest() -> None:
    stats = gr.history_stats([9, 7, 8, 6, 7], higher_is_better=False)
    assert stats.best == 6 and stats.enough is True


@pytest.mark.parametrize(
    ("target", "higher_is_better", "warnings"),
    [
        (118, True, ()),
        (150, True, ("outside_range",)),  # above 139.9, below the best 130 × 1.2 = 156
        (170, True, ("outside_range", "beyond_best")),
        (80, True, ("outside_range",)),
        (100, False, ()),
        # lower is better: the best is the lowest (100); 20 % past it is 80
        (90, False, ("outside_range",)),
        (70, False, ("outside_range", "beyond_best")),
    ],
)
def test_achievability(target: float, higher_is_better: bool, warnings: tuple[str, ...]) -> None:
    values = [100, 110, 125, 130, 115]  # mean 116, σ 11.94: mean ± 2σ is 92.1 … 139.9
    stats = gr.history_stats(values, higher_is_better=higher_is_better)
    result = gr.achievability(target, stats, higher_is_better=higher_is_better)
    assert result.warnings == warnings
    assert result.ok is (not warnings)


def test_short_history_is_flagged() -> None:
    stats = gr.history_stats([100, 110, 120])
    assert "short_history" in gr.achievability(110, stats).warnings


@pytest.mark.parametrize("huge", [1e160, 1e308, -1e308])
@pytest.mark.parametrize("season", [None, 12])
def test_forecast_of_values_past_float_arithmetic_does_not_raise(huge, season) -> None:
    """Squared residuals past 1e154 overflowed (a 500 on the KPI page and its commentary):
    the fit goes without an interval, or without a fit when the line itself overflows."""
    model, predictions = fc.forecast_series([100.0, 120.0, huge, 90.0] * 6, 3, season_length=season)
    assert model is None or model.sigma is None or math.isfinite(model.sigma)
    assert all(p.low is None or math.isfinite(p.low) for p in predictions)


def test_history_too_large_to_average_is_refused_in_words() -> None:
    with pytest.raises(gr.GrowthError, match="too large to learn from"):
        gr.history_stats([1e308, 1e308, 100.0])


def test_pearson_of_values_past_float_arithmetic_is_none() -> None:
    assert pearson([(1e308, 1.0), (-1e308, 2.0), (1e308, 3.0)]) is None
    assert pearson([(1.0, 1.0), (2.0, 2.0), (3.0, 3.0)]) == pytest.approx(1.0)
