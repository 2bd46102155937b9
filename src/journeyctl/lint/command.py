"""What ``journeyctl lint`` and ``journeyctl rules`` do, behind the thin typer commands in cli.py.

Lint: configuration, discovery, the engine (with a progress bar on a terminal
for long runs), one report in the chosen format to stdout or a file, and the
exit code (0 clean, 1 findings at or above ``--fail-on``; errors raise
``JourneyError`` for exit 2).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from journeyctl.errors import UsageError
from journeyctl.terminal import make_console, wants_color

if TYPE_CHECKING:
    from journeyctl.config import ConfigResolver, Overrides
    from journeyctl.lint.cache import CachedScopes, LintCache
    from journeyctl.lint.engine import FileReport
    from journeyctl.lint.findings import Finding
    from journeyctl.lint.project import Facts
    from journeyctl.walk import Candidate

#: Show a progress bar (on a terminal) from this many files on.
PROGRESS_THRESHOLD = 200


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
    #: The name of the map read from standard input (``-``): for messages, globs and its configuration.
    stdin_filename: str | None = None
    #: Walk directories without honouring .gitignore files.
    no_ignore: bool = False
    #: Reuse and keep findings of unchanged files (see lint/cache.py).
    cache: bool = True
    cache_dir: str | None = None


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
    from journeyctl.config import Overrides, fails
    from journeyctl.lint.engine import discover_candidates
    from journeyctl.lint.formats import FORMATS

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
    # Each file is linted with the configuration found from its own directory upward. Building
    # one imports every rule, so it waits until something needs it: a file to lint,
    # SARIF's rule metadata, or a configuration the cache has not seen (see lint/cache.py).
    resolver = _Resolver(overrides, options)
    cache = _open_cache(options, overrides)
    scopes = None
    if cache is not None:
        from journeyctl.lint.cache import CachedScopes

        scopes = CachedScopes(cache, resolver.get, config_path=options.config, isolated=options.isolated)
    paths = options.paths if options.paths or options.stdin_filename is not None else ["."]
    candidates = discover_candidates(
        paths,
        scopes if scopes is not None else resolver.get(),
        force_exclude=options.force_exclude,
        stdin_filename=options.stdin_filename,
        respect_gitignore=not options.no_ignore,
    )
    to_file = options.output_file is not None and options.output_file != "-"
    if to_file:
        _check_output_file(
            str(options.output_file),
            [c.path for c in candidates],
            _config_files(candidates, resolver, scopes),
        )
    reports = _reports(candidates, cache, scopes, resolver, options)
    findings = []
    files: list[str] = []
    failed = False
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
            failed = failed or any(fails(f.severity, file_report.fail_on) for f in file_report.findings)
            facts.append(file_report.facts)
    finally:
        if progress is not None:
            progress[0].stop()
    from_stdin = bool(candidates) and candidates[0].data is not None
    # Standard input that --force-exclude left out is not a mistake (an editor lints every buffer).
    excluded_stdin = not candidates and (options.stdin_filename is not None or paths == ["-"])
    if excluded_stdin:
        return 0
    if any(item is not None for item in facts):
        # Rules that see every map run here, in this process, once every file is done:
        # the facts arrive in discovery order, so a parallel run gives a serial run's output.
        across, across_failed = _project_findings(files, facts, resolver, cache)
        findings.extend(across)
        failed = failed or across_failed
    if not files and not options.skip_non_maps and not from_stdin:
        raise UsageError(
            "no journey map files found in "
            + ", ".join(paths)
            + " (a map is a .yaml/.yml file with a top-level 'journeyctl: 1')"
        )
    report = _make_report(findings, files, failed, resolver, scopes, options)
    _print_report(report, options)
    return 1 if report.failed else 0


def _project_findings(
    files: list[str], facts: list[Facts | None], resolver: _Resolver, cache: LintCache | None
) -> tuple[list[Finding], bool]:
    """The project rules' findings over the run, and whether they fail it; from the cache if kept."""
    name = cache.project_name(files, facts) if cache is not None else None
    if name is not None:
        assert cache is not None
        kept = cache.project_findings(name)
        if kept is not None:
            return kept
    from journeyctl.config import fails
    from journeyctl.lint.project import Project, project_findings

    # Cached reports came without building any configuration: the project rules need
    # every file's, as a run without the cache has them.
    configs = resolver.get()
    for path in files:
        configs.for_path(path)
    project = Project.of(facts)
    across = project_findings(project, configs)
    failed = any(fails(f.severity, configs.for_path(f.location.path).fail_on) for f in across)
    if cache is not None and name is not None and not project.searched_repository:
        cache.store_project_findings(name, across, failed)
    return across, failed


