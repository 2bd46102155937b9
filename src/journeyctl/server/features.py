"""The editor features, as plain functions of a workspace and a position.

Each function takes the ``Workspace``, a file's real path and 0-based
positions in code points, and returns protocol values (``lsprotocol.types``);
the server (app.py) only converts positions and routes requests. What an id
means comes from the node-tree index (index.py), what a key means from the
model's field descriptions, what a rule means from its docstring.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types

from journeyctl.errors import JourneyError
from journeyctl.server.convert import Lines
from journeyctl.server.index import (
    SHARED_KINDS,
    Definition,
    MapIndex,
    Reference,
    Span,
    build_index,
    entity_kind,
    reference_kind,
)
from journeyctl.server.workspace import Workspace, real
from journeyctl.yamlsource import Position, SourceMap, parse

#: Put in place of what is being typed, so that the text around the cursor parses
#: (rust-analyzer inserts a dummy identifier the same way).
_CURSOR = "journeyctl__cursor__"
_WORD_BEFORE = re.compile(r"[A-Za-z0-9_-]*\Z")
_BARE_KEY_LINE = re.compile(r"\s*(?:-\s+)*[A-Za-z0-9_-]*\Z")
_SUPPRESSION = re.compile(
    r"#[ \t]*journeyctl:[ \t]*disable(?:-file)?[ \t]*=[ \t]*([A-Za-z0-9_, \t-]+)", re.IGNORECASE
)
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_DID_YOU_MEAN = re.compile(r"did you mean '([^']+)'\?")


@dataclass(frozen=True)
class Place:
    """A span in a file: what definition, references and renames answer with."""

    path: str
    span: Span


# --- the node tree of the text as it is now ------------------------------------------------


def current_source(workspace: Workspace, path: str) -> SourceMap | None:
    """The node tree of the file's current text, or of the last text of it that parsed."""
    key = real(path)
    checked = workspace.checked.get(key)
    text = workspace.texts.get(key)
    if checked is not None and checked.source is not None and checked.source.text == text:
        return checked.source
    if text is not None:
        from journeyctl.loader import paused_gc

        try:
            with paused_gc():
                return parse(text.encode("utf-8", "surrogatepass"), key)[1]
        except JourneyError:
            pass
    return checked.source if checked is not None else None


def _indexes(workspace: Workspace, path: str, source: SourceMap | None) -> list[MapIndex]:
    """The file's own index, then those of the shared files it includes."""
    key = real(path)
    checked = workspace.checked.get(key)
    if checked is not None and checked.source is source:
        own = checked.index  # built by the check of this very text
    else:
        own = build_index(source) if source is not None else (checked.index if checked else None)
    indexes = [own] if own is not None else []
    if checked is not None:
        indexes.extend(checked.shared.values())
    return indexes


def _cursor_context(
    text: str, position: Position
) -> tuple[tuple[str | int, ...], bool, str, SourceMap] | None:
    """The key path at the cursor, whether a key is being typed there, the word typed so far, and
    the node tree of the text with the word replaced where the text itself does not parse."""
    lines = text.splitlines()
    line_number, col = position
    line = lines[line_number] if line_number < len(lines) else ""
    before = line[:col]
    word_match = _WORD_BEFORE.search(before)
    word = word_match.group() if word_match else ""
    after = line[col:]
    bare = _BARE_KEY_LINE.match(before) is not None and not after.strip(" \t").startswith(":")
    if bare and ":" not in after:
        # A key (or a block list item) being typed: complete it as a key and look at its parent.
        patched = before[: len(before) - len(word)] + _CURSOR + ":"
        found = _parse_patched(lines, line_number, patched, (line_number, len(patched) - 1))
        if found is not None:
            path, _, tree = found
            return path[:-1], True, word, tree
        return None
    try:
        source = parse(text.encode("utf-8", "surrogatepass"), "<buffer>")[1]
        path, on_key = source.path_at(line_number, col)
        return (path[:-1] if on_key else path), on_key, word, source
    except JourneyError:
        pass
    closers = "".join("]" if c == "[" else "}" for c in _unclosed(before))
    patched = before[: len(before) - len(word)] + _CURSOR + closers
    found = _parse_patched(lines, line_number, patched, (line_number, len(before) - len(word)))
    if found is None:
        return None
    return found[0], found[1], word, found[2]


