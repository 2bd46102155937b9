"""A persona who takes none of the steps: defined in the map, never part of the journey.

Why it matters: listing a persona says "this journey is theirs". A step
without `persona` is taken by every persona, so a persona is unused only when
every step names a persona and none names this one: then the map promises a
point of view it never shows. Personas that come from a shared file
(`include`) are not checked: a shared file serves many maps.

Options: none.

Failing example:

```yaml
journeyctl: 1
id: trial
title: Software trial
personas:
  - { id: admin, name: IT administrator, goals: [Set up single sign-on] }
  - { id: buyer, name: Economic buyer, goals: [Know the price] }
stages:
  - id: setup
    name: Setup
    steps:
      - { id: connects-sso, action: Connects single sign-on, persona: admin }
```

Passing example:

```yaml
journeyctl: 1
id: trial
title: Software trial
personas:
  - { id: admin, name: IT administrator, goals: [Set up single sign-on] }
  - { id: buyer, name: Economic buyer, goals: [Know the price] }
stages:
  - id: setup
    name: Setup
    steps:
      - { id: connects-sso, action: Connects single sign-on, persona: admin }
      - { id: approves, action: Approves the purchase, persona: buyer }
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation
from journeyctl.rules._common import is_local

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM403"
NAME = "unused-persona"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    journey = loaded.journey
    named: set[str] = set()
    for _, step in journey.iter_steps():
        if step.persona is None:
            # A step for everyone uses every persona.
            return
        named.add(step.persona)
    if not named:
        # No steps at all: `stage-without-steps` reports the real gap.
        return
    for persona in journey.personas:
        if persona.id not in named and is_local(loaded, persona):
            yield Violation(
                loaded.locate(persona),
                f"persona '{persona.id}' takes no step; give them their steps, or remove the persona",
                hint=f"set `persona: {persona.id}` on the steps they take",
            )
