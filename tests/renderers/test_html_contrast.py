"""WCAG contrast of the HTML page's palette, computed from the CSS custom properties in html.css."""

from __future__ import annotations

import re

import pytest

from journeyctl.renderers import html

CSS = (html.TEMPLATES / "html.css").read_text(encoding="utf-8")
#: The site index's stylesheet builds on html.css's palette; its colours are checked the same way.
ALL_CSS = CSS + (html.TEMPLATES / "site.css").read_text(encoding="utf-8")


def css_variables(css: str) -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\}", css, re.S)
    assert root, "html.css has no :root block"
    return dict(re.findall(r"(--[a-z0-9-]+)\s*:\s*(#[0-9a-fA-F]{6})\s*;", root.group(1)))


VARIABLES = css_variables(CSS)


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [("#000000", "#ffffff", 21.0), ("#ffffff", "#ffffff", 1.0), ("#777777", "#ffffff", 4.48)],
)
def test_contrast_ratio_matches_wcag_reference_values(first: str, second: str, expected: float) -> None:
    assert contrast_ratio(first, second) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize(("foreground", "background"), html.TEXT_CONTRAST_PAIRS)
def test_text_colours_reach_wcag_aa(foreground: str, background: str) -> None:
    ratio = contrast_ratio(VARIABLES[foreground], VARIABLES[background])
    assert ratio >= 4.5, f"{foreground} on {background}: {ratio:.2f}:1 is below 4.5:1"


@pytest.mark.parametrize(("foreground", "background"), html.GRAPHIC_CONTRAST_PAIRS)
def test_meaningful_graphics_reach_3_to_1(foreground: str, background: str) -> None:
    ratio = contrast_ratio(VARIABLES[foreground], VARIABLES[background])
    assert ratio >= 3.0, f"{foreground} on {background}: {ratio:.2f}:1 is below 3:1"


def test_every_text_colour_in_the_stylesheet_is_a_checked_variable() -> None:
    """A text colour added to html.css without a contrast pair would escape the checks above."""
    checked = {foreground for foreground, _ in html.TEXT_CONTRAST_PAIRS}
    # `color:` sets HTML text; `fill:` on .point-label sets the curve's SVG text.
    used = set(re.findall(r"(?<![-\w])color:\s*var\((--[a-z0-9-]+)\)", ALL_CSS))
    used |= set(re.findall(r"\.point-label\s*\{[^}]*?fill:\s*var\((--[a-z0-9-]+)\)", CSS))
    assert used, "found no text colours in html.css: the pattern is out of date"
    assert used <= checked, f"text colours without a contrast check: {sorted(used - checked)}"
    literal = re.findall(r"(?<![-\w])(?:color|background|fill):\s*#[0-9a-fA-F]{3,6}", ALL_CSS)
    assert not literal, f"colours outside the palette variables: {literal}"


def test_every_palette_variable_is_a_colour_the_checks_can_read() -> None:
    pairs = html.TEXT_CONTRAST_PAIRS + html.GRAPHIC_CONTRAST_PAIRS
    named = {name for pair in pairs for name in pair}
    assert named <= set(VARIABLES), f"pairs name undefined variables: {sorted(named - set(VARIABLES))}"
