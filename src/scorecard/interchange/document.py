"""The scorecard document: one YAML file that describes an organization's strategy.

``parse_document`` reads the text, checks every field and every cross-reference,
and either returns a :class:`Document` or raises :class:`DocumentError` carrying
all problems at once, each with its path in the file (docs/scorecard-format.md).

Checking happens in two passes over the same text: pydantic checks each field
(types, allowed values, unknown keys), then :func:`_cross_check` checks what only
the whole document can tell (unique codes, references, periods, formulas).
The second pass runs only when the first found nothing, because it relies on
every field having its declared type.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    WithJsonSchema,
)

from scorecard.engine import formulas, periods
from scorecard.engine.scoring import config_problem, validate_spec
from scorecard.engine.types import Interval, KpiSpec
from scorecard.kpis.evaluation import kpi_spec
from scorecard.limits import TEXT_MAX

if TYPE_CHECKING:
    from scorecard.kpis.models import Kpi

# Field types ---------------------------------------------------------------------------

Optimization = Literal[
    "maximize", "minimize", "binary_max", "binary_min", "exact", "band",
    "percent_of_target", "goal_red_flag", "none",
]  # fmt: skip
IntervalName = Literal["day", "week", "month", "quarter", "half_year", "year"]
#: How the values of a KPI's aligned KPIs in the units below combine (kpis.models.UnitRollup).
UnitRollupName = Literal["auto", "sum", "average", "min", "max", "equation"]
AggregationName = Literal["sum", "average", "last", "min", "max", "count"]
TargetAggregationName = Literal["auto", "equation", "sum", "average", "last", "min", "max"]
Role = Literal["admin", "editor", "contributor", "viewer"]

SLUG_PATTERN = r"^[A-Za-z0-9_-]+$"
#: KPI codes are names in formulas, so they must look like identifiers.
CODE_PATTERN = r"^[a-z][a-z0-9_]*$"
USERNAME_PATTERN = r"^[\w.@+-]+$"
EMAIL_PATTERN = r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$"
COLOR_PATTERN = r"^#[0-9a-fA-F]{6}$"
#: What each pattern means, for the person who broke it.
PATTERN_HELP = {
    SLUG_PATTERN: "may contain only letters, digits, - and _ (no spaces).",
    CODE_PATTERN: (
        "must start with a lower-case letter and contain only lower-case letters, "
        "digits and _ (formulas use it as a name)."
    ),
    USERNAME_PATTERN: "may contain only letters, digits and the characters . @ + - _",
    EMAIL_PATTERN: "must be an e-mail address like ann@example.com.",
    COLOR_PATTERN: "must be a colour written like #2e9e5b.",
}
#: Largest budget the database column holds (14 digits, 2 after the point).
MAX_MONEY = 999_999_999_999.0

Slug = Annotated[str, Field(min_length=1, max_length=80, pattern=SLUG_PATTERN)]
Code = Annotated[str, Field(min_length=1, max_length=80, pattern=CODE_PATTERN)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Weight = Annotated[float, Field(gt=0)]
Money = Annotated[float, Field(ge=0, le=MAX_MONEY)]
Note = Annotated[str, Field(max_length=500)]
#: Descriptions, visions, missions (scorecard.limits.TEXT_MAX).
Text = Annotated[str, Field(max_length=TEXT_MAX)]

PERIOD_HELP = "write a period like 2025-03, 2025-Q1, 2025-H1, 2025 or 2025-03-01."
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
HALF = re.compile(r"^(\d{4})-H([12])$")
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
YEAR = re.compile(r"^(\d{4})$")


def period_date(text: str | int | dt.date) -> dt.date:
    """The first day named by a period: 2025-03, 2025-Q1, 2025-H2, 2025 or an ISO date.

    Quarters and halves in the shorthand are calendar ones (2025-Q2 starts on 1 April).
    """
    if isinstance(text, dt.date):
        return text
    value = str(text).strip()
    for pattern, first_month in (
        (QUARTER, lambda n: 3 * n - 2),
        (HALF, lambda n: 6 * n - 5),
        (MONTH, lambda n: n),
    ):
        match = pattern.match(value)
        if match:
            month = first_month(int(match.group(2)))
            if not 1 <= month <= 12:
                raise ValueError(f"“{value}” names no month; {PERIOD_HELP}")
            return dt.date(int(match.group(1)), month, 1)
    if YEAR.match(value):
        return dt.date(int(value), 1, 1)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"“{value}” is not a period; {PERIOD_HELP}") from None


def _period_text(value: Any) -> str:
    """Accept a period in any form YAML gives it (text, a year as a number, a date)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(PERIOD_HELP[0].upper() + PERIOD_HELP[1:])
    period_date(value)  # only the form here; alignment to the KPI's interval comes later
    return value.strip()


