"""The HTML renderer: one self-contained page showing a journey map as the classic canvas.

Stages are columns and lanes are rows of a real ``<table>`` (the funnel, doing,
touchpoints by channel, time, thinking, feeling, the emotion curve as inline
SVG, what works well, pain points, opportunities, the service-blueprint lanes
and metrics against target), with persona cards, the insights the map cites
and a legend. The curve follows the main line; a branch step (alternative,
failure, recovery) is drawn off it, joined by a thin dotted line to the step
it leaves and the step it rejoins, and marked as a branch in every lane. A
step nobody scored is a gap with a "?" below the scale, never a neutral point;
where a step's personas feel differently, each one's score is a small marker
beside the step's point. The page fetches nothing: CSS and SVG are inline, a
Content-Security-Policy forbids every other source, and there is no JavaScript.
All map text goes through jinja2's autoescaping.

Geometry is computed here, not in the template, so that the curve's points line
up with the step columns: every stage takes as many equal "slots" as it has steps
(one if it has none), the table's columns are sized in proportion to their slots,
and each point sits at the horizontal centre of its step's slot.
"""

from __future__ import annotations

import functools
import typing
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

if typing.TYPE_CHECKING:
    import jinja2

    from journeyctl.loader import LoadedMap
    from journeyctl.model import Insight, Journey, Metric, Opportunity, PainPoint, Stage, Step, Touchpoint
    from journeyctl.renderers.common import BranchLink

NAME = "html"
ALIASES: tuple[str, ...] = ()
EXTENSION = ".html"
DESCRIPTION = "Self-contained HTML page: the journey map canvas with emotion curve, personas and legend"
BINARY = False

TEMPLATES = Path(__file__).resolve().parent / "templates"

#: Height in px of one emotion level in the curve, and the padding above +2 and below -2.
LEVEL_HEIGHT = 34
CURVE_PADDING = 30
CURVE_HEIGHT = 2 * CURVE_PADDING + 4 * LEVEL_HEIGHT

#: The lane-header column's width, in step slots (screen layout gives a slot about 9.5rem).
HEADER_SLOTS = 1.25

#: Every text colour the stylesheet uses on every background it is drawn on, as CSS
#: custom properties of ``html.css``. ``tests/renderers/test_html_contrast.py`` checks each
#: pair reaches WCAG AA (4.5:1) and that the stylesheet uses no text colour not listed.
TEXT_CONTRAST_PAIRS: tuple[tuple[str, str], ...] = (
    ("--ink", "--paper"),
    ("--ink", "--surface"),
    ("--ink", "--phase-bg"),
    ("--ink-muted", "--paper"),
    ("--ink-muted", "--surface"),
    ("--on-dark", "--stage-bg"),
    ("--on-dark-muted", "--stage-bg"),
    ("--link", "--paper"),
    ("--on-dark", "--emo-n2"),
    ("--on-dark", "--emo-n1"),
    ("--on-dark", "--emo-0"),
    ("--on-dark", "--emo-p1"),
    ("--on-dark", "--emo-p2"),
    ("--sev-critical-ink", "--sev-critical-bg"),
    ("--sev-high-ink", "--sev-high-bg"),
    ("--sev-medium-ink", "--sev-medium-bg"),
    ("--sev-low-ink", "--sev-low-bg"),
    ("--mot-ink", "--mot-bg"),
    ("--ok-ink", "--paper"),
    ("--off-ink", "--paper"),
    ("--ink", "--persona-bg"),
    ("--ink-muted", "--persona-bg"),
    ("--branch-ink", "--branch-bg"),
    ("--branch-ink", "--paper"),
    ("--ok-ink", "--bright-bg"),
    ("--ink", "--bright-bg"),
    ("--ink", "--funnel-bg"),
    ("--ink-muted", "--funnel-bg"),
    ("--off-ink", "--funnel-bg"),
)