def _unchanged_context(
    workspace: Workspace, key: str, text: str, position: Position
) -> tuple[tuple[str | int, ...], bool, str, SourceMap] | None:
    """The cursor's context from the last check's tree, when only the word being typed changed since.

    Completion comes while typing, at most a debounce after the last check; for a large map,
    parsing again would cost more than the answer is worth (a 1 MB map parses in ~200 ms).
    The text before the word on the cursor's line, and every other line, must be as checked.
    """
    checked = workspace.checked.get(key)
    if checked is None or checked.source is None:
        return None
    old = checked.source.text
    line_number, col = position
    start = _line_start(text, line_number)
    old_start = _line_start(old, line_number)
    if start is None or start != old_start or text[:start] != old[:start]:
        return None
    end, old_end = text.find("\n", start), old.find("\n", start)
    end, old_end = (len(text) if end < 0 else end), (len(old) if old_end < 0 else old_end)
    if text[end:] != old[old_end:]:
        return None
    before = text[start : start + col]
    word_match = _WORD_BEFORE.search(before)
    word = word_match.group() if word_match else ""
    typed_from = col - len(word)
    if old[start : start + typed_from] != before[:typed_from] or not before[:typed_from].rstrip(" -"):
        return None  # a key being typed, or a new line: the structure may differ
    path, on_key = checked.source.path_at(line_number, typed_from)
    if on_key:
        return None
    return path, False, word, checked.source


def _line_start(text: str, number: int) -> int | None:
    index = 0
    for _ in range(number):
        index = text.find("\n", index)
        if index < 0:
            return None
        index += 1
    return index


def _unclosed(text: str) -> list[str]:
    stack: list[str] = []
    for character in text:
        if character in "[{":
            stack.append(character)
        elif character in "]}" and stack:
            stack.pop()
    return list(reversed(stack))


def _parse_patched(
    lines: list[str], number: int, patched: str, position: Position
) -> tuple[tuple[str | int, ...], bool, SourceMap] | None:
    text = "\n".join([*lines[:number], patched, *lines[number + 1 :]]) + "\n"
    try:
        source = parse(text.encode("utf-8", "surrogatepass"), "<buffer>")[1]
    except JourneyError:
        return None
    return (*source.path_at(*position), source)


# --- the model's fields ----------------------------------------------------------------------


