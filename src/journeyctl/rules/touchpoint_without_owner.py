"""A touchpoint with no owner: nobody answers for what the customer meets there.

Why it matters: touchpoints are where pain points happen and where fixes
land. Without an owner team, a pain point on the touchpoint has nobody to go
to, and changes to it go unreviewed. One rule per kind of entity (see
`pain-point-without-owner`) so each can be configured on its own.
Touchpoints that nobody in the organisation runs on purpose (`ownership:
earned`, such as word of mouth or a review site, or `ownership: third-party`,
such as a partner's service) are left alone.

Options: none.

Failing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
channels:
  - { id: web, name: Web shop, kind: web }
stages:
  - id: checkout
    name: Checkout
    touchpoints:
      - { id: checkout-page, name: Checkout page, channel: web }
```

Passing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
channels:
  - { id: web, name: Web shop, kind: web }
stages:
  - id: checkout
    name: Checkout
    touchpoints:
      - { id: checkout-page, name: Checkout page, channel: web, owner: web-team }
      - { id: friends-tips, name: Tips from friends, channel: web, ownership: earned }
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM503"
NAME = "touchpoint-without-owner"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    for _, touchpoint in loaded.journey.iter_touchpoints():
        if not touchpoint.owner and touchpoint.needs_owner:
            yield Violation(
                loaded.locate(touchpoint),
                f"touchpoint '{touchpoint.id}' has no owner; name the team that runs it",
                hint="add `owner: <team>`",
            )
