"""What a lint rule works with: the values it yields and the base of its options.

A rule is a module in ``journeyctl.rules`` (or a third party's module named by
the ``journeyctl.rules`` entry-point group) with:

* ``CODE`` — stable code such as ``"JM101"`` (never reused once retired);
* ``NAME`` — kebab-case name such as ``"stage-without-touchpoints"``;
* ``SEVERITY`` — default ``"error"``, ``"warning"`` or ``"info"``;
* ``Options`` — a ``RuleOptions`` subclass (may have no fields);
* ``check(loaded, options)`` — yields ``Violation`` values;
* a module docstring: summary line, why it matters, options, and a failing and
  a passing example (fenced ``yaml`` blocks under "Failing" and "Passing").
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

# The values are defined without pydantic (see findings.py) and re-exported here,
# where rule authors look for them.
from journeyctl.lint.findings import SEVERITIES, Finding, Severity, Violation

__all__ = ["SEVERITIES", "Finding", "RuleOptions", "Severity", "Violation"]


class RuleOptions(BaseModel):
    """Base of every rule's options: unknown options are configuration errors."""

    model_config = ConfigDict(
        extra="forbid",
        alias_generator=lambda n: n.replace("_", "-"),
        validate_by_alias=True,
        validate_by_name=True,
        # Numbers are numbers, as in maps: max-age-days: "90" is refused with "remove the quotes".
        strict=True,
        # Build validators only for options someone configures: rules with
        # default options are created with model_construct, saving start-up time.
        defer_build=True,
    )
