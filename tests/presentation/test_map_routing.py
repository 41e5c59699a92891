"""Same-lane links of the strategy map: routes that never share a stretch of path.

Pure functions, worked examples; the last tests run the whole layout.
"""

from __future__ import annotations

import itertools

import pytest

from scorecard.presentation.map_routing import (
    MIN_TRACK_SPACING,
    TRACK_CLEARANCE,
    TRACK_SPACING,
    LaneLink,
    assign_tracks,
    rounded_path,
    route_lane,
    shared_stretch,
    track_spacing,
)
from scorecard.presentation.strategy_map import (
    BOX_W,
    GAP_X,
    MIN_DY,
    MapBand,
    MapBox,
    layout,
)


@pytest.mark.parametrize(
    ("spans", "tracks"),
    [
        ([], []),
        ([(0, 10)], [0]),
        # Apart, or only touching at an end: one track will do.
        ([(0, 10), (20, 30)], [0, 0]),
        ([(0, 10), (10, 30)], [0, 0]),
        # Overlapping: two tracks, the shorter one lower.
        ([(0, 300), (100, 200)], [1, 0]),
        ([(0, 150), (100, 300)], [0, 1]),
        # Nested three deep: shortest lowest, longest highest.
        ([(0, 500), (100, 400), (200, 300)], [2, 1, 0]),
        # Two short ones side by side under one long one share the low track.
        ([(0, 100), (200, 300), (0, 300)], [0, 0, 1]),
        # Three overlapping a common point: three tracks.
        ([(0, 200), (50, 250), (100, 300)], [0, 1, 2]),
    ],
)
def test_tracks(spans: list[tuple[float, float]], tracks: list[int]) -> None:
    assert assign_tracks(spans) == tracks


@pytest.mark.parametrize(
    ("tracks", "room", "spacing"),
    [
        (1, 0, TRACK_SPACING),
        (3, 100, TRACK_SPACING),  # plenty of room: the preferred spacing
        (5, 14, 3.5),  # squeezed to fit
        (9, 10, MIN_TRACK_SPACING),  # never below the smallest
    ],
)
def test_track_spacing(tracks: int, room: float, spacing: float) -> None:
    assert track_spacing(tracks, room) == spacing


@pytest.mark.parametrize(
    ("a", "b", "shared"),
    [
        ([(0, 0), (0, -10), (100, -10)], [(50, -10), (200, -10)], 50),  # one line, 50 common
        ([(0, 0), (0, -10), (100, -10)], [(100, -10), (200, -10)], 0),  # only touching
        ([(0, 0), (0, -10), (100, -10)], [(50, 0), (50, -20)], 0),  # crossing, not sharing
        ([(0, 0), (0, -10)], [(0, -5), (0, -30)], 5),  # vertical, 5 in common
        ([(0, 0), (0, -10)], [(1, 0), (1, -10)], 0),  # parallel, apart
    ],
)
def test_shared_stretch(a: list, b: list, shared: float) -> None:
    assert shared_stretch(a, b) == shared


# Worked examples: (ports of each link as (sx, tx)), all ports on box tops at y = 100.
LANE_EXAMPLES = {
    # The case: two neighbours both pointing at a third box (the old arcs ran
    # together for about 140 px).
    "two into one box": [(150, 470), (380, 500)],
    "one box into two": [(170, 320), (190, 560)],
    "nested": [(100, 800), (300, 600), (400, 500)],
    "chain": [(100, 300), (320, 500), (520, 700)],
    "both ways": [(150, 400), (420, 170)],
    "many crossing": [(100 + 37 * i, 900 - 41 * i) for i in range(9)],
}


@pytest.mark.parametrize("name", LANE_EXAMPLES)
def test_no_two_same_lane_routes_share_a_stretch(name: str) -> None:
    links = [LaneLink(sx, 100, tx, 100) for sx, tx in LANE_EXAMPLES[name]]
    routes = route_lane(links, ceiling=100, room=20)
    for a, b in itertools.combinations(routes, 2):
        assert shared_stretch(a, b) == 0, (a, b)
    for link, route in zip(links, routes, strict=True):
        # Up from the cause's port, along a track above the boxes, down into the effect.
        assert route[0] == (link.sx, 100) and route[-1] == (link.tx, 100)
        assert route[1][1] == route[2][1] <= 100 - TRACK_CLEARANCE


