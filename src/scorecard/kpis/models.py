"""KPI definitions, targets with provenance, and measurements that keep their history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scorecard import clock
from scorecard.limits import TEXT_MAX
from scorecard.strategy.models import Objective, Scorecard

# The engine's enums (scorecard.engine.types) are the source of truth for these
# values; tests/kpis/test_models.py checks the two lists stay the same.


class Optimization(models.TextChoices):
    MAXIMIZE = "maximize", _("Maximize (higher is better)")
    MINIMIZE = "minimize", _("Minimize (lower is better)")
    BINARY_MAX = "binary_max", _("Yes/no: at least the target")
    BINARY_MIN = "binary_min", _("Yes/no: at most the target")
    EXACT = "exact", _("Exact (hit the target within a tolerance)")
    BAND = "band", _("Band (stay inside a range)")
    PERCENT_OF_TARGET = "percent_of_target", _("Percent of target")
    GOAL_RED_FLAG = "goal_red_flag", _("Goal and red flag")
    NONE = "none", _("Not scored (information only)")


class Interval(models.TextChoices):
    DAY = "day", _("Daily")
    WEEK = "week", _("Weekly")
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    HALF_YEAR = "half_year", _("Half-yearly")
    YEAR = "year", _("Yearly")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum")
    AVERAGE = "average", _("Average")
    LAST = "last", _("Last value")
    MIN = "min", _("Minimum")
    MAX = "max", _("Maximum")
    COUNT = "count", _("Count")


class TargetAggregation(models.TextChoices):
    """How the per-period targets make a window's target (engine.types.TargetAggregation)."""

    AUTO = (
        "auto",
        _("Automatic (calculated: its formula or its own targets; others: like the value)"),
    )
    EQUATION = "equation", _("Its formula over its inputs' targets (calculated KPIs)")
    SUM = "sum", _("Sum of the periods' targets")
    AVERAGE = "average", _("Average of the periods' targets")
    LAST = "last", _("Latest period's target")
    MIN = "min", _("Lowest period's target")
    MAX = "max", _("Highest period's target")


class Indicator(models.TextChoices):
    LEADING = "leading", _("Leading (a driver)")
    LAGGING = "lagging", _("Lagging (an outcome)")


class FormulaMode(models.TextChoices):
    EQUATION = "equation", _("Aggregate inputs, then calculate")
    AGGREGATE_RESULTS = "aggregate_results", _("Calculate each period, then aggregate")


class UnitRollup(models.TextChoices):
    """How the same KPI's values in the units below combine (engine.cascade.UnitRollup)."""

    AUTO = "auto", _("Automatic (rebuild ratios from parts, average %, sum the rest)")
    SUM = "sum", _("Sum of the units")
    AVERAGE = "average", _("Average of the units")
    MIN = "min", _("Lowest unit")
    MAX = "max", _("Highest unit")
    EQUATION = "equation", _("Its formula over the units' summed inputs")


class Kpi(models.Model):
    """A key performance indicator measuring one objective.

    The scale fields (baseline, minimum, maximum, target, tolerance, band, red flag)
    mean what docs/scoring.md says; the engine turns them into scores.
    """

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="kpis")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="kpis")
    code = models.SlugField(
        max_length=80, help_text="Short name used in formulas, e.g. on_time_rate."
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=TEXT_MAX)
    unit = models.CharField(max_length=30, blank=True, help_text="Unit of measure: %, €, h ...")
    data_source = models.CharField(max_length=200, blank=True)
    optimization = models.CharField(
        max_length=20, choices=Optimization.choices, default=Optimization.MAXIMIZE
    )
    baseline = models.FloatField(null=True, blank=True)
    baseline_date = models.DateField(null=True, blank=True)
    minimum = models.FloatField(null=True, blank=True)
    maximum = models.FloatField(null=True, blank=True)
    target = models.FloatField(null=True, blank=True, help_text="Default target per period.")
    target_date = models.DateField(
        null=True,
        blank=True,
        help_text="With a baseline date: targets in between follow a straight planned path.",
    )
    tolerance = models.FloatField(null=True, blank=True)
    band_low = models.FloatField(null=True, blank=True)
    band_high = models.FloatField(null=True, blank=True)
    red_flag = models.FloatField(null=True, blank=True)
    weight = models.FloatField(default=1.0)
    update_interval = models.CharField(
        max_length=20, choices=Interval.choices, default=Interval.MONTH
    )
    time_aggregation = models.CharField(
        max_length=20, choices=Aggregation.choices, default=Aggregation.SUM
    )
    indicator = models.CharField(
        max_length=20, choices=Indicator.choices, default=Indicator.LAGGING
    )
    formula = models.TextField(blank=True, help_text="Calculated KPI, e.g. deals / leads * 100.")
    formula_mode = models.CharField(
        max_length=20, choices=FormulaMode.choices, default=FormulaMode.EQUATION
    )
    thresholds = models.JSONField(
        null=True,
        blank=True,
        help_text='Custom bands, e.g. [{"status": "red", "lower": null, "color": "#d64545"}, ...].',
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_kpis",
    )
    updater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="updated_kpis",
    )
    position = models.PositiveIntegerField(default=0)
    unit_rollup = models.CharField(
        max_length=20,
        choices=UnitRollup.choices,
        default=UnitRollup.AUTO,
        help_text="How the values of this KPI in the units below (aligned KPIs) combine.",
    )
    values_need_approval = models.BooleanField(
        default=False,
        help_text="Values entered by anyone but the owner count only once the owner approves.",
    )
    target_aggregation = models.CharField(
        max_length=20,
        choices=TargetAggregation.choices,
        default=TargetAggregation.AUTO,
        help_text="How the target over a quarter, a year or year to date is made.",
    )
    created_at = models.DateTimeField(
        default=clock.now,
        editable=False,
        help_text="When the KPI was created (older rows: when their scorecard was).",
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "KPI"
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "code"], name="kpi_code_unique_in_scorecard"
            ),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="kpi_weight_gt_0"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_calculated(self) -> bool:
        """True when the KPI's values come from a formula rather than data entry."""
        return bool(self.formula.strip())


