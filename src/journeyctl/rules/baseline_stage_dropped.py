"""A future-state map leaves out a stage of its baseline without saying so.

Why it matters: a future map keeps the ids of the baseline's stages so that
`journeyctl diff` lines them up. A stage that is simply missing reads as "this
part of the journey disappears", which is a claim: the new service removes it
(say so in `dropped-stages`), or it was forgotten, or it was renamed and
lost its id (keep the id). Checked when the baseline is found (in the run or
in the repository). A project rule: it sees every map of the run.

Options: none.

Failing example:

```yaml
# maps/billing-future.yaml
journeyctl: 1
id: billing-future
title: Billing, as we want it
state: future
baseline: billing-today
stages:
  - { id: first-bill, name: First bill }
---
# maps/billing-today.yaml
journeyctl: 1
id: billing-today
title: Billing today
stages:
  - { id: first-bill, name: First bill }
  - { id: dispute, name: Dispute the bill }
```

Passing example:

```yaml
# maps/billing-future.yaml
journeyctl: 1
id: billing-future
title: Billing, as we want it
state: future
baseline: billing-today
dropped-stages: [dispute]
stages:
  - { id: first-bill, name: First bill }
---
# maps/billing-today.yaml
journeyctl: 1
id: billing-today
title: Billing today
stages:
  - { id: first-bill, name: First bill }
  - { id: dispute, name: Dispute the bill }
```
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.lint.project import Project

CODE = "JM904"
NAME = "baseline-stage-dropped"
SEVERITY: Severity = "warning"
SCOPE = "project"


class Options(RuleOptions):
    """No options."""


def check(project: Project, options: Options) -> Iterator[Violation]:
    for facts in project.maps:
        if facts.state != "future" or facts.baseline is None or facts.baseline.ident == facts.ident:
            continue
        baseline = project.find_map(facts.baseline.ident, facts)
        if baseline is None:
            continue
        kept = {stage.ident for stage in facts.stages} | {ref.ident for ref in facts.dropped_stages}
        for stage in baseline.stages:
            if stage.ident in kept:
                continue
            yield Violation(
                facts.stages_location,
                f"baseline '{baseline.ident}' has stage '{stage.ident}' ({stage.name}), which this future "
                "map neither keeps nor drops on purpose",
                hint=f"keep the stage with `id: {stage.ident}`, or list it in `dropped-stages`",
            )
