"""Matching two versions of a journey map by id and classifying every change.

Entities are matched by ``id`` per kind across the whole map (ids are unique
per kind), never by list position, so a step that moves to another stage is a
move, not a removal plus an addition. Each change is classified as a
regression, an improvement or neutral by the rules documented in
``docs/diff.md``; ``compare_maps`` returns them in a stable order (the journey,
personas, channels, then stage by stage in the new map's order).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from journeyctl.model import Entity, Journey, Metric, Opportunity, PainPoint, Stage, Step

REGRESSION = "regression"
IMPROVEMENT = "improvement"
NEUTRAL = "neutral"
#: Classifications, most important first: the order reports use.
CLASSIFICATIONS = (REGRESSION, IMPROVEMENT, NEUTRAL)

#: Change kinds (``Change.kind``).
KINDS = ("added", "removed", "changed", "renamed", "moved", "reordered", "emotion", "emptied")

#: Entity kind -> attribute of ``Stage`` holding them, in the order reports list them.
STAGE_CHILDREN = (
    ("touchpoint", "touchpoints"),
    ("step", "steps"),
    ("pain-point", "pain_points"),
    ("opportunity", "opportunities"),
    ("metric", "metrics"),
)
_PLURALS = {
    "persona": "personas",
    "channel": "channels",
    "stage": "stages",
    "touchpoint": "touchpoints",
    "step": "steps",
    "pain-point": "pain points",
    "opportunity": "opportunities",
    "metric": "metrics",
}
#: The field whose change is a rename, per entity kind (same id, new name).
NAME_FIELDS = {
    "persona": "name",
    "channel": "name",
    "stage": "name",
    "touchpoint": "name",
    "step": "action",
    "metric": "name",
}
#: Fields not compared as values, per entity kind: the lists matched by id (and identity).
_SKIPPED_FIELDS = {
    "journey": frozenset(("id", "journeyctl", "personas", "channels", "stages")),
    "stage": frozenset(("id", *(attr for _, attr in STAGE_CHILDREN))),
}
_ID_ONLY = frozenset(("id",))
_SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}
_STATUS_RANK = {"idea": 0, "planned": 1, "in-progress": 2, "done": 3}
_OWNED = frozenset(("touchpoint", "pain-point", "opportunity"))
#: Means are compared at this precision so float noise is never a change.
_EMOTION_DIGITS = 3


@dataclass(frozen=True)
class Change:
    """One difference between two versions of a map.

    ``path`` is the ids leading to the entity inside its map: ``()`` for the
    journey itself, ``(persona,)``, ``(stage,)`` or ``(stage, child)``; for a
    removed entity it is its old path. ``field``, ``old`` and ``new`` say what
    changed (positions in ``reordered`` are 1-based, ``moved`` holds stage ids).
    """

    kind: str
    entity: str
    path: tuple[str, ...]
    classification: str
    message: str
    name: str = ""
    field: str | None = None
    old: Any = None
    new: Any = None

    @property
    def id(self) -> str:
        return self.path[-1] if self.path else ""


@dataclass(frozen=True)
class StageEmotion:
    """A stage's mean step emotion before and after (``None``: no step has an emotion)."""

    id: str
    name: str
    old: float | None
    new: float | None


@dataclass
class MapDiff:
    """The differences between two versions of one map (or its addition, deletion or rename)."""

    map_id: str
    title: str
    status: str  # modified, unchanged, added, deleted, renamed
    old_path: str | None
    new_path: str | None
    changes: list[Change] = field(default_factory=list)
    emotion_old: float | None = None
    emotion_new: float | None = None
    stages: list[StageEmotion] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.new_path or self.old_path or ""

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(CLASSIFICATIONS, 0)
        for change in self.changes:
            counts[change.classification] += 1
        return counts


