"""The strategy map as server-rendered SVG (it prints, and goes into PDF reports as is).

A pure module: it takes plain data (bands of boxes and cause → effect links) and
returns SVG text, so it is tested without a database.

Layout, after Sugiyama's layered drawing:

- each perspective is a horizontal band, the first one on top (financial);
- a link that skips bands gets an invisible waypoint in every band it crosses, so
  that it can be routed through a gap between boxes instead of through a box;
- boxes and waypoints within a band are ordered to reduce crossings with a few
  down and up sweeps of the barycentre heuristic, keeping the best order seen;
- arrows leave the cause box's edge that faces the effect and enter the effect
  box's facing edge as smooth vertical-ish curves, passing each crossed band
  through its waypoint's gap; links within one band run up, along a track above the
  boxes and down (presentation/map_routing.py), longer links on higher tracks, so
  that no two share a stretch of path;
- boxes an editor arranged by hand (``positions``: left x and height within the
  band) keep their place; the others, and objectives added later, keep the
  automatic place.

Every piece of user text is escaped; long names wrap onto two lines and the full
name stays in the box's tooltip and accessible label.
"""

from __future__ import annotations

import itertools
import textwrap
from dataclasses import dataclass, field
from html import escape

from scorecard.presentation.map_routing import (
    TRACK_CLEARANCE,
    LaneLink,
    Point,
    rounded_path,
    route_lane,
)

BOX_W, BOX_H = 196, 64
GAP_X = 30
WAYPOINT_W = 14
BAND_H = 132
LABEL_W = 150
PAD = 16
SWEEPS = 6
NAME_WIDTH = 20  # characters per line of a box label (12.5 px bold fits in BOX_W)
#: Link classes the evidence of the planning app may set (see render_map's ``marks``).
EVIDENCE_CLASSES = {"supported", "weak", "contradicted", "untested"}
COLORS = {
    "red": "#d64545",
    "yellow": "#e0a81e",
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
    status_text: str = ""
    #: Set when KPIs of the objective are "at risk" (planning's forecast rule): a
    #: sentence naming them for the tooltip; the box gets a small warning triangle.
    risk: str = ""


@dataclass(frozen=True)
class MapBand:
    """One perspective: its name and its objectives (in their own order)."""

    name: str
    boxes: tuple[MapBox, ...]


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle in SVG user units."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    def overlaps(self, other: Rect) -> bool:
        """True when the two rectangles share some area (touching edges do not count)."""
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )

    def contains(self, other: Rect) -> bool:
        """True when ``other`` lies entirely inside this rectangle."""
        return (
            self.x <= other.x
            and self.y <= other.y
            and other.right <= self.right
            and other.bottom <= self.bottom
        )


@dataclass
class MapLayout:
    """Where everything goes: band areas, box rectangles, waypoints and arrow paths."""

    width: float
    height: float
    bands: list[Rect]
    rows: list[list[str]]  # node keys per band in drawing order (waypoints included)
    boxes: dict[str, Rect]
    box_band: dict[str, int]
    waypoints: dict[str, Rect] = field(default_factory=dict)
    paths: list[tuple[str, str, str]] = field(default_factory=list)  # (cause, effect, d)
    #: Same-lane links' routes as polylines (cause, effect) → points, for the tests.
    lane_routes: dict[tuple[str, str], list[Point]] = field(default_factory=dict)
    #: Keys of the boxes placed by hand.
    placed: set[str] = field(default_factory=set)


# --- ordering ---------------------------------------------------------------------------


def _layered_graph(
    bands: list[MapBand], links: list[tuple[str, str]]
) -> tuple[list[list[str]], list[tuple[str, str]], dict[tuple[str, str], list[str]]]:
    """Rows of node keys (boxes plus waypoints) and the edges between adjacent rows.

    Returns the rows, the edges (upper node, lower node) and, per link, the chain of
    node keys from cause to effect.
    """
    rows = [[box.key for box in band.boxes] for band in bands]
    band_of = {key: r for r, row in enumerate(rows) for key in row}
    edges: list[tuple[str, str]] = []
    chains: dict[tuple[str, str], list[str]] = {}
    for n, (cause, effect) in enumerate(links):
        if cause not in band_of or effect not in band_of or cause == effect:
            continue
        rc, re_ = band_of[cause], band_of[effect]
        if rc == re_:
            chains[(cause, effect)] = [cause, effect]
            continue
        step = 1 if re_ > rc else -1
        chain = [cause]
        for r in range(rc + step, re_, step):
            waypoint = f"\x00wp{n}:{r}"
            rows[r].append(waypoint)
            chain.append(waypoint)
        chain.append(effect)
        chains[(cause, effect)] = chain
        # Edges run between adjacent rows, stored as (upper node, lower node).
        pairs = itertools.pairwise(chain)
        edges += [(a, b) if step > 0 else (b, a) for a, b in pairs]
    return rows, edges, chains


