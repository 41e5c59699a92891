"""Writes for data sources: connections, sources, and pulling their values.

A pull reads the source (readers.py), checks every row, and only when no row has a
problem writes all values at once through kpis.services.measurement_bulk_record, the
service every other entry uses: approvals are respected (a KPI whose values need the
owner's approval gets pending values) and corrections keep history. Every pull, and every
preview, leaves a Run in the log.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext, pgettext

from scorecard import clock
from scorecard.engine import periods
from scorecard.engine import types as et
from scorecard.engine.text import gettext_noop, in_english, kept, kept_columns, message
from scorecard.imports.services import cell_text, parse_number, parse_period
from scorecard.jobs.services import lease_claim
from scorecard.kpis.models import Kpi, Measurement
from scorecard.kpis.services import MeasurementRow, measurement_bulk_record, needs_approval
from scorecard.organizations.models import Organization
from scorecard.strategy.models import Scorecard

from . import readers, secrets
from .models import Connection, DataSource, Run

logger = logging.getLogger(__name__)

#: How many row problems a run keeps (all are counted).
KEPT_ERRORS = 50
#: A failed scheduled pull is tried again after this long (or at its next slot if sooner).
RETRY_AFTER = dt.timedelta(hours=1)
#: Column names recognised without a mapping (lower case).
KPI_NAMES = ("kpi_code", "kpi", "code")


# --- connections --------------------------------------------------------------------------


def _secret_parts(kind: str, url: str) -> tuple[str, str]:
    """(checked URL, URL shown) for a connection of ``kind``; ValidationError if bad."""
    try:
        if kind == Connection.Kind.SQL:
            parsed = readers.sql_url(url)
            return url.strip(), readers.shown_sql_url(parsed)
        if kind == Connection.Kind.HTTP:
            checked = readers.http_url_check(url)
            return checked, readers.shown_http_url(checked)
    except ValueError as exc:
        raise ValidationError({"url": str(exc)}) from None
    raise ValidationError({"kind": gettext("Choose a database or a web address.")})


def parse_headers(text: str) -> dict[str, str]:
    """``Name: value`` lines to a dict; ValidationError for a line without a colon."""
    headers: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip() or any(c in name for c in " \t"):
            raise ValidationError(
                {
                    "headers": gettext(
                        "Line %(number)s is not a header; write one per line as Name: value."
                    )
                    % {"number": number}
                }
            )
        headers[name.strip()] = value.strip()
    return headers


@transaction.atomic
def connection_save(
    *,
    organization: Organization,
    name: str,
    kind: str,
    url: str = "",
    http_format: str = "",
    headers: str = "",
    connection: Connection | None = None,
    user: Any = None,
) -> Connection:
    """Create a connection, or change one (a blank ``url`` or ``headers`` keeps the stored one)."""
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = gettext("Give the connection a name.")
    elif len(name) > 100:
        errors["name"] = gettext("A name can be at most 100 characters.")
    elif (
        Connection.objects.filter(organization=organization, name=name)
        .exclude(pk=connection.pk if connection is not None else 0)
        .exists()
    ):
        errors["name"] = gettext("A connection named “%(name)s” exists already.") % {"name": name}
    if kind not in Connection.Kind.values:
        errors["kind"] = gettext("Choose a database or a web address.")
    if kind == Connection.Kind.HTTP and http_format not in Connection.Format.values:
        errors["http_format"] = gettext("Choose whether the address gives CSV or JSON.")
    stored: dict[str, Any] = {}
    if connection is not None:
        stored = secrets.unseal(connection.secret)
    if not url.strip() and not stored.get("url"):
        errors["url"] = gettext("Give the address.")
    if errors:
        raise ValidationError(errors)
    shown = connection.shown_url if connection is not None else ""
    if url.strip():
        stored["url"], shown = _secret_parts(kind, url)
    elif connection is not None and connection.kind != kind:
        raise ValidationError({"url": gettext("Give the address again when changing the kind.")})
    if headers.strip():
        if kind != Connection.Kind.HTTP:
            raise ValidationError({"headers": gettext("Only web addresses send headers.")})
        stored["headers"] = parse_headers(headers)
    if kind != Connection.Kind.HTTP:
        stored.pop("headers", None)
    if connection is None:
        connection = Connection(
            organization=organization, created_by=user, created_at=clock.wall_now()
        )
    connection.name, connection.kind = name, kind
    connection.http_format = http_format if kind == Connection.Kind.HTTP else ""
    connection.shown_url = shown[:500]
    connection.secret = secrets.seal(stored)
    connection.has_headers = bool(stored.get("headers"))
    connection.save()
    logger.info("data source connection %s saved (%s)", connection.pk, connection.shown_url)
    return connection


@transaction.atomic
def connection_delete(*, connection: Connection) -> None:
    if connection.sources.exists():
        raise ValidationError(
            {
                "__all__": gettext("“%(name)s” is used by data sources; delete them first.")
                % {"name": connection.name}
            }
        )
    connection.delete()


# --- sources ------------------------------------------------------------------------------


def _find(columns: list[str], wanted: str) -> str | None:
    lowered = {c.lower(): c for c in columns}
    return lowered.get(wanted.strip().lower())


@transaction.atomic
def source_save(
    *,
    organization: Organization,
    connection: Connection,
    scorecard: Scorecard,
    name: str,
    kpi: Kpi | None = None,
    query: str = "",
    records_path: str = "",
    kpi_column: str = "",
    period_column: str = "",
    value_column: str = "",
    schedule: str = DataSource.Schedule.FOLLOW_KPI,
    active: bool = True,
    source: DataSource | None = None,
    user: Any = None,
) -> DataSource:
    """Create or change a source; the query is checked (one SELECT) before it is kept."""
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = gettext("Give the data source a name.")
    elif len(name) > 100:
        errors["name"] = gettext("A name can be at most 100 characters.")
    elif (
        DataSource.objects.filter(organization=organization, name=name)
        .exclude(pk=source.pk if source is not None else 0)
        .exists()
    ):
        errors["name"] = gettext("A data source named “%(name)s” exists already.") % {"name": name}
    if connection.organization_id != organization.pk or scorecard.organization_id != (
        organization.pk
    ):
        errors["connection"] = gettext("Choose a connection and a scorecard of this organization.")
    if kpi is not None and kpi.scorecard_id != scorecard.pk:
        errors["kpi"] = gettext("“%(kpi)s” is not a KPI of the scorecard “%(scorecard)s”.") % {
            "kpi": kpi.name,
            "scorecard": scorecard.name,
        }
    elif kpi is not None and kpi.is_calculated:
        errors["kpi"] = gettext(
            "“%(name)s” is calculated from its formula; it takes no values."
        ) % {"name": kpi.name}
    if schedule not in DataSource.Schedule.values:
        errors["schedule"] = gettext("Choose a schedule.")
    if connection.kind == Connection.Kind.SQL:
        try:
            query = readers.sql_check(query)
        except ValueError as exc:
            errors["query"] = str(exc)
    else:
        query = ""
    for field_name, value in (
        ("records_path", records_path),
        ("kpi_column", kpi_column),
        ("period_column", period_column),
        ("value_column", value_column),
    ):
        if len(value.strip()) > 100:
            errors[field_name] = gettext("At most 100 characters.")
    if errors:
        raise ValidationError(errors)
    if source is None:
        source = DataSource(organization=organization, created_by=user, created_at=clock.wall_now())
    source.connection, source.scorecard, source.kpi, source.name = connection, scorecard, kpi, name
    source.query = query
    source.records_path = records_path.strip()
    source.kpi_column, source.period_column = kpi_column.strip(), period_column.strip()
    source.value_column, source.schedule, source.active = value_column.strip(), schedule, active
    if source.next_run_at is None or schedule == DataSource.Schedule.MANUAL:
        source.next_run_at = None if schedule == DataSource.Schedule.MANUAL else clock.now()
    source.save()
    return source


@transaction.atomic
def source_delete(*, source: DataSource) -> None:
    source.delete()


# --- pulling ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """A row's problem; ``message`` is a sentence (engine ``Text``) or a plain text."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        """The problem as a run keeps it: in English, and its sentence to translate."""
        kept_problem: dict[str, Any] = {
            "row": self.row,
            "column": self.column,
            "message": in_english(self.message),
        }
        sentence = kept(self.message)
        if sentence:  # a plain text keeps none: it is shown as it is
            kept_problem["sentence"] = sentence
        return kept_problem