def _alignment_target(value: str) -> str:
    """An alignment names another scorecard's objective as ``scorecard/objective``."""
    card, _, objective = value.partition("/")
    if not (re.match(SLUG_PATTERN, card) and re.match(SLUG_PATTERN, objective)):
        raise ValueError(
            "write the objective as scorecard-slug/objective-code, e.g. company/grow-revenue."
        )
    return value


#: How the JSON Schema (docs/scorecard.schema.json) describes a period: its written forms.
PERIOD_SCHEMA = {
    "anyOf": [
        {
            "type": "string",
            "pattern": r"^\s*\d{4}(-(Q[1-4]|H[12]|\d{1,2}|\d{2}-\d{2}))?\s*$",
            "examples": ["2026-03", "2026-Q2", "2026-H1", "2026", "2026-03-02"],
        },
        {"type": "integer", "minimum": 1, "maximum": 9999, "description": "a year"},
    ],
    "title": "Period",
}
PeriodText = Annotated[str, BeforeValidator(_period_text), WithJsonSchema(PERIOD_SCHEMA)]


def _kpi_alignment_target(value: str) -> str:
    """A KPI alignment names another scorecard's KPI as ``scorecard/kpi_code``."""
    card, _, code = value.partition("/")
    if not (re.match(SLUG_PATTERN, card) and re.match(CODE_PATTERN, code)):
        raise ValueError("write the KPI as scorecard-slug/kpi_code, e.g. company/revenue.")
    return value


KpiAlignmentTarget = Annotated[
    str,
    AfterValidator(_kpi_alignment_target),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[A-Za-z0-9_-]+/[a-z][a-z0-9_]*$",
            "description": "scorecard-slug/kpi_code of the same KPI in a scorecard above",
        }
    ),
]
AlignmentTarget = Annotated[
    str,
    AfterValidator(_alignment_target),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[A-Za-z0-9_-]+/[A-Za-z0-9_-]+$",
            "description": "scorecard-slug/objective-code",
        }
    ),
]


class _Strict(BaseModel):
    # extra="forbid": a misspelt key is an error, not a silently ignored line.
    # allow_inf_nan=False: YAML's .nan and .inf are never meaningful values here.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


# The schema ----------------------------------------------------------------------------


class MeasurementIn(_Strict):
    """One value of a KPI for one period (null: no value)."""

    period: PeriodText
    value: float | None
    note: Note = ""


class SeriesIn(_Strict):
    """Consecutive values of the KPI's interval from ``start`` on; null means no value."""

    start: PeriodText
    values: list[float | None]


def _measurements_shape(value: Any) -> str | None:
    # Decide by shape so an error is reported against one form only, not both.
    if isinstance(value, dict):
        return "as-series"
    if isinstance(value, list):
        return "as-list"
    return None


Measurements = Annotated[
    Annotated[list[MeasurementIn], Tag("as-list")] | Annotated[SeriesIn, Tag("as-series")],
    Discriminator(
        _measurements_shape,
        custom_error_type="measurements_shape",
        custom_error_message=(
            "must be a list of {period, value, note} or a series {start, values}"
        ),
    ),
]


class TargetIn(_Strict):
    """A KPI's target from one period on, with where the number comes from."""

    period: PeriodText
    value: float
    provenance: Literal["zero", "benchmark", "history", "chain", "growth"] = "zero"
    note: Note = ""


class BenchmarkIn(_Strict):
    """What peers achieve on a KPI (the planning app's benchmark library)."""

    value: float
    percentile: Annotated[float, Field(ge=0, le=100)] | None = None
    source: Annotated[str, Field(min_length=1, max_length=300)]
    date: dt.date
    note: Note = ""


class FunnelIn(_Strict):
    """A conversion chain of volume KPIs of this scorecard, top of the funnel first.

    ``costs`` optionally gives, per stage, the cost of one percentage point more
    conversion into it (the first stage's entry is not used).
    """

    name: Name
    description: Text = ""
    stages: list[Code]
    costs: list[Annotated[float, Field(gt=0)] | None] | None = None


