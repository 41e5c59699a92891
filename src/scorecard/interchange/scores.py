"""Turn the engine's results into plain JSON-ready dictionaries (CLI and API share this)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from typing import Any

from scorecard.engine.evaluate import ScorecardResult


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


def result_as_dict(result: ScorecardResult) -> dict[str, Any]:
    """A scorecard result as nested dictionaries, lists ordered as the scorecard is."""
    data = _plain(result)
    data["perspectives"] = list(data["perspectives"].values())
    data["objectives"] = list(data["objectives"].values())
    data["kpis"] = list(data["kpis"].values())
    return data
