"""A touchpoint that no step uses and no pain point mentions: defined, never part of the journey.

Why it matters: a touchpoint in a stage but in none of its steps is either a
leftover from an earlier version of the map or a real contact point the steps
forgot, in which case the emotion curve misses the moment the customer meets
it. Link it from the step where the customer uses it, or delete it.

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
      - { id: checkout-page, name: Checkout page, channel: web }
      - { id: wishlist, name: Wish list, channel: web }
    steps:
      - { id: pays, action: Pays with a card, touchpoints: [checkout-page] }
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
      - { id: checkout-page, name: Checkout page, channel: web }
    steps:
      - { id: pays, action: Pays with a card, touchpoints: [checkout-page] }
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM401"
NAME = "unused-touchpoint"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    journey = loaded.journey
    used = {ref for _, step in journey.iter_steps() for ref in step.touchpoints}
    used.update(p.touchpoint for _, p in journey.iter_pain_points() if p.touchpoint is not None)
    for _, touchpoint in journey.iter_touchpoints():
        if touchpoint.id not in used:
            yield Violation(
                loaded.locate(touchpoint),
                f"touchpoint '{touchpoint.id}' is used by no step; "
                "add it to the step where the customer meets it, or remove it",
                hint=f"add '{touchpoint.id}' to a step's `touchpoints:`",
            )
