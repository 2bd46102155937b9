"""``journeyctl import`` behind the thin typer command: read a source, build maps, write them through fmt.

One map goes to ``-o FILE`` (or ``-o DIR/<id>.yaml``, or stdout without
``-o``); a source holding several journeys (a Markdown file with several
``journey`` blocks) needs ``-o DIR``. Nothing is written over the source, and no
existing file is replaced without ``--force``; every map is built, formatted and
checked before the first file is written, and each file is written atomically.
Exit 0 on success (notices do not change it), 2 for a source that cannot be
read or a usage error.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeyctl.errors import UsageError

if TYPE_CHECKING:
    from journeyctl.importers import ImportedMap

EXIT_OK = 0
EXIT_USAGE = 2


class ImporterBug(Exception):
    """An importer built a map that does not validate: journeyctl's fault, an internal error."""


@dataclass
class _Output:
    text: str
    target: str | None  # None: stdout
    summary: str


def map_text(imported: ImportedMap, importer_name: str) -> str:
    """The file ``journeyctl import`` writes for one map: fmt's canonical text under a header."""
    from journeyctl.fmt import dump_map

    header = (
        f"Imported from {imported.origin} by 'journeyctl import' ({importer_name}).\n"
        "Run 'journeyctl lint' on this file: its findings are what is left to fill in."
    )
    return dump_map(imported.data, header=header)


def _counts(data: dict[str, Any]) -> str:
    stages = data.get("stages", [])
    steps = sum(len(stage.get("steps", [])) for stage in stages)
    personas = len(data.get("personas", []))

    def plural(count: int, word: str) -> str:
        return f"{count} {word}{'s' if count != 1 else ''}"

    return f"{plural(len(stages), 'stage')}, {plural(steps, 'step')}, {plural(personas, 'persona')}"


def _same_file(left: str, right: str) -> bool:
    try:
        return os.path.samefile(left, right)
    except OSError:
        return os.path.realpath(left) == os.path.realpath(right)


def run_import(
    source: str,
    *,
    output: str | None = None,
    source_format: str | None = None,
    force: bool = False,
    options: dict[str, Any] | None = None,
    quiet: bool = False,
) -> int:
    """Import ``source``; print notices and a summary on stderr; the exit code."""
    from journeyctl.errors import JourneyError, MapInvalid
    from journeyctl.importers import get_importer, importer_for, parse_options
    from journeyctl.lint.engine import lint_map
    from journeyctl.loader import load_bytes, read_file
    from journeyctl.output import print_error, write_atomic
    from journeyctl.walk import check_paths_exist
    from journeyctl.yamlsource import decode

    check_paths_exist([source])  # a misspelt name: "no such file", with the nearest name
    importer = get_importer(source_format) if source_format else importer_for(source)
    parsed_options = parse_options(importer, {k: v for k, v in (options or {}).items() if v is not None})
    text = decode(read_file(source), source)
    try:
        maps = importer.import_source(text, source, parsed_options)
    except MapInvalid as exc:
        for error in exc.errors:
            print_error(error)
        if not quiet:
            sys.stderr.write(f"Nothing imported: {len(exc.errors)} problem(s) in {source}.\n")
        return EXIT_USAGE
    if not maps:
        raise UsageError(f"{source}: no journey found to import")
    to_directory = output not in (None, "-") and (len(maps) > 1 or os.path.isdir(str(output)))
    if len(maps) > 1 and not to_directory:
        raise UsageError(
            f"{source} holds {len(maps)} journeys: give -o DIR to write one map per journey "
            f"({', '.join(m.data['id'] + '.yaml' for m in maps[:4])}{', ...' if len(maps) > 4 else ''})"
        )
    targets: list[str | None] = []
    for imported in maps:
        if output in (None, "-"):
            targets.append(None)
        elif to_directory:
            targets.append(os.path.join(str(output), f"{imported.data['id']}.yaml"))
        else:
            targets.append(str(output))
    for target in targets:
        if target is None:
            continue
        if _same_file(target, source):
            raise UsageError(f"-o {target}: that is the source being imported; choose another file")
        if os.path.isdir(target):
            raise UsageError(f"-o {target}: is a directory")
        if os.path.exists(target) and not force:
            raise UsageError(f"{target} exists; give --force to replace it, or another -o")
    outputs: list[_Output] = []
    for imported, target in zip(maps, targets, strict=True):
        text_out = map_text(imported, importer.NAME)
        try:
            loaded = load_bytes(text_out.encode("utf-8"), target or "<stdout>")
        except MapInvalid as exc:
            raise ImporterBug(
                f"the {importer.NAME} importer built an invalid map from {source}: {exc.errors[0]}"
            ) from None
        findings = len(lint_map(loaded))
        summary = f"{target}: {_counts(imported.data)}" if target else f"{_counts(imported.data)} to stdout"
        if findings:
            summary += f"; {findings} lint finding{'s' if findings != 1 else ''} show what to fill in"
        outputs.append(_Output(text_out, target, summary))
        for notice in sorted(imported.notices, key=lambda n: n.location):
            print_error(JourneyError(notice.message, notice.location), severity="warning")
    for item in outputs:
        if item.target is None:
            sys.stdout.write(item.text)
            sys.stdout.flush()
        else:
            Path(item.target).parent.mkdir(parents=True, exist_ok=True)
            write_atomic(item.target, item.text.encode("utf-8"))
    if not quiet:
        for item in outputs:
            verb = "Wrote" if item.target else "Imported"
            sys.stderr.write(f"{verb} {item.summary}.\n")
        written = [item.target for item in outputs if item.target]
        if written:
            sys.stderr.write(
                f"Next: journeyctl lint {' '.join(written[:3])}{' ...' if len(written) > 3 else ''}\n"
            )
    return EXIT_OK


def run_list_importers() -> int:
    """Print the source formats ``journeyctl import`` reads."""
    from journeyctl.importers import all_importers

    rows = [(i.NAME, " ".join(i.PATTERNS), i.DESCRIPTION) for i in all_importers()]
    header = ("FORMAT", "FILES", "DESCRIPTION")
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(2)]
    for row in (header, *rows):
        sys.stdout.write(f"{row[0].ljust(widths[0])}  {row[1].ljust(widths[1])}  {row[2]}\n")
    return EXIT_OK
