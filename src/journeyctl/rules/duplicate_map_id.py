"""Two files hold maps with the same `id`: links, diffs and baselines cannot tell them apart.

Why it matters: a map's `id` is how other maps (`baseline`), the site's pages
and `journeyctl diff` find it. Two files with one id are an error nobody sees
file by file: each is valid on its own. The second file and any later one (in
the order the run walks them) are reported, naming the first. A project
rule: it sees every map of the run.

Options: none.

Failing example:

```yaml
# maps/checkout.yaml
journeyctl: 1
id: checkout
title: Checkout
stages:
  - { id: pay, name: Pay }
---
# maps/checkout-copy.yaml
journeyctl: 1
id: checkout
title: Checkout (copy for the workshop)
stages:
  - { id: pay, name: Pay }
```

Passing example:

```yaml
# maps/checkout.yaml
journeyctl: 1
id: checkout
title: Checkout
stages:
  - { id: pay, name: Pay }
---
# maps/checkout-workshop.yaml
journeyctl: 1
id: checkout-workshop
title: Checkout (copy for the workshop)
stages:
  - { id: pay, name: Pay }
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.lint.project import MapFacts, Project

CODE = "JM902"
NAME = "duplicate-map-id"
SEVERITY: Severity = "error"
SCOPE = "project"


class Options(RuleOptions):
    """No options."""


def check(project: Project, options: Options) -> Iterator[Violation]:
    first: dict[str, MapFacts] = {}
    for facts in project.maps:
        earlier = first.setdefault(facts.ident, facts)
        if earlier is facts:
            continue
        where = earlier.id_location
        yield Violation(
            facts.id_location,
            f"map id '{facts.ident}' is already the id of {where.path}:{where.line}; "
            "map ids must be unique across files",
            hint="give this map an id of its own (its file name is a good choice)",
        )
