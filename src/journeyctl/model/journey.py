"""The journey map format, version 1, as pydantic models.

Field descriptions here are the format's documentation: they become the JSON
Schema in ``schemas/journey.schema.json`` (what editors show on hover) and the
reference in ``docs/format.md``. YAML keys are kebab-case (``pain-points``,
``moment-of-truth``); unknown keys are errors.

Unlike journeyctl's other modules, this one does not postpone its annotations
(``from __future__ import annotations``): pydantic would then compile and
evaluate each of the ~150 annotation strings when it builds the models, 12 M
instructions of every start-up that reads a map. Annotations here name only
what is defined above them (``Self`` where a validator returns its model).
"""

import datetime
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictInt,
    model_validator,
)
from pydantic_core import PydanticCustomError

# The format's constants and the behaviour its plain twins share (plain.py), re-exported from here.
from journeyctl.model.common import EMOTION_LABELS as EMOTION_LABELS
from journeyctl.model.common import EMOTION_MAX as EMOTION_MAX
from journeyctl.model.common import EMOTION_MIN as EMOTION_MIN
from journeyctl.model.common import FORMAT_VERSION as FORMAT_VERSION
from journeyctl.model.common import KNOWN_PHASES as KNOWN_PHASES
from journeyctl.model.common import MAX_COUNT as MAX_COUNT
from journeyctl.model.common import SLUG_PATTERN as SLUG_PATTERN
from journeyctl.model.common import (
    Conflict,
    FunnelEntryBehaviour,
    JourneyBehaviour,
    MetricBehaviour,
    StepBehaviour,
    TouchpointBehaviour,
    funnel_entry_conflict,
    metric_conflict,
    plain_data,
    step_conflict,
    url_ok,
)
from journeyctl.model.common import emotion_to_mermaid as emotion_to_mermaid
from journeyctl.model.common import entity_file as entity_file
from journeyctl.model.common import entity_path as entity_path
from journeyctl.model.duration import DURATION_EXAMPLES, DURATION_PATTERN, DurationError, parse_duration


def empty_list() -> list[Any]:
    """The default of the format's list fields.

    A function rather than ``list``: pydantic reads each default factory's signature when it
    builds the models, and ``list`` has none to read (40 µs to find that out, against 3 µs for
    this), for each of ~30 fields on every start-up.
    """
    return []


def empty_dict() -> dict[str, Any]:
    """The default of the format's mapping fields (see ``empty_list``)."""
    return {}


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
#: How many customers: a whole number, zero or more.
Count = Annotated[StrictInt, Field(ge=0, le=MAX_COUNT)]
#: A share of customers in percent.
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
StepKind = Literal["main", "alternative", "failure", "recovery"]
TouchpointOwnership = Literal["owned", "paid", "earned", "third-party"]
InsightKind = Literal[
    "interview",
    "survey",
    "analytics",
    "support",
    "usability-test",
    "observation",
    "review",
    "social",
    "sales",
    "other",
]


def _check_duration(text: str) -> str:
    try:
        parse_duration(text)
    except DurationError as exc:
        raise PydanticCustomError("duration_format", str(exc)) from None
    return text


def _check_url(text: str) -> str:
    if not url_ok(text):
        raise PydanticCustomError(
            "url_format",
            "'{url}' is not a web address: write it in full, starting with https://",
            {"url": text},
        )
    return text


DurationText = Annotated[
    str,
    AfterValidator(_check_duration),
    Field(
        json_schema_extra={"pattern": DURATION_PATTERN, "examples": list(DURATION_EXAMPLES)},
        description=(
            "A duration: whole numbers with w (weeks), d (days), h (hours), m (minutes) or s (seconds), "
            "largest first, e.g. 10m, 2h, 3d, 2w, 1h30m; or a range such as 2-5d."
        ),
    ),
]
Url = Annotated[str, AfterValidator(_check_url), Field(json_schema_extra={"pattern": r"^https?://\S+$"})]


def _conflict(at: str, message: str, **context: str) -> PydanticCustomError:
    """An error about a whole entity that the loader reports at its key ``at`` (``{key}`` in messages)."""
    return PydanticCustomError("journeyctl_conflict", message, {**context, "key": at})


def _raise_on(conflict: Conflict | None) -> None:
    """Raise a conflict found by one of ``common.py``'s checks, which plain.py runs too."""
    if conflict is not None:
        at, message, context = conflict
        raise _conflict(at, message, **context)


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

    id: Slug = Field(description="Unique id of the persona, used by steps' `persona` and `personas`.")
    name: Text = Field(description="Display name, e.g. 'Busy parent'.")
    role: str | None = Field(None, description="Job title or role, e.g. 'IT administrator'.")
    description: str | None = Field(None, description="Who they are, in a sentence or two.")
    goals: list[Text] = Field(default_factory=empty_list, description="What this persona wants to achieve.")
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


