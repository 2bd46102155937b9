"""A stage with no steps: nothing says what the customer actually does in it.

Why it matters: steps carry the customer's actions, thoughts and emotions, the
"doing" lane that everything else in a journey map hangs on. A stage without
steps has no emotion curve, so emotional lows, moments of truth and pain points
in it cannot be checked against what the customer experiences.

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
    steps:
      - { id: prints-label, action: Prints the return label, emotion: 0 }
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM102"
NAME = "stage-without-steps"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    for stage in loaded.journey.stages:
        if not stage.steps:
            yield Violation(
                loaded.locate(stage),
                f"stage '{stage.id}' has no steps; add what the customer does in it, in order",
                hint="list them under `steps:` with an id, an action and an emotion",
            )