def model_at(path: tuple[str | int, ...], *, shared: bool = False) -> Any:
    """The pydantic model of the mapping at ``path`` (None where no model validates it)."""
    from pydantic import BaseModel

    from journeyctl.model import Journey, SharedDefinitions

    model: Any = SharedDefinitions if shared else Journey
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        found = _field(model, part)
        if found is None:
            return None
        model = _inner_model(found.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _field(model: Any, key: str) -> Any:
    for name, info in model.model_fields.items():
        if (info.alias or name) == key:
            return info
    return None


def _inner_model(annotation: Any) -> Any:
    from pydantic import BaseModel

    pending = [annotation]
    while pending:
        current = pending.pop(0)
        if isinstance(current, type) and issubclass(current, BaseModel):
            return current
        pending.extend(typing.get_args(current))
    return None


def _literal_values(annotation: Any) -> list[str]:
    values: list[str] = []
    pending = [annotation]
    while pending:
        current = pending.pop(0)
        if typing.get_origin(current) is typing.Literal:
            values.extend(str(v) for v in typing.get_args(current) if isinstance(v, str))
        else:
            pending.extend(a for a in typing.get_args(current) if not isinstance(a, (str, int, float)))
    return values


def _field_at(path: tuple[str | int, ...], shared: bool) -> tuple[str, Any] | None:
    """The field the key at the end of ``path`` (list indexes dropped) is, with its key."""
    while path and isinstance(path[-1], int):
        path = path[:-1]
    if not path or not isinstance(path[-1], str):
        return None
    model = model_at(path[:-1], shared=shared)
    if model is None:
        return None
    found = _field(model, path[-1])
    return (path[-1], found) if found is not None else None


# --- completion ------------------------------------------------------------------------------


def complete(workspace: Workspace, path: str, position: Position) -> list[types.CompletionItem]:
    """Ids for references, phases, baselines, enum values and keys at the cursor."""
    key = real(path)
    text = workspace.texts.get(key, "")
    from journeyctl.loader import paused_gc

    with paused_gc():
        context = _unchanged_context(workspace, key, text, position) or _cursor_context(text, position)
    if context is None:
        return []
    keys, on_key, word, tree = context
    checked = workspace.checked.get(key)
    shared = bool(checked and checked.is_shared_file)
    lines = Lines(text)
    replace = types.Range(lines.to_lsp((position[0], position[1] - len(word))), lines.to_lsp(position))
    if on_key and reference_kind(keys) is None:
        return _complete_keys(tree, keys, shared, replace)
    # The tree of the text as typed (with the word replaced where it did not parse): its ids are
    # the document's, and parsing it again would double the time of a completion.
    source = tree
    kind = reference_kind(keys) or (
        reference_kind((*keys, 0)) if keys and isinstance(keys[-1], str) else None
    )
    if kind is not None:
        seen: set[str] = set()
        items = []
        for index in _indexes(workspace, key, source):
            for definition in index.defined(kind):
                if definition.ident in seen:
                    continue
                seen.add(definition.ident)
                items.append(
                    types.CompletionItem(
                        label=definition.ident,
                        kind=types.CompletionItemKind.Reference,
                        detail=definition.name or kind,
                        documentation=definition.description,
                        text_edit=types.TextEdit(replace, definition.ident),
                    )
                )
        return items
    trimmed = tuple(k for k in keys if not isinstance(k, int))
    if len(keys) == 3 and keys[0] == "stages" and keys[2] == "phase":
        return _value_items(_phases(workspace, key, source), replace, "phase")
    if keys == ("baseline",):
        ids = sorted({facts.ident for facts in _map_facts(workspace) if real(facts.path) != key})
        return _value_items(ids, replace, "map id")
    from_baseline = _baseline_items(workspace, key, source, keys, replace)
    if from_baseline is not None:
        return from_baseline
    found = _field_at(keys, shared)
    if found is not None:
        values = _literal_values(found[1].annotation)
        if values:
            return _value_items(values, replace, f"{trimmed[-1]} value")
    return []


def _value_items(values: list[str], replace: types.Range, detail: str) -> list[types.CompletionItem]:
    return [
        types.CompletionItem(
            label=value,
            kind=types.CompletionItemKind.EnumMember,
            detail=detail,
            text_edit=types.TextEdit(replace, value),
        )
        for value in values
    ]


def _phases(workspace: Workspace, key: str, source: SourceMap | None) -> list[str]:
    from journeyctl.model.journey import KNOWN_PHASES

    phases = list(KNOWN_PHASES)
    indexes = [build_index(source)] if source is not None else []
    indexes.extend(c.index for c in workspace.checked.values() if c.index is not None)
    for index in indexes:
        phases.extend(p for p in index.phases if p not in phases and _SLUG.match(p))
    return phases


def _baseline_items(
    workspace: Workspace,
    key: str,
    source: SourceMap | None,
    keys: tuple[str | int, ...],
    replace: types.Range,
) -> list[types.CompletionItem] | None:
    """In a future map: the baseline's pain points in ``resolves``, its stages in ``dropped-stages``.

    None where the cursor is in neither; no items when the map names no baseline the
    workspace holds.
    """
    place = keys[:-1] if keys and isinstance(keys[-1], int) else keys
    if place == ("dropped-stages",):
        wanted = "stage"
    elif len(place) == 5 and place[0] == "stages" and place[2] == "opportunities" and place[4] == "resolves":
        wanted = "pain point"
    else:
        return None
    ident = _top_level_text(source, "baseline")
    baseline = next(
        (facts for facts in _map_facts(workspace) if facts.ident == ident and real(facts.path) != key), None
    )
    if baseline is None:
        return []
    if wanted == "stage":
        named = [(stage.ident, stage.name or "stage") for stage in baseline.stages]
    else:
        named = [(pain_point, "pain point") for pain_point in baseline.pain_points]
    return [
        types.CompletionItem(
            label=value,
            kind=types.CompletionItemKind.Reference,
            detail=f"{detail}, in the baseline {baseline.ident}",
            text_edit=types.TextEdit(replace, value),
        )
        for value, detail in named
    ]


def _top_level_text(source: SourceMap | None, name: str) -> str | None:
    """The text of a top-level key's plain value in a node tree, if the tree has one."""
    import yaml

    root = source.root if source is not None else None
    if not isinstance(root, yaml.MappingNode):
        return None
    for key_node, value_node in root.value:
        if key_node.value == name and isinstance(value_node, yaml.ScalarNode):
            return str(value_node.value)
    return None


def _map_facts(workspace: Workspace) -> list[Any]:
    from journeyctl.lint.project import MapFacts

    facts = workspace._workspace_facts().values()
    return [f for f in facts if isinstance(f, MapFacts)]


def _complete_keys(
    tree: SourceMap,
    parent: tuple[str | int, ...],
    shared: bool,
    replace: types.Range,
) -> list[types.CompletionItem]:
    model = model_at(parent, shared=shared)
    if model is None:
        return []
    import yaml

    node = tree.node(parent)
    present = set()
    if isinstance(node, yaml.MappingNode):
        present = {k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    items = []
    for name, info in model.model_fields.items():
        alias = info.alias or name
        if alias in present:
            continue
        items.append(
            types.CompletionItem(
                label=alias,
                kind=types.CompletionItemKind.Field,
                detail="required" if info.is_required() else None,
                documentation=info.description,
                text_edit=types.TextEdit(replace, f"{alias}: "),
            )
        )
    return items


# --- what is under the cursor ----------------------------------------------------------------


def _target_at(workspace: Workspace, path: str, position: Position) -> tuple[str, str, Span, MapIndex] | None:
    """The (kind, id) of the reference or definition at the cursor, its span, and its index."""
    source = current_source(workspace, path)
    if source is None:
        return None
    index = build_index(source)
    for item in index.items():
        start, end = item.span
        if start <= position <= end and item.kind not in ("map", "funnel", "funnel entry"):
            return item.kind, item.ident, item.span, index
    return None


def _definition_of(workspace: Workspace, path: str, kind: str, ident: str) -> Definition | None:
    source = current_source(workspace, path)
    for index in _indexes(workspace, path, source):
        for definition in index.definitions:
            if definition.kind == kind and definition.ident == ident:
                return definition
    return None


def hover(workspace: Workspace, path: str, position: Position) -> types.Hover | None:
    """The entity a reference names, a suppression's rule, or a key's field description."""
    key = real(path)
    text = workspace.texts.get(key, "")
    lines = Lines(text)
    rule = _rule_at(lines.line(position[0]), position[1])
    if rule is not None:
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, rule))
    target = _target_at(workspace, key, position)
    if target is not None:
        kind, ident, span, _ = target
        definition = _definition_of(workspace, key, kind, ident)
        if definition is None:
            body = f"**{kind}** `{ident}`: not defined in this map or its shared files"
        else:
            body = f"**{kind}** `{ident}`"
            if definition.name:
                body += f": {definition.name}"
            if definition.description:
                body += f"\n\n{definition.description}"
            where = Path(definition.file).name
            body += f"\n\ndefined at {where}:{definition.span[0][0] + 1}"
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, body), lines.range(span))
    source = current_source(workspace, key)
    if source is None:
        return None
    keys, on_key = source.path_at(*position)
    if not on_key:
        return None
    checked = workspace.checked.get(key)
    found = _field_at(keys, bool(checked and checked.is_shared_file))
    if found is None or not found[1].description:
        return None
    key_span = source.span(keys, key=True)
    return types.Hover(
        types.MarkupContent(types.MarkupKind.Markdown, f"**{found[0]}**: {found[1].description}"),
        lines.range(key_span) if key_span else None,
    )