def _positions(rows: list[list[str]]) -> dict[str, float]:
    """Each node's index in its row, centred on 0 so rows of different lengths line up."""
    return {key: i - (len(row) - 1) / 2 for row in rows for i, key in enumerate(row)}


def count_crossings(rows: list[list[str]], edges: list[tuple[str, str]]) -> int:
    """Pairs of edges between the same two adjacent rows that cross."""
    pos = {key: i for row in rows for i, key in enumerate(row)}
    row_of = {key: r for r, row in enumerate(rows) for key in row}
    by_rows: dict[int, list[tuple[int, int]]] = {}
    for upper, lower in edges:
        by_rows.setdefault(row_of[upper], []).append((pos[upper], pos[lower]))
    crossings = 0
    for segments in by_rows.values():
        for i, (a1, b1) in enumerate(segments):
            for a2, b2 in segments[i + 1 :]:
                if (a1 - a2) * (b1 - b2) < 0:
                    crossings += 1
    return crossings


def order_rows(
    rows: list[list[str]], edges: list[tuple[str, str]], sweeps: int = SWEEPS
) -> list[list[str]]:
    """Rows reordered to reduce crossings (barycentre heuristic, best order kept)."""
    rows = [list(row) for row in rows]
    up: dict[str, list[str]] = {}
    down: dict[str, list[str]] = {}
    for upper, lower in edges:
        down.setdefault(upper, []).append(lower)
        up.setdefault(lower, []).append(upper)
    best = [list(row) for row in rows]
    best_crossings = count_crossings(rows, edges)
    for sweep in range(sweeps):
        downward = sweep % 2 == 0
        order = range(1, len(rows)) if downward else range(len(rows) - 2, -1, -1)
        for r in order:
            pos = _positions(rows)
            neighbours = up if downward else down

            def centre(
                key: str, pos: dict[str, float] = pos, neighbours: dict[str, list[str]] = neighbours
            ) -> float:
                linked = [pos[n] for n in neighbours.get(key, ())]
                return sum(linked) / len(linked) if linked else pos[key]

            # A stable sort keeps unlinked boxes in their given order relative to each other.
            rows[r].sort(key=centre)
        crossings = count_crossings(rows, edges)
        if crossings < best_crossings:
            best, best_crossings = [list(row) for row in rows], crossings
    return best


def order_boxes(
    bands: list[MapBand], links: list[tuple[str, str]], sweeps: int = SWEEPS
) -> list[list[MapBox]]:
    """Boxes per band in the order the map draws them (waypoints left out)."""
    rows, edges, _ = _layered_graph(bands, links)
    ordered = order_rows(rows, edges, sweeps)
    by_key = {box.key: box for band in bands for box in band.boxes}
    return [[by_key[key] for key in row if key in by_key] for row in ordered]


# --- geometry ---------------------------------------------------------------------------


def _node_w(key: str) -> float:
    return WAYPOINT_W if key.startswith("\x00") else BOX_W