class BandIn(_Strict):
    """A status band: the status applies from ``lower`` up (null: from the very bottom)."""

    status: Annotated[str, Field(min_length=1, max_length=40)]
    lower: float | None = None
    color: str = Field(default="#888888", pattern=COLOR_PATTERN)


class KpiIn(_Strict):
    """A KPI; the fields mirror scorecard.kpis.models.Kpi and default the same way."""

    code: Code
    name: Name
    description: Text = ""
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
    formula: str = Field(default="", max_length=formulas.MAX_LENGTH)
    formula_mode: Literal["equation", "aggregate_results"] = "equation"
    target_aggregation: TargetAggregationName = "auto"
    thresholds: Annotated[list[BandIn], Field(min_length=1)] | None = None
    owner: str | None = None
    updater: str | None = None
    values_need_approval: bool = False
    unit_rollup: UnitRollupName = "auto"
    aligned_to: KpiAlignmentTarget | None = None
    targets: list[TargetIn] = []
    benchmarks: list[BenchmarkIn] = []
    measurements: Measurements = []


class AlignmentIn(_Strict):
    """This objective contributes ``share`` of another scorecard's objective."""

    objective: AlignmentTarget
    share: Annotated[float, Field(gt=0, le=1)] = 1.0


class ObjectiveIn(_Strict):
    code: Slug
    name: Name
    description: Text = ""
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
    """A cause → effect arrow of the strategy map, between objectives of one scorecard."""

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
    description: Text = ""
    owner: str | None = None
    objectives: list[Slug] = []
    start_date: dt.date | None = None
    deadline: dt.date | None = None
    budget: Money | None = None
    spent: Money | None = None
    status: Literal["planned", "active", "on_hold", "done", "cancelled"] = "planned"
    progress: Annotated[float, Field(ge=0, le=1)] | None = None
    tasks: list[TaskIn] = []


class SettingsIn(_Strict):
    """How a scorecard rolls scores up (docs/scoring.md, section 5), and when a KPI whose
    forecast falls short is shown "at risk" (``at_risk_below``, docs/planning.md)."""

    aggregator: Literal["weighted_average", "average", "min", "max", "worst_child"] = (
        "weighted_average"
    )
    missing_policy: Literal["exclude", "zero", "propagate"] = "exclude"
    score_cap: Annotated[float, Field(ge=1.0, le=10)] = 1.0
    min_coverage: Annotated[float, Field(ge=0, le=1)] = 0.0
    at_risk_below: Annotated[float, Field(gt=0, lt=1)] | None = None


class ScorecardIn(_Strict):
    slug: Slug
    name: Name
    unit: Slug
    parent: Slug | None = None
    vision: Text = ""
    mission: Text = ""
    settings: SettingsIn = SettingsIn()
    perspectives: list[PerspectiveIn] = []
    links: list[LinkIn] = []
    initiatives: list[InitiativeIn] = []
    funnels: list[FunnelIn] = []


class UnitIn(_Strict):
    slug: Slug
    name: Name
    parent: Slug | None = None


class UserIn(_Strict):
    """A person; documents never carry passwords."""

    username: Annotated[str, Field(min_length=1, max_length=150, pattern=USERNAME_PATTERN)]
    name: str = Field(default="", max_length=300)
    email: str = Field(default="", max_length=254, pattern=EMAIL_PATTERN)
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


# Errors --------------------------------------------------------------------------------


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


# Reading -------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key given twice in one mapping.

    Plain YAML keeps the last of two equal keys without a word; in a hand-written
    document that is nearly always a mistake (two ``target:`` lines, say).
    """


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Hashable] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if isinstance(key, Hashable) and key != "<<":
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key “{key}” appears twice here", key_node.start_mark
                )
            seen.add(key)
    return loader.construct_mapping(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(text: str) -> Any:
    """The YAML as Python data; DocumentError with line and column when it is not YAML."""
    try:
        return yaml.load(text, Loader=_Loader)  # safe: _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = exc.problem or exc.context or "unreadable"
        raise DocumentError([DocError(where, f"the YAML cannot be read: {problem}.")]) from None
    except yaml.YAMLError as exc:
        raise DocumentError([DocError("", f"the YAML cannot be read: {exc}.")]) from None


def parse_document(text: str) -> Document:
    """Parse and check a whole document; DocumentError lists every problem."""
    raw = _read_yaml(text)
    if raw is None:
        raise DocumentError([DocError("", "the document is empty.")])
    if not isinstance(raw, dict):
        raise DocumentError(
            [DocError("", "the document must be a mapping: version, organization, units, ...")]
        )
    try:
        document = Document.model_validate(raw)
    except ValidationError as exc:
        raise DocumentError(_field_errors(raw, exc)) from None
    problems = list(_cross_check(document))
    if problems:
        raise DocumentError(problems)
    return document


def _field_errors(raw: Any, exc: ValidationError) -> list[DocError]:
    """Pydantic's errors as DocErrors, one per place, in the order of the file."""
    out: dict[str, DocError] = {}
    for error in exc.errors():
        loc = tuple(error["loc"])
        keep_last = error["type"] == "extra_forbidden"
        path = _path(raw, loc, keep_last=keep_last)
        out.setdefault(path, DocError(path, _plain_message(dict(error))))
    return list(out.values())


