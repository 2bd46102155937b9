"""A channel that no touchpoint is on: defined in the map, never used.

Why it matters: the channel list is read as "where we meet this customer".
A channel with no touchpoint claims a presence the journey does not show,
and skews any count of how omnichannel the journey is. Channels that come
from a shared file (`include`) are not checked: a shared file serves many
maps, and each uses only some of its channels.

Options: none.

Failing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
channels:
  - { id: web, name: Web shop, kind: web }
  - { id: store, name: Store, kind: physical }
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
      - { id: checkout-page, name: Checkout page, channel: web }
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation
from journeyctl.rules._common import is_local

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM402"
NAME = "unused-channel"
SEVERITY: Severity = "warning"


class Options(RuleOptions):
    """No options."""


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    journey = loaded.journey
    used = {touchpoint.channel for _, touchpoint in journey.iter_touchpoints()}
    for channel in journey.channels:
        if channel.id not in used and is_local(loaded, channel):
            yield Violation(
                loaded.locate(channel),
                f"channel '{channel.id}' has no touchpoint; add the touchpoints on it, or remove it",
                hint=f"add a touchpoint with `channel: {channel.id}`",
            )
