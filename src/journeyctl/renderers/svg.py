"""``--format svg``: the Graphviz layout of the map as SVG, drawn by the ``dot`` program."""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeyctl.renderers.graphviz_dot import GraphvizOptions
from journeyctl.renderers.graphviz_run import render_with_dot

if TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

NAME = "svg"
ALIASES: tuple[str, ...] = ()
EXTENSION = ".svg"
DESCRIPTION = "SVG drawing of the Graphviz layout (needs Graphviz)"
BINARY = False
REQUIRES: tuple[str, ...] = ("dot",)


class Options(GraphvizOptions):
    """Options of the svg format."""


def render(loaded: LoadedMap, options: Options) -> bytes:
    return render_with_dot(loaded, options, "svg")
