"""A text value that is only `yes`, `no`, `on` or `off`, written without quotes (or `!!str`).

Why it matters: journeyctl reads YAML 1.2, where `yes`, `no`, `on` and `off`
are text. YAML 1.1 readers (PyYAML's `safe_load`, many CI scripts and older
editors) read them as true and false, so `feeling: no` is the text "no" in
journeyctl's renders and `false` in a script that reads the same file. A
value that is only such a word is rarely meant as text; when it is, quotes
(or a `!!str` tag) make every reader agree. Fields that take true or false (`moment-of-truth`)
refuse these words with a hint to write `true` or `false`.

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
      - id: waits
        action: Waits for an answer
        feeling: no
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
      - id: waits
        action: Waits for an answer
        feeling: "no"
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation
from journeyctl.model.common import key_values
from journeyctl.yamlsource import YAML11_BOOLEANS

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap
    from journeyctl.model import Entity

CODE = "JM802"
NAME = "unquoted-yes-no"
SEVERITY: Severity = "info"
RECOMMENDED = True

#: The words YAML 1.1 reads as booleans and YAML 1.2 as text (y and n too, in 1.1's spec).
_WORDS = YAML11_BOOLEANS


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    # The parser noted whether any plain value is such a word: most maps have none, and are
    # spared dumping every entity (a third of the rules' time on a typical map).
    if not any(source.yaml11_booleans for source in (loaded.source, *loaded.sources.values())):
        return
    for entity in _entities(loaded):
        source = loaded.sources.get(entity._file, loaded.source)
        for key, value in key_values(entity):
            # No default of the format is such a word, so every one found was written.
            if not isinstance(value, str) or value not in _WORDS:
                continue
            if not source.is_plain((*entity._path, key)):
                continue  # quoted, or tagged `!!str`: text to every reader
            yield Violation(
                loaded.locate_value(entity, key),
                f"'{key}: {value}' is the text '{value}' to journeyctl (YAML 1.2), but "
                f"{'true' if value.lower() in ('yes', 'on', 'y') else 'false'} to YAML 1.1 readers",
                hint=f'put it in quotes if it is text ({key}: "{value}"), or write what it stands for',
            )


def _entities(loaded: LoadedMap) -> Iterator[Entity]:
    journey = loaded.journey
    yield journey
    yield from journey.personas
    yield from journey.channels
    for stage in journey.stages:
        yield stage
        yield from stage.touchpoints
        yield from stage.steps
        yield from stage.pain_points
        yield from stage.opportunities
        yield from stage.metrics
