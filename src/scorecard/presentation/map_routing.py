"""Routes of the strategy map's same-lane links (cause and effect in one perspective).

Pure functions on plain numbers, so they are tested with tables of worked examples.

A same-lane link leaves its cause box straight up from its own port, runs along a
horizontal *track* above the band's boxes and comes straight down into its effect
box's port. Two links whose horizontal runs overlap get different tracks, so no two
routes share a stretch of path (the old arcs of two links into one box ran together
for about 140 px, and nobody could tell which arrow ended where):

- vertical pieces sit at the links' own ports, and no two link ends share a port;
- horizontal pieces of overlapping links sit on different tracks (heights), and the
  tracks of one band all hang from one ceiling, so different tracks never coincide.

Tracks are handed out shortest link first, each taking the lowest track that no
overlapping link already holds: short links stay low and long ones pass over them,
so nested links do not cross.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Point = tuple[float, float]

#: Height between the band's highest box top and the lowest track.
TRACK_CLEARANCE = 8.0
#: Preferred and smallest distance between two tracks.
TRACK_SPACING = 7.0
MIN_TRACK_SPACING = 3.0
#: Corner radius of a drawn route.
CORNER = 6.0


@dataclass(frozen=True)
class LaneLink:
    """A same-lane link reduced to its two ports: (x, y) where it leaves and arrives."""

    sx: float
    sy: float
    tx: float
    ty: float

    @property
    def span(self) -> tuple[float, float]:
        return (min(self.sx, self.tx), max(self.sx, self.tx))


def assign_tracks(spans: Sequence[tuple[float, float]]) -> list[int]:
    """Track number (0 = lowest) of every horizontal span; overlapping spans never share.

    Spans that only touch at an end do not overlap (they may share a track).
    """
    order = sorted(range(len(spans)), key=lambda i: (spans[i][1] - spans[i][0], spans[i][0]))
    tracks: list[int] = [0] * len(spans)
    placed: list[int] = []
    for i in order:
        lo, hi = spans[i]
        taken = {tracks[j] for j in placed if spans[j][0] < hi and lo < spans[j][1]}
        track = 0
        while track in taken:
            track += 1
        tracks[i] = track
        placed.append(i)
    return tracks


def track_spacing(tracks: int, room: float) -> float:
    """Distance between tracks: the preferred one when ``tracks`` fit in ``room``,
    else squeezed, never below the smallest (the top tracks then leave the band)."""
    if tracks <= 1:
        return TRACK_SPACING
    return max(MIN_TRACK_SPACING, min(TRACK_SPACING, room / (tracks - 1)))


def route_lane(links: Sequence[LaneLink], ceiling: float, room: float) -> list[list[Point]]:
    """Polylines of one band's same-lane links: up, along a track, down.

    ``ceiling`` is the y of the highest box top in the band (tracks hang above it);
    ``room`` the height above the lowest track that stays inside the band.
    """
    tracks = assign_tracks([link.span for link in links])
    spacing = track_spacing(max(tracks, default=0) + 1, room)
    routes = []
    for link, track in zip(links, tracks, strict=True):
        y = ceiling - TRACK_CLEARANCE - track * spacing
        routes.append([(link.sx, link.sy), (link.sx, y), (link.tx, y), (link.tx, link.ty)])
    return routes


def _segments(route: Sequence[Point]) -> list[tuple[Point, Point]]:
    return [(route[i], route[i + 1]) for i in range(len(route) - 1)]


def _shared(a: tuple[Point, Point], b: tuple[Point, Point]) -> float:
    """Length two axis-parallel segments have in common (0 unless collinear)."""
    (ax0, ay0), (ax1, ay1) = a
    (bx0, by0), (bx1, by1) = b
    if ax0 == ax1 and bx0 == bx1 and ax0 == bx0:  # both vertical on one line
        lo = max(min(ay0, ay1), min(by0, by1))
        hi = min(max(ay0, ay1), max(by0, by1))
        return max(0.0, hi - lo)
    if ay0 == ay1 and by0 == by1 and ay0 == by0:  # both horizontal on one line
        lo = max(min(ax0, ax1), min(bx0, bx1))
        hi = min(max(ax0, ax1), max(bx0, bx1))
        return max(0.0, hi - lo)
    return 0.0


def shared_stretch(a: Sequence[Point], b: Sequence[Point]) -> float:
    """Total length of path two routes have in common (0 for routes that only cross)."""
    return sum(_shared(p, q) for p in _segments(a) for q in _segments(b))


def rounded_path(points: Sequence[Point], radius: float = CORNER) -> str:
    """SVG path data along ``points`` with the corners rounded."""
    if not points:
        return ""
    d = f"M{points[0][0]:.1f},{points[0][1]:.1f}"
    for i in range(1, len(points) - 1):
        (x0, y0), (x1, y1), (x2, y2) = points[i - 1], points[i], points[i + 1]
        r_in = min(radius, (abs(x1 - x0) + abs(y1 - y0)) / 2)
        r_out = min(radius, (abs(x2 - x1) + abs(y2 - y1)) / 2)
        r = min(r_in, r_out)

        def toward(a: float, b: float, r: float = r) -> float:
            return a + (r if b > a else -r if b < a else 0.0)

        before = (toward(x1, x0), toward(y1, y0))
        after = (toward(x1, x2), toward(y1, y2))
        d += f" L{before[0]:.1f},{before[1]:.1f} Q{x1:.1f},{y1:.1f} {after[0]:.1f},{after[1]:.1f}"
    d += f" L{points[-1][0]:.1f},{points[-1][1]:.1f}"
    return d
