"""A pain point tied to neither a touchpoint nor a step: nobody can tell where it hurts.

Why it matters: a pain point with a `touchpoint` or a `step` lands with the
team that owns that place and explains the emotion of the steps there (the
rules `unexplained-emotional-low` and `moment-of-truth-at-risk` rely on the
link). A free-floating pain point explains nothing and is hard to act on.

Options: none.

Failing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
stages:
  - id: checkout
    name: Checkout
    pain-points:
      - id: surprise-fees
        description: Shipping fee appears only at the last step.
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
      - { id: pays, action: Pays with a card, emotion: -1 }
    pain-points:
      - id: surprise-fees
        description: Shipping fee appears only at the last step.
        step: pays
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM204"
NAME = "pain-point-without-place"
SEVERITY: Severity = "info"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    for _, pain_point in loaded.journey.iter_pain_points():
        if pain_point.touchpoint is None and pain_point.step is None:
            yield Violation(
                loaded.locate(pain_point),
                f"pain point '{pain_point.id}' names neither a touchpoint nor a step; say where it happens",
                hint="add `touchpoint: <id>` or `step: <id>`",
            )
