"""A persona that no step names: defined in the map, never seen on their own in the journey.

Why it matters: listing a persona says "this journey is theirs". Once a map
tells its personas apart (some step names a `persona`), a persona that no step
names never appears on their own: the map promises a point of view it never
shows. Steps without `persona` are shared by everyone, so a map where no step
names a persona (typically a single-persona map) is not checked. Personas that
come from a shared file (`include`) are not checked either: a shared file
serves many maps, and each uses only some of its personas.

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
    named = {step.persona for _, step in journey.iter_steps() if step.persona is not None}
    if not named:
        # The map does not tell personas apart: every step is everyone's.
        return
    for persona in journey.personas:
        if persona.id not in named and is_local(loaded, persona):
            yield Violation(
                loaded.locate(persona),
                f"persona '{persona.id}' takes no step of their own; "
                "name them on the steps they take, or remove them",
                hint=f"set `persona: {persona.id}` on the steps they take",
            )
