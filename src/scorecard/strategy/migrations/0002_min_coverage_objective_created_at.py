"""Scorecards get a minimum coverage; objectives a creation date.

Objectives that exist already take their scorecard's creation date: the best
knowledge of when they were made (a later unused-check never calls them new).
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

import scorecard.clock


def objectives_from_their_scorecard(apps, schema_editor):
    Objective = apps.get_model("strategy", "Objective")
    Scorecard = apps.get_model("strategy", "Scorecard")
    Objective.objects.update(
        created_at=Subquery(
            Scorecard.objects.filter(pk=OuterRef("scorecard_id")).values("created_at")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="scorecard",
            name="min_coverage",
            field=models.FloatField(
                default=0.0,
                help_text=(
                    "Least share of the weight (0 to 1) that must have data for a score to be "
                    'shown; below it the score is "not enough data".'
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="scorecard",
            constraint=models.CheckConstraint(
                condition=models.Q(min_coverage__gte=0.0, min_coverage__lte=1.0),
                name="min_coverage_between_0_and_1",
            ),
        ),
        migrations.AddField(
            model_name="objective",
            name="created_at",
            field=models.DateTimeField(
                default=scorecard.clock.now,
                editable=False,
                help_text="When the objective was created (older rows: when their scorecard was).",
            ),
        ),
        migrations.RunPython(objectives_from_their_scorecard, migrations.RunPython.noop),
    ]