def _rule_at(line: str, col: int) -> str | None:
    """The documentation of the rule named under ``col`` in a suppression comment on ``line``."""
    match = _SUPPRESSION.search(line)
    if match is None or not match.start(1) <= col <= match.end(1):
        return None
    for word in re.finditer(r"[A-Za-z0-9_-]+", match.group(1)):
        if match.start(1) + word.start() <= col <= match.start(1) + word.end():
            return _rule_doc(word.group())
    return None


def _rule_doc(name: str) -> str | None:
    from journeyctl.lint.docs import rule_markdown
    from journeyctl.lint.registry import get_registry

    wanted = name.lower()
    for rule in get_registry():
        try:
            if rule.code.lower() == wanted or rule.name == wanted:
                return rule_markdown(rule)
        except JourneyError:
            continue
    return None


# --- definition, references, rename ----------------------------------------------------------


def definition(workspace: Workspace, path: str, position: Position) -> Place | None:
    target = _target_at(workspace, path, position)
    if target is None:
        return None
    found = _definition_of(workspace, path, target[0], target[1])
    return Place(found.file, found.span) if found is not None else None


def _related_files(workspace: Workspace, path: str, kind: str, ident: str) -> list[str]:
    """The files a reference to (kind, id) may be in: this map, or every includer of its shared file."""
    key = real(path)
    found = _definition_of(workspace, key, kind, ident)
    if found is None or kind not in SHARED_KINDS or real(found.file) == key:
        if found is not None and real(found.file) != key:
            return [key, real(found.file)]
        return [key]
    shared_file = real(found.file)
    files = [shared_file]
    from journeyctl.lint.project import MapFacts

    for facts in workspace._workspace_facts().values():
        if isinstance(facts, MapFacts) and shared_file in facts.includes:
            files.append(real(facts.path))
    files.extend(workspace.includers(shared_file))
    if key not in files:
        files.append(key)
    return list(dict.fromkeys(files))


