"""The values lint produces: a rule's ``Violation`` and the engine's ``Finding``.

Plain dataclasses with no pydantic in sight, so that what only prints or caches
findings (the output formats, the lint cache) starts without importing the
model layer. ``journeyctl.lint.api`` re-exports them for rule authors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from journeyctl.location import Location

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


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
