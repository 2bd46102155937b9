"""A persona with no goals: the map does not say what this customer is trying to achieve.

Why it matters: a persona is useful for the goals that drive them ("find a
gift in under ten minutes"); every stage goal and pain point is read against
them. A persona with only a name is a demographic label. A persona from a
shared file (`include`) is reported at the `include` entry that brings it in,
since this map relies on it.

Options: none.

Failing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
personas:
  - { id: busy-parent, name: Busy parent }
stages:
  - { id: checkout, name: Checkout }
```

Passing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
personas:
  - id: busy-parent
    name: Busy parent
    goals: [Find a good gift in under ten minutes]
stages:
  - { id: checkout, name: Checkout }
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation
from journeyctl.rules._common import locate_in_map, shared_suffix

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM702"
NAME = "persona-without-goals"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    for persona in loaded.journey.personas:
        if not persona.goals:
            yield Violation(
                locate_in_map(loaded, persona),
                f"persona '{persona.id}'{shared_suffix(loaded, persona)} has no goals; "
                "say what they want to achieve",
                hint="add `goals:` in the persona's own words",
            )
