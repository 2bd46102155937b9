"""Emotion lines: one per persona, through that persona's own steps, as plain values for any drawing.

The format's reading, applied once for every picture (the HTML page, the slide
image): a step that names no persona is every persona's; a step shared by
several personas is on each of their lines; a persona's score on a step is
their own in `emotions`, else the step's `emotion`. A step nobody scored for a
persona is a *gap* in that persona's line (``score is None``), never a neutral
point. Lines follow the main line: branch steps (alternative, failure,
recovery) are on no line, because not every customer takes them.

A map without personas has one line (``persona is None``) whose score on a
step is the step's single-line score (its `emotion`, else the mean of its
personas' own, as ``model.emotion.step_score``); a map with one persona has
that persona's line. Positions are given three ways so that any layout can
place a point: the step's index among all the map's steps (``position``), and
its stage's index and its index within the stage (branch steps counted, so
that a step keeps its column in lanes that show every step).

Nothing here knows about HTML or SVG; ``tests/renderers/test_emotion_lines.py``
pins the behaviour.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from journeyctl.model import Journey, Step

#: The name of the one line of a map that has no personas.
EVERY_CUSTOMER = "Every customer"


@dataclass(frozen=True)
class LinePoint:
    """One main-line step on one persona's line: where it sits, and that persona's score (None: a gap)."""

    step_id: str
    stage_id: str
    position: int  # 0-based index of the step among all the map's steps, branch steps included
    stage_index: int  # 0-based index of its stage in the map
    index_in_stage: int  # 0-based index of the step among its stage's steps, branch steps included
    score: float | None  # the persona's score on the step; None when nobody scored it for them
    own: bool  # the persona's own score from `emotions`, not the step's `emotion`
    shared: bool  # the step is on more than one line (it names several personas, or none)

    @property
    def scored(self) -> bool:
        return self.score is not None


@dataclass(frozen=True)
class EmotionLine:
    """One persona's emotion through their main-line steps, in journey order.

    ``persona`` is the persona's id, or None for the one line of a map without
    personas. ``points`` holds every main-line step the persona takes, scored
    or not; ``index`` is the line's place among the map's lines (for its
    colour, marker and dash).
    """

    persona: str | None
    name: str
    index: int
    points: tuple[LinePoint, ...]

    @property
    def scored(self) -> tuple[LinePoint, ...]:
        """The points with a score, in order."""
        return tuple(point for point in self.points if point.score is not None)

    @property
    def gaps(self) -> tuple[LinePoint, ...]:
        """The persona's steps that nobody scored for them: gaps in the line, to be marked."""
        return tuple(point for point in self.points if point.score is None)

    @property
    def runs(self) -> tuple[tuple[LinePoint, ...], ...]:
        """Stretches of consecutive scored points: the line is drawn through each, never across a gap.

        A run of one point is a point on its own (a gap on both sides).
        """
        runs: list[tuple[LinePoint, ...]] = []
        current: list[LinePoint] = []
        for point in self.points:
            if point.score is None:
                if current:
                    runs.append(tuple(current))
                current = []
            else:
                current.append(point)
        if current:
            runs.append(tuple(current))
        return tuple(runs)

    def stage_means(self) -> dict[str, float | None]:
        """Stage id -> the mean of this line's scores in that stage, for the stages the persona has steps in.

        None for a stage where the persona's steps are all unscored; a stage
        without any of the persona's main-line steps is absent.
        """
        sums: dict[str, list[float]] = {}
        for point in self.points:
            scores = sums.setdefault(point.stage_id, [])
            if point.score is not None:
                scores.append(point.score)
        return {stage: (sum(scores) / len(scores) if scores else None) for stage, scores in sums.items()}


def emotion_lines(journey: Journey) -> list[EmotionLine]:
    """The map's emotion lines: one per persona in the map's order, or one line when it has no personas.

    Every persona of the map gets a line, even one who takes no main-line step
    (its ``points`` are then empty), so that a legend can say so.
    """
    from journeyctl.model.emotion import step_score

    persona_ids = [persona.id for persona in journey.personas]
    known = set(persona_ids)
    # One walk of the map: where each main-line step sits and who takes it (a step naming
    # no persona is everyone's; a persona id the map does not define draws no line).
    placed: list[tuple[int, int, int, str, Step, tuple[str, ...]]] = []
    position = 0
    for stage_index, stage in enumerate(journey.stages):
        for index_in_stage, step in enumerate(stage.steps):
            if not step.is_branch:
                named = step.persona_ids
                takers = tuple(ident for ident in named if ident in known) if named else tuple(persona_ids)
                placed.append((position, stage_index, index_in_stage, stage.id, step, takers))
            position += 1

    if not persona_ids:
        points = tuple(
            LinePoint(step.id, stage_id, pos, stage_index, in_stage, step_score(step), False, False)
            for pos, stage_index, in_stage, stage_id, step, _ in placed
        )
        return [EmotionLine(None, EVERY_CUSTOMER, 0, points)]

    by_persona: dict[str, list[LinePoint]] = {ident: [] for ident in persona_ids}
    for pos, stage_index, in_stage, stage_id, step, takers in placed:
        for ident in takers:
            score = step.emotion_of(ident)
            by_persona[ident].append(
                LinePoint(
                    step.id,
                    stage_id,
                    pos,
                    stage_index,
                    in_stage,
                    None if score is None else float(score),
                    ident in step.emotions,
                    len(takers) > 1,
                )
            )
    return [
        EmotionLine(persona.id, persona.name, index, tuple(by_persona[persona.id]))
        for index, persona in enumerate(journey.personas)
    ]


@dataclass(frozen=True)
class StageChange:
    """One stage of a future map against the same stage (by id) of its baseline, on one line."""

    stage_id: str
    current: float | None  # the line's mean in this map's stage; None: not scored
    baseline: float | None  # the matching line's mean in the baseline's stage; None: not scored or absent

    @property
    def change(self) -> float | None:
        """``current - baseline``, or None when either side has no score."""
        if self.current is None or self.baseline is None:
            return None
        return self.current - self.baseline


def matching_lines(
    lines: Iterable[EmotionLine], baseline_lines: Iterable[EmotionLine]
) -> list[tuple[EmotionLine, EmotionLine]]:
    """Pairs (line of this map, line of its baseline) for the same persona, in this map's order.

    Lines match by persona id; when each map has exactly one line (one persona
    or none, perhaps under different ids) those two match.
    """
    ours = list(lines)
    theirs = list(baseline_lines)
    if len(ours) == 1 and len(theirs) == 1:
        return [(ours[0], theirs[0])]
    by_persona: Mapping[str | None, EmotionLine] = {line.persona: line for line in theirs}
    return [(line, by_persona[line.persona]) for line in ours if line.persona in by_persona]


def stage_changes(line: EmotionLine, baseline: EmotionLine, stage_ids: Iterable[str]) -> list[StageChange]:
    """The stage-by-stage change of ``line`` against ``baseline``, for the stages ``stage_ids`` (in order).

    Stages match by id. A stage is listed when either line has steps in it.
    """
    current = line.stage_means()
    before = baseline.stage_means()
    return [
        StageChange(stage, current.get(stage), before.get(stage))
        for stage in stage_ids
        if stage in current or stage in before
    ]