def _assign_x(
    rows: list[list[str]], edges: list[tuple[str, str]], left: float, right: float
) -> dict[str, float]:
    """Centre x of every node: start packed and centred, then pull each node towards the
    mean x of its neighbours in the adjacent bands, keeping the order and the gaps.

    Waypoints follow their neighbours closely, so long arrows run nearly straight.
    """
    neighbours: dict[str, list[str]] = {}
    for upper, lower in edges:
        neighbours.setdefault(upper, []).append(lower)
        neighbours.setdefault(lower, []).append(upper)
    x: dict[str, float] = {}
    for row in rows:
        width = sum(_node_w(k) for k in row) + GAP_X * max(0, len(row) - 1)
        cursor = left + (right - left - width) / 2
        for key in row:
            x[key] = cursor + _node_w(key) / 2
            cursor += _node_w(key) + GAP_X
    for sweep in range(SWEEPS):
        order = range(len(rows)) if sweep % 2 == 0 else range(len(rows) - 1, -1, -1)
        for r in order:
            row = rows[r]
            if not row:
                continue
            want = [
                sum(x[n] for n in neighbours[k]) / len(neighbours[k]) if k in neighbours else x[k]
                for k in row
            ]
            pos = list(want)

            def gap(i: int, row: list[str] = row) -> float:
                return (_node_w(row[i - 1]) + _node_w(row[i])) / 2 + GAP_X

            pos[0] = max(pos[0], left + _node_w(row[0]) / 2)
            for i in range(1, len(row)):
                pos[i] = max(pos[i], pos[i - 1] + gap(i))
            pos[-1] = min(pos[-1], right - _node_w(row[-1]) / 2)
            for i in range(len(row) - 2, -1, -1):
                pos[i] = min(pos[i], pos[i + 1] - gap(i + 1))
            pos[0] = max(pos[0], left + _node_w(row[0]) / 2)
            for i in range(1, len(row)):
                pos[i] = max(pos[i], pos[i - 1] + gap(i))
            for key, value in zip(row, pos, strict=True):
                x[key] = value
    return x


def _refine(
    rows: list[list[str]], edges: list[tuple[str, str]], x: dict[str, float], rounds: int = 3
) -> list[list[str]]:
    """Re-sort each band by where its nodes' neighbours actually are (their x, not their
    index), keeping a new order only when it adds no crossing. This moves a waypoint
    next to the boxes its arrow joins when the index-based sweeps left a tie."""
    neighbours: dict[str, list[str]] = {}
    for upper, lower in edges:
        neighbours.setdefault(upper, []).append(lower)
        neighbours.setdefault(lower, []).append(upper)
    rows = [list(row) for row in rows]
    crossings = count_crossings(rows, edges)
    for _ in range(rounds):
        changed = False
        for r, row in enumerate(rows):
            wanted = sorted(
                row,
                key=lambda k: (
                    sum(x[n] for n in neighbours[k]) / len(neighbours[k])
                    if k in neighbours
                    else x[k]
                ),
            )
            if wanted == row:
                continue
            candidate = [*rows[:r], wanted, *rows[r + 1 :]]
            count = count_crossings(candidate, edges)
            if count <= crossings:
                rows, crossings, changed = candidate, count, True
        if not changed:
            break
    return rows


#: Positions by hand: objective key → (left x, top offset within its band).
Positions = dict[str, tuple[float, float]]
#: How far down its band a box may be placed (its top offset runs 0 … this).
MAX_DY = BAND_H - BOX_H
#: How high up its band a box may be placed: room stays above it for same-lane tracks.
MIN_DY = 18
#: Rightmost left edge a box may be placed at (the map grows to hold it).
MAX_X = 4000.0


