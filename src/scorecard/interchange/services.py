"""Load a scorecard document into the database, all or nothing.

``document_load`` writes everything a parsed :class:`~.document.Document`
describes inside one transaction; ``document_load_file`` reads, parses and loads
a file. Both raise :class:`~.document.DocumentError` for anything the user can
fix, and nothing is written then.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from scorecard import clock
from scorecard.audit.integrity import person_hold
from scorecard.engine import periods
from scorecard.engine.types import Interval
from scorecard.initiatives.models import Initiative, Task
from scorecard.kpis.models import Kpi, KpiAlignment, Measurement, Target
from scorecard.organizations.models import Membership, Organization, Unit
from scorecard.organizations.versions import data_version_bump
from scorecard.planning.models import Benchmark, ForecastRule
from scorecard.planning.services import funnel_create
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
    InitiativeIn,
    KpiIn,
    ScorecardIn,
    aligned_period,
    measurement_rows,
    parse_document,
)

#: Documents larger than this are refused before they are read.
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
#: The demo company, shipped with the package.
DEMO_FILE_NAME = "northwind.yaml"
DEMO_FILE = Path(__file__).resolve().parent / "demo" / DEMO_FILE_NAME
BATCH_SIZE = 2000
#: Fields of a document's KPI that are not plain columns of the Kpi model.
KPI_FIELDS_NOT_COPIED = {
    "targets", "measurements", "owner", "updater", "thresholds", "benchmarks", "aligned_to",
}  # fmt: skip


@dataclasses.dataclass
class LoadSummary:
    """How many rows of each kind a load created."""

    organization_slug: str
    units: int = 0
    users: int = 0
    memberships: int = 0
    scorecards: int = 0
    perspectives: int = 0
    objectives: int = 0
    links: int = 0
    alignments: int = 0
    kpis: int = 0
    kpi_alignments: int = 0
    targets: int = 0
    measurements: int = 0
    benchmarks: int = 0
    funnels: int = 0
    initiatives: int = 0
    tasks: int = 0

    def __str__(self) -> str:
        parts = [
            f"{getattr(self, f.name)} {f.name}"
            for f in dataclasses.fields(self)
            if f.name != "organization_slug"
        ]
        return f"organization “{self.organization_slug}”: " + ", ".join(parts)


def document_load_file(
    path: str | Path, *, replace: bool = False, loaded_by: Any = None
) -> LoadSummary:
    """Read, check and load the document at ``path``; DocumentError on any problem."""
    return document_load(
        document=parse_document(_read_text(Path(path))), replace=replace, loaded_by=loaded_by
    )


def _read_text(file: Path) -> str:
    """The file's text; DocumentError when it is missing, too large or not UTF-8."""
    if not file.exists():
        raise DocumentError([DocError("", f"there is no file {file}.")])
    if not file.is_file():
        raise DocumentError([DocError("", f"{file} is not a file.")])
    size = file.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        limit = MAX_DOCUMENT_BYTES // (1024 * 1024)
        raise DocumentError(
            [DocError("", f"{file} is {size / 1024 / 1024:.0f} MB; documents may be {limit} MB.")]
        )
    try:
        # utf-8-sig: a byte-order mark that some editors write is not part of the YAML.
        return file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            [DocError("", f"{file} is not UTF-8 text (byte {exc.start} cannot be read).")]
        ) from None
    except OSError as exc:
        raise DocumentError([DocError("", f"{file} cannot be read: {exc.strerror}.")]) from None


def document_load(
    *, document: Document, replace: bool = False, loaded_by: Any = None
) -> LoadSummary:
    """Create the organization a document describes; nothing is written on any error.

    With ``replace`` an organization of the same slug is deleted first (in the
    same transaction, so a failed load keeps it). ``loaded_by`` (a user, optional)
    is recorded as whoever entered the measurements and set the targets.
    """
    try:
        with transaction.atomic():
            return _load(document, replace=replace, loaded_by=loaded_by)
    except IntegrityError as exc:
        # The checks in parse_document should leave nothing for the database to refuse;
        # if it still does, say so plainly rather than with a traceback.
        raise DocumentError(
            [DocError("", f"the database refused the document, nothing was loaded: {exc}")]
        ) from exc


