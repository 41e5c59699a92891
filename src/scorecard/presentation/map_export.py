"""The strategy map as files to download: a standalone SVG and a PNG picture.

Both come from the SVG the map page draws (presentation/strategy_map.py), so the
files show the layout the page shows, boxes placed by hand included. The PNG is
rendered on the server by resvg (the resvg-py wheel; no system library needed),
which picks, for every character, an installed font that has it: names in any
script render when the server has a font for that script (DejaVu covers Latin,
Greek and Cyrillic; Noto CJK, Debian's fonts-noto-cjk, covers Chinese, Japanese
and Korean). :func:`missing_characters` tells which characters no installed font
has (asking fontconfig, which knows the same font folders), so the page can say so
instead of silently showing gaps.
"""

from __future__ import annotations

import bisect
import functools
import re
import shutil
import subprocess
import sys
from pathlib import Path

import resvg_py

#: Pixels per map unit of the PNG: 2 gives a sharp picture on slides and screens.
PNG_SCALE = 2
#: Where the server's fonts live (fontconfig's usual folders on Linux).
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts"))
_SIZE = re.compile(r'<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"')


def svg_document(svg: str) -> str:
    """The map's SVG as a file of its own (an XML declaration in front)."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n"


def svg_size(svg: str) -> tuple[int, int]:
    """Width and height (map units) the SVG declares."""
    match = _SIZE.search(svg)
    if match is None:
        raise ValueError("The SVG declares no width and height.")
    return round(float(match.group(1))), round(float(match.group(2)))


def png_of(svg: str, scale: int = PNG_SCALE) -> bytes:
    """PNG bytes of the SVG at ``scale`` pixels per unit, on a white background."""
    width, height = svg_size(svg)
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg,
            width=width * scale,
            height=height * scale,
            background="white",
            font_dirs=[d for d in FONT_DIRS if Path(d).is_dir()],
            sans_serif_family="DejaVu Sans",
        )
    )


@functools.cache
def installed_characters() -> tuple[tuple[int, int], ...]:
    """Ranges (first, last) of the characters some installed font draws, merged and
    sorted; read once per process from fontconfig's cache (``fc-list``, a fraction of a
    second). Empty when fontconfig is not installed: then nothing is reported missing."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    try:
        listing = subprocess.run(  # a fixed program and arguments, no user input
            [fc_list, "--format", "%{charset}\\n"],
            capture_output=True, text=True, timeout=30, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return ()
    ranges = []
    for item in listing.split():
        first, _, last = item.partition("-")
        try:
            ranges.append((int(first, 16), int(last or first, 16)))
        except ValueError:
            continue
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return tuple(merged)


def _drawn(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    i = bisect.bisect_right(ranges, (code, sys.maxunicode + 1)) - 1
    return i >= 0 and ranges[i][0] <= code <= ranges[i][1]


def missing_characters(texts: list[str]) -> str:
    """The characters of ``texts`` that no installed font has (blanks ignored), in
    order of first appearance; empty when every name renders in the PNG."""
    ranges = installed_characters()
    if not ranges:
        return ""  # no fontconfig to ask: say nothing rather than guess
    seen: dict[str, None] = {}
    for text in texts:
        for char in text:
            if not char.isspace() and not _drawn(ord(char), ranges):
                seen.setdefault(char, None)
    return "".join(seen)
