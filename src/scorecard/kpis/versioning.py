"""Raise the organization's data version whenever a model that feeds a score is saved
or deleted (organizations/versions.py). Connected in KpisConfig.ready().

Measurements and targets only on save: they are deleted with their KPI (which raises
the version) or, for a target, by ``target_delete``, which raises it itself; without a
delete receiver a KPI's values and targets are still deleted in one statement rather
than loaded row by row. Bulk inserts send no signals: the services
that use them call ``data_version_bump`` themselves.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from scorecard.organizations.models import Organization
from scorecard.organizations.versions import data_version_bump
from scorecard.strategy.models import Objective, ObjectiveAlignment, Perspective, Scorecard

from .models import Kpi, KpiAlignment, Measurement, Target


def _organization(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures being loaded
    if sender is Organization:
        if not kwargs.get("created", False):
            data_version_bump(instance.pk)
    elif sender is Scorecard:
        data_version_bump(instance.organization_id)
    elif sender in (Perspective, Objective, Kpi):
        data_version_bump(scorecards__id=instance.scorecard_id)
    elif sender in (Target, Measurement):
        data_version_bump(scorecards__kpis__id=instance.kpi_id)
    elif sender is KpiAlignment:
        data_version_bump(scorecards__kpis__id__in=[instance.child_id, instance.parent_id])
    elif sender is ObjectiveAlignment:
        data_version_bump(scorecards__objectives__id__in=[instance.child_id, instance.parent_id])


#: Models whose saves and deletes raise the version (see the module's note on the others).
SAVED: tuple[type[Model], ...] = (
    Organization, Scorecard, Perspective, Objective, Kpi, Target, Measurement,
    KpiAlignment, ObjectiveAlignment,
)  # fmt: skip
DELETED: tuple[type[Model], ...] = (
    Scorecard, Perspective, Objective, Kpi, KpiAlignment, ObjectiveAlignment,
)  # fmt: skip


def connect() -> None:
    """Connect the receivers (once)."""
    for model in SAVED:
        post_save.connect(_organization, sender=model, dispatch_uid=f"version-{model.__name__}")
    for model in DELETED:
        post_delete.connect(
            _organization, sender=model, dispatch_uid=f"version-del-{model.__name__}"
        )
