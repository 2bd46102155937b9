"""A persona who takes no step: defined in the map, never seen in the journey.

Why it matters: listing a persona says "this journey is theirs". A persona
that takes no step is a point of view the map promises and never shows. A
step takes the personas it names (`persona`, or each of `personas`), and a
step that names none is taken by every persona, so a map with such a step
gives every persona a step and is not reported. Personas that come from a
shared file (`include`) are not checked: a shared file serves many maps, and
each uses only some of its personas.

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
      - { id: approves, action: Approves the purchase together, personas: [admin, buyer] }
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
    steps = 0
    for _, step in journey.iter_steps():
        steps += 1
        if not step.persona_ids:
            # A step that names nobody is every persona's: each of them takes a step.
            return
        named.update(step.persona_ids)
    if not steps:
        return  # a map without steps is stage-without-steps' finding, not a persona's
    for persona in journey.personas:
        if persona.id not in named and is_local(loaded, persona):
            yield Violation(
                loaded.locate(persona),
                f"persona '{persona.id}' takes no step of their own; "
                "name them on the steps they take, or remove them",
                hint=f"name them on their steps (`persona: {persona.id}`, or in `personas`)",
            )
