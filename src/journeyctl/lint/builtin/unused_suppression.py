"""A suppression comment that suppressed nothing, or names a rule that does not exist.

Why it matters: a `# journeyctl: disable=...` comment that no longer matches a
finding is a leftover: the problem was fixed or moved, and the comment now
only hides the next real finding on that line. A comment naming an unknown
rule is usually a typo, so the finding it meant to silence is still reported.

Only rules that ran on the file are checked, so `--select` of a few rules does
not make every other suppression look unused. A comment naming a rule across
maps (JM9xx) is judged once every file of the run is linted, when that rule
has run: it is unused when the rule found nothing on the line it covers. Turn the check off with
`ignore: [JM001]`, or for one file with `# journeyctl: disable-file=JM001`.

Options: none.

Failing example:

```yaml
journeyctl: 1
id: signup
title: Sign-up
stages:
  # journeyctl: disable=JM000
  - id: register
    name: Register
    steps:
      - id: fill-form  # journeyctl: disable=no-such-rule
        action: Fills in the form
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
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeyctl.lint.api import RuleOptions, Severity, Violation

if TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM001"
NAME = "unused-suppression"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    """Nothing to do here: the engine reports unused suppressions after the other rules ran."""
    return iter(())
