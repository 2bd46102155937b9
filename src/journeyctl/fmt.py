"""The one place that writes journey maps: canonical key order and layout, comments kept.

``format_text`` rewrites an existing map or shared file (``journeyctl fmt``);
``dump_map`` writes a new one from plain data (``journeyctl import``, ``new``).
Both produce the same canonical text:

* keys in the order of the format's fields (``id``, ``name`` ... as in
  docs/format.md), keys the model does not know after them, unchanged;
* two-space indentation, sequences indented under their key (``  - id: x``);
* flow collections (``[a, b]``, ``{ id: web }``) stay flow, block stays block;
  quoting and block scalars (``|``, ``>-``) stay as written; long lines are
  never re-wrapped;
* every comment is kept: a full-line comment travels with the key or item
  that follows it and takes its indentation; an end-of-line comment stays on
  its key's line, two spaces after the value; runs of blank lines become one,
  blank lines at the start of a block are dropped.

The data never changes: ``format_text`` loads the input and the output with
the project's loader and refuses (``FormatterBug``, an internal error) when
their plain data differ or a comment went missing. Files are parsed with
ruamel.yaml's round-trip mode; comment positions come from libyaml's scanner,
which is exact and fast, rather than from ruamel's comment attachment, which
ties a comment to whatever precedes it.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from journeyctl.errors import JourneyError, LoadError

if TYPE_CHECKING:
    from pydantic import BaseModel

#: Columns of indentation: a nested mapping's keys, and a sequence's dashes under its key.
MAPPING_INDENT = 2
SEQUENCE_DASH_OFFSET = 2
#: ``- `` before an item's content.
DASH_WIDTH = 2

# Lines are never folded: a formatter that re-wraps prose turns every edit into a
# paragraph-sized diff. ruamel wraps only past this width.
_NO_WRAP = 1 << 20

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
#: A block scalar's header (``|``, ``>-``, ``|2+``...) followed by a comment.
_BLOCK_HEADER_COMMENT = re.compile(r"[|>][-+0-9]*\s+(#.*)$")


class FormatterBug(Exception):
    """The formatter's output would not mean what its input meant: nothing is written.

    Not a ``JourneyError``: it is journeyctl's fault, reported as an internal error.
    """


class CommentPlacementError(JourneyError):
    """A comment sits where the formatter cannot keep it (inside a flow collection)."""


# --- key order from the models ---------------------------------------------------------


@dataclass(frozen=True)
class _Shape:
    """The keys of one model in field order, and the model of each key's items or value."""

    order: tuple[str, ...]
    children: Mapping[str, _Shape | None]


_SHAPES: dict[str, _Shape] = {}


def _model_in(annotation: Any) -> type[BaseModel] | None:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _shape_of(model: type[BaseModel]) -> _Shape:
    cached = _SHAPES.get(model.__qualname__)
    if cached is not None:
        return cached
    order: list[str] = []
    children: dict[str, _Shape | None] = {}
    shape = _Shape(tuple(order), children)
    for name, info in model.model_fields.items():
        key = info.alias or name
        order.append(key)
        child = _model_in(info.annotation)
        children[key] = _shape_of(child) if child is not None and child is not model else None
    shape = _Shape(tuple(order), children)
    _SHAPES[model.__qualname__] = shape
    return shape


def _root_shape(document: Mapping[Any, Any]) -> _Shape:
    from journeyctl.model import Journey, SharedDefinitions

    if "journeyctl" not in document and "journeyctl-shared" in document:
        return _shape_of(SharedDefinitions)
    return _shape_of(Journey)


def _ordered_keys(keys: Sequence[Any], shape: _Shape | None) -> list[Any]:
    if shape is None:
        return list(keys)
    rank = {key: index for index, key in enumerate(shape.order)}
    known = sorted((key for key in keys if key in rank), key=rank.__getitem__)
    return known + [key for key in keys if key not in rank]


# --- YAML set-up -----------------------------------------------------------------------


