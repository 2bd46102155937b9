"""Small helpers the rule modules share: where to report entities from shared files, readable values."""

from __future__ import annotations

import typing
from pathlib import Path

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap
    from journeyctl.location import Location
    from journeyctl.model import Entity


def is_local(loaded: LoadedMap, entity: Entity) -> bool:
    """True when the entity is written in the map itself, not in a shared file it includes."""
    return entity._file in ("", loaded.path)


def locate_in_map(loaded: LoadedMap, entity: Entity, key: str | None = None) -> Location:
    """Where to report an entity: its own position, or for a shared entity the ``include`` that brought it.

    A finding about a shared persona or channel belongs to the map that relies
    on it: that is the file being linted, where a suppression comment can be
    written, and reporting into the shared file would repeat the finding once
    per including map at a place none of them owns.
    """
    if is_local(loaded, entity):
        return loaded.locate(entity, key)
    journey = loaded.journey
    shared = Path(entity._file).resolve()
    base = Path(loaded.path).parent
    for index, include in enumerate(journey.include):
        if (base / include).resolve() == shared:
            return loaded.locate_value(journey, "include", index)
    return loaded.locate(journey, "include")


def shared_suffix(loaded: LoadedMap, entity: Entity) -> str:
    """`` (from shared/personas.yaml)`` for a shared entity, empty for a local one."""
    return "" if is_local(loaded, entity) else f" (from {entity._file})"


def format_emotion(emotion: int) -> str:
    """``-1 (negative)``: the number a user wrote and what it means."""
    from journeyctl.model.common import EMOTION_LABELS

    sign = "+" if emotion > 0 else ""
    return f"{sign}{emotion} ({EMOTION_LABELS.get(emotion, 'unknown')})"


def format_number(value: float) -> str:
    """A metric value as a person writes it: ``0.41``, ``12``, not ``12.0``."""
    return f"{value:g}"


def _within_one_edit(a: str, b: str) -> bool:
    """True when ``a`` becomes ``b`` by at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        # Two neighbouring letters swapped ("purcahse") is one slip of the fingers.
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def phase_key(phase: str) -> str:
    """A phase as compared for typos: ``after_purchase`` and ``after-purchase`` are the same."""
    return phase.replace("_", "-")


def near_phase(phase: str, candidates: list[str]) -> str | None:
    """The first of ``candidates`` that ``phase`` nearly matches (one edit, or ``_`` for ``-``), if any."""
    key = phase_key(phase)
    for candidate in candidates:
        if candidate != phase and _within_one_edit(key, phase_key(candidate)):
            return candidate
    return None
