"""Source locations: where in which file something is, 1-based."""

from __future__ import annotations

from typing import NamedTuple

from journeyctl.display import show_path


class Location(NamedTuple):
    """A position in a file; sorts by path, then line, then column."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        """``path:line:col`` for messages; a path that would break the line is quoted with escapes."""
        path = show_path(self.path)
        if self.line <= 0:
            return path
        return f"{path}:{self.line}:{self.col}"
