"""A future-state map with no baseline: nothing says which current experience it improves.

Why it matters: a future-state map is a promise measured against today's
journey. With `baseline` naming the current-state map's id, reviewers and
`journeyctl diff` can see which pain points it removes and how the emotion
curve should move; without it the future map floats free of evidence.

Options: none.

Failing example:

```yaml
journeyctl: 1
id: home-move-future
title: Moving home with broadband (future)
state: future
stages:
  - { id: plan, name: Plan the move }
```

Passing example:

```yaml
journeyctl: 1
id: home-move-future
title: Moving home with broadband (future)
state: future
baseline: home-move-current
stages:
  - { id: plan, name: Plan the move }
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM108"
NAME = "future-state-without-baseline"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    journey = loaded.journey
    if journey.state == "future" and journey.baseline is None:
        yield Violation(
            loaded.locate(journey, "state"),
            f"future-state map '{journey.id}' has no baseline; name the current-state map it improves on",
            hint="add `baseline: <id of the current-state map>`",
        )
