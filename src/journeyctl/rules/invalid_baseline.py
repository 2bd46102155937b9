"""A map's `baseline` names no current-state map: a typo, the map itself, or a map that is not current.

Why it matters: a future-state map is read against its baseline (diff,
renders, the baseline rules), so the tie must hold: `baseline` names the id
of another map, that map is a current-state map, and only future-state maps
have a baseline. The baseline is looked for among the maps of the run, then
in the repository (a map under the repository root whose `id` is the
baseline; a file named `<id>.yaml` first). A project rule: it sees every map
of the run.

Options: none.

Failing example:

```yaml
# maps/checkout-future.yaml
journeyctl: 1
id: checkout-future
title: Checkout, as we want it
state: future
baseline: checkout-todya
stages:
  - { id: pay, name: Pay }
---
# maps/checkout-today.yaml
journeyctl: 1
id: checkout-today
title: Checkout today
stages:
  - { id: pay, name: Pay }
```

Passing example:

```yaml
# maps/checkout-future.yaml
journeyctl: 1
id: checkout-future
title: Checkout, as we want it
state: future
baseline: checkout-today
stages:
  - { id: pay, name: Pay }
---
# maps/checkout-today.yaml
journeyctl: 1
id: checkout-today
title: Checkout today
stages:
  - { id: pay, name: Pay }
```
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.lint.project import Project

CODE = "JM901"
NAME = "invalid-baseline"
SEVERITY: Severity = "error"
SCOPE = "project"


class Options(RuleOptions):
    """No options."""


def check(project: Project, options: Options) -> Iterator[Violation]:
    for facts in project.maps:
        baseline = facts.baseline
        if baseline is None:
            continue
        if facts.state != "future":
            yield Violation(
                baseline.location,
                f"map '{facts.ident}' is a current-state map, so it has no baseline; "
                f"`baseline: {baseline.ident}` belongs to a future-state map",
                hint="remove `baseline`, or set `state: future` if this map is the experience you want",
            )
            continue
        if baseline.ident == facts.ident:
            yield Violation(
                baseline.location,
                f"map '{facts.ident}' names itself as its baseline; "
                "the baseline is the current-state map it improves on",
                hint="set `baseline` to the id of the current-state map",
            )
            continue
        found = project.find_map(baseline.ident, facts)
        if found is None:
            message = f"baseline '{baseline.ident}' names no map of this run or of the repository"
            close = difflib.get_close_matches(baseline.ident, project.known_ids(facts), n=1)
            if close:
                message += f" (did you mean '{close[0]}'?)"
            yield Violation(
                baseline.location,
                message,
                hint="write the `id` of the current-state map, and keep that map in the repository",
            )
        elif found.state != "current":
            yield Violation(
                baseline.location,
                f"baseline '{baseline.ident}' ({found.path}) is a future-state map; "
                "a baseline is the current state",
                hint="name the current-state map that both future maps improve on",
            )
