"""Reads of a person's alerts and watches."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from .models import Alert, Watch
from .services import Watched


def unread_count(*, user: Any) -> int:
    """How many alerts the user has not read (one query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return _visible(user).filter(read_at__isnull=True).count()


def _visible(user: Any) -> Any:
    # Only alerts of organizations the person still belongs to.
    return Alert.objects.filter(user=user, organization__memberships__user=user)


def feed_for(*, user: Any, limit: int = 100, unread_only: bool = False) -> list[Alert]:
    """The user's latest alerts, newest first (one query)."""
    rows = _visible(user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return list(rows.select_related("organization").order_by("-created_at", "-id")[:limit])


def is_watching(*, user: Any, item: Watched) -> bool:
    """Whether the user watches the item (one query)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Watch.objects.filter(user=user, **item.filter()).exists()


def watchers_of(*, kpi_ids: set[int], objective_ids: set[int]) -> dict[tuple[str, int], list[Any]]:
    """The people watching these KPIs or objectives, by ("kpi"|"objective", id) (one query)."""
    found: dict[tuple[str, int], list[Any]] = {}
    rows = Watch.objects.filter(Q(kpi_id__in=kpi_ids) | Q(objective_id__in=objective_ids))
    for watch in rows.select_related("user"):
        key = ("kpi", watch.kpi_id) if watch.kpi_id else ("objective", watch.objective_id)
        found.setdefault(key, []).append(watch.user)  # type: ignore[arg-type]
    return found
