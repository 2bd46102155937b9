"""What the format's pydantic models and their plain twins share, without pydantic.

The models in ``journey.py`` are the format; ``plain.py`` is generated from them
(see ``plaingen.py``) to build the same objects without importing pydantic when a
map is valid, which is what a one-map lint or validate spends most of its start-up
on. Both inherit the behaviour here (properties and iterators that rules and
renderers use) and both judge an entity with the checks here, so that there is
one definition of each. Constants of the format live here too, for modules that
need them and not the models.
"""

from __future__ import annotations

import copy
import datetime
from typing import TYPE_CHECKING, Any

from journeyctl.model.duration import is_duration

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from journeyctl.model.journey import Stage, Step

FORMAT_VERSION = 1

#: The emotion scale: an integer from -2 (very negative) to +2 (very positive).
#: Mermaid's journey score is ``emotion + 3``, so the scales map 1:1.
EMOTION_MIN = -2
EMOTION_MAX = 2
EMOTION_LABELS = {
    -2: "very negative",
    -1: "negative",
    0: "neutral",
    1: "positive",
    2: "very positive",
}

#: The phases that lint rules and renderers know; teams may use their own.
KNOWN_PHASES = ("before-purchase", "purchase", "after-purchase")

SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"

#: The largest count: a million billion (10**15), more customers than any journey has. Counts
#: are divided as floats, which hold every whole number up to 2**53 exactly; a count of 300
#: digits made a funnel's drop overflow.
MAX_COUNT = 10**15

#: A problem with a whole entity: the key it is reported at, the message (``{name}``
#: placeholders) and the placeholders' values.
Conflict = tuple[str, str, dict[str, str]]


def duration_ok(text: str) -> bool:
    """Whether ``text`` is a duration of the format (see ``duration.py``)."""
    return is_duration(text)


def url_ok(text: str) -> bool:
    """Whether ``text`` is a web address written in full."""
    return text.startswith(("https://", "http://")) and not any(c.isspace() for c in text)


class TouchpointBehaviour:
    __slots__ = ()
    if TYPE_CHECKING:
        ownership: str

    @property
    def needs_owner(self) -> bool:
        """Whether a team of the organisation should own it (not so for earned or third-party ones)."""
        return self.ownership in ("owned", "paid")


class StepBehaviour:
    __slots__ = ()
    if TYPE_CHECKING:
        kind: str
        persona: str | None
        personas: list[str]
        emotion: int | None
        emotions: dict[str, int]
        branches_from: str | None
        condition: str | None
        rejoins: str | None

    @property
    def persona_ids(self) -> tuple[str, ...]:
        """The personas who take this step; empty means every persona of the map."""
        if self.persona is not None:
            return (self.persona,)
        return tuple(self.personas)

    @property
    def is_branch(self) -> bool:
        return self.kind != "main"

    def emotion_of(self, persona: str | None) -> int | None:
        """The score of one persona (their own in `emotions`, else the step's), or the step's for None."""
        if persona is not None and persona in self.emotions:
            return self.emotions[persona]
        return self.emotion

    @property
    def scores(self) -> list[int]:
        """Every score the step records: its `emotion` and each persona's own."""
        found = [] if self.emotion is None else [self.emotion]
        found.extend(self.emotions.values())
        return found

    @property
    def is_scored(self) -> bool:
        return self.emotion is not None or bool(self.emotions)

    @property
    def lowest_emotion(self) -> int | None:
        scores = self.scores
        return min(scores) if scores else None


def step_conflict(step: StepBehaviour) -> Conflict | None:
    """What is inconsistent between a step's keys, or None."""
    # Most steps name at most one persona and stay on the main line: nothing to check.
    plain = not step.personas and not step.emotions and step.kind == "main"
    if plain and step.branches_from is None and step.condition is None and step.rejoins is None:
        return None
    if step.persona is not None and step.personas:
        return (
            "personas",
            "write either `persona: {persona}` or `personas: [...]`, not both; "
            "put every persona of the step in `personas`",
            {"persona": step.persona},
        )
    seen: set[str] = set()
    for ident in step.personas:
        if ident in seen:
            return ("personas", "persona '{ident}' is listed twice in `personas`", {"ident": ident})
        seen.add(ident)
    named = step.persona_ids
    if named:
        for ident in step.emotions:
            if ident not in named:
                return (
                    "emotions",
                    "`emotions` scores persona '{ident}', who does not take this step; "
                    "the step's personas: {named}",
                    {"ident": ident, "named": ", ".join(named)},
                )
    if step.kind == "main":
        for key, value in (
            ("branches-from", step.branches_from),
            ("condition", step.condition),
            ("rejoins", step.rejoins),
        ):
            if value is not None:
                return (
                    key,
                    "`{key}` belongs to a branch step; set `kind: alternative`, `failure` or "
                    "`recovery`, or remove `{key}`",
                    {},
                )
    return None


class MetricBehaviour:
    __slots__ = ()
    if TYPE_CHECKING:
        value: float | None
        target: float | None
        better: str

    @property
    def missed(self) -> bool:
        """True when the value is worse than the target (below it, or above it for `better: lower`)."""
        if self.value is None or self.target is None:
            return False
        if self.better == "lower":
            return self.value > self.target
        return self.value < self.target

    @property
    def shortfall(self) -> float | None:
        """How far the value is from the target on the bad side (positive), or None when on target."""
        if not self.missed:
            return None
        assert self.value is not None and self.target is not None
        return abs(self.value - self.target)