class Touchpoint(TouchpointBehaviour, Entity):
    """A point of contact between the customer and the organisation."""

    id: Slug = Field(description="Unique id in the map, used by steps and pain points.")
    name: Text = Field(description="What the customer meets, e.g. 'Checkout page'.")
    channel: Slug = Field(description="Id of the channel this touchpoint is on.")
    owner: str | None = Field(None, description="Team that owns this touchpoint.")
    ownership: TouchpointOwnership = Field(
        "owned",
        description=(
            "Who runs it: owned (the organisation, the default), paid (bought media such as ads), "
            "earned (word of mouth, reviews, press) or third-party (a partner's or someone else's "
            "service). Ownership rules leave earned and third-party touchpoints alone."
        ),
    )
    moment_of_truth: StrictBool = Field(
        False,
        description="True for a moment of truth: a touchpoint that makes or breaks the relationship.",
    )
    description: str | None = Field(None, description="Details about the touchpoint.")


class Step(StepBehaviour, Entity):
    """One thing the customer does, in journey order within its stage."""

    id: Slug = Field(description="Unique id in the map.")
    action: Text = Field(description="What the customer does (the 'doing' lane).")
    kind: StepKind = Field(
        "main",
        description=(
            "main (the default: the line every customer of the journey follows), or a branch off it: "
            "alternative (another way some customers take), failure (where it goes wrong) or "
            "recovery (how customers get back on track)."
        ),
    )
    branches_from: Slug | None = Field(
        None,
        description=(
            "For the first step of a branch: the id of the step it branches off. Later branch steps "
            "that follow it directly continue the same branch."
        ),
    )
    condition: str | None = Field(
        None,
        description="For a branch step: when customers take this path, in words ('if the code expires').",
    )
    rejoins: Slug | None = Field(
        None, description="For a branch step: the id of the step where the branch returns to the journey."
    )
    entry_point: StrictBool = Field(
        False, description="True where customers enter the journey (besides its first step)."
    )
    exit_point: StrictBool = Field(
        False, description="True where customers leave the journey (they abandon, or are done)."
    )
    persona: Slug | None = Field(
        None,
        description=(
            "Id of the one persona taking this step. Leave out `persona` and `personas` for a step "
            "every persona takes."
        ),
    )
    personas: list[Slug] = Field(
        default_factory=empty_list,
        description="Ids of the personas taking this step together, when it is several (not with `persona`).",
    )
    touchpoints: list[Slug] = Field(
        default_factory=empty_list, description="Ids of the touchpoints used in this step."
    )
    thinking: str | None = Field(None, description="What the customer thinks (the 'thinking' lane).")
    feeling: str | None = Field(None, description="What the customer feels, in words.")
    emotion: Emotion | None = Field(
        None,
        description=(
            "How the customer feels at this step, from -2 (very negative) through 0 (neutral) "
            "to +2 (very positive). Mermaid's journey score is emotion + 3. Leave it out when "
            "nobody scored it: the step is then 'not scored', never neutral."
        ),
    )
    emotions: dict[Slug, Emotion] = Field(
        default_factory=empty_dict,
        description=(
            "Per persona, when the personas of this step feel differently: persona id -> emotion "
            "(-2..+2). A persona not listed here has the step's `emotion`."
        ),
    )
    moment_of_truth: StrictBool = Field(
        False, description="True for a moment of truth: a step that makes or breaks the relationship."
    )
    bright_spots: list[Text] = Field(
        default_factory=empty_list,
        description="What works well for the customer here: what they find easy, quick or informative.",
    )
    duration: DurationText | None = Field(None, description="How long the customer spends on this step.")
    wait: DurationText | None = Field(
        None, description="How long the customer waits at this step (for a reply, a delivery, a visit)."
    )
    insights: list[Slug] = Field(
        default_factory=empty_list, description="Ids of the insights (research, data) this step is based on."
    )
    frontstage: list[Text] = Field(
        default_factory=empty_list,
        description="Service-blueprint lane: what staff do that the customer sees.",
    )
    backstage: list[Text] = Field(
        default_factory=empty_list,
        description="Service-blueprint lane: what staff do out of the customer's sight.",
    )
    support: list[Text] = Field(
        default_factory=empty_list,
        description="Service-blueprint lane: systems and processes that support the step.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        _raise_on(step_conflict(self))
        return self


class PainPoint(Entity):
    """A problem the customer meets."""

    id: Slug = Field(description="Unique id in the map, used by opportunities' `addresses`.")
    description: Text = Field(description="The problem, from the customer's point of view.")
    severity: Severity | None = Field(
        None,
        description="low, medium, high or critical; leave it out when nobody rated it ('not rated').",
    )
    touchpoint: Slug | None = Field(None, description="Id of the touchpoint where it happens.")
    step: Slug | None = Field(None, description="Id of the step where it happens.")
    owner: str | None = Field(None, description="Team accountable for this pain point.")
    evidence: str | None = Field(None, description="Where we know it from: research, tickets, analytics.")
    insights: list[Slug] = Field(
        default_factory=empty_list, description="Ids of the insights that show this pain point."
    )
    metrics: list[Slug] = Field(
        default_factory=empty_list,
        description="Ids of the metrics that show this pain point (that it explains).",
    )


class Opportunity(Entity):
    """An idea for improving the journey."""

    id: Slug = Field(description="Unique id in the map.")
    description: Text = Field(description="The improvement.")
    addresses: list[Slug] = Field(
        default_factory=empty_list, description="Ids of the pain points this opportunity addresses."
    )
    resolves: list[Slug] = Field(
        default_factory=empty_list,
        description=(
            "In a future-state map: ids of pain points of the baseline map that this opportunity "
            "resolves (they are gone from this map)."
        ),
    )
    owner: str | None = Field(None, description="Team that owns this opportunity.")
    impact: Level | None = Field(None, description="Expected impact: low, medium or high.")
    effort: Level | None = Field(None, description="Expected effort: low, medium or high.")
    status: Literal["idea", "planned", "in-progress", "done"] = Field(
        "idea", description="idea, planned, in-progress or done."
    )
    insights: list[Slug] = Field(
        default_factory=empty_list, description="Ids of the insights that back this opportunity."
    )
    metrics: list[Slug] = Field(default_factory=empty_list, description="Ids of the metrics it should move.")


class Metric(MetricBehaviour, Entity):
    """A measure of how a stage performs, or one of its steps or touchpoints."""

    id: Slug = Field(description="Unique id in the map.")
    name: Text = Field(description="Display name, e.g. 'Checkout conversion'.")
    value: FiniteNumber | None = Field(None, description="The current value.")
    target: FiniteNumber | None = Field(None, description="The value the team aims for.")
    unit: str | None = Field(None, description="Unit of value and target, e.g. '%', 'ratio', 's', 'NPS'.")
    better: Literal["higher", "lower"] = Field(
        "higher", description="Whether a higher or a lower value is better."
    )
    source: str | None = Field(None, description="Where the figure comes from.")
    step: Slug | None = Field(
        None, description="Id of the step this metric measures, if not the whole stage."
    )
    touchpoint: Slug | None = Field(
        None, description="Id of the touchpoint this metric measures, if not the whole stage."
    )
    persona: Slug | None = Field(None, description="Id of the persona the figure is for, if not everyone.")
    segment: str | None = Field(
        None, description="The customer segment the figure is for, in words ('new customers', 'UK')."
    )
    period: str | None = Field(
        None, description="The period the figure covers, in words ('Sep 2026', 'Q3 2026', 'last 90 days')."
    )
    as_of: datetime.date | None = Field(None, description="The date the figure was taken (YYYY-MM-DD).")
    count: Count | None = Field(
        None, description="How many customers (or cases) the figure counts or is based on."
    )
    insights: list[Slug] = Field(
        default_factory=empty_list, description="Ids of the insights the figure comes from."
    )

    @model_validator(mode="after")
    def _one_place(self) -> Self:
        _raise_on(metric_conflict(self))
        return self


class Insight(Entity):
    """A piece of evidence: an interview quote, a survey figure, analytics, support tickets."""

    id: Slug = Field(description="Unique id of the insight, cited by `insights` of steps, pain points, ...")
    kind: InsightKind = Field(
        description=(
            "What kind of evidence: interview, survey, analytics, support, usability-test, "
            "observation, review, social, sales or other."
        )
    )
    source: Text = Field(
        description="Where it comes from: the study, the tool, the queue ('Q3 2026 diary study')."
    )
    date: datetime.date | None = Field(None, description="When it was gathered (YYYY-MM-DD).")
    url: Url | None = Field(
        None, description="A link to the research, dashboard or ticket search (https://...)."
    )
    text: str | None = Field(None, description="What was found, in a sentence or a figure.")
    quote: str | None = Field(None, description="A customer's own words.")


class FunnelEntry(FunnelEntryBehaviour, Entity):
    """How many customers reach one stage or step of the funnel."""

    stage: Slug | None = Field(None, description="Id of the stage (give a stage or a step).")
    step: Slug | None = Field(None, description="Id of the step (give a stage or a step).")
    count: Count | None = Field(None, description="How many customers reach it.")
    drop_off: Percent | None = Field(
        None,
        description=(
            "Percent of the customers who reach it and leave there, not reaching the next entry "
            "(0-100). Computed from `count` when both entries have one."
        ),
    )

    @model_validator(mode="after")
    def _complete(self) -> Self:
        _raise_on(funnel_entry_conflict(self))
        return self


class Funnel(Entity):
    """How many customers reach each stage or step, in journey order: where they drop off."""

    name: str | None = Field(None, description="What the funnel counts, e.g. 'Visitors to first order'.")
    unit: str | None = Field(None, description="What is counted: 'visitors', 'accounts', 'orders'.")
    period: str | None = Field(None, description="The period the counts cover, in words ('Sep 2026').")
    as_of: datetime.date | None = Field(None, description="The date the counts were taken (YYYY-MM-DD).")
    persona: Slug | None = Field(None, description="Id of the persona it counts, if not everyone.")
    segment: str | None = Field(None, description="The customer segment it counts, in words.")
    source: str | None = Field(None, description="Where the counts come from.")
    insights: list[Slug] = Field(
        default_factory=empty_list, description="Ids of the insights the counts come from."
    )
    entries: list[FunnelEntry] = Field(
        min_length=2, description="The stages or steps customers reach, in journey order (at least two)."
    )


class Stage(Entity):
    """A stage of the journey, in journey order."""

    id: Slug = Field(description="Unique id of the stage.")
    name: Text = Field(description="Display name, e.g. 'Awareness'.")
    phase: Slug | None = Field(
        None,
        description=("before-purchase, purchase or after-purchase, or a phase of the team's own (a slug)."),
    )
    description: str | None = Field(None, description="What happens in this stage.")
    goals: list[Text] = Field(
        default_factory=empty_list, description="What the customer wants in this stage."
    )
    touchpoints: list[Touchpoint] = Field(
        default_factory=empty_list, description="Touchpoints of this stage."
    )
    steps: list[Step] = Field(default_factory=empty_list, description="Steps of this stage, in order.")
    pain_points: list[PainPoint] = Field(default_factory=empty_list, description="Pain points in this stage.")
    opportunities: list[Opportunity] = Field(
        default_factory=empty_list, description="Opportunities in this stage."
    )
    metrics: list[Metric] = Field(
        default_factory=empty_list, description="Metrics of this stage, its steps and its touchpoints."
    )


class Journey(JourneyBehaviour, Entity):
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
    tags: list[Text] = Field(default_factory=empty_list, description="Free-form tags.")
    include: list[Text] = Field(
        default_factory=empty_list,
        description=(
            "Paths of shared files (with `journeyctl-shared: 1`) whose personas, channels and "
            "insights this map uses; relative to this file and inside the repository."
        ),
    )
    dropped_stages: list[Slug] = Field(
        default_factory=empty_list,
        description="In a future-state map: ids of baseline stages this map leaves out on purpose.",
    )
    personas: list[Persona] = Field(default_factory=empty_list, description="Who takes the journey.")
    channels: list[Channel] = Field(default_factory=empty_list, description="Channels of the touchpoints.")
    insights: list[Insight] = Field(
        default_factory=empty_list,
        description="Evidence that steps, pain points, opportunities and metrics cite.",
    )
    funnel: Funnel | None = Field(
        None, description="How many customers reach each stage or step: where the journey loses them."
    )
    stages: list[Stage] = Field(min_length=1, description="The stages of the journey, in order.")


class SharedDefinitions(Entity):
    """A shared file of personas, channels and insights that maps pull in with `include`."""

    model_config = ConfigDict(title="Shared file")

    journeyctl_shared: Literal[1] = Field(description="Marks a shared file; always 1.")
    personas: list[Persona] = Field(default_factory=empty_list, description="Shared personas.")
    channels: list[Channel] = Field(default_factory=empty_list, description="Shared channels.")
    insights: list[Insight] = Field(default_factory=empty_list, description="Shared insights.")


def dump(model: Any) -> dict[str, Any]:
    """The model (or its plain twin) as plain data with the format's key names, defaults omitted."""
    if isinstance(model, BaseModel):
        return model.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return plain_data(model)  # type: ignore[no-any-return]
