"""A sharp drop in emotion between one step and the next: the customer falls off a cliff.

Why it matters: customers remember the sharpest change more than the average
(the peak-end rule); a fall from delight to frustration in a single step ("the
order is confirmed" then "the delivery slot is gone") is worth looking at even
when each score alone looks fine. Each persona's curve is read on its own:
a step is compared with the previous scored step that persona takes (a step
that names no persona is every persona's; per-persona scores in `emotions`
count for their persona), so two personas' curves are not mixed. The curve
follows the main line; a branch step (`kind: failure` and the like) is
compared with the step it branches off, or the branch step before it. When a
pain point on the step already explains the fall, the hint does not ask for
one. Real curves often have such falls and they are advice, not defects, so
the rule is in the `strict` preset only.

Options:

- `min-drop` (integer 1..4, default `3`): the smallest fall, in points, that
  is reported.

Failing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
stages:
  - id: checkout
    name: Checkout
    steps:
      - { id: gets-confirmation, action: Reads the confirmation mail, emotion: 2 }
      - { id: slot-gone, action: Finds the delivery slot gone, emotion: -1 }
```

Passing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
stages:
  - id: checkout
    name: Checkout
    steps:
      - { id: gets-confirmation, action: Reads the confirmation mail, emotion: 2 }
      - { id: picks-slot, action: Picks a later delivery slot, emotion: 0 }
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import Field, RuleOptions, Severity, Violation
from journeyctl.rules._common import format_emotion

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap
    from journeyctl.model import Step

CODE = "JM304"
NAME = "emotion-cliff"
SEVERITY: Severity = "info"
RECOMMENDED = False


class Options(RuleOptions):
    """How far the emotion must fall between two steps."""

    min_drop: int = Field(3, ge=1, le=4, description="The smallest fall, in points, that is reported.")


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    journey = loaded.journey
    steps = {step.id: step for _, step in journey.iter_steps()}
    explained = _explained_steps(loaded)
    # Per persona (None in a map without personas): the last scored main-line step.
    main_line: dict[str | None, Step] = {}
    previous_step: Step | None = None
    for _, step in journey.iter_steps():
        personas: tuple[str | None, ...] = journey.persona_ids_of(step) or (None,)
        # The same fall seen on several personas' lines is one finding.
        falls: dict[tuple[str, int, int], list[str | None]] = {}
        for persona in personas:
            score = step.emotion_of(persona)
            if score is None:
                continue
            if step.is_branch:
                before = _branch_origin(step, previous_step, steps)
            else:
                before = main_line.get(persona)
                main_line[persona] = step
            before_score = before.emotion_of(persona) if before is not None else None
            if before is not None and before_score is not None and before_score - score >= options.min_drop:
                falls.setdefault((before.id, before_score, score), []).append(persona)
        for (before_id, before_score, score), who in falls.items():
            yield _violation(loaded, step, who, len(personas), before_id, before_score, score, explained)
        previous_step = step


def _violation(
    loaded: LoadedMap,
    step: Step,
    who: list[str | None],
    of: int,
    before_id: str,
    before_score: int,
    score: int,
    explained: dict[str, str],
) -> Violation:
    named = [persona for persona in who if persona is not None]
    own = next((persona for persona in named if persona in step.emotions), None)
    whose = ""
    if named and len(who) < of:
        whose = " for " + ", ".join(f"'{persona}'" for persona in named)
    if step.id in explained:
        hint = f"pain point '{explained[step.id]}' explains the low; check that no step is missing before it"
    else:
        hint = "add the missing step or a pain point that explains the fall"
    return Violation(
        loaded.locate_key(step, "emotions", own) if own is not None else loaded.locate(step, "emotion"),
        f"emotion falls {before_score - score} points{whose} from {format_emotion(before_score)} at step "
        f"'{before_id}' to {format_emotion(score)} at step '{step.id}'; check what breaks in between",
        hint=hint,
    )


def _branch_origin(step: Step, previous: Step | None, steps: dict[str, Step]) -> Step | None:
    """The step a branch step follows: the one it branches off, else the branch step before it."""
    if step.branches_from is not None:
        return steps.get(step.branches_from)
    return previous if previous is not None and previous.is_branch else None


def _explained_steps(loaded: LoadedMap) -> dict[str, str]:
    """Step id -> the first pain point on that step (by `step`, or on one of its touchpoints)."""
    journey = loaded.journey
    by_step: dict[str, str] = {}
    by_touchpoint: dict[str, str] = {}
    for _, pain_point in journey.iter_pain_points():
        if pain_point.step is not None:
            by_step.setdefault(pain_point.step, pain_point.id)
        if pain_point.touchpoint is not None:
            by_touchpoint.setdefault(pain_point.touchpoint, pain_point.id)
    explained: dict[str, str] = {}
    for _, step in journey.iter_steps():
        found = by_step.get(step.id) or next(
            (by_touchpoint[ref] for ref in step.touchpoints if ref in by_touchpoint), None
        )
        if found is not None:
            explained[step.id] = found
    return explained
