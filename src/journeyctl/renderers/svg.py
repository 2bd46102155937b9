"""``--format svg``: the slide image of the map, a 1920 x 1080 SVG written directly (see ``slide``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeyctl.renderers.slide import SlideOptions, render_slides

if TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

NAME = "svg"
ALIASES: tuple[str, ...] = ("slide",)
EXTENSION = ".svg"
DESCRIPTION = "Slide image (1920 x 1080 SVG): stages as columns, lanes, one emotion line per persona"
BINARY = False
REQUIRES: tuple[str, ...] = ()


class Options(SlideOptions):
    """Options of the svg format."""


def render(loaded: LoadedMap, options: Options) -> bytes:
    return render_slides(loaded, options, every=False)[0]
