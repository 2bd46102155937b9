"""The loader's limits on hostile but small files: nesting depth and alias expansion.

Each limit is checked for what it refuses (and exactly where) and for what it still accepts.
"""

from __future__ import annotations

import pytest

from journeyctl.errors import LoadError, MapInvalid
from journeyctl.loader import load_bytes
from journeyctl.yamlsource import MAX_DEPTH, parse


def errors_of(text: str) -> list[tuple[int, int, str]]:
    with pytest.raises(MapInvalid) as info:
        load_bytes(text.encode(), "t.yaml")
    return [(e.location.line, e.location.col, e.message) for e in info.value.errors if e.location]


# --- nesting ---------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [MAX_DEPTH, 600, 999, 1_000, 2_000, 100_000])
def test_every_depth_past_the_limit_is_refused_at_one_located_error(depth: int) -> None:
    # Up to libyaml's own limit (1,000) the list that is one level too deep is named; past
    # it, the parser stops first, at its limit, and says the same thing.
    text = "x: " + "[" * depth + "]" * depth + "\n"
    ((line, col, message),) = errors_of(text)
    assert message.startswith(f"lists and mappings are nested more than {MAX_DEPTH} levels deep")
    assert line == 1
    assert col == (3 + MAX_DEPTH if depth < 1_000 else 1_003)


def test_nesting_at_the_limit_is_accepted_by_the_parser() -> None:
    depth = MAX_DEPTH - 1  # the top-level mapping is the first level
    document, _ = parse(("x: " + "[" * depth + "]" * depth + "\n").encode(), "t.yaml")
    value = document["x"]
    for _ in range(depth - 1):
        value = value[0]
    assert value == []


def test_block_nesting_is_counted_like_flow_nesting() -> None:
    text = "".join(" " * level + f"k{level}:\n" for level in range(MAX_DEPTH + 5))
    ((line, col, message),) = errors_of(text)
    assert "nested more than" in message
    # The mapping that starts on line n (indented n - 1) is level n.
    assert (line, col) == (MAX_DEPTH + 1, MAX_DEPTH + 1)


# --- alias expansion -----------------------------------------------------------------


def test_one_big_scalar_aliased_thousands_of_times_is_refused_at_the_alias() -> None:
    # Issue 9, item 8: 3,000 stage names aliasing a 1 MB title (3 GB of text when expanded)
    # passed the node count, then took gigabytes to render.
    stages = "".join(f"  - {{id: s{i}, name: *t}}\n" for i in range(3_000))
    text = f"journeyctl: 1\nid: bomb\ntitle: &t {'x' * 1_000_000}\nstages:\n{stages}"
    ((line, col, message),) = errors_of(text)
    assert "characters of text" in message and "refusing a possible alias bomb" in message
    # Line 5 holds the first stage; the written text is 1 MB, the limit ten times that plus
    # 1,000,000 characters, so the 11th alias (stage 10, line 15) goes past it.
    assert (line, col) == (15, 21)


def test_a_paragraph_reused_through_an_alias_is_fine() -> None:
    paragraph = "A long description of the shared context of every stage. " * 150  # ~8.5 KB
    stages = "".join(f"  - {{id: s{i}, name: S, description: *p}}\n" for i in range(50))
    text = f"journeyctl: 1\nid: m\ntitle: M\nsummary: &p {paragraph.strip()}\nstages:\n{stages}"
    loaded = load_bytes(text.encode(), "t.yaml")
    assert loaded.journey.stages[49].description == paragraph.strip()


def test_node_bomb_is_located_at_the_alias_that_passes_the_limit() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for index in range(1, 8):
        name, previous = chr(97 + index), chr(96 + index)
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 10)}]")
    with pytest.raises(LoadError) as info:
        parse("\n".join(lines).encode(), "t.yaml")
    assert "nodes from" in info.value.message
    assert info.value.location is not None
    # a..c hold 1,221 nodes; d's aliases of c add 1,111 each: the 9th takes 10,310 past the limit.
    assert (info.value.location.line, info.value.location.col) == (4, 40)
