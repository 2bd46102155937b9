"""The funnel's biggest drop has no pain point where it happens: the map misses where it loses most customers.

Why it matters: a funnel (`funnel:` with counts or drop-offs per stage or
step) shows where customers leave; the biggest drop is where the journey
loses most of them, and so the first place to understand. The rule takes the
entry that loses the largest share (from its `drop-off`, or from its count and
the next entry's) and looks for a pain point where those customers leave: on
a step from that entry up to the next entry (for a stage entry, from the
stage's first step), or on a touchpoint such a step uses. When there is none,
the map shows the loss without its cause.

Options:

- `min-drop` (number 0..100, default `20`): a biggest drop smaller than this
  share (percent) is not reported.

Failing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
funnel:
  entries:
    - { stage: browse, count: 10000 }
    - { stage: checkout, count: 1200 }
    - { step: pays, count: 900 }
stages:
  - id: browse
    name: Browse
    steps:
      - { id: reads-delivery-page, action: Reads the delivery page }
  - id: checkout
    name: Checkout
    steps:
      - { id: pays, action: Pays }
```

Passing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
funnel:
  entries:
    - { stage: browse, count: 10000 }
    - { stage: checkout, count: 1200 }
    - { step: pays, count: 900 }
stages:
  - id: browse
    name: Browse
    steps:
      - { id: reads-delivery-page, action: Reads the delivery page }
    pain-points:
      - id: vague-delivery
        description: The delivery page gives no date.
        step: reads-delivery-page
  - id: checkout
    name: Checkout
    steps:
      - { id: pays, action: Pays }
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import Field, RuleOptions, Severity, Violation
from journeyctl.rules._common import format_number

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap
    from journeyctl.model import FunnelEntry, Journey, Step
    from journeyctl.model.funnel import FunnelDrop

CODE = "JM603"
NAME = "funnel-biggest-drop"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """How big the biggest drop must be to be reported."""

    min_drop: float = Field(
        20, ge=0, le=100, allow_inf_nan=False, description="The smallest share (percent) reported."
    )


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    from journeyctl.model.funnel import biggest_drop

    journey = loaded.journey
    drop = biggest_drop(journey)
    if drop is None or drop.share < options.min_drop:
        return
    span = _span(journey, drop.entry, drop.following)
    touchpoints = {ref for step in span for ref in step.touchpoints}
    step_ids = {step.id for step in span}
    for _, pain_point in journey.iter_pain_points():
        if pain_point.step in step_ids or pain_point.touchpoint in touchpoints:
            return
    kind = "stage" if drop.entry.stage is not None else "step"
    yield Violation(
        loaded.locate_value(drop.entry, kind),
        f"the funnel's biggest drop is at {kind} '{drop.entry.target}': {_describe(drop)}, and no pain "
        "point sits where those customers leave",
        hint="add a pain point on the step (or its touchpoint) where customers give up",
    )


def _describe(drop: FunnelDrop) -> str:
    """``59% of customers (667) do not reach step 'pays'``."""
    lost = f" ({drop.lost:,})" if drop.lost is not None else ""
    share = format_number(round(drop.share, 1))
    if drop.following is None:
        return f"{share}% of customers{lost} leave there"
    following = "stage" if drop.following.stage is not None else "step"
    return f"{share}% of customers{lost} do not reach {following} '{drop.following.target}'"


def _span(journey: Journey, entry: FunnelEntry, following: FunnelEntry | None) -> list[Step]:
    """The steps from ``entry`` up to (not including) ``following``: where its customers leave."""
    steps = [step for _, step in journey.iter_steps()]
    positions = {step.id: index for index, step in enumerate(steps)}
    first_of_stage: dict[str, int] = {}
    for index, (stage, _) in enumerate(journey.iter_steps()):
        first_of_stage.setdefault(stage.id, index)
    end_of_stage = {stage.id: first_of_stage.get(stage.id, 0) + len(stage.steps) for stage in journey.stages}

    def start(at: FunnelEntry) -> int | None:
        if at.step is not None:
            return positions.get(at.step)
        return first_of_stage.get(at.target)

    begin = start(entry)
    if begin is None:
        return []
    end = start(following) if following is not None else None
    if end is None:
        end = end_of_stage.get(entry.target, begin + 1) if entry.stage is not None else begin + 1
    return steps[begin : max(end, begin + 1)]