def layout(
    bands: list[MapBand], links: list[tuple[str, str]], positions: Positions | None = None
) -> MapLayout:
    """Place bands, boxes and waypoints, and route every arrow.

    ``positions`` overrides the automatic place of the boxes it names (kept inside
    their band); keys of objectives not on the map are ignored.
    """
    positions = positions or {}
    rows, edges, chains = _layered_graph(bands, links)
    rows = order_rows(rows, edges)
    row_widths = [sum(_node_w(k) for k in row) + GAP_X * max(0, len(row) - 1) for row in rows]
    inner = max(max(row_widths, default=BOX_W), BOX_W * 3 + GAP_X * 2)
    width = LABEL_W + PAD + inner + PAD
    height = len(rows) * BAND_H + PAD
    left, right = LABEL_W + PAD, LABEL_W + PAD + inner
    centres = _assign_x(rows, edges, left, right)
    rows = _refine(rows, edges, centres)
    centres = _assign_x(rows, edges, left, right)
    band_rects: list[Rect] = []
    boxes: dict[str, Rect] = {}
    waypoints: dict[str, Rect] = {}
    box_band: dict[str, int] = {}
    placed: set[str] = set()
    for r, row in enumerate(rows):
        top = PAD / 2 + r * BAND_H
        box_y = top + (BAND_H - BOX_H) / 2
        for key in row:
            w = _node_w(key)
            rect = Rect(centres[key] - w / 2, box_y, w, BOX_H)
            if key.startswith("\x00"):
                waypoints[key] = rect
                continue
            if key in positions:
                x, dy = positions[key]
                x = min(max(x, left), MAX_X)
                dy = min(max(dy, MIN_DY), MAX_DY)
                rect = Rect(x, top + dy, w, BOX_H)
                placed.add(key)
            boxes[key] = rect
            box_band[key] = r
        _make_room(row, boxes, placed)
    width = max([width] + [rect.right + PAD for rect in boxes.values()])
    for r in range(len(rows)):
        band_rects.append(Rect(0, PAD / 2 + r * BAND_H, width, BAND_H))
    result = MapLayout(width, height, band_rects, rows, boxes, box_band, waypoints, placed=placed)
    result.paths = _route(result, links, chains)
    return result


def _make_room(row: list[str], boxes: dict[str, Rect], placed: set[str]) -> None:
    """Move the band's automatically placed boxes right, in their order, until none
    overlaps a box placed by hand or another automatic one (placed boxes never move).

    An objective added after the map was arranged so gets a free spot of its own.
    """
    fixed = sorted((boxes[k] for k in row if k in placed), key=lambda rect: rect.x)
    if not fixed:
        return
    cursor = float("-inf")
    for key in sorted((k for k in row if k in boxes and k not in placed), key=lambda k: boxes[k].x):
        rect = boxes[key]
        x = max(rect.x, cursor)
        for other in fixed:  # left to right: skipping one may run into the next
            if x < other.right + GAP_X and other.x < x + rect.w + GAP_X:
                x = other.right + GAP_X
        boxes[key] = Rect(x, rect.y, rect.w, rect.h)
        cursor = x + rect.w + GAP_X


def _route(
    lay: MapLayout, links: list[tuple[str, str]], chains: dict[tuple[str, str], list[str]]
) -> list[tuple[str, str, str]]:
    """Curves for every link, each end at its own port along the box edge.

    Ports on one edge are spread out and ordered by where the arrow goes next, so
    arrows meeting one box do not pile up on a single point and cross less.
    """
    nodes = {**lay.boxes, **lay.waypoints}
    wanted = [(c, e) for c, e in links if (c, e) in chains]
    ends: dict[tuple[str, str], list[tuple[float, int, str]]] = {}
    for index, (cause, effect) in enumerate(wanted):
        chain = chains[(cause, effect)]
        rc, re_ = lay.box_band[cause], lay.box_band[effect]
        if rc == re_:
            cause_edge = effect_edge = "top"
        elif rc > re_:  # the cause sits below its effect: the usual direction on a map
            cause_edge, effect_edge = "top", "bottom"
        else:
            cause_edge, effect_edge = "bottom", "top"
        ends.setdefault((cause, cause_edge), []).append((nodes[chain[1]].cx, index, "cause"))
        ends.setdefault((effect, effect_edge), []).append((nodes[chain[-2]].cx, index, "effect"))
    ports: dict[tuple[int, str], tuple[float, float]] = {}
    for (key, edge), items in ends.items():
        rect = lay.boxes[key]
        y = rect.y if edge == "top" else rect.bottom
        usable = rect.w - 24  # keep ports off the rounded corners
        for n, (_, index, role) in enumerate(sorted(items)):
            ports[(index, role)] = (rect.x + 12 + usable * (n + 1) / (len(items) + 1), y)
    lanes: dict[int, list[int]] = {}  # band → indexes of its same-lane links
    for index, (cause, effect) in enumerate(wanted):
        if lay.box_band[cause] == lay.box_band[effect]:
            lanes.setdefault(lay.box_band[cause], []).append(index)
    for band, indexes in lanes.items():
        ceiling = min(rect.y for key, rect in lay.boxes.items() if lay.box_band[key] == band)
        room = ceiling - TRACK_CLEARANCE - (lay.bands[band].y + 4)
        lane_links = [LaneLink(*ports[(i, "cause")], *ports[(i, "effect")]) for i in indexes]
        for i, route in zip(indexes, route_lane(lane_links, ceiling, room), strict=True):
            lay.lane_routes[wanted[i]] = route
    paths = []
    for index, (cause, effect) in enumerate(wanted):
        chain = chains[(cause, effect)]
        if (cause, effect) in lay.lane_routes:
            d = rounded_path(lay.lane_routes[(cause, effect)])
        else:
            sx, sy = ports[(index, "cause")]
            tx, ty = ports[(index, "effect")]
            d = _chain_path((sx, sy), [nodes[k] for k in chain[1:-1]], (tx, ty))
        paths.append((cause, effect, d))
    return paths


