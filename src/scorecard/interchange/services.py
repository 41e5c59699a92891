"""Load a scorecard document into the database, all or nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from scorecard import clock
from scorecard.engine import periods
from scorecard.engine.types import Interval
from scorecard.initiatives.models import Initiative, Task
from scorecard.kpis.models import Kpi, Measurement, Target
from scorecard.organizations.models import Membership, Organization, Unit
from scorecard.strategy.models import (
    Objective,
    ObjectiveAlignment,
    ObjectiveLink,
    Perspective,
    Scorecard,
)

from .document import (
    DocError,
    Document,
    DocumentError,
    aligned_period,
    measurement_rows,
    parse_document,
)

#: Documents larger than this are refused before they are read.
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
#: The demo company, shipped with the package.
DEMO_FILE_NAME = "northwind.yaml"
DEMO_FILE = Path(__file__).resolve().parent / "demo" / DEMO_FILE_NAME


@dataclasses.dataclass
class LoadSummary:
    """What a load created."""

    organization_slug: str
    units: int = 0
    users: int = 0
    scorecards: int = 0
    objectives: int = 0
    kpis: int = 0
    measurements: int = 0
    targets: int = 0
    initiatives: int = 0
    tasks: int = 0

    def __str__(self) -> str:
        parts = [
            f"{getattr(self, f.name)} {f.name}"
            for f in dataclasses.fields(self)
            if f.name != "organization_slug"
        ]
        return f"organization “{self.organization_slug}”: " + ", ".join(parts)


def document_load_file(path: str | Path, *, replace: bool = False) -> LoadSummary:
    """Read, check and load the document at ``path``; DocumentError on any problem."""
    file = Path(path)
    if not file.is_file():
        raise DocumentError([DocError("", f"there is no file {file}.")])
    if file.stat().st_size > MAX_DOCUMENT_BYTES:
        raise DocumentError(
            [DocError("", f"the file is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB.")]
        )
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DocumentError([DocError("", "the file is not UTF-8 text.")]) from None
    return document_load(document=parse_document(text), replace=replace)


def organization_data_delete(organization: Organization) -> None:
    """Delete everything of one organization, children before what they protect."""
    Kpi.objects.filter(scorecard__organization=organization).delete()
    Initiative.objects.filter(scorecard__organization=organization).delete()
    Objective.objects.filter(scorecard__organization=organization).delete()
    Scorecard.objects.filter(organization=organization).update(parent=None)
    Scorecard.objects.filter(organization=organization).delete()
    Unit.objects.filter(organization=organization).update(parent=None)
    organization.delete()


@transaction.atomic
def document_load(*, document: Document, replace: bool = False) -> LoadSummary:
    """Create the organization a document describes; nothing is written on any error."""
    org_in = document.organization
    existing = Organization.objects.filter(slug=org_in.slug).first()
    if existing is not None:
        if not replace:
            raise DocumentError(
                [
                    DocError(
                        "organization.slug",
                        f"organization “{org_in.slug}” already exists; "
                        "use --replace to overwrite it.",
                    )
                ]
            )
        organization_data_delete(existing)
    summary = LoadSummary(organization_slug=org_in.slug)
    now = clock.now()
    fiscal = org_in.fiscal_year_start_month
    organization = Organization.objects.create(
        name=org_in.name, slug=org_in.slug, fiscal_year_start_month=fiscal
    )
    units = _units(document, organization)
    summary.units = len(units)
    users = _users(document, organization, units)
    summary.users = len(users)

    objectives: dict[tuple[str, str], Objective] = {}
    cards: dict[str, Scorecard] = {}
    for card_in in _parents_first(document):
        card = Scorecard.objects.create(
            organization=organization,
            unit=units[card_in.unit],
            parent=cards.get(card_in.parent) if card_in.parent else None,
            name=card_in.name,
            slug=card_in.slug,
            vision=card_in.vision,
            mission=card_in.mission,
            aggregator=card_in.settings.aggregator,
            missing_policy=card_in.settings.missing_policy,
            score_cap=card_in.settings.score_cap,
        )
        cards[card_in.slug] = card
        summary.scorecards += 1
        kpi_rows: list[tuple[Kpi, Any]] = []
        for p_index, p_in in enumerate(card_in.perspectives):
            perspective = Perspective.objects.create(
                scorecard=card, name=p_in.name, kind=p_in.kind, weight=p_in.weight,
                position=p_index,
            )  # fmt: skip
            for o_index, o_in in enumerate(p_in.objectives):
                objective = Objective(
                    scorecard=card, perspective=perspective, code=o_in.code, name=o_in.name,
                    description=o_in.description, owner=users.get(o_in.owner or ""),
                    weight=o_in.weight, due_date=o_in.due_date, position=o_index,
                )  # fmt: skip
                objectives[(card_in.slug, o_in.code)] = objective
                for k_index, k_in in enumerate(o_in.kpis):
                    kpi_rows.append((_kpi(k_in, card, objective, users, k_index), k_in))
        Objective.objects.bulk_create([o for (s, _), o in objectives.items() if s == card_in.slug])
        for kpi, _ in kpi_rows:
            kpi.objective_id = kpi.objective.pk
        Kpi.objects.bulk_create([kpi for kpi, _ in kpi_rows])
        summary.objectives += sum(1 for s, _ in objectives if s == card_in.slug)
        summary.kpis += len(kpi_rows)
        measurements, targets = [], []
        for kpi, k_in in kpi_rows:
            interval = Interval(k_in.update_interval)
            for period_start, value, note in measurement_rows(k_in, fiscal):
                measurements.append(
                    Measurement(kpi=kpi, period_start=period_start, value=value, note=note,
                                recorded_at=_recorded_at(period_start, interval, fiscal, now))
                )  # fmt: skip
            for t in k_in.targets:
                targets.append(
                    Target(kpi=kpi, period_start=aligned_period(t.period, k_in.update_interval,
                           fiscal), value=t.value, provenance=t.provenance, note=t.note, set_at=now)
                )  # fmt: skip
        Measurement.objects.bulk_create(measurements, batch_size=2000)
        Target.objects.bulk_create(targets, batch_size=2000)
        summary.measurements += len(measurements)
        summary.targets += len(targets)
        ObjectiveLink.objects.bulk_create(
            ObjectiveLink(
                cause=objectives[(card_in.slug, link.cause)],
                effect=objectives[(card_in.slug, link.effect)],
                note=link.note,
            )
            for link in card_in.links
        )
        summary.initiatives += len(card_in.initiatives)
        summary.tasks += _initiatives(card_in, card, objectives, users)

    ObjectiveAlignment.objects.bulk_create(
        ObjectiveAlignment(
            child=objectives[(card_in.slug, o_in.code)],
            parent=objectives[tuple(a.objective.split("/", 1))],  # type: ignore[index]
            share=a.share,
        )
        for card_in in document.scorecards
        for p_in in card_in.perspectives
        for o_in in p_in.objectives
        for a in o_in.aligned_to
    )
    return summary


def _recorded_at(
    period_start: dt.date, interval: Interval, fiscal: int, now: dt.datetime
) -> dt.datetime:
    """A plausible time a value was entered: a few days after its period closed (not after now)."""
    period = periods.period_containing(period_start, interval, fiscal)
    entered = dt.datetime.combine(period.end + dt.timedelta(days=4), dt.time(9, 0), tzinfo=dt.UTC)
    return min(entered, now)


def _units(document: Document, organization: Organization) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    pending = list(document.units)
    while pending:
        ready = [u for u in pending if u.parent is None or u.parent in units]
        for u in ready:
            units[u.slug] = Unit.objects.create(
                organization=organization,
                name=u.name,
                slug=u.slug,
                parent=units.get(u.parent) if u.parent else None,
            )
        pending = [u for u in pending if u.slug not in units]
    return units


def _users(
    document: Document, organization: Organization, units: dict[str, Unit]
) -> dict[str, Any]:
    user_model = get_user_model()
    users: dict[str, Any] = {}
    for u in document.users:
        first, _, last = u.name.partition(" ")
        user, created = user_model.objects.get_or_create(
            username=u.username, defaults={"first_name": first, "last_name": last, "email": u.email}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.update_or_create(
            user=user,
            organization=organization,
            defaults={"role": u.role, "unit": units.get(u.unit) if u.unit else None},
        )
        users[u.username] = user
    return users


def _parents_first(document: Document) -> list[Any]:
    ordered: list[Any] = []
    done: set[str] = set()
    pending = list(document.scorecards)
    while pending:
        ready = [s for s in pending if s.parent is None or s.parent in done]
        if not ready:  # a loop of parents: the validation reports it; load the rest flat
            ready = pending
        for card in ready:
            ordered.append(card)
            done.add(card.slug)
        pending = [s for s in pending if s.slug not in done]
    return ordered


def _kpi(
    k_in: Any, card: Scorecard, objective: Objective, users: dict[str, Any], position: int
) -> Kpi:
    fields = k_in.model_dump(exclude={"targets", "measurements", "owner", "updater", "thresholds"})
    return Kpi(
        scorecard=card,
        objective=objective,
        owner=users.get(k_in.owner or ""),
        updater=users.get(k_in.updater or ""),
        thresholds=[b.model_dump() for b in k_in.thresholds] if k_in.thresholds else None,
        position=position,
        **fields,
    )


def _initiatives(
    card_in: Any,
    card: Scorecard,
    objectives: dict[tuple[str, str], Objective],
    users: dict[str, Any],
) -> int:
    tasks = 0
    for i_in in card_in.initiatives:
        initiative = Initiative.objects.create(
            scorecard=card, name=i_in.name, description=i_in.description,
            owner=users.get(i_in.owner or ""), start_date=i_in.start_date, deadline=i_in.deadline,
            budget=None if i_in.budget is None else Decimal(str(i_in.budget)),
            spent=None if i_in.spent is None else Decimal(str(i_in.spent)),
            status=i_in.status, progress=i_in.progress,
        )  # fmt: skip
        initiative.objectives.set([objectives[(card_in.slug, code)] for code in i_in.objectives])
        Task.objects.bulk_create(
            Task(
                initiative=initiative,
                name=t.name,
                assignee=users.get(t.assignee or ""),
                deadline=t.deadline,
                state=t.state,
                position=index,
            )
            for index, t in enumerate(i_in.tasks)
        )
        tasks += len(i_in.tasks)
    return tasks
