"""Hostile maps made from the examples: hypothesis strategies of mutations, and applying them.

A mutated map is a base map (a file of ``examples/`` or one of the renderer
tests' hostile fixtures) plus a list of operations drawn by hypothesis:

* tree operations on the map's plain data: delete, duplicate, reorder or move
  keys and list items, change a value's type, put hostile text in a text field,
  add keys, share a node (the YAML dump writes an anchor and an alias, or a
  recursive alias), put a raw YAML fragment (numbers YAML grammars disagree
  about, tags, nesting hundreds deep, merge keys, an alias of one big scalar)
  where a value or a key goes;
* text operations on the YAML written from that data: truncate, insert bytes
  (NUL, invalid UTF-8, a BOM, control characters), delete, repeat or swap
  lines, tabs for indentation, CRLF line ends, suppression comments.

Operations are plain tuples of small values, so hypothesis shrinks them and
prints a failing input as something a reader can replay (``apply(...)``).
"""

from __future__ import annotations

import copy
import datetime
import functools
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from journeyctl.yamlsource import parse

from .payloads import INJECTIONS, NAME_PARTS, RAW_SCALARS, SUPPRESSIONS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
#: Base maps: every example, and the renderer tests' maps already full of injection payloads.
BASE_PATHS = (
    *sorted(EXAMPLES.glob("*.yaml")),
    ROOT / "tests" / "renderers" / "maps" / "hostile.yaml",
    ROOT / "tests" / "renderers" / "fixtures" / "html-xss.yaml",
)
SHARED_PATH = EXAMPLES / "shared" / "personas.yaml"

#: Keys whose values are ids, enums, dates or paths: hostile text there only makes errors.
#: Free text goes everywhere else, where a valid map carries it into every output.
STRUCTURED_KEYS = frozenset(
    (
        "journeyctl",
        "journeyctl-shared",
        "id",
        "channel",
        "persona",
        "touchpoint",
        "step",
        "touchpoints",
        "addresses",
        "baseline",
        "phase",
        "kind",
        "severity",
        "state",
        "better",
        "impact",
        "effort",
        "status",
        "reviewed",
        "include",
        "moment-of-truth",
        "emotion",
        "value",
        "target",
    )
)
#: Keys of the format, for keys added in the wrong place (and "did you mean" near misses).
KNOWN_KEYS = (
    "id",
    "name",
    "title",
    "stages",
    "steps",
    "touchpoints",
    "pain-points",
    "pain_points",
    "opportunities",
    "metrics",
    "emotion",
    "value",
    "target",
    "include",
    "personas",
    "channels",
    "journeyctl",
    "journeyctl-shared",
    "moment-of-truth",
    "actoin",
    "bogus_key",
)

# --- placeholders: raw YAML put into the dumped text -------------------------------------

#: Plain words the YAML dump writes unquoted; replaced by raw YAML afterwards.
_PLACEHOLDER = "hostileraw{:04d}x"
_MERGE_PLACEHOLDER = "hostilemerge{:04d}x"
_ALIAS_PLACEHOLDER = "hostilealias{:04d}g{}x"
_PLACEHOLDERS = re.compile(r"hostile(raw|merge|alias)(\d{4})(?:g(\d+))?x")


@dataclass(frozen=True)
class Base:
    """A map to mutate: its path as reported, its text, its plain data."""

    name: str
    path: str
    text: str
    document: Any


def _plain(text: str, path: str) -> Any:
    document, _ = parse(text.encode("utf-8"), path, max_size=None)
    return document


@functools.cache
def bases() -> tuple[Base, ...]:
    found = []
    for path in BASE_PATHS:
        text = path.read_text(encoding="utf-8")
        relative = str(path.relative_to(ROOT))
        found.append(Base(path.stem, relative, text, _plain(text, relative)))
    return tuple(found)


@functools.cache
def shared_base() -> Base:
    text = SHARED_PATH.read_text(encoding="utf-8")
    relative = str(SHARED_PATH.relative_to(ROOT))
    return Base("shared", relative, text, _plain(text, relative))


# --- strategies ----------------------------------------------------------------------------

