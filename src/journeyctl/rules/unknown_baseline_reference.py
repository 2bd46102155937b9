"""A future-state map names a baseline pain point or stage that the baseline does not have.

Why it matters: `resolves` on an opportunity says which pain points of the
current-state map the change removes, and `dropped-stages` which of its
stages the future map leaves out. They refer into another file, so validation
cannot check them; this rule does, against the baseline map found in the run
or in the repository: each id must exist there (with "did you mean"), and a
resolved pain point must be gone from the future map (if it is still there,
it is not resolved: use `addresses`). A project rule: it sees every map of
the run.

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
  - id: first-bill
    name: First bill
    opportunities:
      - { id: pro-rata, description: Bill pro rata., resolves: [double-charge] }
---
# maps/billing-today.yaml
journeyctl: 1
id: billing-today
title: Billing today
stages:
  - id: first-bill
    name: First bill
    pain-points:
      - { id: double-charged, description: Both homes are billed for the same days. }
```

Passing example:

```yaml
# maps/billing-future.yaml
journeyctl: 1
id: billing-future
title: Billing, as we want it
state: future
baseline: billing-today
stages:
  - id: first-bill
    name: First bill
    opportunities:
      - { id: pro-rata, description: Bill pro rata., resolves: [double-charged] }
---
# maps/billing-today.yaml
journeyctl: 1
id: billing-today
title: Billing today
stages:
  - id: first-bill
    name: First bill
    pain-points:
      - { id: double-charged, description: Both homes are billed for the same days. }
```
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Iterator

from journeyctl.lint.api import RuleOptions, Severity, Violation

if typing.TYPE_CHECKING:
    from journeyctl.lint.project import Project

CODE = "JM905"
NAME = "unknown-baseline-reference"
SEVERITY: Severity = "error"
SCOPE = "project"


class Options(RuleOptions):
    """No options."""


def _suggest(ident: str, known: list[str]) -> str:
    close = difflib.get_close_matches(ident, known, n=1)
    if close:
        return f" (did you mean '{close[0]}'?)"
    shown = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
    return f"; it has: {shown}" if known else ""


def check(project: Project, options: Options) -> Iterator[Violation]:
    for facts in project.maps:
        if facts.state != "future" or facts.baseline is None or facts.baseline.ident == facts.ident:
            continue
        if not facts.resolves and not facts.dropped_stages:
            continue
        baseline = project.find_map(facts.baseline.ident, facts)
        if baseline is None:
            continue  # invalid-baseline reports it
        pain_points = sorted(baseline.pain_points)
        still_here = set(facts.pain_points)
        for ref in facts.resolves:
            if ref.ident not in baseline.pain_points:
                yield Violation(
                    ref.location,
                    f"baseline '{baseline.ident}' has no pain point '{ref.ident}'"
                    + _suggest(ref.ident, pain_points),
                    hint="`resolves` takes ids of the baseline's pain points",
                )
            elif ref.ident in still_here:
                yield Violation(
                    ref.location,
                    f"pain point '{ref.ident}' is resolved here but still in this map; "
                    "a resolved pain point is gone from the future map",
                    hint=f"remove pain point '{ref.ident}' here, or use `addresses` for one that remains",
                )
        stages = sorted(stage.ident for stage in baseline.stages)
        for ref in facts.dropped_stages:
            if ref.ident not in stages:
                yield Violation(
                    ref.location,
                    f"baseline '{baseline.ident}' has no stage '{ref.ident}'{_suggest(ref.ident, stages)}",
                    hint="`dropped-stages` takes ids of the baseline's stages",
                )
            elif ref.ident in {stage.ident for stage in facts.stages}:
                yield Violation(
                    ref.location,
                    f"stage '{ref.ident}' is listed in `dropped-stages` but this map still has it",
                    hint=f"remove '{ref.ident}' from `dropped-stages`, or the stage from this map",
                )
