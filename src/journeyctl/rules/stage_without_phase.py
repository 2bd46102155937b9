"""A stage with no phase: the map cannot tell before, during and after the purchase apart.

Why it matters: the phase (`before-purchase`, `purchase`, `after-purchase`, or
a phase of the team's own) groups stages across maps, lets renderers band the
journey, and is how `no-after-purchase-stage` knows the map covers what
happens after the sale. A stage without one silently drops out of all three.

Options: none.

Failing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
stages:
  - id: checkout
    name: Checkout
```

Passing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
stages:
  - id: checkout
    name: Checkout
    phase: purchase
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM105"
NAME = "stage-without-phase"
SEVERITY: Severity = "info"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    for stage in loaded.journey.stages:
        if stage.phase is None:
            yield Violation(
                loaded.locate(stage),
                f"stage '{stage.id}' has no phase; say whether it is before, during or after the purchase",
                hint="add `phase: before-purchase`, `purchase` or `after-purchase` (or a phase of your own)",
            )