#: Characters that can be written through a YAML dump (no lone surrogates: raw fragments
#: carry those, as escapes the parser must judge).
_characters = st.characters(exclude_categories=("Cs",))


def hostile_text() -> st.SearchStrategy[str]:
    """Text for a text field: payloads, generated text, their mixes, and large scalars."""
    pieces = st.one_of(st.sampled_from(INJECTIONS), st.text(_characters, max_size=12))
    return st.one_of(
        st.sampled_from(INJECTIONS),
        st.lists(pieces, min_size=1, max_size=6).map("".join),
        st.text(_characters, min_size=1, max_size=40),
        # Large scalars: one word (no place to wrap it) or many words.
        st.tuples(
            st.sampled_from(("x", "word ", "<b>", "\u00e9", "[bold]", "a:b ")), st.integers(500, 60_000)
        ).map(lambda pair: pair[0] * (pair[1] // len(pair[0]))),
    )


_scalars = st.one_of(
    st.sampled_from(
        (
            None,
            True,
            False,
            0,
            -1,
            1,
            2,
            3,
            -3,
            2**63,
            -(2**63) - 1,
            10**400,
            float("nan"),
            float("inf"),
            float("-inf"),
            -0.0,
            1e308,
            5e-324,
            0.5,
            "",
            " ",
            "2026-01-01",
            datetime.date(2026, 1, 1),
        )
    ),
    st.integers(),
    st.floats(),
    hostile_text(),
)
#: Any value at all for a "change the type" operation.
values = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(
            st.one_of(st.sampled_from(KNOWN_KEYS), st.integers(), st.none()), children, max_size=3
        ),
    ),
    max_leaves=6,
)
slugs = st.one_of(
    st.from_regex(r"\A[a-z0-9][a-z0-9_-]{0,12}\Z"),
    st.sampled_from(("a", "x-1", "0", "a" * 80, "a" * 81, "-", "_a", "A", "a b", "ü")),
)

#: One raw YAML fragment: a token from the table, or nesting of a drawn depth and style.
raw_fragments = st.one_of(
    st.sampled_from(RAW_SCALARS),
    st.tuples(st.sampled_from(("flow-seq", "flow-map", "block-seq", "mixed")), st.integers(1, 1500)).map(
        lambda pair: f"nest:{pair[0]}:{pair[1]}"
    ),
    st.integers(1, 4000).map(lambda digits: "9" * digits),
)

_where = st.integers(0, 2**20)

tree_operations = st.one_of(
    st.tuples(st.just("delete"), _where),
    st.tuples(st.just("duplicate"), _where, st.booleans()),
    st.tuples(st.just("reorder"), _where, st.integers(0, 2**16)),
    st.tuples(st.just("move"), _where, _where),
    st.tuples(st.just("replace"), _where, values),
    st.tuples(st.just("text"), _where, hostile_text()),
    st.tuples(st.just("slug"), _where, slugs),
    st.tuples(st.just("add-key"), _where, st.one_of(st.sampled_from(KNOWN_KEYS), hostile_text()), values),
    st.tuples(st.just("share"), _where, _where),
    st.tuples(st.just("raw"), _where, raw_fragments),
    st.tuples(st.just("merge"), _where, _where, st.sampled_from(("alias", "list", "inline", "scalar"))),
    st.tuples(st.just("alias-scalar"), _where, st.integers(2, 3000), st.integers(1, 200_000)),
)

#: Operations that keep a map valid (mostly): hostile text, a new order, steps moved between
#: stages, one big scalar aliased many times; so that hostile text reaches every renderer.
keeping_operations = st.one_of(
    st.tuples(st.just("text"), _where, hostile_text()),
    st.tuples(st.just("reorder"), _where, st.integers(0, 2**16)),
    st.tuples(st.just("move"), _where, _where),
    st.tuples(st.just("alias-scalar"), _where, st.integers(2, 3000), st.integers(1, 200_000)),
)
#: Text operations that keep a map valid: comments, line ends, a byte-order mark.
keeping_text_operations = st.one_of(
    st.tuples(st.just("suppress"), _where, st.sampled_from(SUPPRESSIONS), st.booleans()),
    st.tuples(st.just("suppress-many"), st.sampled_from(SUPPRESSIONS), st.integers(1, 8000)),
    st.tuples(st.just("line-ends"), st.sampled_from(("\r\n", "\r"))),
    st.tuples(st.just("bom")),
)

