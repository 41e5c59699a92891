"""Record when an API token was last used, without making a read wait or fail."""

from __future__ import annotations

import datetime as dt

from scorecard.besteffort import bookkeeping

from .models import ApiToken


def token_used(token: ApiToken, now: dt.datetime) -> None:
    """Set ``token.last_used_at`` to ``now`` if the database can take it right now."""
    if bookkeeping(
        lambda: ApiToken.objects.filter(pk=token.pk).update(last_used_at=now),
        what=f"Last use of token {token.prefix}",
    ):
        token.last_used_at = now
