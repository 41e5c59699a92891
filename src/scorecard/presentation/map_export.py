"""The strategy map as files to download: a standalone SVG and a PNG picture.

Both come from the SVG the map page draws (presentation/strategy_map.py), so the
files show the layout the page shows, boxes placed by hand included. The PNG is
rendered on the server by resvg (the resvg-py wheel; no system library needed),
which picks, for every character, an installed font that has it: names in any
script render when the server has a font for that script (DejaVu covers Latin,
Greek and Cyrillic; Noto CJK, Debian's fonts-noto-cjk, covers Chinese, Japanese
and Korean). :func:`missing_characters` tells which characters no installed font
has, so the page can say so instead of silently showing gaps.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import resvg_py
from fontTools.ttLib import TTCollection, TTFont, TTLibError

#: Pixels per map unit of the PNG: 2 gives a sharp picture on slides and screens.
PNG_SCALE = 2
#: Where the server's fonts live (fontconfig's usual folders on Linux).
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts"))
FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".otc"}
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
def installed_characters() -> frozenset[int]:
    """Every character some installed font can draw (read once per process)."""
    found: set[int] = set()
    for folder in FONT_DIRS:
        root = Path(folder)
        if not root.is_dir():
            continue
        for path in root.rglob("*"):
            if path.suffix.lower() not in FONT_SUFFIXES:
                continue
            try:
                if path.suffix.lower() in {".ttc", ".otc"}:
                    fonts = list(TTCollection(str(path), lazy=True).fonts)
                else:
                    fonts = [TTFont(str(path), lazy=True)]
                for font in fonts:
                    found.update((font.getBestCmap() or {}).keys())
            except (TTLibError, OSError, AssertionError, KeyError):
                continue  # a font file fontTools cannot read: skip it
    return frozenset(found)


def missing_characters(texts: list[str]) -> str:
    """The characters of ``texts`` that no installed font has (blanks ignored), in
    order of first appearance; empty when every name renders in the PNG."""
    have = installed_characters()
    seen: dict[str, None] = {}
    for text in texts:
        for char in text:
            if not char.isspace() and ord(char) not in have:
                seen.setdefault(char, None)
    return "".join(seen)
