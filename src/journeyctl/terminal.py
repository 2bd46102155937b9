"""Colour on the terminal: one decision for every command that colours (lint, rules, diff).

``--color always`` / ``never`` decide outright. ``auto`` (the default) colours a
terminal, unless ``NO_COLOR`` is set (https://no-color.org: no styling codes at
all, and it wins over ``FORCE_COLOR``); ``FORCE_COLOR`` colours a pipe or a file
too. Consoles are made per run, never at import, so the environment of the run
is the one honoured.
"""

from __future__ import annotations

import os
from typing import Any

from journeyctl.errors import UsageError

COLOR_CHOICES = ("auto", "always", "never")


def check_color(color: str) -> str:
    """``color`` if it is auto, always or never; a UsageError otherwise."""
    if color not in COLOR_CHOICES:
        raise UsageError(f"--color must be auto, always or never, not {color!r}")
    return color


def wants_color(color: str, stream: Any) -> bool:
    """Whether to colour ``stream``: ``--color`` wins, then NO_COLOR, FORCE_COLOR, a terminal.

    Decided without rich, so that uncoloured runs (CI, pipes, files) never import it.
    """
    if check_color(color) != "auto":
        return color == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def make_console(color: str, *, stderr: bool = False, **settings: Any) -> Any:
    """A rich console for this run: ``--color`` wins, else NO_COLOR / FORCE_COLOR / the terminal."""
    from rich.console import Console

    kwargs: dict[str, Any] = {"stderr": stderr, "highlight": False, "soft_wrap": True, **settings}
    if check_color(color) == "always":
        kwargs["force_terminal"] = True
        kwargs["no_color"] = False
        kwargs["color_system"] = "standard"
    elif color == "never" or os.environ.get("NO_COLOR"):
        # rich alone would drop the colours but keep bold and underline: NO_COLOR means no codes at all.
        kwargs["color_system"] = None
    return Console(**kwargs)