@dataclass(frozen=True)
class RowPlan:
    """What a pull does with one row: ``state`` is new, corrected or unchanged."""

    row: int
    kpi: Kpi
    period_start: dt.date
    value: float
    state: str
    current: float | None

    @property
    def state_label(self) -> str:
        """The state in words, in the active language."""
        labels = {
            "new": pgettext("value", "new"),
            "corrected": pgettext("value", "corrected"),
            "unchanged": pgettext("value", "unchanged"),
        }
        return labels.get(self.state, self.state)


@dataclass
class Pull:
    """The outcome of reading and checking a source (before or after writing)."""

    rows_read: int = 0
    plans: list[RowPlan] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    message: str = ""
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not self.message

    def count(self, state: str) -> int:
        return sum(1 for plan in self.plans if plan.state == state)


def _read(source: DataSource) -> readers.Table:
    connection = source.connection
    try:
        stored = secrets.unseal(connection.secret)
    except secrets.SecretUnreadable as exc:
        raise readers.ReadError(message(exc)) from None
    if connection.kind == Connection.Kind.SQL:
        return readers.read_sql(stored.get("url", ""), source.query)
    return readers.read_http(
        stored.get("url", ""),
        dict(stored.get("headers") or {}),
        connection.http_format,
        source.records_path,
    )