text_operations = st.one_of(
    st.tuples(st.just("truncate"), _where),
    st.tuples(
        st.just("insert"),
        _where,
        st.one_of(
            st.sampled_from(
                (
                    b"\x00",
                    b"\xff",
                    b"\xc3",
                    b"\xed\xa0\x80",
                    b"\xef\xbb\xbf",
                    b"\x1b",
                    b"\x85",
                    b"\t",
                    b"\r",
                    b"\x0c",
                )
            ),
            st.binary(min_size=1, max_size=8),
        ),
    ),
    st.tuples(st.just("delete-line"), _where),
    st.tuples(st.just("repeat-line"), _where, st.integers(1, 3000)),
    st.tuples(st.just("swap-lines"), _where, _where),
    st.tuples(st.just("tab-indent"), _where),
    st.tuples(st.just("suppress"), _where, st.sampled_from(SUPPRESSIONS), st.booleans()),
    st.tuples(st.just("suppress-many"), st.sampled_from(SUPPRESSIONS), st.integers(1, 8000)),
    st.tuples(st.just("line-ends"), st.sampled_from(("\r\n", "\r"))),
    st.tuples(st.just("bom")),
)


@dataclass(frozen=True)
class Mutation:
    """A base map and the operations that make a hostile map of it."""

    base: int
    tree: tuple[tuple[Any, ...], ...] = ()
    text: tuple[tuple[Any, ...], ...] = ()


def mutations(
    *, max_tree: int = 5, max_text: int = 2, text_ops: bool = True, keep_valid: bool = False
) -> st.SearchStrategy[Mutation]:
    """Mutations of a base map; ``keep_valid`` draws only operations that mostly keep it valid."""
    tree = keeping_operations if keep_valid else tree_operations
    text = keeping_text_operations if keep_valid else text_operations
    text_lists = st.lists(text, max_size=max_text) if text_ops else st.just([])
    return st.builds(
        Mutation,
        base=st.integers(0, len(BASE_PATHS) - 1),
        tree=st.lists(tree, min_size=1 if keep_valid else 0, max_size=max_tree).map(tuple),
        text=text_lists.map(tuple),
    )


def hostile_names(*, directories: bool = False) -> st.SearchStrategy[str]:
    """A file name ending in .yaml, without NUL (no name can hold one) and, unless ``directories``,
    without '/' (with it, ``x[/y].yaml`` is ``y].yaml`` in a directory ``x[``)."""
    parts = [part for part in NAME_PARTS if directories or "/" not in part]
    characters = _characters.filter(lambda c: c not in "/\x00")
    part = st.one_of(st.sampled_from(parts), st.text(characters, max_size=6))
    return st.lists(part, min_size=1, max_size=4).map(lambda pieces: "".join(pieces) + ".yaml")


# --- applying operations --------------------------------------------------------------------


@dataclass
class _Slot:
    """A place in the tree: ``container[key]``, found under ``parent_key``."""

    container: Any
    key: Any
    parent_key: Any

    @property
    def value(self) -> Any:
        return self.container[self.key]

    def set(self, value: Any) -> None:
        self.container[self.key] = value


def _slots(document: Any) -> list[_Slot]:
    """Every place in the tree, in document order; safe on shared and recursive nodes."""
    found: list[_Slot] = []
    seen: set[int] = set()

    def walk(node: Any, parent_key: Any) -> None:
        if id(node) in seen:
            return
        if isinstance(node, dict):
            seen.add(id(node))
            for key in list(node):
                found.append(_Slot(node, key, key))
                walk(node[key], key)
        elif isinstance(node, list):
            seen.add(id(node))
            for index in range(len(node)):
                found.append(_Slot(node, index, parent_key))
                walk(node[index], parent_key)

    walk(document, None)
    return found


def _pick(items: list[Any], where: int) -> Any | None:
    return items[where % len(items)] if items else None


