"""Pulses of the "magic question", the people asked and their answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from scorecard.kpis.models import Kpi
from scorecard.organizations.models import Organization, Unit
from scorecard.strategy.models import Objective

MAGIC_QUESTION = gettext_noop("Why are you doing what you are doing right now?")


class Pulse(models.Model):
    """One round of the question, to all members or to one unit (and the units below)."""

    class Figure(models.TextChoices):
        LINKED = "linked", _("Share who link their work to an objective")
        AGREEING = "agreeing", _("Share whose choice agrees with what their work serves")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="pulses")
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Empty: every member.",
    )  # fmt: skip
    question = models.CharField(max_length=300, default=MAGIC_QUESTION)
    opens_on = models.DateField()
    closes_on = models.DateField()
    anonymous = models.BooleanField(
        default=False,
        help_text="Answers are kept without the person's name (chosen before sending).",
    )
    kpi = models.ForeignKey(
        Kpi, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="A KPI the result is recorded in (e.g. Strategy awareness).",
    )  # fmt: skip
    kpi_figure = models.CharField(max_length=10, choices=Figure.choices, default=Figure.LINKED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="pulse_closes_after"
            )
        ]

    def __str__(self) -> str:
        return f"Pulse of {self.opens_on.isoformat()}"

    @property
    def shown_question(self) -> str:
        """The question in the active language when it is the magic question as the
        product stored it (an admin who leaves the question empty gets it in English);
        a question the admin wrote is theirs and reads as written."""
        return gettext(MAGIC_QUESTION) if self.question == MAGIC_QUESTION else self.question


class Invitation(models.Model):
    """A member asked in a pulse, with their unit at the time (for figures by unit)."""

    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pulse", "user"], name="one_invitation_per_pulse")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.pulse}"


class Answer(models.Model):
    """One answer: the objectives the person's work serves, in their view, and a sentence.

    In an anonymous pulse ``user`` stays empty (the invitation only records *that* they
    answered). ``agrees`` compares the choice with the objectives their open tasks and
    initiatives serve: None when they had none to compare with.
    """

    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    objectives = models.ManyToManyField(Objective, blank=True, related_name="+")
    sentence = models.CharField(max_length=500)
    answered_at = models.DateTimeField()
    agrees = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["answered_at", "id"]

    def __str__(self) -> str:
        return self.sentence[:60]