def _chain_path(start: tuple[float, float], waypoints: list[Rect], end: tuple[float, float]) -> str:
    """A smooth path from ``start`` through each waypoint's gap (straight up or down
    through the band) to ``end``."""
    going_up = end[1] < start[1]
    points: list[tuple[float, float]] = [start]
    for wp in waypoints:
        enter, leave = (wp.bottom, wp.y) if going_up else (wp.y, wp.bottom)
        points += [(wp.cx, enter), (wp.cx, leave)]
    points.append(end)
    d = f"M{points[0][0]:.1f},{points[0][1]:.1f}"
    for i in range(1, len(points)):
        (x0, y0), (x1, y1) = points[i - 1], points[i]
        if i % 2 == 1:  # between bands: an S-curve that leaves and arrives vertically
            mid = (y0 + y1) / 2
            d += f" C{x0:.1f},{mid:.1f} {x1:.1f},{mid:.1f} {x1:.1f},{y1:.1f}"
        else:  # through a waypoint's gap: straight
            d += f" L{x1:.1f},{y1:.1f}"
    return d


# --- drawing ----------------------------------------------------------------------------


def _label_lines(name: str, width: int = NAME_WIDTH, lines: int = 2) -> list[str]:
    """Wrap ``name`` onto at most ``lines`` lines, ending with … when cut."""
    wrapped = textwrap.wrap(name, width, break_long_words=True) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return wrapped


def render_map(
    bands: list[MapBand],
    links: list[tuple[str, str]],
    title: str = "Strategy map",
    marks: dict[tuple[str, str], tuple[str, str]] | None = None,
    positions: Positions | None = None,
) -> str:
    """SVG text of the map; every name is escaped.

    ``marks`` optionally tags links with what the data say about them (planning app):
    (cause, effect) → (verdict, sentence); the verdict styles the arrow
    (supported, weak, contradicted, untested) and the sentence joins its tooltip.
    ``positions`` places boxes by hand (see :func:`layout`). Every box carries its
    key and place in ``data-`` attributes for the page's arranging script.
    """
    marks = marks or {}
    lay = layout(bands, links, positions)
    by_key = {box.key: box for band in bands for box in band.boxes}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {lay.width:.0f} {lay.height:.0f}" '
        f'width="{lay.width:.0f}" height="{lay.height:.0f}" '
        f'role="group" aria-label="{escape(title)}" class="strategy-map" '
        f'data-min-dy="{MIN_DY}" data-max-dy="{MAX_DY}" data-min-x="{LABEL_W + PAD}">',
        "<title>" + escape(title) + "</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#5b6670"/></marker></defs>',
        # Font longhands, not the ``font`` shorthand: WeasyPrint's SVG renderer (PDF
        # reports) misreads the shorthand and draws the text hundreds of pixels high.
        # Every rule is scoped to the map: the SVG sits inside the page, so a bare ``a`` or
        # ``.link`` rule would restyle (or hide the focus ring of) the whole page.
        "<style>.strategy-map text"
        "{font-family:system-ui,'Liberation Sans','DejaVu Sans','Noto Sans CJK SC',sans-serif}"
        ".strategy-map .band{font-weight:600;font-size:13px;fill:#3d4852}"
        ".strategy-map .name{font-weight:600;font-size:12.5px;fill:#1f2933}"
        ".strategy-map .score{font-weight:600;font-size:12px;fill:#3d4852}"
        ".strategy-map .status{font-size:11.5px;fill:#5b6670}"
        ".strategy-map .link{fill:none;stroke:#6b7580;stroke-width:1.4;opacity:.8}"
        ".strategy-map .link.supported{stroke:#2e9e5b;stroke-width:2}"
        ".strategy-map .link.contradicted{stroke:#d64545;stroke-width:2;stroke-dasharray:7 4}"
        ".strategy-map .link.untested{stroke-dasharray:2 4}"
        ".strategy-map a:focus rect.box,.strategy-map a:hover rect.box{stroke-width:3}</style>",
    ]
    # Bands first, then arrows, then boxes: a box drawn over an arrow hides it.
    for r, (band, rect) in enumerate(zip(bands, lay.bands, strict=True)):
        shade = "#f3f5f8" if r % 2 == 0 else "#fafbfc"
        lines = _label_lines(band.name, 18)
        first = rect.y + rect.h / 2 + 5 - 8 * (len(lines) - 1)
        label = "".join(
            f'<text x="14" y="{first + 16 * n:.0f}" class="band">{escape(line)}</text>'
            for n, line in enumerate(lines)
        )
        parts.append(
            f'<rect x="0" y="{rect.y:.0f}" width="{rect.w:.0f}" height="{rect.h:.0f}" '
            f'fill="{shade}"/>{label}'
        )
    for cause, effect, d in lay.paths:
        verdict, sentence = marks.get((cause, effect), ("", ""))
        css = f"link {verdict}" if verdict in EVIDENCE_CLASSES else "link"
        note = f" — evidence {sentence}" if sentence else ""
        parts.append(
            f'<path class="{css}" d="{d}" marker-end="url(#arrow)">'
            f"<title>{escape(by_key[cause].name)} → {escape(by_key[effect].name)}"
            f"{escape(note)}</title></path>"
        )
    for key, rect in lay.boxes.items():
        parts.append(_box(by_key[key], rect, lay.bands[lay.box_band[key]].y))
    parts.append("</svg>")
    return "".join(parts)


