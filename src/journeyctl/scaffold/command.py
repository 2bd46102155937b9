"""The ``init`` and ``new`` commands behind the CLI: do the work, say what was done, return the exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from journeyctl.errors import UsageError

EXIT_OK = 0

NEXT_STEPS = """\
Next:{cd}
  journeyctl lint                            # the starter map lints clean
  journeyctl new retail-purchase -o maps/    # a map from a template (journeyctl new --list)
  journeyctl preview maps/                   # the maps in your browser, redrawn on every save
  git init && pre-commit install             # lint the maps on each commit
  git config diff.journeyctl.command "journeyctl diff --git-driver"   # semantic git diff
"""


def run_init(directory: str, *, force: bool = False) -> int:
    """Scaffold a map repository in ``directory``; one line per file on stderr."""
    from journeyctl.scaffold.project import FileResult, init_project

    def report(result: FileResult) -> None:
        path = os.path.join(directory, result.file.path) if directory not in ("", ".") else result.file.path
        reason = f" ({result.reason})" if result.reason else ""
        sys.stderr.write(f"{result.outcome:<11} {path}{reason}\n")

    results = init_project(directory, force=force, report=report)
    counts = {outcome: sum(r.outcome == outcome for r in results) for outcome in ("created", "overwritten")}
    left = len(results) - counts["created"] - counts["overwritten"]
    summary = f"{counts['created']} created"
    if counts["overwritten"]:
        summary += f", {counts['overwritten']} overwritten"
    sys.stderr.write(f"{summary}, {left} left as they were.\n")
    if counts["created"]:
        cd = f"\n  cd {directory}" if directory not in ("", ".") else ""
        sys.stderr.write(NEXT_STEPS.format(cd=cd))
    return EXIT_OK


def run_new_list() -> int:
    """Print the templates of ``journeyctl new``, one per line."""
    from journeyctl.scaffold.new_map import MAP_TEMPLATES

    width = max(len(template.name) for template in MAP_TEMPLATES)
    for template in MAP_TEMPLATES:
        sys.stdout.write(f"{template.name:<{width}}  {template.description}\n")
    return EXIT_OK


def output_path(output: str | None, map_id: str) -> str:
    """Where the new map goes: ``-o FILE``, ``-o DIR/<id>.yaml``, ``-`` for stdout, else ``<id>.yaml``."""
    if output is None:
        return f"{map_id}.yaml"
    if output == "-":
        return output
    if os.path.isdir(output) or output.endswith(("/", os.sep)):
        return os.path.join(output, f"{map_id}.yaml")
    if not output.endswith((".yaml", ".yml")):
        raise UsageError(
            f"-o {output}: a journey map file ends in .yaml or .yml (journeyctl finds maps by it); "
            "for a directory, end it with '/'"
        )
    return output


def schema_reference(target: str) -> str | None:
    """The schema copy that ``journeyctl init`` made for this map's repository, relative to the map."""
    from journeyctl.loader import find_repository_root
    from journeyctl.scaffold.project import SCHEMA_COPY

    directory = Path(target).resolve().parent if target != "-" else Path.cwd()
    schema = find_repository_root(directory) / SCHEMA_COPY
    if not schema.is_file():
        return None
    return Path(os.path.relpath(schema, directory)).as_posix()


def run_new(
    template: str,
    *,
    title: str | None,
    map_id: str | None,
    stages: Sequence[str],
    personas: Sequence[str],
    output: str | None,
) -> int:
    """Write a new map from ``template``; never over an existing file."""
    from journeyctl.errors import MapInvalid
    from journeyctl.loader import load_bytes
    from journeyctl.output import write_new
    from journeyctl.scaffold.new_map import NewMapRequest, build_map, map_text

    request = NewMapRequest(template, title, map_id, tuple(stages), tuple(personas))
    data = build_map(request)
    target = output_path(output, str(data["id"]))
    if target != "-" and os.path.lexists(target):
        raise UsageError(
            f"{target} exists; journeyctl new never overwrites a file: choose another -o or --id"
        )
    text = map_text(data, template=template, schema=schema_reference(target))
    try:
        load_bytes(text.encode("utf-8"), target)
    except MapInvalid as exc:  # the templates are tested; reaching this is a bug
        raise RuntimeError(f"the new map does not validate: {exc.errors[0]}") from None
    if target == "-":
        sys.stdout.write(text)
        return EXIT_OK
    try:
        written = write_new(target, text.encode("utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    if not written:
        raise UsageError(
            f"{target} exists; journeyctl new never overwrites a file: choose another -o or --id"
        )
    sys.stderr.write(
        f"Wrote {target} ({template} template). "
        f"Run 'journeyctl lint {target}' to see what is left to fill in.\n"
    )
    return EXIT_OK