LABEL_KEYS = ("slug", "code", "username", "name")
LABEL_PATTERN = re.compile(r"[\w .&/'@+-]{1,60}")


def _key(value: Any, index: int) -> str:
    """A list item's name in a path when it reads well there, else its position."""
    if isinstance(value, str) and LABEL_PATTERN.fullmatch(value.strip()):
        return value.strip()
    return str(index)


def _label(item: Any, index: int) -> str:
    """How a list item is named in a path: its slug, code, user name or name."""
    if isinstance(item, dict):
        for key in LABEL_KEYS:
            if key in item:
                return _key(item[key], index)
    return str(index)


def _path(raw: Any, loc: Iterable[Any], *, keep_last: bool = False) -> str:
    """A readable path: list items are named by their slug/code/name where they have one.

    Pydantic adds steps of its own to a location (union tags like ``as-list``,
    validator names like ``function-before[...]``); they are not keys of the
    document, and no field of ours has such a name, so non-identifiers are dropped.
    """
    steps = list(loc)
    parts: list[str] = []
    node = raw
    for position, step in enumerate(steps):
        if isinstance(step, int):
            in_list = isinstance(node, list) and 0 <= step < len(node)
            parts.append(f"[{_label(node[step], step) if in_list else step}]")
            node = node[step] if in_list else None
            continue
        last = position == len(steps) - 1
        if not str(step).isidentifier() and not (keep_last and last):
            continue
        parts.append(("." if parts else "") + str(step))
        node = node.get(step) if isinstance(node, dict) else None
    return "".join(parts)


def _number(bound: Any) -> str:
    value = float(bound)
    return f"{int(value):,}" if value.is_integer() else f"{value:g}"


#: Pydantic's error types that need no context, in plain words.
PLAIN = {
    "missing": "this field is required.",
    "extra_forbidden": "unknown field (check the spelling; see docs/scorecard-format.md).",
    "float_parsing": "must be a number.",
    "float_type": "must be a number.",
    "finite_number": "must be a finite number (not .nan or .inf).",
    "int_parsing": "must be a whole number.",
    "int_type": "must be a whole number.",
    "int_from_float": "must be a whole number.",
    "string_type": "must be text.",
    "string_too_short": "must not be empty.",
    "too_short": "needs at least one entry.",
    "list_type": "must be a list.",
    "model_type": "must be a mapping of fields (key: value).",
    "model_attributes_type": "must be a mapping of fields (key: value).",
    "dict_type": "must be a mapping of fields (key: value).",
    "date_type": "must be a date like 2026-03-31.",
    "date_parsing": "must be a date like 2026-03-31.",
    "date_from_datetime_parsing": "must be a date like 2026-03-31.",
    "date_from_datetime_inexact": "must be a date like 2026-03-31 (without a time).",
}


def _plain_message(error: dict[str, Any]) -> str:
    """Pydantic's message for one error, rewritten in plain words where it is cryptic."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in PLAIN:
        return PLAIN[kind]
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}."
    if kind == "greater_than":
        return f"must be greater than {_number(ctx['gt'])}."
    if kind == "greater_than_equal":
        return f"must be at least {_number(ctx['ge'])}."
    if kind == "less_than_equal":
        return f"must be at most {_number(ctx['le'])}."
    if kind == "less_than":
        return f"must be less than {_number(ctx['lt'])}."
    if kind == "string_pattern_mismatch":
        return PATTERN_HELP.get(str(ctx.get("pattern")), "has characters not allowed here.")
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)."
    if kind == "value_error" and "error" in ctx:
        message = str(ctx["error"])
        return message[0].upper() + message[1:] if message else "is not valid."
    return str(error["msg"]).rstrip(".") + "."


# Periods -------------------------------------------------------------------------------


def aligned_period(text: str | int | dt.date, interval: str, fiscal_month: int) -> dt.date:
    """The period start for ``text``, which must begin one of the KPI's periods."""
    day = period_date(text)
    period = periods.period_containing(day, Interval(interval), fiscal_month)
    if period.start != day:
        raise ValueError(
            f"{day.isoformat()} does not start a {interval.replace('_', '-')} period "
            f"(that period starts on {period.start.isoformat()})."
        )
    return day


