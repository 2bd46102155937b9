"""A pain point that no opportunity addresses: a known problem nobody is fixing.

Why it matters: a journey map earns its keep by turning pain points into
work. A pain point without an opportunity whose `addresses` lists it is a
problem the team has seen and parked; it stays invisible on a roadmap, and the
next review finds it unchanged. Even "accept it, and why" is an opportunity
worth writing down.

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
    pain-points:
      - id: surprise-fees
        description: Shipping fee appears only at the last step.
    opportunities:
      - id: fees-up-front
        description: Show the shipping fee on the product page.
        addresses: [surprise-fees]
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM201"
NAME = "pain-point-without-opportunity"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    journey = loaded.journey
    addressed = {ref for _, opportunity in journey.iter_opportunities() for ref in opportunity.addresses}
    for _, pain_point in journey.iter_pain_points():
        if pain_point.id not in addressed:
            yield Violation(
                loaded.locate(pain_point),
                f"pain point '{pain_point.id}' has no opportunity that addresses it; "
                "add one, even if it is to accept the pain",
                hint=f"add an opportunity with `addresses: [{pain_point.id}]`",
            )
