"""A pain point with no owner: nobody is accountable for the problem.

Why it matters: a pain point that belongs to everyone belongs to no one. The
owner team is who triages it, gathers evidence and decides on opportunities.
Ownership is checked by one rule per kind (pain point, opportunity,
touchpoint) rather than one rule with options, so each can be selected,
ignored or given its own severity the usual way, e.g. a team whose touchpoint
owners live in a service catalogue ignores only `touchpoint-without-owner`.

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
        owner: checkout-team
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM501"
NAME = "pain-point-without-owner"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    for _, pain_point in loaded.journey.iter_pain_points():
        if not pain_point.owner:
            yield Violation(
                loaded.locate(pain_point),
                f"pain point '{pain_point.id}' has no owner; name the team accountable for it",
                hint="add `owner: <team>`",
            )
