"""The command-line interface: a thin typer shell over the library.

Each command parses its options, calls library functions, prints, and returns
an exit code. Exit codes: 0 clean, 1 findings (invalid maps, lint findings,
regressions), 2 usage or input errors, 3 an internal error (a bug: please
report it; ``--debug`` shows the traceback). The bodies of ``validate``,
``lint``, ``diff`` and ``render`` are in commands.py, which entry.py also calls without
typer for a plain command line (quickparse.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from journeyctl import __version__, commands
from journeyctl import completion as complete
from journeyctl.clihelp import Command
from journeyctl.commands import (
    EXIT_OK,
    EXIT_USAGE,
    max_file_size_option,
    required_paths,
)
from journeyctl.errors import UsageError

app = typer.Typer(
    name="journeyctl",
    help="Customer journey maps as code: validate, lint, render and diff YAML journey maps.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"journeyctl {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an internal error.")] = False,
) -> None:
    """Customer journey maps as code."""
    if debug:
        commands.STATE["debug"] = True


def _debug_option(value: bool) -> None:
    if value:
        commands.STATE["debug"] = True


#: ``--debug`` after the command too (``journeyctl lint --debug``), as before it.
Debug = Annotated[
    bool,
    typer.Option(
        "--debug", callback=_debug_option, help="Show the traceback of an internal error.", show_default=False
    ),
]
Color = Annotated[
    str,
    typer.Option(
        "--color",
        metavar="auto|always|never",
        help="Colour: auto (on a terminal; NO_COLOR wins over FORCE_COLOR), always or never.",
        autocompletion=complete.colors,
    ),
]
#: The old spelling of -o/--output, kept working for scripts written before it was unified.
#: Where `lint` and `diff` write their report.
ReportOutput = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the report to this file (atomically); '-' for stdout (the default).",
    ),
]
OutputFile = Annotated[str | None, typer.Option("--output-file", metavar="FILE", hidden=True)]
MaxFileSize = Annotated[
    int | None,
    typer.Option(
        "--max-file-size",
        metavar="BYTES",
        help="Refuse files larger than this (default 10485760; 0 for no limit; "
        "env JOURNEYCTL_MAX_FILE_SIZE).",
        show_default=False,
    ),
]
Jobs = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, metavar="N", help="Worker processes (default: one per core)."),
]
Paths = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="PATH",
        help="Journey map files or directories (searched recursively); '-' reads one map from stdin.",
        show_default=False,
    ),
]
StdinFilename = Annotated[
    str | None,
    typer.Option(
        "--stdin-filename",
        metavar="NAME",
        help="The name of the map read from stdin ('-'): used in messages, to resolve includes and "
        "to find its configuration.",
        show_default=False,
    ),
]
NoIgnore = Annotated[
    bool,
    typer.Option("--no-ignore", help="Walk directories without honouring .gitignore files."),
]


@app.command(cls=Command)
def validate(
    paths: Paths = None,
    stdin_filename: StdinFilename = None,
    no_ignore: NoIgnore = False,
    max_file_size: MaxFileSize = None,
    jobs: Jobs = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only, no summary.")] = False,
    debug: Debug = False,
) -> None:
    """Check journey map files against the format: YAML, schema, ids and references.

    Exit 0 when every file is valid, 1 when any is invalid, 2 on a usage error.
    """
    raise typer.Exit(
        commands.validate(
            paths=paths,
            stdin_filename=stdin_filename,
            no_ignore=no_ignore,
            max_file_size=max_file_size,
            jobs=jobs,
            quiet=quiet,
        )
    )


@app.command(cls=Command)
def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write the schema to this file instead of stdout."
        ),
    ] = None,
    debug: Debug = False,
) -> None:
    """Print the JSON Schema (draft-07) of the journey map format."""
    from journeyctl.model.schema import schema_text
    from journeyctl.output import write_output

    # The schema reads no input, so the only file to protect is the target:
    # write_output refuses a journey map, a link, a read-only file or a directory.
    write_output("-" if output is None else str(output), schema_text().encode("utf-8"))


class _DiffCommand(Command):
    """Keeps the raw arguments, so ``diff`` can tell which came after ``--`` (always paths)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        ctx.meta["journeyctl.diff.raw_args"] = list(args)
        return super().parse_args(ctx, args)


