"""The strategy map as server-rendered SVG (it prints, and goes into PDF reports as is).

Objectives are boxes in horizontal perspective bands (the first perspective on top).
Within a band, boxes are ordered to reduce crossing arrows: a few sweeps of the
barycentre heuristic place each box under the average position of the boxes it is
linked to. Arrows leave the top edge of the cause and enter the bottom edge of the
effect as smooth curves; arrows inside one band arc above the boxes.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from html import escape

BOX_W, BOX_H = 180, 64
GAP_X, BAND_H, LABEL_W, PAD = 28, 120, 150, 16
COLORS = {
    "red": "#d64545",
    "yellow": "#e8b021",
    "green": "#2e9e5b",
    "no_data": "#9aa1a9",
    "not_applicable": "#9aa1a9",
    "error": "#7a4cc2",
}


@dataclass(frozen=True)
class MapBox:
    """One objective on the map."""

    key: str
    name: str
    status: str
    score_text: str
    url: str
    color: str = ""


@dataclass(frozen=True)
class MapBand:
    """One perspective: its name and its objectives."""

    name: str
    boxes: tuple[MapBox, ...]


def order_boxes(
    bands: list[MapBand], links: list[tuple[str, str]], sweeps: int = 4
) -> list[list[MapBox]]:
    """Boxes per band, reordered to reduce arrow crossings (barycentre heuristic)."""
    rows = [list(band.boxes) for band in bands]
    neighbours: dict[str, set[str]] = {}
    for cause, effect in links:
        neighbours.setdefault(cause, set()).add(effect)
        neighbours.setdefault(effect, set()).add(cause)

    def positions() -> dict[str, float]:
        pos: dict[str, float] = {}
        for row in rows:
            offset = (max(len(r) for r in rows) - len(row)) / 2 if rows else 0
            for index, box in enumerate(row):
                pos[box.key] = index + offset
        return pos

    for sweep in range(sweeps):
        order = range(len(rows)) if sweep % 2 == 0 else range(len(rows) - 1, -1, -1)
        for r in order:
            pos = positions()

            def centre(box: MapBox, pos: dict[str, float] = pos) -> float:
                linked = [pos[n] for n in neighbours.get(box.key, ()) if n in pos]
                return sum(linked) / len(linked) if linked else pos[box.key]

            rows[r].sort(key=centre)
    return rows


def count_crossings(rows: list[list[MapBox]], links: list[tuple[str, str]]) -> int:
    """How many pairs of arrows between different bands cross (for tests and tuning)."""
    where: dict[str, tuple[int, int]] = {}
    for r, row in enumerate(rows):
        for i, box in enumerate(row):
            where[box.key] = (r, i)
    segments = []
    for cause, effect in links:
        if cause in where and effect in where and where[cause][0] != where[effect][0]:
            a, b = sorted([where[cause], where[effect]])
            segments.append((a, b))
    crossings = 0
    for i, (a1, b1) in enumerate(segments):
        for a2, b2 in segments[i + 1 :]:
            if a1[0] == a2[0] and b1[0] == b2[0] and (a1[1] - a2[1]) * (b1[1] - b2[1]) < 0:
                crossings += 1
    return crossings


def _label_lines(name: str, width: int = 22, lines: int = 2) -> list[str]:
    wrapped = textwrap.wrap(name, width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return wrapped


def render_map(
    bands: list[MapBand], links: list[tuple[str, str]], title: str = "Strategy map"
) -> str:
    """SVG text of the map; every name is escaped."""
    rows = order_boxes(bands, links)
    widest = max((len(r) for r in rows), default=1) or 1
    width = LABEL_W + PAD + widest * (BOX_W + GAP_X) + PAD
    height = len(rows) * BAND_H + PAD
    centres: dict[str, tuple[float, float, int]] = {}
    parts: list[str] = []
    for r, (band, row) in enumerate(zip(bands, rows, strict=True)):
        y = PAD / 2 + r * BAND_H
        shade = "#f3f5f8" if r % 2 == 0 else "#ffffff"
        parts.append(
            f'<rect x="0" y="{y:.0f}" width="{width}" height="{BAND_H}" fill="{shade}" />'
            f'<text x="12" y="{y + BAND_H / 2 + 5:.0f}" class="band">{escape(band.name)}</text>'
        )
        offset = (widest - len(row)) * (BOX_W + GAP_X) / 2
        for i, box in enumerate(row):
            x = LABEL_W + PAD + offset + i * (BOX_W + GAP_X)
            by = y + (BAND_H - BOX_H) / 2
            centres[box.key] = (x + BOX_W / 2, by, r)
            parts.append(_box(box, x, by))
    arrows = _arrows(centres, [(c, e) for c, e in links if c in centres and e in centres])
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'role="img" aria-label="{escape(title)}" class="strategy-map">'
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#5b6670"/></marker></defs>'
        "<style>.band{font:600 13px system-ui,sans-serif;fill:#3d4852}"
        ".name{font:600 12px system-ui,sans-serif;fill:#1f2933}"
        ".score{font:12px system-ui,sans-serif;fill:#3d4852}"
        ".link{fill:none;stroke:#5b6670;stroke-width:1.4;opacity:.75}"
        "a:focus rect.box,a:hover rect.box{stroke:#1f2933;stroke-width:2.5}</style>"
        # Arrows first, so a box drawn over an arrow hides it rather than the reverse.
        + "".join(parts[0::1] and [p for p in parts if p.startswith('<rect x="0"')])
        + "".join(arrows)
        + "".join(p for p in parts if not p.startswith('<rect x="0"'))
        + "</svg>"
    )


def _box(box: MapBox, x: float, y: float) -> str:
    color = box.color or COLORS.get(box.status, "#9aa1a9")
    lines = _label_lines(box.name)
    text = "".join(
        f'<text x="{x + 14:.0f}" y="{y + 20 + 15 * n:.0f}" class="name">{escape(line)}</text>'
        for n, line in enumerate(lines)
    )
    label = f"{box.name}: {box.score_text}"
    return (
        f'<a href="{escape(box.url)}" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>"
        f'<rect class="box" x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="8" '
        f'fill="#fff" stroke="{color}" stroke-width="2"/>'
        f'<rect x="{x:.0f}" y="{y:.0f}" width="6" height="{BOX_H}" rx="3" fill="{color}"/>'
        f"{text}"
        f'<text x="{x + BOX_W - 10:.0f}" y="{y + BOX_H - 10:.0f}" text-anchor="end" '
        f'class="score">{escape(box.score_text)}</text></a>'
    )


def _arrows(
    centres: dict[str, tuple[float, float, int]], links: list[tuple[str, str]]
) -> list[str]:
    """Curves from cause to effect, each end at its own port along the box edge.

    Ports on one edge are spread out and ordered by where the other end lies, so
    arrows meeting one box do not pile up on a single point and cross less.
    """
    ends: dict[tuple[str, str], list[tuple[float, int, str]]] = {}
    for index, (cause, effect) in enumerate(links):
        (cx, _, cr), (ex, _, er) = centres[cause], centres[effect]
        if cr == er:
            cause_edge = effect_edge = "top"
        elif cr > er:  # the cause sits below its effect (the usual direction on a map)
            cause_edge, effect_edge = "top", "bottom"
        else:
            cause_edge, effect_edge = "bottom", "top"
        ends.setdefault((cause, cause_edge), []).append((ex, index, "cause"))
        ends.setdefault((effect, effect_edge), []).append((cx, index, "effect"))
    ports: dict[tuple[int, str], tuple[float, float]] = {}
    for (key, edge), items in ends.items():
        x_centre, top, _ = centres[key]
        left = x_centre - BOX_W / 2
        y = top if edge == "top" else top + BOX_H
        for n, (_, index, role) in enumerate(sorted(items)):
            ports[(index, role)] = (left + BOX_W * (n + 1) / (len(items) + 1), y)
    paths = []
    for index, (cause, effect) in enumerate(links):
        (sx, sy), (tx, ty) = ports[(index, "cause")], ports[(index, "effect")]
        if centres[cause][2] == centres[effect][2]:  # same band: arc above both boxes
            top = sy - 24
            d = f"M{sx:.0f},{sy:.0f} C{sx:.0f},{top:.0f} {tx:.0f},{top:.0f} {tx:.0f},{ty:.0f}"
        else:
            mid = (sy + ty) / 2
            d = f"M{sx:.0f},{sy:.0f} C{sx:.0f},{mid:.0f} {tx:.0f},{mid:.0f} {tx:.0f},{ty:.0f}"
        paths.append(f'<path class="link" d="{d}" marker-end="url(#arrow)"/>')
    return paths
