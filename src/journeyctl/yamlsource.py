"""YAML text to plain data, keeping the node tree so any key or value can be located.

Parsing goes through libyaml (PyYAML's ``CSafeLoader`` composer), which builds
nodes with line and column marks about thirty times faster than a pure-Python
parser. Nodes are then turned into plain Python values here rather than by
PyYAML's constructor, so that this module decides the rules:

* YAML 1.2 scalars: only ``true``/``false`` are booleans (``no``, ``on`` and
  ``NO`` stay strings: the "Norway problem"), ``1:20`` is a string, dates stay
  strings for the model to parse;
* no tags beyond the core schema (``!!str``, ``!!int``, ``!!float``,
  ``!!bool``, ``!!null``, ``!!map``, ``!!seq``): no arbitrary objects;
* duplicate keys are errors at the second key;
* alias expansion is bounded before anything is expanded, in nodes and in
  characters of text, so an alias bomb ("billion laughs", or one big scalar
  aliased thousands of times) is refused in milliseconds, at the alias;
* nesting deeper than ``MAX_DEPTH`` lists and mappings is refused, before any
  recursion here can reach Python's limit;
* text holds no control characters (but tab, line feed and carriage return)
  and no Unicode non-characters, however they are written;
* merge keys (``<<: *defaults``) work as in YAML 1.1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from journeyctl.errors import LoadError
from journeyctl.location import Location

#: Default cap on a file's size in bytes; ``--max-file-size`` or the
#: ``JOURNEYCTL_MAX_FILE_SIZE`` environment variable override it.
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024

#: Aliases may make a document at most this many times larger than it is written, in nodes
#: and in characters of text, plus a fixed allowance of each for small files.
ALIAS_EXPANSION_FACTOR = 10
ALIAS_EXPANSION_ALLOWANCE = 10_000
ALIAS_EXPANSION_TEXT_ALLOWANCE = 1_000_000

#: The deepest nesting of lists and mappings accepted (a journey map needs 6). libyaml stops
#: at 1,000 levels, but the walks here recurse, and aliases can nest deeper than the text.
MAX_DEPTH = 100

_CORE = "tag:yaml.org,2002:"
_STR = _CORE + "str"
_MAP = _CORE + "map"
_SEQ = _CORE + "seq"
_MERGE = _CORE + "merge"
_ALLOWED_TAGS = frozenset(
    _CORE + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge", "value")
)
_INT = re.compile(r"[-+]?[0-9][0-9_]*\Z|0x[0-9a-fA-F_]+\Z|0o[0-7_]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUES = frozenset(("true", "True", "TRUE"))
_FALSES = frozenset(("false", "False", "FALSE"))
#: Plain words that YAML 1.1 reads as booleans and YAML 1.2 (journeyctl) as text.
YAML11_BOOLEANS = frozenset(
    word for base in ("yes", "no", "on", "off", "y", "n") for word in (base, base.capitalize(), base.upper())
)
_INFS = frozenset((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"))
_NEG_INFS = frozenset(("-.inf", "-.Inf", "-.INF"))
_NANS = frozenset((".nan", ".NaN", ".NAN"))

#: What text may not hold (``_is_forbidden``): C0 controls but tab, line feed and carriage
#: return; DEL; C1 controls; Unicode non-characters (U+FDD0..U+FDEF and the last two code
#: points of every plane). Terminals obey controls, XML 1.0 (SVG, JUnit) cannot carry most of
#: them, and the renderers' tools fail on non-characters; no journey map needs one.
#: Searched for as a superset made of ranges only: a class listing the 34 plane ends one by
#: one made the search eight times slower (30 MB/s), and 0.12 s of a 300-map validate.
_SUSPECT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\U0001fffe-\U0010ffff]")
#: Double-quoted escapes that can make such a character.
_SUSPECT_ESCAPE = re.compile(r"\\[0abvfeNxuU]")
#: A double-quoted scalar's escapes, or a suspect character, for finding the column.
_ESCAPE_OR_SUSPECT = re.compile(
    r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)|" + _SUSPECT.pattern, re.DOTALL
)
_SINGLE_ESCAPES = {"0": "\x00", "a": "\x07", "b": "\x08", "v": "\x0b", "f": "\x0c", "e": "\x1b", "N": "\x85"}
# fmt: off
_C0_NAMES = (
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI",
    "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
)
# fmt: on
#: Line breaks as libyaml counts them for marks.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _yaml() -> Any:
    import yaml

    return yaml


#: The tag our resolver gives a plain scalar that might be a number, boolean or null: the
#: builder resolves it by YAML 1.2 rules. An object, not a string, so no tag written in a file
#: can ever equal it.
_IMPLICIT: Any = object()
#: First characters of plain scalars that may be numbers (or ``.inf``, ``.nan``, dates).
_NUMERIC_FIRST = frozenset("0123456789+-.")
_loader_class: Any = None


def _loader() -> Any:
    """CSafeLoader with a resolver that does only what this module needs.

    PyYAML's resolver is Python code that libyaml's composer calls for every node, and it
    tries YAML 1.1's regular expressions on every plain scalar; the builder re-resolves them by
    YAML 1.2 rules anyway. The profile of ``journeyctl validate`` on the 1,000-map corpus put
    a third of the composition time there. This resolver answers text for everything that
    resolves to text either way (quoted scalars, plain words), and leaves to the builder only
    what may be a null, boolean or number. Scalars that may be numbers still go through
    PyYAML's resolver first, as they always did: the loader has resolved a plain scalar by
    YAML 1.2 rules only when YAML 1.1 also saw a typed value (so ``1e3`` and ``0o17`` stay
    text), and that stays so.
    """
    global _loader_class
    if _loader_class is None:
        yaml = _yaml()
        scalar_node, sequence_node = yaml.ScalarNode, yaml.SequenceNode
        base_resolve = yaml.resolver.Resolver.resolve
        words = _NULLS | _TRUES | _FALSES

        class Loader(yaml.CSafeLoader):  # type: ignore[misc,name-defined]
            #: Whether a plain scalar is a word YAML 1.1 reads as a boolean (``no``, ``on``...).
            yaml11_booleans = False

            def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
                if kind is scalar_node:
                    if not implicit[0]:
                        return _STR
                    if not value or value in words:
                        return _IMPLICIT
                    if value[0] in _NUMERIC_FIRST:
                        return _STR if base_resolve(self, kind, value, implicit) == _STR else _IMPLICIT
                    if value in YAML11_BOOLEANS:
                        self.yaml11_booleans = True
                    return _MERGE if value == "<<" else _STR
                return _SEQ if kind is sequence_node else _MAP

            def descend_resolver(self, current_node: Any, current_index: Any) -> None:
                pass  # no path resolvers

            def ascend_resolver(self) -> None:
                pass

        _loader_class = Loader
    return _loader_class


def decode(data: bytes, path: str) -> str:
    """Decode UTF-8 (with or without a BOM); a bad byte is a located error."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise LoadError(
            f"file is not valid UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded; "
            "save the file as UTF-8",
            Location(path, line, col),
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def mark_location(path: str, mark: Any) -> Location:
    return Location(path, mark.line + 1, mark.column + 1)


