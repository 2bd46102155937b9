"""Journey map files to validated models, with every error located in its file.

``load_file`` and ``load_bytes`` return a ``LoadedMap`` (the model plus the
source positions of everything in it) or raise ``MapInvalid`` holding every
problem found, each with ``path:line:col``. Files are checked in three passes:
YAML (syntax, duplicate keys, tags, alias bombs, nesting, characters), the format
(pydantic models), then identity (unique ids, references that resolve). Only
regular files are read, never more than the size cap allows, and a file reports
at most ``MAX_ERRORS_PER_FILE`` errors, the rest counted in the last one.
"""

from __future__ import annotations

import datetime
import difflib
import errno
import gc
import math
import os
import re
import stat
import types
import typing
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeyctl.errors import (
    DanglingReferenceError,
    JourneyError,
    LoadError,
    MapInvalid,
    SchemaError,
)
from journeyctl.location import Location
from journeyctl.yamlsource import DEFAULT_MAX_FILE_SIZE, SourceMap, parse, size_limit_error

if typing.TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

    from journeyctl.model import Entity, FunnelEntry, Journey, SharedDefinitions

#: Reads an included file given its resolved path; the default reads the disk,
#: ``journeyctl diff`` passes one that reads git blobs.
IncludeReader = Callable[[Path], bytes]

#: Errors shown for one file; past this, one last error counts the rest (as compilers do),
#: so a file of 20,000 unknown keys reads as a page, and suggestions are computed for few.
MAX_ERRORS_PER_FILE = 100

#: Whether valid maps and shared files are built by plain.py (without importing pydantic);
#: tests turn it off to compare with pydantic's models.
_PLAIN_BUILDS = True


@dataclass
class LoadedMap:
    """A valid journey map and where each part of it was written."""

    journey: Journey
    path: str
    source: SourceMap
    sources: dict[str, SourceMap] = field(default_factory=dict)

    def locate(self, entity: Entity, key: str | None = None) -> Location:
        """Position of an entity (its first key), or of one of its keys' values."""
        source = self.sources.get(entity._file, self.source)
        if key is None:
            return source.locate(entity._path)
        location = source.locate((*entity._path, key), key=True)
        return location

    def locate_key(self, entity: Entity, key: str, *rest: str | int) -> Location:
        """Position of the key at ``key`` (and deeper parts) of an entity, such as a mapping's key."""
        source = self.sources.get(entity._file, self.source)
        return source.locate((*entity._path, key, *rest), key=True)

    def locate_value(self, entity: Entity, key: str, *rest: str | int) -> Location:
        """Position of the value at ``key`` (and deeper parts) of an entity."""
        source = self.sources.get(entity._file, self.source)
        return source.locate((*entity._path, key, *rest))


def max_file_size_from_env() -> int | None:
    raw = os.environ.get("JOURNEYCTL_MAX_FILE_SIZE")
    if not raw:
        return DEFAULT_MAX_FILE_SIZE
    try:
        value = int(raw)
    except ValueError:
        raise LoadError(
            f"JOURNEYCTL_MAX_FILE_SIZE must be a number of bytes (0 for no limit), not {raw!r}"
        ) from None
    return value or None


def read_file(path: str | Path, *, max_size: int | None = None) -> bytes:
    """The bytes of a regular file, or a LoadError that says plainly what is wrong.

    With ``max_size``, a larger file is refused having read at most one byte past the cap.
    """
    data, size = read_head(path, max_size)
    if max_size is not None and size > max_size:
        raise size_limit_error(str(path), size, max_size)
    return data


def read_journey_file(path: str | Path, *, max_size: int | None, skip_others: bool) -> bytes | None:
    """The bytes of a file to check, or None for a file that is neither a journey map nor a
    shared file, when ``skip_others`` (found in a walk, not named).

    Over the size cap, a journey file is a LoadError and any other file is still skipped,
    both decided from the first ``max_size`` + 1 bytes: the rest is never read.
    """
    from journeyctl.walk import is_journey_text

    data, size = read_head(path, max_size)
    if skip_others and not is_journey_text(data):
        return None
    if max_size is not None and size > max_size:
        raise size_limit_error(str(path), size, max_size)
    return data


def read_head(path: str | Path, max_size: int | None) -> tuple[bytes, int]:
    """A regular file's bytes (at most ``max_size`` + 1 of them) and its size.

    Only regular files are read, symbolic links to them included: a FIFO would block
    forever and /dev/zero never ends. The file is looked at before it is opened (opening a
    device can have effects), then opened without blocking and checked again, in case it
    was swapped in between.
    """
    name = os.fspath(path)
    if "\0" in name:
        raise LoadError(f"{name!r}: a path cannot contain a NUL character")
    try:
        _refuse_special(path, os.stat(path).st_mode)
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _read_error(path, exc) from None
    with open(descriptor, "rb") as handle:
        try:
            info = os.fstat(descriptor)
            _refuse_special(path, info.st_mode)
            size = info.st_size
            data = handle.read() if max_size is None else handle.read(max_size + 1)
        except OSError as exc:
            raise _read_error(path, exc) from None
    return data, max(size, len(data))


# Non-blocking, so that a FIFO swapped in after the check cannot hang the open.
_OPEN_FLAGS = os.O_RDONLY | sum(getattr(os, flag, 0) for flag in ("O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC"))


