"""Conversion chains (funnels): targets backwards, levers, and why a result changed.

A funnel is an ordered chain of volumes, e.g. visitors → sign-ups → leads → deals.
Its result is the last volume: Y = V · r₁ · r₂ · … · rₙ, where V is the first
volume and rᵢ the share of stage i − 1 that reaches stage i (docs/planning.md,
"Funnels"). Rates here are fractions (0.04, not 4 %).

Every function takes plain numbers and raises :class:`FunnelError` with a sentence
for people when the numbers cannot be used (a zero stage, a rate above 100 % ...).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from .text import Text, gettext_noop


class FunnelError(ValueError):
    """The numbers given cannot be worked with; the message says why, in plain words."""


def _check_volume(volume: float, stage: int | None = None) -> None:
    if not math.isfinite(volume) or volume <= 0:
        if stage is None:
            raise FunnelError(
                gettext_noop(
                    "The volume of the first stage must be above zero (it is %(volume)s).",
                    volume=volume,
                )
            )
        raise FunnelError(
            gettext_noop(
                "The volume of stage %(stage)s must be above zero (it is %(volume)s).",
                stage=stage,
                volume=volume,
            )
        )


def _check_rates(rates: Sequence[float]) -> None:
    if not rates:
        raise FunnelError(
            gettext_noop("A funnel needs at least two stages, so at least one conversion rate.")
        )
    for index, rate in enumerate(rates, start=1):
        if not math.isfinite(rate) or rate <= 0:
            raise FunnelError(
                gettext_noop(
                    "Conversion rate %(index)s is %(rate)s; every rate must be above zero "
                    "(a stage with nothing in it stops the chain).",
                    index=index,
                    rate=rate,
                )
            )


def rates_from_volumes(volumes: Sequence[float | None]) -> list[float]:
    """The conversion rates between consecutive stage volumes: rᵢ = Vᵢ / Vᵢ₋₁.

    Raises FunnelError when a volume is missing or a stage is empty.
    """
    if len(volumes) < 2:
        raise FunnelError(gettext_noop("A funnel needs at least two stages."))
    numbers: list[float] = []
    for index, volume in enumerate(volumes, start=1):
        if volume is None:
            raise FunnelError(
                gettext_noop("Stage %(index)s has no value for this period.", index=index)
            )
        numbers.append(volume)
    for index, volume in enumerate(numbers[:-1], start=1):
        _check_volume(volume, index)
    return [after / before for before, after in itertools.pairwise(numbers)]


def chain_result(volume: float, rates: Sequence[float]) -> float:
    """Y = V · ∏ rᵢ, the volume that reaches the last stage."""
    return volume * math.prod(rates)


def back_cascade(final_target: float, rates: Sequence[float]) -> list[float]:
    """Each stage's target that yields ``final_target`` at the end, at today's rates.

    Stage k's target is Y* / ∏_{i ≥ k} rᵢ; the first element is the input volume V*
    needed, the last is ``final_target`` itself.
    """
    _check_rates(rates)
    if not math.isfinite(final_target) or final_target < 0:
        raise FunnelError(gettext_noop("The target of the last stage must be zero or more."))
    targets = [final_target]
    for rate in reversed(rates):
        targets.append(targets[-1] / rate)
    return list(reversed(targets))


@dataclass(frozen=True)
class RateNeed:
    """How much one conversion rate must improve, on its own, to reach the target."""

    index: int
    current: float
    needed: float
    possible: bool


@dataclass(frozen=True)
class GapSplit:
    """The gap to target seen two ways: more volume, or better conversion.

    ``volume_needed`` is the first stage's volume that reaches the target at today's
    rates; ``factor`` is target ÷ today's result, the improvement needed; at
    today's volume every rate improved by ``each_rate_factor`` (= factor^(1/n))
    reaches it too, or any single rate improved by ``factor`` (``single_rate``).
    """

    result: float
    target: float
    factor: float
    volume: float
    volume_needed: float
    each_rate_factor: float
    single_rate: tuple[RateNeed, ...]


def gap_split(volume: float, rates: Sequence[float], target: float) -> GapSplit:
    """ "Work on numbers" versus "work on conversion" for reaching ``target``."""
    _check_volume(volume)
    _check_rates(rates)
    if not math.isfinite(target) or target <= 0:
        raise FunnelError(gettext_noop("The target of the last stage must be above zero."))
    result = chain_result(volume, rates)
    factor = target / result
    needs = tuple(
        RateNeed(index=i, current=r, needed=r * factor, possible=r * factor <= 1.0)
        for i, r in enumerate(rates, start=1)
    )
    return GapSplit(
        result=result,
        target=target,
        factor=factor,
        volume=volume,
        volume_needed=volume * factor,
        each_rate_factor=factor ** (1 / len(rates)),
        single_rate=needs,
    )


@dataclass(frozen=True)
class Lever:
    """What improving one conversion rate would do to the result.

    ``gain_points`` is the result's gain from +Δ percentage points on this rate
    (ΔY = Y · Δ / r: the lowest rate is the strongest lever); ``gain_relative``
    the gain from improving it by x % of itself (the same for every rate), and
    ``result_relative`` the result it gives (at full precision: pages only round it).
    ``gain_per_cost`` is ``gain_points`` divided by the cost of the step, when known.
    """

    index: int
    rate: float
    new_rate: float
    result_points: float
    gain_points: float
    gain_relative: float
    cost: float | None
    gain_per_cost: float | None
    result_relative: float = 0.0

    @property
    def cost_per_gain(self) -> float | None:
        """What one more unit of the result costs through this lever (None without a
        cost or a gain); cheapest first is the same order as most gain per cost."""
        if self.cost is None or self.gain_points <= 0:
            return None
        return self.cost / self.gain_points


def levers(
    volume: float,
    rates: Sequence[float],
    *,
    points: float = 0.01,
    relative: float = 0.10,
    costs: Sequence[float | None] | None = None,
) -> list[Lever]:
    """One lever per rate, strongest first.

    Ranked by gain per unit of cost when every rate has a cost, else by the gain
    from ``points`` (a fraction: 0.01 is one percentage point). A rate that would
    pass 100 % is capped there.
    """
    _check_volume(volume)
    _check_rates(rates)
    if points <= 0 or relative <= 0:
        raise FunnelError(gettext_noop("The improvement to try must be above zero."))
    if costs is not None and len(costs) != len(rates):
        raise FunnelError(gettext_noop("Give one cost per conversion rate (or none)."))
    result = chain_result(volume, rates)
    out = []
    for index, rate in enumerate(rates, start=1):
        new_rate = min(1.0, rate + points) if rate <= 1.0 else rate + points
        with_points = result * new_rate / rate
        cost = costs[index - 1] if costs is not None else None
        if cost is not None and (not math.isfinite(cost) or cost <= 0):
            raise FunnelError(
                gettext_noop(
                    "The cost of improving rate %(index)s must be above zero.", index=index
                )
            )
        gain = with_points - result
        out.append(
            Lever(
                index=index,
                rate=rate,
                new_rate=new_rate,
                result_points=with_points,
                gain_points=gain,
                gain_relative=result * relative,
                cost=cost,
                gain_per_cost=gain / cost if cost is not None else None,
                result_relative=result + result * relative,
            )
        )
    every_cost = all(lever.gain_per_cost is not None for lever in out)
    if every_cost:
        return sorted(out, key=lambda lv: (-(lv.gain_per_cost or 0.0), lv.index))
    return sorted(out, key=lambda lv: (-lv.gain_points, lv.index))


@dataclass(frozen=True)
class Attribution:
    """Why the result moved from ``before`` to ``after``: one part per factor.

    Factor 0 is the first stage's volume, factor i the i-th conversion rate. The
    parts add up to ``after − before`` exactly (LMDI) and do not depend on order.
    """

    before: float
    after: float
    parts: tuple[float, ...]

    @property
    def change(self) -> float:
        """The total change of the result."""
        return self.after - self.before


def log_mean(a: float, b: float) -> float:
    """The logarithmic mean L(a, b) = (a − b) / (ln a − ln b), and a when a = b."""
    if a <= 0 or b <= 0:
        raise FunnelError(gettext_noop("The logarithmic mean needs two numbers above zero."))
    if math.isclose(a, b, rel_tol=1e-12, abs_tol=0.0):
        return (a + b) / 2
    return (a - b) / (math.log(a) - math.log(b))


def lmdi(before: Sequence[float], after: Sequence[float]) -> Attribution:
    """Split the change of Y = ∏ xᵢ into one part per factor (log-mean Divisia index).

    cᵢ = L(Y′, Y) · ln(xᵢ′ / xᵢ). When the result did not change, L is the result
    itself and the parts still show the factors that moved (they cancel out). A
    factor that is zero or negative in either period cannot be split this way and
    raises FunnelError naming it.
    """
    if len(before) != len(after) or not before:
        raise FunnelError(gettext_noop("Both periods need the same, non-empty list of factors."))
    for index, (x0, x1) in enumerate(zip(before, after, strict=True)):
        for later, x in ((False, x0), (True, x1)):
            if not math.isfinite(x) or x <= 0:
                raise FunnelError(_not_splittable(index, later, x))
    y0, y1 = math.prod(before), math.prod(after)
    weight = log_mean(y1, y0)
    parts = tuple(weight * math.log(x1 / x0) for x0, x1 in zip(before, after, strict=True))
    return Attribution(before=y0, after=y1, parts=parts)


def funnel_factors(volumes: Sequence[float | None]) -> list[float]:
    """The factors of a funnel for :func:`lmdi`: the first volume, then each rate."""
    rates = rates_from_volumes(volumes)
    first = volumes[0]
    assert first is not None  # rates_from_volumes refused missing volumes
    return [first, *rates]


def _not_splittable(index: int, later: bool, value: float) -> Text:
    """Why the change cannot be split: factor ``index`` (0 = the first stage's volume)
    is not above zero in one of the periods. Whole sentences (each a literal, so that
    ``makemessages`` finds it), so each language can word them its own way."""
    if index == 0 and not later:
        return gettext_noop(
            "The first stage's volume is %(value)s in the earlier period; the change can "
            "only be split when every stage has a value above zero in both periods.",
            value=value,
        )
    if index == 0:
        return gettext_noop(
            "The first stage's volume is %(value)s in the later period; the change can "
            "only be split when every stage has a value above zero in both periods.",
            value=value,
        )
    if not later:
        return gettext_noop(
            "Conversion rate %(index)s is %(value)s in the earlier period; the change can "
            "only be split when every stage has a value above zero in both periods.",
            index=index,
            value=value,
        )
    return gettext_noop(
        "Conversion rate %(index)s is %(value)s in the later period; the change can "
        "only be split when every stage has a value above zero in both periods.",
        index=index,
        value=value,
    )