#: Graphics that carry meaning (curve points, the line) need 3:1 against what they sit on (WCAG 1.4.11).
GRAPHIC_CONTRAST_PAIRS: tuple[tuple[str, str], ...] = (
    ("--emo-n2", "--paper"),
    ("--emo-n1", "--paper"),
    ("--emo-0", "--paper"),
    ("--emo-p1", "--paper"),
    ("--emo-p2", "--paper"),
    ("--curve", "--paper"),
    ("--branch-ink", "--paper"),
    ("--funnel-bar", "--funnel-bg"),
)

_EMOTION_CLASS = {-2: "emo-n2", -1: "emo-n1", 0: "emo-0", 1: "emo-p1", 2: "emo-p2"}
_SEVERITY_ICON = {"critical": "▲▲", "high": "▲", "medium": "■", "low": "▽", None: "○"}
_STATUS_LABEL = {"idea": "Idea", "planned": "Planned", "in-progress": "In progress", "done": "Done"}


class Options(BaseModel):
    """Options of the HTML renderer."""

    model_config = ConfigDict(extra="forbid")

    blueprint: bool = Field(
        True,
        description="Show the service-blueprint lanes (frontstage, backstage, support) if the map has any.",
    )
    personas: bool = Field(True, description="Show the persona cards.")
    legend: bool = Field(True, description="Show the legend.")
    stages: list[str] = Field(
        default_factory=list,
        description="Only these stage ids (in journey order); all when empty. Unknown ids are errors.",
    )


# --- the view model: plain values the template only has to lay out -------------------------


def signed(emotion: int) -> str:
    """An emotion as shown to people: ``+2``, ``0``, ``−1`` (a true minus sign)."""
    if emotion > 0:
        return f"+{emotion}"
    if emotion < 0:
        return f"−{-emotion}"
    return "0"


def format_number(value: float) -> str:
    """A metric figure without a spurious ``.0``: ``41``, ``0.75``, ``1250000``."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:g}"


def with_unit(value: float, unit: str | None) -> str:
    number = format_number(value)
    if not unit:
        return number
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}"


@dataclass
class EmotionView:
    value: int
    text: str  # "−1"
    label: str  # "negative"
    css: str  # "emo-n1"


@dataclass
class PersonaScoreView:
    name: str
    emotion: EmotionView | None
    own: bool  # the persona's own score (`emotions`), not the step's
    y: str | None  # its marker in the curve, when the step's personas feel differently


@dataclass
class BranchView:
    """A step off the main line: what kind, off which step, when, and where it returns."""

    kind: str  # "Failure path"
    condition: str | None
    previous: tuple[str, int] | None  # (action, step number) of the step it follows
    starts: bool  # True when it branches off `previous` (else it continues the branch before it)
    rejoins: tuple[str, int] | None


@dataclass
class StepView:
    step: Step
    number: int
    personas: list[str]  # names; empty with `every` for a step that names none
    every: bool  # "Every persona": the step names none in a map with several personas
    emotion: EmotionView | None  # the step's own score
    scores: list[PersonaScoreView]  # each persona's, when the step scores personas apart
    curve: float | None  # its value on the line: the score, or the mean of its personas' own
    x: str  # horizontal centre in the curve, as an SVG percentage "12.5%"
    y: str | None  # vertical position of the point (percentage of the curve's height), if scored
    blueprint: dict[str, list[str]]  # frontstage, backstage, support
    branch: BranchView | None = None
    time: str = ""
    insights: list[tuple[str, str]] = field(default_factory=list)  # (anchor, label)

    @property
    def curve_text(self) -> str:
        """The point's label: ``+1``, or ``−0.5`` for a mean of persona scores."""
        if self.curve is None:
            return ""
        if self.curve == int(self.curve):
            return signed(int(self.curve))
        return ("+" if self.curve > 0 else "−") + f"{abs(self.curve):g}"

    @property
    def curve_value(self) -> str:
        """The point's value for ``data-emotion``: ``-1``, ``-0.5``."""
        if self.curve is None:
            return ""
        return str(int(self.curve)) if self.curve == int(self.curve) else f"{self.curve:g}"

    @property
    def curve_css(self) -> str:
        return "mean" if self.emotion is None else self.emotion.css

    @property
    def differing(self) -> list[PersonaScoreView]:
        """Persona scores that are not the point itself: drawn as small markers beside it."""
        return [score for score in self.scores if score.y is not None and score.y != self.y]