@app.command(cls=_DiffCommand)
def diff(
    ctx: typer.Context,
    arguments: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="ARGUMENTS",
            help="Two map files; or revisions (REV, REV1 REV2, REV1..REV2, REV1...REV2, REV:path) "
            "and optional paths. No arguments: the working tree against HEAD.",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="text, markdown (alias md) or json.",
            autocompletion=complete.diff_formats,
        ),
    ] = "text",
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on",
            metavar="WHEN",
            help="Exit 1 on: regression (default), any change, or never.",
            autocompletion=complete.diff_fail_on,
        ),
    ] = "regression",
    output: ReportOutput = None,
    output_file: OutputFile = None,
    color: Color = "auto",
    git_driver: Annotated[
        bool,
        typer.Option(
            "--git-driver",
            help="Act as git's external diff driver (git passes 7 arguments); see docs/diff.md.",
        ),
    ] = False,
    max_file_size: MaxFileSize = None,
    debug: Debug = False,
) -> None:
    """Semantic diff of journey maps: what changed in the journey, classified.

    Entities are matched by id; each change is a regression, an improvement or
    neutral. Exit 0 when nothing --fail-on counts changed, 1 when it did, 2 for
    usage errors (unknown revision, missing file, a map that does not load).
    """
    raw: list[str] = ctx.meta.get("journeyctl.diff.raw_args", [])
    raise typer.Exit(
        commands.diff(
            arguments=arguments,
            forced_paths=len(raw) - raw.index("--") - 1 if "--" in raw else 0,
            output_format=output_format,
            fail_on=fail_on,
            output=output,
            output_file=output_file,
            color=color,
            git_driver=git_driver,
            max_file_size=max_file_size,
        )
    )


@app.command(cls=Command)
def lint(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATH",
            help="Journey map files or directories (default: the current directory).",
            show_default=False,
        ),
    ] = None,
    config: Annotated[
        str | None,
        typer.Option(
            "--config",
            metavar="PATH",
            help="Configuration file (.journeyctl.yaml or pyproject.toml) for every file; default: "
            "each file's own, found by walking up from its directory.",
        ),
    ] = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="Ignore configuration files.")] = False,
    preset: Annotated[
        str | None,
        typer.Option(
            "--preset",
            metavar="recommended|strict",
            help="Base set of rules; replaces the configured preset and select.",
            autocompletion=complete.presets,
            show_default=False,
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            metavar="CODES",
            help="Run only these rules (codes, prefixes, names, ALL); replaces the configured set.",
            show_default=False,
        ),
    ] = None,
    extend_select: Annotated[
        list[str] | None,
        typer.Option("--extend-select", metavar="CODES", help="Run these rules too.", show_default=False),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", metavar="CODES", help="Do not run these rules.", show_default=False),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            metavar="GLOB",
            help="Skip files matching this glob (repeatable).",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="text, concise, json, sarif, github or junit.",
            autocompletion=complete.lint_formats,
        ),
    ] = "text",
    output: ReportOutput = None,
    output_file: OutputFile = None,
    statistics: Annotated[bool, typer.Option("--statistics", help="Count findings per rule.")] = False,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            metavar="error|warning|info|never",
            help="Exit 1 when a finding is at least this severe (default: warning).",
            autocompletion=complete.fail_on_levels,
            show_default=False,
        ),
    ] = None,
    color: Color = "auto",
    jobs: Jobs = None,
    max_file_size: MaxFileSize = None,
    force_exclude: Annotated[
        bool, typer.Option("--force-exclude", help="Apply excludes to files named on the command line too.")
    ] = False,
    skip_non_maps: Annotated[
        bool,
        typer.Option(
            "--skip-non-maps",
            help="Skip named files that are not journey maps (for pre-commit, which passes every "
            "YAML file); finding no map is then not an error.",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary line on stderr.")] = False,
    stdin_filename: StdinFilename = None,
    no_ignore: NoIgnore = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache", help="Lint every file afresh, and keep nothing (env JOURNEYCTL_NO_CACHE=1)."
        ),
    ] = False,
    cache_dir: Annotated[
        str | None,
        typer.Option(
            "--cache-dir",
            metavar="DIR",
            help="Where to keep the findings of unchanged files (default: $JOURNEYCTL_CACHE_DIR, "
            "else $XDG_CACHE_HOME/journeyctl, else ~/.cache/journeyctl).",
            show_default=False,
        ),
    ] = None,
    debug: Debug = False,
) -> None:
    """Find the gaps in journey maps: missing touchpoints, unowned pain points, stale maps...

    Exit 0 when no finding is at or above --fail-on, 1 when one is, 2 on a usage
    or configuration error. `journeyctl rules` lists the rules.
    """
    raise typer.Exit(
        commands.lint(
            paths=paths,
            config=config,
            isolated=isolated,
            preset=preset,
            select=select,
            extend_select=extend_select,
            ignore=ignore,
            exclude=exclude,
            output_format=output_format,
            output=output,
            output_file=output_file,
            statistics=statistics,
            fail_on=fail_on,
            color=color,
            jobs=jobs,
            max_file_size=max_file_size,
            force_exclude=force_exclude,
            skip_non_maps=skip_non_maps,
            quiet=quiet,
            stdin_filename=stdin_filename,
            no_ignore=no_ignore,
            no_cache=no_cache,
            cache_dir=cache_dir,
        )
    )


