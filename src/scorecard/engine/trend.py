"""Change between periods, and a least-squares line through a history."""

from __future__ import annotations

from collections.abc import Sequence


def percent_change(previous: float | None, current: float | None) -> float | None:
    """Relative change from ``previous`` to ``current`` (None when it cannot be told)."""
    if previous is None or current is None or previous == 0:
        return None
    return (current - previous) / abs(previous)


def direction(previous: float | None, current: float | None, gap: float = 0.02) -> str | None:
    """ "up", "down" or "flat" — an arrow only when the change is at least ``gap`` (relative)."""
    if previous is None or current is None:
        return None
    if previous == 0:
        if current == 0:
            return "flat"
        return "up" if current > 0 else "down"
    # percent_change(), inlined: every KPI's result asks.
    change = (current - previous) / abs(previous)
    if abs(change) < gap:
        return "flat"
    return "up" if change > 0 else "down"


def least_squares(points: Sequence[tuple[float, float]]) -> tuple[float, float] | None:
    """Slope and intercept of the least-squares line, or None with fewer than two x values."""
    n = len(points)
    if n < 2:
        return None
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    slope = sxy / sxx
    return slope, mean_y - slope * mean_x


def forecast(points: Sequence[tuple[float, float]], x: float) -> float | None:
    """The least-squares line's value at ``x``."""
    line = least_squares(points)
    if line is None:
        return None
    slope, intercept = line
    return slope * x + intercept
