"""Generate an organization of any size for the benchmarks.

The default is 50 units × 200 KPIs × 60 monthly periods = 600,000 measurement rows:
a company unit with departments and teams below it, one scorecard per unit (cascaded
from its parent unit's scorecard, every objective aligned to the parent's), four
perspectives, objectives linked cause → effect, KPIs of every scoring type and time
aggregation, one calculated KPI in ten (a formula over two other KPIs), yearly targets
and planned target paths.

Every tenth KPI is calculated and gets no entered values; to keep the row count at
units × kpis × periods, the same number of rows are *corrections*: earlier values of
entered KPIs that were superseded (the history a real scorecard accumulates). So the
default organization has 540,000 current values and 60,000 superseded ones.

Rows are written with ``bulk_create`` in batches, with a progress bar. Running the
generator again with the same size reuses the organization (``--regenerate`` rebuilds it).

    python -m bench.generate [--units 50] [--kpis 200] [--months 60] [--small] [--regenerate]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

#: The last period of generated data ends here; the benchmarks score as of this day.
AS_OF = dt.date(2025, 12, 31)
BATCH = 5000
PASSWORD = "bench-password"


@dataclass(frozen=True)
class Size:
    """How big the generated organization is."""

    units: int = 50
    kpis: int = 200
    periods: int = 60

    @property
    def slug(self) -> str:
        """The organization's slug: one organization per size."""
        return f"bench-{self.units}x{self.kpis}x{self.periods}"

    @property
    def rows(self) -> int:
        """Measurement rows (current and superseded together)."""
        return self.units * self.kpis * self.periods

    @property
    def objectives(self) -> int:
        """Objectives per scorecard: about ten KPIs each, at least one per perspective."""
        return max(4, self.kpis // 10)

    def __str__(self) -> str:
        return f"{self.units} units × {self.kpis} KPIs × {self.periods} monthly periods"


DEFAULT = Size()
SMALL = Size(units=3, kpis=20, periods=12)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_starts(size: Size) -> list[dt.date]:
    """The first days of the generated months, the last one being AS_OF's month."""
    first = add_months(AS_OF.replace(day=1), 1 - size.periods)
    return [add_months(first, n) for n in range(size.periods)]


# One row per KPI slot (position modulo ten): how the KPI is scored and what its values are.
# (optimization, aggregation, indicator, typical value, definition fields)
SLOTS: list[tuple[str, str, str, float, dict[str, Any]]] = [
    ("maximize", "sum", "lagging", 150.0, {"baseline": 100.0, "target": 200.0}),
    ("minimize", "average", "lagging", 35.0, {"baseline": 50.0, "target": 20.0}),
    ("maximize", "last", "lagging", 150.0, {"baseline": 100.0, "target": 200.0}),
    ("exact", "average", "leading", 100.0, {"target": 100.0, "tolerance": 10.0}),
    (
        "band",
        "average",
        "leading",
        100.0,
        {"band_low": 90.0, "band_high": 110.0, "tolerance": 20.0},
    ),
    ("percent_of_target", "sum", "lagging", 150.0, {"target": 160.0}),
    ("maximize", "max", "leading", 150.0, {"minimum": 0.0, "maximum": 200.0, "target": 180.0}),
    ("binary_max", "min", "leading", 85.0, {"target": 80.0}),
    ("goal_red_flag", "average", "lagging", 110.0, {"target": 120.0, "red_flag": 80.0}),
    (
        "maximize",
        "average",
        "lagging",
        100.0,
        {"minimum": 0.0, "maximum": 200.0, "target": 100.0},
    ),
]
CALCULATED_SLOT = 9
CUSTOM_THRESHOLDS = [
    {"status": "red", "lower": None, "color": "#d64545"},
    {"status": "yellow", "lower": 0.5, "color": "#e8b021"},
    {"status": "green", "lower": 0.8, "color": "#2e9e5b"},
]


def kpi_code(index: int) -> str:
    """The code of the ``index``-th KPI of a scorecard."""
    return f"k{index:04d}"


def formula_for(index: int) -> str:
    """A calculated KPI's formula over two entered KPIs of its group of ten."""
    a, b = kpi_code(index - 9), kpi_code(index - 4)
    if (index // 10) % 2 == 0:
        return f"{a} / {b} * 100"
    return f"({a} + {b}) / 3"


def is_calculated(index: int) -> bool:
    """Every tenth KPI is calculated (it needs nine KPIs before it in its group)."""
    return index % 10 == CALCULATED_SLOT


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def find(size: Size) -> Any:
    """The generated organization of ``size`` when it exists complete, else None."""
    from scorecard.kpis.models import Measurement
    from scorecard.organizations.models import Organization

    org = Organization.objects.filter(slug=size.slug).first()
    if org is None:
        return None
    rows = Measurement.objects.filter(kpi__scorecard__organization=org).count()
    return org if rows == size.rows else None


def delete(slug: str) -> None:
    """Remove a generated organization quickly (measurements first, without signals)."""
    from scorecard.audit.models import Change
    from scorecard.kpis.models import Kpi, Measurement, Target
    from scorecard.organizations.models import Organization, Unit
    from scorecard.strategy.models import Objective, Scorecard

    org = Organization.objects.filter(slug=slug).first()
    if org is None:
        return
    for model in (Measurement, Target):
        model.objects.filter(kpi__scorecard__organization=org)._raw_delete(model.objects.db)
    # The history outlives its items (plain ids): without this every run would leave
    # its million entries behind and the next run's inserts would pay for larger indexes.
    scorecards = list(Scorecard.objects.filter(organization=org).values_list("pk", flat=True))
    Change.objects.filter(scorecard_id__in=scorecards)._raw_delete(Change.objects.db)
    # Objectives protect their perspective: delete them (and what hangs on them) first.
    Kpi.objects.filter(scorecard__organization=org).delete()
    Objective.objects.filter(scorecard__organization=org).delete()
    Scorecard.objects.filter(organization=org).delete()
    # Units protect their children: delete the leaves first.
    while Unit.objects.filter(organization=org).exists():
        Unit.objects.filter(organization=org, children__isnull=True).delete()
    org.delete()


def bench_user() -> Any:
    """The user the benchmarks sign in as (created once)."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    user = user_model.objects.filter(username="bench").first()
    if user is None:
        user = user_model.objects.create_user("bench", "bench@example.com", PASSWORD)
    return user


def generate(size: Size = DEFAULT, *, regenerate: bool = False, progress: bool = True) -> Any:
    """Create (or reuse) the organization of ``size``; return it."""
    from django.db import transaction
    from tqdm import tqdm

    from scorecard.organizations.models import Membership

    if not regenerate:
        org = find(size)
        if org is not None:
            return org
    delete(size.slug)
    with transaction.atomic():
        org, scorecards = _structure(size)
        user = bench_user()
        Membership.objects.create(user=user, organization=org, role="admin")
        kpis = _kpis(size, scorecards, user)
        _targets(size, kpis)
    bar = tqdm(total=size.rows, unit="row", desc="measurements", disable=not progress)
    for batch in _batches(_measurements(size, kpis), BATCH):
        with transaction.atomic():
            type(batch[0]).objects.bulk_create(batch)
        bar.update(len(batch))
    bar.close()
    return org


def _structure(size: Size) -> tuple[Any, list[Any]]:
    from scorecard.organizations.models import Organization, Unit
    from scorecard.strategy.models import (
        DEFAULT_PERSPECTIVES,
        Objective,
        ObjectiveAlignment,
        ObjectiveLink,
        Perspective,
        Scorecard,
    )

    org = Organization.objects.create(name=f"Bench {size}", slug=size.slug)
    units: list[Unit] = []
    scorecards: list[Scorecard] = []
    for n in range(size.units):
        # A tree: the company, departments under it, teams under the departments.
        parent = None if n == 0 else units[0] if n <= 7 else units[1 + (n - 8) % 7]
        unit = Unit.objects.create(
            organization=org, parent=parent, name=f"Unit {n:03d}", slug=f"unit-{n:03d}"
        )
        units.append(unit)
        scorecards.append(
            Scorecard.objects.create(
                organization=org,
                unit=unit,
                parent=None if parent is None else scorecards[units.index(parent)],
                name=f"Scorecard {n:03d}",
                slug=f"sc-{n:03d}",
                vision="Benchmark data.",
            )
        )
    perspectives = Perspective.objects.bulk_create(
        Perspective(scorecard=sc, name=name, kind=kind, position=pos)
        for sc in scorecards
        for pos, (kind, name) in enumerate(DEFAULT_PERSPECTIVES)
    )
    per_perspective = size.objectives // 4
    objectives = Objective.objects.bulk_create(
        Objective(
            scorecard=sc,
            perspective=perspectives[s * 4 + min(3, j // per_perspective)],
            code=f"o{j:03d}",
            name=f"Objective {j}",
            weight=1.0 + j % 3,
            position=j,
        )
        for s, sc in enumerate(scorecards)
        for j in range(size.objectives)
    )
    by_scorecard = {sc.pk: objectives[s * size.objectives : (s + 1) * size.objectives]
                    for s, sc in enumerate(scorecards)}  # fmt: skip
    links: list[ObjectiveLink] = []
    alignments: list[ObjectiveAlignment] = []
    for sc in scorecards:
        own = by_scorecard[sc.pk]
        # Learning → internal → customer → financial, one arrow per objective.
        links.extend(
            ObjectiveLink(cause=own[j], effect=own[j - per_perspective])
            for j in range(per_perspective, size.objectives)
        )
        if sc.parent_id is not None:
            above = by_scorecard[sc.parent_id]
            alignments.extend(
                ObjectiveAlignment(child=own[j], parent=above[j], share=0.5)
                for j in range(size.objectives)
            )
    ObjectiveLink.objects.bulk_create(links)
    ObjectiveAlignment.objects.bulk_create(alignments)
    for sc in scorecards:
        sc.bench_objectives = by_scorecard[sc.pk]  # type: ignore[attr-defined]
    return org, scorecards


def _kpis(size: Size, scorecards: list[Any], user: Any) -> list[Any]:
    from scorecard.kpis.models import Kpi

    start, end = month_starts(size)[0], AS_OF
    rows = []
    for sc in scorecards:
        for i in range(size.kpis):
            slot = CALCULATED_SLOT if is_calculated(i) else i % 10
            optimization, aggregation, indicator, _, fields = SLOTS[slot]
            fields = dict(fields)
            if slot == 2:
                # A planned straight path from the baseline to the target.
                fields.update(baseline_date=start, target_date=end)
            rows.append(
                Kpi(
                    scorecard=sc,
                    objective=sc.bench_objectives[i % size.objectives],
                    code=kpi_code(i),
                    name=f"KPI {i} of {sc.slug}",
                    unit="%" if slot in (1, 9) else "k€",
                    optimization=optimization,
                    time_aggregation=aggregation,
                    indicator=indicator,
                    update_interval="month",
                    weight=1.0 + i % 4,
                    formula=formula_for(i) if slot == CALCULATED_SLOT else "",
                    thresholds=CUSTOM_THRESHOLDS if slot == 8 else None,
                    owner=user if i % 3 == 0 else None,
                    position=i,
                    **fields,
                )
            )
    return Kpi.objects.bulk_create(rows, batch_size=BATCH)


def _targets(size: Size, kpis: list[Any]) -> None:
    """Yearly targets for the first slot's KPIs, growing 10 % a year."""
    from scorecard.kpis.models import Target

    years = sorted({d.year for d in month_starts(size)})
    set_at = dt.datetime(years[0] - 1, 12, 1, tzinfo=dt.UTC)
    Target.objects.bulk_create(
        (
            Target(
                kpi=kpi,
                period_start=dt.date(year, 1, 1),
                value=round(160.0 * 1.1**n, 1),
                provenance="growth",
                set_at=set_at,
            )
            for kpi in kpis
            if kpi.position % 10 == 0
            for n, year in enumerate(years)
        ),
        batch_size=BATCH,
    )


def _measurements(size: Size, kpis: list[Any]) -> Iterator[Any]:
    from scorecard.kpis.models import Measurement

    months = month_starts(size)
    calculated_per_card = sum(1 for i in range(size.kpis) if is_calculated(i))
    rng = random.Random(20260101)
    for kpi in kpis:
        i = kpi.position
        if is_calculated(i):
            continue
        typical = SLOTS[i % 10][3]
        # The first entered KPIs of each scorecard carry one correction per period.
        corrected = i - i // 10 < calculated_per_card
        for t, start in enumerate(months):
            end = add_months(start, 1) - dt.timedelta(days=1)
            recorded = dt.datetime.combine(end, dt.time(17), tzinfo=dt.UTC) + dt.timedelta(days=5)
            value = round(typical * (0.9 + 0.004 * t) * (0.9 + 0.2 * rng.random()), 2)
            if corrected:
                yield Measurement(
                    kpi=kpi,
                    period_start=start,
                    value=round(value * 0.8, 2),
                    note="first estimate",
                    recorded_at=recorded - dt.timedelta(days=3),
                    superseded_at=recorded,
                )
            yield Measurement(kpi=kpi, period_start=start, value=value, recorded_at=recorded)


def _batches(items: Iterator[Any], n: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == n:
            yield batch
            batch = []
    if batch:
        yield batch


def size_arguments(parser: argparse.ArgumentParser) -> None:
    """Add --units/--kpis/--months/--small to a command line."""
    parser.add_argument(
        "--units", type=int, default=DEFAULT.units, help="units (one scorecard each)"
    )
    parser.add_argument("--kpis", type=int, default=DEFAULT.kpis, help="KPIs per scorecard")
    parser.add_argument(
        "--months", "--periods", dest="periods", type=int, default=DEFAULT.periods,
        help="monthly periods",
    )  # fmt: skip
    parser.add_argument(
        "--small", action="store_true", help=f"quick check: {SMALL} (overrides the sizes)"
    )


def size_from(args: argparse.Namespace) -> Size:
    """The size the command line asks for."""
    if args.small:
        return SMALL
    if args.units < 1 or args.kpis < 10 or args.periods < 1:
        raise SystemExit("need at least 1 unit, 10 KPIs and 1 period")
    return Size(args.units, args.kpis, args.periods)


def migrate() -> None:
    """Bring the benchmark database's schema up to date (quietly)."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size_arguments(parser)
    parser.add_argument("--regenerate", action="store_true", help="rebuild even if it exists")
    args = parser.parse_args(argv)
    size = size_from(args)
    _setup()
    migrate()
    org = generate(size, regenerate=args.regenerate)
    print(f"organization {org.slug}: {size} = {size.rows:,} measurement rows")


if __name__ == "__main__":
    main()