class _Placeholders:
    """Raw YAML fragments waiting for the dumped text."""

    def __init__(self) -> None:
        self.raw: list[str] = []
        self.merges = 0
        self.alias_groups: list[str] = []

    def raw_word(self, fragment: str) -> str:
        self.raw.append(fragment)
        return _PLACEHOLDER.format(len(self.raw) - 1)

    def merge_word(self) -> str:
        self.merges += 1
        return _MERGE_PLACEHOLDER.format(self.merges - 1)

    def alias_word(self, group: int, index: int) -> str:
        return _ALIAS_PLACEHOLDER.format(index, group)

    def substitute(self, text: str) -> str:
        anchored: set[str] = set()

        def replace(match: re.Match[str]) -> str:
            kind, number, group = match.group(1), int(match.group(2)), match.group(3)
            if kind == "merge":
                return "<<"
            if kind == "alias":
                if group in anchored:
                    return f"*big{group}"
                anchored.add(group or "")
                return f"&big{group} {self.alias_groups[int(group or 0)]}"
            return expand_fragment(self.raw[number], _indent_at(text, match.start()))

        return _PLACEHOLDERS.sub(replace, text)


def _indent_at(text: str, position: int) -> int:
    line_start = text.rfind("\n", 0, position) + 1
    line = text[line_start:position]
    return len(line) - len(line.lstrip(" -"))


def expand_fragment(fragment: str, indent: int) -> str:
    if not fragment.startswith("nest:"):
        return fragment
    _, style, raw_depth = fragment.split(":")
    depth = int(raw_depth)
    if style == "flow-seq":
        return "[" * depth + "]" * depth
    if style == "flow-map":
        return "{a: " * depth + "1" + "}" * depth
    if style == "block-seq":
        return "- " * depth + "x"
    # Block mappings, a few levels to a line's worth of indentation, then flow.
    lines = [""]
    for level in range(min(depth, 60)):
        lines.append(" " * (indent + 2 * (level + 1)) + "a:")
    lines.append(" " * (indent + 2 * (min(depth, 60) + 1)) + "[" * depth + "]" * depth)
    return "\n".join(lines)