def _yaml() -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.emitter import RoundTripEmitter
    from ruamel.yaml.events import MappingEndEvent

    class Emitter(RoundTripEmitter):
        """ruamel's emitter with spaces inside braces and journeyctl's comment spacing."""

        def expect_flow_mapping(
            self, single: bool | None = False, force_flow_indent: bool | None = False
        ) -> None:
            # ``{ id: web }`` as the examples and most YAML style guides write it; ``{}`` stays
            # tight. After the brace, "no white space yet" makes the first key write its space.
            empty = self.check_empty_mapping()
            super().expect_flow_mapping(single, force_flow_indent)
            if not empty and self.flow_context[-1] == "{":
                self.whitespace = False

        def expect_flow_mapping_key(self) -> None:
            self.flow_map_end = " }" if isinstance(self.event, MappingEndEvent) else "}"
            super().expect_flow_mapping_key()
            self.flow_map_end = "}"

        def write_comment(self, comment: Any, pre: bool = False) -> None:
            # Comment tokens are built by this module with their indentation in their text;
            # an end-of-line comment goes two spaces after the value (as Black puts it), and
            # after a block scalar, which ends its own line, the leading newline is not repeated.
            value: str = comment.value
            if not pre and value.endswith("\n"):
                value = value[:-1]
            if not pre and self.column == 0 and value.startswith("\n"):
                value = value[1:]
            elif not pre and self.column and value.startswith("#"):
                value = "  " + value
            self.stream.write(value)
            if not pre:
                self.write_line_break()

    yaml = YAML(typ="rt")
    yaml.Emitter = Emitter
    yaml.preserve_quotes = True
    yaml.allow_unicode = True
    yaml.width = _NO_WRAP
    yaml.indent(
        mapping=MAPPING_INDENT, sequence=MAPPING_INDENT + SEQUENCE_DASH_OFFSET, offset=SEQUENCE_DASH_OFFSET
    )
    return yaml


def _emit(root: Any) -> str:
    yaml = _yaml()
    stream = io.StringIO()
    yaml.dump(root, stream)
    return stream.getvalue()


# --- where the comments are: libyaml's scanner -----------------------------------------


@dataclass
class _Comments:
    """The comments and blank lines of a text, by 0-based line number."""

    eol: dict[int, str] = field(default_factory=dict)
    full: dict[int, str] = field(default_factory=dict)
    blank: set[int] = field(default_factory=set)
    #: Comments on a block scalar's header line (``key: |  # note``): ruamel keeps them there.
    scalar_header: dict[int, str] = field(default_factory=dict)
    #: The line of an explicit ``---`` document start, kept where it was among the header comments.
    document_start: int | None = None

    def texts(self) -> list[str]:
        return sorted([*self.eol.values(), *self.full.values(), *self.scalar_header.values()])


def scan_comments(text: str, path: str) -> _Comments:
    """Every comment of ``text`` and whether it ends a line or is a line of its own.

    Lines inside multi-line scalars are left out; a comment inside a flow
    collection (``{ a: 1,  # here``) is a CommentPlacementError, since no YAML
    emitter can keep it there.
    """
    import yaml

    from journeyctl.location import Location

    lines = text.split("\n")
    covered: set[int] = set()  # lines (partly) inside a multi-line scalar: no comment there
    content_end: dict[int, int] = {}  # line -> column after the last token ending there
    flow_lines: set[int] = set()
    flow_depth = 0
    flow_start = 0
    document_start: int | None = None
    scalar_header: dict[int, str] = {}
    try:
        tokens = list(yaml.scan(text, Loader=yaml.CSafeLoader))
    except yaml.YAMLError as exc:  # the loader has accepted the text, so this is unexpected
        raise LoadError(f"YAML syntax error: {exc}", Location(path, 1, 1)) from None
    for token in tokens:
        start, end = token.start_mark, token.end_mark
        if isinstance(token, (yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)):
            if flow_depth == 0:
                flow_start = start.line
            flow_depth += 1
        elif isinstance(token, (yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)):
            flow_depth -= 1
            if flow_depth == 0:
                flow_lines.update(range(flow_start, end.line))
        if start.index == end.index or isinstance(token, yaml.StreamEndToken):
            continue
        if isinstance(token, yaml.DocumentStartToken):
            document_start = start.line
        last_line = end.line
        if end.line > start.line and end.column == 0:
            last_line = end.line - 1  # the token ended with a line break
        if isinstance(token, yaml.ScalarToken) and last_line > start.line:
            first_inside = start.line
            inside_end = last_line
            if token.style in ("|", ">"):
                header = lines[start.line][start.column :]
                note = _BLOCK_HEADER_COMMENT.match(header)
                if note:
                    scalar_header[start.line] = note.group(1).rstrip()
                if "+" not in header.split("#", 1)[0]:
                    # Trailing blank lines are not the scalar's (clip or strip chomping).
                    while inside_end > start.line and not lines[inside_end].strip():
                        inside_end -= 1
            covered.update(range(first_inside, inside_end + 1))
            if end.line > last_line:
                continue
        if end.line == last_line or end.column > 0:
            content_end[end.line] = max(content_end.get(end.line, 0), end.column)
    comments = _Comments(document_start=document_start, scalar_header=scalar_header)
    for number, line in enumerate(lines):
        stripped = line.strip()
        if number in covered and number not in content_end:
            continue
        start_col = content_end.get(number, 0)
        rest = line[start_col:].strip()
        if not rest.startswith("#"):
            if not stripped and number not in covered:
                comments.blank.add(number)
            continue
        if number in flow_lines:
            column = line.index("#", start_col) + 1
            raise CommentPlacementError(
                "a comment inside a flow collection ({ ... } or [ ... ]) cannot be kept by "
                "journeyctl fmt; move it to a line of its own above the collection",
                Location(path, number + 1, column),
            )
        if number in content_end:
            comments.eol[number] = rest.rstrip()
        else:
            comments.full[number] = rest.rstrip()
    return comments


