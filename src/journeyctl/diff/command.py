"""What ``journeyctl diff`` does, between parsing options (``cli.py``) and printing.

Exit codes: 0 when nothing the ``--fail-on`` policy counts changed, 1 when it
did, 2 for usage and input errors (raised as ``JourneyError``).
"""

from __future__ import annotations

import difflib
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from journeyctl.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from journeyctl.diff.compare import DiffReport

#: ``--fail-on`` values: which changes make the exit code 1.
FAIL_ON = ("regression", "any", "never")
DEFAULT_FAIL_ON = "regression"


def canonical_format(name: str) -> str:
    """``md`` -> ``markdown``; an unknown name is a UsageError with a suggestion."""
    from journeyctl.diff.formats import FORMAT_NAMES

    lowered = name.lower()
    if lowered in FORMAT_NAMES:
        return FORMAT_NAMES[lowered]
    message = f"unknown --format '{name}'; choose text, markdown (md) or json"
    close = difflib.get_close_matches(lowered, list(FORMAT_NAMES), n=1)
    if close:
        message += f" (did you mean '{close[0]}'?)"
    raise UsageError(message)


def check_fail_on(value: str) -> str:
    if value not in FAIL_ON:
        message = f"unknown --fail-on '{value}'; choose regression, any or never"
        close = difflib.get_close_matches(value, FAIL_ON, n=1)
        if close:
            message += f" (did you mean '{close[0]}'?)"
        raise UsageError(message)
    return value


def exit_code(report: DiffReport, fail_on: str) -> int:
    """1 when the report holds what ``fail_on`` counts, else 0."""
    if fail_on == "never":
        return 0
    if fail_on == "any":
        return 1 if report.changed else 0
    return 1 if report.counts()["regression"] else 0


def file_console(buffer: io.StringIO) -> Console:
    """A console writing plain text (no colour, wide lines) into ``buffer``, for --output-file."""
    from rich.console import Console

    return Console(file=buffer, color_system=None, width=1000, highlight=False, emoji=False)


def run_diff(
    arguments: Sequence[str],
    *,
    forced_paths: int,
    output_format: str,
    fail_on: str,
    output_file: Path | None,
    git_driver: bool,
    max_size: int | None,
    console: Console,
) -> int:
    """Compare, print or write the report, and return the exit code."""
    from journeyctl.diff.formats import RENDERERS, render_text
    from journeyctl.output import write_atomic

    output_format = canonical_format(output_format)
    fail_on = check_fail_on(fail_on)
    if git_driver:
        from journeyctl.diff.driver import run_driver

        text = run_driver(arguments, console, output_format, max_size)
        if text is not None:
            sys.stdout.write(text)
        return 0
    from journeyctl.diff.sources import build_report, plan_from_arguments

    plan = plan_from_arguments(arguments, forced_paths)
    report = build_report(plan, max_size)
    if output_format == "text":
        if output_file is None:
            render_text(report, console)
        else:
            buffer = io.StringIO()
            render_text(report, file_console(buffer))
            write_atomic(output_file, buffer.getvalue().encode("utf-8"))
    else:
        text = RENDERERS[output_format](report)
        if output_file is None:
            sys.stdout.write(text)
        else:
            write_atomic(output_file, text.encode("utf-8"))
    return exit_code(report, fail_on)
