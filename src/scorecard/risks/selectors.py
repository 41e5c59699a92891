"""Reads of the risk register, always within one scorecard or objective."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from scorecard.strategy.models import Objective, Scorecard

from .models import IMPACT_WORDS, LIKELIHOOD_WORDS, SCALE, Risk, level_of


def risks_of(*, scorecard: Scorecard) -> QuerySet[Risk]:
    """The scorecard's risks with owners and links (a fixed number of queries)."""
    return (
        Risk.objects.filter(scorecard=scorecard)
        .select_related("owner", "scorecard")
        .prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.order_by("code")),
            "kpis",
            "initiatives",
        )
        .order_by("-likelihood", "-impact", "title", "pk")
    )


def risk_get(*, scorecard: Scorecard, pk: int) -> Risk | None:
    return risks_of(scorecard=scorecard).filter(pk=pk).first()


def risks_for_objective(*, objective: Objective) -> list[Risk]:
    """The risks that threaten one objective, worst first."""
    return sorted(
        Risk.objects.filter(objectives=objective)
        .select_related("owner")
        .prefetch_related("initiatives"),
        key=lambda r: (-r.score, r.title),
    )


@dataclass(frozen=True)
class HeatCell:
    """One cell of the heat map: a likelihood and an impact, and the risks rated there."""

    likelihood: int
    impact: int
    risks: tuple[Risk, ...]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def level(self) -> str:
        return level_of(self.score)


@dataclass(frozen=True)
class HeatMap:
    """Rows from the most likely down, columns from the least impact up."""

    rows: list[tuple[int, str, list[HeatCell]]]
    impacts: list[tuple[int, str]]
    after: bool
    unrated: int  # risks without a rating after mitigation (only for the "after" map)


def heat_map(risks: list[Risk], *, after: bool = False) -> HeatMap:
    """Where the risks sit by likelihood × impact, before (default) or after mitigation."""
    cells: dict[tuple[int, int], list[Risk]] = {}
    unrated = 0
    for risk in risks:
        likelihood, impact = (
            (risk.likelihood_after, risk.impact_after) if after else (risk.likelihood, risk.impact)
        )
        if likelihood is None or impact is None:
            unrated += 1
            continue
        cells.setdefault((likelihood, impact), []).append(risk)
    rows = [
        (
            likelihood,
            str(LIKELIHOOD_WORDS[likelihood]),
            [
                HeatCell(likelihood, impact, tuple(cells.get((likelihood, impact), [])))
                for impact in range(1, SCALE + 1)
            ],
        )
        for likelihood in range(SCALE, 0, -1)
    ]
    return HeatMap(rows, [(n, str(word)) for n, word in IMPACT_WORDS.items()], after, unrated)


def unmitigated_high_risks(*, scorecard: Scorecard) -> list[Risk]:
    """High or critical risks (before mitigation) with no mitigating initiative."""
    return [
        risk
        for risk in Risk.objects.filter(scorecard=scorecard, initiatives__isnull=True)
        .select_related("owner")
        .order_by("title", "pk")
        if risk.level in ("high", "critical")
    ]