# --- comments detached from ruamel's tree and attached again --------------------------


@dataclass
class _Node:
    """A key of a block mapping or an item of a block sequence, and its comments."""

    line: int
    column: int
    depth: int
    before: list[str] = field(default_factory=list)
    eol: str | None = None


@dataclass
class _Tree:
    """Comments of a round-trip tree, keyed by the identity of (container, key or index)."""

    nodes: dict[tuple[int, Any], _Node] = field(default_factory=dict)
    #: Comments above a block mapping's first key: they stay at its top when its keys move.
    heads: dict[int, list[str]] = field(default_factory=dict)
    tail: list[str] = field(default_factory=list)


def _is_block(value: Any) -> bool:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, (CommentedMap, CommentedSeq)):
        return bool(value) and not value.fa.flow_style()
    return False


def _children(container: Any) -> Iterator[tuple[Any, Any]]:
    from ruamel.yaml.comments import CommentedMap

    if isinstance(container, CommentedMap):
        yield from (
            (key, container[key]) for key in list(container._ok if _has_merge(container) else container)
        )
    else:
        yield from enumerate(container)


def _has_merge(container: Any) -> bool:
    from ruamel.yaml.comments import merge_attrib

    return bool(getattr(container, merge_attrib, None))


def _walk(root: Any) -> Iterator[tuple[Any, Any, Any, int]]:
    """(container, key or index, value, depth) of every block node in document order; aliases once."""
    seen: set[int] = set()

    def visit(container: Any, depth: int) -> Iterator[tuple[Any, Any, Any, int]]:
        seen.add(id(container))
        for key, value in _children(container):
            yield container, key, value, depth
            if _is_block(value) and id(value) not in seen:
                yield from visit(value, depth + 1)

    yield from visit(root, 0)


def _detach(root: Any, comments: _Comments) -> _Tree:
    """Give each comment to its node: full lines to the node after them, end-of-line ones to their line's."""
    from bisect import bisect_left, bisect_right

    from ruamel.yaml.comments import CommentedMap

    tree = _Tree()
    positioned: list[tuple[int, int, int, _Node]] = []
    for container, key, value, depth in _walk(root):
        if isinstance(container, CommentedMap):
            line, column = container.lc.key(key)
        else:
            line, column = container.lc.item(key)
        node = _Node(line, column, depth)
        tree.nodes[(id(container), key)] = node
        positioned.append((line, column, depth, node))
        _clear(container)
        if _is_block(value):
            _clear(value)
    positioned.sort(key=lambda item: item[:3])
    starts = [item[0] for item in positioned]
    ordered = [item[3] for item in positioned]
    events: list[tuple[int, str, str]] = []
    for number, text in comments.full.items():
        events.append((number, "full", text))
    for number, text in comments.eol.items():
        events.append((number, "eol", text))
    for number in comments.blank:
        events.append((number, "blank", ""))
    if comments.document_start is not None:
        events.append((comments.document_start, "full", "---"))
    events.sort()
    for number, kind, text in events:
        if kind == "eol":
            index = bisect_right(starts, number) - 1
            if index >= 0 and not ordered[index].eol:
                ordered[index].eol = text
                continue
            kind = "full"  # a second comment on one line cannot happen; keep it anyway
        index = bisect_left(starts, number + 1)
        target = ordered[index].before if index < len(ordered) else tree.tail
        target.append(text if kind != "blank" else "")
    for container, key, _value, _depth in _walk(root):
        if isinstance(container, CommentedMap) and id(container) not in tree.heads:
            first = tree.nodes[(id(container), key)]
            tree.heads[id(container)] = first.before
            first.before = []
    return tree


