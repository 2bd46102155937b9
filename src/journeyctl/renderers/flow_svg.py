"""``--format flow-svg``: the Graphviz flow diagram of the map as SVG, drawn by the ``dot`` program.

The flow diagram shows steps, branches off the main line, touchpoints, pain
points and opportunities as a graph (see ``graphviz_dot``); the slide image
is ``--format svg``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeyctl.renderers.graphviz_dot import GraphvizOptions
from journeyctl.renderers.graphviz_run import render_with_dot

if TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

NAME = "flow-svg"
ALIASES: tuple[str, ...] = ()
EXTENSION = ".svg"
DESCRIPTION = "Graphviz flow diagram as SVG: steps, branches, touchpoints (needs Graphviz)"
BINARY = False
REQUIRES: tuple[str, ...] = ("dot",)


class Options(GraphvizOptions):
    """Options of the flow-svg format."""


def render(loaded: LoadedMap, options: Options) -> bytes:
    return render_with_dot(loaded, options, "svg")
