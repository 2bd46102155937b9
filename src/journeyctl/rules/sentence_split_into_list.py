"""A list in brackets whose items read as one sentence split at its commas.

Why it matters: in YAML, `[` starts a list and every comma inside it ends an
item, so `frontstage: [Agent asks for the order number, photos and the story
again]` is two lane entries, "Agent asks for the order number" and "photos and
the story again". Nothing is invalid, so nothing fails; the renders and `diff`
then show two entries where the author wrote one. The rule looks at text lists
written in brackets (goals, and the frontstage, backstage and support lanes):
when the first item starts with a capital letter and has three words or more,
and a later one starts with a small letter, the later one reads as the rest of
a sentence (`[CRM, order system]` is two names and passes). The fix is to quote the
sentence, or to write separate entries each as a sentence of its own.

Options: none.

Failing example:

```yaml
journeyctl: 1
id: returns
title: Returning a damaged item
stages:
  - id: contact
    name: Contact support
    steps:
      - id: explains
        action: Explains the damage
        frontstage: [Agent asks for the order number, photos and the story again]
```

Passing example:

```yaml
journeyctl: 1
id: returns
title: Returning a damaged item
stages:
  - id: contact
    name: Contact support
    steps:
      - id: explains
        action: Explains the damage
        frontstage: ["Agent asks for the order number, photos and the story again"]
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap
    from journeyctl.model import Entity

CODE = "JM801"
NAME = "sentence-split-into-list"
SEVERITY: Severity = "warning"
RECOMMENDED = True


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    journey = loaded.journey
    lists: list[tuple[Entity, str, list[str]]] = [(p, "goals", p.goals) for p in journey.personas]
    for stage in journey.stages:
        lists.append((stage, "goals", stage.goals))
        for step in stage.steps:
            lists.extend(
                (step, key, items)
                for key, items in (
                    ("frontstage", step.frontstage),
                    ("backstage", step.backstage),
                    ("support", step.support),
                )
            )
    for entity, key, items in lists:
        if not _reads_as_one_sentence(items):
            continue
        source = loaded.sources.get(entity._file, loaded.source)
        if not source.is_flow_list((*entity._path, key)):
            continue
        sentence = ", ".join(items)
        yield Violation(
            loaded.locate_value(entity, key),
            f"'{key}' is read as {len(items)} items ({_listed(items)}), which look like one "
            "sentence split at its commas",
            hint=f'quote the sentence to make it one item: {key}: ["{sentence}"]; or, if they are '
            "separate items, start each with a capital letter",
        )


def _reads_as_one_sentence(items: list[str]) -> bool:
    # A sentence starts with a capital and has a few words; a later item that starts small
    # continues it. "CRM, order system" is two names, not a sentence.
    if len(items) < 2 or not items[0][:1].isupper() or len(items[0].split()) < 3:
        return False
    return any(item[:1].islower() for item in items[1:])


def _listed(items: list[str]) -> str:
    return ", ".join(f"'{item}'" for item in items)
