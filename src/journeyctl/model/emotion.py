"""What a step's scores add up to, read the same way by every renderer and by diff.

A step's `emotion` is its score; a persona's score is their own in `emotions`,
else the step's. On a single line (the HTML curve, a stage's mean) a step that
only its personas scored counts with the mean of their scores; a step nobody
scored counts with nothing, never as neutral. Means are over the main line:
branch steps are not taken by every customer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from journeyctl.model.journey import Step


def step_score(step: Step) -> float | None:
    """A step's value on a single line: its `emotion`, else the mean of its personas' own; None: unscored."""
    if step.emotion is not None:
        return float(step.emotion)
    if step.emotions:
        values = list(step.emotions.values())
        return sum(values) / len(values)
    return None


def mean_score(steps: Iterable[Step]) -> float | None:
    """The mean ``step_score`` of the main-line steps that have one; None when none has."""
    scores = [score for step in steps if not step.is_branch if (score := step_score(step)) is not None]
    if not scores:
        return None
    return sum(scores) / len(scores)