class Target(models.Model):
    """The target of one KPI from one period on (inherited forward until the next one)."""

    class Provenance(models.TextChoices):
        ZERO = "zero", "Zero-target (first guess, to review)"
        BENCHMARK = "benchmark", "Benchmark"
        HISTORY = "history", "History / experience"
        CHAIN = "chain", "Conversion chain"
        GROWTH = "growth", "Growth path"

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="targets")
    period_start = models.DateField()
    value = models.FloatField()
    provenance = models.CharField(
        max_length=20, choices=Provenance.choices, default=Provenance.ZERO
    )
    note = models.CharField(max_length=500, blank=True, help_text="Where the number comes from.")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["kpi", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "period_start"], name="target_unique_period"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi} from {self.period_start}: {self.value}"


class Measurement(models.Model):
    """A KPI's value for one period.

    A correction never overwrites: the earlier row gets ``superseded_at`` and a new
    row holds the new value, so any report can be reproduced as it was known on a date.

    When the KPI's values need approval, a value entered by someone other than the
    owner is *pending*: it does not count until the owner approves it (then it
    supersedes the current value, and ``decided_at`` says from when it counts) or
    rejects it (then it is superseded itself and never counted). At most one current
    (not superseded) approved row and one pending row exist per KPI and period.
    """

    class Approval(models.TextChoices):
        APPROVED = "approved", "Approved"
        PENDING = "pending", "Waiting for approval"
        REJECTED = "rejected", "Rejected"

    # No index of its own: "measurement_kpi_period" (kpi, period_start) starts with the
    # KPI and serves every look-up by KPI; a second index cost each imported value one
    # more random B-tree insertion (issue 16: the million-row import).
    # No database constraint either (issue 16): PostgreSQL checked the key of every
    # imported value one by one at the commit. Django deletes a KPI's values with it
    # (``on_delete``, as before: the constraint never cascaded), every writer holds its
    # KPIs for its transaction and a KPI's deletion waits for them: ``kpis.integrity``.
    kpi = models.ForeignKey(
        Kpi,
        on_delete=models.CASCADE,
        related_name="measurements",
        db_index=False,
        db_constraint=False,
    )
    period_start = models.DateField()
    value = models.FloatField()
    note = models.CharField(max_length=500, blank=True)
    # Who recorded the value, without a database constraint (issue 16): PostgreSQL
    # checked the key of every imported value one by one at the commit. Every writer
    # holds the person for its transaction instead, and a deletion empties the field
    # first (Django's SET NULL): ``audit.integrity``. No index either: nothing reads
    # values by who recorded them, and an import names one person a million times —
    # PostgreSQL spent about 4 s of a million-row load on that one index of equal keys.
    # A person's deletion scans the values instead (rare, and one pass).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
        db_constraint=False,
    )
    recorded_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    approval = models.CharField(max_length=10, choices=Approval.choices, default=Approval.APPROVED)
    # Indexed only where set (see Meta): a value recorded or imported has no
    # decision yet, and every NULL key would cost the import one index insertion.
    # No database constraint either: PostgreSQL queues a check of the key for every
    # inserted row, even an empty one, and runs them one by one at the commit
    # (issue 16). Only the approval service sets it, to the person deciding, whom its
    # history entry holds; ``audit.integrity`` says how the id is kept right.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    decided_at = models.DateTimeField(
        null=True, blank=True, help_text="When the owner approved or rejected a pending value."
    )

    class Meta:
        ordering = ["kpi", "period_start", "recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "period_start", "approval"],
                condition=models.Q(superseded_at__isnull=True),
                name="one_current_value_per_kpi_period",
            ),
        ]
        indexes = [
            models.Index(fields=["kpi", "period_start"], name="measurement_kpi_period"),
            models.Index(
                fields=["decided_by"],
                name="measurement_decided_by",
                condition=models.Q(decided_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {self.period_start}: {self.value}"


class KpiAlignment(models.Model):
    """Cascading: a unit's KPI is the same measure as a KPI of the scorecard above.

    Its values roll up into the parent KPI's by the parent's ``unit_rollup`` rule
    (shown beside the parent's own value, never scored: the unit's performance
    reaches the parent's score through the objective alignment only).
    """

    child = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="aligned_to")
    parent = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="aligned_from")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child"], name="kpi_alignment_one_parent"),
            models.CheckConstraint(
                condition=~models.Q(child=models.F("parent")), name="kpi_alignment_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} ⇢ {self.parent}"