def period_text(start: dt.date, interval: str, fiscal_month: int) -> str:
    """A period start in the document's shorthand (the inverse of :func:`period_date`).

    ``2026-03`` for months; ``2026-Q2``, ``2026-H1`` and ``2026`` only when the fiscal
    year makes those calendar shorthands name the same day, else the first month
    (``2026-02``); days and weeks by their date.
    """
    if interval in {"day", "week"} or start.day != 1:
        return start.isoformat()
    if interval == "year" and start.month == 1:
        return str(start.year)
    if interval == "half_year" and start.month in {1, 7} and fiscal_month in {1, 7}:
        return f"{start.year}-H{1 if start.month == 1 else 2}"
    if interval == "quarter" and (start.month - 1) % 3 == 0 and (fiscal_month - 1) % 3 == 0:
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"


def measurement_rows(kpi: KpiIn, fiscal_month: int) -> list[tuple[dt.date, float, str]]:
    """The KPI's measurements as (period start, value, note), a series expanded."""
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


def spec_of(kpi: KpiIn) -> KpiSpec:
    """The engine's view of a KPI in a document (the same mapping as for stored KPIs)."""
    # A KPI in a document has the model's field names, so the one adapter serves both.
    fields = SimpleNamespace(**kpi.model_dump(exclude={"targets", "measurements"}))
    return kpi_spec(cast("Kpi", fields))


# Cross-references ----------------------------------------------------------------------


@dataclass
class _Names:
    """What a document defines, for checking what it refers to."""

    fiscal_month: int
    users: set[str]
    units: set[str]
    scorecards: set[str]
    #: objective codes by scorecard slug
    objectives: dict[str, set[str]] = field(default_factory=dict)
    #: KPI codes by scorecard slug
    kpis: dict[str, set[str]] = field(default_factory=dict)
    #: each scorecard's parent scorecard (the one it is cascaded from)
    parents: dict[str, str | None] = field(default_factory=dict)

    def above(self, card: str) -> list[str]:
        """The scorecards ``card`` is cascaded from: its parent, that one's parent ..."""
        out: list[str] = []
        parent = self.parents.get(card)
        while parent is not None and parent not in out and parent != card:
            out.append(parent)
            parent = self.parents.get(parent)
        return out


def _cross_check(doc: Document) -> Iterator[DocError]:
    names = _Names(
        fiscal_month=doc.organization.fiscal_year_start_month,
        users={u.username for u in doc.users},
        units={u.slug for u in doc.units},
        scorecards={s.slug for s in doc.scorecards},
        objectives={
            s.slug: {o.code for p in s.perspectives for o in p.objectives} for s in doc.scorecards
        },
        kpis={
            s.slug: {k.code for p in s.perspectives for o in p.objectives for k in o.kpis}
            for s in doc.scorecards
        },
        parents={s.slug: s.parent for s in doc.scorecards},
    )
    yield from _check_units(doc.units)
    yield from _check_users(doc.users, names)
    cards = [(f"scorecards[{_key(s.slug, i)}]", s) for i, s in enumerate(doc.scorecards)]
    yield from _duplicates(((f"{path}.slug", s.slug) for path, s in cards), "scorecard slug")
    yield from _cycles(
        {path: (s.slug, s.parent) for path, s in cards if s.parent != s.slug},
        "scorecards form a loop through their parents",
    )
    for path, card in cards:
        yield from _check_scorecard(card, path, names)


def _duplicates(items: Iterable[tuple[str, Hashable]], what: str) -> Iterator[DocError]:
    """An error at each (path, value) whose value came before."""
    seen: set[Hashable] = set()
    for path, value in items:
        if value in seen:
            yield DocError(path, f"the {what} “{value}” is used twice.")
        seen.add(value)


