"""The scorecard document: one YAML file that describes an organization's strategy.

``parse_document`` reads the text, checks every field and every cross-reference,
and either returns a :class:`Document` or raises :class:`DocumentError` carrying
all problems at once, each with its path in the file (docs/scorecard-format.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from scorecard.engine import formulas, periods
from scorecard.engine.types import Interval, KpiSpec

if TYPE_CHECKING:
    from scorecard.kpis.models import Kpi

Optimization = Literal[
    "maximize", "minimize", "binary_max", "binary_min", "exact", "band",
    "percent_of_target", "goal_red_flag", "none",
]  # fmt: skip
IntervalName = Literal["day", "week", "month", "quarter", "half_year", "year"]
AggregationName = Literal["sum", "average", "last", "min", "max", "count"]
Role = Literal["admin", "editor", "contributor", "viewer"]
Slug = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9_-]+$")]
Code = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[a-z][a-z0-9_]*$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Weight = Annotated[float, Field(gt=0)]
PeriodText = str | int | dt.date


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class MeasurementIn(_Strict):
    period: PeriodText
    value: float | None
    note: str = Field(default="", max_length=500)


class SeriesIn(_Strict):
    """Consecutive values of the KPI's interval from ``start`` on; null means no value."""

    start: PeriodText
    values: list[float | None]


class TargetIn(_Strict):
    period: PeriodText
    value: float
    provenance: Literal["zero", "benchmark", "history", "chain", "growth"] = "history"
    note: str = Field(default="", max_length=500)


class BandIn(_Strict):
    status: Annotated[str, Field(min_length=1, max_length=40)]
    lower: float | None = None
    color: str = Field(default="#888888", pattern=r"^#[0-9a-fA-F]{6}$")


class KpiIn(_Strict):
    code: Code
    name: Name
    description: str = ""
    unit: str = Field(default="", max_length=30)
    data_source: str = Field(default="", max_length=200)
    optimization: Optimization = "maximize"
    baseline: float | None = None
    baseline_date: dt.date | None = None
    minimum: float | None = None
    maximum: float | None = None
    target: float | None = None
    target_date: dt.date | None = None
    tolerance: float | None = None
    band_low: float | None = None
    band_high: float | None = None
    red_flag: float | None = None
    weight: Weight = 1.0
    update_interval: IntervalName = "month"
    time_aggregation: AggregationName = "sum"
    indicator: Literal["leading", "lagging"] = "lagging"
    formula: str = ""
    formula_mode: Literal["equation", "aggregate_results"] = "equation"
    thresholds: list[BandIn] | None = None
    owner: str | None = None
    updater: str | None = None
    targets: list[TargetIn] = []
    measurements: list[MeasurementIn] | SeriesIn = []


class AlignmentIn(_Strict):
    objective: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+/[A-Za-z0-9_-]+$")]
    share: Annotated[float, Field(gt=0, le=1)] = 1.0


class ObjectiveIn(_Strict):
    code: Slug
    name: Name
    description: str = ""
    owner: str | None = None
    weight: Weight = 1.0
    due_date: dt.date | None = None
    aligned_to: list[AlignmentIn] = []
    kpis: list[KpiIn] = []


class PerspectiveIn(_Strict):
    name: Name
    kind: Literal["financial", "customer", "internal", "learning", "other"] = "other"
    weight: Weight = 1.0
    objectives: list[ObjectiveIn] = []


class LinkIn(_Strict):
    cause: Slug
    effect: Slug
    note: str = Field(default="", max_length=300)


class TaskIn(_Strict):
    name: Name
    assignee: str | None = None
    deadline: dt.date | None = None
    state: Literal["todo", "doing", "done"] = "todo"


class InitiativeIn(_Strict):
    name: Name
    description: str = ""
    owner: str | None = None
    objectives: list[Slug] = []
    start_date: dt.date | None = None
    deadline: dt.date | None = None
    budget: Annotated[float, Field(ge=0)] | None = None
    spent: Annotated[float, Field(ge=0)] | None = None
    status: Literal["planned", "active", "on_hold", "done", "cancelled"] = "planned"
    progress: Annotated[float, Field(ge=0, le=1)] | None = None
    tasks: list[TaskIn] = []


class SettingsIn(_Strict):
    aggregator: Literal["weighted_average", "average", "min", "max", "worst_child"] = (
        "weighted_average"
    )
    missing_policy: Literal["exclude", "zero", "propagate"] = "exclude"
    score_cap: Annotated[float, Field(ge=1.0, le=10)] = 1.0


class ScorecardIn(_Strict):
    slug: Slug
    name: Name
    unit: Slug
    parent: Slug | None = None
    vision: str = ""
    mission: str = ""
    settings: SettingsIn = SettingsIn()
    perspectives: list[PerspectiveIn] = []
    links: list[LinkIn] = []
    initiatives: list[InitiativeIn] = []


