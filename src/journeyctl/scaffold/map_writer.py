"""Interim writer of new maps, until ``journeyctl.fmt.dump_map`` (the one place that writes maps) lands.

It has ``dump_map``'s signature, so ``new_map`` switches to the formatter by
changing one import. Keys are written in the order given, lists of plain
words in flow style (``touchpoints: [checkout]``), everything else in block
style; the header's lines become comments at the top.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

#: A list of scalars goes on one line while the whole line stays this short.
FLOW_LIST_WIDTH = 72


def dump_map(data: Mapping[str, Any], *, header: str | None = None) -> str:
    """``data`` as YAML text, with ``header`` as comment lines above it."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    stream = io.StringIO()
    yaml.dump(_styled(data), stream)
    comments = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines()) if header else ""
    return comments + stream.getvalue()


def _styled(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, Mapping):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[key] = _styled(item)
        return mapping
    if isinstance(value, list):
        sequence = CommentedSeq(_styled(item) for item in value)
        words = all(isinstance(item, str | int | float) for item in value)
        if value and words and sum(len(str(item)) + 2 for item in value) <= FLOW_LIST_WIDTH:
            sequence.fa.set_flow_style()
        return sequence
    return value
