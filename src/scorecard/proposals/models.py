"""A member's proposal to add to or change a scorecard, and the notices about its outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scorecard.initiatives.models import Initiative
from scorecard.kpis.models import Kpi
from scorecard.strategy.models import Objective, Perspective, Scorecard


class Proposal(models.Model):
    """What a member proposes, why, and what the editors decided."""

    class Kind(models.TextChoices):
        NEW_OBJECTIVE = "new_objective", _("New objective")
        NEW_KPI = "new_kpi", _("New KPI")
        NEW_INITIATIVE = "new_initiative", _("New initiative")
        NEW_TASK = "new_task", _("New task")
        CHANGE_TARGET = "change_target", _("Change a KPI's target")
        CHANGE_WEIGHT = "change_weight", _("Change a weight")
        RETIRE_KPI = "retire_kpi", _("Retire a KPI")

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for a decision")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="proposals")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What the proposal is about (which ones are set depends on the kind).
    perspective = models.ForeignKey(
        Perspective, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    kpi = models.ForeignKey(
        Kpi, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    name = models.CharField(max_length=200, blank=True, help_text="Name of the new item.")
    description = models.TextField(blank=True, max_length=2000)
    value = models.FloatField(null=True, blank=True, help_text="The new target or weight.")
    reason = models.TextField(max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    author_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True, max_length=2000)
    # What accepting it created or changed (plain ids: the history outlives the item).
    result_kind = models.CharField(max_length=20, blank=True)
    result_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["scorecard", "state"], name="proposal_scorecard_state")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def subject(self) -> str:
        """What the proposal is about, in a few words."""
        if self.kind in (self.Kind.CHANGE_TARGET, self.Kind.RETIRE_KPI) or (
            self.kind == self.Kind.CHANGE_WEIGHT and self.kpi_id
        ):
            return self.kpi.name if self.kpi else self.name
        if self.kind == self.Kind.CHANGE_WEIGHT:
            return self.objective.name if self.objective else self.name
        return self.name


class ProposalNotice(models.Model):
    """Tells the proposer that their proposal was accepted or declined."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_notices"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="notices")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user}: {self.proposal}"