def _columns(source: DataSource, table: readers.Table) -> tuple[int | None, int, int]:
    """Indexes of the KPI code (None: the source's one KPI), period and value columns."""
    columns = table.columns

    listed = ", ".join(columns)
    # One whole sentence for each column (a label put into a sentence reads badly in
    # German, French and Spanish).
    missing = {
        "kpi": gettext_noop(
            "The result has no column “%(column)s” for the KPI code; its columns are: %(columns)s.",
            column=source.kpi_column,
            columns=listed,
        ),
        "period": gettext_noop(
            "The result has no column “%(column)s” for the period; its columns are: %(columns)s.",
            column=source.period_column,
            columns=listed,
        ),
        "value": gettext_noop(
            "The result has no column “%(column)s” for the value; its columns are: %(columns)s.",
            column=source.value_column,
            columns=listed,
        ),
    }

    def pick(mapped: str, names: tuple[str, ...], label: str) -> int | None:
        if mapped:
            found = _find(columns, mapped)
            if found is None:
                raise readers.ReadError(missing[label])
            return columns.index(found)
        for name in names:
            found = _find(columns, name)
            if found is not None:
                return columns.index(found)
        return None

    kpi_index = pick(source.kpi_column, KPI_NAMES, "kpi")
    period_index = pick(source.period_column, ("period", "period_start", "date"), "period")
    value_index = pick(source.value_column, ("value",), "value")
    if source.kpi_id is not None and not source.kpi_column:
        kpi_index = None
    if period_index is None or value_index is None:
        width = 2 if source.kpi_id is not None else 3
        if len(columns) != width:
            shape = "(period, value)" if width == 2 else "(kpi_code, period, value)"
            if not columns:
                raise readers.ReadError(
                    gettext_noop(
                        "The result should have the columns %(shape)s; it has none. "
                        "Name them so, or map the columns.",
                        shape=shape,
                    )
                )
            raise readers.ReadError(
                gettext_noop(
                    "The result should have the columns %(shape)s; it has %(columns)s. "
                    "Name them so, or map the columns.",
                    shape=shape,
                    columns=listed,
                )
            )
        if width == 2:
            return None, 0, 1
        return 0, 1, 2
    if kpi_index is None and source.kpi_id is None:
        raise readers.ReadError(
            gettext_noop(
                "The result has no column kpi_code: give it one, or choose the KPI this "
                "source feeds."
            )
        )
    return kpi_index, period_index, value_index