def _file_index(workspace: Workspace, path: str) -> MapIndex | None:
    source = current_source(workspace, path)
    if source is None:
        try:
            source = parse(workspace.read(path), path)[1]
        except JourneyError:
            return None
    return build_index(source)


def _occurrences(workspace: Workspace, path: str, kind: str, ident: str) -> Iterator[Reference | Definition]:
    for file in _related_files(workspace, path, kind, ident):
        index = _file_index(workspace, file)
        if index is None:
            continue
        for item in index.items():
            if item.kind == kind and item.ident == ident:
                yield item


def references(workspace: Workspace, path: str, position: Position, *, declaration: bool) -> list[Place]:
    target = _target_at(workspace, path, position)
    if target is None:
        return []
    places = []
    for item in _occurrences(workspace, path, target[0], target[1]):
        if isinstance(item, Definition) and not declaration:
            continue
        places.append(Place(item.file, item.span))
    return sorted(set(places), key=lambda p: (p.path, p.span))


def prepare_rename(workspace: Workspace, path: str, position: Position) -> Span | None:
    target = _target_at(workspace, path, position)
    return target[2] if target is not None else None


class RenameRefused(Exception):
    """A rename that would break the map: a collision, or a name that is not an id."""


def rename(workspace: Workspace, path: str, position: Position, new: str) -> dict[str, list[Span]]:
    """The spans to rewrite with ``new``, by file; refuses an existing id or a name that is no slug."""
    target = _target_at(workspace, path, position)
    if target is None:
        raise RenameRefused("there is no id under the cursor to rename")
    kind, ident = target[0], target[1]
    if not _SLUG.match(new) or len(new) > 80:
        raise RenameRefused(
            f"'{new}' is not an id: use lowercase letters, digits, '-' and '_', "
            "starting with a letter or digit"
        )
    if new == ident:
        return {}
    files = _related_files(workspace, path, kind, ident)
    edits: dict[str, list[Span]] = {}
    for file in files:
        index = _file_index(workspace, file)
        if index is None:
            continue
        for item in index.definitions:
            if item.kind == kind and item.ident == new:
                line = item.span[0][0] + 1
                raise RenameRefused(
                    f"a {kind} with id '{new}' already exists ({Path(item.file).name}:{line}); "
                    "renaming would make two"
                )
        for index_item in index.items():
            if index_item.kind == kind and index_item.ident == ident:
                edits.setdefault(file, []).append(index_item.span)
    return edits


