"""The one clock of the application.

Code never calls ``date.today()`` or ``timezone.now()`` directly: it asks this
module, so that the demo, tests and "as of" reports can freeze time in one place.
The engine never reads a clock at all; callers pass ``as_of``.
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import timezone

#: A day set for the code running now (see :func:`frozen_at`); wins over SCORECARD_TODAY.
_DAY: contextvars.ContextVar[dt.date | None] = contextvars.ContextVar("scorecard_day", default=None)


@contextmanager
def frozen_at(day: dt.date) -> Iterator[None]:
    """Run the block as if today were ``day`` (the demo's story dates its steps so)."""
    token = _DAY.set(day)
    try:
        yield
    finally:
        _DAY.reset(token)


def _frozen() -> str:
    day = _DAY.get()
    return day.isoformat() if day is not None else getattr(settings, "SCORECARD_TODAY", "")


def now() -> dt.datetime:
    """Return the current aware datetime (frozen at noon UTC when SCORECARD_TODAY is set)."""
    frozen = _frozen()
    if frozen:
        day = dt.date.fromisoformat(frozen)
        return dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)
    return timezone.now()


def today() -> dt.date:
    """Return today's date in the configured time zone."""
    frozen = _frozen()
    if frozen:
        return dt.date.fromisoformat(frozen)
    return timezone.localdate()
