"""One result line of a benchmark and the table they are printed as."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    """What was measured, how long it took (seconds, None for rates) and the detail."""

    area: str
    what: str
    seconds: float | None
    detail: str = ""


def human(seconds: float | None) -> str:
    """Seconds in the unit that reads best."""
    if seconds is None:
        return ""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def table(results: list[Result], title: str = "") -> str:
    """The results as a fixed-width text table (also valid Markdown)."""
    header = ("area", "measured", "time", "detail")
    rows = [(r.area, r.what, human(r.seconds), r.detail) for r in results]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(4)]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [title] if title else []
    out.append(line(header))
    out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    out.extend(line(row) for row in rows)
    return "\n".join(out)
