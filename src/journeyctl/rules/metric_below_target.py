"""A metric misses its target in a stage with no pain point: the data and the map disagree.

Why it matters: a metric below target (above it, for `better: lower` metrics
such as handling time) is evidence that customers struggle in that stage. If
the stage lists no pain point, the map disagrees with its own data: either a
pain point is missing, or the target is out of date.

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
      - { id: conversion, name: Checkout conversion, value: 0.41, target: 0.55 }
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
      - { id: conversion, name: Checkout conversion, value: 0.41, target: 0.55 }
      - { id: time-to-pay, name: Time to pay, value: 95, target: 120, unit: s, better: lower }
    pain-points:
      - id: surprise-fees
        description: Shipping fee appears only at the last step.
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation
from journeyctl.rules._common import format_number

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM601"
NAME = "metric-below-target"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    for stage in loaded.journey.stages:
        if stage.pain_points:
            continue
        for metric in stage.metrics:
            if metric.value is None or metric.target is None:
                continue
            lower_is_better = metric.better == "lower"
            missed = metric.value > metric.target if lower_is_better else metric.value < metric.target
            if not missed:
                continue
            unit = f" {metric.unit}" if metric.unit else ""
            side = "above" if metric.better == "lower" else "below"
            yield Violation(
                loaded.locate(metric),
                f"metric '{metric.id}' is {format_number(metric.value)}{unit}, {side} its target of "
                f"{format_number(metric.target)}{unit} ({metric.better} is better), and stage '{stage.id}' "
                "has no pain point; record what holds it back",
                hint="add a pain point to the stage, or update the target if it no longer applies",
            )
