"""What ``journeyctl fmt`` does behind the thin typer command: find, check, format, report, write.

Each file is read, validated with the project loader (a file that does not
validate is left untouched and its errors are printed), formatted by
``journeyctl.fmt.format_text`` (which proves the data unchanged), and then,
unless ``--check`` or ``--diff`` asks only to look, written back atomically.
Exit codes: 0 nothing to do or all formatted, 1 ``--check``/``--diff`` found
files to reformat, 2 invalid files or usage errors, 3 the formatter's own
safety check failed (a bug; the file is left as it was).
"""

from __future__ import annotations

import difflib
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

from journeyctl.errors import JourneyError, MapInvalid, UsageError
from journeyctl.pool import parallel_map
from journeyctl.walk import Candidate, batch_gc, discover

EXIT_OK = 0
EXIT_CHANGES = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


@dataclass
class FormatResult:
    """One file's outcome: skipped (not a map), its errors, a formatter bug, or its texts."""

    path: str
    skipped: bool = False
    errors: list[JourneyError] = field(default_factory=list)
    bug: str | None = None
    original: str = ""
    formatted: str = ""

    @property
    def changed(self) -> bool:
        return not self.skipped and not self.errors and self.bug is None and self.formatted != self.original


def format_candidate(candidate: Candidate, max_size: int | None, skip_non_maps: bool) -> FormatResult:
    """Validate and format one file (nothing is written here)."""
    from journeyctl.fmt import FormatterBug, format_text
    from journeyctl.loader import is_shared_file, load_bytes, load_shared_bytes
    from journeyctl.yamlsource import decode

    path = candidate.path
    try:
        skip_others = not candidate.explicit or skip_non_maps
        data = candidate.read(max_size=max_size, skip_others=skip_others)
        if data is None:
            return FormatResult(path, skipped=True)
        if is_shared_file(data) and b"\njourneyctl:" not in b"\n" + data:
            load_shared_bytes(data, path, max_size=max_size)
        else:
            load_bytes(data, path, max_size=max_size)
        text = decode(data, path)
        formatted = format_text(text, path=path)
    except MapInvalid as exc:
        return FormatResult(path, errors=exc.errors)
    except JourneyError as exc:
        return FormatResult(path, errors=[exc])
    except FormatterBug as exc:
        return FormatResult(path, bug=str(exc))
    # Byte for byte: a BOM or CRLF line ends are layout too, and the formatter drops them.
    original = data.decode("utf-8")
    return FormatResult(path, original=original, formatted=formatted)


class _Formatter:
    """Picklable callable for the process pool."""

    def __init__(self, max_size: int | None, skip_non_maps: bool) -> None:
        self.max_size = max_size
        self.skip_non_maps = skip_non_maps

    def __call__(self, candidate: Candidate) -> FormatResult:
        return format_candidate(candidate, self.max_size, self.skip_non_maps)


def _path(candidate: Candidate) -> str:
    return candidate.path


def unified_diff(result: FormatResult) -> str:
    """The change fmt would make to one file, as a unified diff (``patch -p0`` applies it)."""
    lines = difflib.unified_diff(
        result.original.splitlines(keepends=True),
        result.formatted.splitlines(keepends=True),
        fromfile=result.path,
        tofile=result.path,
    )
    text = ""
    for line in lines:
        text += line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
    return text


def run_fmt(
    paths: Sequence[str],
    *,
    check: bool = False,
    diff: bool = False,
    max_size: int | None = None,
    jobs: int | None = None,
    skip_non_maps: bool = False,
    quiet: bool = False,
    stdin_filename: str | None = None,
    respect_gitignore: bool = True,
) -> int:
    """Format ``paths`` (or, with ``check``/``diff``, only say what would change); the exit code.

    Standard input (``-``) is formatted to standard output, never to a file; with
    ``check`` or ``diff`` it is only looked at, as files are.
    """
    from journeyctl.output import print_error, write_atomic, write_stdout

    if not paths and stdin_filename is None:
        raise UsageError("give journey map files or directories to format ('-' for standard input)")
    candidates = discover(paths, stdin_filename=stdin_filename, respect_gitignore=respect_gitignore)
    from_stdin = len(candidates) == 1 and candidates[0].data is not None
    with batch_gc():
        results = list(parallel_map(_Formatter(max_size, skip_non_maps), candidates, jobs, describe=_path))
    checked = [result for result in results if not result.skipped]
    if not checked and not skip_non_maps:
        raise UsageError(
            "no journey map files found in "
            + ", ".join(paths)
            + " (a map is a .yaml/.yml file with a top-level 'journeyctl: 1')"
        )
    invalid = [result for result in checked if result.errors]
    bugs = [result for result in checked if result.bug is not None]
    changed = [result for result in checked if result.changed]
    for result in invalid:
        for error in result.errors:
            print_error(error)
    for result in bugs:
        sys.stderr.write(
            f"{result.path}: internal error: {result.bug}\n"
            "This is a bug in journeyctl fmt; please report it with the file.\n"
        )
    looking = check or diff
    if from_stdin and not looking:
        # The map is the output (an editor replaces its buffer with it): formatted, or as it
        # came when it is not a map; nothing when it has errors, so the buffer is kept.
        result = results[0]
        text = candidates[0].data if result.skipped else None
        if not result.skipped and not result.errors and result.bug is None:
            text = result.formatted.encode("utf-8")
        if text is not None:
            write_stdout(text)
        quiet = True
    for result in changed:
        if diff:
            sys.stdout.write(unified_diff(result))
        elif check:
            sys.stdout.write(f"Would reformat: {result.path}\n")
        elif not from_stdin:
            write_atomic(result.path, result.formatted.encode("utf-8"))
    if not quiet:
        sys.stderr.write(
            _summary(len(changed), len(checked) - len(changed), len(invalid) + len(bugs), looking)
        )
    if bugs:
        return EXIT_INTERNAL
    if invalid:
        return EXIT_USAGE
    return EXIT_CHANGES if looking and changed else EXIT_OK


def _summary(changed: int, unchanged: int, failed: int, looking: bool) -> str:
    def files(count: int) -> str:
        return f"{count} file{'s' if count != 1 else ''}"

    unchanged -= failed
    parts = []
    if changed:
        parts.append(f"{files(changed)} {'would be reformatted' if looking else 'reformatted'}")
    if unchanged:
        parts.append(f"{files(unchanged)} {'already formatted' if looking else 'left unchanged'}")
    if failed:
        parts.append(f"{files(failed)} not formatted (errors above)")
    return (", ".join(parts) or "No journey map files") + ".\n"
