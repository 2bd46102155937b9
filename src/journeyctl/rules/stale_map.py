"""A map nobody has reviewed lately: the journey has changed, the map has not.

Why it matters: products, channels and customers move on; a journey map that
was true a year ago is fiction now, and decisions made from it are wrong in
ways nobody notices. `reviewed` records when the map was last checked against
reality (research, analytics, a walk through the journey). The rule reports a
map with no `reviewed` date, one reviewed more than `max-age-days` ago, and a
date in the future (a typo that would silence the rule for years).

Options:

- `max-age-days` (integer, default `180`): how old a review may be.
- `today` (date, default: the current date): the date to measure against;
  set it to make a CI run reproducible.

Failing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
reviewed: 2019-03-01
stages:
  - { id: checkout, name: Checkout }
```

Passing example:

```yaml
journeyctl: 1
id: first-purchase
title: First purchase
reviewed: 2026-10-01   # checked on 2026-11-25: 55 days old
stages:
  - { id: checkout, name: Checkout }
```
"""

from __future__ import annotations

import datetime
import typing
from collections.abc import Iterator

from journeyctl.lint.api import Field, RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

CODE = "JM504"
NAME = "stale-map"
SEVERITY: Severity = "warning"


def clock() -> datetime.date:
    """Today's date; a module function so tests can replace it."""
    return datetime.date.today()


class Options(RuleOptions):
    """How old a review may be, and the date to measure from."""

    max_age_days: int = Field(180, ge=1, description="How many days old a review may be.")
    today: datetime.date | None = Field(None, description="The date to measure against (default: today).")


def check(loaded: LoadedMap, options: Options) -> Iterator[Violation]:
    journey = loaded.journey
    today = options.today or clock()
    reviewed = journey.reviewed
    if reviewed is None:
        yield Violation(
            loaded.locate(journey),
            f"map '{journey.id}' has no `reviewed` date; review it against reality and record when",
            hint=f"add `reviewed: {today.isoformat()}` after the review",
        )
        return
    age = (today - reviewed).days
    if age > options.max_age_days:
        yield Violation(
            loaded.locate(journey, "reviewed"),
            f"map '{journey.id}' was last reviewed {age} days ago ({reviewed.isoformat()}), more than "
            f"{options.max_age_days}; review it against the journey customers take today",
            hint="walk the journey again, update the map and set `reviewed:` to the review date",
        )
    elif age < 0:
        yield Violation(
            loaded.locate(journey, "reviewed"),
            f"map '{journey.id}' has a `reviewed` date in the future ({reviewed.isoformat()}); "
            "use the date of the last review",
            hint="fix the date: it is probably a typo in the year or month",
        )
