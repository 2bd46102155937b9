"""A step that uses no touchpoint: the map does not say where the customer does it.

Why it matters: a step tied to a touchpoint shows which team and channel can
change it, and lets pain points on that touchpoint explain the step's emotion.
Some steps really happen away from you ("asks a friend"); this rule is off in
the `recommended` preset for that reason and on in `strict`, for teams that
model even those as touchpoints (a channel of kind `other`).

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
      - { id: pays, action: Pays with a card, emotion: -1 }
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
      - { id: pays, action: Pays with a card, emotion: -1, touchpoints: [checkout-page] }
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM106"
NAME = "step-without-touchpoint"
SEVERITY: Severity = "info"
RECOMMENDED = False


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    for _, step in loaded.journey.iter_steps():
        if not step.touchpoints:
            yield Violation(
                loaded.locate(step),
                f"step '{step.id}' uses no touchpoint; say where the customer does it",
                hint="add `touchpoints: [<touchpoint id>]`",
            )