def _apply_tree(document: Any, operation: tuple[Any, ...], holes: _Placeholders) -> None:
    kind, where = operation[0], operation[1]
    slots = _slots(document)
    slot = _pick(slots, where)
    if slot is None:
        return
    if kind == "delete":
        del slot.container[slot.key]
    elif kind == "duplicate":
        lists = [s for s in slots if isinstance(s.container, list)]
        target = _pick(lists, where)
        if target is not None:
            item = target.value if operation[2] else copy.deepcopy(target.value)
            target.container.insert(target.key, item)
    elif kind == "reorder":
        containers = [s for s in slots if isinstance(s.value, (dict, list)) and len(s.value) > 1]
        target = _pick(containers, where)
        if target is not None:
            shuffler = random.Random(operation[2])
            if isinstance(target.value, list):
                shuffler.shuffle(target.value)
            else:
                items = list(target.value.items())
                shuffler.shuffle(items)
                target.set(dict(items))
    elif kind == "move":
        lists = [s for s in slots if isinstance(s.value, list) and s.value]
        source = _pick(lists, where)
        if source is None:
            return
        same = [s for s in lists if s.parent_key == source.parent_key and s.value is not source.value]
        destination = _pick(same, operation[2])
        if destination is not None:
            destination.value.insert(operation[2] % (len(destination.value) + 1), source.value.pop())
    elif kind == "replace":
        slot.set(copy.deepcopy(operation[2]))
    elif kind == "text":
        texts = [s for s in slots if isinstance(s.value, str) and s.parent_key not in STRUCTURED_KEYS]
        target = _pick(texts, where)
        if target is not None:
            target.set(operation[2])
    elif kind == "slug":
        ids = [s for s in slots if isinstance(s.value, str) and s.parent_key in STRUCTURED_KEYS]
        target = _pick(ids, where)
        if target is not None:
            target.set(operation[2])
    elif kind == "add-key":
        mappings = [s for s in slots if isinstance(s.value, dict)]
        target = _pick(mappings, where)
        if target is not None:
            target.value[operation[2]] = copy.deepcopy(operation[3])
    elif kind == "share":
        other = _pick(slots, operation[1] // 7 + 1)
        if other is not None:
            slot.set(other.value)  # the same object twice: the dump writes &anchor and *alias
    elif kind == "raw":
        slot.set(holes.raw_word(operation[2]))
    elif kind == "merge":
        mappings = [s for s in slots if isinstance(s.value, dict)]
        target, source = _pick(mappings, where), _pick(mappings, operation[2])
        if target is None or source is None:
            return
        style = operation[3]
        merged: Any = {
            "alias": source.value,
            "list": [source.value, target.value],
            "inline": {"id": "merged", "name": "Merged"},
            "scalar": "not-a-mapping",
        }[style]
        target.value[holes.merge_word()] = merged
    elif kind == "alias-scalar":
        texts = [s for s in slots if isinstance(s.value, str)]
        if not texts:
            return
        group = len(holes.alias_groups)
        holes.alias_groups.append('"' + "t" * operation[3] + '"')
        for index in range(min(operation[2], len(texts))):
            texts[(where + index) % len(texts)].set(holes.alias_word(group, index))


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _apply_text(data: bytes, operation: tuple[Any, ...]) -> bytes:
    kind = operation[0]
    if kind == "truncate":
        return data[: operation[1] % (len(data) + 1)]
    if kind == "insert":
        position = operation[1] % (len(data) + 1)
        return data[:position] + operation[2] + data[position:]
    if kind == "bom":
        return b"\xef\xbb\xbf" + data
    if kind == "line-ends":
        return data.replace(b"\n", operation[1].encode())
    lines = data.split(b"\n")
    index = operation[1] % len(lines) if kind != "suppress-many" else 0
    if kind == "delete-line":
        del lines[index]
    elif kind == "repeat-line":
        lines[index:index] = [lines[index]] * operation[2]
    elif kind == "swap-lines":
        other = operation[2] % len(lines)
        lines[index], lines[other] = lines[other], lines[index]
    elif kind == "tab-indent":
        stripped = lines[index].lstrip(b" ")
        if len(stripped) != len(lines[index]):
            lines[index] = b"\t" + stripped
    elif kind == "suppress":
        comment = operation[2].encode()
        if operation[3]:
            lines[index] += b"  " + comment
        else:
            lines.insert(index, comment)
    elif kind == "suppress-many":
        comment = operation[1].encode()
        lines = [line + b"  " + comment if line.strip() else line for line in lines]
        lines.extend([comment] * max(0, operation[2] - len(lines)))
    return b"\n".join(lines)


def dump(document: Any) -> str:
    """YAML text of plain data (C emitter; control characters come out as escapes)."""
    return str(yaml.dump(document, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=2**30))


def examples(weight: float) -> int:
    """``max_examples`` for a test: the profile's unit (100 in CI) times the test's weight."""
    from hypothesis import settings

    return max(1, int(settings.default.max_examples * weight))


def apply(mutation: Mutation, base: Base | None = None) -> tuple[Base, bytes]:
    """The base (``mutation.base`` unless given) and the hostile map's bytes."""
    base = base or bases()[mutation.base]
    if not mutation.tree and not mutation.text:
        return base, base.text.encode("utf-8")
    document = copy.deepcopy(base.document)
    holes = _Placeholders()
    for operation in mutation.tree:
        if isinstance(document, (dict, list)):
            _apply_tree(document, operation, holes)
    text = holes.substitute(dump(document)) if mutation.tree else base.text
    data = text.encode("utf-8")
    for operation in mutation.text:
        data = _apply_text(data, operation)
    return base, data


def with_every_text(document: Any, make: Callable[[str], str]) -> Any:
    """A copy of plain data with every free-text value ``make(old)`` (ids, enums and keys kept)."""

    def walk(node: Any, parent_key: Any) -> Any:
        if isinstance(node, dict):
            return {key: walk(value, key) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item, parent_key) for item in node]
        if isinstance(node, str) and parent_key not in STRUCTURED_KEYS:
            return make(node)
        return node

    return walk(document, None)
