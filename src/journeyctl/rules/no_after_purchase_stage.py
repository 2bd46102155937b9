"""A journey with no after-purchase stage: it stops where loyalty is won or lost.

Why it matters: delivery, first use, support, returns and renewal decide
whether a customer comes back and recommends you. Maps that end at the
checkout optimise conversion and miss the part of the experience that costs
the most to get wrong. A stage counts when its `phase` is one of the phases
this rule is configured with.

Options:

- `phases` (list of phase slugs, default `["after-purchase"]`): the phases that
  count as after the purchase, e.g. `["after-purchase", "renewal", "support"]`
  for a team with phases of its own.

Failing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
stages:
  - id: checkout
    name: Checkout
    phase: purchase
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
  - id: delivery
    name: Delivery
    phase: after-purchase
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from pydantic import Field

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM104"
NAME = "no-after-purchase-stage"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """Which phases count as after the purchase."""

    phases: list[str] = Field(
        default_factory=lambda: ["after-purchase"],
        min_length=1,
        description="Phases that count as after the purchase.",
    )


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    journey = loaded.journey
    wanted = set(options.phases)
    if any(stage.phase in wanted for stage in journey.stages):
        return
    phases = " or ".join(f"'{phase}'" for phase in options.phases)
    yield Violation(
        loaded.locate(journey, "stages"),
        f"journey '{journey.id}' has no stage with phase {phases}; map what happens after the purchase",
        hint="add a stage such as delivery, first use or support with `phase: after-purchase`",
    )
