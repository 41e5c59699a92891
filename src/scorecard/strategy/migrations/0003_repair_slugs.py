"""Give every organization, unit, scorecard and objective a usable short name.

Before issue 19 a name in another script (战略, 增长收入, an emoji) was saved with an
empty slug or code, and an API client could store one with spaces; pages linking to
such an item failed. This migration replaces each empty or invalid slug/code with one
made from the name (transliterated, unique within its scope).
"""

from django.db import migrations

from scorecard.naming import SLUG_RE, slug_free, slug_from


def _repair(queryset, scope_field, field, prefix):
    for item in queryset.order_by("pk"):
        value = getattr(item, field)
        if value and SLUG_RE.match(value):
            continue
        scope = queryset.model.objects.exclude(pk=item.pk)
        if scope_field:
            scope = scope.filter(**{scope_field: getattr(item, scope_field)})
        new = slug_free(
            slug_from(item.name),
            taken=lambda candidate, scope=scope: scope.filter(**{field: candidate}).exists(),
            fallback=f"{prefix}-{item.pk}",
        )
        setattr(item, field, new)
        item.save(update_fields=[field])


def repair(apps, schema_editor):
    _repair(apps.get_model("organizations", "Organization").objects.all(), "", "slug", "organization")
    _repair(apps.get_model("organizations", "Unit").objects.all(), "organization_id", "slug", "unit")
    _repair(apps.get_model("strategy", "Scorecard").objects.all(), "organization_id", "slug", "scorecard")
    _repair(apps.get_model("strategy", "Objective").objects.all(), "scorecard_id", "code", "objective")


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0001_initial"),
        ("strategy", "0002_min_coverage_objective_created_at"),
    ]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
