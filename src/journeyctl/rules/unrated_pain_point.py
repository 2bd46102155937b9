"""A pain point nobody rated: its severity is unknown, so it cannot be weighed against the others.

Why it matters: a pain point written without `severity` is "not rated", never
"medium": renders count it apart and diff cannot say whether it got worse.
Teams that triage by severity (the `severe-pain-point-unplanned` rule, the
site's pain points by severity) need every pain point rated. Maps early in
research often have unrated ones on purpose, so the rule is in the `strict`
preset only.

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
        severity: high
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM205"
NAME = "unrated-pain-point"
SEVERITY: Severity = "warning"
RECOMMENDED = False


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    for _, pain_point in loaded.journey.iter_pain_points():
        if pain_point.severity is None:
            yield Violation(
                loaded.locate(pain_point),
                f"pain point '{pain_point.id}' is not rated; say how much it hurts",
                hint="add `severity: low`, `medium`, `high` or `critical`",
            )
