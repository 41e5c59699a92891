"""Reads of a person's notifications (mentions in comments)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from scorecard.audit.models import Notification
from scorecard.strategy.models import Scorecard


def unread_count(*, user: Any) -> int:
    """How many notifications the user has not read (one query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(
    *, user: Any, limit: int = 50, unread_only: bool = False, pk: int | None = None
) -> list[Any]:
    """The user's latest notifications with the comment, its author and its item (one query).

    Only notifications about organizations the user still belongs to are shown.
    """
    rows = Notification.objects.filter(user=user).filter(
        Q(comment__kpi__scorecard__organization__memberships__user=user)
        | Q(comment__objective__scorecard__organization__memberships__user=user)
        | Q(comment__initiative__scorecard__organization__memberships__user=user)
    )
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    if pk is not None:
        rows = rows.filter(pk=pk)
    return list(
        rows.select_related(
            "comment__author",
            "comment__kpi__scorecard__organization",
            "comment__objective__scorecard__organization",
            "comment__initiative__scorecard__organization",
        )
        .distinct()
        .order_by("-created_at", "-id")[:limit]
    )


def notification_item(notification: Notification) -> tuple[str, Any, Scorecard]:
    """The kind, the item and the scorecard a notification's comment is about."""
    comment = notification.comment
    if comment.kpi_id:
        return "KPI", comment.kpi, comment.kpi.scorecard  # type: ignore[union-attr]
    if comment.objective_id:
        return "objective", comment.objective, comment.objective.scorecard  # type: ignore[union-attr]
    return "initiative", comment.initiative, comment.initiative.scorecard  # type: ignore[union-attr]
