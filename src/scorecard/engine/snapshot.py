"""The engine's input as plain JSON, and back: what a review meeting keeps so that its
numbers can be scored again, identically, whatever is changed afterwards.

A snapshot holds everything :func:`~scorecard.engine.evaluate.evaluate_scorecard` reads:
the structure (perspectives, objectives and KPIs with their weights, formulas,
thresholds, targets and aggregation rules, the scorecard's roll-up settings and
missing-data policy, the cascaded shares of units below) and the values. Scoring the
decoded input gives exactly the numbers the encoded one gave.

The encoding follows the dataclasses field by field (names as keys; enums by value,
dates as ISO text, tuples as lists, infinite numbers as the texts ``"inf"`` and
``"-inf"`` since JSON has no such numbers), under a format ``version``:
:func:`input_from_json` refuses versions it does not know rather than guess.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import math
import types
import typing
from typing import Any

from .evaluate import ScorecardInput

#: Raise when the shape of the engine input changes in a way old snapshots cannot follow.
SNAPSHOT_VERSION = 1


class SnapshotError(ValueError):
    """A stored snapshot that cannot be read back (unknown version, damaged data)."""


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def input_to_json(sc: ScorecardInput) -> dict[str, Any]:
    """``sc`` as JSON-ready data (dicts, lists, text, numbers), with its format version."""
    return {"version": SNAPSHOT_VERSION, "input": _encode(sc)}


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(kind: Any, raw: Any, where: str) -> Any:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(kind)
        if raw is None and type(None) in options:
            return None
        (inner,) = [o for o in options if o is not type(None)]
        return _decode(inner, raw, where)
    if origin is tuple:
        if not isinstance(raw, list):
            raise SnapshotError(f"{where}: expected a list.")
        (inner, *_rest) = typing.get_args(kind)
        return tuple(_decode(inner, item, f"{where}[{i}]") for i, item in enumerate(raw))
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(raw, dict):
            raise SnapshotError(f"{where}: expected an object.")
        hints = _hints(kind)
        values = {}
        for f in dataclasses.fields(kind):
            if f.name in raw:
                values[f.name] = _decode(hints[f.name], raw[f.name], f"{where}.{f.name}")
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise SnapshotError(f"{where}: “{f.name}” is missing.")
        return kind(**values)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        try:
            return kind(raw)
        except ValueError:
            raise SnapshotError(f"{where}: “{raw}” is not a known {kind.__name__}.") from None
    if kind is dt.date:
        try:
            return dt.date.fromisoformat(raw)
        except (TypeError, ValueError):
            raise SnapshotError(f"{where}: “{raw}” is not a date.") from None
    if kind is float:
        if raw in ("inf", "-inf"):
            return float(raw)
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return float(raw)
        raise SnapshotError(f"{where}: “{raw}” is not a number.")
    if kind is int:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        raise SnapshotError(f"{where}: “{raw}” is not a whole number.")
    if kind is str:
        if isinstance(raw, str):
            return raw
        raise SnapshotError(f"{where}: “{raw}” is not text.")
    raise SnapshotError(f"{where}: cannot read a {kind}.")  # pragma: no cover - new field type


def input_from_json(data: Any) -> ScorecardInput:
    """The engine input that :func:`input_to_json` stored (a :class:`SnapshotError` says
    what is wrong with a damaged or newer snapshot)."""
    if not isinstance(data, dict) or "input" not in data:
        raise SnapshotError("This is not a stored engine input.")
    if data.get("version") != SNAPSHOT_VERSION:
        raise SnapshotError(
            f"The stored input has format version {data.get('version')}; "
            f"this version of Scorecard reads version {SNAPSHOT_VERSION}."
        )
    result = _decode(ScorecardInput, data["input"], "input")
    assert isinstance(result, ScorecardInput)
    return result
