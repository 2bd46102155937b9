"""Running the Graphviz ``dot`` program on DOT text, for the flow-svg, flow-png and flow-pdf renderers."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from journeyctl.errors import RenderError
from journeyctl.renderers.graphviz_dot import GraphvizOptions, build_dot

if TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

INSTALL_HINT = (
    "install Graphviz: 'apt-get install graphviz' (Debian/Ubuntu), 'brew install graphviz' (macOS), "
    "'choco install graphviz' (Windows); or render '--format dot' and lay it out elsewhere"
)


def render_with_dot(loaded: LoadedMap, options: GraphvizOptions, output_format: str) -> bytes:
    """The map laid out by ``dot`` as ``output_format`` (svg, png or pdf), for the flow-* formats."""
    import graphviz  # type: ignore[import-untyped]

    source = build_dot(loaded, options)
    try:
        output: bytes = graphviz.pipe("dot", output_format, source.encode("utf-8"), quiet=True)
    except graphviz.ExecutableNotFound:
        raise RenderError(
            f"Graphviz is not installed: --format flow-{output_format} runs the 'dot' program, "
            "which is not on PATH",
            hint=INSTALL_HINT,
        ) from None
    except graphviz.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        raise RenderError(
            f"Graphviz 'dot' failed to lay out {loaded.path} (exit {exc.returncode})"
            + (f": {detail[-1]}" if detail else ""),
            hint="this is likely a bug in journeyctl's DOT output; please report it with the map",
        ) from None
    if output_format == "pdf":
        output = unstamp_pdf(output)
    return output


# Cairo writes the time of the run into a PDF's info dictionary (older Cairo
# ignores SOURCE_DATE_EPOCH). Same-length digits keep the xref offsets valid.
_PDF_DATE = re.compile(rb"(/(?:CreationDate|ModDate) \(D:)\d{14}")


def unstamp_pdf(data: bytes) -> bytes:
    """The PDF with its creation and modification dates pinned to 1970-01-01, so output is reproducible."""
    return _PDF_DATE.sub(rb"\g<1>19700101000000", data)