def _load(document: Document, *, replace: bool, loaded_by: Any) -> LoadSummary:
    # The values' recorder is a plain id (audit.integrity): hold the person.
    person_hold(getattr(loaded_by, "pk", None))
    org_in = document.organization
    existing = Organization.objects.filter(slug=org_in.slug).first()
    if existing is not None:
        if not replace:
            raise DocumentError(
                [
                    DocError(
                        "organization.slug",
                        f"Organization “{org_in.slug}” already exists; "
                        "use --replace to overwrite it.",
                    )
                ]
            )
        organization_data_delete(existing)
    summary = LoadSummary(organization_slug=org_in.slug)
    organization = Organization.objects.create(
        name=org_in.name, slug=org_in.slug, fiscal_year_start_month=org_in.fiscal_year_start_month
    )
    units = _units(document, organization)
    summary.units = len(units)
    users = _users(document, organization, units)
    summary.users = summary.memberships = len(users)
    writer = _Writer(
        organization=organization,
        units=units,
        users=users,
        loaded_by=loaded_by,
        now=clock.now(),
        summary=summary,
    )
    for card_in in _parents_first(document):
        writer.scorecard(card_in)
    writer.alignments(document)
    writer.kpi_alignments(document)
    # Most rows went in by bulk inserts, which send no signals: a new data version last.
    data_version_bump(organization.pk)
    return summary


def organization_data_delete(organization: Organization) -> None:
    """Delete everything of one organization, children before what they protect.

    Objectives protect their perspective, scorecards their unit and units their
    parent unit, so a plain cascade from the organization would be refused.
    Users stay: they may belong to other organizations too.
    """
    Kpi.objects.filter(scorecard__organization=organization).delete()
    Initiative.objects.filter(scorecard__organization=organization).delete()
    Objective.objects.filter(scorecard__organization=organization).delete()
    Scorecard.objects.filter(organization=organization).delete()
    Unit.objects.filter(organization=organization).update(parent=None)
    organization.delete()


def _units(document: Document, organization: Organization) -> dict[str, Unit]:
    """Create the units, each after its parent (the document may list them in any order)."""
    units: dict[str, Unit] = {}
    pending = list(document.units)
    while pending:
        ready = [u for u in pending if u.parent is None or u.parent in units]
        for u in ready:
            units[u.slug] = Unit.objects.create(
                organization=organization,
                name=u.name,
                slug=u.slug,
                parent=units[u.parent] if u.parent else None,
            )
        pending = [u for u in pending if u.slug not in units]
    return units


def _users(
    document: Document, organization: Organization, units: dict[str, Unit]
) -> dict[str, Any]:
    """Find or create each user and give them their membership.

    A user who exists already keeps their password; new users get an unusable one
    (documents carry no passwords). Names and e-mail follow the document.
    """
    user_model = get_user_model()
    existing = {u.username: u for u in user_model.objects.filter(username__in=_usernames(document))}
    users: dict[str, Any] = {}
    for u in document.users:
        first, _, last = u.name.partition(" ")
        user = existing.get(u.username) or user_model(username=u.username)
        if user.pk is None:
            user.set_unusable_password()
        user.first_name, user.last_name = first[:150], last[:150]
        if u.email:
            user.email = u.email
        user.save()
        users[u.username] = user
    Membership.objects.bulk_create(
        Membership(
            user=users[u.username],
            organization=organization,
            role=u.role,
            unit=units[u.unit] if u.unit else None,
        )
        for u in document.users
    )
    return users


def _usernames(document: Document) -> list[str]:
    return [u.username for u in document.users]


def _parents_first(document: Document) -> list[ScorecardIn]:
    """Scorecards ordered so that each comes after its parent (checked to have no loop)."""
    ordered: list[ScorecardIn] = []
    done: set[str] = set()
    pending = list(document.scorecards)
    while pending:
        ready = [s for s in pending if s.parent is None or s.parent in done]
        for card in ready:
            ordered.append(card)
            done.add(card.slug)
        pending = [s for s in pending if s.slug not in done]
    return ordered


def _money(value: float | None) -> Decimal | None:
    # Through str: Decimal(0.1) would carry the float's binary noise into the database.
    return None if value is None else Decimal(str(value))


def _at(day: dt.date, *, hour: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=dt.UTC)


