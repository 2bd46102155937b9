"""``--format png``: the slide image of the map as a PNG, converted from its SVG by CairoSVG."""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeyctl.options import Field
from journeyctl.renderers.slide import SlideOptions, render_slides
from journeyctl.renderers.slide_convert import svg_to_png

if TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

NAME = "png"
ALIASES: tuple[str, ...] = ()
EXTENSION = ".png"
DESCRIPTION = "Slide image as PNG (1920 x 1080; needs CairoSVG and Cairo)"
BINARY = True
REQUIRES: tuple[str, ...] = ()


class Options(SlideOptions):
    """Options of the png format."""

    scale: int = Field(
        1, ge=1, le=4, description="Pixels per SVG pixel: 2 gives 3840 x 2160 for a 4K screen."
    )


def render(loaded: LoadedMap, options: Options) -> bytes:
    return svg_to_png(render_slides(loaded, options, every=False)[0], scale=options.scale)