@app.command(cls=Command)
def rules(
    rule: Annotated[
        str | None,
        typer.Argument(
            metavar="CODE|NAME",
            help="Show this rule's documentation.",
            show_default=False,
            autocompletion=complete.rule_codes,
        ),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", metavar="table|json|markdown", help="Output format.")
    ] = "table",
    color: Color = "auto",
    debug: Debug = False,
) -> None:
    """List the lint rules (code, name, severity, preset, summary), or document one."""
    from journeyctl.lint.command import run_rules

    if output_format not in ("table", "json", "markdown"):
        raise UsageError(f"unknown format {output_format!r}; choose table, json or markdown")
    raise typer.Exit(run_rules(rule, output_format=output_format, color=color))


@app.command(cls=Command)
def render(
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="Output format: html, svg, png, pdf (the slide image), md, mermaid, dot, flow-svg, "
            "flow-png, flow-pdf (the Graphviz flow diagram), csv, or a plugin's "
            "(see 'journeyctl formats').",
            autocompletion=complete.render_formats,
        ),
    ],
    paths: Paths = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="OUT",
            help="File, or directory for several maps; '-' for stdout (the default for one map in a text "
            "format).",
        ),
    ] = None,
    option: Annotated[
        list[str] | None,
        typer.Option(
            "--option",
            "-O",
            metavar="KEY=VALUE",
            help="A renderer option, e.g. -O layout=compact -O backstage=true (repeatable; "
            "'journeyctl formats' lists them).",
        ),
    ] = None,
    stages: Annotated[
        str | None,
        typer.Option("--stages", metavar="ID,ID", help="Only these stages (same as -O stages=ID,ID)."),
    ] = None,
    group_by: Annotated[
        str,
        typer.Option(
            "--group-by",
            metavar="folder|tag|state",
            help="Site index (html into -o DIR): group the maps by folder, tag or state.",
        ),
    ] = "folder",
    stdin_filename: StdinFilename = None,
    no_ignore: NoIgnore = False,
    max_file_size: MaxFileSize = None,
    jobs: Jobs = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only, no summary.")] = False,
    debug: Debug = False,
) -> None:
    """Render journey maps to HTML, a slide image (svg, png, pdf), Markdown, Mermaid or Graphviz.

    One map goes to -o FILE or stdout; several maps or a directory go to -o DIR,
    mirroring their paths. Nothing is written unless every map renders. Exit 0 on
    success, 2 on an invalid map, a bad option, a missing Graphviz or Cairo.
    """
    raise typer.Exit(
        commands.render(
            output_format=output_format,
            paths=paths,
            output=output,
            option=option,
            stages=stages,
            group_by=group_by,
            stdin_filename=stdin_filename,
            no_ignore=no_ignore,
            max_file_size=max_file_size,
            jobs=jobs,
            quiet=quiet,
        )
    )


@app.command(cls=Command)
def formats(
    as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also list each format's options.")
    ] = False,
    debug: Debug = False,
) -> None:
    """List the output formats of 'journeyctl render': name, aliases, extension, what they need."""
    from journeyctl.renderers.command import run_formats

    raise typer.Exit(run_formats(as_json=as_json, verbose=verbose))


@app.command(cls=Command)
def init(
    directory: Annotated[
        str, typer.Argument(metavar="DIR", help="Where to lay out the repository (created if missing).")
    ] = ".",
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Also replace generated tooling that differs (CI workflow, pre-commit, editor and git "
            "settings, the schema copy); maps, shared files and .journeyctl.yaml are never replaced.",
        ),
    ] = False,
    debug: Debug = False,
) -> None:
    """Start a repository of journey maps: config, a starter map, shared personas, CI, editor settings.

    Creates only what is missing and says what it skipped; running it again
    changes nothing. Exit 0 on success, 2 on a usage error.
    """
    from journeyctl.scaffold.command import run_init

    raise typer.Exit(run_init(directory, force=force))


