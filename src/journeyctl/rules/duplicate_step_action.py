"""Two steps with the same action for the same persona: usually a copy-paste slip.

Why it matters: a journey moves forward; when two steps read the same
("Reads the confirmation mail" twice) one of them is usually a leftover from
copying a stage, and its emotion and pain points then describe the wrong
moment. If the customer really repeats an action, say what differs ("Calls
support again after a week"). Actions are compared ignoring case, spacing and
final punctuation, among steps of the same persona (steps without a persona
form their own group), so an admin and an end user may both "Sign in".

Options: none.

Failing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
stages:
  - id: checkout
    name: Checkout
    steps:
      - { id: reads-mail, action: Reads the confirmation mail }
  - id: delivery
    name: Delivery
    steps:
      - { id: reads-tracking, action: Reads the confirmation mail. }
```

Passing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
stages:
  - id: checkout
    name: Checkout
    steps:
      - { id: reads-mail, action: Reads the confirmation mail }
  - id: delivery
    name: Delivery
    steps:
      - { id: reads-tracking, action: Reads the tracking mail }
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap
    from journeyctl.model import Step

CODE = "JM107"
NAME = "duplicate-step-action"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """No options."""


def _normalise(action: str) -> str:
    return " ".join(action.casefold().split()).rstrip(".!?;: ")


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    first: dict[tuple[tuple[str, ...], str], Step] = {}
    for _, step in loaded.journey.iter_steps():
        if step.persona is not None:
            personas: tuple[str, ...] = (step.persona,)
        else:
            personas = tuple(sorted(step.personas)) if step.personas else ()
        key = (personas, _normalise(step.action))
        earlier = first.setdefault(key, step)
        if earlier is step:
            continue
        yield Violation(
            loaded.locate(step, "action"),
            f"step '{step.id}' repeats the action of step '{earlier.id}' ({step.action!r}); "
            "remove the copy or say what differs",
            hint="reword the action so each step describes its own moment",
        )