def _box(box: MapBox, rect: Rect, band_top: float) -> str:
    color = box.color or COLORS.get(box.status, "#9aa1a9")
    x, y = rect.x, rect.y
    lines = _label_lines(box.name)
    text = "".join(
        f'<text x="{x + 16:.0f}" y="{y + 21 + 16 * n:.0f}" class="name">{escape(line)}</text>'
        for n, line in enumerate(lines)
    )
    status_text = box.status_text or box.status.replace("_", " ")
    label = f"{box.name}: {box.score_text}, {status_text}"
    risk = ""
    if box.risk:
        label += f"; {box.risk}"
        # A small triangle in the top right corner (names wrap before reaching it).
        tx, ty = x + rect.w - 14, y + 13
        risk = (
            f'<path class="risk" d="M{tx:.0f} {ty - 4:.0f} L{tx + 5:.0f} {ty + 4:.0f} '
            f'L{tx - 5:.0f} {ty + 4:.0f} Z" fill="#d64545"/>'
        )
    return (
        f'<a href="{escape(box.url)}" aria-label="{escape(label)}" class="mapbox" '
        f'data-key="{escape(box.key)}" data-x="{x:.0f}" data-dy="{y - band_top:.0f}">'
        f"<title>{escape(label)}</title>"
        f'<rect class="box" x="{x:.0f}" y="{y:.0f}" width="{rect.w:.0f}" height="{rect.h:.0f}" '
        f'rx="8" fill="#fff" stroke="{escape(color)}" stroke-width="1.6"/>'
        f'<rect x="{x:.0f}" y="{y:.0f}" width="6" height="{rect.h:.0f}" rx="3" '
        f'fill="{escape(color)}"/>'
        f"{text}"
        f'<circle cx="{x + 20:.0f}" cy="{y + rect.h - 13:.0f}" r="4" fill="{escape(color)}"/>'
        f'<text x="{x + 29:.0f}" y="{y + rect.h - 9:.0f}" class="status">'
        f"{escape(status_text)}</text>"
        f'<text x="{x + rect.w - 10:.0f}" y="{y + rect.h - 9:.0f}" text-anchor="end" '
        f'class="score">{escape(box.score_text)}</text>{risk}</a>'
    )
