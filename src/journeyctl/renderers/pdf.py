"""``--format pdf``: the Graphviz layout of the map as PDF, drawn by the ``dot`` program."""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeyctl.renderers.graphviz_dot import GraphvizOptions
from journeyctl.renderers.graphviz_run import render_with_dot

if TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

NAME = "pdf"
ALIASES: tuple[str, ...] = ()
EXTENSION = ".pdf"
DESCRIPTION = "PDF of the Graphviz layout (needs Graphviz)"
BINARY = True
REQUIRES: tuple[str, ...] = ("dot",)


class Options(GraphvizOptions):
    """Options of the pdf format."""


def render(loaded: LoadedMap, options: Options) -> bytes:
    return render_with_dot(loaded, options, "pdf")
