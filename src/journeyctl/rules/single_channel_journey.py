"""A journey on fewer channels than customers use: the map may show only the part one team sees.

Why it matters: customers move between web, app, phone, store and email
within one journey, and most of them use three or more channels along the
way. A map whose touchpoints sit on one or two channels is often drawn from a
single team's point of view and misses where the customer goes next. This is
advice (severity info), not a defect: some journeys really are single-channel.
Channels are counted from the touchpoints, so a channel defined but unused
does not count.

Options:

- `min-channels` (integer, default `3`): the fewest distinct channels a
  journey's touchpoints should be on.

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
  - { id: email, name: Email, kind: email }
  - { id: store, name: Store, kind: physical }
stages:
  - id: checkout
    name: Checkout
    touchpoints:
      - { id: checkout-page, name: Checkout page, channel: web }
      - { id: confirmation, name: Order confirmation, channel: email }
      - { id: pickup, name: Pick-up counter, channel: store }
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import Field, RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM701"
NAME = "single-channel-journey"
SEVERITY: Severity = "info"


class Options(RuleOptions):
    """How many channels a journey should use."""

    min_channels: int = Field(
        3, ge=2, description="The fewest distinct channels the touchpoints should be on."
    )


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    journey = loaded.journey
    used = sorted({touchpoint.channel for _, touchpoint in journey.iter_touchpoints()})
    if len(used) >= options.min_channels:
        return
    if used:
        where = f"on {len(used)} channel{'' if len(used) == 1 else 's'} ({', '.join(used)})"
    else:
        where = "on no channel (it has no touchpoints)"
    yield Violation(
        loaded.locate(journey, "channels"),
        f"journey '{journey.id}' meets the customer {where}; customers typically use "
        f"{options.min_channels} or more, so map where else they go",
        hint="add the touchpoints on other channels (email, phone, store, app...) the customer meets",
    )
