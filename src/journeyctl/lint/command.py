"""What ``journeyctl lint`` and ``journeyctl rules`` do, behind the thin typer commands in cli.py.

Lint: configuration, discovery, the engine (with a progress bar on a terminal
for long runs), one report in the chosen format to stdout or a file, and the
exit code (0 clean, 1 findings at or above ``--fail-on``; errors raise
``JourneyError`` for exit 2).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from journeyctl.errors import UsageError

#: Show a progress bar (on a terminal) from this many files on.
PROGRESS_THRESHOLD = 200
COLOR_CHOICES = ("auto", "always", "never")


@dataclass
class LintOptions:
    """The command line of ``journeyctl lint``, as plain values."""

    paths: list[str] = field(default_factory=lambda: ["."])
    config: str | None = None
    isolated: bool = False
    preset: str | None = None
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    fail_on: str | None = None
    format: str = "text"
    output_file: str | None = None
    statistics: bool = False
    color: str = "auto"
    jobs: int | None = None
    max_size: int | None = None
    force_exclude: bool = False
    skip_non_maps: bool = False
    quiet: bool = False


def make_console(color: str, *, stderr: bool = False) -> Any:
    """A rich console for this run: ``--color`` wins, else NO_COLOR / FORCE_COLOR / the terminal."""
    from rich.console import Console

    if color not in COLOR_CHOICES:
        raise UsageError(f"--color must be auto, always or never, not {color!r}")
    kwargs: dict[str, Any] = {"stderr": stderr, "highlight": False, "soft_wrap": True}
    if color == "always":
        kwargs["force_terminal"] = True
        kwargs["no_color"] = False
        kwargs["color_system"] = "standard"
    elif color == "never" or os.environ.get("NO_COLOR"):
        # NO_COLOR wins over FORCE_COLOR, and means no styling codes at all.
        kwargs["color_system"] = None
    return Console(**kwargs)


def wants_color(color: str, stream: Any) -> bool:
    """Whether to colour ``stream``: ``--color`` wins, then NO_COLOR, FORCE_COLOR, a terminal.

    Decided without rich, so that uncoloured runs (CI, pipes, files) never import it.
    """
    if color not in COLOR_CHOICES:
        raise UsageError(f"--color must be auto, always or never, not {color!r}")
    if color != "auto":
        return color == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def print_styled(lines: Sequence[Sequence[tuple[str, str]]], color: str) -> None:
    """Text output on stdout: through rich when coloured, else plain writes."""
    if not wants_color(color, sys.stdout):
        sys.stdout.write("".join("".join(text for text, _ in line) + "\n" for line in lines))
        return
    from rich.text import Text

    console = make_console("always" if color == "auto" and not sys.stdout.isatty() else color)
    for line in lines:
        console.print(Text.assemble(*line))


def run_lint(options: LintOptions) -> int:
    """Lint, print the report, return the exit code (0 or 1)."""
    from journeyctl.config import Overrides, load_lint_config
    from journeyctl.lint.engine import discover_candidates, lint_paths
    from journeyctl.lint.formats import FORMATS, make_report, render, text_lines
    from journeyctl.lint.registry import get_registry

    if options.format not in FORMATS:
        raise UsageError(f"unknown format {options.format!r}; choose one of {', '.join(FORMATS)}")
    if options.fail_on is not None and options.fail_on not in ("error", "warning", "info", "never"):
        raise UsageError(f"--fail-on must be error, warning, info or never, not {options.fail_on!r}")
    wants_color(options.color, sys.stdout)  # reject a bad --color before any work
    overrides = Overrides(
        preset=options.preset,
        select=options.select,
        extend_select=options.extend_select,
        ignore=options.ignore,
        exclude=options.exclude,
        fail_on=options.fail_on,
    )
    config = load_lint_config(options.config, overrides, isolated=options.isolated)
    paths = options.paths or ["."]
    candidates = discover_candidates(paths, config, force_exclude=options.force_exclude)
    to_file = options.output_file is not None and options.output_file != "-"
    if to_file:
        _check_output_file(str(options.output_file), [c.path for c in candidates], config.source)
    reports = lint_paths(
        paths,
        config,
        jobs=options.jobs,
        max_size=options.max_size,
        skip_non_maps=options.skip_non_maps,
        candidates=candidates,
    )
    findings = []
    files: list[str] = []
    facts = []
    progress = _progress(len(candidates), options)
    try:
        for file_report in reports:
            if progress is not None:
                progress[0].advance(progress[1])
            if file_report.skipped:
                continue
            files.append(file_report.path)
            findings.extend(file_report.findings)
            facts.append(file_report.facts)
    finally:
        if progress is not None:
            progress[0].stop()
    if config.has_project_rules:
        # Rules that see every map run here, in this process, once every file is done:
        # the facts arrive in discovery order, so a parallel run gives a serial run's output.
        from journeyctl.lint.project import project_findings

        findings.extend(project_findings(facts, config))
    if not files and not options.skip_non_maps:
        raise UsageError(
            "no journey map files found in "
            + ", ".join(paths)
            + " (a map is a .yaml/.yml file with a top-level 'journeyctl: 1')"
        )
    report = make_report(findings, files, config, get_registry())
    from journeyctl.output import stdout_errors, write_output, write_stdout

    if options.format == "text" and options.output_file is None:
        with stdout_errors():
            print_styled(text_lines(report, statistics=options.statistics), options.color)
            sys.stdout.flush()
    else:
        text = render(report, options.format, statistics=options.statistics)
        if to_file:
            write_output(str(options.output_file), text.encode("utf-8"))
        else:
            write_stdout(text.encode("utf-8"))
        if not options.quiet and (options.format != "text" or options.output_file):
            from journeyctl.lint.formats import summary_line

            sys.stderr.write(summary_line(report) + "\n")
    return 1 if report.failed else 0


def _check_output_file(output: str, maps: Sequence[str], config_file: str | None) -> None:
    """Before linting: refuse ``-o`` onto a file this run reads (a map, the configuration) or cannot write."""
    from journeyctl.output import inspect_output, refuse_inputs

    refuse_inputs([output], [*maps, *([config_file] if config_file else [])])
    inspect_output(output)


def _progress(total: int, options: LintOptions) -> tuple[Any, Any] | None:
    """A transient progress bar on stderr, only on a terminal and only for long runs."""
    if total < PROGRESS_THRESHOLD or options.quiet or not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("linting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=make_console(options.color, stderr=True),
        transient=True,
    )
    task = progress.add_task("lint", total=total)
    progress.start()
    return progress, task


# --- journeyctl rules ---------------------------------------------------------------------


def run_rules(rule: str | None, *, output_format: str = "table", color: str = "auto") -> int:
    """``journeyctl rules``: the catalogue as a table, or one rule's documentation."""
    from journeyctl.lint.registry import ALWAYS_ON, get_registry

    registry = get_registry()
    console = make_console(color)
    if rule is not None:
        from journeyctl.errors import ConfigError
        from journeyctl.lint.docs import rule_markdown

        try:
            info = registry.lookup(rule)
        except ConfigError as exc:
            raise UsageError(exc.message) from None
        text = rule_markdown(info, heading="#")
        if output_format == "markdown" or not console.is_terminal:
            sys.stdout.write(text)
        else:
            from rich.markdown import Markdown

            console.print(Markdown(text))
        return 0
    if output_format == "markdown":
        from journeyctl.lint.docs import rules_markdown

        sys.stdout.write(rules_markdown(registry))
        return 0
    rows = [
        (
            info.code,
            info.name,
            info.severity,
            "always" if info.code in ALWAYS_ON else ("yes" if info.recommended else "no"),
            info.summary,
        )
        for info in registry
    ]
    if output_format == "json":
        import json

        data = [
            {
                "code": info.code,
                "name": info.name,
                "severity": info.severity,
                "recommended": info.recommended,
                "summary": info.summary,
                "origin": info.origin,
            }
            for info in registry
        ]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return 0
    from rich.text import Text

    header = ("Code", "Name", "Severity", "Recommended", "Summary")
    widths = [max(len(header[i]), *(len(row[i]) for row in rows)) for i in range(4)]

    def line(cells: Sequence[str], style: str = "") -> Text:
        text = Text(
            "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=False)), style=style
        )
        text.append("  " + cells[4])
        return text

    console.print(line(header, "bold"))
    for row in rows:
        console.print(line(row))
    return 0


def split_codes(values: Sequence[str] | None) -> list[str]:
    from journeyctl.config import code_list

    return code_list(values)
