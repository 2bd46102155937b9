"""A stage's phase that is one slip away from a known phase: a typo, not a new phase.

Why it matters: `phase` is open (teams may use their own), so `after-purchse`
or `after_purchase` passes validation as a phase of the map's own, and then
the stage silently drops out of everything that reads phases: the
after-purchase rule reports the stage as missing, and renderers group it
apart. A phase is reported when it is one edit (a letter added, missing,
wrong or two swapped; `_` for `-`) away from `before-purchase`, `purchase`,
`after-purchase`, one of the rule's `phases`, or a phase that more stages of
the same map use.

Options:

- `phases` (list of phase slugs, default `[]`): the team's own phases, which
  are known too (`onboarding`, `renewal`), so that `onbaording` is reported
  even in a map where it is the only one.

Failing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
stages:
  - { id: checkout, name: Checkout, phase: purchase }
  - { id: delivery, name: Delivery, phase: after-purchse }
```

Passing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
stages:
  - { id: checkout, name: Checkout, phase: purchase }
  - { id: delivery, name: Delivery, phase: after-purchase }
  - { id: renew, name: Renew, phase: renewal }
```
"""

from __future__ import annotations

import typing
from collections import Counter
from collections.abc import Iterator

from journeyctl.lint.api import Field, RuleOptions, Severity, Violation
from journeyctl.rules._common import near_phase

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM109"
NAME = "phase-typo"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """The team's own phases, known beside the built-in ones."""

    phases: list[str] = Field(default_factory=list, description="The team's own phases.")


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    from journeyctl.model.common import KNOWN_PHASES

    stages = loaded.journey.stages
    known = [*KNOWN_PHASES, *options.phases]
    if all(stage.phase is None or stage.phase in known for stage in stages):
        return
    uses = Counter(stage.phase for stage in stages if stage.phase is not None)
    for stage in stages:
        phase = stage.phase
        if phase is None or phase in known:
            continue
        close = near_phase(phase, known)
        if close is None:
            # A phase more stages use is the intended spelling; of two used alike, the earlier.
            order = list(uses)
            more_used = [
                other
                for other in order
                if uses[other] > uses[phase]
                or (uses[other] == uses[phase] and order.index(other) < order.index(phase))
            ]
            close = near_phase(phase, more_used)
        if close is None:
            continue
        yield Violation(
            loaded.locate_value(stage, "phase"),
            f"stage '{stage.id}' has phase '{phase}', one slip away from '{close}' (did you mean '{close}'?)",
            hint=f"write `phase: {close}`, or list '{phase}' in this rule's `phases` if it is its own phase",
        )
