"""A map with no persona: nobody in particular takes this journey.

Why it matters: a customer journey is always someone's journey. Without a
persona (in the map or from a shared file through `include`), emotions and
goals are the team's guesses about an average customer who does not exist,
and two maps of "the same" journey cannot be told apart.

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
personas:
  - { id: busy-parent, name: Busy parent, goals: [Find a gift fast] }
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

CODE = "JM703"
NAME = "map-without-personas"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    journey = loaded.journey
    if not journey.personas:
        yield Violation(
            loaded.locate(journey),
            f"map '{journey.id}' has no persona; say whose journey this is",
            hint="add `personas:` (or `include:` a shared file of personas) and a persona with goals",
        )
