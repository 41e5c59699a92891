"""What every page's header needs: the number of unread mentions (one query)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from scorecard.reviews.notifications import unread_count


def header(request: HttpRequest) -> dict[str, Any]:
    """``unread_mentions`` for the header's "Mentions" link.

    A callable, so the query runs only on pages that show the header (templates call it
    when they read it), not for htmx fragments.
    """
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    return {"unread_mentions": lambda: unread_count(user=user)}