def _clear(container: Any) -> None:
    container.ca.items.clear()
    container.ca.comment = None
    container.ca.end = None


def _squeeze(lines: list[str], *, first: bool) -> list[str]:
    """Runs of blank lines as one, and none at all at the start of a block (``first``)."""
    result: list[str] = []
    for line in lines:
        if not line and ((first and not result) or (result and not result[-1])):
            continue
        result.append(line)
    return result


class _Slot:
    """Where ruamel keeps the text that follows a line: a key's, an item's, or the document's start."""

    def __init__(self, holder: Any, key: Any, index: int | None, eol: str | None) -> None:
        self.holder = holder  # a CommentedMap or CommentedSeq; None for the document start
        self.key = key
        self.index = index
        self.eol = eol
        self.lines: list[str] = []

    def store(self) -> None:
        from ruamel.yaml.error import CommentMark
        from ruamel.yaml.tokens import CommentToken

        def token(text: str) -> Any:
            return CommentToken(text, CommentMark(0), None)

        if self.index is None:  # the document's start: comment lines before the first key
            if self.lines:
                self.holder.ca.comment = [None, [token(line + "\n") for line in self.lines]]
            return
        if not self.eol and not self.lines:
            return
        text = (self.eol or "") + "\n" + "".join(line + "\n" for line in self.lines)
        entry: list[Any] = [None, None, None, None]
        entry[self.index] = token(text)
        self.holder.ca.items[self.key] = entry


def _attach(root: Any, tree: _Tree) -> None:
    """Write each node's comments back into ruamel's slots, for the tree's current key order."""
    from ruamel.yaml.comments import CommentedMap

    slots = [_Slot(root, None, None, None)]
    seen: set[int] = set()
    carried: list[str] = []  # comments that cannot stay on their line, for the next node

    def add(lines: list[str], column: int, *, first: bool) -> None:
        slots[-1].lines.extend((" " * column + line) if line else "" for line in _squeeze(lines, first=first))

    def visit(container: Any, column: int) -> None:
        seen.add(id(container))
        is_map = isinstance(container, CommentedMap)
        head = tree.heads.get(id(container), [])
        add(head, column, first=True)
        for position, (key, value) in enumerate(_children(container)):
            node = tree.nodes.get((id(container), key)) or _Node(0, 0, 0)
            add([*carried, *node.before], column, first=position == 0 and not head)
            carried.clear()
            eol = node.eol
            block = _is_block(value) and id(value) not in seen
            if block and not is_map:
                # An item that is a block collection starts on its dash's line and has no line
                # of its own: a comment on that line belongs to its first key.
                first = tree.nodes.get((id(value), next(iter(_children(value)))[0]))
                if eol and first is not None and not first.eol:
                    first.eol = eol
                elif eol:
                    carried.append(eol)
                visit(value, column + DASH_WIDTH)
                continue
            slots.append(_Slot(container, key, 2 if is_map else 0, eol))
            if block:
                visit(
                    value,
                    column + (MAPPING_INDENT if isinstance(value, CommentedMap) else SEQUENCE_DASH_OFFSET),
                )

    visit(root, 0)
    tail = _squeeze([*carried, *tree.tail], first=False)
    while tail and not tail[-1]:
        tail.pop()
    slots[-1].lines.extend(tail)
    for slot in slots:
        slot.store()


# --- data equality ---------------------------------------------------------------------