# --- symbols ---------------------------------------------------------------------------------

_SYMBOL_KINDS = {
    "stage": types.SymbolKind.Namespace,
    "step": types.SymbolKind.Event,
    "touchpoint": types.SymbolKind.Interface,
    "pain point": types.SymbolKind.Struct,
    "opportunity": types.SymbolKind.Function,
    "metric": types.SymbolKind.Number,
    "persona": types.SymbolKind.Class,
    "channel": types.SymbolKind.Enum,
    "insight": types.SymbolKind.String,
}


def symbols(workspace: Workspace, path: str) -> list[types.DocumentSymbol]:
    """Stages with their steps, touchpoints, pain points, opportunities and metrics; personas, channels."""
    source = current_source(workspace, path)
    if source is None:
        return []
    lines = Lines(source.text)
    index = build_index(source)
    top: list[types.DocumentSymbol] = []
    stages: dict[int, list[types.DocumentSymbol]] = {}
    for item in index.definitions:
        if item.kind not in _SYMBOL_KINDS:
            continue
        entity = item.path[:-1]
        whole = source.span(entity) or item.span
        symbol = types.DocumentSymbol(
            name=item.name or item.ident,
            detail=f"{item.kind} {item.ident}",
            kind=_SYMBOL_KINDS[item.kind],
            range=lines.range((min(whole[0], item.span[0]), max(whole[1], item.span[1]))),
            selection_range=lines.range(item.span),
            children=[],
        )
        if item.kind == "stage":
            symbol.children = stages[int(entity[1])] = []
            top.append(symbol)
        elif entity[0] == "stages" and int(entity[1]) in stages:
            stages[int(entity[1])].append(symbol)
        else:
            top.append(symbol)
    return top


# --- code actions ----------------------------------------------------------------------------


