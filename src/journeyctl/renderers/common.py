"""What the built-in renderers share, so that every picture tells the same story.

The stage filter, emotion and severity wording ("not scored", "not rated",
never neutral or medium), who takes a step ("every persona" when it names
none), per-persona scores, the flow of branches off the main line, stage
times, where a metric sits and what period or segment it covers, and text
clean-up.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from journeyctl.errors import RenderError

if TYPE_CHECKING:
    from journeyctl.model import Insight, Journey, Metric, Persona, Stage, Step

#: Emotion -> (sign-explicit number, words). Every renderer shows both, never colour alone.
#: How the site index groups maps (``render DIR -f html --group-by``).
GroupBy = Literal["folder", "tag", "state"]
GROUP_BY_CHOICES: tuple[GroupBy, ...] = ("folder", "tag", "state")

EMOTION_WORDS = {
    -2: ("-2", "very negative"),
    -1: ("-1", "negative"),
    0: ("0", "neutral"),
    1: ("+1", "positive"),
    2: ("+2", "very positive"),
}

#: Mermaid score for a step that records no emotion: the neutral middle of 1..5.
NEUTRAL_SCORE = 3

#: How renders name the personas of a step that names none (the format's reading).
EVERY_PERSONA = "every persona"
#: A step with no score, and a pain point with no severity: never neutral, never medium.
NOT_SCORED = "not scored"
NOT_RATED = "not rated"
#: Words for a branch step's kind, as a reader sees it.
KIND_WORDS = {
    "main": "main line",
    "alternative": "alternative path",
    "failure": "failure path",
    "recovery": "recovery path",
}
#: Words for a touchpoint's ownership; owned (the default) is not worth saying.
OWNERSHIP_WORDS = {
    "owned": "",
    "paid": "paid media",
    "earned": "earned (nobody here runs it)",
    "third-party": "third party",
}

# C0/C1 controls (but tab and newline) and lone surrogates: neither DOT, XML nor
# Markdown can carry them, and they are never meant to be seen.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` with CR/LF normalised to LF and unprintable characters replaced by U+FFFD."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNPRINTABLE.sub("\ufffd", text)


def one_line(text: str) -> str:
    """``text`` on one line: every run of whitespace (newlines included) becomes one space."""
    return " ".join(printable(text).split())


def emotion_text(emotion: int | None) -> str:
    """``+1 positive`` and such; ``not scored`` for None."""
    if emotion is None:
        return NOT_SCORED
    number, words = EMOTION_WORDS[emotion]
    return f"{number} {words}"


def select_stages(journey: Journey, wanted: Sequence[str]) -> list[Stage]:
    """The stages named in ``wanted`` (ids, in journey order), or all when it is empty."""
    if not wanted:
        return list(journey.stages)
    known = {stage.id for stage in journey.stages}
    for ident in wanted:
        if ident not in known:
            message = f"unknown stage '{ident}' in the 'stages' option"
            close = difflib.get_close_matches(ident, sorted(known), n=1)
            if close:
                message += f" (did you mean '{close[0]}'?)"
            else:
                message += "; stages: " + ", ".join(stage.id for stage in journey.stages[:10])
                if len(journey.stages) > 10:
                    message += ", ..."
            raise RenderError(message)
    chosen = set(wanted)
    return [stage for stage in journey.stages if stage.id in chosen]


def persona_names(journey: Journey) -> dict[str, str]:
    return {persona.id: persona.name for persona in journey.personas}


def severity_text(severity: str | None) -> str:
    """A pain point's severity in words: ``high``, or ``not rated`` when nobody rated it."""
    return severity or NOT_RATED


def step_actors(journey: Journey, step: Step, personas: dict[str, str] | None = None) -> list[str]:
    """Who takes a step: its personas, or every persona when it names none (the format's rule)."""
    names = persona_names(journey) if personas is None else personas
    if step.persona_ids:
        return [names.get(ident, ident) for ident in step.persona_ids]
    return list(names.values())


def persona_of(journey: Journey, ident: str | None) -> Persona | None:
    if ident is None:
        return None
    return next((persona for persona in journey.personas if persona.id == ident), None)


def step_personas_text(
    journey: Journey, step: Step, personas: dict[str, str] | None = None, separator: str = "; "
) -> str:
    """Who takes a step, for people: ``Priya; Tom`` or ``every persona`` when it names none.

    Names are joined with ``separator``: persona names often hold commas ("Tom, the parent").
    """
    names = persona_names(journey) if personas is None else personas
    if not step.persona_ids:
        return EVERY_PERSONA
    return separator.join(names.get(ident, ident) for ident in step.persona_ids)


@dataclass(frozen=True)
class PersonaScore:
    """One persona's score on a step: their own (``own``, from `emotions`) or the step's."""

    persona: str
    name: str
    emotion: int | None
    own: bool


def persona_scores(
    journey: Journey, step: Step, personas: dict[str, str] | None = None
) -> list[PersonaScore]:
    """Each persona's score on a step that scores personas apart (`emotions`); [] when it does not.

    A step that names no persona is every persona's, so every persona of the
    map gets a score: their own, or the step's `emotion` (which may be none).
    """
    if not step.emotions:
        return []
    names = persona_names(journey) if personas is None else personas
    who = step.persona_ids or tuple(names) or tuple(step.emotions)
    return [
        PersonaScore(ident, names.get(ident, ident), step.emotion_of(ident), ident in step.emotions)
        for ident in who
    ]


