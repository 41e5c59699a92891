"""Raise the organization's data version when a scorecard's "at risk" rule is set,
changed or removed (organizations/versions.py): the scorecard page marks KPIs "at risk"
by the rule, and the whole page is kept in the cache under the data version
(web/fragments.py), so a page can be served without reading the rule. Connected in
PlanningConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from scorecard.organizations.versions import data_version_bump

from .models import ForecastRule


def _rule(sender: Any, instance: ForecastRule, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures being loaded
    data_version_bump(scorecards__id=instance.scorecard_id)


def connect() -> None:
    """Connect the receivers (once)."""
    post_save.connect(_rule, sender=ForecastRule, dispatch_uid="version-ForecastRule")
    post_delete.connect(_rule, sender=ForecastRule, dispatch_uid="version-del-ForecastRule")
