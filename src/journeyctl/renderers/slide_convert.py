"""PNG and PDF of the slide image, converted from its SVG by CairoSVG, so every format is one drawing.

Why CairoSVG: it is a well-kept library (the Kozea project, beside
WeasyPrint) that installs with pip wherever Python does and needs only the
Cairo library, which Graphviz already brings and every Linux desktop, Homebrew
and conda have. It writes PNG and (multi-page) PDF from the same SVG with the
same text engine, finds DejaVu Sans through fontconfig, and is fast (tens of
milliseconds a slide). Chromium would draw the same SVG, but it is a browser
to install and start for each render; resvg has wheels with no system library
but writes no PDF.

PNG output of Cairo carries no time and is the same bytes on every run; Cairo
stamps a PDF with the time of the run, which ``unstamp_pdf`` pins to 1970.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from journeyctl.errors import RenderError
from journeyctl.renderers.graphviz_run import unstamp_pdf

INSTALL_HINT = (
    "the png and pdf formats convert the slide's SVG with CairoSVG and the Cairo library: "
    "'pip install cairosvg', and Cairo itself: 'apt-get install libcairo2' (Debian/Ubuntu), "
    "'brew install cairo' (macOS), 'conda install cairo'; or render '--format svg' and convert it elsewhere"
)


def _cairosvg(output_format: str) -> Any:
    """The cairosvg module; RenderError with an install hint when it or Cairo is missing."""
    try:
        import cairosvg  # type: ignore[import-untyped]
    except ImportError as exc:
        # cairocffi raises OSError when it finds no Cairo library; ImportError when not installed.
        raise RenderError(
            f"CairoSVG is not installed: --format {output_format} converts the slide with it ({exc})",
            hint=INSTALL_HINT,
        ) from None
    except OSError as exc:
        raise RenderError(
            f"the Cairo library is not installed: --format {output_format} needs it ({exc})",
            hint=INSTALL_HINT,
        ) from None
    return cairosvg


def svg_to_png(svg: bytes, *, scale: float = 1.0) -> bytes:
    """The SVG drawn as a PNG (``scale`` 2 for a high-density screen)."""
    cairosvg = _cairosvg("png")
    data: bytes = cairosvg.svg2png(bytestring=svg, scale=scale)
    return data


def svgs_to_pdf(pages: Sequence[bytes]) -> bytes:
    """One PDF with each SVG as a page, in order; its dates pinned so the bytes are reproducible."""
    cairosvg = _cairosvg("pdf")
    from cairosvg.parser import Tree  # type: ignore[import-untyped]
    from cairosvg.surface import PDFSurface  # type: ignore[import-untyped]

    output = io.BytesIO()
    shared: list[Any] = []

    class _Page(PDFSurface):  # type: ignore[misc]
        """A page drawn on the one PDF surface of the document, not on a surface of its own."""

        def _create_surface(self, width: float, height: float) -> tuple[Any, float, float]:
            if not shared:
                shared.append(self.surface_class(self.output, width, height))
            else:
                shared[0].set_size(width, height)
            return shared[0], width, height

    del cairosvg
    for page in pages:
        _Page(Tree(bytestring=page), output, 96)
        shared[0].show_page()
    if shared:
        shared[0].finish()
    return unstamp_pdf(output.getvalue())
