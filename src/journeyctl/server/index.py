"""What an editor asks of a map, read off the loader's node tree: entities, ids and references.

Everything here works on the ``SourceMap`` the loader's parser made (the one
parser), so it answers for a map that does not validate yet, as long as its
YAML parses: completion and go-to-definition matter most while a map is being
typed. Which keys name which kind of entity is one table, ``REFERENCES``, the
same references the loader's identity check resolves.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from journeyctl.yamlsource import Position, SourceMap, node_span

#: Entity kinds by the list that holds them, from the map's top level or a stage.
_TOP_LISTS = {"personas": "persona", "channels": "channel", "insights": "insight", "stages": "stage"}
_STAGE_LISTS = {
    "touchpoints": "touchpoint",
    "steps": "step",
    "pain-points": "pain point",
    "opportunities": "opportunity",
    "metrics": "metric",
}

#: For each kind of entity, its keys that name other entities, and the kind each names.
#: ``emotions`` names personas by its keys; ``phase`` and ``baseline`` are open values
#: completed from what the workspace uses.
REFERENCES: dict[str, dict[str, str]] = {
    "touchpoint": {"channel": "channel"},
    "step": {
        "persona": "persona",
        "personas": "persona",
        "emotions": "persona",
        "touchpoints": "touchpoint",
        "branches-from": "step",
        "rejoins": "step",
        "insights": "insight",
    },
    "pain point": {"touchpoint": "touchpoint", "step": "step", "insights": "insight", "metrics": "metric"},
    "opportunity": {"addresses": "pain point", "insights": "insight", "metrics": "metric"},
    "metric": {"step": "step", "touchpoint": "touchpoint", "persona": "persona", "insights": "insight"},
    "funnel": {"persona": "persona", "insights": "insight"},
    "funnel entry": {"stage": "stage", "step": "step"},
}

#: Kinds a shared file can define, so a rename of one reaches every map that includes it.
SHARED_KINDS = frozenset(("persona", "channel", "insight"))

Span = tuple[Position, Position]


def entity_kind(path: tuple[str | int, ...]) -> str | None:
    """The kind of entity whose mapping is at ``path`` (None: not an entity)."""
    if path == ():
        return "map"
    if len(path) == 2 and path[0] in _TOP_LISTS and isinstance(path[1], int):
        return _TOP_LISTS[str(path[0])]
    if path == ("funnel",):
        return "funnel"
    if len(path) == 3 and path[:2] == ("funnel", "entries") and isinstance(path[2], int):
        return "funnel entry"
    if len(path) == 4 and path[0] == "stages" and path[2] in _STAGE_LISTS and isinstance(path[3], int):
        return _STAGE_LISTS[str(path[2])]
    return None


def reference_kind(path: tuple[str | int, ...]) -> str | None:
    """The kind of entity the value at ``path`` names, if it is a reference.

    ``path`` ends at the key (``(..., "persona")``) or at an item of a reference
    list (``(..., "personas", 0)``), or at a key of ``emotions``.
    """
    for cut in (1, 2):
        if len(path) < cut:
            return None
        key = path[-cut]
        if not isinstance(key, str):
            continue
        owner = entity_kind(path[:-cut])
        if owner is None:
            continue
        kind = REFERENCES.get(owner, {}).get(key)
        if kind is None or (cut == 2 and key not in _LIST_KEYS):
            return None
        return kind
    return None


#: Reference keys whose value is a list of ids (or, for ``emotions``, a mapping keyed by id).
_LIST_KEYS = frozenset(("personas", "touchpoints", "insights", "metrics", "addresses", "emotions"))


@dataclass(frozen=True)
class Definition:
    """An entity with an id: where its id is written and what it is called."""

    kind: str
    ident: str
    path: tuple[str | int, ...]
    file: str
    span: Span
    name: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Reference:
    """An id written where an entity is named (``persona: busy-parent``)."""

    kind: str
    ident: str
    path: tuple[str | int, ...]
    file: str
    span: Span


@dataclass
class MapIndex:
    """The definitions and references of one file (a map or a shared file)."""

    file: str
    definitions: list[Definition] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    #: Each stage's phase as written, for completion across the workspace.
    phases: list[str] = field(default_factory=list)
    #: The top-level ``id`` of a map, and its ``include`` entries as written.
    map_id: str | None = None
    includes: list[str] = field(default_factory=list)

    def defined(self, kind: str) -> list[Definition]:
        return [d for d in self.definitions if d.kind == kind]

    def items(self) -> list[Reference | Definition]:
        """References, then definitions: a position on an id finds what is written there."""
        return [*self.references, *self.definitions]


def _scalar_text(node: Any) -> str | None:
    import yaml

    if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str) and node.value:
        return str(node.value)
    return None


def _pairs(node: Any) -> Iterator[tuple[Any, Any]]:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                yield key_node, value_node


def _items(node: Any) -> list[Any]:
    import yaml

    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def build_index(source: SourceMap) -> MapIndex:
    """The definitions and references written in ``source``'s node tree."""
    index = MapIndex(source.path)
    root = source.root
    top = dict((k.value, v) for k, v in _pairs(root))
    index.map_id = _scalar_text(top.get("id"))
    index.includes = [text for item in _items(top.get("include")) if (text := _scalar_text(item))]
    for key, kind in _TOP_LISTS.items():
        for number, item in enumerate(_items(top.get(key))):
            _entity(index, item, (key, number), kind)
            if key == "stages":
                stage = dict((k.value, v) for k, v in _pairs(item))
                phase = _scalar_text(stage.get("phase"))
                if phase:
                    index.phases.append(phase)
                for list_key, item_kind in _STAGE_LISTS.items():
                    for inner, entity in enumerate(_items(stage.get(list_key))):
                        _entity(index, entity, ("stages", number, list_key, inner), item_kind)
    funnel = top.get("funnel")
    if funnel is not None:
        _entity(index, funnel, ("funnel",), "funnel")
        entries = dict((k.value, v) for k, v in _pairs(funnel)).get("entries")
        for number, entry in enumerate(_items(entries)):
            _entity(index, entry, ("funnel", "entries", number), "funnel entry")
    return index


def _entity(index: MapIndex, node: Any, path: tuple[str | int, ...], kind: str) -> None:
    values = {k.value: (k, v) for k, v in _pairs(node)}
    if "id" in values:
        ident = _scalar_text(values["id"][1])
        if ident is not None:
            index.definitions.append(
                Definition(
                    kind,
                    ident,
                    (*path, "id"),
                    index.file,
                    node_span(values["id"][1]),
                    _scalar_text(values.get("name", (None, None))[1])
                    or _scalar_text(values.get("action", (None, None))[1]),
                    _scalar_text(values.get("description", (None, None))[1]),
                )
            )
    for key, target in REFERENCES.get(kind, {}).items():
        if key not in values:
            continue
        value_node = values[key][1]
        if key == "emotions":
            for persona_key, _ in _pairs(value_node):
                if (ident := _scalar_text(persona_key)) is not None:
                    where = (*path, key, ident)
                    index.references.append(
                        Reference(target, ident, where, index.file, node_span(persona_key))
                    )
            continue
        if (ident := _scalar_text(value_node)) is not None:
            index.references.append(Reference(target, ident, (*path, key), index.file, node_span(value_node)))
        for number, item in enumerate(_items(value_node)):
            if (ident := _scalar_text(item)) is not None:
                where = (*path, key, number)
                index.references.append(Reference(target, ident, where, index.file, node_span(item)))
