"""Turn the engine's results into plain JSON-ready dictionaries (CLI and API share this)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from typing import Any

from django.utils.text import slugify

from scorecard.engine.evaluate import ScorecardResult
from scorecard.engine.windows import CUSTOM, CustomWindow


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value != value:  # NaN never leaves the engine, but be safe
        return None
    return value


def perspective_keys(names: list[str]) -> list[str]:
    """Stable keys for perspectives, from their names (unique in a scorecard):
    "Learning & growth" → ``learning-growth``; a name that slugifies to nothing or to a
    key taken already gets its position added (``perspective-3``, ``customer-2``)."""
    keys: list[str] = []
    for position, name in enumerate(names, start=1):
        key = slugify(name) or f"perspective-{position}"
        if key in keys:
            key = f"{key}-{position}"
        keys.append(key)
    return keys


def result_as_dict(result: ScorecardResult) -> dict[str, Any]:
    """A scorecard result as nested dictionaries, lists ordered as the scorecard is.

    Every key is stable across loads of the same scorecard: the scorecard's slug, the
    objectives' and KPIs' codes, and the perspectives' names made into keys
    (:func:`perspective_keys`), never a database id (docs/scoring.md, "Scores as JSON").
    """
    data = _plain(result)
    perspectives = list(data["perspectives"].values())
    for perspective, key in zip(
        perspectives, perspective_keys([p["name"] for p in perspectives]), strict=True
    ):
        perspective["key"] = key
    data["perspectives"] = perspectives
    data["objectives"] = list(data["objectives"].values())
    data["kpis"] = list(data["kpis"].values())
    if isinstance(result.view, CustomWindow):
        # A custom window: "view" says so and "window" gives its days.
        data["view"] = CUSTOM
        data["window"] = {
            "start": result.view.start.isoformat(),
            "end": result.view.end.isoformat(),
        }
    return data