def same_data(left: Any, right: Any) -> bool:
    """Deep equality that also compares types (``1``, ``1.0`` and ``true`` are different data)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):  # key order is layout, not data
        return left.keys() == right.keys() and all(same_data(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(same_data(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, float) and math.isnan(left):
        return math.isnan(right)
    return bool(left == right)


def _plain(text: str, path: str) -> Any:
    from journeyctl.yamlsource import parse

    document, _source = parse(text.encode("utf-8"), path, max_size=None)
    return document


def _check_unchanged(before: str, after: str, path: str, comments: _Comments) -> None:
    """Refuse output whose data or comments differ from the input's (FormatterBug)."""
    try:
        new_data = _plain(after, path)
    except JourneyError as exc:
        raise FormatterBug(f"{path}: the formatted text does not parse: {exc}") from None
    if not same_data(_plain(before, path), new_data):
        raise FormatterBug(f"{path}: formatting would change the map's data; the file is left as it was")
    try:
        kept = scan_comments(after, path).texts()
    except JourneyError as exc:
        raise FormatterBug(f"{path}: the formatted text does not scan: {exc}") from None
    if kept != comments.texts():
        lost = sorted(set(comments.texts()) - set(kept))
        raise FormatterBug(
            f"{path}: formatting would lose or duplicate comments ({', '.join(lost[:3]) or 'duplicates'}); "
            "the file is left as it was"
        )


# --- the public API --------------------------------------------------------------------


def _reorder(root: Any) -> None:
    """Put every mapping's keys in the model's order, recursively (mappings with ``<<`` are left alone)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    seen: set[int] = set()

    def visit(value: Any, shape: _Shape | None) -> None:
        if id(value) in seen:
            return
        seen.add(id(value))
        if isinstance(value, CommentedMap):
            if not _has_merge(value):
                for key in _ordered_keys(list(value), shape):
                    value.move_to_end(key)
            for key in list(value):
                visit(value[key], shape.children.get(key) if shape is not None else None)
        elif isinstance(value, CommentedSeq):
            for item in value:
                visit(item, shape)

    visit(root, _root_shape(root))


def format_text(text: str, *, path: str) -> str:
    """The canonical text of an existing map or shared file (idempotent; the data never changes).

    ``text`` must be a valid map (the caller loads it first: a file that does not
    validate is left alone). ``path`` names it in messages. Raises
    CommentPlacementError for a comment the formatter cannot keep, FormatterBug
    when the result would differ in data or comments.
    """
    from ruamel.yaml.comments import CommentedMap

    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n")
    comments = scan_comments(text, path)
    root = _yaml().load(text)
    if not isinstance(root, CommentedMap):
        raise FormatterBug(f"{path}: the top level is not a mapping")
    tree = _detach(root, comments)
    _reorder(root)
    _attach(root, tree)
    result = _emit(root)
    _check_unchanged(text, result, path, comments)
    return result


def _to_tree(value: Any, shape: _Shape | None) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, Mapping):
        mapping = CommentedMap()
        for key in _ordered_keys(list(value), shape):
            mapping[key] = _to_tree(value[key], shape.children.get(key) if shape is not None else None)
        mapping.fa.set_flow_style() if not mapping else mapping.fa.set_block_style()
        return mapping
    if isinstance(value, (list, tuple)):
        sequence = CommentedSeq(_to_tree(item, shape) for item in value)
        # A list of ids (touchpoints, addresses, tags) reads best on one line, as the examples write it.
        if not sequence or all(isinstance(item, str) and _SLUG.match(item) for item in sequence):
            sequence.fa.set_flow_style()
        else:
            sequence.fa.set_block_style()
        return sequence
    if isinstance(value, str) and "\n" in value.strip("\n"):
        return LiteralScalarString(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def _expected_plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _expected_plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_expected_plain(item) for item in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def dump_map(data: Mapping[str, Any], *, header: str | None = None) -> str:
    """The canonical text of a new map (or shared file) from plain data with the format's key names.

    ``header`` becomes ``# `` comment lines at the top, followed by a blank line.
    Text with line breaks is written as a literal block (``|``). Raises
    FormatterBug if the text would not read back as ``data``.
    """
    root = _to_tree(data, _root_shape(data))
    if header is not None:
        slot = _Slot(root, None, None, None)
        slot.lines = [f"# {line}".rstrip() for line in header.splitlines()] + [""]
        slot.store()
    text = _emit(root)
    if not same_data(_plain(text, "<dump_map>"), _expected_plain(data)):
        raise FormatterBug("dump_map: the written text does not read back as the data given")
    return text