def _check(
    source: DataSource, table: readers.Table, user: Any
) -> tuple[list[RowPlan], list[RowProblem]]:
    kpi_index, period_index, value_index = _columns(source, table)
    kpis = {k.code.lower(): k for k in Kpi.objects.filter(scorecard_id=source.scorecard_id)}
    names = table.columns
    problems: list[RowProblem] = []
    parsed: list[tuple[int, Kpi, dt.date, float]] = []
    seen: dict[tuple[int, dt.date], int] = {}
    for number, cells in enumerate(table.rows, start=1):
        row_problems: list[RowProblem] = []
        kpi: Kpi | None = source.kpi
        if kpi_index is not None:
            code = cell_text(cells[kpi_index])
            kpi = kpis.get(code.lower())
            if kpi is None:
                row_problems.append(
                    RowProblem(
                        number,
                        names[kpi_index],
                        gettext_noop(
                            "no KPI has the code “%(code)s” in the scorecard “%(scorecard)s”",
                            code=code,
                            scorecard=source.scorecard.name,
                        ),
                    )
                )
            elif source.kpi_id is not None and kpi.pk != source.kpi_id:
                row_problems.append(
                    RowProblem(
                        number,
                        names[kpi_index],
                        gettext_noop("this source feeds only “%(kpi)s”", kpi=str(source.kpi)),
                    )
                )
                kpi = None
            elif kpi.is_calculated:
                row_problems.append(
                    RowProblem(
                        number,
                        names[kpi_index],
                        gettext_noop(
                            "“%(kpi)s” is calculated from its formula; it takes no values",
                            kpi=kpi.name,
                        ),
                    )
                )
                kpi = None
        period = parse_period(readers.as_date_or_text(cells[period_index]))
        if isinstance(period, str):
            row_problems.append(RowProblem(number, names[period_index], period))
        elif kpi is not None:
            start = periods.period_containing(period, et.Interval(kpi.update_interval)).start
            if start != period:
                row_problems.append(
                    RowProblem(
                        number,
                        names[period_index],
                        gettext_noop(
                            "%(day)s does not start a period of “%(kpi)s”; "
                            "that period starts on %(start)s",
                            day=period,
                            kpi=kpi.name,
                            start=start,
                        ),
                    )
                )
        value = parse_number(cells[value_index])
        if isinstance(value, str):
            row_problems.append(RowProblem(number, names[value_index], value))
        if not row_problems and kpi is not None and isinstance(period, dt.date):
            assert isinstance(value, float)
            key = (kpi.pk, period)
            if key in seen:
                row_problems.append(
                    RowProblem(
                        number,
                        names[period_index],
                        gettext_noop(
                            "row %(row)s already gives “%(kpi)s” a value for %(day)s",
                            row=str(seen[key]),
                            kpi=kpi.name,
                            day=period,
                        ),
                    )
                )
            else:
                seen[key] = number
                parsed.append((number, kpi, period, value))
        problems.extend(row_problems)
    return _plans(source, parsed, user), problems


def note_for(source: DataSource) -> str:
    return f"From the data source “{source.name}”"


def _plans(
    source: DataSource, parsed: list[tuple[int, Kpi, dt.date, float]], user: Any
) -> list[RowPlan]:
    """Each row as new, corrected or unchanged, decided as measurement_bulk_record does."""
    if not parsed:
        return []
    current = {
        (m.kpi_id, m.period_start, m.approval): m
        for m in Measurement.objects.filter(
            kpi_id__in={kpi.pk for _, kpi, _, _ in parsed},
            period_start__in={start for _, _, start, _ in parsed},
            superseded_at__isnull=True,
        ).only("kpi_id", "period_start", "value", "note", "approval")
    }
    note = note_for(source)
    recorder = user if getattr(user, "is_authenticated", False) else None
    plans = []
    for number, kpi, start, value in parsed:
        pending = needs_approval(kpi=kpi, user=recorder)
        approved = current.get((kpi.pk, start, Measurement.Approval.APPROVED))
        replaced = (
            current.get((kpi.pk, start, Measurement.Approval.PENDING)) if pending else approved
        )
        same = replaced or (approved if pending else None)
        if same is not None and same.value == value and same.note == note:
            state = "unchanged"
        elif approved is None:
            state = "new"
        else:
            state = "corrected"
        plans.append(
            RowPlan(number, kpi, start, value, state, approved.value if approved else None)
        )
    return plans


def pull(source: DataSource, *, user: Any = None, write: bool = True) -> Pull:
    """Read and check ``source``; write its values (all or nothing) when ``write``."""
    outcome = Pull()
    try:
        table = _read(source)
        outcome.rows_read = len(table.rows)
        outcome.plans, outcome.problems = _check(source, table, user)
    except readers.ReadError as exc:
        outcome.message = message(exc)
        return outcome
    if outcome.problems or not write:
        return outcome
    changed = [plan for plan in outcome.plans if plan.state != "unchanged"]
    note = note_for(source)
    with transaction.atomic():
        measurement_bulk_record(
            rows=[
                MeasurementRow(plan.row, plan.kpi, plan.period_start, plan.value, note)
                for plan in changed
            ],
            user=user,
        )
    outcome.written = True
    return outcome