@dataclass
class TouchpointGroup:
    channel: str
    kind: str
    touchpoints: list[Touchpoint]


@dataclass
class PainView:
    pain: PainPoint
    label: str  # "P1"
    icon: str
    where: list[str]
    addressed_by: list[str]
    insights: list[tuple[str, str]] = field(default_factory=list)
    metrics: list[tuple[str, str]] = field(default_factory=list)  # (anchor, name)


@dataclass
class OpportunityView:
    opportunity: Opportunity
    label: str  # "O1"
    addresses: list[tuple[str, str]]  # (anchor id, label)
    status: str
    insights: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class MetricView:
    metric: Metric
    value: str | None
    target: str | None
    verdict: str  # "on", "off" or "none"
    place: str = ""  # "step 4, Picks a slot" when it measures a step or a touchpoint
    scope: str = ""  # "Sep 2026 · new customers · n=5,200"
    insights: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class FunnelEntryView:
    """One funnel entry in its stage's cell: how many reach it, how many leave before the next."""

    name: str  # "this stage" or the step's action
    count: str | None
    bar: str | None  # the bar's width: the count as a percentage of the funnel's largest
    drop: str | None  # "38% leave before the next (3,800)"
    biggest: bool
    joins: bool  # more reach the next entry than this one


@dataclass
class InsightView:
    insight: Insight
    label: str  # "I1"
    kind: str  # "Interview"


@dataclass
class StageView:
    stage: Stage
    number: int
    slots: int
    width: str  # the column's width, "23.0769%"
    steps: list[StepView]
    touchpoint_groups: list[TouchpointGroup]
    pains: list[PainView]
    opportunities: list[OpportunityView]
    metrics: list[MetricView]
    time: str = ""  # the main line's summed time
    funnel: list[FunnelEntryView] = field(default_factory=list)


@dataclass
class PhaseView:
    name: str
    span: int


@dataclass
class CurveSegment:
    x1: str
    y1: str
    x2: str
    y2: str
    bridged: bool  # True when steps without an emotion lie between the two points
    branch: bool = False  # a link to or from a step off the main line, not the line itself


@dataclass
class Lanes:
    """Which optional lanes the map has anything for (empty lanes are left out)."""

    funnel: bool = False
    goals: bool = False
    touchpoints: bool = False
    time: bool = False
    thinking: bool = False
    feeling: bool = False
    curve: bool = False
    bright: bool = False
    pains: bool = False
    opportunities: bool = False
    frontstage: bool = False
    backstage: bool = False
    support: bool = False
    metrics: bool = False

    def shown(self, lane: str) -> bool:
        return bool(getattr(self, lane))


@dataclass
class CanvasView:
    journey: Journey
    options: Options
    stages: list[StageView]
    phases: list[PhaseView]
    lanes: Lanes
    header_width: str
    units: float
    segments: list[CurveSegment]
    levels: list[tuple[EmotionView, str]]
    separators: list[str]
    counts: dict[str, int]
    curve_summary: str
    emotion_scale: list[EmotionView] = field(default_factory=list)
    insights: list[InsightView] = field(default_factory=list)
    branch_steps: int = 0
    funnel_facts: str = ""
    unscored: list[StepView] = field(default_factory=list)  # steps marked "?" below the scale


def emotion_view(value: int) -> EmotionView:
    from journeyctl.model import EMOTION_LABELS

    return EmotionView(value, signed(value), EMOTION_LABELS[value], _EMOTION_CLASS[value])


def curve_y(emotion: int) -> int:
    """Vertical position in px of a point with this emotion (``+2`` at the top)."""
    return CURVE_PADDING + (2 - emotion) * LEVEL_HEIGHT