def code_actions(
    workspace: Workspace, path: str, diagnostics: Sequence[types.Diagnostic], uri: str
) -> list[types.CodeAction]:
    """Suppressions (line and file), did-you-mean fixes and opportunity stubs for the diagnostics."""
    key = real(path)
    text = workspace.texts.get(key, "")
    lines = Lines(text)
    actions: list[types.CodeAction] = []
    for diagnostic in diagnostics:
        if diagnostic.source != "journeyctl" or not isinstance(diagnostic.code, str):
            continue
        code = diagnostic.code
        suggestion = _DID_YOU_MEAN.search(diagnostic.message)
        if suggestion is not None:
            actions.append(
                _action(
                    f"Change to '{suggestion.group(1)}'",
                    uri,
                    [types.TextEdit(diagnostic.range, suggestion.group(1))],
                    diagnostic,
                    preferred=True,
                )
            )
        if code == "JM201":
            stub = _opportunity_stub(workspace, key, lines, diagnostic)
            if stub is not None:
                actions.append(stub_action(stub, uri, diagnostic))
        if code == "JM000":
            continue  # an invalid map cannot be suppressed
        number = diagnostic.range.start.line
        line = lines.line(number)
        existing = _SUPPRESSION.search(line)
        if existing is not None and "disable-file" not in existing.group(0).lower():
            end = existing.end(1) - (len(existing.group(1)) - len(existing.group(1).rstrip()))
            edit = types.TextEdit(
                types.Range(lines.to_lsp((number, end)), lines.to_lsp((number, end))), f",{code}"
            )
        else:
            at = types.Position(number, len(line.encode("utf-16-le")) // 2)
            edit = types.TextEdit(types.Range(at, at), f"  # journeyctl: disable={code}")
        actions.append(_action(f"Suppress {code} on this line", uri, [edit], diagnostic))
        top = types.Position(0, 0)
        actions.append(
            _action(
                f"Suppress {code} in this file",
                uri,
                [types.TextEdit(types.Range(top, top), f"# journeyctl: disable-file={code}\n")],
                diagnostic,
            )
        )
    return actions


def _action(
    title: str,
    uri: str,
    edits: list[types.TextEdit],
    diagnostic: types.Diagnostic,
    *,
    preferred: bool = False,
) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        is_preferred=preferred or None,
        edit=types.WorkspaceEdit(changes={uri: edits}),
    )


def stub_action(edit: types.TextEdit, uri: str, diagnostic: types.Diagnostic) -> types.CodeAction:
    return _action("Add an opportunity that addresses this pain point", uri, [edit], diagnostic)


def _opportunity_stub(
    workspace: Workspace, key: str, lines: Lines, diagnostic: types.Diagnostic
) -> types.TextEdit | None:
    """Text that adds ``- id: <pain point>-fix`` addressing the pain point to its stage's opportunities."""
    import yaml

    source = current_source(workspace, key)
    if source is None:
        return None
    keys, _ = source.path_at(*lines.from_lsp(diagnostic.range.start))
    if len(keys) < 4 or entity_kind(keys[:4]) != "pain point":
        return None
    pain = source.node((*keys[:4], "id"))
    stage = source.node(keys[:2])
    if not isinstance(pain, yaml.ScalarNode) or not isinstance(stage, yaml.MappingNode) or stage.flow_style:
        return None
    ident = pain.value
    indent = " " * stage.start_mark.column
    item = [
        f"- id: {ident}-fix",
        "  description: TODO say how we remove this pain",
        f"  addresses: [{ident}]",
    ]
    opportunities = source.node((*keys[:2], "opportunities"))
    if isinstance(opportunities, yaml.SequenceNode) and opportunities.value and not opportunities.flow_style:
        first = opportunities.value[0]
        dash = " " * max(first.start_mark.column - 2, 0)
        body = "".join(f"{dash}{part}\n" for part in item)
        line = _line_after(opportunities, lines)
    elif opportunities is None:
        body = f"{indent}opportunities:\n" + "".join(f"{indent}  {part}\n" for part in item)
        line = _line_after(stage, lines)
    else:
        return None
    at: Position = (line, 0)
    if line >= len(lines.lines) and lines.lines and not source.text.endswith(("\n", "\r")):
        body = "\n" + body  # the file ends without a line break
        at = (len(lines.lines) - 1, len(lines.line(len(lines.lines) - 1)))
    position = lines.to_lsp(at)
    return types.TextEdit(types.Range(position, position), body)


def _line_after(node: Any, lines: Lines) -> int:
    """The first line after a block node's text: a block collection's end mark is the next token's."""
    import yaml

    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    end = node.end_mark
    before = lines.line(end.line)[: end.column]
    return int(end.line) if not before.strip() else int(end.line) + 1
