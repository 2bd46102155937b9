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
* alias expansion is bounded before anything is expanded, so an alias bomb
  ("billion laughs") is refused in milliseconds;
* merge keys (``<<: *defaults``) work as in YAML 1.1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from journeyctl.errors import LoadError
from journeyctl.location import Location

#: Default cap on a file's size in bytes; ``--max-file-size`` or the
#: ``JOURNEYCTL_MAX_FILE_SIZE`` environment variable override it.
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024

#: Aliases may make a document at most this many times larger (in nodes) than
#: it is written, plus a fixed allowance for small files.
ALIAS_EXPANSION_FACTOR = 10
ALIAS_EXPANSION_ALLOWANCE = 10_000

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
_INFS = frozenset((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"))
_NEG_INFS = frozenset(("-.inf", "-.Inf", "-.INF"))
_NANS = frozenset((".nan", ".NaN", ".NAN"))


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
            def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
                if kind is scalar_node:
                    if not implicit[0]:
                        return _STR
                    if not value or value in words:
                        return _IMPLICIT
                    if value[0] in _NUMERIC_FIRST:
                        return _STR if base_resolve(self, kind, value, implicit) == _STR else _IMPLICIT
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
            child = _child(node, part)
            if child is None:
                return loc
            key_node, value_node = child
            if last and key and key_node is not None:
                return mark_location(self.path, key_node.start_mark)
            node = value_node
            loc = mark_location(self.path, node.start_mark)
        return loc


def _child(node: Any, part: str | int) -> tuple[Any, Any] | None:
    yaml = _yaml()
    if isinstance(node, yaml.MappingNode):
        found = None
        for key_node, value_node in _pairs(node):
            if isinstance(key_node, yaml.ScalarNode) and _key_matches(key_node.value, part):
                found = (key_node, value_node)
                if key_node.tag != _MERGE:
                    return found
        return found
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return None, node.value[part]
    return None


def _key_matches(text: str, part: str | int) -> bool:
    return text == str(part)


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
        root = yaml.compose(text, Loader=_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"YAML syntax error: {exc.problem or exc.context or 'invalid YAML'}"
        if exc.context and exc.problem:
            message += f" ({exc.context}"
            if exc.context_mark is not None and exc.context_mark is not mark:
                message += f" at line {exc.context_mark.line + 1}"
            message += ")"
        raise LoadError(message, mark_location(path, mark) if mark else Location(path, 1, 1)) from None
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
    source = SourceMap(path, root, text)
    if root is None:
        return None, source
    if "&" in text:  # without an anchor there is no alias, so nothing can expand
        _check_expansion(root, path)
    return _Builder(path).build(root), source


def _check_expansion(root: Any, path: str) -> None:
    """Refuse documents whose aliases would expand far beyond their written size."""
    yaml = _yaml()
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    distinct = 0
    first_shared: list[Any] = []

    def size(node: Any) -> int:
        nonlocal distinct
        ident = id(node)
        known = sizes.get(ident)
        if known is not None:
            if not first_shared:
                first_shared.append(node)
            return known
        if ident in in_progress:
            raise LoadError(
                "recursive YAML alias: a node contains an alias to itself",
                mark_location(path, node.start_mark),
            )
        in_progress.add(ident)
        distinct += 1
        total = 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                total += size(key_node) + size(value_node)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                total += size(item)
        in_progress.discard(ident)
        sizes[ident] = total
        return total

    expanded = size(root)
    limit = distinct * ALIAS_EXPANSION_FACTOR + ALIAS_EXPANSION_ALLOWANCE
    if expanded > limit:
        where = first_shared[0] if first_shared else root
        raise LoadError(
            f"YAML aliases expand this document to {expanded:,} nodes from {distinct:,} written "
            f"(limit {limit:,}); refusing a possible alias bomb",
            mark_location(path, where.start_mark),
        )


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

    def build(self, node: Any) -> Any:
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
            return self.mapping(node)
        if kind is self._sequence:
            build = self.build
            return [build(item) for item in node.value]
        return self.scalar(node)

    def mapping(self, node: Any) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        merges: list[Any] = []
        build = self.build
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
                raise self.error(f"duplicate key '{key}' (first defined on line {first})", key_node)
            result[key] = build(value_node)
        for merge_node in merges:
            sources = merge_node.value if isinstance(merge_node, self._sequence) else [merge_node]
            for source in sources:
                if not isinstance(source, self._mapping):
                    raise self.error("a merge key '<<' needs a mapping or a list of mappings", source)
                for key, value in self.mapping(source).items():
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
    """YAML 1.2 core-schema resolution of an untagged plain scalar."""
    if value in _NULLS:
        return None
    if value in _TRUES:
        return True
    if value in _FALSES:
        return False
    if _INT.match(value):
        base = 0 if value[:2] in ("0x", "0o") else 10
        return int(value, base)
    if _FLOAT.match(value):
        return float(value)
    if value in _INFS:
        return float("inf")
    if value in _NEG_INFS:
        return float("-inf")
    if value in _NANS:
        return float("nan")
    return value