def size_limit_error(path: str, size: int, max_size: int) -> LoadError:
    """The error for a file over the size cap (``size`` as far as it is known)."""
    return LoadError(
        f"file is {size:,} bytes, over the {max_size:,}-byte limit; "
        "raise it with --max-file-size or JOURNEYCTL_MAX_FILE_SIZE",
        Location(path),
    )


@dataclass
class SourceMap:
    """The composed node tree of one file: finds the position of any key path."""

    path: str
    root: Any
    text: str
    #: Whether a plain scalar of the file (no quotes, no tag) is a word YAML 1.1 reads as a
    #: boolean (``no``, ``on``): a file without one is spared the search (rule unquoted-yes-no).
    yaml11_booleans: bool = True
    # Each located mapping's keys, by id() of its node: a lookup per key rather than a scan of
    # the mapping, which made locating 20,000 unknown keys of one mapping quadratic. Not
    # pickled: the ids would not survive the trip to another process.
    _keys: dict[int, dict[str, tuple[Any, Any]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    #: Spans by start position, built on the first ``span_at`` (editors only; lint never asks).
    _starts: dict[Position, tuple[Position, Position]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_keys": {}, "_starts": None}

    def locate(self, keys: tuple[str | int, ...] | list[str | int], *, key: bool = False) -> Location:
        """Position of the value at ``keys`` (or of its key, with ``key=True``).

        Walks as far as the path exists and returns the deepest position found,
        so a missing key is reported at the mapping that should hold it.
        """
        node = self.root
        if node is None:
            return Location(self.path, 1, 1)
        loc = mark_location(self.path, node.start_mark)
        for index, part in enumerate(keys):
            last = index == len(keys) - 1
            child = self._child(node, part)
            if child is None:
                return loc
            key_node, value_node = child
            if last and key and key_node is not None:
                return mark_location(self.path, key_node.start_mark)
            node = value_node
            loc = mark_location(self.path, node.start_mark)
        return loc

    def node(self, keys: tuple[str | int, ...] | list[str | int]) -> Any:
        """The YAML node of the value at ``keys``, or None where the path is not written."""
        node = self.root
        for part in keys:
            child = self._child(node, part) if node is not None else None
            if child is None:
                return None
            node = child[1]
        return node

    def is_plain(self, keys: tuple[str | int, ...] | list[str | int]) -> bool:
        """Whether the value at ``keys`` is a plain scalar: no quotes and no tag (``!!str no``).

        The resolver gives every untagged plain text this module's own ``_STR`` object; a tag
        written in the file is another string, equal but never the same object.
        """
        node = self.node(keys)
        return isinstance(node, _yaml().ScalarNode) and not node.style and node.tag is _STR

    def is_quoted(self, keys: tuple[str | int, ...] | list[str | int]) -> bool:
        """Whether the value at ``keys`` is a scalar written in quotes (``"60"``, ``'60'``)."""
        node = self.node(keys)
        return isinstance(node, _yaml().ScalarNode) and node.style in ("'", '"')

    def split_off_by_comma(self, keys: tuple[str | int, ...] | list[str | int]) -> str | None:
        """The key before ``keys`` when ``keys`` names a key that a comma split off its value.

        In ``{ name: Guidebooks, forums and friends, kind: other }`` the comma ends the name,
        and ``forums and friends`` becomes a key of its own with no value: this returns
        ``name`` for it. None for any other key.
        """
        if not keys:
            return None
        parent = self.node(keys[:-1])
        yaml = _yaml()
        if not isinstance(parent, yaml.MappingNode) or not parent.flow_style:
            return None
        previous = None
        for key_node, value_node in parent.value:
            if getattr(key_node, "value", None) == keys[-1]:
                empty = (
                    isinstance(value_node, yaml.ScalarNode)
                    and value_node.value == ""
                    and not value_node.style
                    and value_node.start_mark.index == value_node.end_mark.index
                )
                return previous if empty else None
            previous = getattr(key_node, "value", None) if isinstance(key_node, yaml.ScalarNode) else None
        return None

    def is_flow_list(self, keys: tuple[str | int, ...] | list[str | int]) -> bool:
        """Whether the value at ``keys`` is a list written in brackets (``[a, b]``)."""
        node = self.node(keys)
        return isinstance(node, _yaml().SequenceNode) and bool(node.flow_style)

    def span(
        self, keys: tuple[str | int, ...] | list[str | int], *, key: bool = False
    ) -> tuple[Position, Position] | None:
        """Where the value at ``keys`` (or its key) starts and ends, 0-based; None if not written.

        For editors (the language server): a diagnostic or a rename covers the
        whole key or value, not only its first character.
        """
        if not keys:
            return None if self.root is None else node_span(self.root)
        parent = self.node(keys[:-1])
        child = self._child(parent, keys[-1]) if parent is not None else None
        if child is None:
            return None
        node = child[0] if key and child[0] is not None else child[1]
        return node_span(node)

    def span_at(self, line: int, col: int) -> tuple[Position, Position] | None:
        """The span of the smallest key or value written at 1-based ``line:col`` (a Location's).

        Lets a located error be shown over the key or value it is about. Scalars win
        over the mapping or list that starts at the same place (its first key).
        """
        if self._starts is None:
            self._starts = _spans_by_start(self.root)
        return self._starts.get((line - 1, col - 1))

    def path_at(self, line: int, col: int) -> tuple[tuple[str | int, ...], bool]:
        """The key path under a 0-based position, and whether the position is on a key.

        A position after a key on its line (``persona: |``) is in that key's value, even
        an empty one; a position in a mapping or list between entries is the collection's.
        """
        return path_at(self.root, (line, col))

    def _child(self, node: Any, part: str | int) -> tuple[Any, Any] | None:
        yaml = _yaml()
        if isinstance(node, yaml.MappingNode):
            keys = self._keys.get(id(node))
            if keys is None:
                keys = self._keys[id(node)] = _key_index(node)
            return keys.get(str(part))
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            return None, node.value[part]
        return None


#: A 0-based (line, column) in a file's text, as libyaml marks count them (code points).
Position = tuple[int, int]


def node_span(node: Any) -> tuple[Position, Position]:
    """Where a YAML node starts and ends, 0-based."""
    start, end = node.start_mark, node.end_mark
    return (start.line, start.column), (end.line, end.column)


def _spans_by_start(root: Any) -> dict[Position, tuple[Position, Position]]:
    yaml = _yaml()
    scalar, mapping = yaml.ScalarNode, yaml.MappingNode
    spans: dict[Position, tuple[Position, Position]] = {}
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an aliased node is located where it is written
            continue
        seen.add(id(node))
        span = node_span(node)
        if type(node) is scalar or span[0] not in spans:
            spans[span[0]] = span
        if type(node) is not scalar:
            stack.extend(_children(node, mapping))
    return spans


def path_at(root: Any, position: Position) -> tuple[tuple[str | int, ...], bool]:
    """See ``SourceMap.path_at``."""
    yaml = _yaml()
    mapping, sequence = yaml.MappingNode, yaml.SequenceNode
    path: list[str | int] = []
    node = root
    while node is not None:
        if type(node) is mapping:
            chosen = None
            for key_node, value_node in node.value:
                key_start, key_end = node_span(key_node)
                value_start, value_end = node_span(value_node)
                if key_start <= position <= key_end and key_start != key_end:
                    path.append(key_node.value)
                    return tuple(path), True
                after_key = key_end[0] == position[0] and position > key_end
                # The value of the key on the cursor's line, or the collection the cursor is in.
                if (value_start <= position <= value_end) or (after_key and value_start >= key_end):
                    chosen = (key_node, value_node)
                    if value_start <= position <= value_end and type(value_node) in (mapping, sequence):
                        break
            if chosen is None:
                break
            path.append(chosen[0].value)
            node = chosen[1]
        elif type(node) is sequence:
            item = next(
                (
                    (index, child)
                    for index, child in enumerate(node.value)
                    if node_span(child)[0] <= position <= node_span(child)[1]
                ),
                None,
            )
            if item is None:
                break
            path.append(item[0])
            node = item[1]
        else:
            break
    return tuple(path), False


def _key_index(node: Any) -> dict[str, tuple[Any, Any]]:
    """A mapping's pairs by key text; a key of its own wins over a merged one, as in the data."""
    scalar = _yaml().ScalarNode
    index: dict[str, tuple[Any, Any]] = {}
    for key_node, value_node in _pairs(node):
        if type(key_node) is scalar:
            index.setdefault(key_node.value, (key_node, value_node))
    return index


def _pairs(node: Any) -> Iterator[tuple[Any, Any]]:
    """A mapping's own pairs, then those merged in with ``<<``."""
    yaml = _yaml()
    merged: list[Any] = []
    for key_node, value_node in node.value:
        if key_node.tag == _MERGE:
            if isinstance(value_node, yaml.SequenceNode):
                merged.extend(value_node.value)
            else:
                merged.append(value_node)
            continue
        yield key_node, value_node
    for source in merged:
        if isinstance(source, yaml.MappingNode):
            yield from _pairs(source)


def parse(data: bytes, path: str, *, max_size: int | None = DEFAULT_MAX_FILE_SIZE) -> tuple[Any, SourceMap]:
    """Parse one YAML document into plain data and the map of its positions."""
    if max_size is not None and len(data) > max_size:
        raise size_limit_error(path, len(data), max_size)
    text = decode(data, path)
    yaml = _yaml()
    try:
        loader = _loader()(text)  # what yaml.compose does, keeping the loader to ask it
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        if exc.problem == "exceeded maximum nesting depth":
            mark = exc.problem_mark or exc.context_mark
            raise LoadError(
                _depth_message(), mark_location(path, mark) if mark else Location(path, 1, 1)
            ) from None
        from journeyctl.yamlslips import explain

        raise explain(exc, text, path) from None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line = before.count("\n") + 1
        col = exc.position - (before.rfind("\n") + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise LoadError(
            f"YAML syntax error: character U+{code:04X} is not allowed in YAML text",
            Location(path, line, col),
        ) from None
    except yaml.YAMLError as exc:
        raise LoadError(f"YAML error: {exc}", Location(path, 1, 1)) from None
    source = SourceMap(path, root, text, yaml11_booleans=loader.yaml11_booleans)
    if root is None:
        return None, source
    if "&" in text:  # without an anchor there is no alias, so nothing can expand
        _check_expansion(root, text, path)
    document = _Builder(path).build(root, 1)
    # libyaml refuses these characters written as themselves, all but the non-characters:
    # so only an escape, or text beyond ASCII, can bring one in. Most files have neither,
    # and are spared the walk over their values.
    if ("\\" in text and _SUSPECT_ESCAPE.search(text)) or (not text.isascii() and _SUSPECT.search(text)):
        _check_characters(root, text, path)
    return document, source


def _depth_message() -> str:
    return (
        f"lists and mappings are nested more than {MAX_DEPTH} levels deep "
        "(a journey map needs 6); refusing the file"
    )


def _check_expansion(root: Any, text: str, path: str) -> None:
    """Refuse documents whose aliases would expand far beyond their written size.

    The size of every distinct node is computed once, in nodes and in characters of
    scalar text: counting nodes alone let 3,000 aliases of one 1 MB title through.
    """
    yaml = _yaml()
    scalar, mapping = yaml.ScalarNode, yaml.MappingNode
    sizes: dict[int, tuple[int, int]] = {}
    in_progress: set[int] = set()
    written_nodes = written_text = 0

    def size(node: Any, depth: int) -> tuple[int, int]:
        nonlocal written_nodes, written_text
        ident = id(node)
        known = sizes.get(ident)
        if known is not None:
            return known
        written_nodes += 1
        if type(node) is scalar:
            written_text += len(node.value)
            known = sizes[ident] = (1, len(node.value))
            return known
        if ident in in_progress:
            raise LoadError(
                "recursive YAML alias: a node contains an alias to itself",
                mark_location(path, node.start_mark),
            )
        if depth > MAX_DEPTH:
            raise LoadError(_depth_message(), mark_location(path, node.start_mark))
        in_progress.add(ident)
        nodes, chars = 1, 0
        children = _children(node, mapping)
        for child in children:
            child_nodes, child_chars = size(child, depth + 1)
            nodes += child_nodes
            chars += child_chars
        in_progress.discard(ident)
        known = sizes[ident] = (nodes, chars)
        return known

    nodes, chars = size(root, 1)
    node_limit = written_nodes * ALIAS_EXPANSION_FACTOR + ALIAS_EXPANSION_ALLOWANCE
    text_limit = written_text * ALIAS_EXPANSION_FACTOR + ALIAS_EXPANSION_TEXT_ALLOWANCE
    if nodes <= node_limit and chars <= text_limit:
        return
    if nodes > node_limit:
        expansion = f"{nodes:,} nodes from {written_nodes:,} written (limit {node_limit:,})"
    else:
        expansion = f"{chars:,} characters of text from {written_text:,} written (limit {text_limit:,})"
    alias = _alias_past_limit(root, sizes, node_limit, text_limit)
    raise LoadError(
        f"YAML aliases expand this document to {expansion}, past the limit from this alias on; "
        "refusing a possible alias bomb",
        _alias_location(text, path, alias) or mark_location(path, root.start_mark),
    )


def _children(node: Any, mapping: Any) -> list[Any]:
    """A collection node's keys and values (or items), in the order they were written."""
    if type(node) is mapping:
        return [part for pair in node.value for part in pair]
    return list(node.value)


def _alias_past_limit(root: Any, sizes: dict[int, tuple[int, int]], node_limit: int, text_limit: int) -> int:
    """Which alias (1 for the first written) takes the expanded size over a limit.

    Walks the nodes in document order, entering each only the first time it is met (where
    it is written); every later meeting is an alias, met in the order aliases are written.
    """
    scalar, mapping = _yaml().ScalarNode, _yaml().MappingNode
    seen: set[int] = set()
    nodes = chars = aliases = 0
    stack = [root]
    while stack:
        node = stack.pop()
        ident = id(node)
        if ident in seen:
            aliases += 1
            more_nodes, more_chars = sizes[ident]
            nodes += more_nodes
            chars += more_chars
            if nodes > node_limit or chars > text_limit:
                return aliases
            continue
        seen.add(ident)
        nodes += 1
        if type(node) is scalar:
            chars += len(node.value)
        else:
            stack.extend(reversed(_children(node, mapping)))
    return aliases  # pragma: no cover - only aliases add beyond the written size


def _alias_location(text: str, path: str, number: int) -> Location | None:
    """Where the ``number``-th alias is written; only the events before it are parsed."""
    yaml = _yaml()
    seen = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.AliasEvent):
            seen += 1
            if seen == number:
                return mark_location(path, event.start_mark)
    return None  # pragma: no cover - the composer saw this many aliases


def _check_characters(root: Any, text: str, path: str) -> None:
    """Refuse text holding a control character or a non-character, at the first one written."""
    yaml = _yaml()
    scalar, mapping = yaml.ScalarNode, yaml.MappingNode
    seen: set[int] = set()
    offending: list[Any] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if type(node) is scalar:
            if _first_forbidden(node.value) is not None:
                offending.append(node)
        else:
            stack.extend(reversed(_children(node, mapping)))
    if not offending:
        return
    node = offending[0]
    index = _first_forbidden(node.value)
    assert index is not None
    character = node.value[index]
    code = ord(character)
    where, escape = _character_position(text, node, character)
    message = f"text holds the character U+{code:04X} ({_character_kind(code)}), which journeyctl refuses"
    if escape:
        message += f" (written as the escape {escape})"
    message += "; delete it"
    if code in (0x0B, 0x0C, 0x85):
        message += " or use a line break"
    if len(offending) > 1:
        message += f" ({len(offending) - 1:,} more values in this file hold such characters)"
    raise LoadError(message, _location_at(path, text, node.start_mark, where))


def _is_forbidden(code: int) -> bool:
    if code < 0x20:
        return code not in (0x09, 0x0A, 0x0D)
    return 0x7F <= code <= 0x9F or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def _first_forbidden(text: str) -> int | None:
    """The index of the first character of ``text`` that text may not hold, if any."""
    for match in _SUSPECT.finditer(text):
        if _is_forbidden(ord(match.group())):
            return match.start()
    return None


def _character_kind(code: int) -> str:
    if code < 0x20:
        return f"{_C0_NAMES[code]}, a control character"
    if code == 0x7F:
        return "DEL, a control character"
    if code <= 0x9F:
        return "a C1 control character"
    return "a Unicode non-character"


def _character_position(text: str, node: Any, character: str) -> tuple[int, str | None]:
    """The index in ``text`` where ``node`` writes ``character``, and the escape it uses if any."""
    start, end = node.start_mark.index, node.end_mark.index
    quoted = node.style == '"'
    for match in _ESCAPE_OR_SUSPECT.finditer(text, start, end):
        written = match.group()
        if not written.startswith("\\"):
            if written == character:
                return match.start(), None
            continue
        if not quoted:
            continue
        code = written[1]
        meant = chr(int(written[2:], 16)) if code in "xuU" and len(written) > 2 else _SINGLE_ESCAPES.get(code)
        if meant == character:
            return match.start(), written
    return start, None  # pragma: no cover - the value came from this span


def _location_at(path: str, text: str, mark: Any, index: int) -> Location:
    """The location of ``text[index]``, counted from a mark before it."""
    line, column = mark.line, mark.column
    last_break_end = None
    for line_break in _LINE_BREAK.finditer(text, mark.index, index):
        line += 1
        last_break_end = line_break.end()
    if last_break_end is None:
        column += index - mark.index
    else:
        column = index - last_break_end
    return Location(path, line + 1, column + 1)


class _Builder:
    """Turns composed nodes into dicts, lists and scalars under this module's rules."""

    # Every node of every file passes through here, so the code favours speed: node classes
    # compared by identity (libyaml's composer makes exactly these classes), locals for
    # globals, and the duplicate key's first occurrence looked up only when there is one.

    def __init__(self, path: str) -> None:
        self.path = path
        yaml = _yaml()
        self._mapping = yaml.MappingNode
        self._sequence = yaml.SequenceNode
        self._scalar = yaml.ScalarNode

    def error(self, message: str, node: Any) -> LoadError:
        return LoadError(message, mark_location(self.path, node.start_mark))

    def build(self, node: Any, depth: int) -> Any:
        """The value of ``node``, a list or mapping ``depth`` levels deep (the top is 1)."""
        tag = node.tag
        kind = type(node)
        if kind is self._scalar:
            if tag is _STR or tag == _STR:
                return node.value
            if tag is _IMPLICIT:
                return resolve_scalar(node.value)
        if tag not in _ALLOWED_TAGS:
            raise self.error(
                f"YAML tag '{tag}' is not allowed: journey maps use plain YAML values only", node
            )
        if kind is self._mapping:
            return self.mapping(node, depth)
        if kind is self._sequence:
            if depth > MAX_DEPTH:
                raise self.error(_depth_message(), node)
            build = self.build
            inner = depth + 1
            return [build(item, inner) for item in node.value]
        return self.scalar(node)

    def mapping(self, node: Any, depth: int) -> dict[Any, Any]:
        if depth > MAX_DEPTH:
            raise self.error(_depth_message(), node)
        result: dict[Any, Any] = {}
        merges: list[Any] = []
        build = self.build
        inner = depth + 1
        scalar_kind = self._scalar
        for key_node, value_node in node.value:
            tag = key_node.tag
            if tag == _MERGE:
                merges.append(value_node)
                continue
            if type(key_node) is not scalar_kind:
                raise self.error("a mapping key must be a plain value, not a list or mapping", key_node)
            key = key_node.value if tag is _STR or tag == _STR else resolve_scalar(key_node.value)
            if key.__class__ is not str and not isinstance(key, (str, int, float, bool)) and key is not None:
                raise self.error("unsupported mapping key", key_node)
            if key in result:
                first = self._first_key_node(node, key).start_mark.line + 1
                error = self.error(f"duplicate key '{key}' (first defined on line {first})", key_node)
                error.hint = "keep one of the two: a key may appear only once in a mapping"
                raise error
            result[key] = build(value_node, inner)
        for merge_node in merges:
            sources = merge_node.value if isinstance(merge_node, self._sequence) else [merge_node]
            for source in sources:
                if not isinstance(source, self._mapping):
                    raise self.error("a merge key '<<' needs a mapping or a list of mappings", source)
                for key, value in self.mapping(source, inner).items():
                    result.setdefault(key, value)
        return result

    def _first_key_node(self, node: Any, key: Any) -> Any:
        """The first key node of a mapping whose key equals ``key`` (as a dict compares keys)."""
        for key_node, _ in node.value:
            if key_node.tag == _MERGE or type(key_node) is not self._scalar:
                continue
            if key in {self.scalar(key_node): None}:
                return key_node
        raise AssertionError("duplicate key without a first occurrence")  # pragma: no cover

    def scalar(self, node: Any) -> Any:
        value: str = node.value
        if node.tag == _STR:
            return value
        return resolve_scalar(value)


def resolve_scalar(value: str) -> Any:
    """YAML 1.2 core-schema resolution of an untagged plain scalar.

    A scalar shaped like a number that Python cannot read as one (``1__``, ``0x_``, ``1._``,
    or an integer of more than 4,300 digits, Python's limit) stays text: the format then
    says where a number was expected.
    """
    if value in _NULLS:
        return None
    if value in _TRUES:
        return True
    if value in _FALSES:
        return False
    try:
        if _INT.match(value):
            return int(value, 0 if value[:2] in ("0x", "0o") else 10)
        if _FLOAT.match(value):
            return float(value)
    except ValueError:
        return value
    if value in _INFS:
        return float("inf")
    if value in _NEG_INFS:
        return float("-inf")
    if value in _NANS:
        return float("nan")
    return value