def _cycles(items: dict[str, tuple[str, str | None]], message: str) -> Iterator[DocError]:
    """One error per item whose chain of parents leads back to itself.

    ``items`` maps each item's path to its (slug, parent slug).
    """
    parents = {slug: parent for slug, parent in items.values()}
    for path, (slug, parent) in items.items():
        seen = {slug}
        while parent is not None and parent in parents:
            if parent == slug:
                yield DocError(f"{path}.parent", f"{message}.")
                break
            if parent in seen:  # a loop further up: reported for its own members
                break
            seen.add(parent)
            parent = parents[parent]


def _check_units(units: list[UnitIn]) -> Iterator[DocError]:
    paths = [(f"units[{_key(u.slug, i)}]", u) for i, u in enumerate(units)]
    yield from _duplicates(((f"{path}.slug", u.slug) for path, u in paths), "unit slug")
    slugs = {u.slug for u in units}
    for path, unit in paths:
        if unit.parent == unit.slug:
            yield DocError(f"{path}.parent", "a unit cannot be its own parent.")
        elif unit.parent is not None and unit.parent not in slugs:
            yield DocError(f"{path}.parent", f"no unit “{unit.parent}” in units.")
    yield from _cycles(
        {path: (u.slug, u.parent) for path, u in paths if u.parent != u.slug},
        "units form a loop through their parents",
    )


def _check_users(users: list[UserIn], names: _Names) -> Iterator[DocError]:
    paths = [(f"users[{_key(u.username, i)}]", u) for i, u in enumerate(users)]
    yield from _duplicates(((f"{path}.username", u.username) for path, u in paths), "user name")
    for path, user in paths:
        if user.unit is not None and user.unit not in names.units:
            yield DocError(f"{path}.unit", f"no unit “{user.unit}” in units.")


def _user_ref(username: str | None, names: _Names, path: str) -> Iterator[DocError]:
    if username is not None and username not in names.users:
        yield DocError(path, f"no user “{username}” in users.")


def _check_scorecard(card: ScorecardIn, where: str, names: _Names) -> Iterator[DocError]:
    if card.unit not in names.units:
        yield DocError(f"{where}.unit", f"no unit “{card.unit}” in units.")
    if card.parent == card.slug:
        yield DocError(f"{where}.parent", "a scorecard cannot be its own parent.")
    elif card.parent is not None and card.parent not in names.scorecards:
        yield DocError(f"{where}.parent", f"no scorecard “{card.parent}”.")
    perspective_paths = [
        (f"{where}.perspectives[{_key(p.name, i)}]", p) for i, p in enumerate(card.perspectives)
    ]
    yield from _duplicates(
        ((f"{path}.name", p.name) for path, p in perspective_paths), "perspective name"
    )
    objective_paths = [
        (f"{path}.objectives[{_key(o.code, i)}]", o)
        for path, p in perspective_paths
        for i, o in enumerate(p.objectives)
    ]
    yield from _duplicates(
        ((f"{path}.code", o.code) for path, o in objective_paths), "objective code"
    )
    kpi_paths = [
        (f"{path}.kpis[{_key(k.code, i)}]", k)
        for path, o in objective_paths
        for i, k in enumerate(o.kpis)
    ]
    yield from _duplicates(((f"{path}.code", k.code) for path, k in kpi_paths), "KPI code")
    for path, objective in objective_paths:
        yield from _check_objective(objective, card, path, names)
    for path, kpi in kpi_paths:
        yield from _check_kpi(kpi, path, names)
        yield from _check_kpi_alignment(kpi, card, path, names)
    yield from _check_formulas(kpi_paths)
    yield from _check_links(card, where, names)
    yield from _check_initiatives(card, where, names)
    yield from _check_funnels(card, where, {k.code: k for _, k in kpi_paths})


