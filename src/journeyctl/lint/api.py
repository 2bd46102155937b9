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

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from journeyctl.location import Location

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


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


@dataclass(frozen=True)
class Violation:
    """What a rule reports: where, what, and optionally how to fix it."""

    location: Location
    message: str
    hint: str | None = None


@dataclass(frozen=True, order=True)
class Finding:
    """A violation with its rule's identity and the configured severity; sorts by position."""

    location: Location
    code: str
    name: str
    severity: Severity
    message: str
    hint: str | None = None
