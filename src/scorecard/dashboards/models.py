"""Dashboards: a page of widgets one member composed, private or shared."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scorecard.kpis.models import Kpi
from scorecard.organizations.models import Organization, Unit
from scorecard.planning.models import Funnel
from scorecard.strategy.models import Perspective, Scorecard


class Dashboard(models.Model):
    """A page of widgets. Private: only its owner sees it; shared: every member of the
    organization reads it; shared with a unit: the members of that unit and its sub-units
    read it. Only its owner (an editor or admin) and admins change it."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="dashboards"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=120)
    shared = models.BooleanField(
        default=False, help_text="Shared with every member of the organization (they read it)."
    )
    #: Shared with the members of this unit and of its sub-units (when not ``shared``).
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shared with the members of this unit and its sub-units (they read it).",
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Widget(models.Model):
    """One tile of a dashboard, in the dashboard's order (``position``)."""

    class Kind(models.TextChoices):
        KPI_TILE = "kpi_tile", _("KPI tile")
        KPI_CHART = "kpi_chart", _("KPI chart")
        GAUGE = "gauge", _("Gauge")
        SCORECARD_TABLE = "scorecard_table", _("Scorecard table")
        STRATEGY_MAP = "strategy_map", _("Strategy map")
        INITIATIVES = "initiatives", _("Initiatives by status")
        NOTE = "note", _("Text note")
        FUNNEL = "funnel", _("Funnel")
        RISKS = "risks", _("Top risks")

    #: Kinds that show one KPI, and kinds that show a scorecard.
    KPI_KINDS = {Kind.KPI_TILE, Kind.KPI_CHART, Kind.GAUGE}
    SCORECARD_KINDS = {Kind.SCORECARD_TABLE, Kind.STRATEGY_MAP, Kind.INITIATIVES, Kind.RISKS}

    dashboard = models.ForeignKey(Dashboard, on_delete=models.CASCADE, related_name="widgets")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=120, blank=True)
    position = models.PositiveIntegerField(default=0)
    #: Wide widgets take two grid columns (tables, maps).
    wide = models.BooleanField(default=False)
    scorecard = models.ForeignKey(Scorecard, null=True, blank=True, on_delete=models.CASCADE)
    kpi = models.ForeignKey(Kpi, null=True, blank=True, on_delete=models.CASCADE)
    #: For a scorecard table: only this perspective (a part of the table).
    perspective = models.ForeignKey(Perspective, null=True, blank=True, on_delete=models.CASCADE)
    text = models.TextField(blank=True)
    #: For a funnel widget: the funnel of its scorecard.
    funnel = models.ForeignKey(
        Funnel, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["dashboard", "position", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.dashboard}"


class HomeDashboard(models.Model):
    """A member's choice of dashboard as their home page in one organization: ``/``
    then opens it, while they may still read it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    dashboard = models.ForeignKey(Dashboard, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="one_home_dashboard_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dashboard} as home of {self.user}"
