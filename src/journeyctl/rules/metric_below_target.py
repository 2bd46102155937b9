"""A metric misses its target and no pain point or opportunity accounts for it: the data and the map disagree.

Why it matters: a metric below target (above it, for `better: lower` metrics
such as handling time) is evidence that customers struggle. If nothing in the
map says why, the map disagrees with its own data: either a pain point is
missing, or the target is out of date. A miss is accounted for only by
something that is explicitly about it: a pain point or opportunity that cites
the metric in its `metrics`, or, for a metric on a step or touchpoint, a pain
point on that same step or touchpoint. Any pain point of the stage is not
enough: a low-severity pain point about a gift-message box says nothing about
a 38% checkout completion. The finding says how far off the metric is.

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
      - { id: conversion, name: Checkout conversion, value: 41, target: 55, unit: "%" }
    pain-points:
      - id: gift-message-box
        description: The gift message box is hard to find.
        severity: low
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
      - { id: conversion, name: Checkout conversion, value: 41, target: 55, unit: "%" }
      - { id: time-to-pay, name: Time to pay, value: 95, target: 120, unit: s, better: lower }
    pain-points:
      - id: surprise-fees
        description: Shipping fee appears only at the last step.
        metrics: [conversion]
```
"""

from __future__ import annotations

import math
import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation
from journeyctl.rules._common import format_number

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap
    from journeyctl.model import Metric

CODE = "JM601"
NAME = "metric-below-target"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    journey = loaded.journey
    missed = [metric for stage in journey.stages for metric in stage.metrics if metric.missed]
    if not missed:
        return
    cited: set[str] = set()
    painful_steps: set[str] = set()
    painful_touchpoints: set[str] = set()
    for _, pain_point in journey.iter_pain_points():
        cited.update(pain_point.metrics)
        if pain_point.step is not None:
            painful_steps.add(pain_point.step)
        if pain_point.touchpoint is not None:
            painful_touchpoints.add(pain_point.touchpoint)
    for _, opportunity in journey.iter_opportunities():
        cited.update(opportunity.metrics)
    for metric in missed:
        if metric.id in cited:
            continue
        if metric.step is not None and metric.step in painful_steps:
            continue
        if metric.touchpoint is not None and metric.touchpoint in painful_touchpoints:
            continue
        place = ""
        if metric.step is not None:
            place = f", nor is there a pain point on step '{metric.step}'"
        elif metric.touchpoint is not None:
            place = f", nor is there a pain point on touchpoint '{metric.touchpoint}'"
        yield Violation(
            loaded.locate(metric),
            f"metric '{metric.id}' is {_off_target(metric)}, and no pain point or opportunity "
            f"cites it{place}; record what holds it back",
            hint=f"add `metrics: [{metric.id}]` to the pain point that explains it (or add one), "
            "or update the target if it no longer applies",
        )


def _off_target(metric: Metric) -> str:
    """``41%, 14 percentage points below its target of 55% (higher is better)``."""
    assert metric.value is not None and metric.target is not None
    unit = metric.unit or ""
    spaced = f" {unit}" if unit and unit != "%" else unit
    gap = abs(metric.value - metric.target)
    if unit == "%":
        distance = f"{format_number(gap)} percentage point{'' if gap == 1 else 's'}"
    else:
        # "0.6 below its target of 4.2 score (1-5)" reads better than repeating a long unit.
        distance = format_number(gap) + (spaced if " " not in unit else "")
    side = "above" if metric.better == "lower" else "below"
    relative = 100 * gap / abs(metric.target) if metric.target else math.inf
    # Extreme but finite figures can make the share overflow to infinity: then it is left out.
    share = f", {format_number(round(relative))}% off" if math.isfinite(relative) and unit != "%" else ""
    return (
        f"{format_number(metric.value)}{spaced}, {distance} {side} its target of "
        f"{format_number(metric.target)}{spaced}{share} ({metric.better} is better)"
    )