def curve_score(step: Step) -> float | None:
    """The value a step has on a single emotion line: its `emotion`, else the mean of its personas' own.

    None for a step that nobody scored: a gap in the line, never neutral.
    """
    from journeyctl.model.emotion import step_score

    return step_score(step)


def stage_emotion(stage: Stage) -> float | None:
    """The mean of the curve scores of a stage's main-line steps, or None when none is scored.

    Branch steps are left out: not every customer takes them.
    """
    from journeyctl.model.emotion import mean_score

    return mean_score(stage.steps)


@dataclass(frozen=True)
class BranchLink:
    """Where a branch step sits off the main line.

    ``previous`` is the step it follows (the step it branches off, or the
    branch step before it), ``origin`` the main-line step its branch leaves
    (None when that is unknown), ``rejoins`` where it returns, if it says.
    """

    step: Step
    previous: Step | None
    origin: Step | None
    rejoins: Step | None


def branch_links(journey: Journey) -> dict[str, BranchLink]:
    """Step id -> its ``BranchLink``, for every branch step (kind other than main), in journey order.

    A branch starts at a step with `branches-from`; the branch steps right
    after it continue it (the format's rule, checked by the loader).
    """
    steps = {step.id: step for _, step in journey.iter_steps()}
    links: dict[str, BranchLink] = {}
    previous: Step | None = None
    for _, step in journey.iter_steps():
        if step.is_branch:
            if step.branches_from is not None:
                before = steps.get(step.branches_from)
                origin = before
                if before is not None and before.id in links:  # a branch off a branch
                    origin = links[before.id].origin
            else:
                before = previous
                origin = links[previous.id].origin if previous is not None and previous.id in links else None
            rejoins = steps.get(step.rejoins) if step.rejoins is not None else None
            links[step.id] = BranchLink(step, before, origin, rejoins)
        previous = step
    return links


def branch_text(link: BranchLink) -> str:
    """``failure path off “Calls the line”: if the wait passes 40 minutes; rejoins “Agrees the move”``."""
    step = link.step
    text = KIND_WORDS[step.kind]
    if step.branches_from is not None and link.previous is not None:
        text += f" off “{one_line(link.previous.action)}”"
    elif link.previous is not None:
        text += f" after “{one_line(link.previous.action)}”"
    if step.condition and step.condition.strip():
        text += f": {one_line(step.condition)}"
    if link.rejoins is not None:
        text += f"; rejoins at “{one_line(link.rejoins.action)}”"
    return text


def step_time_text(step: Step) -> str:
    """``takes 25m, waits 38m``; empty when the step is not timed."""
    parts = []
    if step.duration is not None:
        parts.append(f"takes {step.duration}")
    if step.wait is not None:
        parts.append(f"waits {step.wait}")
    return ", ".join(parts)


def stage_time_text(stage: Stage) -> str:
    """The summed main-line time of a stage in words; empty when no main-line step is timed.

    ``1h25m doing, 48m waiting``; when only some main-line steps are timed the
    sums are a lower bound: ``at least 25m doing (2 of 5 steps timed)``.
    """
    from journeyctl.model.duration import stage_time

    time = stage_time(stage)
    if not time.known:
        return ""
    parts = []
    if time.duration.high:
        parts.append(f"{time.duration} doing")
    if time.wait.high:
        parts.append(f"{time.wait} waiting")
    text = ", ".join(parts) or "0m"
    if not time.complete:
        text = f"at least {text} ({time.timed} of {time.steps} steps timed)"
    return text


def insights_by_id(journey: Journey) -> dict[str, Insight]:
    return {insight.id: insight for insight in journey.insights}


def insight_text(insight: Insight) -> str:
    """``Survey: Post-move survey, Q3 2026 (2026-10-06)``: what kind, from where, when."""
    text = f"{insight.kind.replace('-', ' ').capitalize()}: {one_line(insight.source)}"
    if insight.date is not None:
        text += f" ({insight.date.isoformat()})"
    return text


def metric_place(
    journey: Journey,
    metric: Metric,
    actions: dict[str, str] | None = None,
    touchpoints: dict[str, str] | None = None,
) -> str:
    """What a metric measures, if not its whole stage: ``step “Pays by card”``, ``touchpoint “Checkout”``.

    ``actions`` and ``touchpoints`` (id -> action or name) save a walk of the map per metric.
    """
    if metric.step is not None:
        if actions is None:
            actions = {s.id: s.action for _, s in journey.iter_steps()}
        return f"step “{one_line(actions.get(metric.step, metric.step))}”"
    if metric.touchpoint is not None:
        if touchpoints is None:
            touchpoints = {t.id: t.name for _, t in journey.iter_touchpoints()}
        return f"touchpoint “{one_line(touchpoints.get(metric.touchpoint, metric.touchpoint))}”"
    return ""


def metric_scope(metric: Metric, personas: dict[str, str]) -> list[str]:
    """Whom and when a figure covers: period, as-of date, persona, segment, count; in that order."""
    parts = []
    if metric.period and metric.period.strip():
        parts.append(one_line(metric.period))
    if metric.as_of is not None:
        parts.append(f"as of {metric.as_of.isoformat()}")
    if metric.persona is not None:
        parts.append(personas.get(metric.persona, metric.persona))
    if metric.segment and metric.segment.strip():
        parts.append(one_line(metric.segment))
    if metric.count is not None:
        parts.append(f"n={metric.count:,}")
    return parts


def metric_verdict(metric: Metric) -> str:
    """``on`` or ``off`` target in the metric's better direction; ``none`` without value and target."""
    if metric.value is None or metric.target is None:
        return "none"
    return "off" if metric.missed else "on"
