"""A step with a negative emotion that no pain point explains.

Why it matters: an emotional low is the map's loudest signal, and it needs a
cause the team can work on. A low is explained by a pain point whose `step` is
that step, or whose `touchpoint` is one of the touchpoints the step uses. On
a step with a score per persona (`emotions`) the lowest score counts.
Without one the low is an observation nobody will act on, or the score is
wrong.

Options:

- `max-emotion` (integer, default `-1`): the highest score that counts as a
  low; set `-2` to check only very negative steps.

Failing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
stages:
  - id: checkout
    name: Checkout
    steps:
      - id: pays
        action: Pays with a card
        emotion: -1
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
      - id: pays
        action: Pays with a card
        emotion: -1
    pain-points:
      - id: surprise-fees
        description: Shipping fee appears only at the last step.
        step: pays
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import Field, RuleOptions, Severity, Violation
from journeyctl.rules._common import format_emotion

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM302"
NAME = "unexplained-emotional-low"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """The highest emotion that counts as a low."""

    max_emotion: int = Field(-1, ge=-2, le=1, description="The highest score that counts as a low.")


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    journey = loaded.journey
    explained_steps: set[str] = set()
    painful_touchpoints: set[str] = set()
    for _, pain_point in journey.iter_pain_points():
        if pain_point.step is not None:
            explained_steps.add(pain_point.step)
        if pain_point.touchpoint is not None:
            painful_touchpoints.add(pain_point.touchpoint)
    for _, step in journey.iter_steps():
        lowest = step.lowest_emotion if step.emotions else step.emotion
        if lowest is None or lowest > options.max_emotion:
            continue
        if step.id in explained_steps or any(ref in painful_touchpoints for ref in step.touchpoints):
            continue
        if step.emotion is not None and step.emotion == lowest:
            where, whose = loaded.locate(step, "emotion"), ""
        else:
            persona = next(ident for ident, score in step.emotions.items() if score == lowest)
            where, whose = loaded.locate_key(step, "emotions", persona), f" for persona '{persona}'"
        yield Violation(
            where,
            f"step '{step.id}' has emotion {format_emotion(lowest)}{whose} but no pain point explains it; "
            "record what hurts here",
            hint=f"add a pain point with `step: {step.id}` or on one of the step's touchpoints",
        )
