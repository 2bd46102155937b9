"""What ``journeyctl validate``, ``lint``, ``diff`` and ``render`` do, as plain functions of their parameters.

cli.py declares these commands for typer (options, help, completion, errors)
and calls these with the values typer parsed; entry.py calls them directly
when quickparse.py has read a plain command line, so that a pre-commit or
editor run of one map, git running the diff driver, or an editor's preview
rendering a map, does not import typer (a third of a cached lint).
Either way the same function runs with the same values (tests/test_startup.py
checks both). This module imports nothing heavy: the library is imported by
each function when it runs.

``guarded`` is the one place where an exception becomes an exit code and a
message: 2 for a user's mistake, 3 for a bug, never a traceback unless
``--debug``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from journeyctl.errors import JourneyError, PluginFailure, UsageError
from journeyctl.output import print_error

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

#: Set by ``--debug`` (before or after the command): show the traceback of an internal error.
STATE: dict[str, Any] = {"debug": False}


def max_file_size_option(value: int | None) -> int | None:
    """The file-size cap: the option, else JOURNEYCTL_MAX_FILE_SIZE, else the default."""
    from journeyctl.loader import max_file_size_from_env

    if value is None:
        return max_file_size_from_env()
    if value < 0:
        raise UsageError("--max-file-size must be 0 (no limit) or a positive number of bytes")
    return value or None


def output_option(output: str | None, output_file: str | None) -> str | None:
    """``-o/--output``, or its old spelling ``--output-file`` (hidden, deprecated, still working)."""
    if output_file is None:
        return output
    if output is not None:
        raise UsageError("-o/--output and --output-file are the same option; give it once")
    sys.stderr.write("warning: --output-file is deprecated; use -o/--output (same meaning)\n")
    return output_file


def required_paths(paths: list[str] | None, stdin_filename: str | None, verb: str) -> list[str]:
    """The paths of a command that needs some: ``--stdin-filename`` alone stands for ``-``."""
    if not paths and stdin_filename is None:
        raise UsageError(f"give journey map files or directories to {verb} ('-' reads a map from stdin)")
    return list(paths or [])


def validate(
    *,
    paths: list[str] | None,
    stdin_filename: str | None,
    no_ignore: bool,
    max_file_size: int | None,
    jobs: int | None,
    quiet: bool,
) -> int:
    """``journeyctl validate``: print each error, then a summary; the exit code."""
    from journeyctl.validate import validate_paths

    size = max_file_size_option(max_file_size)
    paths = required_paths(paths, stdin_filename, "validate")
    checked = invalid = errors = 0
    results = validate_paths(
        paths, max_size=size, jobs=jobs, stdin_filename=stdin_filename, respect_gitignore=not no_ignore
    )
    for result in results:
        if result.skipped:
            continue
        checked += 1
        if result.errors:
            invalid += 1
            errors += len(result.errors)
            for error in result.errors:
                print_error(error)
    if checked == 0:
        raise UsageError(
            "no journey map files found in "
            + ", ".join(paths)
            + " (a map is a .yaml/.yml file with a top-level 'journeyctl: 1')"
        )
    if not quiet:
        noun = "file" if checked == 1 else "files"
        if invalid:
            sys.stderr.write(
                f"Found {errors} error{'s' if errors != 1 else ''} in {invalid} of {checked} {noun}.\n"
            )
        else:
            sys.stderr.write(f"All {checked} {noun} valid.\n" if checked > 1 else "1 file valid.\n")
    return EXIT_FINDINGS if invalid else EXIT_OK


def lint(
    *,
    paths: list[str] | None,
    config: str | None,
    isolated: bool,
    preset: str | None,
    select: list[str] | None,
    extend_select: list[str] | None,
    ignore: list[str] | None,
    exclude: list[str] | None,
    output_format: str,
    output: str | None,
    output_file: str | None,
    statistics: bool,
    fail_on: str | None,
    color: str,
    jobs: int | None,
    max_file_size: int | None,
    force_exclude: bool,
    skip_non_maps: bool,
    quiet: bool,
    stdin_filename: str | None,
    no_ignore: bool,
    no_cache: bool,
    cache_dir: str | None,
) -> int:
    """``journeyctl lint``: the report in the chosen format; the exit code."""
    from journeyctl.lint.command import LintOptions, run_lint, split_codes

    options = LintOptions(
        paths=list(paths or ([] if stdin_filename is not None else ["."])),
        config=config,
        isolated=isolated,
        preset=preset,
        select=split_codes(select) if select is not None else None,
        extend_select=split_codes(extend_select),
        ignore=split_codes(ignore),
        exclude=list(exclude or []),
        fail_on=fail_on,
        format=output_format,
        output_file=output_option(output, output_file),
        statistics=statistics,
        color=color,
        jobs=jobs,
        max_size=max_file_size_option(max_file_size),
        force_exclude=force_exclude,
        skip_non_maps=skip_non_maps,
        quiet=quiet,
        stdin_filename=stdin_filename,
        no_ignore=no_ignore,
        cache=not no_cache,
        cache_dir=cache_dir,
    )
    return run_lint(options)


def diff(
    *,
    arguments: list[str] | None,
    forced_paths: int,
    output_format: str,
    fail_on: str,
    output: str | None,
    output_file: str | None,
    color: str,
    git_driver: bool,
    max_file_size: int | None,
) -> int:
    """``journeyctl diff``: the report on stdout or a file; the exit code.

    ``forced_paths`` counts the arguments after ``--``, which are paths whatever they look like.
    """
    from pathlib import Path

    from journeyctl.diff.command import run_diff
    from journeyctl.diff.sources import DiffInputsInvalid
    from journeyctl.terminal import make_console

    target = output_option(output, output_file)
    # Pipes, files and git's pager get one change per line, never wrapped or cut, however long
    # (and with soft wrap rich measures no line for wrapping: 40% of the text report's time);
    # a terminal wraps at its width.
    piped = not sys.stdout.isatty()
    console = make_console(color, emoji=False, soft_wrap=piped)
    if piped:
        console.width = 1_000_000
    try:
        return run_diff(
            arguments or [],
            forced_paths=forced_paths,
            output_format=output_format,
            fail_on=fail_on,
            output_file=None if target in (None, "-") else Path(target),
            git_driver=git_driver,
            max_size=max_file_size_option(max_file_size),
            console=console,
        )
    except DiffInputsInvalid as exc:
        for failure in exc.failures:
            for error in failure.errors:
                print_error(error)
        sys.stderr.write(f"journeyctl diff: {exc.message}\n")
        return EXIT_USAGE


def render(
    *,
    output_format: str,
    paths: list[str] | None,
    output: str | None,
    option: list[str] | None,
    stages: str | None,
    group_by: str,
    stdin_filename: str | None,
    no_ignore: bool,
    max_file_size: int | None,
    jobs: int | None,
    quiet: bool,
) -> int:
    """``journeyctl render``: the pages, images or text written; the exit code."""
    from journeyctl.loader import paused_gc
    from journeyctl.renderers.command import run_render

    extra = [*(option or []), *([f"stages={stages}"] if stages is not None else [])]
    # Loading and rendering make no reference cycles (none is left after rendering a map
    # twenty times), yet between a map's load and its page the collector walked the whole
    # map three times as it aged: 0.18 s of a 500-stage render, 0.8 s of a 2,000-stage one.
    # Paused for the command, it finds next to nothing alive when it resumes.
    with paused_gc():
        return run_render(
            required_paths(paths, stdin_filename, "render"),
            output_format,
            output,
            extra,
            max_size=max_file_size_option(max_file_size),
            jobs=jobs,
            quiet=quiet,
            stdin_filename=stdin_filename,
            respect_gitignore=not no_ignore,
            group_by=group_by,
        )


def guarded(call: Callable[[], int]) -> int:
    """Run a command; its exit code, with every exception it raises turned into a message and a code.

    A report still buffered for stdout is part of the command: its failure (``> /dev/full``) is too.
    """
    from journeyctl.output import flush_stdout, stream_write_error

    try:
        code = call()
        flush_stdout()
        return code
    except JourneyError as error:
        print_error(error)
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader went away (``journeyctl ... | head``): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except PluginFailure as exc:
        if STATE["debug"]:
            import traceback

            traceback.print_exc()
        name = exc.plugin.split(" ")[0]
        sys.stderr.write(
            f"journeyctl: {exc.message}\n"
            f"This is a bug in the plugin {name}, not in journeyctl: please report it to the plugin's "
            f"authors (--debug shows the traceback). Meanwhile --ignore {exc.code} skips the rule.\n"
        )
        return EXIT_INTERNAL
    except Exception as exc:  # an unexpected exception is a bug, not a user's mistake
        written = stream_write_error(exc) if isinstance(exc, OSError) else None
        if written is not None:  # stdout of a command that does not guard its own writes
            print_error(written)
            return EXIT_USAGE
        if STATE["debug"]:
            import traceback

            traceback.print_exc()
        sys.stderr.write(
            f"journeyctl: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in journeyctl; rerun with --debug for the traceback and please report it.\n"
        )
        return EXIT_INTERNAL