def metric_conflict(metric: Any) -> Conflict | None:
    """A metric that names both a step and a touchpoint, or None."""
    if metric.step is not None and metric.touchpoint is not None:
        return (
            "touchpoint",
            "a metric measures a step or a touchpoint, not both; keep one of `step` and `touchpoint`",
            {},
        )
    return None


class FunnelEntryBehaviour:
    __slots__ = ()
    if TYPE_CHECKING:
        stage: str | None
        step: str | None

    @property
    def target(self) -> str:
        """The id of the stage or step."""
        return self.stage if self.stage is not None else str(self.step)


def funnel_entry_conflict(entry: Any) -> Conflict | None:
    """A funnel entry that names no place or two, or counts nothing; or None."""
    if (entry.stage is None) == (entry.step is None):
        key = "step" if entry.stage is not None else "stage"
        return (key, "a funnel entry names one stage or one step: give `stage` or `step`, not both", {})
    if entry.count is None and entry.drop_off is None:
        return ("count", "a funnel entry needs `count` (customers reaching it) or `drop-off`", {})
    return None


class JourneyBehaviour:
    __slots__ = ()
    if TYPE_CHECKING:
        stages: Sequence[Any]
        personas: Sequence[Any]

    def iter_steps(self) -> Iterator[tuple[Stage, Step]]:
        for stage in self.stages:
            for step in stage.steps:
                yield stage, step

    def iter_touchpoints(self) -> Iterator[tuple[Stage, Any]]:
        for stage in self.stages:
            for touchpoint in stage.touchpoints:
                yield stage, touchpoint

    def iter_pain_points(self) -> Iterator[tuple[Stage, Any]]:
        for stage in self.stages:
            for pain_point in stage.pain_points:
                yield stage, pain_point

    def iter_opportunities(self) -> Iterator[tuple[Stage, Any]]:
        for stage in self.stages:
            for opportunity in stage.opportunities:
                yield stage, opportunity

    def iter_metrics(self) -> Iterator[tuple[Stage, Any]]:
        for stage in self.stages:
            for metric in stage.metrics:
                yield stage, metric

    def iter_main_line(self) -> Iterator[tuple[Stage, Step]]:
        """The steps every customer takes (kind main), in journey order: what the emotion curve follows."""
        for stage, step in self.iter_steps():
            if step.kind == "main":
                yield stage, step

    def persona_ids_of(self, step: StepBehaviour) -> tuple[str, ...]:
        """Who takes ``step``: the personas it names, or every persona of the map when it names none."""
        return step.persona_ids or tuple(persona.id for persona in self.personas)


#: (attribute, key) of each field, by class: a plain class says it (``KEYS``), a model's are read once.
_KEYS: dict[type, tuple[tuple[str, str], ...]] = {}


def keys_of(cls: type) -> tuple[tuple[str, str], ...]:
    """(attribute, key) of each field of a model or plain class, in the format's order."""
    keys = _KEYS.get(cls)
    if keys is None:
        keys = getattr(cls, "KEYS", None) or tuple(
            (name, info.alias or name)
            for name, info in cls.model_fields.items()  # type: ignore[attr-defined]
        )
        _KEYS[cls] = keys
    return keys


def key_values(entity: Any) -> Iterator[tuple[str, Any]]:
    """Each key of the format an entity has, with its value (None or empty where not given)."""
    for attribute, key in keys_of(type(entity)):
        yield key, getattr(entity, attribute)


def replaced(entity: Any, **changes: Any) -> Any:
    """A shallow copy of an entity (a model or its plain twin) with some fields replaced."""
    if hasattr(entity, "model_copy"):
        return entity.model_copy(update=changes)
    clone = copy.copy(entity)
    for attribute, value in changes.items():
        setattr(clone, attribute, value)
    return clone


def plain_data(value: Any) -> Any:
    """A plain entity (plain.py) as data, as pydantic's ``model_dump`` gives a model's: the
    format's keys, defaults left out, dates as text."""
    if isinstance(value, list):
        return [plain_data(item) for item in value]
    if isinstance(value, dict):
        return {key: plain_data(item) for key, item in value.items()}
    if isinstance(value, datetime.date):
        return value.isoformat()
    keys = getattr(type(value), "KEYS", None)
    if keys is None:
        return value
    defaults = type(value).DEFAULTS
    data = {}
    for attribute, key in keys:
        item = getattr(value, attribute)
        if attribute in defaults and item == defaults[attribute]:
            continue
        data[key] = plain_data(item)
    return data


def emotion_to_mermaid(emotion: int) -> int:
    """Mermaid's 1..5 journey score for an emotion on the -2..+2 scale."""
    return emotion - EMOTION_MIN + 1


def entity_path(entity: Any) -> tuple[str | int, ...]:
    """Where an entity was written in its file: its key path (set by the loader)."""
    return entity._path  # type: ignore[no-any-return]


def entity_file(entity: Any) -> str:
    """The file an entity was written in (set by the loader)."""
    return entity._file  # type: ignore[no-any-return]
