"""Journey map files to validated models, with every error located in its file.

``load_file`` and ``load_bytes`` return a ``LoadedMap`` (the model plus the
source positions of everything in it) or raise ``MapInvalid`` holding every
problem found, each with ``path:line:col``. Files are checked in three passes:
YAML (syntax, duplicate keys, tags, alias bombs), the format (pydantic models),
then identity (unique ids, references that resolve).
"""

from __future__ import annotations

import difflib
import gc
import os
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
from journeyctl.yamlsource import DEFAULT_MAX_FILE_SIZE, SourceMap, parse

if typing.TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

    from journeyctl.model import Entity, FunnelEntry, Journey, SharedDefinitions

#: Reads an included file given its resolved path; the default reads the disk,
#: ``journeyctl diff`` passes one that reads git blobs.
IncludeReader = Callable[[Path], bytes]


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


def read_file(path: str | Path) -> bytes:
    """The bytes of a file, or a LoadError that says plainly what is wrong."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise LoadError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise LoadError(f"{path}: is a directory, not a journey map file") from None
    except PermissionError:
        raise LoadError(f"{path}: permission denied") from None
    except OSError as exc:
        raise LoadError(f"{path}: cannot read: {exc.strerror}") from None


def load_file(path: str | Path, *, max_size: int | None = DEFAULT_MAX_FILE_SIZE) -> LoadedMap:
    """Load and check one journey map file."""
    return load_bytes(read_file(path), str(path), max_size=max_size)


def load_bytes(
    data: bytes,
    path: str,
    *,
    max_size: int | None = DEFAULT_MAX_FILE_SIZE,
    read_include: IncludeReader | None = None,
    root: Path | None = None,
) -> LoadedMap:
    """Load and check journey map text; ``path`` names it in messages."""
    with paused_gc():
        return _load_bytes(data, path, max_size=max_size, read_include=read_include, root=root)


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


def _load_bytes(
    data: bytes,
    path: str,
    *,
    max_size: int | None,
    read_include: IncludeReader | None,
    root: Path | None,
) -> LoadedMap:
    from pydantic import ValidationError

    from journeyctl.model import Journey

    try:
        document, source = parse(data, path, max_size=max_size)
    except JourneyError as error:
        raise MapInvalid(path, [error]) from None
    _check_top_level(document, source)
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
    try:
        journey = Journey.model_validate(document)
    except ValidationError as exc:
        errors.extend(translate_validation_error(exc, source, Journey))
        raise MapInvalid(path, errors) from None
    loaded = LoadedMap(journey, path, source, {path: source})
    _assign_paths(journey, path)
    if journey.include:
        errors.extend(_load_includes(loaded, read_include, root, max_size))
    errors.extend(check_identity(loaded))
    if errors:
        raise MapInvalid(path, errors)
    return loaded


def load_shared_bytes(
    data: bytes, path: str, *, max_size: int | None = DEFAULT_MAX_FILE_SIZE
) -> tuple[SharedDefinitions, SourceMap]:
    """Load a shared file of personas and channels."""
    from pydantic import ValidationError

    from journeyctl.model import SharedDefinitions

    try:
        document, source = parse(data, path, max_size=max_size)
    except JourneyError as error:
        raise MapInvalid(path, [error]) from None
    _check_top_level(document, source)
    try:
        shared = SharedDefinitions.model_validate(document)
    except ValidationError as exc:
        raise MapInvalid(path, translate_validation_error(exc, source, SharedDefinitions)) from None
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
    reader = read_include or (lambda p: read_file(p))
    errors: list[JourneyError] = []
    personas: list[Any] = []
    channels: list[Any] = []
    insights: list[Any] = []
    for index, include in enumerate(journey.include):
        where = loaded.source.locate(("include", index))
        target = (base / include).resolve()
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
            errors.append(LoadError(f"cannot include '{include}': {exc.message}", where))
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
    private = entity.__pydantic_private__
    if private is None:  # pragma: no cover - every Entity has private attributes
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


def check_identity(loaded: LoadedMap) -> list[JourneyError]:
    """Duplicate ids and references to ids that do not exist."""
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
            if ident in seen:
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

    def check(
        entity: Entity, key: str, kind: str, value: str | None, *index: str | int, at_key: bool = False
    ) -> None:
        if value is None or value in ids[kind]:
            return
        known = sorted(ids[kind])
        message = f"unknown {kind} '{value}'"
        close = difflib.get_close_matches(value, known, n=1)
        if close:
            message += f" (did you mean '{close[0]}'?)"
        elif known:
            shown = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
            message += f"; defined: {shown}"
        else:
            message += f"; the map defines no {dict(ID_SCOPES)[kind]}"
        locate = loaded.locate_key if at_key else loaded.locate_value
        errors.append(DanglingReferenceError(message, locate(entity, key, *index)))

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
    if flow:
        errors.extend(_check_flow(loaded))
    if journey.funnel is not None:
        errors.extend(_check_funnel_order(loaded, ids))
    if journey.state != "future":
        errors.extend(_check_future_only(loaded))
    return errors


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
        return f"the number {value}"
    if isinstance(value, float):
        return f"the number {value:g}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


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


def _allowed_keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def translate_validation_error(
    exc: ValidationError, source: SourceMap, root: type[BaseModel]
) -> list[JourneyError]:
    """Each pydantic error as a SchemaError at the key or value it is about."""
    from journeyctl.model import EMOTION_MAX, EMOTION_MIN

    errors: list[JourneyError] = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        value = error.get("input")
        name = loc[-1] if loc else ""
        where = key_path(loc)
        if kind == "extra_forbidden":
            model = _model_at(root, loc[:-1])
            allowed = _allowed_keys(model) if model else []
            message = f"unknown key '{name}'"
            close = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
            if close:
                message += f" (did you mean '{close[0]}'?)"
            elif allowed:
                message += "; allowed keys: " + ", ".join(allowed)
            errors.append(SchemaError(message, source.locate(loc, key=True), key_path=where))
            continue
        if kind == "missing":
            parent = loc[:-1]
            message = f"missing required key '{name}'"
            if name == "journeyctl":
                message += ": a journey map starts with 'journeyctl: 1'"
            errors.append(SchemaError(message, _missing_location(source, parent), key_path=where))
            continue
        location = source.locate(loc)
        if loc and loc[-1] == "[key]":
            # A mapping key that fails (an `emotions` key that is not an id): point at the key.
            loc = loc[:-1]
            where = key_path(loc)
            location = source.locate(loc, key=True)
        context = error.get("ctx") or {}
        if kind == "journeyctl_conflict":
            # A whole-entity check of the model (model/journey.py ``_conflict``): report it at its key.
            at = (*loc, context["key"])
            errors.append(SchemaError(str(error["msg"]), source.locate(at, key=True), key_path=key_path(at)))
            continue
        if kind in ("duration_format", "url_format"):
            errors.append(SchemaError(str(error["msg"]), location, key_path=where))
            continue
        if name in DURATION_KEYS and kind == "string_type":
            message = (
                f"a duration is written as text such as 10m, 2h, 3d or 2w, not {_yaml_kind(value)}; "
                "add the unit (m minutes, h hours, d days, w weeks)"
            )
            errors.append(SchemaError(message, location, key_path=where))
            continue
        if name == "emotion" or (
            len(loc) >= 2 and loc[-2] == "emotions" and kind != "string_pattern_mismatch"
        ):
            message = (
                f"emotion must be a whole number from {EMOTION_MIN} to +{EMOTION_MAX} "
                f"(-2 very negative .. +2 very positive), not {_yaml_kind(value)}"
            )
        elif kind == "string_pattern_mismatch":
            message = (
                f"'{value}' is not a valid id: use lowercase letters, digits, '-' and '_', "
                "starting with a letter or digit"
            )
        elif kind == "string_too_short":
            message = "must not be empty"
        elif kind == "string_too_long":
            message = f"is too long (at most {context.get('max_length')} characters)"
        elif kind == "string_type":
            message = f"expected text, got {_yaml_kind(value)}"
            if isinstance(value, (int, float, bool)):
                message += "; put it in quotes"
        elif kind == "literal_error":
            expected = str(context.get("expected", ""))
            options = [part.strip().strip("'") for part in expected.replace(" or ", ", ").split(",")]
            message = f"{_yaml_kind(value)} is not allowed here; expected {expected}"
            close = difflib.get_close_matches(str(value), options, n=1)
            if close and str(value) not in options:
                message += f" (did you mean '{close[0]}'?)"
        elif kind.startswith("date_"):
            message = f"invalid date {_yaml_kind(value)}: expected a date as YYYY-MM-DD"
        elif kind in ("list_type",):
            message = f"expected a list, got {_yaml_kind(value)}"
        elif kind == "dict_type" and name == "emotions":
            message = (
                f"`emotions` maps each persona to their score, such as `emotions: {{admin: -1, buyer: 1}}`, "
                f"not {_yaml_kind(value)}; for one score for everyone use `emotion`"
            )
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            message = f"expected a mapping of keys, got {_yaml_kind(value)}"
        elif kind in ("bool_type", "bool_parsing"):
            message = f"expected true or false, got {_yaml_kind(value)}"
        elif kind in ("int_type", "int_parsing", "int_from_float") and not isinstance(value, str):
            message = f"expected a whole number, got {_yaml_kind(value)}"
        elif kind in ("float_type", "float_parsing", "int_type", "int_parsing", "finite_number"):
            message = f"expected a number, got {_yaml_kind(value)}"
        elif kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
            bound = {
                "less_than_equal": ("at most", "le"),
                "greater_than_equal": ("at least", "ge"),
                "less_than": ("less than", "lt"),
                "greater_than": ("more than", "gt"),
            }[kind]
            limit = context.get(bound[1])
            message = f"must be {bound[0]} {_number_text(limit)}, not {_yaml_kind(value)}"
            if name == "drop-off":
                message += " (a percent of the customers reaching this entry, 0 to 100)"
        elif kind == "too_short" and name == "stages":
            message = "a journey needs at least one stage"
        elif kind == "too_short":
            message = f"needs at least {context.get('min_length')} items, not {context.get('actual_length')}"
        else:
            message = str(error["msg"])
        errors.append(SchemaError(message, location, key_path=where))
    return errors


def _number_text(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _missing_location(source: SourceMap, parent: tuple[str | int, ...]) -> Location:
    return source.locate(parent)
