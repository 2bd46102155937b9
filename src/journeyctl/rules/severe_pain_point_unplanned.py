"""A critical pain point whose opportunities are all still ideas: nobody has committed to fixing it.

Why it matters: an opportunity with `status: idea` costs nothing to write. For
the pain points that drive customers away, the map should show that someone
has planned the fix, is working on it, or has shipped it. This rule looks only
at pain points that some opportunity addresses; one that none addresses is
reported by `pain-point-without-opportunity` instead, so a pain point never
gets two findings for one gap.

Options:

- `severities` (list, default `["critical"]`): the pain point severities this
  rule checks, e.g. `["high", "critical"]`.
- `statuses` (list, default `["planned", "in-progress", "done"]`): the
  opportunity statuses that count as committed.

Failing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
stages:
  - id: checkout
    name: Checkout
    pain-points:
      - id: card-declined
        description: Cards from some banks are declined without a reason.
        severity: critical
    opportunities:
      - id: second-acquirer
        description: Retry declined cards through a second payment provider.
        addresses: [card-declined]
        status: idea
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
      - id: card-declined
        description: Cards from some banks are declined without a reason.
        severity: critical
    opportunities:
      - id: second-acquirer
        description: Retry declined cards through a second payment provider.
        addresses: [card-declined]
        status: planned
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Literal

from journeyctl.lint.api import Field, RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap
    from journeyctl.model import Opportunity

CODE = "JM203"
NAME = "severe-pain-point-unplanned"
SEVERITY: Severity = "warning"

PainSeverity = Literal["low", "medium", "high", "critical"]
Status = Literal["idea", "planned", "in-progress", "done"]


def _default_severities() -> list[PainSeverity]:
    return ["critical"]


def _default_statuses() -> list[Status]:
    return ["planned", "in-progress", "done"]


class Options(RuleOptions):
    """Which pain points are checked, and which opportunity statuses count as committed."""

    severities: list[PainSeverity] = Field(
        default_factory=_default_severities, min_length=1, description="Pain point severities checked."
    )
    statuses: list[Status] = Field(
        default_factory=_default_statuses,
        min_length=1,
        description="Opportunity statuses that count as committed.",
    )


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    journey = loaded.journey
    by_pain_point: dict[str, list[Opportunity]] = {}
    for _, opportunity in journey.iter_opportunities():
        for ref in opportunity.addresses:
            by_pain_point.setdefault(ref, []).append(opportunity)
    severities = set(options.severities)
    committed = set(options.statuses)
    for _, pain_point in journey.iter_pain_points():
        if pain_point.severity not in severities:
            continue
        opportunities = by_pain_point.get(pain_point.id)
        if not opportunities or any(o.status in committed for o in opportunities):
            continue
        names = ", ".join(f"'{o.id}' ({o.status})" for o in opportunities)
        wanted = " or ".join(options.statuses)
        yield Violation(
            loaded.locate(pain_point),
            f"{pain_point.severity} pain point '{pain_point.id}' is addressed only by {names}; "
            f"commit to one of them ({wanted}) or say why not",
            hint="set `status: planned` (or in-progress) on the opportunity the team commits to",
        )