def test_the_two_into_one_box_example_uses_two_heights() -> None:
    links = [LaneLink(150, 100, 470, 100), LaneLink(380, 100, 500, 100)]
    first, second = route_lane(links, ceiling=100, room=20)
    assert second[1][1] == 100 - TRACK_CLEARANCE  # the short one low
    assert first[1][1] == 100 - TRACK_CLEARANCE - TRACK_SPACING  # the long one over it


def test_rounded_path_keeps_the_ends() -> None:
    d = rounded_path([(0, 100), (0, 80), (50, 80), (50, 100)])
    assert d.startswith("M0.0,100.0") and d.endswith("L50.0,100.0")
    assert d.count("Q") == 2


def _lane_map(keys: str) -> list[MapBand]:
    return [MapBand("Band", tuple(MapBox(k, k.upper(), "green", "1 %", "#") for k in keys))]


def test_layout_routes_several_same_lane_links_apart() -> None:
    links = [("a", "c"), ("b", "c"), ("a", "d"), ("d", "b"), ("e", "a"), ("c", "e")]
    lay = layout(_lane_map("abcde"), links)
    assert set(lay.lane_routes) == set(links)
    for a, b in itertools.combinations(lay.lane_routes.values(), 2):
        assert shared_stretch(a, b) == 0
    # Every route stays above the boxes and inside the band.
    for route in lay.lane_routes.values():
        assert all(lay.bands[0].y < y <= lay.boxes["a"].y for _, y in route)


def test_layout_keeps_boxes_placed_by_hand_and_routes_them() -> None:
    links = [("a", "c"), ("b", "c")]
    auto = layout(_lane_map("abc"), links)
    moved = layout(_lane_map("abc"), links, {"c": (auto.boxes["a"].x, 20)})
    # c keeps its automatic place elsewhere; placed by hand it sits where it was put.
    assert moved.boxes["c"].y == moved.bands[0].y + 20
    assert moved.placed == {"c"}
    for a, b in itertools.combinations(moved.lane_routes.values(), 2):
        assert shared_stretch(a, b) == 0


@pytest.mark.parametrize(
    ("position", "x", "dy"),
    [
        ((-500, -20), "left", MIN_DY),  # clamped into the band, right of the labels
        ((900, 9999), 900, 68),
        ((99999, 25), 4000, 25),
    ],
)
def test_positions_are_kept_inside_the_map(position: tuple, x: object, dy: float) -> None:
    lay = layout(_lane_map("ab"), [], {"a": position})
    left = lay.bands[0].x + 150 + 16
    assert lay.boxes["a"].x == (left if x == "left" else x)
    assert lay.boxes["a"].y - lay.bands[0].y == dy
    assert lay.width >= lay.boxes["a"].right  # the map grows to hold the box


def test_objectives_added_later_keep_the_automatic_place() -> None:
    auto = layout(_lane_map("ab"), [])
    later = layout(_lane_map("abz"), [], {"a": (auto.boxes["a"].x, 34), "b": (900, 34)})
    assert later.placed == {"a", "b"}
    assert "z" in later.boxes and later.boxes["z"].w == BOX_W
    # Unknown keys (an objective deleted since) are ignored.
    assert layout(_lane_map("a"), [], {"gone": (300, 0)}).placed == set()
    assert GAP_X > 0


def test_automatic_boxes_make_room_for_boxes_placed_by_hand() -> None:
    auto = layout(_lane_map("abc"), [])
    # c is dropped exactly where a sits: a and b move right of it, keeping their order.
    lay = layout(_lane_map("abc"), [], {"c": (auto.boxes["a"].x, 34)})
    assert lay.boxes["c"].x == auto.boxes["a"].x
    boxes = list(lay.boxes.values())
    for one, other in itertools.combinations(boxes, 2):
        assert not one.overlaps(other)
    assert lay.boxes["c"].right < lay.boxes["a"].x < lay.boxes["b"].x


def test_tracks_stay_on_the_map_when_a_box_is_placed_at_the_top_of_the_first_band() -> None:
    links = [("a", "c"), ("b", "c"), ("a", "b")]
    lay = layout(_lane_map("abc"), links, {"c": (900, 0)})
    assert lay.boxes["c"].y == lay.bands[0].y + MIN_DY
    for route in lay.lane_routes.values():
        assert all(y >= 0 for _, y in route)
    for one, other in itertools.combinations(lay.lane_routes.values(), 2):
        assert shared_stretch(one, other) == 0