@dataclasses.dataclass
class _Writer:
    """Writes one organization's scorecards; keeps what later rows refer to."""

    organization: Organization
    units: dict[str, Unit]
    users: dict[str, Any]
    loaded_by: Any
    now: dt.datetime
    summary: LoadSummary
    cards: dict[str, Scorecard] = dataclasses.field(default_factory=dict)
    #: every objective by (scorecard slug, objective code), for links and alignments
    objectives: dict[tuple[str, str], Objective] = dataclasses.field(default_factory=dict)
    #: every KPI by scorecard slug and code, for funnels
    kpi_rows: dict[str, dict[str, Kpi]] = dataclasses.field(default_factory=dict)

    @property
    def fiscal_month(self) -> int:
        return self.organization.fiscal_year_start_month

    def user(self, username: str | None) -> Any:
        return self.users[username] if username else None

    def scorecard(self, card_in: ScorecardIn) -> None:
        """One scorecard with everything below it."""
        card = Scorecard.objects.create(
            organization=self.organization,
            unit=self.units[card_in.unit],
            parent=self.cards[card_in.parent] if card_in.parent else None,
            name=card_in.name,
            slug=card_in.slug,
            vision=card_in.vision,
            mission=card_in.mission,
            aggregator=card_in.settings.aggregator,
            missing_policy=card_in.settings.missing_policy,
            score_cap=card_in.settings.score_cap,
            min_coverage=card_in.settings.min_coverage,
        )
        self.cards[card_in.slug] = card
        self.summary.scorecards += 1
        if card_in.settings.at_risk_below is not None:
            ForecastRule.objects.create(
                scorecard=card, at_risk_below=card_in.settings.at_risk_below
            )
        kpis = self.perspectives_and_objectives(card_in, card)
        self.kpis(card, kpis)
        self.links(card_in)
        self.initiatives(card_in, card)
        self.funnels(card_in, card)

    def funnels(self, card_in: ScorecardIn, card: Scorecard) -> None:
        """The scorecard's conversion chains (checked by parse_document already)."""
        codes = self.kpi_rows.get(card.slug, {})
        for f_in in card_in.funnels:
            funnel_create(
                scorecard=card,
                name=f_in.name,
                description=f_in.description,
                kpis=[codes[code] for code in f_in.stages],
                costs=f_in.costs,
            )
        self.summary.funnels += len(card_in.funnels)

    def perspectives_and_objectives(
        self, card_in: ScorecardIn, card: Scorecard
    ) -> list[tuple[KpiIn, Objective, int]]:
        """Perspectives (in file order) and their objectives; returns the KPIs to create."""
        perspectives = Perspective.objects.bulk_create(
            Perspective(
                scorecard=card, name=p.name, kind=p.kind, weight=p.weight, position=position
            )
            for position, p in enumerate(card_in.perspectives)
        )
        objectives: list[Objective] = []
        kpis: list[tuple[KpiIn, Objective, int]] = []
        for perspective, p_in in zip(perspectives, card_in.perspectives, strict=True):
            for position, o_in in enumerate(p_in.objectives):
                objective = Objective(
                    scorecard=card, perspective=perspective, code=o_in.code, name=o_in.name,
                    description=o_in.description, owner=self.user(o_in.owner),
                    weight=o_in.weight, due_date=o_in.due_date, position=position,
                )  # fmt: skip
                objectives.append(objective)
                self.objectives[(card_in.slug, o_in.code)] = objective
                kpis.extend((k_in, objective, i) for i, k_in in enumerate(o_in.kpis))
        Objective.objects.bulk_create(objectives)
        self.summary.perspectives += len(perspectives)
        self.summary.objectives += len(objectives)
        return kpis

    def kpis(self, card: Scorecard, kpis: list[tuple[KpiIn, Objective, int]]) -> None:
        """The KPIs of one scorecard, then all their targets and measurements."""
        rows = Kpi.objects.bulk_create(
            self.kpi(k_in, card, objective, position) for k_in, objective, position in kpis
        )
        targets: list[Target] = []
        measurements: list[Measurement] = []
        for kpi, (k_in, _, _) in zip(rows, kpis, strict=True):
            targets.extend(self.targets(kpi, k_in))
            measurements.extend(self.measurements(kpi, k_in))
        Target.objects.bulk_create(targets, batch_size=BATCH_SIZE)
        # A value's KPI is a plain id (kpis.integrity); these KPIs were created just
        # above in this transaction, so nobody else can see them, let alone delete them.
        Measurement.objects.bulk_create(measurements, batch_size=BATCH_SIZE)
        benchmarks = Benchmark.objects.bulk_create(
            Benchmark(
                kpi=kpi,
                value=b.value,
                percentile=b.percentile,
                source=b.source,
                as_of=b.date,
                note=b.note,
                added_by=self.loaded_by,
                added_at=self.now,
            )
            for kpi, (k_in, _, _) in zip(rows, kpis, strict=True)
            for b in k_in.benchmarks
        )
        self.kpi_rows[card.slug] = {kpi.code: kpi for kpi in rows}
        self.summary.kpis += len(rows)
        self.summary.targets += len(targets)
        self.summary.measurements += len(measurements)
        self.summary.benchmarks += len(benchmarks)

    def kpi(self, k_in: KpiIn, card: Scorecard, objective: Objective, position: int) -> Kpi:
        # The document's KPI fields carry the model's names, so most copy across as they are.
        fields = k_in.model_dump(exclude=KPI_FIELDS_NOT_COPIED)
        return Kpi(
            scorecard=card,
            objective=objective,
            owner=self.user(k_in.owner),
            updater=self.user(k_in.updater),
            thresholds=[b.model_dump() for b in k_in.thresholds] if k_in.thresholds else None,
            position=position,
            **fields,
        )

    def targets(self, kpi: Kpi, k_in: KpiIn) -> list[Target]:
        rows = []
        for t in k_in.targets:
            start = aligned_period(t.period, k_in.update_interval, self.fiscal_month)
            rows.append(
                Target(
                    kpi=kpi,
                    period_start=start,
                    value=t.value,
                    provenance=t.provenance,
                    note=t.note,
                    set_by=self.loaded_by,
                    set_at=min(_at(start), self.now),
                )
            )
        return rows

    def measurements(self, kpi: Kpi, k_in: KpiIn) -> list[Measurement]:
        interval = Interval(k_in.update_interval)
        return [
            Measurement(
                kpi=kpi,
                period_start=start,
                value=value,
                note=note,
                recorded_by=self.loaded_by,
                recorded_at=self.recorded_at(start, interval),
            )
            for start, value, note in measurement_rows(k_in, self.fiscal_month)
        ]

    def recorded_at(self, period_start: dt.date, interval: Interval) -> dt.datetime:
        """When a loaded value counts as entered: a few days after its period closed.

        Not the moment of loading: "as known at" reports (scoring with ``known_at``)
        and the "last updated" column would otherwise treat two years of history
        as entered today. Never later than now (``scorecard.clock.now()``), so a
        load is reproducible with a frozen clock.
        """
        period = periods.period_containing(period_start, interval, self.fiscal_month)
        return min(_at(period.end + dt.timedelta(days=4), hour=9), self.now)

    def links(self, card_in: ScorecardIn) -> None:
        links = ObjectiveLink.objects.bulk_create(
            ObjectiveLink(
                cause=self.objectives[(card_in.slug, link.cause)],
                effect=self.objectives[(card_in.slug, link.effect)],
                note=link.note,
            )
            for link in card_in.links
        )
        self.summary.links += len(links)

    def initiatives(self, card_in: ScorecardIn, card: Scorecard) -> None:
        initiatives = Initiative.objects.bulk_create(
            self.initiative(i_in, card) for i_in in card_in.initiatives
        )
        through = Initiative.objectives.through
        through.objects.bulk_create(
            through(initiative_id=initiative.pk, objective_id=objective.pk)
            for initiative, i_in in zip(initiatives, card_in.initiatives, strict=True)
            for objective in {self.objectives[(card_in.slug, c)] for c in i_in.objectives}
        )
        tasks = Task.objects.bulk_create(
            Task(
                initiative=initiative,
                name=t.name,
                assignee=self.user(t.assignee),
                deadline=t.deadline,
                state=t.state,
                position=position,
            )
            for initiative, i_in in zip(initiatives, card_in.initiatives, strict=True)
            for position, t in enumerate(i_in.tasks)
        )
        self.summary.initiatives += len(initiatives)
        self.summary.tasks += len(tasks)

    def initiative(self, i_in: InitiativeIn, card: Scorecard) -> Initiative:
        return Initiative(
            scorecard=card, name=i_in.name, description=i_in.description,
            owner=self.user(i_in.owner), start_date=i_in.start_date, deadline=i_in.deadline,
            budget=_money(i_in.budget), spent=_money(i_in.spent), status=i_in.status,
            progress=i_in.progress,
        )  # fmt: skip

    def alignments(self, document: Document) -> None:
        """Alignments last: they may point at any scorecard's objectives."""
        rows = ObjectiveAlignment.objects.bulk_create(
            ObjectiveAlignment(
                child=self.objectives[(card_in.slug, o_in.code)],
                parent=self.objectives[_split(a.objective)],
                share=a.share,
            )
            for card_in in document.scorecards
            for p_in in card_in.perspectives
            for o_in in p_in.objectives
            for a in o_in.aligned_to
        )
        self.summary.alignments += len(rows)

    def kpi_alignments(self, document: Document) -> None:
        """A unit's KPI aligned to the same KPI of a scorecard above (checked to exist)."""
        rows = KpiAlignment.objects.bulk_create(
            KpiAlignment(
                child=self.kpi_rows[card_in.slug][k_in.code],
                parent=self.kpi_rows[card][code],
            )
            for card_in in document.scorecards
            for p_in in card_in.perspectives
            for o_in in p_in.objectives
            for k_in in o_in.kpis
            if k_in.aligned_to is not None
            for card, code in [_split(k_in.aligned_to)]
        )
        self.summary.kpi_alignments += len(rows)


def _split(reference: str) -> tuple[str, str]:
    card, _, code = reference.partition("/")
    return card, code


def read_document_text(file: Path) -> str:
    """A document file's text; DocumentError when it is missing, too large or not UTF-8."""
    return _read_text(file)
