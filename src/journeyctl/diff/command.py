"""What ``journeyctl diff`` does, between parsing options (``cli.py``) and printing.

Exit codes: 0 when nothing the ``--fail-on`` policy counts changed, 1 when it
did, 2 for usage and input errors (raised as ``JourneyError``).
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from journeyctl.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from journeyctl.diff.compare import DiffReport
    from journeyctl.diff.sources import Plan

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
    """A console writing plain text (no colour, wide lines) into ``buffer``, for -o/--output."""
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
    from journeyctl.output import inspect_output, stdout_errors, write_output, write_stdout

    output_format = canonical_format(output_format)
    fail_on = check_fail_on(fail_on)
    if git_driver:
        from journeyctl.diff.driver import run_driver

        text = run_driver(arguments, console, output_format, max_size)
        if text is not None:
            write_stdout(text.encode("utf-8"))
        return 0
    from journeyctl.diff.sources import build_report, plan_from_arguments

    target = None if output_file is None or str(output_file) == "-" else str(output_file)
    plan = plan_from_arguments(arguments, forced_paths)
    if target is not None:
        # Before any map is loaded: an input, directory, link or read-only file in the way.
        refuse_work_tree_inputs(target, plan)
        inspect_output(target)
    report = build_report(plan, max_size)
    if output_format == "text":
        if target is None:
            with stdout_errors():
                render_text(report, console)
                console.file.flush()
        else:
            buffer = io.StringIO()
            render_text(report, file_console(buffer))
            write_output(target, buffer.getvalue().encode("utf-8"))
    else:
        data = RENDERERS[output_format](report).encode("utf-8")
        if target is None:
            write_stdout(data)
        else:
            write_output(target, data)
    return exit_code(report, fail_on)


def refuse_work_tree_inputs(target: str, plan: Plan) -> None:
    """OutputError when ``-o`` is a file the diff reads from disk (either file, or a work-tree map).

    Sides read from a revision are git blobs, which no output can overwrite;
    shared files a map includes are protected by ``write_output`` itself, which
    never writes over a journey map or shared file.
    """
    from journeyctl.output import refuse_inputs

    on_disk = [
        side.path
        for pair in plan.pairs
        for side in (pair.old, pair.new)
        if side is not None and not side.revision
    ]
    refuse_inputs([target], on_disk)
