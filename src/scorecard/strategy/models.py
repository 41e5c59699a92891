"""The strategy: a unit's scorecard, its perspectives, objectives and cause-effect links."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scorecard import clock
from scorecard.limits import TEXT_MAX
from scorecard.organizations.models import Organization, Unit


class Scorecard(models.Model):
    """One unit's Balanced Scorecard: vision, mission and the perspectives below."""

    class Aggregator(models.TextChoices):
        WEIGHTED_AVERAGE = "weighted_average", _("Weighted average")
        AVERAGE = "average", _("Average")
        MIN = "min", _("Minimum")
        MAX = "max", _("Maximum")
        WORST_CHILD = "worst_child", _("Worst child")

    class MissingPolicy(models.TextChoices):
        EXCLUDE = "exclude", _("Leave out and re-weigh the rest")
        ZERO = "zero", _("Count as zero")
        PROPAGATE = "propagate", _("Parent has no score")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="scorecards"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="scorecards")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The scorecard this one is cascaded from.",
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    vision = models.TextField(blank=True, max_length=TEXT_MAX)
    mission = models.TextField(blank=True, max_length=TEXT_MAX)
    aggregator = models.CharField(
        max_length=20, choices=Aggregator.choices, default=Aggregator.WEIGHTED_AVERAGE
    )
    missing_policy = models.CharField(
        max_length=20, choices=MissingPolicy.choices, default=MissingPolicy.EXCLUDE
    )
    score_cap = models.FloatField(
        default=1.0, help_text="Highest score one child may contribute to a rollup (1.0 = 100 %)."
    )
    min_coverage = models.FloatField(
        default=0.0,
        help_text=(
            "Least share of the weight (0 to 1) that must have data for a score to be shown; "
            'below it the score is "not enough data".'
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "slug"], name="scorecard_slug_unique_in_org"
            ),
            models.CheckConstraint(condition=models.Q(score_cap__gte=1.0), name="score_cap_ge_1"),
            models.CheckConstraint(
                condition=models.Q(min_coverage__gte=0.0, min_coverage__lte=1.0),
                name="min_coverage_between_0_and_1",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Perspective(models.Model):
    """A band of the scorecard (financial, customer, internal, learning & growth)."""

    class Kind(models.TextChoices):
        FINANCIAL = "financial", _("Financial")
        CUSTOMER = "customer", _("Customer")
        INTERNAL = "internal", _("Internal processes")
        LEARNING = "learning", _("Learning & growth")
        OTHER = "other", _("Other")

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="perspectives")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    position = models.PositiveIntegerField(default=0)
    weight = models.FloatField(default=1.0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="perspective_weight_gt_0"
            ),
            models.UniqueConstraint(
                fields=["scorecard", "name"], name="perspective_name_unique_in_scorecard"
            ),
        ]

    def __str__(self) -> str:
        return self.name


#: The four perspectives every new scorecard starts with, top of the map first; named in
#: the language active when the scorecard is made (the wizard's, ``init --language``'s).
DEFAULT_PERSPECTIVES = [
    (Perspective.Kind.FINANCIAL, _("Financial")),
    (Perspective.Kind.CUSTOMER, _("Customer")),
    (Perspective.Kind.INTERNAL, _("Internal processes")),
    (Perspective.Kind.LEARNING, _("Learning & growth")),
]


class Objective(models.Model):
    """A strategic objective in one perspective, measured by its KPIs."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="objectives")
    perspective = models.ForeignKey(
        Perspective, on_delete=models.PROTECT, related_name="objectives"
    )
    code = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=TEXT_MAX)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_objectives",
    )
    weight = models.FloatField(default=1.0)
    due_date = models.DateField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(
        default=clock.now,
        editable=False,
        help_text="When the objective was created (older rows: when their scorecard was).",
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "code"], name="objective_code_unique_in_scorecard"
            ),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="objective_weight_gt_0"),
        ]

    def __str__(self) -> str:
        return self.name


class ObjectiveLink(models.Model):
    """A cause → effect arrow of the strategy map."""

    cause = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="effect_links")
    effect = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="cause_links")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cause", "effect"], name="link_unique"),
            models.CheckConstraint(
                condition=~models.Q(cause=models.F("effect")), name="link_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cause} → {self.effect}"


class ObjectiveAlignment(models.Model):
    """Cascading: a child scorecard's objective contributes to a parent scorecard's objective."""

    child = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="aligned_to")
    parent = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="aligned_from")
    share = models.FloatField(
        default=1.0, help_text="Share of the parent objective this child contributes (0–1)."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "parent"], name="alignment_unique"),
            models.CheckConstraint(
                condition=models.Q(share__gt=0) & models.Q(share__lte=1),
                name="alignment_share_0_1",
            ),
            models.CheckConstraint(
                condition=~models.Q(child=models.F("parent")), name="alignment_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} ⇢ {self.parent}"
