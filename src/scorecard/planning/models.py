"""Conversion chains (funnels), benchmarks per KPI, and the "at risk" forecast rule."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from scorecard.kpis.models import Kpi
from scorecard.limits import TEXT_MAX
from scorecard.strategy.models import Scorecard


class Funnel(models.Model):
    """An ordered chain of volume KPIs of one scorecard, e.g. visitors → sign-ups → deals.

    The conversion rates between the stages come from the KPIs' data; the funnel
    itself stores only the order (docs/planning.md, "Funnels").
    """

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="funnels")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=TEXT_MAX)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "name"], name="funnel_name_unique_in_scorecard"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FunnelStage(models.Model):
    """One stage of a funnel: a volume KPI at a position (0 is the top of the funnel).

    ``cost`` is what one percentage point more conversion *into* this stage costs
    (any currency, optional); with it the levers are also ranked by gain per cost.
    """

    funnel = models.ForeignKey(Funnel, on_delete=models.CASCADE, related_name="stages")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="funnel_stages")
    position = models.PositiveIntegerField()
    cost = models.FloatField(
        null=True,
        blank=True,
        help_text="Cost of one percentage point more conversion into this stage.",
    )

    class Meta:
        ordering = ["funnel", "position"]
        constraints = [
            models.UniqueConstraint(fields=["funnel", "position"], name="stage_position_unique"),
            models.UniqueConstraint(fields=["funnel", "kpi"], name="stage_kpi_unique"),
            models.CheckConstraint(
                condition=models.Q(cost__isnull=True) | models.Q(cost__gt=0),
                name="stage_cost_gt_0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funnel}: {self.position + 1}. {self.kpi}"


class Benchmark(models.Model):
    """What peers achieve on a KPI: a value, its peer percentile, source and date."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="benchmarks")
    value = models.FloatField()
    percentile = models.FloatField(
        null=True, blank=True, help_text="Where this value sits among peers (0–100), e.g. 75."
    )
    source = models.CharField(max_length=300)
    as_of = models.DateField(help_text="When the benchmark was measured or published.")
    note = models.CharField(max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["kpi", "-as_of", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percentile__isnull=True)
                | (models.Q(percentile__gte=0) & models.Q(percentile__lte=100)),
                name="benchmark_percentile_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.value} ({self.source})"


class ForecastRule(models.Model):
    """The optional status rule of a scorecard: a KPI whose chance of meeting its
    period's target falls below ``at_risk_below`` is shown "at risk"."""

    scorecard = models.OneToOneField(
        Scorecard, on_delete=models.CASCADE, related_name="forecast_rule"
    )
    at_risk_below = models.FloatField(help_text="A chance between 0 and 1, e.g. 0.5.")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(at_risk_below__gt=0) & models.Q(at_risk_below__lt=1),
                name="forecast_rule_between_0_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scorecard}: at risk below {self.at_risk_below:.0%}"