def _check_funnels(card: ScorecardIn, where: str, kpis: dict[str, KpiIn]) -> Iterator[DocError]:
    yield from _duplicates(
        ((f"{where}.funnels[{i}].name", f.name) for i, f in enumerate(card.funnels)),
        "funnel name",
    )
    for index, funnel in enumerate(card.funnels):
        path = f"{where}.funnels[{_key(funnel.name, index)}]"
        if len(funnel.stages) < 2:
            yield DocError(f"{path}.stages", "a funnel needs at least two stages.")
        if len(set(funnel.stages)) != len(funnel.stages):
            yield DocError(f"{path}.stages", "a KPI can be a stage of a funnel only once.")
        for code in funnel.stages:
            kpi = kpis.get(code)
            if kpi is None:
                yield DocError(f"{path}.stages", f"no KPI “{code}” in this scorecard.")
            elif kpi.unit.strip().lower() in {"%", "percent", "pct"}:
                yield DocError(
                    f"{path}.stages",
                    f"“{code}” is a rate ({kpi.unit}); funnel stages are volumes.",
                )
        if funnel.costs is not None and len(funnel.costs) != len(funnel.stages):
            yield DocError(f"{path}.costs", "give one cost per stage (or none).")


def _check_objective(
    objective: ObjectiveIn, card: ScorecardIn, path: str, names: _Names
) -> Iterator[DocError]:
    yield from _user_ref(objective.owner, names, f"{path}.owner")
    yield from _duplicates(
        ((f"{path}.aligned_to[{i}]", a.objective) for i, a in enumerate(objective.aligned_to)),
        "alignment",
    )
    for index, alignment in enumerate(objective.aligned_to):
        card_slug, code = alignment.objective.split("/", 1)
        if card_slug not in names.scorecards:
            message = f"no scorecard “{card_slug}”."
        elif code not in names.objectives[card_slug]:
            message = f"no objective “{code}” in scorecard “{card_slug}”."
        elif card_slug == card.slug and code == objective.code:
            message = "an objective cannot align to itself."
        else:
            continue
        yield DocError(f"{path}.aligned_to[{index}].objective", message)


def _check_kpi(kpi: KpiIn, path: str, names: _Names) -> Iterator[DocError]:
    yield from _user_ref(kpi.owner, names, f"{path}.owner")
    yield from _user_ref(kpi.updater, names, f"{path}.updater")
    if kpi.values_need_approval and kpi.owner is None:
        yield DocError(
            f"{path}.values_need_approval",
            "values need the owner's approval, but the KPI has no owner: give it an owner.",
        )
    if kpi.target_aggregation == "equation" and not kpi.formula.strip():
        yield DocError(
            f"{path}.target_aggregation",
            "“equation” makes the target from the KPI's formula, but the KPI has no formula: "
            "choose auto, sum, average, last, min or max.",
        )
    spec = spec_of(kpi)
    problems = validate_spec(spec)
    for problem in problems:
        yield DocError(path, problem.message)
    if kpi.baseline_date and kpi.target_date and kpi.target_date <= kpi.baseline_date:
        yield DocError(f"{path}.target_date", "must be after the baseline date.")
    if kpi.thresholds:
        yield from _duplicates(
            (
                (f"{path}.thresholds[{i}].lower", "null" if b.lower is None else f"{b.lower:g}")
                for i, b in enumerate(kpi.thresholds)
            ),
            "lower bound",
        )
    yield from _check_measurements(kpi, path, names.fiscal_month)
    yield from _check_targets(kpi, spec if not problems else None, path, names.fiscal_month)


def _check_kpi_alignment(
    kpi: KpiIn, card: ScorecardIn, path: str, names: _Names
) -> Iterator[DocError]:
    """A KPI aligns to a KPI of a scorecard its own is cascaded from (as the app allows)."""
    if kpi.aligned_to is None:
        return
    card_slug, code = kpi.aligned_to.split("/", 1)
    above = names.above(card.slug)
    if card_slug not in names.scorecards:
        message = f"no scorecard “{card_slug}”."
    elif code not in names.kpis[card_slug]:
        message = f"no KPI “{code}” in scorecard “{card_slug}”."
    elif card_slug == card.slug:
        message = "a KPI can only be aligned to a KPI of a scorecard above its own."
    elif card_slug not in above:
        message = (
            f"scorecard “{card.slug}” is not cascaded from “{card_slug}” "
            + (f"(it is cascaded from {', '.join(above)}); " if above else "(it has no parent); ")
            + "a KPI can only be aligned to a KPI of a scorecard above its own."
        )
    else:
        return
    yield DocError(f"{path}.aligned_to", message)


def _check_measurements(kpi: KpiIn, path: str, fiscal_month: int) -> Iterator[DocError]:
    if kpi.formula and kpi.measurements:
        yield DocError(
            f"{path}.measurements", "a calculated KPI (one with a formula) takes no values."
        )
    if isinstance(kpi.measurements, SeriesIn):
        try:
            aligned_period(kpi.measurements.start, kpi.update_interval, fiscal_month)
        except ValueError as exc:
            yield DocError(f"{path}.measurements.start", str(exc))
        return
    yield from _check_periods(
        [(f"{path}.measurements[{i}].period", m.period) for i, m in enumerate(kpi.measurements)],
        kpi.update_interval,
        fiscal_month,
    )


