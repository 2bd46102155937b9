"""``--format pdf``: the slide image of the map as a PDF, one page per slide, converted by CairoSVG."""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeyctl.renderers.slide import SlideOptions, render_slides
from journeyctl.renderers.slide_convert import svgs_to_pdf

if TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

NAME = "pdf"
ALIASES: tuple[str, ...] = ()
EXTENSION = ".pdf"
DESCRIPTION = "Slide image as PDF, every slide a 16:9 page (needs CairoSVG and Cairo)"
BINARY = True
REQUIRES: tuple[str, ...] = ()


class Options(SlideOptions):
    """Options of the pdf format."""


def render(loaded: LoadedMap, options: Options) -> bytes:
    return svgs_to_pdf(render_slides(loaded, options, every=True))
