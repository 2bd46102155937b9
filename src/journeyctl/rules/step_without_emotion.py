"""A step with no emotion score: a hole in the journey's emotion curve.

Why it matters: the emotion curve (-2 very negative to +2 very positive) is
what makes a journey map more than a process diagram. It shows where the
customer struggles, and the rules about emotional lows and moments of truth
can only check steps that have a score. A step without one is "not scored",
never neutral: give `0` only to a step the customer really feels neutral
about. When `feeling` already says it in words, the score is the missing
half. On a step several personas take, each of them needs a score (the
step's `emotion`, or their own in `emotions`).

Options: none.

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
        feeling: Anxious about the fees
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
        feeling: Anxious about the fees
        emotion: -1
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM301"
NAME = "step-without-emotion"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    journey = loaded.journey
    for _, step in journey.iter_steps():
        if step.emotion is not None:
            continue
        if step.emotions:
            unscored = [ident for ident in journey.persona_ids_of(step) if ident not in step.emotions]
            if not unscored:
                continue
            names = ", ".join(f"'{ident}'" for ident in unscored)
            yield Violation(
                loaded.locate(step, "emotions"),
                f"step '{step.id}' scores some personas but not {names}; give each persona a score",
                hint="add them to `emotions`, or set `emotion` for everyone not listed",
            )
        elif step.feeling:
            yield Violation(
                loaded.locate(step),
                f"step '{step.id}' records the feeling '{step.feeling.strip()}' but no score; "
                "put it on the scale from -2 to +2",
                hint="add `emotion:` with the score that matches it (-2 very negative .. +2 very positive)",
            )
        else:
            yield Violation(
                loaded.locate(step),
                f"step '{step.id}' has no emotion score; say how the customer feels, from -2 to +2",
                hint="add `emotion:` (-2 very negative .. +2 very positive) and `feeling:` in words",
            )
