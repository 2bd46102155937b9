"""A stage with no customer goal: the map does not say what the customer wants there.

Why it matters: a journey map is written from the customer's side. The goal of
a stage ("know the parcel arrives before the birthday") is what every
touchpoint and step in it is judged against; without one, a team optimises its
own process instead of the customer's outcome.

Options: none.

Failing example:

```yaml
journeyctl: 1
id: returns
title: Returning an order
stages:
  - id: send-back
    name: Send the parcel back
```

Passing example:

```yaml
journeyctl: 1
id: returns
title: Returning an order
stages:
  - id: send-back
    name: Send the parcel back
    goals: [Get the money back without a trip to the post office]
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM103"
NAME = "stage-without-goal"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    for stage in loaded.journey.stages:
        if not stage.goals:
            yield Violation(
                loaded.locate(stage),
                f"stage '{stage.id}' has no customer goal; say what the customer wants in this stage",
                hint="add `goals:` with one or more goals in the customer's words",
            )
