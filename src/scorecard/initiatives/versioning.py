"""Raise the organization's data version when an initiative changes (organizations/
versions.py): the scorecard page shows "red, and nobody is acting on it" for red KPIs
whose objective no active initiative serves, and the whole page is kept in the cache
under the data version (web/fragments.py). Saves (status, name), deletes and changes of
the objectives an initiative serves all count. Connected in InitiativesConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from scorecard.organizations.versions import data_version_bump

from .models import Initiative


def _initiative(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures being loaded
    if isinstance(instance, Initiative):
        data_version_bump(scorecards__id=instance.scorecard_id)
    else:  # objective.initiatives.add(...): the objectives' side of the relation
        data_version_bump(scorecards__objectives__id=instance.pk)


def _objectives_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        _initiative(sender, instance)


def connect() -> None:
    """Connect the receivers (once)."""
    post_save.connect(_initiative, sender=Initiative, dispatch_uid="version-Initiative")
    post_delete.connect(_initiative, sender=Initiative, dispatch_uid="version-del-Initiative")
    m2m_changed.connect(
        _objectives_changed,
        sender=Initiative.objectives.through,
        dispatch_uid="version-Initiative-objectives",
    )
