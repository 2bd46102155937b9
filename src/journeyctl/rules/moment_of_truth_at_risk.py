"""A moment of truth where the customer feels bad and no opportunity is on the way.

Why it matters: a moment of truth (`moment-of-truth: true` on a touchpoint
or on a step) makes or breaks the relationship. When a step that uses such a
touchpoint, or such a step itself, has a negative emotion (for any of its
personas), the map should show an opportunity that addresses a pain point at
that moment: a pain point on the touchpoint itself or on one of the steps that
use it; for a step, a pain point on the step or on one of its touchpoints.
Without one, the most expensive failure in the journey has no plan.

Options: none.

Failing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
channels:
  - { id: web, name: Web shop, kind: web }
stages:
  - id: checkout
    name: Checkout
    touchpoints:
      - { id: checkout-page, name: Checkout page, channel: web, moment-of-truth: true }
    steps:
      - { id: pays, action: Pays with a card, touchpoints: [checkout-page], emotion: -2 }
    pain-points:
      - { id: card-declined, description: Card declined without a reason., touchpoint: checkout-page }
```

Passing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
channels:
  - { id: web, name: Web shop, kind: web }
stages:
  - id: checkout
    name: Checkout
    touchpoints:
      - { id: checkout-page, name: Checkout page, channel: web, moment-of-truth: true }
    steps:
      - { id: pays, action: Pays with a card, touchpoints: [checkout-page], emotion: -2 }
    pain-points:
      - { id: card-declined, description: Card declined without a reason., touchpoint: checkout-page }
    opportunities:
      - { id: explain-decline, description: Say why and offer PayPal., addresses: [card-declined] }
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap
    from journeyctl.model import Step

CODE = "JM303"
NAME = "moment-of-truth-at-risk"
SEVERITY: Severity = "error"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    yield from _touchpoint_moments(loaded)
    yield from _step_moments(loaded)


def _touchpoint_moments(loaded: LoadedMap) -> Iterator[Violation]:
    """Touchpoints marked as moments of truth used by a negative step, with no planned fix there."""
    journey = loaded.journey
    moments = [touchpoint for _, touchpoint in journey.iter_touchpoints() if touchpoint.moment_of_truth]
    if not moments:
        return
    steps_using: dict[str, list[Step]] = {}
    for _, step in journey.iter_steps():
        for ref in step.touchpoints:
            steps_using.setdefault(ref, []).append(step)
    addressed = {ref for _, opportunity in journey.iter_opportunities() for ref in opportunity.addresses}
    for touchpoint in moments:
        steps = steps_using.get(touchpoint.id, [])
        low = [step for step in steps if (step.lowest_emotion or 0) < 0]
        if not low:
            continue
        step_ids = {step.id for step in steps}
        covered = any(
            pain_point.id in addressed
            and (pain_point.touchpoint == touchpoint.id or pain_point.step in step_ids)
            for _, pain_point in journey.iter_pain_points()
        )
        if covered:
            continue
        names = ", ".join(f"'{step.id}' ({step.lowest_emotion})" for step in low)
        yield Violation(
            loaded.locate(touchpoint),
            f"moment of truth '{touchpoint.id}' feels negative (step{'s' if len(low) > 1 else ''} {names}) "
            "and no opportunity "
            "addresses a pain point there; plan how to turn it around",
            hint=(
                f"add a pain point on `touchpoint: {touchpoint.id}` if there is none, "
                "and an opportunity that `addresses` it"
            ),
        )


def _step_moments(loaded: LoadedMap) -> Iterator[Violation]:
    """Steps marked as moments of truth that feel negative with no planned fix there."""
    journey = loaded.journey
    moments = [step for stage in journey.stages for step in stage.steps if step.moment_of_truth]
    if not moments:
        return
    addressed = {ref for _, opportunity in journey.iter_opportunities() for ref in opportunity.addresses}
    for step in moments:
        lowest = step.lowest_emotion
        if lowest is None or lowest >= 0:
            continue
        covered = any(
            pain_point.id in addressed
            and (pain_point.step == step.id or pain_point.touchpoint in step.touchpoints)
            for _, pain_point in journey.iter_pain_points()
        )
        if covered:
            continue
        yield Violation(
            loaded.locate(step, "moment-of-truth"),
            f"step '{step.id}' is a moment of truth and feels negative ({lowest}), and no opportunity "
            "addresses a pain point there; plan how to turn it around",
            hint=f"add a pain point with `step: {step.id}` if there is none, and an opportunity for it",
        )