@app.command(cls=Command)
def new(
    template: Annotated[
        str,
        typer.Argument(
            metavar="TEMPLATE",
            help="blank, retail-purchase, saas-onboarding or support-case.",
            autocompletion=complete.templates,
        ),
    ] = "blank",
    list_templates: Annotated[bool, typer.Option("--list", help="List the templates and exit.")] = False,
    title: Annotated[str | None, typer.Option("--title", metavar="TEXT", help="The map's title.")] = None,
    map_id: Annotated[
        str | None,
        typer.Option("--id", metavar="ID", help="The map's id (default: made from the title)."),
    ] = None,
    stage: Annotated[
        list[str] | None,
        typer.Option(
            "--stage",
            metavar="NAME",
            help="A stage, in order (repeatable); a template stage of that name keeps its content.",
            show_default=False,
        ),
    ] = None,
    persona: Annotated[
        list[str] | None,
        typer.Option(
            "--persona",
            metavar="NAME",
            help="A persona (repeatable); replaces the template's, taking over their steps in order.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="File or directory to write (default: <id>.yaml here; '-' for stdout). Never overwritten.",
        ),
    ] = None,
    debug: Debug = False,
) -> None:
    """Write a new journey map from a template; `journeyctl lint` on it lists what is left to fill in.

    Exit 0 on success, 2 on a usage error (unknown template, a file that exists).
    """
    from journeyctl.scaffold.command import run_new, run_new_list

    if list_templates:
        raise typer.Exit(run_new_list())
    raise typer.Exit(
        run_new(
            template,
            title=title,
            map_id=map_id,
            stages=stage or [],
            personas=persona or [],
            output=output,
        )
    )


@app.command("fmt", cls=Command)
def fmt_command(
    paths: Paths = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; list the files that would change (exit 1 if any).")
    ] = False,
    show_diff: Annotated[
        bool, typer.Option("--diff", help="Write nothing; print what would change as unified diffs.")
    ] = False,
    skip_non_maps: Annotated[
        bool,
        typer.Option(
            "--skip-non-maps",
            help="Skip named files that are not journey maps (for pre-commit, which passes every YAML file).",
        ),
    ] = False,
    stdin_filename: StdinFilename = None,
    no_ignore: NoIgnore = False,
    max_file_size: MaxFileSize = None,
    jobs: Jobs = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary line on stderr.")] = False,
    debug: Debug = False,
) -> None:
    """Format journey maps: canonical key order and layout, comments kept, data unchanged.

    Files that do not validate are left untouched. Exit 0 when done (or nothing to
    do), 1 when --check/--diff found files to reformat, 2 for invalid files or a
    usage error.
    """
    from journeyctl.fmt_command import run_fmt

    raise typer.Exit(
        run_fmt(
            required_paths(paths, stdin_filename, "format"),
            check=check,
            diff=show_diff,
            max_size=max_file_size_option(max_file_size),
            jobs=jobs,
            skip_non_maps=skip_non_maps,
            quiet=quiet,
            stdin_filename=stdin_filename,
            respect_gitignore=not no_ignore,
        )
    )


@app.command(cls=Command)
def preview(
    path: Annotated[
        str, typer.Argument(metavar="PATH", help="A map file, or a directory of maps (served as a site).")
    ],
    port: Annotated[
        int,
        typer.Option(
            "--port", "-p", min=0, max=65535, metavar="PORT", help="Port on 127.0.0.1 (0 picks a free one)."
        ),
    ] = 8765,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the page in the web browser.")] = False,
    max_file_size: MaxFileSize = None,
    debug: Debug = False,
) -> None:
    """Serve maps as HTML on 127.0.0.1, re-rendered on every save; the browser reloads by itself.

    A map that stops loading shows its located errors in the page until it is
    fixed. Ctrl-C stops the preview (exit 0); a missing path or a port in use
    exits 2.
    """
    from journeyctl.preview import run_preview

    raise typer.Exit(
        run_preview(path, port=port, open_browser=open_browser, max_size=max_file_size_option(max_file_size))
    )


