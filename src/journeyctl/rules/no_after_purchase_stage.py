"""A journey with no after-purchase stage: it stops where loyalty is won or lost.

Why it matters: delivery, first use, support, returns and renewal decide
whether a customer comes back and recommends you. Maps that end at the
checkout optimise conversion and miss the part of the experience that costs
the most to get wrong. A stage counts when its `phase` is one of the phases
this rule is configured with. When a stage's phase nearly matches one of them
(`after-purchse`, `after_purchase`), the finding is reported at that phase,
since the stage is probably there and misspelt. When no stage has a phase at all
(as in a map just imported from a Mermaid diagram), the finding says so instead
of claiming that the journey stops at the purchase.

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

from journeyctl.lint.api import Field, RuleOptions, Severity, Violation
from journeyctl.rules._common import near_phase

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
    for stage in journey.stages:
        close = near_phase(stage.phase, options.phases) if stage.phase is not None else None
        if close is not None:
            yield Violation(
                loaded.locate_value(stage, "phase"),
                f"journey '{journey.id}' has no stage with phase {phases}; stage '{stage.id}' has phase "
                f"'{stage.phase}', which nearly matches '{close}'",
                hint=f"write `phase: {close}` if the stage is after the purchase",
            )
            return
    if all(stage.phase is None for stage in journey.stages):
        # An imported map has no phases at all: its stages may well be after the purchase (a
        # support journey is nothing else), so say what is unknown rather than what is missing.
        yield Violation(
            loaded.locate(journey, "stages"),
            f"journey '{journey.id}' gives no stage a phase, so none is marked {phases}; say which "
            "stages come after the purchase, or map what happens after it",
            hint="set each stage's `phase` (before-purchase, purchase, after-purchase); add a stage "
            "such as delivery, first use or support if none comes after the purchase",
        )
        return
    yield Violation(
        loaded.locate(journey, "stages"),
        f"journey '{journey.id}' has no stage with phase {phases}; map what happens after the purchase",
        hint="add a stage such as delivery, first use or support with `phase: after-purchase`",
    )
