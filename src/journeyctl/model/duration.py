"""Durations in the format: one human notation ("10m", "2h", "3d", "2w", "1h30m", "2-5d"), parsed and summed.

Why not ISO 8601: its durations (``PT10M``, ``P3D``) are exact but read badly
in a map written by hand, and ``P1M`` (a month) versus ``PT1M`` (a minute) is a
trap. The notation here is the one people already write in sticky notes and
tickets: whole numbers followed by ``w`` (week, 7 days), ``d`` (day, 24 hours,
calendar time), ``h`` (hour), ``m`` (minute) or ``s`` (second), largest unit
first, optionally combined without spaces (``1h30m``, ``1d12h``), or a range (``2-5d``,
``1h-1d``) when the honest answer is "it depends". Months and years are left
out on purpose: their length varies, so they cannot be summed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterable

    from journeyctl.model.journey import Stage

#: Seconds in one of each unit.
UNIT_SECONDS = {"w": 7 * 24 * 3600, "d": 24 * 3600, "h": 3600, "m": 60, "s": 1}

# The lookahead makes an amount start with a digit, so it is never empty; the units' order is fixed.
_AMOUNT = r"(?=[0-9])(?:[0-9]+w)?(?:[0-9]+d)?(?:[0-9]+h)?(?:[0-9]+m)?(?:[0-9]+s)?"
#: One amount, a range of two amounts, or a short range ``2-5d`` (both ends in one unit).
DURATION_PATTERN = rf"^(?:[0-9]+-[0-9]+[wdhms]|{_AMOUNT}(?:-{_AMOUNT})?)$"
_PART = re.compile(r"([0-9]+)([wdhms])")
_SHORT_RANGE = re.compile(r"([0-9]+)-([0-9]+)([wdhms])")
_AMOUNT_RE = re.compile(_AMOUNT)

DURATION_EXAMPLES = ("10m", "2h", "3d", "2w", "1h30m", "2-5d")


class Duration(NamedTuple):
    """A duration in seconds: ``low == high`` for one value, ``low < high`` for a range."""

    low: int
    high: int

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    def __add__(self, other: object) -> Duration:
        if not isinstance(other, Duration):
            return NotImplemented
        return Duration(self.low + other.low, self.high + other.high)

    def __str__(self) -> str:
        return format_duration(self)


ZERO = Duration(0, 0)


class DurationError(ValueError):
    """The text is not a duration; the message says how to write one."""


def _amount(text: str) -> int | None:
    if _AMOUNT_RE.fullmatch(text) is None:
        return None
    total = 0
    for number, unit in _PART.findall(text):
        total += int(number) * UNIT_SECONDS[unit]
    return total


def parse_duration(text: str) -> Duration:
    """``"1h30m"`` -> ``Duration(5400, 5400)``; ``"2-5d"`` -> a range; DurationError otherwise."""
    short = _SHORT_RANGE.fullmatch(text)
    if short is not None:
        low, high, unit = short.groups()
        bounds = (int(low) * UNIT_SECONDS[unit], int(high) * UNIT_SECONDS[unit])
    else:
        parts = text.split("-")
        amounts = [_amount(part) for part in parts] if len(parts) <= 2 else [None]
        if any(amount is None for amount in amounts):
            raise DurationError(
                f"'{text}' is not a duration: write whole numbers with w (weeks), d (days), "
                "h (hours), m (minutes) or s (seconds), largest first and without spaces, such as "
                "10m, 2h, 3d, 2w or 1h30m, or a range such as 2-5d"
            )
        values = [amount for amount in amounts if amount is not None]
        bounds = (values[0], values[-1])
    if bounds[0] > bounds[1]:
        raise DurationError(
            f"'{text}' is a range whose start is longer than its end; write it shortest first"
        )
    return Duration(*bounds)


def is_duration(text: str) -> bool:
    try:
        parse_duration(text)
    except DurationError:
        return False
    return True


def _format_seconds(seconds: int) -> str:
    if seconds == 0:
        return "0m"
    parts = []
    for unit, size in UNIT_SECONDS.items():
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def format_duration(duration: Duration) -> str:
    """The notation back: ``Duration(5400, 5400)`` -> ``"1h30m"``, a range -> ``"2d-5d"``."""
    if not duration.is_range:
        return _format_seconds(duration.low)
    return f"{_format_seconds(duration.low)}-{_format_seconds(duration.high)}"


def total(durations: Iterable[Duration]) -> Duration:
    result = ZERO
    for duration in durations:
        result = result + duration
    return result


class StageTime(NamedTuple):
    """How long a stage takes on its main line: the sums of its steps' ``duration`` and ``wait``.

    Only main-line steps count (a branch is not taken by every customer, so
    adding it would overstate the stage). ``timed`` of ``steps`` main-line
    steps give a duration or a wait; when ``timed < steps`` the sums are a
    lower bound, and renderers should say so ("at least 2h").
    """

    duration: Duration
    wait: Duration
    timed: int
    steps: int

    @property
    def elapsed(self) -> Duration:
        """Doing plus waiting."""
        return self.duration + self.wait

    @property
    def complete(self) -> bool:
        """Every main-line step is timed, so the sums are the stage's whole time."""
        return self.timed == self.steps

    @property
    def known(self) -> bool:
        return self.timed > 0


def stage_time(stage: Stage) -> StageTime:
    """The summed main-line time of a stage (see ``StageTime``)."""
    durations: list[Duration] = []
    waits: list[Duration] = []
    timed = 0
    main = [step for step in stage.steps if step.kind == "main"]
    for step in main:
        if step.duration is not None:
            durations.append(parse_duration(step.duration))
        if step.wait is not None:
            waits.append(parse_duration(step.wait))
        if step.duration is not None or step.wait is not None:
            timed += 1
    return StageTime(total(durations), total(waits), timed, len(main))