class UnitIn(_Strict):
    slug: Slug
    name: Name
    parent: Slug | None = None


class UserIn(_Strict):
    username: Annotated[str, Field(min_length=1, max_length=150, pattern=r"^[\w.@+-]+$")]
    name: str = ""
    email: str = ""
    role: Role = "viewer"
    unit: Slug | None = None


class OrganizationIn(_Strict):
    name: Name
    slug: Slug
    fiscal_year_start_month: Annotated[int, Field(ge=1, le=12)] = 1


class Document(_Strict):
    """A whole organization: units, users and scorecards."""

    version: Literal[1]
    organization: OrganizationIn
    units: list[UnitIn] = Field(min_length=1)
    users: list[UserIn] = []
    scorecards: list[ScorecardIn] = []

    @field_validator("units")
    @classmethod
    def _one_root(cls, units: list[UnitIn]) -> list[UnitIn]:
        return units


@dataclass(frozen=True)
class DocError:
    """One problem: where in the file, and what is wrong, in plain words."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class DocumentError(Exception):
    """The document is not valid; ``errors`` lists every problem found."""

    def __init__(self, errors: list[DocError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


# Reading ----------------------------------------------------------------------------

LABEL_KEYS = ("slug", "code", "username", "name")


def _label(item: Any, index: int) -> str:
    if isinstance(item, dict):
        for key in LABEL_KEYS:
            value = item.get(key)
            if isinstance(value, str) and value and re.fullmatch(r"[\w .&/-]{1,60}", value):
                return value
    return str(index)


def _path(raw: Any, loc: Iterable[Any]) -> str:
    """A readable path: list items are named by their slug/code/name where they have one."""
    parts: list[str] = []
    node = raw
    for step in loc:
        if isinstance(step, int):
            label = (
                _label(node[step], step) if isinstance(node, list) and step < len(node) else step
            )
            parts.append(f"[{label}]")
            node = node[step] if isinstance(node, list) and step < len(node) else None
        else:
            if step in {"list[MeasurementIn]", "SeriesIn", "list[BandIn]"} or "[" in str(step):
                continue
            parts.append(("." if parts else "") + str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return "".join(parts)


def _plain_message(error: dict[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx", {})
    if kind == "missing":
        return "this field is required."
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; see docs/scorecard-format.md)."
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}."
    if kind in {"float_parsing", "float_type"}:
        return "must be a number."
    if kind == "greater_than":
        return f"must be greater than {ctx.get('gt')}."
    if kind in {"greater_than_equal", "less_than_equal", "less_than"}:
        bound = ctx.get("ge", ctx.get("le", ctx.get("lt")))
        words = {"greater_than_equal": "at least", "less_than_equal": "at most"}
        return f"must be {words.get(kind, 'below')} {bound}."
    if kind == "string_pattern_mismatch":
        return "has characters that are not allowed here (use letters, digits, - and _)."
    if kind in {"date_from_datetime_parsing", "date_parsing", "date_type"}:
        return "must be a date like 2026-03-31."
    if kind == "string_too_short":
        return "must not be empty."
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)."
    if kind == "too_short":
        return "needs at least one entry."
    if kind in {"list_type", "model_type", "dict_type"}:
        return "has the wrong shape here (expected a " + (
            "list)." if kind == "list_type" else "mapping of fields)."
        )
    return str(error["msg"]).rstrip(".") + "."


def parse_document(text: str) -> Document:
    """Parse and check a whole document; DocumentError lists every problem."""
    try:
        raw = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "the file"
        raise DocumentError([DocError(where, f"the YAML cannot be read: {exc.problem}.")]) from None
    except yaml.YAMLError as exc:
        raise DocumentError([DocError("", f"the YAML cannot be read: {exc}.")]) from None
    if not isinstance(raw, dict):
        raise DocumentError(
            [DocError("", "the document must be a mapping with version, organization, units ...")]
        )
    try:
        document = Document.model_validate(raw)
    except ValidationError as exc:
        errors = []
        seen: set[tuple[str, str]] = set()
        for error in exc.errors():
            item = (_path(raw, error["loc"]), _plain_message(dict(error)))
            # Union types report each alternative; one line per place is enough.
            if item[0] not in {p for p, _ in seen} or item not in seen:
                seen.add(item)
                errors.append(DocError(*item))
        raise DocumentError(_collapse(errors)) from None
    problems = list(_cross_check(document))
    if problems:
        raise DocumentError(problems)
    return document


def _collapse(errors: list[DocError]) -> list[DocError]:
    """Keep the first message per path (unions yield one message per alternative)."""
    out: dict[str, DocError] = {}
    for error in errors:
        out.setdefault(error.path, error)
    return list(out.values())


# Periods ----------------------------------------------------------------------------

QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
HALF = re.compile(r"^(\d{4})-H([12])$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
YEAR = re.compile(r"^(\d{4})$")


def period_date(text: PeriodText) -> dt.date:
    """The first day named by a period: 2025-03, 2025-Q1, 2025-H2, 2025 or an ISO date."""
    if isinstance(text, dt.date):
        return text
    value = str(text).strip()
    for pattern, month_of in (
        (QUARTER, lambda n: 3 * n - 2),
        (HALF, lambda n: 6 * n - 5),
        (MONTH, lambda n: n),
    ):
        match = pattern.match(value)
        if match:
            month = month_of(int(match.group(2)))
            if not 1 <= month <= 12:
                raise ValueError(f"“{value}” is not a month.")
            return dt.date(int(match.group(1)), month, 1)
    if YEAR.match(value):
        return dt.date(int(value), 1, 1)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"“{value}” is not a period; write 2025-03, 2025-Q1, 2025-H1, 2025 or 2025-03-01."
        ) from None


def aligned_period(text: PeriodText, interval: str, fiscal_month: int) -> dt.date:
    """The period start for ``text``, which must begin one of the KPI's periods."""
    day = period_date(text)
    period = periods.period_containing(day, Interval(interval), fiscal_month)
    if period.start != day:
        raise ValueError(
            f"{day.isoformat()} does not start a {interval.replace('_', '-')} period "
            f"(that period starts on {period.start.isoformat()})."
        )
    return day


