"""The ``render`` and ``formats`` commands behind the CLI: plan, render, report, write."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

from journeyctl.errors import JourneyError

EXIT_OK = 0
EXIT_USAGE = 2


def run_render(
    paths: Sequence[str],
    format_name: str,
    output: str | None,
    option_pairs: Sequence[str],
    *,
    max_size: int | None,
    jobs: int | None = None,
    quiet: bool = False,
    stdin_filename: str | None = None,
    respect_gitignore: bool = True,
    group_by: str = "folder",
) -> int:
    """Render ``paths`` (``-``: standard input); print errors and a summary on stderr; the exit code.

    Outputs are checked before any map is rendered (an output that is an input,
    a link, a directory or read-only is refused with exit 2); nothing is
    written until every map has rendered. HTML into a directory is a site: the
    maps' pages plus the index, findings and portfolio pages (``renderers.site``),
    grouped by ``group_by`` (folder, tag or state).
    """
    from journeyctl.output import print_error, write_stdout
    from journeyctl.renderers import get_renderer, parse_options
    from journeyctl.renderers.batch import check_outputs, plan, render_plan, start_progress, write_outcomes
    from journeyctl.renderers.common import GROUP_BY_CHOICES

    if group_by not in GROUP_BY_CHOICES:
        from journeyctl.errors import UsageError

        raise UsageError(f"--group-by {group_by}: choose one of {', '.join(GROUP_BY_CHOICES)}")
    renderer = get_renderer(format_name)
    options = parse_options(renderer, option_pairs)
    the_plan = plan(
        paths,
        output,
        renderer,
        stdout_isatty=sys.stdout.isatty(),
        stdin_filename=stdin_filename,
        respect_gitignore=respect_gitignore,
    )
    with_site = the_plan.directory is not None and renderer.NAME == "html"
    check_outputs(the_plan, site_index=with_site)
    progress = start_progress(len(the_plan.jobs), quiet=quiet)
    try:
        outcomes = render_plan(
            the_plan,
            renderer,
            options,
            max_size=max_size,
            jobs=jobs,
            keep_loaded=with_site,
            on_done=progress.advance if progress else None,
        )
        failed = [outcome for outcome in outcomes if outcome.errors]
        if failed:
            if progress:
                progress.stop()
            errors: list[JourneyError] = [error for outcome in failed for error in outcome.errors]
            for error in errors:
                print_error(error)
            if not quiet:
                sys.stderr.write(
                    f"Nothing written: {len(failed)} of {len(outcomes)} "
                    f"map{'s' if len(outcomes) != 1 else ''} could not be rendered.\n"
                )
            return EXIT_USAGE
        if the_plan.to_stdout:
            write_stdout(outcomes[0].data or b"")
            return EXIT_OK
        extra: list[tuple[str, bytes]] = []
        if with_site:
            # Built (and linted) before anything is written, so a failure leaves no partial site.
            from journeyctl.renderers.site import build_site

            assert the_plan.directory is not None
            rendered = [o for o in outcomes if o.loaded is not None and o.job.target]
            site = build_site(
                [(o.loaded, o.job.target) for o in rendered if o.loaded is not None and o.job.target],
                the_plan.directory,
                linted=[(o.findings or [], o.facts) for o in rendered if o.facts is not None],
                stages=list(getattr(options, "stages", None) or ()),
                group_by=group_by,
                progress=progress.phase if progress else None,
            )
            extra.extend(site.files)
        if progress:
            progress.phase("writing")
        written = write_outcomes(the_plan, outcomes, renderer.NAME, extra=extra)
    finally:
        if progress:
            progress.stop()
    if not quiet:
        from journeyctl.display import show_path

        if the_plan.directory is not None:
            noun = "map" if len(written.outputs) == 1 else "maps"
            where = show_path(str(the_plan.directory))
            sys.stderr.write(f"Rendered {len(written.outputs)} {noun} to {where} ({renderer.NAME}).\n")
            if written.removed:
                pages = "page" if len(written.removed) == 1 else "pages"
                sys.stderr.write(
                    f"Removed {len(written.removed)} {pages} of maps no longer rendered: "
                    + ", ".join(show_path(path) for path in written.removed[:5])
                    + (f" and {len(written.removed) - 5} more" if len(written.removed) > 5 else "")
                    + ".\n"
                )
        else:
            sys.stderr.write(f"Wrote {show_path(written.outputs[0])}.\n")
    for path in written.kept:
        from journeyctl.display import show_path

        sys.stderr.write(
            f"{show_path(path)}: warning: kept: journeyctl wrote it for a map no longer rendered, "
            "but it has changed since; remove it by hand if it is not needed\n"
        )
    return EXIT_OK


def run_formats(*, as_json: bool = False, verbose: bool = False) -> int:
    """Print the renderers: a table (with options when ``verbose``) or JSON."""
    from journeyctl.renderers import all_renderers, describe

    rows = describe(all_renderers())
    if as_json:
        sys.stdout.write(json.dumps({"version": 1, "formats": rows}, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    header = ("FORMAT", "ALIASES", "EXTENSION", "NEEDS", "DESCRIPTION")
    table = [
        (
            str(row["name"]),
            ", ".join(row["aliases"]) or "-",
            str(row["extension"]),
            "Graphviz (dot)" if "dot" in row["requires"] else (", ".join(row["requires"]) or "-"),
            str(row["description"]),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in (header, *table)) for i in range(len(header) - 1)]
    for line in (header, *table):
        cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
        sys.stdout.write("  ".join([*cells, line[-1]]).rstrip() + "\n")
        if verbose and line is not header:
            row = next(r for r in rows if r["name"] == line[0])
            for item in row["options"]:
                default = f" (default {item['default']})" if item["default"] else ""
                sys.stdout.write(f"    -O {item['name']}=<{item['type']}>{default}  {item['description']}\n")
    if not verbose:
        sys.stdout.write("\nRenderer options: 'journeyctl formats --verbose'; set them with -O KEY=VALUE.\n")
    return EXIT_OK