def _refuse_special(path: str | Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise LoadError(f"{path}: is a directory, not a journey map file")
    raise LoadError(f"{path}: {special_file_kind(mode)}, not a regular file; {READS_REGULAR_FILES}")


#: The end of every message about a FIFO, device or socket.
READS_REGULAR_FILES = "journeyctl reads regular files only"


def special_file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words: 'is a FIFO (named pipe)'."""
    if stat.S_ISDIR(mode):
        return "is a directory"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "is a character device"
    if stat.S_ISBLK(mode):
        return "is a block device"
    if stat.S_ISSOCK(mode):
        return "is a socket"
    return "is not a regular file"


def _read_error(path: str | Path, exc: OSError) -> LoadError:
    if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        return LoadError(f"{path}: no such file")
    if isinstance(exc, IsADirectoryError):
        return LoadError(f"{path}: is a directory, not a journey map file")
    if isinstance(exc, PermissionError):
        return LoadError(f"{path}: permission denied")
    if exc.errno == errno.ELOOP:
        return LoadError(f"{path}: is a symbolic link loop (or a chain of too many links)")
    return LoadError(f"{path}: cannot read: {exc.strerror or exc}")


def load_file(path: str | Path, *, max_size: int | None = DEFAULT_MAX_FILE_SIZE) -> LoadedMap:
    """Load and check one journey map file."""
    return load_bytes(read_file(path, max_size=max_size), str(path), max_size=max_size)


def load_bytes(
    data: bytes,
    path: str,
    *,
    max_size: int | None = DEFAULT_MAX_FILE_SIZE,
    read_include: IncludeReader | None = None,
    root: Path | None = None,
    parsed: tuple[Any, SourceMap] | None = None,
) -> LoadedMap:
    """Load and check journey map text; ``path`` names it in messages.

    ``parsed`` is what ``yamlsource.parse`` made of ``data`` already (the language
    server keeps the node tree of text that fails validation), so it is not parsed twice.
    """
    with paused_gc():
        return _load_bytes(data, path, max_size=max_size, read_include=read_include, root=root, parsed=parsed)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Keep the cyclic garbage collector out of one map's load.

    Composing and validating a map allocates a node, a mark pair and a model
    per value but makes no reference cycles, so the collector never frees
    anything here; yet its generation scans grow with the live tree and cost
    three quarters of the load time of a 1 MB map (0.8 s -> 0.2 s without).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parsed(
    data: bytes, path: str, max_size: int | None, parsed: tuple[Any, SourceMap] | None
) -> tuple[Any, SourceMap]:
    """The document and node tree of ``data`` (``parsed`` when the caller has them), its top
    level checked; a file that does not parse is a ``MapInvalid`` of its one error."""
    if parsed is not None:
        document, source = parsed
    else:
        try:
            document, source = parse(data, path, max_size=max_size)
        except JourneyError as error:
            raise MapInvalid(path, [error]) from None
    _check_top_level(document, source)
    return document, source


def _load_bytes(
    data: bytes,
    path: str,
    *,
    max_size: int | None,
    read_include: IncludeReader | None,
    root: Path | None,
    parsed: tuple[Any, SourceMap] | None = None,
) -> LoadedMap:
    from journeyctl.model import plain

    document, source = _parsed(data, path, max_size, parsed)
    if "journeyctl" not in document and "journeyctl-shared" in document:
        raise MapInvalid(
            path,
            [
                SchemaError(
                    "this is a shared file (journeyctl-shared), not a journey map; "
                    "maps use it through 'include'",
                    source.locate(("journeyctl-shared",), key=True),
                )
            ],
        )
    errors: list[JourneyError] = []
    # A valid map is built without pydantic (plain.py, generated from the models); pydantic
    # decides the rest and gives the errors.
    journey: Journey | None = plain.journey(document) if _PLAIN_BUILDS else None  # type: ignore[assignment]
    if journey is None:
        journey = _validated(document, source, path)
    loaded = LoadedMap(journey, path, source, {path: source})
    _assign_paths(journey, path)
    if journey.include:
        errors.extend(_load_includes(loaded, read_include, root, max_size))
    errors.extend(check_identity(loaded))
    if errors:
        raise map_invalid(path, errors)
    return loaded


def _validated(document: Any, source: SourceMap, path: str) -> Journey:
    """The map validated by pydantic; its errors as a ``MapInvalid``."""
    from pydantic import ValidationError

    from journeyctl.model import Journey

    try:
        return Journey.model_validate(document)
    except ValidationError as exc:
        errors = translate_validation_error(exc, source, Journey)
        # The reference errors of the parts that did validate, in the same run: a user fixes
        # a file in one round, not schema errors first and references after.
        errors.extend(_identity_of_valid_parts(document, source, path))
        raise map_invalid(path, errors) from None


#: The lists of a stage, each with the model of its items.
_STAGE_LISTS = ("touchpoints", "steps", "pain-points", "opportunities", "metrics")


def _identity_of_valid_parts(document: dict[str, Any], source: SourceMap, path: str) -> list[JourneyError]:
    """Duplicate ids and dangling references among the entities of a map that validated alone.

    Each persona, channel, stage (without its lists) and item of a stage's lists is validated
    on its own; the ones that pass make a partial map for ``check_identity``. A reference is
    reported only when no entity of the file, valid or not, has that id (an invalid entity
    still names its id), and references to personas and channels are left alone when the map
    includes shared files, which are read only once the map itself is valid.
    """
    from pydantic import ValidationError

    from journeyctl.model import Journey, journey

    def valid_items(raw: Any, model: type[Any], where: tuple[str | int, ...]) -> list[Any]:
        items = []
        for index, item in enumerate(raw if isinstance(raw, list) else []):
            try:
                entity = model.model_validate(item)
            except ValidationError:
                continue
            _place(entity, (*where, index), path)
            items.append(entity)
        return items

    models = {
        "touchpoints": journey.Touchpoint,
        "steps": journey.Step,
        "pain-points": journey.PainPoint,
        "opportunities": journey.Opportunity,
        "metrics": journey.Metric,
    }
    stages = []
    raw_stages = document.get("stages")
    for s, raw in enumerate(raw_stages if isinstance(raw_stages, list) else []):
        if not isinstance(raw, dict):
            continue
        # Every list given: model_construct's default factories inspect their signatures, which
        # made this ten times slower than the validation itself.
        lists: dict[str, Any] = {
            key.replace("-", "_"): valid_items(raw.get(key), models[key], ("stages", s, key))
            for key in _STAGE_LISTS
        }
        stage = journey.Stage.model_construct(id=str(raw.get("id")), name="", goals=[], **lists)
        _place(stage, ("stages", s), path)
        stages.append(stage)
    # Only the parts check_identity reads: the map's own keys are not needed for references.
    partial = Journey.model_construct(  # type: ignore[call-arg]
        personas=valid_items(document.get("personas"), journey.Persona, ("personas",)),
        channels=valid_items(document.get("channels"), journey.Channel, ("channels",)),
        insights=valid_items(document.get("insights"), journey.Insight, ("insights",)),
        stages=stages,
        include=[],
        tags=[],
    )
    _place(partial, (), path)
    written_ids = set(_ids_written(document))
    shared_kinds = {"persona", "channel", "insight"} if document.get("include") else set()

    def tolerated(kind: str, value: str) -> bool:
        return value in written_ids or kind in shared_kinds

    loaded = LoadedMap(partial, path, source, {path: source})
    return check_identity(loaded, tolerate=tolerated, duplicates=False)


def _ids_written(value: Any) -> Iterator[str]:
    """Every ``id`` text anywhere in raw data."""
    if isinstance(value, dict):
        ident = value.get("id")
        if isinstance(ident, str):
            yield ident
        for item in value.values():
            yield from _ids_written(item)
    elif isinstance(value, list):
        for item in value:
            yield from _ids_written(item)


def map_invalid(path: str, errors: list[JourneyError]) -> MapInvalid:
    """The errors of one file, at most ``MAX_ERRORS_PER_FILE`` and one that counts the rest.

    The count sits where the first error left out is, so it sorts after those shown.
    """
    if len(errors) <= MAX_ERRORS_PER_FILE:
        return MapInvalid(path, errors)
    ordered = sorted(errors, key=JourneyError.sort_key)
    shown, hidden = ordered[:MAX_ERRORS_PER_FILE], ordered[MAX_ERRORS_PER_FILE:]
    summary = JourneyError(
        f"... and {len(hidden):,} more errors from here on (journeyctl shows the first "
        f"{MAX_ERRORS_PER_FILE} of a file)",
        hidden[0].location,
    )
    return MapInvalid(path, [*shown, summary])


def load_shared_bytes(
    data: bytes,
    path: str,
    *,
    max_size: int | None = DEFAULT_MAX_FILE_SIZE,
    parsed: tuple[Any, SourceMap] | None = None,
) -> tuple[SharedDefinitions, SourceMap]:
    """Load a shared file of personas and channels (``parsed`` as for ``load_bytes``)."""
    from journeyctl.model import plain

    document, source = _parsed(data, path, max_size, parsed)
    shared: SharedDefinitions | None = plain.shared(document) if _PLAIN_BUILDS else None  # type: ignore[assignment]
    if shared is None:
        from pydantic import ValidationError

        from journeyctl.model import SharedDefinitions

        try:
            shared = SharedDefinitions.model_validate(document)
        except ValidationError as exc:
            raise map_invalid(path, translate_validation_error(exc, source, SharedDefinitions)) from None
    for index, persona in enumerate(shared.personas):
        persona._path, persona._file = ("personas", index), path
    for index, channel in enumerate(shared.channels):
        channel._path, channel._file = ("channels", index), path
    for index, insight in enumerate(shared.insights):
        insight._path, insight._file = ("insights", index), path
    return shared, source


def is_shared_file(data: bytes) -> bool:
    """True for a shared file: ``journeyctl-shared:`` at the start of a line."""
    return b"\njourneyctl-shared:" in b"\n" + data


def _check_top_level(document: Any, source: SourceMap) -> None:
    if document is None:
        raise MapInvalid(
            source.path,
            [
                LoadError(
                    "file is empty: a journey map starts with 'journeyctl: 1'", Location(source.path, 1, 1)
                )
            ],
        )
    if not isinstance(document, dict):
        kind = _yaml_kind(document)
        raise MapInvalid(
            source.path,
            [
                SchemaError(
                    "the top level must be a mapping of keys (journeyctl, id, title, stages, ...), "
                    f"not {kind}",
                    source.locate(()),
                )
            ],
        )


def find_repository_root(start: Path) -> Path:
    """The nearest directory at or above ``start`` holding ``.git`` or ``.journeyctl.yaml``."""
    start = start.resolve()
    for directory in (start, *start.parents):
        if (directory / ".git").exists() or (directory / ".journeyctl.yaml").exists():
            return directory
    return start


def _load_includes(
    loaded: LoadedMap,
    read_include: IncludeReader | None,
    root: Path | None,
    max_size: int | None,
) -> list[JourneyError]:
    journey = loaded.journey
    base = Path(loaded.path).parent
    if root is None:
        root = find_repository_root(base)
    root = root.resolve()
    reader = read_include or (lambda p: read_file(p, max_size=max_size))
    errors: list[JourneyError] = []
    personas: list[Any] = []
    channels: list[Any] = []
    insights: list[Any] = []
    for index, include in enumerate(journey.include):
        where = loaded.source.locate(("include", index))
        try:
            target = (base / include).resolve()
        except (OSError, RuntimeError) as exc:  # RuntimeError: Python 3.11's symbolic link loop
            reason = (
                "it is a symbolic link loop"
                if isinstance(exc, RuntimeError) or exc.errno == errno.ELOOP
                else f"cannot resolve it: {exc.strerror or exc}"
            )
            errors.append(LoadError(f"cannot include '{include}': {reason}", where))
            continue
        if Path(include).is_absolute() or not target.is_relative_to(root):
            errors.append(
                SchemaError(
                    f"include '{include}' is outside the repository root {root}; "
                    "shared files must live inside the repository",
                    where,
                )
            )
            continue
        display = os.path.relpath(target) if read_include is None else str(target.relative_to(root))
        try:
            data = reader(target)
        except LoadError as exc:
            reason = exc.message.removeprefix(f"{target}: ")
            errors.append(LoadError(f"cannot include '{include}': {reason}", where))
            continue
        try:
            shared, source = load_shared_bytes(data, display, max_size=max_size)
        except MapInvalid as exc:
            errors.extend(exc.errors)
            continue
        loaded.sources[display] = source
        personas.extend(shared.personas)
        channels.extend(shared.channels)
        insights.extend(shared.insights)
    journey.personas[:0] = personas
    journey.channels[:0] = channels
    journey.insights[:0] = insights
    return errors


def _place(entity: Entity, where: tuple[str | int, ...], path: str) -> None:
    # Straight into pydantic's store of private attributes, where ``entity._path = ...``
    # ends up too, minus BaseModel.__setattr__'s Python-level dispatch: the profile of a
    # corpus lint showed that dispatch costing a tenth of loading a map.
    private = getattr(entity, "__pydantic_private__", None)
    if private is None:  # a plain entity (plain.py): its own slots
        entity._path, entity._file = where, path
        return
    private["_path"] = where
    private["_file"] = path


def _assign_paths(journey: Journey, path: str) -> None:
    """Record in each entity where it was written, for locating findings."""
    _place(journey, (), path)
    for index, persona in enumerate(journey.personas):
        _place(persona, ("personas", index), path)
    for index, channel in enumerate(journey.channels):
        _place(channel, ("channels", index), path)
    for index, insight in enumerate(journey.insights):
        _place(insight, ("insights", index), path)
    if journey.funnel is not None:
        _place(journey.funnel, ("funnel",), path)
        for index, entry in enumerate(journey.funnel.entries):
            _place(entry, ("funnel", "entries", index), path)
    for s, stage in enumerate(journey.stages):
        stage_path = ("stages", s)
        _place(stage, stage_path, path)
        for kind, items in (
            ("touchpoints", stage.touchpoints),
            ("steps", stage.steps),
            ("pain-points", stage.pain_points),
            ("opportunities", stage.opportunities),
            ("metrics", stage.metrics),
        ):
            for index, item in enumerate(items):
                _place(item, ("stages", s, kind, index), path)


#: Entity kinds whose ids must be unique across the map, with the words used in messages.
ID_SCOPES = (
    ("persona", "personas"),
    ("channel", "channels"),
    ("insight", "insights"),
    ("stage", "stages"),
    ("touchpoint", "touchpoints"),
    ("step", "steps"),
    ("pain point", "pain points"),
    ("opportunity", "opportunities"),
    ("metric", "metrics"),
)


def check_identity(
    loaded: LoadedMap,
    *,
    tolerate: Callable[[str, str], bool] | None = None,
    duplicates: bool = True,
) -> list[JourneyError]:
    """Duplicate ids and references to ids that do not exist.

    ``tolerate(kind, id)`` says which references not to report (those that a partial map
    cannot judge); ``duplicates=False`` leaves out duplicate ids.
    """
    journey = loaded.journey
    errors: list[JourneyError] = []
    entities: dict[str, Iterable[Entity]] = {
        "persona": journey.personas,
        "channel": journey.channels,
        "insight": journey.insights,
        "stage": journey.stages,
        "touchpoint": [t for _, t in journey.iter_touchpoints()],
        "step": [s for _, s in journey.iter_steps()],
        "pain point": [p for _, p in journey.iter_pain_points()],
        "opportunity": [o for _, o in journey.iter_opportunities()],
        "metric": [m for _, m in journey.iter_metrics()],
    }
    ids: dict[str, dict[str, Entity]] = {}
    for kind, _plural in ID_SCOPES:
        seen: dict[str, Entity] = {}
        for entity in entities[kind]:
            ident: str = entity.id  # type: ignore[attr-defined]
            if ident in seen and duplicates:
                first = loaded.locate_value(seen[ident], "id")
                errors.append(
                    DanglingReferenceError(
                        f"duplicate {kind} id '{ident}' (first defined at {first.path}:{first.line})",
                        loaded.locate_value(entity, "id"),
                    )
                )
            else:
                seen[ident] = entity
        ids[kind] = seen

    # References are located first and described after, in file order: a suggestion compares
    # the reference with every id of its kind, so only the references whose errors can be
    # shown get one (3,000 dangling references among 3,000 ids took 8 s with a suggestion each).
    dangling: list[tuple[Location, str, str]] = []

    def check(
        entity: Entity, key: str, kind: str, value: str | None, *index: str | int, at_key: bool = False
    ) -> None:
        if value is None or value in ids[kind] or (tolerate is not None and tolerate(kind, value)):
            return
        locate = loaded.locate_key if at_key else loaded.locate_value
        dangling.append((locate(entity, key, *index), kind, value))

    def check_all(entity: Entity, key: str, kind: str, values: Iterable[str]) -> None:
        known = ids[kind]
        for index, ref in enumerate(values):
            if ref not in known:
                check(entity, key, kind, ref, index)

    # Most references are written and resolve; the membership tests inline keep a map's
    # load from paying a call per reference (this runs for every map of a corpus).
    channels, personas, touchpoints = ids["channel"], ids["persona"], ids["touchpoint"]
    steps = ids["step"]
    flow = False
    for _, touchpoint in journey.iter_touchpoints():
        if touchpoint.channel not in channels:
            check(touchpoint, "channel", "channel", touchpoint.channel)
    for _, step in journey.iter_steps():
        if step.persona is not None and step.persona not in personas:
            check(step, "persona", "persona", step.persona)
        if step.personas:
            check_all(step, "personas", "persona", step.personas)
        elif step.emotions and step.persona is None:
            # A step without personas is every persona's: its `emotions` may score any of them.
            for ident in step.emotions:
                check(step, "emotions", "persona", ident, ident, at_key=True)
        for index, ref in enumerate(step.touchpoints):
            if ref not in touchpoints:
                check(step, "touchpoints", "touchpoint", ref, index)
        if step.kind != "main" or step.branches_from is not None or step.rejoins is not None:
            flow = True
            check(step, "branches-from", "step", step.branches_from)
            check(step, "rejoins", "step", step.rejoins)
        if step.insights:
            check_all(step, "insights", "insight", step.insights)
    for _, pain_point in journey.iter_pain_points():
        if pain_point.touchpoint is not None and pain_point.touchpoint not in touchpoints:
            check(pain_point, "touchpoint", "touchpoint", pain_point.touchpoint)
        if pain_point.step is not None and pain_point.step not in steps:
            check(pain_point, "step", "step", pain_point.step)
        if pain_point.insights:
            check_all(pain_point, "insights", "insight", pain_point.insights)
        if pain_point.metrics:
            check_all(pain_point, "metrics", "metric", pain_point.metrics)
    for _, opportunity in journey.iter_opportunities():
        check_all(opportunity, "addresses", "pain point", opportunity.addresses)
        if opportunity.insights:
            check_all(opportunity, "insights", "insight", opportunity.insights)
        if opportunity.metrics:
            check_all(opportunity, "metrics", "metric", opportunity.metrics)
    for _, metric in journey.iter_metrics():
        if metric.step is not None or metric.touchpoint is not None or metric.persona is not None:
            check(metric, "step", "step", metric.step)
            check(metric, "touchpoint", "touchpoint", metric.touchpoint)
            check(metric, "persona", "persona", metric.persona)
        if metric.insights:
            check_all(metric, "insights", "insight", metric.insights)
    if journey.funnel is not None:
        check(journey.funnel, "persona", "persona", journey.funnel.persona)
        check_all(journey.funnel, "insights", "insight", journey.funnel.insights)
        for entry in journey.funnel.entries:
            check(entry, "stage", "stage", entry.stage)
            check(entry, "step", "step", entry.step)
    dangling.sort()
    known: dict[str, list[str]] = {}
    for number, (where, kind, value) in enumerate(dangling):
        message = f"unknown {kind} '{value}'"
        if number < MAX_ERRORS_PER_FILE:
            if kind not in known:
                known[kind] = sorted(ids[kind])
            message += _reference_hint(value, known[kind], kind)
        errors.append(DanglingReferenceError(message, where))
    if tolerate is not None:
        # A partial map (of the parts that validated) only has its references checked.
        return errors
    if flow:
        errors.extend(_check_flow(loaded))
    if journey.funnel is not None:
        errors.extend(_check_funnel_order(loaded, ids))
    if journey.state != "future":
        errors.extend(_check_future_only(loaded))
    return errors


def _reference_hint(value: str, known: list[str], kind: str) -> str:
    close = difflib.get_close_matches(value, known, n=1)
    if close:
        return f" (did you mean '{close[0]}'?)"
    if known:
        return "; defined: " + ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
    return f"; the map defines no {dict(ID_SCOPES)[kind]}"


_FLOW_VERBS = {"branches-from": "branch off", "rejoins": "rejoin"}


def _check_flow(loaded: LoadedMap) -> list[JourneyError]:
    """Branch steps start from a step (``branches-from``) or continue the branch before them."""
    errors: list[JourneyError] = []
    previous = None
    for _, step in loaded.journey.iter_steps():
        for key, ref in (("branches-from", step.branches_from), ("rejoins", step.rejoins)):
            if ref == step.id:
                errors.append(
                    DanglingReferenceError(
                        f"step '{step.id}' cannot {_FLOW_VERBS[key]} itself",
                        loaded.locate_value(step, key),
                    )
                )
        if step.is_branch and step.branches_from is None and (previous is None or not previous.is_branch):
            errors.append(
                SchemaError(
                    f"step '{step.id}' is a {step.kind} step but no branch comes before it; say which "
                    "step it branches off with `branches-from: <step id>`",
                    loaded.locate_value(step, "kind"),
                )
            )
        previous = step
    return errors


def _check_funnel_order(loaded: LoadedMap, ids: dict[str, dict[str, Entity]]) -> list[JourneyError]:
    """Funnel entries follow the journey: each stage or step comes after the one before it."""
    journey = loaded.journey
    if journey.funnel is None:
        return []
    # A stage's position is that of its first step, so a stage entry may sit before that stage's steps.
    position: dict[tuple[str, str], tuple[int, int]] = {}
    for s_index, stage in enumerate(journey.stages):
        position[("stage", stage.id)] = (s_index, -1)
        for t_index, step in enumerate(stage.steps):
            position[("step", step.id)] = (s_index, t_index)
    errors: list[JourneyError] = []
    before: tuple[tuple[int, int], FunnelEntry] | None = None
    for entry in journey.funnel.entries:
        kind = "stage" if entry.stage is not None else "step"
        where = position.get((kind, entry.target))
        if where is None:
            continue  # an unknown id, reported above
        if before is not None and where <= before[0]:
            previous = before[1]
            previous_kind = "stage" if previous.stage is not None else "step"
            if where == before[0]:
                message = f"{kind} '{entry.target}' is in the funnel twice in a row"
            else:
                message = (
                    f"funnel entries follow the journey's order: {kind} '{entry.target}' is listed "
                    f"after {previous_kind} '{previous.target}' but comes before it in the journey"
                )
            errors.append(SchemaError(message, loaded.locate_value(entry, kind)))
        before = (where, entry)
    return errors


def _check_future_only(loaded: LoadedMap) -> list[JourneyError]:
    """What only a future-state map can say: which baseline pain points and stages are gone."""
    journey = loaded.journey
    if journey.state == "future":
        return []
    errors: list[JourneyError] = []
    if journey.dropped_stages:
        errors.append(
            SchemaError(
                "`dropped-stages` names stages of a baseline map, so it belongs to a future-state map "
                "(`state: future`)",
                loaded.locate(journey, "dropped-stages"),
            )
        )
    for _, opportunity in journey.iter_opportunities():
        if opportunity.resolves:
            errors.append(
                SchemaError(
                    "`resolves` names pain points of a baseline map, so it belongs to a future-state map "
                    "(`state: future`); in a current-state map use `addresses`",
                    loaded.locate(opportunity, "resolves"),
                )
            )
    return errors


# --- pydantic errors to located, readable messages ------------------------------------


def key_path(loc: Iterable[str | int]) -> str:
    """``('stages', 2, 'steps', 0, 'emotion')`` -> ``stages[2].steps[0].emotion``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _yaml_kind(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        digits = len(str(abs(value)))
        return f"the number {value}" if digits <= 30 else f"a number of {digits:,} digits"
    if isinstance(value, float):
        if value != value:
            return "NaN (not a number)"
        if value in (float("inf"), float("-inf")):
            return "infinity" if value > 0 else "minus infinity"
        return (
            f"the number {value!r}" if value.is_integer() and abs(value) < 1e16 else f"the number {value:g}"
        )
    if isinstance(value, str):
        if len(value) > _SHOWN_CHARACTERS:
            return f"the text {value[:40]!r}... ({len(value):,} characters)"
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _non_finite(value: Any) -> str:
    """What a value that is not a finite number is, in words."""
    number = value
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            number = None
    if isinstance(number, float) and number != number:
        meaning = "NaN (not a number)"
    elif isinstance(number, (int, float)):
        meaning = "beyond the largest number (about 1.8e308)"
        if isinstance(number, float):
            meaning = "infinity" if number > 0 else "minus infinity"
    else:  # pragma: no cover - pydantic reports only numbers here
        return _yaml_kind(value)
    if isinstance(value, float):
        return meaning
    return f"{_yaml_kind(value)}, which {'reads as' if isinstance(value, str) else 'is'} {meaning}"


#: Longer values are cut in messages (a 5,000-digit "number" would fill the screen).
_SHOWN_CHARACTERS = 60


def _quoted(text: str) -> str:
    if len(text) > _SHOWN_CHARACTERS:
        return f"'{text[:40]}...' ({len(text):,} characters)"
    return f"'{text}'"


def _model_at(root: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``loc``, if there is one."""
    from pydantic import BaseModel

    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field_info = next((f for name, f in model.model_fields.items() if (f.alias or name) == part), None)
        if field_info is None:
            return None
        model = _unwrap(field_info.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    from pydantic import BaseModel

    while True:
        args = typing.get_args(annotation)
        origin = typing.get_origin(annotation)
        if origin in (list, typing.Union, types.UnionType) or origin is typing.Annotated:
            candidates = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            if candidates:
                return candidates[0]
            nested = [a for a in args if typing.get_args(a)]
            if nested:
                annotation = nested[0]
                continue
        return annotation


#: Keys whose values are durations ("10m", "2h"); a bare number there lacks its unit.
DURATION_KEYS = frozenset(("duration", "wait"))


def _number_text(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _allowed_keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def translate_validation_error(
    exc: ValidationError, source: SourceMap, root: type[BaseModel]
) -> list[JourneyError]:
    """Each pydantic error as a SchemaError at the key or value it is about.

    Errors are located first and worded after, in file order: only the first
    ``MAX_ERRORS_PER_FILE`` get "did you mean" suggestions (difflib is most of the cost of
    a file with 20,000 unknown keys); the others are past the cap and never shown.
    """
    located: list[tuple[Location, int, Any]] = []
    for number, error in enumerate(exc.errors(include_url=False)):
        loc = _error_loc(error)
        if error["type"] == "extra_forbidden":
            location = source.locate(loc, key=True)
        elif error["type"] == "missing":
            location = _missing_location(source, loc[:-1])
        elif error["type"] == "journeyctl_conflict" or error["loc"][-1:] == ("[key]",):
            # A whole-entity check of the model reported at its key, or a mapping key that
            # fails (an `emotions` key that is not an id): point at the key.
            location = source.locate(loc, key=True)
        else:
            location = source.locate(loc)
        located.append((location, number, error))
    located.sort(key=lambda item: item[:2])
    errors: list[JourneyError] = []
    for shown, (location, _, error) in enumerate(located):
        quoted = isinstance(error.get("input"), str) and source.is_quoted(tuple(error["loc"]))
        message, hint = describe_error(error, root, suggest=shown < MAX_ERRORS_PER_FILE, quoted=quoted)
        if error["type"] == "extra_forbidden":
            before = source.split_off_by_comma(tuple(error["loc"]))
            if before is not None:
                hint = (
                    f"the comma before it ended '{before}' inside {{ }}: if it belongs to that value, "
                    f'put the whole value in quotes ({before}: "..., {error["loc"][-1]}")'
                )
        errors.append(SchemaError(message, location, key_path=key_path(_error_loc(error)), hint=hint))
    return errors


def _error_loc(error: Any) -> tuple[str | int, ...]:
    """Where an error is, as keys: a failing mapping key is its own place, and a whole-entity
    check of the model (``_conflict`` in model/journey.py) names the key it is about."""
    loc = tuple(error["loc"])
    if loc[-1:] == ("[key]",):
        return loc[:-1]
    if error["type"] == "journeyctl_conflict":
        return (*loc, (error.get("ctx") or {})["key"])
    return loc


#: Quotes a word processor puts in place of YAML's straight ones.
_SMART_QUOTES = "\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb"
_THOUSANDS = re.compile(r"[-+]?\d{1,3}([,\u00a0 '\u2009]\d{3})+(\.\d+)?")
_NUMBER_AND_UNIT = re.compile(r"(?P<number>[-+]?\d+(?:\.\d+)?)\s*(?P<unit>%|[^\d\s.,]{1,12})")
_UNIT_AND_NUMBER = re.compile(r"(?P<unit>[$\u20ac\u00a3\u00a5])\s*(?P<number>[-+]?\d+(?:\.\d+)?)")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


def describe_error(
    error: Any, root: type[BaseModel], *, suggest: bool = True, quoted: bool = False
) -> tuple[str, str | None]:
    """One pydantic error in the words of the format: (what was found and expected, the fix).

    Used for maps, shared files and rule options alike, so no model-library phrasing
    ("Input should be a valid integer") reaches a user anywhere.
    """
    from journeyctl.model.common import EMOTION_MAX, EMOTION_MIN

    loc = _error_loc(error)
    kind = error["type"]
    value = error.get("input")
    name = (
        str(loc[-1])
        if loc and isinstance(loc[-1], str)
        else str(next((part for part in reversed(loc) if isinstance(part, str)), "value"))
    )
    context = error.get("ctx") or {}
    if kind == "extra_forbidden":
        model = _model_at(root, loc[:-1])
        allowed = _allowed_keys(model) if model else []
        message = f"unknown key {_quoted(str(name))}"
        close = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6) if suggest else []
        if close:
            return message + f" (did you mean '{close[0]}'?)", f"rename it to '{close[0]}'"
        if allowed:
            message += "; allowed keys: " + ", ".join(allowed)
        return message, "remove it, or check its indentation: it may belong to the mapping above"
    if kind == "invalid_key":
        return f"found {_yaml_kind(value)} as a key; keys are words such as 'id' or 'name'", (
            "a number with a thousands separator in braces ({value: 1,200}) makes a key of the "
            "part after the comma: write 1200"
            if isinstance(value, int)
            else "write the key as a word"
        )
    if kind == "missing":
        message = f"missing required key '{name}'"
        if name == "journeyctl":
            return (
                message + ": a journey map starts with 'journeyctl: 1'",
                "add 'journeyctl: 1' as the first line",
            )
        return message, f"add '{name}: ...' to this mapping"
    if kind in ("journeyctl_conflict", "duration_format", "url_format"):
        return str(error["msg"]), None  # the model's own words (model/journey.py) say the fix
    if name in DURATION_KEYS and kind == "string_type":
        return (
            f"a duration is written as text such as 10m, 2h, 3d or 2w, not {_yaml_kind(value)}",
            f"add the unit (m minutes, h hours, d days, w weeks): {name}: {value}m",
        )
    if name == "emotion" or (len(loc) >= 2 and loc[-2] == "emotions" and kind != "string_pattern_mismatch"):
        return (
            f"emotion must be a whole number from {EMOTION_MIN} to +{EMOTION_MAX} "
            f"(-2 very negative .. +2 very positive), not {_yaml_kind(value)}"
        ), _emotion_hint(value)
    if (kind == "finite_number" and not (quoted and isinstance(value, str))) or (
        kind == "float_type" and isinstance(value, int) and not isinstance(value, bool)
    ):
        return (
            f"{name} must be a finite number, not {_non_finite(value)}; "
            "NaN and infinity cannot be compared with a target, drawn or written as JSON"
        ), "write the figure as a plain number, such as 38 or 0.38"
    if kind == "string_pattern_mismatch":
        return (
            f"{_quoted(str(value))} is not a valid id: use lowercase letters, digits, '-' and '_', "
            "starting with a letter or digit"
        ), _id_hint(str(value), _REFERENCE_KEYS.get(name))
    if kind == "string_too_short":
        return "must not be empty", f"write a value for '{name}', or leave the key out if it is optional"
    if kind == "string_too_long":
        return f"is too long (at most {context.get('max_length')} characters)", "shorten it"
    if kind == "string_type":
        return _text_expected(name, value)
    if kind == "literal_error":
        expected = str(context.get("expected", ""))
        options = [part.strip().strip("'") for part in expected.replace(" or ", ", ").split(",")]
        message = f"{_yaml_kind(value)} is not allowed here; expected {expected}"
        plain = str(value).strip(_SMART_QUOTES + "\"'")
        if plain in options and plain != str(value):
            return message, f"{_smart_quotes_fix()}: {name}: {plain}"
        close = difflib.get_close_matches(plain, options, n=1) if suggest else []
        if close and str(value) not in options:
            return message + f" (did you mean '{close[0]}'?)", f"write {name}: {close[0]}"
        return message, "write one of the values listed"
    if kind.startswith("date_"):
        return _date_message(name, value)
    if kind == "list_type":
        message = f"expected a list, got {_yaml_kind(value)}"
        if isinstance(value, dict):
            return message, "start each item of the list with '- ', indented under the key"
        item = value if isinstance(value, str) else "..."
        return message, f"write the items in brackets ({name}: [{item}]) or each on its own line after '- '"
    if kind == "dict_type" and name == "emotions":
        return (
            "`emotions` maps each persona to their score, such as `emotions: {admin: -1, buyer: 1}`, "
            f"not {_yaml_kind(value)}"
        ), "for one score for everyone use `emotion`"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of keys, got {_yaml_kind(value)}", (
            "write the keys of this item on lines of their own (id: ..., name: ...), or in braces: "
            "{id: ..., name: ...}"
        )
    if kind in ("bool_type", "bool_parsing"):
        message = f"expected true or false, got {_yaml_kind(value)}"
        if isinstance(value, str) and value.lower() in ("yes", "no", "on", "off", "y", "n"):
            return message, (
                f"write {name}: {'true' if value.lower() in ('yes', 'on', 'y') else 'false'} "
                "(journeyctl reads YAML 1.2, where yes, no, on and off are text)"
            )
        return message, f"write {name}: true or {name}: false"
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing", "int_from_float"):
        return _number_expected(name, value, quoted=quoted, whole=kind.startswith("int"))
    if kind == "too_short" and name == "stages":
        return (
            "a journey needs at least one stage",
            "add a stage under 'stages:' with '- id: ...' and 'name: ...'",
        )
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = next(iter(context.values()), "")
        relation = {
            "greater_than_equal": "at least",
            "less_than_equal": "at most",
            "greater_than": "more than",
            "less_than": "less than",
        }[kind]
        message = f"{name} must be {relation} {_number_text(bound)}, not {_yaml_kind(value)}"
        if name == "drop-off":
            message += " (a percent of the customers reaching this entry, 0 to 100)"
        return message, f"write a number {relation} {_number_text(bound)}"
    if kind == "too_short":
        return (
            f"{name} needs at least {context.get('min_length')} items, not {context.get('actual_length')}",
            "add the missing items",
        )
    return f"{name}: the value {_yaml_kind(value)} is not allowed here", None


def _emotion_hint(value: Any) -> str:
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return "write the score as a number (emotion: -1) and the words in 'feeling'"
        if number.is_integer():
            return f"remove the quotes: emotion: {int(number)}"
        return "write a whole number from -2 to 2, without quotes"
    if isinstance(value, float) and not math.isfinite(value):
        return "write a whole number from -2 to 2"
    if isinstance(value, float) and value.is_integer():
        return f"write it without the decimal point: emotion: {int(value)}"
    if isinstance(value, float):
        low = math.floor(value)
        return f"use a whole number: emotion: {low} or emotion: {low + 1}"
    if isinstance(value, int) and not isinstance(value, bool):
        return "use one of -2, -1, 0, 1, 2 (Mermaid's 1..5 score is emotion + 3)"
    return "write a whole number from -2 to 2"


def _smart_quotes_fix() -> str:
    return "replace the curly quotes a word processor makes with straight ones (' or \"), or leave them out"


#: Keys whose value names another entity by id, and what that entity is.
_REFERENCE_KEYS = {
    "persona": "persona",
    "channel": "channel",
    "touchpoint": "touchpoint",
    "touchpoints": "touchpoint",
    "step": "step",
    "addresses": "pain point",
    "baseline": "current-state map",
}


def _id_hint(value: str, refers_to: str | None = None) -> str:
    if any(quote in value for quote in _SMART_QUOTES):
        plain = value.strip(_SMART_QUOTES)
        return f"{_smart_quotes_fix()}: {_slug(plain)}"
    if refers_to is not None:
        return f"write the {refers_to}'s id (its 'id:'), not its name; ids look like '{_slug(value)}'"
    return f"write it as '{_slug(value)}'"


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")
    return slug or "my-id"


def _text_expected(name: str, value: Any) -> tuple[str, str]:
    message = f"expected text, got {_yaml_kind(value)}"
    if isinstance(value, bool):
        return message, f'put it in quotes if it is text: {name}: "{str(value).lower()}"'
    if isinstance(value, (int, float)):
        return message, f'put it in quotes: {name}: "{value}"'
    if isinstance(value, list):
        if name == "persona":
            return (
                "expected one persona id, got a list",
                "for several personas write `personas: [...]`; a step naming none is every persona's",
            )
        return (
            message,
            "write one value; if it is one text with commas in it, put it in quotes instead of brackets",
        )
    if isinstance(value, dict):
        return message, "text that contains ': ' or starts with '{' must be in quotes"
    if value is None:
        return message, f"write a value after '{name}:', or leave the key out if it is optional"
    return message, "write the value as text"


def _number_expected(name: str, value: Any, *, quoted: bool, whole: bool = False) -> tuple[str, str]:
    message = f"expected {'a whole number' if whole else 'a number'}, got {_yaml_kind(value)}"
    if whole and isinstance(value, float) and not isinstance(value, bool):
        # Rounding is a suggestion only for a number that reads as one: not for infinity or NaN
        # (``!!float 1e999`` made round() raise), nor for a float of hundreds of digits.
        if math.isfinite(value) and abs(value) < 1e16:
            return message, f"write a whole number: {name}: {round(value)}"
        return message, "write a whole number"
    if isinstance(value, bool):
        return message, "write the value as a number, without quotes or units"
    if not isinstance(value, str):
        return message, "write the value as a number, without quotes or units"
    text = value.strip()
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None and quoted:
        return message + " (a number in quotes)", f"remove the quotes: {name}: {text}"
    if number is not None:
        # 1e3 is text to journeyctl, as to YAML 1.1: an exponent needs a decimal point.
        full = f"{number:f}".rstrip("0").rstrip(".") if abs(number) < 1e15 else f"{number:.1e}"
        return message, f"write it in full or with a decimal point: {name}: {full}"
    if _THOUSANDS.fullmatch(text):
        plain = re.sub(r"[,\u00a0 '\u2009]", "", text)
        return message, f"write it without the thousands separator: {name}: {plain}"
    if "," in text and re.fullmatch(r"[-+]?\d+,\d+", text):
        return message, f"write a decimal point, not a comma: {name}: {text.replace(',', '.')}"
    match = _NUMBER_AND_UNIT.fullmatch(text) or _UNIT_AND_NUMBER.fullmatch(text)
    if match:
        return message, (
            f"write the number alone ({name}: {match.group('number')}) and put "
            f"'{match.group('unit')}' in 'unit'"
        )
    return message, "write the value as a number, without quotes or units"


def _date_message(name: str, value: Any) -> tuple[str, str]:
    text = str(value)
    shape = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if shape:
        year, month, day = (int(part) for part in shape.groups())
        if not 1 <= month <= 12:
            return (
                f"'{text}' is not a date: month {month} does not exist (dates are YYYY-MM-DD)",
                "check the month and the day: they may be the wrong way round",
            )
        return (
            f"'{text}' is not a date: {year}-{month:02d} has no day {day}",
            "check the day of the month",
        )
    day_first = _DAY_FIRST.fullmatch(text)
    if day_first:
        first, second, written_year = day_first.groups()
        return (
            f"'{text}' is not a date in the form YYYY-MM-DD",
            f"write year-month-day: {name}: {written_year}-{int(second):02d}-{int(first):02d} if "
            f"{first} is the day, {written_year}-{int(first):02d}-{int(second):02d} if it is the month",
        )
    for layout in ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y", "%B %d, %Y", "%b %d, %Y"):
        try:
            written = datetime.datetime.strptime(text.strip(), layout).date()
        except ValueError:
            continue
        return f"'{text}' is not a date in the form YYYY-MM-DD", f"write it as {name}: {written.isoformat()}"
    return f"{_yaml_kind(value)} is not a date in the form YYYY-MM-DD", f"write it as {name}: 2026-05-12"


def _missing_location(source: SourceMap, parent: tuple[str | int, ...]) -> Location:
    return source.locate(parent)
