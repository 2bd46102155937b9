"""The journey map format, version 1, as pydantic models.

Field descriptions here are the format's documentation: they become the JSON
Schema in ``schemas/journey.schema.json`` (what editors show on hover) and the
reference in ``docs/format.md``. YAML keys are kebab-case (``pain-points``,
``moment-of-truth``); unknown keys are errors.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StrictBool, StrictInt

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

Slug = Annotated[
    str,
    Field(
        pattern=SLUG_PATTERN,
        max_length=80,
        description="A slug: lowercase letters, digits, '-' and '_', starting with a letter or digit.",
    ),
]
Text = Annotated[str, Field(min_length=1)]
Emotion = Annotated[StrictInt, Field(ge=EMOTION_MIN, le=EMOTION_MAX)]
#: A number that is finite: NaN and infinity (``.nan``, ``.inf``, ``1e999``) cannot be compared
#: with a target, drawn, or written as JSON, so the format refuses them. Strict, as ``emotion``
#: is: a number in quotes (``target: "60"``) is refused with a hint everywhere, as the JSON
#: Schema refuses it, rather than read as a number in some fields and not in others.
FiniteNumber = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Level = Literal["low", "medium", "high"]
Severity = Literal["low", "medium", "high", "critical"]
ChannelKind = Literal[
    "web",
    "app",
    "email",
    "sms",
    "social",
    "chat",
    "phone",
    "physical",
    "post",
    "partner",
    "advertising",
    "other",
]


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class Entity(BaseModel):
    """Base of every model: kebab-case keys, unknown keys forbidden."""

    model_config = ConfigDict(
        extra="forbid",
        alias_generator=_kebab,
        validate_by_alias=True,
        validate_by_name=False,
        serialize_by_alias=True,
    )

    # Where this entity was written: its key path in the file and the file.
    # Set by the loader; used to locate lint findings.
    _path: tuple[str | int, ...] = PrivateAttr(default=())
    _file: str = PrivateAttr(default="")


class Persona(Entity):
    """Someone who takes the journey."""

    id: Slug = Field(description="Unique id of the persona, used by steps' `persona`.")
    name: Text = Field(description="Display name, e.g. 'Busy parent'.")
    role: str | None = Field(None, description="Job title or role, e.g. 'IT administrator'.")
    description: str | None = Field(None, description="Who they are, in a sentence or two.")
    goals: list[Text] = Field(default_factory=list, description="What this persona wants to achieve.")
    quote: str | None = Field(None, description="A representative quote from research.")


class Channel(Entity):
    """A medium through which the customer and the organisation interact."""

    id: Slug = Field(description="Unique id of the channel, used by touchpoints' `channel`.")
    name: Text = Field(description="Display name, e.g. 'Web shop'.")
    kind: ChannelKind = Field(
        description=(
            "What kind of channel: web, app, email, sms, social, chat, phone, physical, "
            "post, partner, advertising or other."
        )
    )
    description: str | None = Field(None, description="Details about the channel.")


class Touchpoint(Entity):
    """A point of contact between the customer and the organisation."""

    id: Slug = Field(description="Unique id in the map, used by steps and pain points.")
    name: Text = Field(description="What the customer meets, e.g. 'Checkout page'.")
    channel: Slug = Field(description="Id of the channel this touchpoint is on.")
    owner: str | None = Field(None, description="Team that owns this touchpoint.")
    moment_of_truth: StrictBool = Field(
        False,
        description="True for a moment of truth: a touchpoint that makes or breaks the relationship.",
    )
    description: str | None = Field(None, description="Details about the touchpoint.")


class Step(Entity):
    """One thing the customer does, in journey order within its stage."""

    id: Slug = Field(description="Unique id in the map.")
    action: Text = Field(description="What the customer does (the 'doing' lane).")
    persona: Slug | None = Field(None, description="Id of the persona taking this step, if not all.")
    touchpoints: list[Slug] = Field(
        default_factory=list, description="Ids of the touchpoints used in this step."
    )
    thinking: str | None = Field(None, description="What the customer thinks (the 'thinking' lane).")
    feeling: str | None = Field(None, description="What the customer feels, in words.")
    emotion: Emotion | None = Field(
        None,
        description=(
            "How the customer feels at this step, from -2 (very negative) through 0 (neutral) "
            "to +2 (very positive). Mermaid's journey score is emotion + 3."
        ),
    )
    frontstage: list[Text] = Field(
        default_factory=list,
        description="Service-blueprint lane: what staff do that the customer sees.",
    )
    backstage: list[Text] = Field(
        default_factory=list,
        description="Service-blueprint lane: what staff do out of the customer's sight.",
    )
    support: list[Text] = Field(
        default_factory=list,
        description="Service-blueprint lane: systems and processes that support the step.",
    )


class PainPoint(Entity):
    """A problem the customer meets."""

    id: Slug = Field(description="Unique id in the map, used by opportunities' `addresses`.")
    description: Text = Field(description="The problem, from the customer's point of view.")
    severity: Severity = Field("medium", description="low, medium, high or critical.")
    touchpoint: Slug | None = Field(None, description="Id of the touchpoint where it happens.")
    step: Slug | None = Field(None, description="Id of the step where it happens.")
    owner: str | None = Field(None, description="Team accountable for this pain point.")
    evidence: str | None = Field(None, description="Where we know it from: research, tickets, analytics.")


class Opportunity(Entity):
    """An idea for improving the journey."""

    id: Slug = Field(description="Unique id in the map.")
    description: Text = Field(description="The improvement.")
    addresses: list[Slug] = Field(
        default_factory=list, description="Ids of the pain points this opportunity addresses."
    )
    owner: str | None = Field(None, description="Team that owns this opportunity.")
    impact: Level | None = Field(None, description="Expected impact: low, medium or high.")
    effort: Level | None = Field(None, description="Expected effort: low, medium or high.")
    status: Literal["idea", "planned", "in-progress", "done"] = Field(
        "idea", description="idea, planned, in-progress or done."
    )


class Metric(Entity):
    """A measure of how a stage performs."""

    id: Slug = Field(description="Unique id in the map.")
    name: Text = Field(description="Display name, e.g. 'Checkout conversion'.")
    value: FiniteNumber | None = Field(None, description="The current value.")
    target: FiniteNumber | None = Field(None, description="The value the team aims for.")
    unit: str | None = Field(None, description="Unit of value and target, e.g. '%', 'ratio', 's', 'NPS'.")
    better: Literal["higher", "lower"] = Field(
        "higher", description="Whether a higher or a lower value is better."
    )
    source: str | None = Field(None, description="Where the figure comes from.")


class Stage(Entity):
    """A stage of the journey, in journey order."""

    id: Slug = Field(description="Unique id of the stage.")
    name: Text = Field(description="Display name, e.g. 'Awareness'.")
    phase: Slug | None = Field(
        None,
        description=("before-purchase, purchase or after-purchase, or a phase of the team's own (a slug)."),
    )
    description: str | None = Field(None, description="What happens in this stage.")
    goals: list[Text] = Field(default_factory=list, description="What the customer wants in this stage.")
    touchpoints: list[Touchpoint] = Field(default_factory=list, description="Touchpoints of this stage.")
    steps: list[Step] = Field(default_factory=list, description="Steps of this stage, in order.")
    pain_points: list[PainPoint] = Field(default_factory=list, description="Pain points in this stage.")
    opportunities: list[Opportunity] = Field(default_factory=list, description="Opportunities in this stage.")
    metrics: list[Metric] = Field(default_factory=list, description="Metrics of this stage.")


class Journey(Entity):
    """A customer journey map (format version 1)."""

    model_config = ConfigDict(title="Journey map")

    journeyctl: Literal[1] = Field(description="Format version; always 1.")
    id: Slug = Field(description="Unique id of the map, e.g. 'first-online-purchase'.")
    title: Text = Field(description="Title of the map.")
    summary: str | None = Field(None, description="What journey this map describes, in a sentence or two.")
    state: Literal["current", "future"] = Field(
        "current", description="current: the experience today; future: the experience we want."
    )
    baseline: Slug | None = Field(
        None, description="For a future-state map: the id of the current-state map it improves on."
    )
    owner: str | None = Field(None, description="Team or person who keeps this map up to date.")
    reviewed: datetime.date | None = Field(
        None, description="When the map was last reviewed against reality (YYYY-MM-DD)."
    )
    tags: list[Text] = Field(default_factory=list, description="Free-form tags.")
    include: list[Text] = Field(
        default_factory=list,
        description=(
            "Paths of shared files (with `journeyctl-shared: 1`) whose personas and channels this "
            "map uses; relative to this file and inside the repository."
        ),
    )
    personas: list[Persona] = Field(default_factory=list, description="Who takes the journey.")
    channels: list[Channel] = Field(default_factory=list, description="Channels of the touchpoints.")
    stages: list[Stage] = Field(min_length=1, description="The stages of the journey, in order.")

    def iter_steps(self) -> Iterator[tuple[Stage, Step]]:
        for stage in self.stages:
            for step in stage.steps:
                yield stage, step

    def iter_touchpoints(self) -> Iterator[tuple[Stage, Touchpoint]]:
        for stage in self.stages:
            for touchpoint in stage.touchpoints:
                yield stage, touchpoint

    def iter_pain_points(self) -> Iterator[tuple[Stage, PainPoint]]:
        for stage in self.stages:
            for pain_point in stage.pain_points:
                yield stage, pain_point

    def iter_opportunities(self) -> Iterator[tuple[Stage, Opportunity]]:
        for stage in self.stages:
            for opportunity in stage.opportunities:
                yield stage, opportunity

    def iter_metrics(self) -> Iterator[tuple[Stage, Metric]]:
        for stage in self.stages:
            for metric in stage.metrics:
                yield stage, metric


class SharedDefinitions(Entity):
    """A shared file of personas and channels that maps pull in with `include`."""

    model_config = ConfigDict(title="Shared file")

    journeyctl_shared: Literal[1] = Field(description="Marks a shared file; always 1.")
    personas: list[Persona] = Field(default_factory=list, description="Shared personas.")
    channels: list[Channel] = Field(default_factory=list, description="Shared channels.")


def emotion_to_mermaid(emotion: int) -> int:
    """Mermaid's 1..5 journey score for an emotion on the -2..+2 scale."""
    return emotion - EMOTION_MIN + 1


def entity_path(entity: Entity) -> tuple[str | int, ...]:
    return entity._path


def entity_file(entity: Entity) -> str:
    return entity._file


def dump(model: BaseModel) -> dict[str, Any]:
    """The model as plain data with the format's key names, defaults omitted."""
    return model.model_dump(mode="json", by_alias=True, exclude_defaults=True)