def measurement_rows(kpi: KpiIn, fiscal_month: int) -> list[tuple[dt.date, float, str]]:
    """The KPI's measurements as (period start, value, note), series expanded."""
    interval = Interval(kpi.update_interval)
    if isinstance(kpi.measurements, SeriesIn):
        start = aligned_period(kpi.measurements.start, kpi.update_interval, fiscal_month)
        period = periods.period_containing(start, interval, fiscal_month)
        rows = []
        for value in kpi.measurements.values:
            if value is not None:
                rows.append((period.start, value, ""))
            period = periods.next_period(period, interval, fiscal_month)
        return rows
    return [
        (aligned_period(m.period, kpi.update_interval, fiscal_month), m.value, m.note)
        for m in kpi.measurements
        if m.value is not None
    ]


# Cross-references -------------------------------------------------------------------


def _cross_check(doc: Document) -> Iterable[DocError]:
    fiscal = doc.organization.fiscal_year_start_month
    users = {u.username for u in doc.users}
    unit_slugs = _unique([u.slug for u in doc.units], "units", "unit slug")
    yield from unit_slugs[1]
    units = {u.slug: u for u in doc.units}
    for unit in doc.units:
        if unit.parent is not None and unit.parent not in units:
            yield DocError(f"units[{unit.slug}].parent", f"no unit “{unit.parent}” in units.")
    yield from _unit_cycles(doc.units)
    yield from _unique([u.username for u in doc.users], "users", "user name")[1]
    for user in doc.users:
        if user.unit is not None and user.unit not in units:
            yield DocError(f"users[{user.username}].unit", f"no unit “{user.unit}” in units.")

    scorecard_slugs = {s.slug for s in doc.scorecards}
    yield from _unique([s.slug for s in doc.scorecards], "scorecards", "scorecard slug")[1]
    objectives_by_card = {
        s.slug: {o.code for p in s.perspectives for o in p.objectives} for s in doc.scorecards
    }
    for card in doc.scorecards:
        where = f"scorecards[{card.slug}]"
        if card.unit not in units:
            yield DocError(f"{where}.unit", f"no unit “{card.unit}” in units.")
        if card.parent is not None and card.parent not in scorecard_slugs:
            yield DocError(f"{where}.parent", f"no scorecard “{card.parent}”.")
        if card.parent == card.slug:
            yield DocError(f"{where}.parent", "a scorecard cannot be its own parent.")
        yield from _unique([p.name for p in card.perspectives], f"{where}.perspectives", "name")[1]
        codes = [o.code for p in card.perspectives for o in p.objectives]
        yield from _unique(codes, f"{where}.objectives", "objective code")[1]
        kpi_codes = [k.code for p in card.perspectives for o in p.objectives for k in o.kpis]
        yield from _unique(kpi_codes, f"{where}.kpis", "KPI code")[1]
        for perspective in card.perspectives:
            for objective in perspective.objectives:
                opath = f"{where}.perspectives[{perspective.name}].objectives[{objective.code}]"
                yield from _user_ref(objective.owner, users, f"{opath}.owner")
                for index, alignment in enumerate(objective.aligned_to):
                    card_slug, code = alignment.objective.split("/", 1)
                    if code not in objectives_by_card.get(card_slug, set()):
                        yield DocError(
                            f"{opath}.aligned_to[{index}]",
                            f"no objective “{code}” in scorecard “{card_slug}”.",
                        )
                    elif card_slug == card.slug and code == objective.code:
                        yield DocError(
                            f"{opath}.aligned_to[{index}]", "an objective cannot align to itself."
                        )
                for kpi in objective.kpis:
                    yield from _check_kpi(kpi, f"{opath}.kpis[{kpi.code}]", users, fiscal)
        yield from _check_formulas(card, where)
        for index, link in enumerate(card.links):
            lpath = f"{where}.links[{index}]"
            for end in ("cause", "effect"):
                code = getattr(link, end)
                if code not in objectives_by_card[card.slug]:
                    yield DocError(f"{lpath}.{end}", f"no objective “{code}” in this scorecard.")
            if link.cause == link.effect:
                yield DocError(lpath, "an objective cannot cause itself.")
        for initiative in card.initiatives:
            ipath = f"{where}.initiatives[{initiative.name}]"
            yield from _user_ref(initiative.owner, users, f"{ipath}.owner")
            for code in initiative.objectives:
                if code not in objectives_by_card[card.slug]:
                    yield DocError(
                        f"{ipath}.objectives", f"no objective “{code}” in this scorecard."
                    )
            if (
                initiative.start_date
                and initiative.deadline
                and initiative.deadline < initiative.start_date
            ):
                yield DocError(f"{ipath}.deadline", "the deadline is before the start date.")
            for task in initiative.tasks:
                yield from _user_ref(task.assignee, users, f"{ipath}.tasks[{task.name}].assignee")


