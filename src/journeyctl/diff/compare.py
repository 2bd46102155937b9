"""Matching two versions of a journey map by id and classifying every change.

Entities are matched by ``id`` per kind across the whole map (ids are unique
per kind), never by list position, so a step that moves to another stage is a
move, not a removal plus an addition. Each change is classified as a
regression, an improvement or neutral by the rules documented in
``docs/diff.md``; ``compare_maps`` returns them in a stable order (the journey,
personas, channels, insights, the funnel, then stage by stage in the new map's
order).

Emotion means (of the journey, of each stage, of each persona) are judged on
the steps both versions have and score, on the main line: a mean that moves
only because steps were added, removed or left unscored is reported as
neutral, and a change that rounds to zero at the two decimals shown is none.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from journeyctl.model.common import keys_of

if TYPE_CHECKING:
    from journeyctl.model import Entity, Funnel, Journey, Metric, Opportunity, PainPoint, Stage, Step

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
    "insight": "insights",
}
#: The field whose change is a rename, per entity kind (same id, new name).
NAME_FIELDS = {
    "persona": "name",
    "channel": "name",
    "stage": "name",
    "touchpoint": "name",
    "step": "action",
    "metric": "name",
    "insight": "source",
}
#: Fields not compared as values, per entity kind: the lists matched by id (and identity).
_SKIPPED_FIELDS = {
    "journey": frozenset(("id", "journeyctl", "personas", "channels", "insights", "funnel", "stages")),
    "stage": frozenset(("id", *(attr for _, attr in STAGE_CHILDREN))),
    # Compared as who takes the step (`personas`) and as each persona's score (`emotions.<id>`).
    "step": frozenset(("id", "persona", "personas", "emotions")),
    "funnel": frozenset(("entries",)),
}
_ID_ONLY = frozenset(("id",))
_SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}
_STATUS_RANK = {"idea": 0, "planned": 1, "in-progress": 2, "done": 3}
_OWNED = frozenset(("touchpoint", "pain-point", "opportunity"))
#: Means are reported at this precision so float noise is never a change.
_EMOTION_DIGITS = 3
#: A mean's change counts only when it shows at the precision messages print (``-0.01``, not ``-0``).
_SHOWN_DIGITS = 2
#: A funnel drop's change counts at this many decimals of a percent.
_SHARE_DIGITS = 1


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
    #: Each persona's mean over the steps both versions score for them (maps with several personas).
    personas: list[StageEmotion] = field(default_factory=list)

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
    """Mean score of the main-line steps that have one (see ``model.emotion``); ``None`` when none has."""
    from journeyctl.model.emotion import mean_score

    value = mean_score(steps)
    return None if value is None else round(value, _EMOTION_DIGITS)


def journey_emotion(journey: Journey) -> float | None:
    """The journey's overall emotion: the mean over all its main-line steps."""
    return mean_emotion(step for _, step in journey.iter_steps())


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), _EMOTION_DIGITS) if values else None


def shown_delta(old: float | None, new: float | None) -> float:
    """``new - old`` at the precision people see; 0 when either is missing or the change rounds away."""
    if old is None or new is None:
        return 0.0
    return round(new - old, _SHOWN_DIGITS) + 0.0  # + 0.0 turns a rounded -0.0 into 0.0


def kept_means(old_steps: dict[str, Step], steps: Iterable[Step]) -> tuple[float | None, float | None, int]:
    """Old and new mean score of ``steps`` that the old version has too, on the main line and scored
    in both; and how many such steps there are."""
    from journeyctl.model.emotion import step_score

    before: list[float] = []
    after: list[float] = []
    for step in steps:
        old = old_steps.get(step.id)
        if old is None or step.is_branch or old.is_branch:
            continue
        old_score, new_score = step_score(old), step_score(step)
        if old_score is not None and new_score is not None:
            before.append(old_score)
            after.append(new_score)
    return _mean(before), _mean(after), len(before)


