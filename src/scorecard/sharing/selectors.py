"""Reads of share links: resolve a token, the links of a scorecard, who opened one."""

from __future__ import annotations

from enum import StrEnum

from scorecard import clock
from scorecard.strategy.models import Scorecard

from .models import ShareLink, ShareView
from .services import token_hash


class LinkState(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


def link_state(link: ShareLink) -> LinkState:
    if link.revoked_at is not None:
        return LinkState.REVOKED
    if link.expires_on < clock.today():
        return LinkState.EXPIRED
    return LinkState.ACTIVE


def link_for_token(token: str) -> ShareLink | None:
    """The link a token opens (whatever its state), or None."""
    if not token or len(token) > 100:
        return None
    return (
        ShareLink.objects.select_related("scorecard__organization", "scorecard__unit")
        .filter(token_hash=token_hash(token))
        .first()
    )


def links_of(*, scorecard: Scorecard) -> list[ShareLink]:
    return list(ShareLink.objects.filter(scorecard=scorecard).select_related("created_by"))


def link_get(*, scorecard: Scorecard, pk: int) -> ShareLink | None:
    return ShareLink.objects.filter(scorecard=scorecard, pk=pk).first()


def views_of(*, link: ShareLink, limit: int = 500) -> list[ShareView]:
    return list(ShareView.objects.filter(link=link)[:limit])
