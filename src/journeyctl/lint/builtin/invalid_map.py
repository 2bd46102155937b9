"""The file is not a valid journey map: bad YAML, a value the format forbids, or a broken reference.

Why it matters: a map that does not load cannot be checked, rendered or diffed,
so one invalid file would otherwise hide every other problem in it. Lint
reports each validation error through the same channel as rule findings
(exactly what `journeyctl validate` reports), so one command gates CI.

This rule is reported by the engine, is always on (`ignore`, `select` and
suppression comments do not turn it off) and is always an error.

Options: none.

Failing example:

```yaml
journeyctl: 1
id: signup
title: Sign-up
stages:
  - id: register
    name: Register
    steps:
      - id: fill-form
        action: Fills in the form
        emotion: -5
```

Passing example:

```yaml
journeyctl: 1
id: signup
title: Sign-up
stages:
  - id: register
    name: Register
    steps:
      - id: fill-form
        action: Fills in the form
        emotion: -1
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeyctl.lint.api import RuleOptions, Severity, Violation

if TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM000"
NAME = "invalid-map"
SEVERITY: Severity = "error"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    """Nothing to do on a map that loaded: the engine reports load errors itself."""
    return iter(())
