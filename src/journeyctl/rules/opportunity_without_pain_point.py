"""An opportunity that addresses no pain point: an idea not tied to a problem the customer has.

Why it matters: opportunities compete for the same teams and budget. One that
names the pain points it removes (`addresses`) can be weighed by their
severity and evidence; one that names none is a solution looking for a
problem, and it cannot be checked off when the pain goes away.

Options: none.

Failing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
stages:
  - id: checkout
    name: Checkout
    opportunities:
      - id: dark-mode
        description: Offer a dark theme for the checkout.
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

CODE = "JM202"
NAME = "opportunity-without-pain-point"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    for _, opportunity in loaded.journey.iter_opportunities():
        if not opportunity.addresses:
            yield Violation(
                loaded.locate(opportunity),
                f"opportunity '{opportunity.id}' addresses no pain point; "
                "name the pain points it removes, or record the pain it answers",
                hint="add `addresses: [<pain point id>]`",
            )
