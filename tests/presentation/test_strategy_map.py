"""The strategy map's layout and drawing: pure functions, no database."""

from __future__ import annotations

import itertools
import re

from scorecard.presentation.strategy_map import (
    BOX_H,
    MapBand,
    MapBox,
    _layered_graph,
    count_crossings,
    layout,
    order_boxes,
    render_map,
)


def box(key: str, name: str = "", status: str = "green") -> MapBox:
    return MapBox(key=key, name=name or key.upper(), status=status, score_text="50.0 %", url="#")


def bands_of(*rows: str) -> list[MapBand]:
    """``bands_of("ab", "cd")``: band 0 holds boxes a and b, band 1 holds c and d."""
    return [MapBand(f"Band {n}", tuple(box(k) for k in row)) for n, row in enumerate(rows)]


def big_map() -> tuple[list[MapBand], list[tuple[str, str]]]:
    """24 objectives in four bands with links up, across and skipping bands."""
    rows = [[f"f{i}" for i in range(4)], [f"c{i}" for i in range(6)],
            [f"p{i}" for i in range(8)], [f"l{i}" for i in range(6)]]  # fmt: skip
    bands = [MapBand(f"Band {n}", tuple(box(k) for k in row)) for n, row in enumerate(rows)]
    links = []
    for upper, lower in itertools.pairwise(rows):
        for i, key in enumerate(lower):
            links.append((key, upper[(i * 3 + 1) % len(upper)]))
            links.append((key, upper[(len(upper) - 1 - i) % len(upper)]))
    links += [("l0", "f3"), ("l5", "c0"), ("p1", "p6"), ("c2", "c4")]
    return bands, sorted(set(links))


def test_every_box_lies_inside_its_band_and_no_two_overlap() -> None:
    bands, links = big_map()
    lay = layout(bands, links)
    assert len(lay.boxes) == 24
    for key, rect in lay.boxes.items():
        band = lay.bands[lay.box_band[key]]
        assert band.contains(rect), key
        assert rect.x >= 0 and rect.right <= lay.width
    everything = list(lay.boxes.values()) + list(lay.waypoints.values())
    for a, b in itertools.combinations(everything, 2):
        assert not a.overlaps(b)


def test_bands_follow_the_given_order_first_on_top() -> None:
    bands, links = big_map()
    lay = layout(bands, links)
    tops = [rect.y for rect in lay.bands]
    assert tops == sorted(tops)
    assert lay.box_band["f0"] == 0 and lay.box_band["l0"] == 3


def test_barycentre_ordering_removes_crossings_of_a_crossed_example() -> None:
    # a↔z and b↔y drawn as given cross; swapping one row untangles them.
    bands = bands_of("ab", "yz")
    links = [("z", "a"), ("y", "b")]
    rows, edges, _ = _layered_graph(bands, links)
    assert count_crossings(rows, edges) == 1
    ordered = [[b.key for b in row] for row in order_boxes(bands, links)]
    assert count_crossings(ordered, edges) == 0


def test_ordering_reduces_crossings_on_a_bigger_map() -> None:
    bands, links = big_map()
    rows, edges, _ = _layered_graph(bands, links)
    before = count_crossings(rows, edges)
    after = count_crossings(layout(bands, links).rows, edges)
    assert after < before


def test_long_links_pass_between_boxes_not_through_them() -> None:
    # l → f skips the middle band, whose box m sits right in the way.
    bands = bands_of("f", "m", "l")
    lay = layout(bands, [("l", "f"), ("l", "m"), ("m", "f")])
    assert len(lay.waypoints) == 1
    waypoint = next(iter(lay.waypoints.values()))
    assert not waypoint.overlaps(lay.boxes["m"])
    path = next(d for cause, effect, d in lay.paths if (cause, effect) == ("l", "f"))
    # The path runs straight through the middle band at the waypoint's x.
    assert f"L{waypoint.cx:.1f},{waypoint.y:.1f}" in path


def test_arrows_run_from_the_cause_edge_facing_the_effect() -> None:
    bands = bands_of("e", "c")
    lay = layout(bands, [("c", "e")])
    (_, _, d) = lay.paths[0]
    start = [float(n) for n in re.match(r"M([\d.]+),([\d.]+)", d).groups()]
    end = [float(n) for n in re.findall(r"([\d.]+),([\d.]+)$", d)[0]]
    assert start[1] == lay.boxes["c"].y  # top edge of the cause (below)
    assert end[1] == lay.boxes["e"].y + BOX_H  # bottom edge of the effect (above)


def test_links_within_a_band_arc_above_the_boxes() -> None:
    lay = layout(bands_of("abc"), [("a", "c")])
    (_, _, d) = lay.paths[0]
    ys = [float(y) for y in re.findall(r",([\d.]+)", d)]
    assert min(ys) < lay.boxes["a"].y and min(ys) > lay.bands[0].y


def test_names_are_escaped_and_wrapped() -> None:
    evil = MapBox("x", "<script>alert(1)</script> and a very long objective name indeed",
                  "red", "10.0 %", "/o/x/?a=1&b=2")  # fmt: skip
    svg = render_map([MapBand("<b>Band</b>", (evil,))], [], title="Map of <i>it</i>")
    assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
    assert "&lt;script&gt;" in svg and "&lt;b&gt;Band" in svg
    assert "?a=1&amp;b=2" in svg
    assert svg.count('class="name"') == 2  # two lines, the rest cut with …
    assert "…" in svg


def test_status_is_written_not_only_coloured() -> None:
    svg = render_map(bands_of("a"), [], title="t")
    assert ">green<" in svg
    svg = render_map([MapBand("B", (MapBox("a", "A", "red", "1 %", "#", status_text="Red"),))], [])
    assert ">Red<" in svg and "A: 1 %, Red" in svg


def test_empty_map_renders() -> None:
    assert render_map([], []).startswith("<svg")
    assert "<rect" in render_map([MapBand("Financial", ())], [])