@app.command(cls=Command)
def server(debug: Debug = False) -> None:
    """Run the language server over stdin and stdout, for editors (see docs/editors.md).

    Needs the server extra: pip install 'journeyctl[server]'. Exit 0 when the
    editor ends the session, 2 when the extra is not installed.
    """
    from journeyctl.server.command import run_server

    raise typer.Exit(run_server())


@app.command("import", cls=Command)
def import_command(
    source: Annotated[
        str | None,
        typer.Argument(
            metavar="SOURCE",
            help="A Mermaid file (.mmd), a Markdown file with Mermaid journey blocks, or a CSV file.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="OUT",
            help="The map file to write, or a directory (one map per journey); default: stdout.",
        ),
    ] = None,
    source_format: Annotated[
        str | None,
        typer.Option("--from", metavar="FORMAT", help="Source format (default: from the file name)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing output file.")] = False,
    clamp: Annotated[
        bool | None,
        typer.Option(
            "--clamp",
            help="Bring scores outside their scale, or not whole, into range (with a warning) "
            "instead of failing.",
            show_default=False,
        ),
    ] = None,
    shape: Annotated[
        str | None,
        typer.Option(
            "--shape",
            metavar="grid|long",
            help="CSV only: a grid (lanes as rows, one column per step) or long (one row per step); "
            "default: detected.",
            show_default=False,
        ),
    ] = None,
    list_formats: Annotated[bool, typer.Option("--list", help="List the source formats and exit.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary on stderr.")] = False,
    debug: Debug = False,
) -> None:
    """Import journeys from Mermaid journey diagrams or CSV (journey-map spreadsheets) as maps.

    The map is written as 'journeyctl fmt' writes it, with a comment saying where it
    came from; 'journeyctl lint' then shows what is left to fill in. Exit 0 on
    success, 2 for a source that cannot be read (each problem located) or a usage error.
    """
    from journeyctl.importers.command import run_import, run_list_importers

    if list_formats:
        raise typer.Exit(run_list_importers())
    if source is None:
        raise UsageError("give the file to import (journeyctl import --list shows the formats)")
    raise typer.Exit(
        run_import(
            source,
            output=output,
            source_format=source_format,
            force=force,
            options={"clamp": clamp, "shape": shape},
            quiet=quiet,
        )
    )


@app.command(cls=Command)
def completion(
    shell: Annotated[
        str,
        typer.Argument(metavar="SHELL", help="bash, zsh or fish.", autocompletion=complete.shells),
    ],
    install: Annotated[
        bool,
        typer.Option(
            "--install",
            help="Write the script where the shell finds it (bash-completion's or fish's user "
            "directory; ~/.zfunc for zsh) instead of printing it.",
        ),
    ] = False,
    debug: Debug = False,
) -> None:
    """Print the shell completion script for bash, zsh or fish (or --install it).

    Load it for this shell with `source <(journeyctl completion bash)` (zsh: the
    same after compinit; fish: `journeyctl completion fish | source`). Exit 0, or
    2 for an unknown shell.
    """
    raise typer.Exit(complete.run_completion(shell, install=install))


def click_command(args: list[str]) -> Any:
    """The click command typer makes of ``app``, with only the command that ``args`` names.

    typer builds every command up front (the signature of each function, its
    options), ~1.5 ms a command; a run uses one. So when ``args`` name a command
    (the first word that is not an option: the app's own options take no value),
    the group holds that command alone, which parses and prints (``--help``
    included) exactly as the full group does. Anything else (no command, a
    misspelt one, ``--help``) gets every command, for the listing and the
    "did you mean". Plain parameters are converted without pydantic (cliparams.py).
    """
    import copy

    from typer.main import get_command, get_command_name

    from journeyctl.cliparams import install

    named = next((arg for arg in args if not arg.startswith("-")), None)
    chosen = [
        info
        for info in app.registered_commands
        if named is not None
        and (info.name or get_command_name(info.callback.__name__ if info.callback else "")) == named
    ]
    typer_app = app
    if len(chosen) == 1:
        typer_app = copy.copy(app)
        typer_app.registered_commands = chosen
    command = get_command(typer_app)
    install(command)
    return command


def run(args: list[str]) -> int:
    """Run the CLI with ``args``; returns the exit code instead of exiting."""
    commands.STATE["debug"] = False
    complete.prepare()
    return commands.guarded(lambda: _main(args))


def _main(args: list[str]) -> int:
    try:
        click_command(args).main(args=args, prog_name="journeyctl", standalone_mode=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (EXIT_OK if exc.code is None else EXIT_USAGE)
    return EXIT_OK
