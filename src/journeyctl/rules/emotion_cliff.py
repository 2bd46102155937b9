"""A sharp drop in emotion between one step and the next: the customer falls off a cliff.

Why it matters: customers remember the sharpest change more than the average
(the peak-end rule); a fall from delight to frustration in a single step ("the
order is confirmed" then "the delivery slot is gone") is worth looking at even
when each score alone looks fine. Steps are compared in journey order with the
previous scored step of the same persona (steps without a persona are compared
with each other), so two personas' curves are not mixed. Real curves often
have such falls and they are advice, not defects, so the rule is in the
`strict` preset only.

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

from pydantic import Field

from journeyctl.lint.api import RuleOptions, Severity, Violation
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
    previous: dict[str | None, Step] = {}
    for _, step in loaded.journey.iter_steps():
        if step.emotion is None:
            continue
        before = previous.get(step.persona)
        previous[step.persona] = step
        if before is None or before.emotion is None:
            continue
        drop = before.emotion - step.emotion
        if drop >= options.min_drop:
            yield Violation(
                loaded.locate(step, "emotion"),
                f"emotion falls {drop} points from {format_emotion(before.emotion)} at step '{before.id}' "
                f"to {format_emotion(step.emotion)} at step '{step.id}'; check what breaks in between",
                hint="add the missing step or a pain point that explains the fall",
            )
