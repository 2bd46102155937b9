"""git's external diff protocol: ``git diff`` on journey maps shows the semantic diff.

With ``diff.journeyctl.command = journeyctl diff --git-driver`` and a
``.gitattributes`` line such as ``examples/*.yaml diff=journeyctl``, git runs
the driver once per changed file with seven arguments::

    path old-file old-hex old-mode new-file new-hex new-mode

(nine for a rename: the new path and git's similarity header follow), where
``/dev/null`` stands for the missing side of an added or deleted file. The
driver always exits 0, because git stops the whole diff at a driver that
fails; a file that is not a journey map, or does not load, is shown as a plain
unified diff after its errors.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from journeyctl.display import one_line, show_path
from journeyctl.errors import MapInvalid, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from journeyctl.diff.compare import DiffReport
    from journeyctl.model import Journey

NULL = "/dev/null"


def _read(file: str) -> bytes | None:
    from journeyctl.loader import read_file

    return None if file == NULL else read_file(file)


def _is_map(data: bytes | None) -> bool:
    return data is not None and b"\njourneyctl:" in b"\n" + data


def driver_report(arguments: Sequence[str], max_size: int | None) -> tuple[DiffReport | None, str]:
    """The report for one file git hands over, or ``None`` and the plain-text fallback."""
    from journeyctl.diff.compare import DiffReport, diff_maps
    from journeyctl.loader import load_bytes

    if len(arguments) not in (7, 9):
        raise UsageError(
            "--git-driver takes the 7 arguments git passes to an external diff "
            "(path old-file old-hex old-mode new-file new-hex new-mode); got "
            f"{len(arguments)}. Configure it with: git config diff.journeyctl.command "
            "'journeyctl diff --git-driver'"
        )
    path, old_file, _old_hex, _old_mode, new_file, _new_hex, _new_mode = arguments[:7]
    new_path = arguments[7] if len(arguments) == 9 else path
    old_data, new_data = _read(old_file), _read(new_file)
    if not (_is_map(old_data) or _is_map(new_data)):
        return None, _unified(path, new_path, old_data, new_data, "")
    journeys: list[Journey | None] = []
    problems: list[str] = []
    for data, name in ((old_data, path), (new_data, new_path)):
        if data is None or not _is_map(data):
            journeys.append(None)
            continue
        try:
            # Includes are read from the work tree: git hands over blobs, not the commit they came from.
            journeys.append(load_bytes(data, name, max_size=max_size).journey)
        except MapInvalid as exc:
            journeys.append(None)
            problems.extend(f"{error.location}: error: {one_line(error.message)}" for error in exc.errors)
    if problems:
        heading = "".join(line + "\n" for line in problems)
        return None, _unified(path, new_path, old_data, new_data, heading)
    old, new = journeys
    report = DiffReport(f"a/{path}", f"b/{new_path}")
    report.maps.append(
        diff_maps(
            old,
            new,
            path if old is not None else None,
            new_path if new is not None else None,
            renamed=path != new_path,
        )
    )
    return report, ""


def _unified(path: str, new_path: str, old: bytes | None, new: bytes | None, heading: str) -> str:
    def lines(data: bytes | None) -> list[str]:
        return [] if data is None else data.decode("utf-8", "replace").splitlines(keepends=True)

    body = difflib.unified_diff(
        lines(old),
        lines(new),
        fromfile=NULL if old is None else show_path(f"a/{path}"),
        tofile=NULL if new is None else show_path(f"b/{new_path}"),
    )
    text = "".join(line if line.endswith("\n") else line + "\n" for line in body)
    return f"{_header(path, new_path)}\n{heading}{text}"


def _header(path: str, new_path: str) -> str:
    """``diff --journeyctl a/PATH b/PATH``; names that would break the line quoted, as git does."""
    return f"diff --journeyctl {show_path(f'a/{path}')} {show_path(f'b/{new_path}')}"


def run_driver(
    arguments: Sequence[str], console: Console, output_format: str, max_size: int | None
) -> str | None:
    """Print (text) or return (markdown, json) the diff of one file; always succeeds for git."""
    from journeyctl.diff.formats import RENDERERS, render_text

    report, fallback = driver_report(arguments, max_size)
    if report is None:
        return fallback
    if output_format == "text":
        from rich.text import Text

        # Text, not markup: a '[/y]' in a file name crashed rich, and stopped git's whole diff.
        console.print(Text(_header(arguments[0], report.maps[0].path or arguments[0]), style="bold"))
        render_text(report, console)
        return None
    return RENDERERS[output_format](report)