@dataclass
class DiffReport:
    """Everything one ``journeyctl diff`` run found: the maps compared, in path order."""

    old_label: str
    new_label: str
    maps: list[MapDiff] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(CLASSIFICATIONS, 0)
        for map_diff in self.maps:
            for key, value in map_diff.counts().items():
                counts[key] += value
        return counts

    @property
    def changed(self) -> bool:
        return any(map_diff.changes for map_diff in self.maps)


def mean_emotion(steps: Iterable[Step]) -> float | None:
    """Mean of the steps' emotions; ``None`` when no step has one."""
    values = [step.emotion for step in steps if step.emotion is not None]
    if not values:
        return None
    return round(sum(values) / len(values), _EMOTION_DIGITS)


def journey_emotion(journey: Journey) -> float | None:
    """The journey's overall emotion: the mean over all its steps."""
    return mean_emotion(step for _, step in journey.iter_steps())


def format_value(value: Any) -> str:
    """A value as a reader sees it in a message."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "[" + ", ".join(format_value(item) for item in value) + "]"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return repr(value) if value else "''"
    return str(value)


def format_emotion(value: float | None) -> str:
    """``+1``, ``-0.5``, ``0``; ``(none)`` when there is no emotion."""
    if value is None:
        return "(none)"
    if value == 0:
        return "0"
    text = f"{value:+.2f}".rstrip("0").rstrip(".")
    return text


def _same(before: Any, after: Any) -> bool:
    """Equal values of one type; NaN is the same as NaN (``nan != nan`` made a map differ from itself)."""
    if type(before) is not type(after):
        return False
    if isinstance(before, float) and math.isnan(before):
        return math.isnan(after)
    return bool(before == after)


def _field_alias(name: str) -> str:
    return name.replace("_", "-")


def _label(entity: Any) -> str:
    for attribute in ("name", "action", "title", "description"):
        value = getattr(entity, attribute, None)
        if isinstance(value, str) and value:
            return value if len(value) <= 80 else value[:77] + "..."
    return ""


def stable_positions(sequence: Sequence[int]) -> set[int]:
    """Indexes into ``sequence`` of one longest strictly increasing subsequence.

    Items outside it are the ones reported as reordered: moving one item
    reports that item, not every item after it (O(n log n), patience sorting).
    """
    import bisect

    tails: list[int] = []  # tails[k]: smallest tail value of an increasing run of length k+1
    tail_index: list[int] = []
    previous = [-1] * len(sequence)
    for index, value in enumerate(sequence):
        k = bisect.bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[k] = value
            tail_index[k] = index
        previous[index] = tail_index[k - 1] if k > 0 else -1
    kept: set[int] = set()
    current = tail_index[-1] if tail_index else -1
    while current != -1:
        kept.add(current)
        current = previous[current]
    return kept


class _Comparison:
    """Builds the list of changes between ``old`` and ``new``."""

    def __init__(self, old: Journey, new: Journey) -> None:
        self.old = old
        self.new = new
        self.changes: list[Change] = []
        self.new_mot = {t.id for _, t in new.iter_touchpoints() if t.moment_of_truth}
        self.new_step_touchpoints = {step.id: step.touchpoints for _, step in new.iter_steps()}
        self.new_addressed: dict[str, list[str]] = {}
        for _, opportunity in new.iter_opportunities():
            for pain_id in opportunity.addresses:
                self.new_addressed.setdefault(pain_id, []).append(opportunity.id)
        self.new_pain_ids = {p.id for _, p in new.iter_pain_points()}

    def add(
        self,
        kind: str,
        entity: str,
        path: tuple[str, ...],
        classification: str,
        message: str,
        name: str = "",
        field_name: str | None = None,
        old: Any = None,
        new: Any = None,
    ) -> None:
        self.changes.append(Change(kind, entity, path, classification, message, name, field_name, old, new))

    # --- the whole map ----------------------------------------------------------------

    def run(self) -> list[Change]:
        old, new = self.old, self.new
        self.compare_fields("journey", (), old, new)
        self.compare_list("persona", (), old.personas, new.personas)
        self.compare_list("channel", (), old.channels, new.channels)
        self.compare_stages()
        before, after = journey_emotion(old), journey_emotion(new)
        if before != after:
            self.add_emotion("journey", (), new.title, before, after)
        return self.changes

    def compare_list(
        self, kind: str, parent: tuple[str, ...], old: Sequence[Any], new: Sequence[Any]
    ) -> None:
        """A flat list matched by id: personas and channels."""
        old_by_id = {item.id: item for item in old}
        new_ids = {item.id for item in new}
        reordered = self.reorders([item.id for item in old], [item.id for item in new])
        for item in new:
            path = (*parent, item.id)
            before = old_by_id.get(item.id)
            if before is None:
                self.add("added", kind, path, NEUTRAL, "added", _label(item))
                continue
            self.compare_fields(kind, path, before, item)
            if item.id in reordered:
                self.add_reorder(kind, path, item, reordered[item.id])
        for item in old:
            if item.id not in new_ids:
                self.add("removed", kind, (*parent, item.id), NEUTRAL, "removed", _label(item))

    def reorders(self, old_ids: Sequence[str], new_ids: Sequence[str]) -> dict[str, tuple[int, int]]:
        """Ids in both lists whose relative order changed -> (old, new) 1-based positions."""
        old_position = {ident: index for index, ident in enumerate(old_ids)}
        common = [ident for ident in new_ids if ident in old_position]
        if len(common) < 2:
            return {}
        sequence = [old_position[ident] for ident in common]
        kept = stable_positions(sequence)
        if len(kept) == len(common):
            return {}
        new_position = {ident: index for index, ident in enumerate(new_ids)}
        return {
            ident: (old_position[ident] + 1, new_position[ident] + 1)
            for index, ident in enumerate(common)
            if index not in kept
        }

    def add_reorder(self, kind: str, path: tuple[str, ...], item: Any, positions: tuple[int, int]) -> None:
        where = f"in its stage's {_PLURALS[kind]}" if len(path) > 1 else f"in {_PLURALS[kind]}"
        self.add(
            "reordered",
            kind,
            path,
            NEUTRAL,
            f"reordered: position {positions[0]} -> {positions[1]} {where}",
            _label(item),
            None,
            positions[0],
            positions[1],
        )

    # --- stages and their contents ------------------------------------------------------

    def compare_stages(self) -> None:
        old, new = self.old, self.new
        old_stages = {stage.id: stage for stage in old.stages}
        new_stage_ids = {stage.id for stage in new.stages}
        stage_reorders = self.reorders([s.id for s in old.stages], [s.id for s in new.stages])
        old_home: dict[str, dict[str, tuple[str, Any]]] = {}
        new_ids: dict[str, set[str]] = {}
        for kind, attribute in STAGE_CHILDREN:
            old_home[kind] = {
                item.id: (stage.id, item) for stage in old.stages for item in getattr(stage, attribute)
            }
            new_ids[kind] = {item.id for stage in new.stages for item in getattr(stage, attribute)}
        for stage in new.stages:
            path = (stage.id,)
            before = old_stages.get(stage.id)
            if before is None:
                self.add("added", "stage", path, NEUTRAL, "added", _label(stage))
            else:
                self.compare_fields("stage", path, before, stage)
                if stage.id in stage_reorders:
                    self.add_reorder("stage", path, stage, stage_reorders[stage.id])
            for kind, attribute in STAGE_CHILDREN:
                self.compare_children(
                    kind, stage, before, getattr(stage, attribute), old_home[kind], attribute
                )
                if before is not None:
                    for item in getattr(before, attribute):
                        if item.id not in new_ids[kind]:
                            self.add_removed(kind, (stage.id, item.id), item)
            if before is not None:
                self.compare_stage_summary(before, stage)
        for stage in old.stages:
            if stage.id in new_stage_ids:
                continue
            self.add("removed", "stage", (stage.id,), NEUTRAL, "removed", _label(stage))
            for kind, attribute in STAGE_CHILDREN:
                for item in getattr(stage, attribute):
                    if item.id not in new_ids[kind]:
                        self.add_removed(kind, (stage.id, item.id), item)

    def compare_children(
        self,
        kind: str,
        stage: Stage,
        before: Stage | None,
        items: Sequence[Any],
        old_home: dict[str, tuple[str, Any]],
        attribute: str,
    ) -> None:
        reordered: dict[str, tuple[int, int]] = {}
        if before is not None:
            reordered = self.reorders(
                [item.id for item in getattr(before, attribute)],
                [item.id for item in items if old_home.get(item.id, ("",))[0] == stage.id],
            )
        for index, item in enumerate(items):
            path = (stage.id, item.id)
            home = old_home.get(item.id)
            if home is None:
                self.add_added(kind, path, item)
                continue
            old_stage, old_item = home
            if old_stage != stage.id:
                self.add(
                    "moved",
                    kind,
                    path,
                    NEUTRAL,
                    f"moved from stage {old_stage!r} to {stage.id!r}",
                    _label(item),
                    None,
                    old_stage,
                    stage.id,
                )
            self.compare_fields(kind, path, old_item, item)
            if item.id in reordered:
                old_position = reordered[item.id][0]
                self.add_reorder(kind, path, item, (old_position, index + 1))

    def compare_stage_summary(self, before: Stage, stage: Stage) -> None:
        old_mean, new_mean = mean_emotion(before.steps), mean_emotion(stage.steps)
        if old_mean != new_mean:
            self.add_emotion("stage", (stage.id,), _label(stage), old_mean, new_mean)
        if before.touchpoints and not stage.touchpoints:
            count = len(before.touchpoints)
            self.add(
                "emptied",
                "stage",
                (stage.id,),
                REGRESSION,
                f"left with no touchpoints (had {count})",
                _label(stage),
                "touchpoints",
                count,
                0,
            )

    def add_emotion(
        self, entity: str, path: tuple[str, ...], name: str, old: float | None, new: float | None
    ) -> None:
        what = "overall emotion (mean over steps)" if entity == "journey" else "mean emotion"
        if old is None or new is None:
            classification = NEUTRAL
            message = f"{what} {format_emotion(old)} -> {format_emotion(new)}"
        else:
            classification = IMPROVEMENT if new > old else REGRESSION
            delta = round(new - old, _EMOTION_DIGITS)
            message = f"{what} {format_emotion(old)} -> {format_emotion(new)} ({format_emotion(delta)})"
        self.add("emotion", entity, path, classification, message, name, "emotion", old, new)

    # --- additions and removals -----------------------------------------------------------

    def add_added(self, kind: str, path: tuple[str, ...], item: Any) -> None:
        if kind == "pain-point":
            self.add_pain_point(path, item)
        elif kind == "opportunity":
            self.add_opportunity(path, item)
        else:
            self.add("added", kind, path, NEUTRAL, "added", _label(item))

    def add_pain_point(self, path: tuple[str, ...], pain: PainPoint) -> None:
        addressed = self.new_addressed.get(pain.id, [])
        at_mot = self.pain_at_moment_of_truth(pain)
        message = f"pain point introduced (severity {pain.severity})"
        if not addressed:
            message += "; no opportunity addresses it"
        else:
            message += "; addressed by " + ", ".join(repr(ident) for ident in addressed)
        if at_mot:
            message += "; at a moment of truth"
        classification = REGRESSION if (not addressed or at_mot) else NEUTRAL
        self.add("added", "pain-point", path, classification, message, _label(pain))

    def pain_at_moment_of_truth(self, pain: PainPoint) -> bool:
        if pain.touchpoint is not None and pain.touchpoint in self.new_mot:
            return True
        if pain.step is not None:
            return any(t in self.new_mot for t in self.new_step_touchpoints.get(pain.step, []))
        return False

    def add_opportunity(self, path: tuple[str, ...], opportunity: Opportunity) -> None:
        live = [ident for ident in opportunity.addresses if ident in self.new_pain_ids]
        if live:
            message = "opportunity added; addresses " + ", ".join(repr(ident) for ident in live)
            self.add("added", "opportunity", path, IMPROVEMENT, message, _label(opportunity))
        else:
            self.add("added", "opportunity", path, NEUTRAL, "opportunity added", _label(opportunity))

    def add_removed(self, kind: str, path: tuple[str, ...], item: Any) -> None:
        if kind == "pain-point":
            self.add("removed", kind, path, IMPROVEMENT, "pain point resolved (removed)", _label(item))
        elif kind == "opportunity":
            orphaned = [
                ident
                for ident in item.addresses
                if ident in self.new_pain_ids and not self.new_addressed.get(ident)
            ]
            if orphaned and item.status != "done":
                message = (
                    f"opportunity dropped (status {item.status}); nothing addresses "
                    + ", ".join(repr(ident) for ident in orphaned)
                    + " any more"
                )
                self.add("removed", kind, path, REGRESSION, message, _label(item))
            else:
                self.add(
                    "removed",
                    kind,
                    path,
                    NEUTRAL,
                    f"opportunity dropped (status {item.status})",
                    _label(item),
                )
        else:
            self.add("removed", kind, path, NEUTRAL, "removed", _label(item))

    # --- field by field -------------------------------------------------------------------

    def compare_fields(self, kind: str, path: tuple[str, ...], old: Entity, new: Entity) -> None:
        old_values, new_values = old.__dict__, new.__dict__
        skipped = _SKIPPED_FIELDS.get(kind, _ID_ONLY)
        for name in type(new).model_fields:
            if name in skipped:
                continue
            before, after = old_values.get(name), new_values.get(name)
            if _same(before, after):
                continue
            alias = _field_alias(name)
            label = _label(new)
            if NAME_FIELDS.get(kind) == name:
                self.add(
                    "renamed",
                    kind,
                    path,
                    NEUTRAL,
                    f"renamed: {format_value(before)} -> {format_value(after)}",
                    label,
                    alias,
                    before,
                    after,
                )
                continue
            classification, reason = self.classify_field(kind, name, old, new, before, after)
            message = f"{alias}: {_show(alias, before)} -> {_show(alias, after)}"
            if reason:
                message += f" ({reason})"
            self.add("changed", kind, path, classification, message, label, alias, before, after)

    def classify_field(
        self, kind: str, name: str, old: Any, new: Any, before: Any, after: Any
    ) -> tuple[str, str]:
        """(classification, reason) of one field's change."""
        if kind == "step" and name == "emotion":
            if before is None or after is None:
                return NEUTRAL, ""
            at_mot = any(t in self.new_mot for t in new.touchpoints)
            reason = "at a moment of truth" if at_mot else ""
            return (IMPROVEMENT if after > before else REGRESSION), reason
        if kind == "pain-point" and name == "severity":
            worse = _SEVERITY_RANK[after] > _SEVERITY_RANK[before]
            return (REGRESSION, "more severe") if worse else (IMPROVEMENT, "less severe")
        if kind == "opportunity" and name == "status":
            forward = _STATUS_RANK[after] > _STATUS_RANK[before]
            return (IMPROVEMENT, "progress") if forward else (REGRESSION, "went backwards")
        if kind == "metric" and name == "value":
            return _classify_metric(new, before, after)
        if kind in _OWNED and name == "owner":
            if after is None:
                return REGRESSION, "nobody owns it any more"
            if before is None:
                return IMPROVEMENT, "now has an owner"
        return NEUTRAL, ""


