"""A step with no emotion score: a hole in the journey's emotion curve.

Why it matters: the emotion curve (-2 very negative to +2 very positive) is
what makes a journey map more than a process diagram. It shows where the
customer struggles, and the rules about emotional lows and moments of truth
can only check steps that have a score. Use `0` for a step that is neutral,
rather than leaving it out.

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
        emotion: 0
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
    for _, step in loaded.journey.iter_steps():
        if step.emotion is None:
            yield Violation(
                loaded.locate(step),
                f"step '{step.id}' has no emotion score; say how the customer feels, from -2 to +2",
                hint="add `emotion: 0` for a neutral step, negative for a low, positive for a high",
            )
