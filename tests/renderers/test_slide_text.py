"""The slide's text metrics: width tables equal to the installed DejaVu fonts, wrapping, ellipsis, glyphs."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from journeyctl.renderers import svg
from journeyctl.renderers.slide_text import _CHARACTERS, _UNITS_PER_EM, _WIDTHS, ELLIPSIS, text_width, wrap
from tests.conftest import require_tool
from tests.renderers.rendercases import CHECKOUT, FIDELITY, case_id, example_maps, load

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
SVG_NS = "{http://www.w3.org/2000/svg}"


@cache
def font(name: str) -> Any:
    path = DEJAVU / name
    require_tool(f"the DejaVu font {name} (fonts-dejavu-core)", str(path) if path.exists() else None)
    from fontTools.ttLib import TTFont

    return TTFont(str(path))


def advances(name: str) -> dict[str, float]:
    face = font(name)
    cmap = face.getBestCmap()
    return {char: face["hmtx"][cmap[ord(char)]][0] / _UNITS_PER_EM for char in _CHARACTERS}


@pytest.mark.parametrize(("name", "bold"), [("DejaVuSans.ttf", False), ("DejaVuSans-Bold.ttf", True)])
def test_width_tables_are_the_installed_fonts_advances(name: str, bold: bool) -> None:
    assert font(name)["head"].unitsPerEm == _UNITS_PER_EM
    assert advances(name) == _WIDTHS[bold]


def test_oblique_text_is_measured_with_the_upright_widths_within_two_percent() -> None:
    # Branch steps are drawn in italic and measured as upright: DejaVu Sans Oblique has
    # the same advances but for « » Þ æ, which are at most 1.4% wider.
    upright, oblique = advances("DejaVuSans.ttf"), advances("DejaVuSans-Oblique.ttf")
    wider = {char for char in _CHARACTERS if oblique[char] > upright[char]}
    assert wider <= set("«»Þæ")
    assert all(oblique[char] <= upright[char] * 1.02 for char in _CHARACTERS)


@pytest.mark.parametrize(
    ("text", "width", "lines", "expected"),
    [
        ("short", 200, 2, ["short"]),
        ("", 200, 2, []),
        ("  spaces\n and\tnewlines  ", 400, 2, ["spaces and newlines"]),
        ("one two three four five six", 100, 2, ["one two three", "four five six"]),
        ("one two three four five six seven", 100, 2, ["one two three", "four five six…"]),
        ("Supercalifragilisticexpialidocious", 100, 2, ["Supercalifragi", "listicexpiali…"]),
        ("W", 5, 2, ["W"]),  # not even one character fits: drawn rather than lost
    ],
)
def test_wrap(text: str, width: float, lines: int, expected: list[str]) -> None:
    assert wrap(text, width, 14, lines=lines) == expected


@pytest.mark.parametrize("width", [40, 90, 150, 333])
@pytest.mark.parametrize(
    "text", ["Looks through the photos and the size guide on the product page", "x" * 500]
)
def test_every_wrapped_line_fits_its_width(text: str, width: float) -> None:
    for bold in (False, True):
        for line in wrap(text, width, 14, bold=bold, lines=3):
            assert text_width(line, 14, bold=bold) <= width
    assert wrap(text, width, 14, lines=1)[0].endswith(ELLIPSIS)


def test_a_ten_megabyte_word_is_cut_in_linear_time() -> None:
    import time

    started = time.perf_counter()
    lines = wrap("x" * 10_000_000 + " tail", 200, 14, lines=2)
    assert time.perf_counter() - started < 1
    assert len(lines) == 2 and lines[1].endswith(ELLIPSIS)


@pytest.mark.parametrize("path", [CHECKOUT, FIDELITY, *example_maps()], ids=case_id)
def test_every_character_drawn_has_a_glyph_in_dejavu_sans(path: Path) -> None:
    """No missing-glyph boxes in the slide of any example (journeyctl's own marks included)."""
    root = ET.fromstring(svg.render(load(path), svg.Options()))
    drawn = {char for node in root.iter(f"{SVG_NS}text") for char in "".join(node.itertext())}
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        cmap = font(name).getBestCmap()
        assert sorted(char for char in drawn if ord(char) not in cmap) == [], name
