"""An opportunity with no owner: an improvement nobody is going to make.

Why it matters: an opportunity turns into work only when a team owns it; an
unowned one stays an idea on a slide. One rule per kind of entity (see
`pain-point-without-owner`) so each can be configured on its own.

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
      - id: fees-up-front
        description: Show the shipping fee on the product page.
```

Passing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
stages:
  - id: checkout
    name: Checkout
    opportunities:
      - id: fees-up-front
        description: Show the shipping fee on the product page.
        owner: web-team
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM502"
NAME = "opportunity-without-owner"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    for _, opportunity in loaded.journey.iter_opportunities():
        if not opportunity.owner:
            yield Violation(
                loaded.locate(opportunity),
                f"opportunity '{opportunity.id}' has no owner; name the team that will deliver it",
                hint="add `owner: <team>`",
            )