def run_source(
    source: DataSource, *, trigger: str, user: Any = None, dry_run: bool = False
) -> tuple[Run, Pull]:
    """Pull ``source`` (or only preview it) and log the run."""
    started = clock.wall_now()
    recorder = user if getattr(user, "is_authenticated", False) else None
    try:
        outcome = pull(source, user=recorder, write=not dry_run)
    except ValidationError as exc:  # a row the write service refused after all
        outcome = Pull(message=" ".join(exc.messages)[:500])
    if outcome.problems:
        # The count after a colon: one sentence for every number (no plural forms to keep).
        shown = len(outcome.problems)
        outcome.message = (
            gettext_noop("Problems in the rows: %(count)s. Nothing was written.", count=shown)
            if not dry_run
            else gettext_noop("Problems in the rows: %(count)s.", count=shown)
        )
    run = Run.objects.create(
        source=source,
        trigger=trigger,
        dry_run=dry_run,
        ok=outcome.ok,
        started_at=started,
        finished_at=clock.wall_now(),
        rows_read=outcome.rows_read,
        new=outcome.count("new"),
        corrected=outcome.count("corrected"),
        unchanged=outcome.count("unchanged"),
        error_count=len(outcome.problems),
        errors=[p.as_dict() for p in outcome.problems[:KEPT_ERRORS]],
        **kept_columns("message", outcome.message, 500),
        started_by=recorder,
    )
    if not dry_run:
        DataSource.objects.filter(pk=source.pk).update(last_run_at=clock.now())
    logger.info(
        "data source %s (%s): %s, %d rows, %d new, %d corrected, %d unchanged, %d problems",
        source.pk, trigger, "ok" if run.ok else "failed", run.rows_read, run.new,
        run.corrected, run.unchanged, run.error_count,
    )  # fmt: skip
    return run, outcome


# --- the schedule -------------------------------------------------------------------------

_EVERY = {
    DataSource.Schedule.HOURLY: dt.timedelta(hours=1),
    DataSource.Schedule.DAILY: dt.timedelta(days=1),
    DataSource.Schedule.WEEKLY: dt.timedelta(days=7),
}
_SHORTEST = [i.value for i in et.Interval]  # day, week, month, ... (shortest first)


def source_interval(source: DataSource) -> et.Interval:
    """The update interval a FOLLOW_KPI source keeps: its KPI's, or the shortest of the
    scorecard's KPIs that take values."""
    if source.kpi is not None:
        return et.Interval(source.kpi.update_interval)
    found = set(
        Kpi.objects.filter(scorecard_id=source.scorecard_id, formula="").values_list(
            "update_interval", flat=True
        )
    )
    return et.Interval(next((i for i in _SHORTEST if i in found), et.Interval.MONTH))


def next_run(source: DataSource, *, now: dt.datetime) -> dt.datetime | None:
    """When ``source`` runs next after a run at ``now`` (None: only by hand)."""
    if source.schedule == DataSource.Schedule.MANUAL:
        return None
    every = _EVERY.get(DataSource.Schedule(source.schedule))
    if every is not None:
        return now + every
    # Follows the KPI: the first day of the next period (the one just ended is complete).
    interval = source_interval(source)
    current = periods.period_containing(now.date(), interval)
    start = periods.next_period(current, interval).start
    return dt.datetime.combine(start, dt.time(0, 0), tzinfo=dt.UTC)


def due_sources(*, now: dt.datetime) -> list[int]:
    return list(
        DataSource.objects.filter(active=True, next_run_at__lte=now)
        .exclude(schedule=DataSource.Schedule.MANUAL)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=clock.wall_now()))
        .order_by("next_run_at", "pk")
        .values_list("pk", flat=True)[:100]
    )


def run_due(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Pull every source that is due (one worker per source: a lease on its row)."""
    now = now or clock.now()
    counts = {"ok": 0, "failed": 0}
    for pk in due_sources(now=now):
        lease = lease_claim(DataSource.objects.filter(pk=pk))
        if lease is None:
            continue
        source = DataSource.objects.select_related("connection", "scorecard", "kpi").get(pk=pk)
        try:
            run, _ = run_source(source, trigger=Run.Trigger.SCHEDULE)
        finally:
            DataSource.objects.filter(pk=pk).update(lease_until=None)
        following = next_run(source, now=now)
        if not run.ok and following is not None:
            following = min(following, now + RETRY_AFTER)
        DataSource.objects.filter(pk=pk).update(next_run_at=following)
        counts["ok" if run.ok else "failed"] += 1
    return counts
