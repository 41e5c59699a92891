"""One result line of a benchmark and the table they are printed as."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    """One measurement against its floor (or ceiling) measured in the same run.

    ``seconds`` is what was measured (None when it was skipped), ``floor`` what the
    floor took, named by ``floor_what``; ``ratio`` says how many times slower than the
    floor the measurement is (for the web: the ceiling's requests/s over the page's).
    """

    area: str
    what: str
    seconds: float | None
    floor_what: str = ""
    floor: float | None = None
    ratio: float | None = None
    detail: str = ""
    #: The issue's target for this line (e.g. "p95 ≤ 250 ms, ≥ 60 req/s") and whether
    #: this run met it (None: no target).
    target: str = ""
    met: bool | None = None

    @classmethod
    def against(
        cls, area: str, what: str, seconds: float, floor_what: str, floor: float, detail: str = ""
    ) -> Result:
        """A timing with its floor, the ratio being time / floor time."""
        ratio = seconds / floor if floor > 0 else None
        return cls(area, what, seconds, floor_what, floor, ratio, detail)


def human(seconds: float | None) -> str:
    """Seconds in the unit that reads best."""
    if seconds is None:
        return ""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def times(ratio: float | None) -> str:
    """A ratio as ×N (one decimal below ten)."""
    if ratio is None:
        return ""
    return f"×{ratio:.1f}" if ratio < 10 else f"×{ratio:,.0f}"


HEADER = ("area", "measured", "time", "floor / ceiling", "ratio", "target", "detail")


def verdict(r: Result) -> str:
    """The target and whether it was met, e.g. "p95 ≤ 250 ms: met"."""
    if not r.target:
        return ""
    return f"{r.target}: {'met' if r.met else 'not met'}"


def cells(r: Result) -> tuple[str, ...]:
    """The columns of one result."""
    floor = f"{r.floor_what} {human(r.floor)}".strip()
    time = "skipped" if r.seconds is None else human(r.seconds)
    return (r.area, r.what, time, floor, times(r.ratio), verdict(r), r.detail)


def line(r: Result) -> str:
    """One result on one line, for progress output."""
    area, what, time, floor, ratio, target, detail = cells(r)
    if r.seconds is None:
        return f"  {area}: {what}: {detail or time}"
    vs = f" (against {floor}: {ratio})" if floor else ""
    aim = f" [target {target}]" if target else ""
    return f"  {area}: {what}: {time}{vs}{aim}{'; ' + detail if detail else ''}"


def table(results: list[Result], title: str = "") -> str:
    """The results as a fixed-width text table (also valid Markdown)."""
    rows = [cells(r) for r in results]
    widths = [max(len(row[i]) for row in [HEADER, *rows]) for i in range(len(HEADER))]

    def fmt(row: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"

    out = [title] if title else []
    out.append(fmt(HEADER))
    out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    out.extend(fmt(row) for row in rows)
    return "\n".join(out)
