"""A map with no owner: nobody keeps it up to date.

Why it matters: a journey map is a living document only while someone is
responsible for reviewing it, merging changes and retiring it; the map-level
`owner` says who. Without one, `stale-map` findings have nobody to go to.

Options: none.

Failing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
stages:
  - { id: checkout, name: Checkout }
```

Passing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
owner: ecommerce-team
stages:
  - { id: checkout, name: Checkout }
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM505"
NAME = "map-without-owner"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    journey = loaded.journey
    if not journey.owner:
        yield Violation(
            loaded.locate(journey),
            f"map '{journey.id}' has no owner; name the team or person who keeps it up to date",
            hint="add `owner: <team>` at the top of the map",
        )