def persona_emotions(old: Journey, new: Journey) -> list[StageEmotion]:
    """Each persona's mean score over the main-line steps both versions have, take it and score it for
    it; for maps with several personas (with one, the journey's mean says it)."""
    old_personas = {persona.id for persona in old.personas}
    if len(new.personas) < 2:
        return []
    old_steps = {step.id: step for _, step in old.iter_main_line()}
    result: list[StageEmotion] = []
    for persona in new.personas:
        if persona.id not in old_personas:
            continue
        before: list[float] = []
        after: list[float] = []
        for _, step in new.iter_main_line():
            previous = old_steps.get(step.id)
            if previous is None:
                continue
            if persona.id not in new.persona_ids_of(step) or persona.id not in old.persona_ids_of(previous):
                continue
            old_score, new_score = previous.emotion_of(persona.id), step.emotion_of(persona.id)
            if old_score is not None and new_score is not None:
                before.append(old_score)
                after.append(new_score)
        if before:
            result.append(StageEmotion(persona.id, persona.name, _mean(before), _mean(after)))
    return result


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
        self.new_mot_steps = {step.id for _, step in new.iter_steps() if step.moment_of_truth}
        self.new_step_touchpoints = {step.id: step.touchpoints for _, step in new.iter_steps()}
        self.old_steps = {step.id: step for _, step in old.iter_steps()}
        self.new_steps = {step.id: step for _, step in new.iter_steps()}
        self.persona_names = {persona.id: persona.name for persona in (*old.personas, *new.personas)}
        # A future map's opportunities name the baseline pain points they resolve.
        self.resolved_by: dict[str, list[str]] = {}
        for _, opportunity in new.iter_opportunities():
            for pain_id in opportunity.resolves:
                self.resolved_by.setdefault(pain_id, []).append(opportunity.id)
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
        self.compare_list("insight", (), old.insights, new.insights)
        self.compare_funnel(old.funnel, new.funnel)
        self.compare_stages()
        main_line = [step for _, step in new.iter_main_line()]
        kept_old, kept_new, kept = kept_means({s.id: s for _, s in old.iter_steps()}, main_line)
        self.add_mean(
            "journey", (), new.title, journey_emotion(old), journey_emotion(new), kept_old, kept_new, kept
        )
        for persona in persona_emotions(old, new):
            delta = shown_delta(persona.old, persona.new)
            if delta:
                self.add(
                    "emotion",
                    "persona",
                    (persona.id,),
                    IMPROVEMENT if delta > 0 else REGRESSION,
                    "mean emotion on the steps both versions score for them "
                    f"{format_emotion(persona.old)} -> {format_emotion(persona.new)} "
                    f"({format_emotion(delta)})",
                    persona.name,
                    "emotion",
                    persona.old,
                    persona.new,
                )
        return self.changes

    def compare_funnel(self, old: Funnel | None, new: Funnel | None) -> None:
        """The funnel as a whole (added, removed, its facts), then entry by entry: who reaches, who leaves."""
        if old is None and new is None:
            return
        if old is None or new is None:
            kind, what = ("added", "funnel added") if old is None else ("removed", "funnel removed")
            present = new if new is not None else old
            self.add(kind, "funnel", (), NEUTRAL, what, present.name or "" if present is not None else "")
            return
        self.compare_fields("funnel", (), old, new)
        from journeyctl.model.funnel import funnel_drops

        old_entries = {entry.target: entry for entry in old.entries}
        new_entries = {entry.target: entry for entry in new.entries}
        old_drops = {drop.entry.target: drop for drop in funnel_drops(self.old)}
        new_drops = {drop.entry.target: drop for drop in funnel_drops(self.new)}
        for target, entry in new_entries.items():
            name = self.place_name(target)
            before = old_entries.get(target)
            if before is None:
                self.add("added", "funnel", (target,), NEUTRAL, f"funnel entry added: {name}", name)
                continue
            if before.count != entry.count:
                self.add(
                    "changed",
                    "funnel",
                    (target,),
                    NEUTRAL,
                    f"customers reaching {name}: {_count(before.count)} -> {_count(entry.count)}",
                    name,
                    "count",
                    before.count,
                    entry.count,
                )
            old_drop, new_drop = old_drops.get(target), new_drops.get(target)
            old_share = round(old_drop.share, _SHARE_DIGITS) if old_drop is not None else None
            new_share = round(new_drop.share, _SHARE_DIGITS) if new_drop is not None else None
            if old_share == new_share:
                continue
            if old_share is None or new_share is None:
                classification, reason = NEUTRAL, ""
            elif new_share < old_share:
                classification, reason = IMPROVEMENT, " (fewer customers lost)"
            else:
                classification, reason = REGRESSION, " (more customers lost)"
            self.add(
                "changed",
                "funnel",
                (target,),
                classification,
                f"drop-off after {name}: {_share(old_share)} -> {_share(new_share)}{reason}",
                name,
                "drop-off",
                old_share,
                new_share,
            )
        for target in old_entries:
            if target not in new_entries:
                name = self.place_name(target)
                self.add("removed", "funnel", (target,), NEUTRAL, f"funnel entry removed: {name}", name)

    def place_name(self, target: str) -> str:
        """A funnel entry's stage or step, for people: ``stage 'Buy'`` or ``step 'Pays'``."""
        for journey in (self.new, self.old):
            for stage in journey.stages:
                if stage.id == target:
                    return f"stage {stage.name!r}"
            step = {s.id: s for _, s in journey.iter_steps()}.get(target)
            if step is not None:
                return f"step {step.action!r}"
        return repr(target)

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
        kept_old, kept_new, kept = kept_means(self.old_steps, stage.steps)
        self.add_mean(
            "stage",
            (stage.id,),
            _label(stage),
            mean_emotion(before.steps),
            mean_emotion(stage.steps),
            kept_old,
            kept_new,
            kept,
        )
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

    def add_mean(
        self,
        entity: str,
        path: tuple[str, ...],
        name: str,
        old: float | None,
        new: float | None,
        kept_old: float | None,
        kept_new: float | None,
        kept: int,
    ) -> None:
        """A mean emotion's change, judged on the steps both versions score (see the module docstring).

        When those steps' scores moved, the change is classified by that movement and reports their
        means; when only steps added, removed or left unscored moved the mean, it is neutral and
        reports the means over all scored steps; a change that rounds to zero is none.
        """
        what = "overall emotion (mean over steps)" if entity == "journey" else "mean emotion"
        delta = shown_delta(kept_old, kept_new)
        if delta:
            message = (
                f"{what} on the {_plural(kept, 'step')} both versions score {format_emotion(kept_old)} -> "
                f"{format_emotion(kept_new)} ({format_emotion(delta)})"
            )
            if (old, new) != (kept_old, kept_new):
                message += f"; over all scored steps {format_emotion(old)} -> {format_emotion(new)}"
            classification = IMPROVEMENT if delta > 0 else REGRESSION
            self.add("emotion", entity, path, classification, message, name, "emotion", kept_old, kept_new)
            return
        if old == new or (old is not None and new is not None and not shown_delta(old, new)):
            return
        message = f"{what} {format_emotion(old)} -> {format_emotion(new)}"
        if old is not None and new is not None:
            message += f" ({format_emotion(shown_delta(old, new))})"
        message += (
            ": from steps added, removed, moved or (un)scored; the steps both versions score kept their mean"
        )
        self.add("emotion", entity, path, NEUTRAL, message, name, "emotion", old, new)

    # --- additions and removals -----------------------------------------------------------

    def add_added(self, kind: str, path: tuple[str, ...], item: Any) -> None:
        if kind == "pain-point":
            self.add_pain_point(path, item)
        elif kind == "opportunity":
            self.add_opportunity(path, item)
        elif kind == "step" and item.is_branch:
            self.add(
                "added",
                kind,
                path,
                NEUTRAL,
                f"added off the main line ({self.branch_words(item)})",
                _label(item),
            )
        else:
            self.add("added", kind, path, NEUTRAL, "added", _label(item))

    def branch_words(self, step: Step) -> str:
        """``failure path off 'pays': if the card is declined``."""
        text = f"{step.kind} path"
        if step.branches_from is not None:
            text += f" off {step.branches_from!r}"
        if step.condition:
            text += f": {' '.join(step.condition.split())}"
        return text

    def add_pain_point(self, path: tuple[str, ...], pain: PainPoint) -> None:
        addressed = self.new_addressed.get(pain.id, [])
        at_mot = self.pain_at_moment_of_truth(pain)
        message = f"pain point introduced (severity {pain.severity or 'not rated'})"
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
            if pain.step in self.new_mot_steps:
                return True
            return any(t in self.new_mot for t in self.new_step_touchpoints.get(pain.step, []))
        return False

    def add_opportunity(self, path: tuple[str, ...], opportunity: Opportunity) -> None:
        live = [ident for ident in opportunity.addresses if ident in self.new_pain_ids]
        message = "opportunity added"
        if live:
            message += "; addresses " + ", ".join(repr(ident) for ident in live)
        if opportunity.resolves:
            message += "; resolves baseline pain points " + ", ".join(repr(i) for i in opportunity.resolves)
        classification = IMPROVEMENT if live or opportunity.resolves else NEUTRAL
        self.add("added", "opportunity", path, classification, message, _label(opportunity))

    def add_removed(self, kind: str, path: tuple[str, ...], item: Any) -> None:
        if kind == "pain-point":
            by = self.resolved_by.get(item.id)
            message = "pain point resolved (removed)"
            if by:
                message = f"pain point resolved by {', '.join(repr(ident) for ident in by)} (removed)"
            self.add("removed", kind, path, IMPROVEMENT, message, _label(item))
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
        if kind == "step":
            self.compare_step_personas(path, old, new)  # type: ignore[arg-type]
        skipped = _SKIPPED_FIELDS.get(kind, _ID_ONLY)
        for name, _ in keys_of(type(new)):
            if name in skipped:
                continue
            before, after = getattr(old, name, None), getattr(new, name, None)
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

    def compare_step_personas(self, path: tuple[str, ...], old: Step, new: Step) -> None:
        """Who takes the step (``every persona`` when it names none) and each persona's own score."""
        who_before = old.persona_ids or ()
        who_after = new.persona_ids or ()
        label = _label(new)
        if _who_key(self.old, old) != _who_key(self.new, new):
            self.add(
                "changed",
                "step",
                path,
                NEUTRAL,
                f"personas: {self.who(who_before)} -> {self.who(who_after)}",
                label,
                "personas",
                list(who_before),
                list(who_after),
            )
        for persona in dict.fromkeys([*old.emotions, *new.emotions]):
            before, after = old.emotion_of(persona), new.emotion_of(persona)
            if before == after:
                continue
            if before is None or after is None:
                classification, reason = NEUTRAL, ""
            else:
                classification = IMPROVEMENT if after > before else REGRESSION
                reason = " (at a moment of truth)" if self.at_moment_of_truth(new) else ""
            name = self.persona_names.get(persona, persona)
            self.add(
                "changed",
                "step",
                path,
                classification,
                f"emotion of {name!r}: {format_emotion(before)} -> {format_emotion(after)}{reason}",
                label,
                f"emotions.{persona}",
                before,
                after,
            )

    def who(self, ids: tuple[str, ...]) -> str:
        if not ids:
            return "every persona"
        return ", ".join(repr(self.persona_names.get(ident, ident)) for ident in ids)

    def at_moment_of_truth(self, step: Step) -> bool:
        return step.moment_of_truth or any(t in self.new_mot for t in step.touchpoints)

    def classify_field(
        self, kind: str, name: str, old: Any, new: Any, before: Any, after: Any
    ) -> tuple[str, str]:
        """(classification, reason) of one field's change."""
        if kind == "step" and name == "emotion":
            if before is None or after is None:
                return NEUTRAL, ""
            reason = "at a moment of truth" if self.at_moment_of_truth(new) else ""
            return (IMPROVEMENT if after > before else REGRESSION), reason
        if kind == "step" and name in ("wait", "duration"):
            return _classify_time(name, before, after)
        if kind == "step" and name == "kind":
            return NEUTRAL, "now off the main line" if after != "main" and before == "main" else (
                "now on the main line" if after == "main" else ""
            )
        if kind == "pain-point" and name == "severity":
            if before is None or after is None:
                # Rating a pain point (or withdrawing a rating) says nothing about the customer.
                return NEUTRAL, "rated" if before is None else "rating removed"
            worse = _SEVERITY_RANK[after] > _SEVERITY_RANK[before]
            return (REGRESSION, "more severe") if worse else (IMPROVEMENT, "less severe")
        if kind == "opportunity" and name == "status":
            forward = _STATUS_RANK[after] > _STATUS_RANK[before]
            return (IMPROVEMENT, "progress") if forward else (REGRESSION, "went backwards")
        if kind == "metric" and name == "value":
            return _classify_metric(new, before, after)
        if kind in _OWNED and name == "owner":
            if kind == "touchpoint" and not new.needs_owner:
                return NEUTRAL, ""  # earned and third-party touchpoints are nobody's here, on purpose
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
            if short_after == 0:
                return IMPROVEMENT, f"now on target {target:g}"
            return IMPROVEMENT, f"towards target {target:g}"
        if short_after > short_before:
            if short_before == 0:
                return REGRESSION, f"no longer on target {target:g}"
            return REGRESSION, f"away from target {target:g}"
    improved = after < before if lower_is_better else after > before
    direction = "lower" if lower_is_better else "higher"
    if improved:
        return IMPROVEMENT, f"{direction} is better"
    return REGRESSION, f"{direction} is better"