def _unique(values: list[str], where: str, what: str) -> tuple[set[str], list[DocError]]:
    seen: set[str] = set()
    errors = []
    for value in values:
        if value in seen:
            errors.append(DocError(f"{where}[{value}]", f"the {what} “{value}” is used twice."))
        seen.add(value)
    return seen, errors


def _unit_cycles(units: list[UnitIn]) -> Iterable[DocError]:
    parents = {u.slug: u.parent for u in units}
    for unit in units:
        seen = {unit.slug}
        parent = unit.parent
        while parent is not None and parent in parents:
            if parent in seen:
                yield DocError(
                    f"units[{unit.slug}].parent", "units form a loop through their parents."
                )
                break
            seen.add(parent)
            parent = parents[parent]


def _user_ref(username: str | None, users: set[str], path: str) -> Iterable[DocError]:
    if username is not None and username not in users:
        yield DocError(path, f"no user “{username}” in users.")


def _check_kpi(kpi: KpiIn, path: str, users: set[str], fiscal: int) -> Iterable[DocError]:
    from scorecard.engine.scoring import validate_spec

    yield from _user_ref(kpi.owner, users, f"{path}.owner")
    yield from _user_ref(kpi.updater, users, f"{path}.updater")
    for problem in validate_spec(spec_of(kpi)):
        yield DocError(path, problem.message)
    seen: set[dt.date] = set()
    if isinstance(kpi.measurements, SeriesIn):
        try:
            aligned_period(kpi.measurements.start, kpi.update_interval, fiscal)
        except ValueError as exc:
            yield DocError(f"{path}.measurements.start", str(exc))
    else:
        for index, m in enumerate(kpi.measurements):
            try:
                day = aligned_period(m.period, kpi.update_interval, fiscal)
            except ValueError as exc:
                yield DocError(f"{path}.measurements[{index}].period", str(exc))
                continue
            if day in seen:
                yield DocError(f"{path}.measurements[{index}].period", f"{day} appears twice.")
            seen.add(day)
    seen.clear()
    for index, t in enumerate(kpi.targets):
        try:
            day = aligned_period(t.period, kpi.update_interval, fiscal)
        except ValueError as exc:
            yield DocError(f"{path}.targets[{index}].period", str(exc))
            continue
        if day in seen:
            yield DocError(f"{path}.targets[{index}].period", f"{day} appears twice.")
        seen.add(day)
    if kpi.formula and kpi.measurements:
        yield DocError(f"{path}.measurements", "a calculated KPI (with a formula) takes no values.")


def spec_of(kpi: KpiIn) -> KpiSpec:
    """The engine's view of a KPI in a document (the same mapping as for stored KPIs)."""
    from scorecard.kpis.scoring import kpi_spec

    # A KPI in a document has the model's field names, so the one adapter serves both.
    fields = SimpleNamespace(**kpi.model_dump(exclude={"targets", "measurements"}))
    return kpi_spec(cast("Kpi", fields))


def _check_formulas(card: ScorecardIn, where: str) -> Iterable[DocError]:
    kpis = [k for p in card.perspectives for o in p.objectives for k in o.kpis]
    result = formulas.evaluation_order(spec_of(k) for k in kpis)
    if not isinstance(result, list):
        yield DocError(f"{where}.kpis[{result.code}].formula", result.message)
