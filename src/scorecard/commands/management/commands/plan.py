"""``scorecard plan``: the planning pages' numbers as JSON, at full precision.

    scorecard plan funnel    --org ORG --scorecard SC (--funnel NAME|ID | --kpi CODE)
    scorecard plan forecast  --org ORG --scorecard SC --kpi CODE
    scorecard plan growth    --org ORG --scorecard SC --kpi CODE --end N --years N
    scorecard plan benchmarks --org ORG --scorecard SC --kpi CODE
    scorecard plan targets   --org ORG --scorecard SC --kpi CODE [--check N]

The same numbers as the planning pages and the API (interchange/planning.py); see
docs/planning.md, "Planning numbers out".
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scorecard import clock
from scorecard.engine.types import View
from scorecard.interchange import planning as plan
from scorecard.kpis.models import Kpi
from scorecard.organizations.models import Organization
from scorecard.planning.models import Funnel
from scorecard.presentation.planning import word_planning
from scorecard.strategy import selectors as strategy_selectors
from scorecard.strategy.models import Scorecard

SUBJECTS = ("funnel", "forecast", "growth", "benchmarks", "targets")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Give a date like 2026-10-31, not “{text}”.") from None


def _number(text: str) -> float:
    try:
        number = float(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise CommandError(f"“{text}” is not a number.") from None
    if not math.isfinite(number):
        raise CommandError(f"“{text}” is not a finite number.")
    return number


def _percent(text: str) -> float:
    """A lever step in percent (1 = one point, 10 = 10 %), as a fraction."""
    value = _number(text)
    if not 0 < value <= 100:
        raise CommandError(f"Give a step between 0 and 100 percent, not “{text}”.")
    return value / 100


class Command(BaseCommand):
    help = (
        "Print the planning numbers (funnel, forecast, growth path, benchmarks, target "
        "proposals) of a scorecard's KPI as JSON, unrounded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subject", choices=SUBJECTS, help="What to plan.")
        parser.add_argument("--org", required=True, help="The organization's short name (slug).")
        parser.add_argument("--scorecard", required=True, help="The scorecard's short name.")
        parser.add_argument("--kpi", help="The KPI's code (funnel: the funnels it is a stage of).")
        parser.add_argument("--funnel", help="funnel: the funnel's name or id.")
        parser.add_argument("--as-of", type=_date, help="Plan as of this day (default: today).")
        parser.add_argument(
            "--view",
            default=View.PERIOD.value,
            choices=[v.value for v in View],
            help="The window whose target is in force (default: each KPI's latest period).",
        )
        parser.add_argument("--target", type=_number, help="funnel: the final stage's target.")
        parser.add_argument(
            "--points", type=_percent, default=0.01, help="funnel: lever step in points (1)."
        )
        parser.add_argument(
            "--relative", type=_percent, default=0.10, help="funnel: lever step in % (10)."
        )
        parser.add_argument("--compare", type=_date, help="funnel: explain the change since.")
        parser.add_argument("--end", type=_number, help="growth (and targets): level to reach.")
        parser.add_argument("--years", type=_number, help="growth (and targets): in years.")
        parser.add_argument("--check", type=_number, help="targets: a number of yours to check.")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of: dt.date = options["as_of"] or clock.today()
        scorecard = _scorecard(options["org"], options["scorecard"])
        subject = options["subject"]
        try:
            if subject == "funnel":
                data = self._funnels(scorecard, as_of, options)
            else:
                data = self._kpi(scorecard, subject, as_of, options)
        except plan.PlanningInputError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))

    def _funnels(
        self, scorecard: Scorecard, as_of: dt.date, options: dict[str, Any]
    ) -> dict[str, Any]:
        if options["funnel"]:
            funnels = [_funnel(scorecard, options["funnel"])]
        elif options["kpi"]:
            funnels = plan.funnels_of_kpi(_kpi(scorecard, options["kpi"]))
        else:
            names = ", ".join(f.name for f in Funnel.objects.filter(scorecard=scorecard))
            raise CommandError(
                "Name the funnel with --funnel (or a KPI in it with --kpi); "
                f"this scorecard has: {names or 'no funnels'}."
            )
        items = []
        for funnel in funnels:
            analysis = plan.funnel_analysis(
                funnel,
                as_of=as_of,
                target=options["target"],
                points=options["points"],
                relative=options["relative"],
                compare=options["compare"],
            )
            items.append(plan.funnel_as_dict(analysis, as_of=as_of))
        return {"items": items}

    def _kpi(
        self, scorecard: Scorecard, subject: str, as_of: dt.date, options: dict[str, Any]
    ) -> dict[str, Any]:
        if not options["kpi"]:
            raise CommandError(f"“plan {subject}” needs --kpi CODE.")
        kpi = _kpi(scorecard, options["kpi"])
        if subject == "growth" and (options["end"] is None or options["years"] is None):
            raise CommandError("“plan growth” needs --end (the level to reach) and --years.")
        planning = plan.kpi_planning(
            kpi,
            as_of=as_of,
            view=options["view"],
            growth_end=options["end"],
            growth_years=options["years"],
            check_value=options["check"],
        )
        if subject == "forecast":
            return plan.forecast_as_dict(planning, as_of=as_of)
        if subject == "growth":
            return plan.growth_as_dict(planning, as_of=as_of)
        if subject == "benchmarks":
            return plan.benchmarks_as_dict(planning)
        return plan.proposals_as_dict(word_planning(planning), as_of=as_of)


def _scorecard(org_slug: str, slug: str) -> Scorecard:
    organization = Organization.objects.filter(slug=org_slug).first()
    if organization is None:
        raise CommandError(f"There is no organization “{org_slug}”.")
    scorecard = strategy_selectors.scorecard_get(organization=organization, slug=slug)
    if scorecard is None:
        known = ", ".join(
            c.slug for c in strategy_selectors.scorecard_list(organization=organization)
        )
        raise CommandError(
            f"{organization.slug} has no scorecard “{slug}” (it has: {known or 'none'})."
        )
    return scorecard


def _kpi(scorecard: Scorecard, code: str) -> Kpi:
    kpi = (
        Kpi.objects.filter(scorecard=scorecard, code=code)
        .select_related("scorecard__organization")
        .first()
    )
    if kpi is None:
        raise CommandError(f"The scorecard “{scorecard.slug}” has no KPI with the code “{code}”.")
    return kpi


def _funnel(scorecard: Scorecard, name: str) -> Funnel:
    funnels = Funnel.objects.filter(scorecard=scorecard).select_related("scorecard__organization")
    found = funnels.filter(name=name).first()
    if found is None and name.isdigit():
        found = funnels.filter(pk=int(name)).first()
    if found is None:
        names = ", ".join(f"“{f.name}”" for f in funnels)
        raise CommandError(
            f"The scorecard “{scorecard.slug}” has no funnel “{name}” (it has: {names or 'none'})."
        )
    return found
