"""Source locations: where in which file something is, 1-based."""

from __future__ import annotations

from typing import NamedTuple


class Location(NamedTuple):
    """A position in a file; sorts by path, then line, then column."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.col}"
