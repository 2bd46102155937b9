"""A stage with no touchpoints: a blind spot where we do not know how the customer meets us.

Why it matters: touchpoints are where the organisation can act. A stage
without any is either a stage where the customer is on their own (then say
which channel they turn to: a search engine, a friend, a forum) or a part of
the journey nobody has researched yet. Either way, owners, pain points and
opportunities cannot attach to it.

Options: none.

Failing example:

```yaml
journeyctl: 1
id: returns
title: Returning an order
stages:
  - id: send-back
    name: Send the parcel back
    touchpoints: []
```

Passing example:

```yaml
journeyctl: 1
id: returns
title: Returning an order
channels:
  - { id: web, name: Web shop, kind: web }
stages:
  - id: send-back
    name: Send the parcel back
    touchpoints:
      - { id: returns-page, name: Returns page, channel: web }
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM101"
NAME = "stage-without-touchpoints"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    for stage in loaded.journey.stages:
        if not stage.touchpoints:
            yield Violation(
                loaded.locate(stage),
                f"stage '{stage.id}' has no touchpoints; add the places where the customer meets you in it",
                hint="list them under `touchpoints:` with an id, a name and a channel",
            )