def _classify_time(name: str, before: str | None, after: str | None) -> tuple[str, str]:
    """A longer wait is worse for the customer; a step taking longer or shorter is said, not judged."""
    from journeyctl.model.duration import parse_duration

    if before is None or after is None:
        return NEUTRAL, ""
    old, new = parse_duration(before), parse_duration(after)
    old_middle, new_middle = old.low + old.high, new.low + new.high
    if old_middle == new_middle:
        return NEUTRAL, ""
    if name == "wait":
        return (REGRESSION, "waits longer") if new_middle > old_middle else (IMPROVEMENT, "waits less")
    return NEUTRAL, "takes longer" if new_middle > old_middle else "takes less time"


def _who_key(journey: Journey, step: Step) -> frozenset[str] | None:
    """Who takes a step, as compared: None for every persona (named or not), else the set named.

    A persona added to or removed from the map changes no step that names none.
    """
    named = frozenset(step.persona_ids)
    if not named or named == {persona.id for persona in journey.personas}:
        return None
    return named


def _count(value: int | None) -> str:
    return "(none)" if value is None else f"{value:,}"


def _share(value: float | None) -> str:
    return "(none)" if value is None else f"{value:g}%"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


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
        personas=persona_emotions(old, new) if old is not None and new is not None else [],
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
