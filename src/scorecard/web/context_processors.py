"""What every page's header needs: the number of unread mentions (one query)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from scorecard.reviews.notifications import unread_count
from scorecard.web.access import unread_known


def header(request: HttpRequest) -> dict[str, Any]:
    """``unread_mentions`` for the header's "Mentions" link.

    A callable, so the query runs only on pages that show the header (templates call it
    when they read it), not for htmx fragments; none at all on a scorecard's pages, whose
    access query read the count already (web/access.py).
    """
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    known = unread_known(request)
    if known is not None:
        return {"unread_mentions": known}
    return {"unread_mentions": lambda: unread_count(user=user)}