def _check_targets(
    kpi: KpiIn, spec: KpiSpec | None, path: str, fiscal_month: int
) -> Iterator[DocError]:
    """Target periods are aligned and unique; each value suits the KPI's scoring.

    ``spec`` is None when the definition has problems of its own: those are
    reported once for the KPI rather than again for every target.
    """
    yield from _check_periods(
        [(f"{path}.targets[{i}].period", t.period) for i, t in enumerate(kpi.targets)],
        kpi.update_interval,
        fiscal_month,
    )
    if spec is None or kpi.optimization == "none":
        return
    for index, target in enumerate(kpi.targets):
        # A per-period target must make the KPI scoreable just as the default one does
        # (percent of target needs a target above zero, a goal differs from the red flag ...).
        problem = config_problem(spec, target.value)
        if problem is not None:
            yield DocError(f"{path}.targets[{index}].value", problem)


def _check_periods(
    items: list[tuple[str, str]], interval: str, fiscal_month: int
) -> Iterator[DocError]:
    """Each period starts one of the KPI's periods, and none comes twice."""
    seen: set[dt.date] = set()
    for path, text in items:
        try:
            day = aligned_period(text, interval, fiscal_month)
        except ValueError as exc:
            yield DocError(path, str(exc))
            continue
        if day in seen:
            yield DocError(path, f"the period starting {day.isoformat()} appears twice.")
        seen.add(day)


def _check_formulas(kpi_paths: list[tuple[str, KpiIn]]) -> Iterator[DocError]:
    """Every formula reads, names only KPIs of its scorecard, and formulas form no cycle."""
    codes = {kpi.code for _, kpi in kpi_paths}
    path_of = {kpi.code: path for path, kpi in kpi_paths}
    clean = True
    for path, kpi in kpi_paths:
        if not kpi.formula:
            continue
        try:
            references = formulas.references(kpi.formula)
        except formulas.FormulaError as exc:
            clean = False
            yield DocError(f"{path}.formula", str(exc))
            continue
        unknown = sorted(references - codes)
        if unknown:
            clean = False
            yield DocError(
                f"{path}.formula",
                f"refers to unknown KPI code(s): {', '.join(unknown)} "
                "(a formula may use the codes of KPIs in the same scorecard).",
            )
    if not clean:  # the engine's ordering would only repeat the first of these problems
        return
    result = formulas.evaluation_order(spec_of(kpi) for _, kpi in kpi_paths)
    if not isinstance(result, list):
        yield DocError(f"{path_of[result.code]}.formula", result.message)


def _check_links(card: ScorecardIn, where: str, names: _Names) -> Iterator[DocError]:
    codes = names.objectives[card.slug]
    yield from _duplicates(
        ((f"{where}.links[{i}]", f"{k.cause} → {k.effect}") for i, k in enumerate(card.links)),
        "link",
    )
    for index, link in enumerate(card.links):
        path = f"{where}.links[{index}]"
        for end in ("cause", "effect"):
            code = getattr(link, end)
            if code not in codes:
                yield DocError(f"{path}.{end}", f"no objective “{code}” in this scorecard.")
        if link.cause == link.effect:
            yield DocError(path, "an objective cannot cause itself.")


def _check_initiatives(card: ScorecardIn, where: str, names: _Names) -> Iterator[DocError]:
    codes = names.objectives[card.slug]
    for index, initiative in enumerate(card.initiatives):
        path = f"{where}.initiatives[{_key(initiative.name, index)}]"
        yield from _user_ref(initiative.owner, names, f"{path}.owner")
        for code in initiative.objectives:
            if code not in codes:
                yield DocError(f"{path}.objectives", f"no objective “{code}” in this scorecard.")
        start, deadline = initiative.start_date, initiative.deadline
        if start and deadline and deadline < start:
            yield DocError(f"{path}.deadline", "the deadline is before the start date.")
        for number, task in enumerate(initiative.tasks):
            task_path = f"{path}.tasks[{_key(task.name, number)}]"
            yield from _user_ref(task.assignee, names, f"{task_path}.assignee")
