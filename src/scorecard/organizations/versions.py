"""The organization's data version: one number raised by every write that can change a
score (values, targets, the structure, shares, policies), in the same transaction.

Cached evaluations are keyed by it (kpis/evaluation.py), so a reader that sees the new
version also sees the new data, and no cached number outlives the data it came from.
The domain models' save and delete signals raise it (kpis/versioning.py); paths that
write in bulk without signals call :func:`data_version_bump` themselves, after writing.

A bump draws a new random number rather than adding one: a transaction that raised the
version and then rolled back must not leave a version that a later write reaches again,
or a score computed inside the rolled-back transaction could be served for it.
"""

from __future__ import annotations

import secrets
from typing import Any

from .models import Organization


def data_version_bump(organization_id: int | None = None, **lookup: Any) -> int:
    """Raise the data version of the organization (by id, or found by ``lookup``, e.g.
    ``scorecards__kpis__id=7``) in one UPDATE; returns how many rows were raised."""
    rows = Organization.objects.all()
    if organization_id is not None:
        rows = rows.filter(pk=organization_id)
    elif lookup:
        rows = rows.filter(**lookup)
    else:
        raise ValueError("Say whose data version to raise.")
    return rows.update(data_version=new_version())


def new_version() -> int:
    """A fresh data version (random, so that no two writes share one)."""
    return secrets.randbits(62) + 1


def data_version(organization_id: int) -> int:
    """The organization's current data version (one query; 0 when it does not exist)."""
    found = (
        Organization.objects.filter(pk=organization_id)
        .values_list("data_version", flat=True)
        .first()
    )
    return int(found or 0)