def _show(alias: str, value: Any) -> str:
    if alias == "emotion" and isinstance(value, int) and not isinstance(value, bool):
        return format_emotion(value)
    return format_value(value)


def _classify_metric(metric: Metric, before: float | None, after: float | None) -> tuple[str, str]:
    """Towards or away from the target; without one, in the ``better`` direction or not."""
    if before is None or after is None:
        return NEUTRAL, ""
    lower_is_better = metric.better == "lower"
    if metric.target is not None:
        target = metric.target
        if lower_is_better:
            short_before, short_after = max(0.0, before - target), max(0.0, after - target)
        else:
            short_before, short_after = max(0.0, target - before), max(0.0, target - after)
        if short_after < short_before:
            return IMPROVEMENT, f"towards target {target:g}"
        if short_after > short_before:
            return REGRESSION, f"away from target {target:g}"
    improved = after < before if lower_is_better else after > before
    direction = "lower" if lower_is_better else "higher"
    if improved:
        return IMPROVEMENT, f"{direction} is better"
    return REGRESSION, f"{direction} is better"


def compare_maps(old: Journey, new: Journey) -> list[Change]:
    """Every change from ``old`` to ``new``, classified, in report order."""
    return _Comparison(old, new).run()


def stage_emotions(old: Journey | None, new: Journey | None) -> list[StageEmotion]:
    """Mean emotion per stage before and after: new stages in order, then removed ones."""
    old_stages = {stage.id: stage for stage in old.stages} if old is not None else {}
    result: list[StageEmotion] = []
    seen: set[str] = set()
    for stage in new.stages if new is not None else []:
        seen.add(stage.id)
        before = old_stages.get(stage.id)
        result.append(
            StageEmotion(
                stage.id,
                stage.name,
                mean_emotion(before.steps) if before else None,
                mean_emotion(stage.steps),
            )
        )
    for stage in old.stages if old is not None else []:
        if stage.id not in seen:
            result.append(StageEmotion(stage.id, stage.name, mean_emotion(stage.steps), None))
    return result