class _Resolver:
    """The run's configuration resolver, made on first use (it builds ``--config``'s at once)."""

    def __init__(self, overrides: Overrides, options: LintOptions) -> None:
        self.overrides = overrides
        self.options = options
        self.built: ConfigResolver | None = None

    def get(self) -> ConfigResolver:
        if self.built is None:
            from journeyctl.config import ConfigResolver

            self.built = ConfigResolver(
                self.overrides, config_path=self.options.config, isolated=self.options.isolated
            )
        return self.built


def _open_cache(options: LintOptions, overrides: Overrides) -> LintCache | None:
    """The run's cache, or None when it is turned off."""
    from pathlib import Path

    from journeyctl.cachedir import cache_directory
    from journeyctl.lint.cache import LintCache, disabled_by_environment, run_key, today

    if not options.cache or disabled_by_environment():
        return None
    key = run_key(
        overrides,
        config_option=options.config,
        isolated=options.isolated,
        max_size=options.max_size,
        skip_non_maps=options.skip_non_maps,
    )
    directory = Path(options.cache_dir) if options.cache_dir else cache_directory()
    return LintCache(directory, key, today(), max_size=options.max_size)


def _config_files(
    candidates: Sequence[Candidate], resolver: _Resolver, scopes: CachedScopes | None
) -> list[str]:
    """The configuration files governing ``candidates`` (a run never writes over one)."""
    if scopes is None:
        sources = {resolver.get().for_path(c.path).source for c in candidates}
        return sorted(source for source in sources if source is not None)
    found = {scopes.config_file(os.path.dirname(c.path) or ".") for c in candidates}
    return sorted(str(path) for path in found if path is not None)


def _reports(
    candidates: Sequence[Candidate],
    cache: LintCache | None,
    scopes: CachedScopes | None,
    resolver: _Resolver,
    options: LintOptions,
) -> Iterator[FileReport]:
    """A report per candidate in discovery order: from the cache, else linted (and then cached)."""
    from journeyctl.lint.engine import lint_paths

    hits: dict[int, FileReport] = {}
    misses = list(candidates)
    if cache is not None and scopes is not None:
        from journeyctl.lint.cache import split

        hits, misses = split(cache, scopes, candidates)
    fresh: Iterator[FileReport] = iter(())
    if misses:
        fresh = lint_paths(
            options.paths or ["."],
            resolver.get(),
            jobs=options.jobs,
            max_size=options.max_size,
            skip_non_maps=options.skip_non_maps,
            candidates=misses,
        )
    if cache is None:
        yield from fresh
        return
    from journeyctl.lint.cache import merge

    yield from merge(len(candidates), hits, fresh, cache)


def _make_report(
    findings: list[Any],
    files: list[str],
    failed: bool,
    resolver: _Resolver,
    scopes: CachedScopes | None,
    options: LintOptions,
) -> Any:
    """The run's report: with every configuration's rules (SARIF lists them) once any was built."""
    from journeyctl.lint.formats import LintReport, make_report

    if resolver.built is None and scopes is not None and options.format != "sarif":
        # Every file came from the cache, and no format but SARIF needs the rules that ran.
        from journeyctl.lint.engine import sort_findings

        first = scopes.order[0][1] if scopes.order else "."
        fail_on = scopes.for_directory(first).fail_on
        return LintReport(sort_findings(findings), files, fail_on, failed_by_file=failed)
    from journeyctl.lint.registry import get_registry

    real = resolver.get()
    if scopes is not None:
        # In the order the configurations were first needed, as the resolver alone gives them.
        configs = [real.for_directory(directory) for _, directory in scopes.order]
    else:
        configs = real.configs()
    return make_report(findings, files, configs or [real.for_directory(".")], get_registry(), failed=failed)


def _print_report(report: Any, options: LintOptions) -> None:
    from journeyctl.lint.formats import render, text_lines
    from journeyctl.output import stdout_errors, write_output, write_stdout

    if options.format == "text" and options.output_file is None:
        with stdout_errors():
            print_styled(text_lines(report, statistics=options.statistics), options.color)
            sys.stdout.flush()
        return
    text = render(report, options.format, statistics=options.statistics)
    if options.output_file is not None and options.output_file != "-":
        write_output(str(options.output_file), text.encode("utf-8"))
    else:
        write_stdout(text.encode("utf-8"))
    if not options.quiet and (options.format != "text" or options.output_file):
        from journeyctl.lint.formats import summary_line

        sys.stderr.write(summary_line(report) + "\n")


def _check_output_file(output: str, maps: Sequence[str], config_files: Sequence[str]) -> None:
    """Before linting: refuse ``-o`` onto a file this run reads (a map, a configuration) or cannot write."""
    from journeyctl.output import inspect_output, refuse_inputs

    refuse_inputs([output], [*maps, *config_files])
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
