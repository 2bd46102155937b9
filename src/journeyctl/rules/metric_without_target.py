"""A metric with no target: a number nobody can call good or bad.

Why it matters: a metric on a journey stage is there to show whether the
stage works for customers. Without a target it cannot be below or above
anything, so `metric-below-target` cannot check it and readers cannot tell a
problem from a success.

Options: none.

Failing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
stages:
  - id: checkout
    name: Checkout
    metrics:
      - { id: conversion, name: Checkout conversion, value: 0.41 }
```

Passing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
stages:
  - id: checkout
    name: Checkout
    metrics:
      - { id: conversion, name: Checkout conversion, value: 0.41, target: 0.4 }
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM602"
NAME = "metric-without-target"
SEVERITY: Severity = "info"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    for _, metric in loaded.journey.iter_metrics():
        if metric.target is None:
            yield Violation(
                loaded.locate(metric),
                f"metric '{metric.id}' has no target; say what value the team aims for",
                hint="add `target:` (and `better: lower` if a lower value is better)",
            )
