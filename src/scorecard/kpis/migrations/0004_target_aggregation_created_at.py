"""KPIs get a window-target rule (automatic by default) and a creation date.

KPIs that exist already take their scorecard's creation date: the best knowledge
of when they were made (a later unused-check never calls them new).
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

import scorecard.clock


def kpis_from_their_scorecard(apps, schema_editor):
    Kpi = apps.get_model("kpis", "Kpi")
    Scorecard = apps.get_model("strategy", "Scorecard")
    Kpi.objects.update(
        created_at=Subquery(
            Scorecard.objects.filter(pk=OuterRef("scorecard_id")).values("created_at")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0003_value_approval"),
        ("strategy", "0002_min_coverage_objective_created_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="kpi",
            name="target_aggregation",
            field=models.CharField(
                choices=[
                    (
                        "auto",
                        "Automatic (calculated: its formula or its own targets; others: like the value)",
                    ),
                    ("equation", "Its formula over its inputs' targets (calculated KPIs)"),
                    ("sum", "Sum of the periods' targets"),
                    ("average", "Average of the periods' targets"),
                    ("last", "Latest period's target"),
                    ("min", "Lowest period's target"),
                    ("max", "Highest period's target"),
                ],
                default="auto",
                help_text="How the target over a quarter, a year or year to date is made.",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="kpi",
            name="created_at",
            field=models.DateTimeField(
                default=scorecard.clock.now,
                editable=False,
                help_text="When the KPI was created (older rows: when their scorecard was).",
            ),
        ),
        migrations.RunPython(kpis_from_their_scorecard, migrations.RunPython.noop),
    ]