def curve_y_percent(emotion: float) -> str:
    """The same position as a percentage of the curve's height, so print can draw it shorter."""
    return _percent(100 * (CURVE_PADDING + (2 - emotion) * LEVEL_HEIGHT) / CURVE_HEIGHT)


def _percent(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return f"{text}%"


#: Where a "?" marks a step nobody scored: in the padding below -2, off the scale (px of the curve).
UNSCORED_PX = CURVE_HEIGHT - 12


def unscored_y() -> str:
    return _percent(100 * UNSCORED_PX / CURVE_HEIGHT)


def _refs(refs: list[str], labels: dict[str, str], prefix: str) -> list[tuple[str, str]]:
    return [(f"{prefix}-{ref}", labels.get(ref, ref)) for ref in refs]


def _funnel_cells(journey: Journey) -> tuple[dict[str, list[FunnelEntryView]], str]:
    """Stage id -> the funnel entries shown in its cell (its own, and its steps'); and the funnel's facts."""
    from journeyctl.model.funnel import biggest_drop, funnel_drops

    funnel = journey.funnel
    if funnel is None:
        return {}, ""
    stage_of_step = {step.id: stage.id for stage, step in journey.iter_steps()}
    actions = {step.id: step.action for _, step in journey.iter_steps()}
    drops = {id(drop.entry): drop for drop in funnel_drops(journey)}
    biggest = biggest_drop(journey)
    largest = max((entry.count for entry in funnel.entries if entry.count), default=0)
    cells: dict[str, list[FunnelEntryView]] = {}
    unit = funnel.unit or "customers"
    for entry in funnel.entries:
        drop = drops.get(id(entry))
        text = None
        if drop is not None and drop.share >= 0:
            text = f"{_share(drop.share)} leave before the next"
            if drop.lost is not None:
                text += f" ({drop.lost:,})"
        view = FunnelEntryView(
            name="this stage" if entry.stage is not None else actions.get(str(entry.step), str(entry.step)),
            count=None if entry.count is None else f"{entry.count:,} {unit}",
            bar=_percent(100 * entry.count / largest) if entry.count is not None and largest else None,
            drop=text,
            biggest=biggest is not None and biggest.entry is entry,
            joins=drop is not None and drop.share < 0,
        )
        stage = entry.stage if entry.stage is not None else stage_of_step.get(str(entry.step), "")
        cells.setdefault(stage, []).append(view)
    facts = [part for part in (funnel.name, funnel.period, funnel.segment) if part and part.strip()]
    if funnel.as_of is not None:
        facts.append(f"as of {funnel.as_of.isoformat()}")
    if funnel.persona is not None:
        facts.append(next((p.name for p in journey.personas if p.id == funnel.persona), funnel.persona))
    if funnel.source and funnel.source.strip():
        facts.append(f"source: {funnel.source}")
    return cells, " · ".join(facts)


def _share(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") + "%"


def _branch_view(link: BranchLink | None, numbers: dict[str, int]) -> BranchView | None:
    if link is None:
        return None
    from journeyctl.renderers.common import KIND_WORDS

    step = link.step
    previous = (link.previous.action, numbers[link.previous.id]) if link.previous is not None else None
    rejoins = (link.rejoins.action, numbers[link.rejoins.id]) if link.rejoins is not None else None
    if link.rejoins is not None and link.rejoins.id not in numbers:
        rejoins = None
    return BranchView(
        kind=KIND_WORDS[step.kind].capitalize(),
        condition=step.condition if step.condition and step.condition.strip() else None,
        previous=previous if link.previous is not None and link.previous.id in numbers else None,
        starts=step.branches_from is not None,
        rejoins=rejoins,
    )


def build_canvas(journey: Journey, options: Options) -> CanvasView:
    """The view model of one map: positions, labels and cross-references, computed once."""
    from journeyctl.renderers.common import (
        branch_links,
        curve_score,
        metric_place,
        metric_scope,
        metric_verdict,
        persona_scores,
        stage_time_text,
        step_time_text,
    )

    personas = {p.id: p.name for p in journey.personas}
    channels = {c.id: c for c in journey.channels}
    channel_order = {c.id: index for index, c in enumerate(journey.channels)}
    step_names = {s.id: s.action for _, s in journey.iter_steps()}
    touchpoint_names = {t.id: t.name for _, t in journey.iter_touchpoints()}
    metric_names = {m.id: m.name for _, m in journey.iter_metrics()}
    numbers = {step.id: index for index, (_, step) in enumerate(journey.iter_steps(), start=1)}
    links = branch_links(journey)

    cited: set[str] = set()
    for _, step in journey.iter_steps():
        cited.update(step.insights)
    for kind in (journey.iter_pain_points(), journey.iter_opportunities(), journey.iter_metrics()):
        for _, entity in kind:
            cited.update(entity.insights)
    if journey.funnel is not None:
        cited.update(journey.funnel.insights)
    insights = [
        InsightView(insight, f"I{index}", insight.kind.replace("-", " ").capitalize())
        for index, insight in enumerate((i for i in journey.insights if i.id in cited), start=1)
    ]
    insight_labels = {view.insight.id: view.label for view in insights}
    funnel_cells, funnel_facts = _funnel_cells(journey)

    pain_labels: dict[str, str] = {}
    for index, (_, pain) in enumerate(journey.iter_pain_points(), start=1):
        pain_labels[pain.id] = f"P{index}"
    addressed_by: dict[str, list[str]] = {}
    for index, (_, opportunity) in enumerate(journey.iter_opportunities(), start=1):
        for ref in opportunity.addresses:
            addressed_by.setdefault(ref, []).append(f"O{index}")

    slot_counts = [max(1, len(stage.steps)) for stage in journey.stages]
    total_slots = sum(slot_counts)
    units = total_slots + HEADER_SLOTS
    lanes = Lanes()
    lanes.funnel = bool(funnel_cells)
    stages: list[StageView] = []
    slot = 0
    step_number = 0
    opportunity_number = 0
    separators: list[str] = []
    for stage_number, (stage, slots) in enumerate(zip(journey.stages, slot_counts, strict=True), start=1):
        if stage_number > 1:
            separators.append(_percent(100 * slot / total_slots))
        steps: list[StepView] = []
        for offset, step in enumerate(stage.steps):
            step_number += 1
            emotion = emotion_view(step.emotion) if step.emotion is not None else None
            curve = curve_score(step)
            scores = persona_scores(journey, step, personas)
            differ = len({score.emotion for score in scores}) > 1
            steps.append(
                StepView(
                    step=step,
                    number=step_number,
                    # With one persona, naming it on every step is noise: the card says who it is.
                    personas=[personas.get(ident, ident) for ident in step.persona_ids]
                    if len(personas) > 1
                    else [],
                    every=not step.persona_ids and len(personas) > 1,
                    emotion=emotion,
                    scores=[
                        PersonaScoreView(
                            score.name,
                            emotion_view(score.emotion) if score.emotion is not None else None,
                            score.own,
                            curve_y_percent(score.emotion) if differ and score.emotion is not None else None,
                        )
                        for score in scores
                    ],
                    curve=curve,
                    x=_percent(100 * (slot + offset + 0.5) / total_slots),
                    y=curve_y_percent(curve) if curve is not None else None,
                    blueprint={
                        "frontstage": step.frontstage,
                        "backstage": step.backstage,
                        "support": step.support,
                    },
                    branch=_branch_view(links.get(step.id), numbers),
                    time=step_time_text(step),
                    insights=_refs(step.insights, insight_labels, "insight"),
                )
            )
            lanes.thinking |= bool(step.thinking)
            lanes.feeling |= bool(step.feeling) or curve is not None
            lanes.curve |= curve is not None
            lanes.time |= bool(step.duration or step.wait)
            lanes.bright |= bool(step.bright_spots)
            lanes.frontstage |= bool(step.frontstage)
            lanes.backstage |= bool(step.backstage)
            lanes.support |= bool(step.support)
        slot += slots

        groups: dict[str, TouchpointGroup] = {}
        for touchpoint in sorted(stage.touchpoints, key=lambda t: channel_order.get(t.channel, 0)):
            channel = channels.get(touchpoint.channel)
            group = groups.get(touchpoint.channel)
            if group is None:
                group = groups[touchpoint.channel] = TouchpointGroup(
                    channel.name if channel else touchpoint.channel,
                    channel.kind if channel else "other",
                    [],
                )
            group.touchpoints.append(touchpoint)

        pains: list[PainView] = []
        for pain in stage.pain_points:
            where: list[str] = []
            if pain.touchpoint:
                where.append(touchpoint_names.get(pain.touchpoint, pain.touchpoint))
            if pain.step:
                where.append(step_names.get(pain.step, pain.step))
            pains.append(
                PainView(
                    pain,
                    pain_labels[pain.id],
                    _SEVERITY_ICON[pain.severity],
                    where,
                    addressed_by.get(pain.id, []),
                    _refs(pain.insights, insight_labels, "insight"),
                    [(f"metric-{ref}", metric_names.get(ref, ref)) for ref in pain.metrics],
                )
            )
        opportunities: list[OpportunityView] = []
        for opportunity in stage.opportunities:
            opportunity_number += 1
            opportunities.append(
                OpportunityView(
                    opportunity,
                    f"O{opportunity_number}",
                    [(f"pain-{ref}", pain_labels.get(ref, ref)) for ref in opportunity.addresses],
                    _STATUS_LABEL[opportunity.status],
                    _refs(opportunity.insights, insight_labels, "insight"),
                )
            )
        metrics = []
        for metric in stage.metrics:
            place = metric_place(journey, metric, step_names, touchpoint_names)
            if metric.step is not None and metric.step in numbers:
                place = f"step {numbers[metric.step]}, " + step_names[metric.step]
            metrics.append(
                MetricView(
                    metric,
                    with_unit(metric.value, metric.unit) if metric.value is not None else None,
                    with_unit(metric.target, metric.unit) if metric.target is not None else None,
                    metric_verdict(metric),
                    place,
                    " · ".join(metric_scope(metric, personas)),
                    _refs(metric.insights, insight_labels, "insight"),
                )
            )
        lanes.goals |= bool(stage.goals)
        lanes.touchpoints |= bool(stage.touchpoints)
        lanes.pains |= bool(pains)
        lanes.opportunities |= bool(opportunities)
        lanes.metrics |= bool(metrics)
        stages.append(
            StageView(
                stage,
                stage_number,
                slots,
                _percent(100 * slots / units),
                steps,
                list(groups.values()),
                pains,
                opportunities,
                metrics,
                stage_time_text(stage),
                funnel_cells.get(stage.id, []),
            )
        )

    if not options.blueprint:
        lanes.frontstage = lanes.backstage = lanes.support = False

    phases: list[PhaseView] = []
    if any(stage.phase for stage in journey.stages):
        for stage in journey.stages:
            name = stage.phase or ""
            if phases and phases[-1].name == name:
                phases[-1].span += 1
            else:
                phases.append(PhaseView(name, 1))

    all_steps = [view for stage_view in stages for view in stage_view.steps]
    return CanvasView(
        journey=journey,
        options=options,
        stages=stages,
        phases=phases,
        lanes=lanes,
        header_width=_percent(100 * HEADER_SLOTS / units),
        units=units,
        segments=_segments(all_steps, links),
        levels=[(emotion_view(value), curve_y_percent(value)) for value in range(2, -3, -1)],
        separators=separators,
        counts={
            "stages": len(journey.stages),
            "steps": len(all_steps),
            "pain points": len(pain_labels),
            "opportunities": opportunity_number,
        },
        curve_summary=_curve_summary(all_steps),
        emotion_scale=[emotion_view(value) for value in range(-2, 3)],
        insights=insights,
        branch_steps=sum(1 for view in all_steps if view.branch is not None),
        funnel_facts=funnel_facts,
        unscored=[view for view in all_steps if view.curve is None] if lanes.curve else [],
    )


def _segments(steps: list[StepView], links: dict[str, BranchLink]) -> list[CurveSegment]:
    """The main line between consecutive scored main-line steps (dashed across unscored ones),
    then a thin link from each scored branch step to the step it follows and to where it rejoins."""
    segments: list[CurveSegment] = []
    previous: StepView | None = None
    skipped = False
    for view in steps:
        if view.branch is not None:
            continue
        if view.y is None:
            skipped = previous is not None
            continue
        if previous is not None and previous.y is not None:
            segments.append(CurveSegment(previous.x, previous.y, view.x, view.y, skipped))
        previous, skipped = view, False
    by_id = {view.step.id: view for view in steps}
    for view in steps:
        link = links.get(view.step.id)
        if link is None or view.y is None:
            continue
        for other in (link.previous, link.rejoins):
            target = by_id.get(other.id) if other is not None else None
            if target is not None and target.y is not None:
                first, second = (target, view) if other is link.previous else (view, target)
                assert first.y is not None and second.y is not None
                segments.append(CurveSegment(first.x, first.y, second.x, second.y, False, branch=True))
    return segments


def _curve_summary(steps: list[StepView]) -> str:
    main = [view for view in steps if view.branch is None]
    scored = [view for view in main if view.curve is not None]
    branches = len(steps) - len(main)
    off_line = f" {branches} branch steps are drawn off the line." if branches else ""
    if not scored:
        return "No step of the main line has an emotion score." + off_line
    lowest = min(scored, key=lambda v: v.curve if v.curve is not None else 0)
    highest = max(scored, key=lambda v: v.curve if v.curve is not None else 0)
    text = (
        f"Emotion along the main line, {len(scored)} of {len(main)} steps scored, on a scale from −2 "
        f"(very negative) to +2 (very positive). Lowest: step {lowest.number}, {lowest.step.action} "
        f"({_point_words(lowest)}). Highest: step {highest.number}, {highest.step.action} "
        f"({_point_words(highest)})."
    )
    return text + off_line


def _point_words(view: StepView) -> str:
    if view.emotion is not None:
        return f"{view.emotion.text}, {view.emotion.label}"
    return f"{view.curve_text}, the mean of its personas' scores"


# --- rendering ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The jinja2 environment for the HTML and site templates: autoescape always on."""
    import jinja2

    from journeyctl.templating import bytecode_cache

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        bytecode_cache=bytecode_cache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_journey(journey: Journey, options: Options | None = None) -> str:
    """The page for one journey map, as text."""
    options = options or Options()
    if options.stages:
        from journeyctl.renderers.common import select_stages

        journey = journey.model_copy(update={"stages": select_stages(journey, options.stages)})
    from journeyctl.renderers.common import OWNERSHIP_WORDS

    canvas = build_canvas(journey, options)
    template = environment().get_template("html.html.j2")
    return template.render(
        canvas=canvas,
        journey=journey,
        lanes=canvas.lanes,
        curve_height=CURVE_HEIGHT,
        unscored_y=unscored_y(),
        ownership=OWNERSHIP_WORDS,
    )


def render(loaded: LoadedMap, options: Options) -> bytes:
    """The renderer entry point: the page for ``loaded`` as UTF-8 bytes."""
    from journeyctl.loader import paused_gc

    # The view model and the page are built from the loaded map without making reference
    # cycles, yet the collector ran hundreds of times on the way, each time walking the
    # whole live map: 0.3 s of a 500-stage render and 2.5 s of a 2,000-stage one (8x for
    # 4x the stages). With it paused the same page takes 0.02 s and 0.17 s to build.
    with paused_gc():
        return render_journey(loaded.journey, options).encode("utf-8")
