"""``--format dot``: the Graphviz source of the journey map (no Graphviz program needed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeyctl.renderers.graphviz_dot import GraphvizOptions, build_dot

if TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

NAME = "dot"
ALIASES: tuple[str, ...] = ("graphviz", "gv")
EXTENSION = ".dot"
DESCRIPTION = "Graphviz DOT source: stages as clusters, steps, touchpoints, pain points, opportunities"
BINARY = False
REQUIRES: tuple[str, ...] = ()


class Options(GraphvizOptions):
    """Options of the dot format."""


def render(loaded: LoadedMap, options: Options) -> bytes:
    return build_dot(loaded, options).encode("utf-8")