def diff_maps(
    old: Journey | None,
    new: Journey | None,
    old_path: str | None,
    new_path: str | None,
    *,
    renamed: bool = False,
) -> MapDiff:
    """The ``MapDiff`` of two versions of a map; either side may be absent (added, deleted).

    ``renamed`` says the file moved between the versions (two unrelated files
    compared with each other are not a rename).
    """
    from journeyctl.loader import paused_gc

    # Comparing makes no reference cycles, but the collector would walk both live maps
    # again and again (more often the larger they are): twice the time of the comparison
    # on a 2,000-stage pair.
    with paused_gc():
        return _diff_maps(old, new, old_path, new_path, renamed=renamed)


def _diff_maps(
    old: Journey | None, new: Journey | None, old_path: str | None, new_path: str | None, *, renamed: bool
) -> MapDiff:
    current = new if new is not None else old
    assert current is not None, "a map diff needs at least one side"
    result = MapDiff(
        map_id=current.id,
        title=current.title,
        status="modified",
        old_path=old_path,
        new_path=new_path,
        emotion_old=journey_emotion(old) if old is not None else None,
        emotion_new=journey_emotion(new) if new is not None else None,
        stages=stage_emotions(old, new),
    )
    if old is None:
        result.status = "added"
        result.changes.append(Change("added", "map", (), NEUTRAL, "map added", current.title))
    elif new is None:
        result.status = "deleted"
        result.changes.append(Change("removed", "map", (), NEUTRAL, "map deleted", current.title))
    else:
        if renamed:
            result.status = "renamed"
            result.changes.append(
                Change(
                    "renamed",
                    "map",
                    (),
                    NEUTRAL,
                    f"file renamed: {old_path} -> {new_path}",
                    current.title,
                    "path",
                    old_path,
                    new_path,
                )
            )
        result.changes.extend(compare_maps(old, new))
        if result.status == "modified" and not result.changes:
            result.status = "unchanged"
    return result
