"""A shared file defines a persona, channel or insight that no map of the run uses.

Why it matters: a shared file (`journeyctl-shared: 1`) keeps personas,
channels and insights that several maps include. An entry no map uses is
either left over (a persona the service no longer serves, a study nobody
cites) or a sign that maps drifted away from the shared definitions and keep
their own copies. A persona is used by a step that names it, or by any step
that names nobody (every persona takes it), a metric or the funnel; a channel
by a touchpoint; an insight by any `insights` list. Only maps of the run are
counted, and only when the run has the shared file and at least one map: lint
the whole directory of maps. A project rule: it sees every map of the run.

Options: none.

Failing example:

```yaml
# maps/shared/people.yaml
journeyctl-shared: 1
personas:
  - { id: renter, name: Renter }
  - { id: landlord, name: Landlord }
---
# maps/move.yaml
journeyctl: 1
id: move
title: Moving home
include: [shared/people.yaml]
stages:
  - id: book
    name: Book
    steps:
      - { id: books, action: Books the move, persona: renter }
```

Passing example:

```yaml
# maps/shared/people.yaml
journeyctl-shared: 1
personas:
  - { id: renter, name: Renter }
  - { id: landlord, name: Landlord }
---
# maps/move.yaml
journeyctl: 1
id: move
title: Moving home
include: [shared/people.yaml]
stages:
  - id: book
    name: Book
    steps:
      - { id: books, action: Books the move, persona: renter }
      - { id: approves, action: Approves the new tenant, persona: landlord }
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.lint.project import Project

CODE = "JM903"
NAME = "unused-shared-definition"
SEVERITY: Severity = "warning"
SCOPE = "project"


class Options(RuleOptions):
    """No options."""


def check(project: Project, options: Options) -> Iterator[Violation]:
    if not project.maps:
        return
    for shared in project.shared:
        includers = [facts for facts in project.maps if shared.real_path in facts.includes]
        used: set[tuple[str, str]] = set()
        for facts in includers:
            used |= facts.uses
        for definition in shared.definitions:
            if (definition.kind, definition.ident) in used:
                continue
            if len(includers) == 1:
                why = f"the one map of this run that includes the file ({includers[0].path}) does not use it"
            elif includers:
                why = f"none of the {len(includers)} maps of this run that include the file uses it"
            else:
                why = "no map of this run includes the file"
            yield Violation(
                definition.location,
                f"shared {definition.kind} '{definition.ident}' is not used: {why}",
                hint="remove it, or use it in the maps it belongs to",
            )
