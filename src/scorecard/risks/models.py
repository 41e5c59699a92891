"""A scorecard's risks: what could go wrong, how likely and how bad, and what is done."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy

from scorecard.initiatives.models import Initiative
from scorecard.kpis.models import Kpi
from scorecard.strategy.models import Objective, Scorecard

#: Likelihood and impact are rated 1 (rare, minor) to 5 (almost certain, severe).
SCALE = 5
RATING = [MinValueValidator(1), MaxValueValidator(SCALE)]

LIKELIHOOD_WORDS = {
    1: gettext_lazy("Rare"),
    2: gettext_lazy("Unlikely"),
    3: gettext_lazy("Possible"),
    4: gettext_lazy("Likely"),
    5: gettext_lazy("Almost certain"),
}
IMPACT_WORDS = {
    1: gettext_lazy("Minor"),
    2: gettext_lazy("Moderate"),
    3: gettext_lazy("Serious"),
    4: gettext_lazy("Major"),
    5: gettext_lazy("Severe"),
}
#: A level's name for people (the codes stay English in CSS classes and exports).
LEVEL_WORDS = {
    "low": gettext_lazy("low"),
    "medium": gettext_lazy("medium"),
    "high": gettext_lazy("high"),
    "critical": gettext_lazy("critical"),
}


def level_of(score: int | None) -> str:
    """A score's level: low (1-4), medium (5-9), high (10-16) or critical (20-25)."""
    if score is None:
        return ""
    if score >= 20:
        return "critical"
    if score >= 10:
        return "high"
    if score >= 5:
        return "medium"
    return "low"


class Risk(models.Model):
    """One risk of a scorecard. ``*_after`` is the rating once the mitigation works
    (empty when nobody has rated it yet)."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(max_length=200)
    cause = models.TextField(blank=True, help_text="What could make it happen.")
    consequence = models.TextField(blank=True, help_text="What happens to the strategy if it does.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_risks",
    )
    likelihood = models.PositiveSmallIntegerField(validators=RATING)
    impact = models.PositiveSmallIntegerField(validators=RATING)
    likelihood_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=RATING)
    impact_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=RATING)
    objectives = models.ManyToManyField(Objective, related_name="risks", blank=True)
    kpis = models.ManyToManyField(Kpi, related_name="risks", blank=True)
    initiatives = models.ManyToManyField(
        Initiative, related_name="mitigated_risks", blank=True, help_text="Mitigating initiatives."
    )
    review_on = models.DateField(null=True, blank=True, help_text="When to look at it again.")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["scorecard_id", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    likelihood__gte=1, likelihood__lte=SCALE, impact__gte=1, impact__lte=SCALE
                ),
                name="risk_rating_1_5",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        """Likelihood × impact before mitigation (1-25)."""
        return self.likelihood * self.impact

    @property
    def score_after(self) -> int | None:
        """Likelihood × impact after mitigation, when rated."""
        if self.likelihood_after is None or self.impact_after is None:
            return None
        return self.likelihood_after * self.impact_after

    @property
    def level(self) -> str:
        return level_of(self.score)

    @property
    def level_after(self) -> str:
        return level_of(self.score_after)

    @property
    def level_label(self) -> str:
        """The level before mitigation in the active language."""
        return str(LEVEL_WORDS.get(self.level, ""))

    @property
    def level_after_label(self) -> str:
        """The level after mitigation in the active language."""
        return str(LEVEL_WORDS.get(self.level_after, ""))
