"""``journeyctl render``: which files go where, rendering them (in parallel), and writing them all or none.

One map file renders to ``-o FILE``, to stdout (``-o -``, or no ``-o`` for a
text format), or into ``-o DIR`` when DIR exists. Several files or a
directory render into the ``-o`` directory, mirroring each map's path below
the directory it was found in (``maps/retail/a.yaml`` -> ``OUT/retail/a.svg``);
files named one by one land at the top (``OUT/a.svg``).

Nothing is written until every map has rendered: outputs are checked first
(never an input, never a link or a directory in the way), then everything is
rendered in memory, then written. One file is written atomically; a directory
of outputs is written all or nothing through ``journeyctl.output.write_tree``,
with a manifest (``.journeyctl-manifest.json``) of the files journeyctl wrote
there, so that nothing else in the directory is ever mistaken for its output.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeyctl.errors import JourneyError, MapInvalid, RenderError, UsageError
from journeyctl.location import Location

if TYPE_CHECKING:
    from journeyctl.config import ConfigResolver
    from journeyctl.lint.findings import Finding
    from journeyctl.lint.project import MapFacts
    from journeyctl.loader import LoadedMap
    from journeyctl.renderers import Renderer

#: In an output directory: the files journeyctl wrote there (relative posix path -> format).
MANIFEST_NAME = ".journeyctl-manifest.json"
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class Job:
    """One map to render: its file, and where the output goes (None: stdout)."""

    source: str
    target: str | None
    #: The map's text when it came on standard input (``source`` is then the name it goes by).
    data: bytes | None = None


@dataclass
class Plan:
    """What ``render`` will do: the jobs, and the output directory in directory mode."""

    jobs: list[Job]
    directory: str | None = None

    @property
    def to_stdout(self) -> bool:
        return len(self.jobs) == 1 and self.jobs[0].target is None


@dataclass
class Outcome:
    """The result of one job: the rendered bytes, or the errors that stopped it."""

    job: Job
    data: bytes | None = None
    errors: list[JourneyError] = field(default_factory=list)
    loaded: LoadedMap | None = None
    #: For a site: the map's lint findings (map rules) and its facts for the rules across maps,
    #: computed in the worker so that a site's linting runs in parallel with the rendering.
    findings: list[Finding] | None = None
    facts: MapFacts | None = None


def plan(
    paths: Sequence[str],
    output: str | None,
    renderer: Renderer,
    *,
    stdout_isatty: bool,
    stdin_filename: str | None = None,
    respect_gitignore: bool = True,
) -> Plan:
    """Decide the jobs for ``paths`` and ``-o output``; UsageError when they do not fit together.

    ``-`` is one map read from standard input, named ``stdin_filename``.
    """
    from journeyctl.loader import read_head
    from journeyctl.walk import STDIN, check_paths_exist, discover, is_journey_text, read_stdin, stdin_paths
    from journeyctl.yamlsource import DEFAULT_MAX_FILE_SIZE

    paths = stdin_paths(paths, stdin_filename)
    if not paths:
        raise UsageError("give a journey map file or a directory of maps to render ('-' for standard input)")
    # Before deciding between one file and several: a misspelt name is not "several maps".
    check_paths_exist(paths)
    if paths == [STDIN]:
        piped = read_stdin(stdin_filename)
        # In a directory, the output is named after --stdin-filename, else "stdin.EXT".
        stem = Path(stdin_filename).stem if stdin_filename else "stdin"
        return _single_plan(piped.path, stem, output, renderer, stdout_isatty, piped.data)
    # Not isfile: a named FIFO or device is one map too, refused by the reader with its reason.
    if len(paths) == 1 and os.path.exists(paths[0]) and not os.path.isdir(paths[0]):
        return _single_plan(paths[0], Path(paths[0]).stem, output, renderer, stdout_isatty, None)
    if output is None or output == "-":
        raise UsageError(
            "rendering several maps needs an output directory: -o DIR "
            "(it is created if missing; one file per map)"
        )
    if os.path.exists(output) and not os.path.isdir(output):
        raise UsageError(f"-o {output}: exists and is not a directory; several maps render into a directory")
    jobs: list[Job] = []
    taken: dict[str, str] = {}
    for raw in paths:
        root = raw if os.path.isdir(raw) else None
        for candidate in discover([raw], respect_gitignore=respect_gitignore):
            if not candidate.explicit:
                try:
                    head, _ = read_head(candidate.path, DEFAULT_MAX_FILE_SIZE)
                except JourneyError:
                    head = b"journeyctl:"  # let the loader report the problem with its usual message
                if not is_journey_text(head) or b"\njourneyctl:" not in b"\n" + head:
                    continue  # other YAML, or a shared file of personas and channels
            relative = os.path.relpath(candidate.path, root) if root else Path(candidate.path).name
            target = os.path.join(output, str(Path(relative).with_suffix(renderer.EXTENSION)))
            if target in taken:
                if taken[target] == candidate.path:
                    continue
                raise UsageError(
                    f"{taken[target]} and {candidate.path} would both render to {target}; "
                    "render them separately or rename one"
                )
            taken[target] = candidate.path
            jobs.append(Job(candidate.path, target))
    if not jobs:
        raise UsageError(
            "no journey map files found in "
            + ", ".join(paths)
            + " (a map is a .yaml/.yml file with a top-level 'journeyctl: 1')"
        )
    return Plan(jobs, directory=output)


def _single_plan(
    source: str, stem: str, output: str | None, renderer: Renderer, stdout_isatty: bool, data: bytes | None
) -> Plan:
    """One map: into ``-o DIR`` when DIR exists, to ``-o FILE``, else to stdout."""
    if output is not None and output != "-" and os.path.isdir(output):
        return Plan([Job(source, os.path.join(output, stem + renderer.EXTENSION), data)])
    if output is None or output == "-":
        if renderer.BINARY and stdout_isatty:
            raise UsageError(
                f"format '{renderer.NAME}' is binary and stdout is a terminal: "
                f"give -o FILE{renderer.EXTENSION} (or pipe the output)"
            )
        return Plan([Job(source, None, data)])
    return Plan([Job(source, output, data)])


def check_requirements(renderer: Renderer) -> None:
    """Fail once, up front, when a program the renderer runs is missing (not once per map)."""
    from journeyctl.renderers import requires

    for program in requires(renderer):
        if shutil.which(program) is None:
            if program == "dot":
                from journeyctl.renderers.graphviz_run import INSTALL_HINT

                raise RenderError(
                    f"Graphviz is not installed: --format {renderer.NAME} runs the 'dot' program, "
                    "which is not on PATH",
                    hint=INSTALL_HINT,
                )
            raise RenderError(f"--format {renderer.NAME} needs the program '{program}', which is not on PATH")


class _Worker:
    """Loads and renders one job; picklable for the process pool."""

    def __init__(self, renderer: Renderer, options: Any, max_size: int | None, keep_loaded: bool) -> None:
        self.renderer: Renderer | None = renderer
        self.format_name = renderer.NAME
        self.options = options
        self.max_size = max_size
        self.keep_loaded = keep_loaded
        self.resolver: ConfigResolver | None = None

    def __getstate__(self) -> dict[str, Any]:
        # Modules do not pickle: a worker process looks the renderer up again by name.
        return {**self.__dict__, "renderer": None, "resolver": None}

    def __call__(self, job: Job) -> Outcome:
        from journeyctl.loader import load_bytes, load_file
        from journeyctl.renderers import get_renderer

        try:
            if self.renderer is None:
                self.renderer = get_renderer(self.format_name)
            if job.data is not None:
                loaded = load_bytes(job.data, job.source, max_size=self.max_size)
            else:
                loaded = load_file(job.source, max_size=self.max_size)
            data = self.renderer.render(loaded, self.options)
        except MapInvalid as exc:
            return Outcome(job, errors=exc.errors)
        except JourneyError as exc:
            if exc.location is None:
                exc.location = Location(job.source)
            return Outcome(job, errors=[exc])
        if not self.keep_loaded:
            return Outcome(job, data=data)
        findings, facts = self._lint(loaded), _facts(loaded)
        return Outcome(job, data=data, loaded=_without_source(loaded), findings=findings, facts=facts)

    def _lint(self, loaded: LoadedMap) -> list[Finding]:
        """The map rules' findings under the map's own configuration, as ``journeyctl lint`` finds it."""
        from journeyctl.config import ConfigResolver
        from journeyctl.lint.engine import lint_map

        if self.resolver is None:
            self.resolver = ConfigResolver()
        return lint_map(loaded, self.resolver.for_path(loaded.path))


def _without_source(loaded: LoadedMap) -> LoadedMap:
    """The map without its YAML node tree: what a site needs once it is linted, and a fraction to pickle.

    Sending 1,000 maps' node trees back from the workers took longer than rendering them.
    """
    from journeyctl.loader import LoadedMap
    from journeyctl.yamlsource import SourceMap

    return LoadedMap(loaded.journey, loaded.path, SourceMap(loaded.path, None, ""))


def _facts(loaded: LoadedMap) -> MapFacts:
    from journeyctl.lint.project import map_facts

    return map_facts(loaded)


def render_plan(
    the_plan: Plan,
    renderer: Renderer,
    options: Any,
    *,
    max_size: int | None,
    jobs: int | None = None,
    keep_loaded: bool = False,
    on_done: Callable[[], None] | None = None,
) -> list[Outcome]:
    """Load and render every job, in plan order; nothing is written here.

    ``on_done`` is called after each job (the progress bar's tick).
    """
    from journeyctl.pool import parallel_map

    check_requirements(renderer)
    worker = _Worker(renderer, options, max_size, keep_loaded)
    outcomes = []
    for outcome in parallel_map(worker, the_plan.jobs, jobs, chunksize=4, describe=_job_source):
        outcomes.append(outcome)
        if on_done is not None:
            on_done()
    return outcomes


#: Fewer maps than this render too fast for a progress bar to help.
PROGRESS_THRESHOLD = 50


class Progress:
    """A transient progress bar on stderr: the maps rendered, then what the run is doing."""

    def __init__(self, total: int, console: Any) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._task = self._bar.add_task("rendering", total=total)
        self._bar.start()
        self._running = True

    def advance(self) -> None:
        self._bar.advance(self._task)

    def phase(self, description: str) -> None:
        """After the maps: say what the run does now (linting, building pages, writing)."""
        self._bar.update(self._task, description=description)

    def stop(self) -> None:
        if self._running:
            self._running = False
            self._bar.stop()


def start_progress(total: int, *, quiet: bool) -> Progress | None:
    """A progress bar for ``total`` maps, only on a terminal, not under CI, not for a few maps."""
    if total < PROGRESS_THRESHOLD or quiet or not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    from journeyctl.terminal import make_console

    return Progress(total, make_console("auto", stderr=True))


def _job_source(job: Job) -> str:
    return job.source


def relative_target(the_plan: Plan, target: str) -> str:
    """A directory-mode target as the posix path below the output directory."""
    assert the_plan.directory is not None
    return Path(os.path.relpath(target, the_plan.directory)).as_posix()


def directory_outputs(the_plan: Plan, *, site_index: bool) -> list[str]:
    """The posix paths a directory render writes below ``-o DIR``: pages, the site's pages, manifest."""
    pages = [relative_target(the_plan, job.target) for job in the_plan.jobs if job.target is not None]
    if not site_index:
        return [*pages, MANIFEST_NAME]
    from journeyctl.renderers.site import site_pages

    # A map page that would be a site page is refused by build_site, with the map named.
    own = [path for path in site_pages(pages) if path not in set(pages)]
    return [*pages, *own, MANIFEST_NAME]


def check_outputs(the_plan: Plan, *, site_index: bool) -> None:
    """Refuse, before anything is rendered, outputs that are inputs or cannot be written.

    An output that resolves to any map being rendered (``-o a.yaml``, ``./a.yaml``,
    a link to it) is an OutputError, as is any target that is a directory, a
    link, read-only, or below a file.
    """
    from journeyctl.output import check_tree, inspect_output, refuse_inputs

    sources = [job.source for job in the_plan.jobs]
    if the_plan.directory is None:
        targets = [job.target for job in the_plan.jobs if job.target is not None]
        refuse_inputs(targets, sources)
        for target in targets:
            inspect_output(target)
        return
    for job in the_plan.jobs:
        if job.target is not None and relative_target(the_plan, job.target) == MANIFEST_NAME:
            raise UsageError(
                f"{job.source} would render to {job.target}, where journeyctl keeps its manifest; "
                "rename the map file or render it separately"
            )
    if site_index:
        from journeyctl.renderers.site import refuse_collisions

        pages = [(job.source, job.target) for job in the_plan.jobs if job.target is not None]
        refuse_collisions(pages, [relative_target(the_plan, target) for _, target in pages])
    relatives = directory_outputs(the_plan, site_index=site_index)
    refuse_beside_maps(the_plan, relatives)
    refuse_inputs([os.path.join(the_plan.directory, relative) for relative in relatives], sources)
    check_tree(the_plan.directory, relatives)


def refuse_beside_maps(the_plan: Plan, relatives: Sequence[str]) -> None:
    """OutputError when a directory render would write pages into a folder of the maps it reads.

    ``render . -o .`` would scatter pages among the maps (and the next run's
    walk would meet them); a site goes into a folder of its own, which may sit
    below the maps (``render . -o site``).
    """
    from journeyctl.errors import OutputError

    assert the_plan.directory is not None
    map_folders = {os.path.realpath(os.path.dirname(job.source) or ".") for job in the_plan.jobs}
    for relative in relatives:
        target = os.path.join(the_plan.directory, relative)
        if os.path.realpath(os.path.dirname(target)) in map_folders:
            raise OutputError(
                the_plan.directory,
                f"would put {relative} in a folder of the maps being rendered; "
                "journeyctl writes a site into a folder of its own",
                hint="choose another output directory, e.g. -o site",
            )


@dataclass(frozen=True)
class Written:
    """What ``write_outcomes`` did: the outputs written, and the stale files of earlier runs."""

    outputs: list[str]
    #: Paths of pages of earlier runs (maps no longer rendered) that were removed.
    removed: list[str] = field(default_factory=list)
    #: Paths of such pages kept because they changed since journeyctl wrote them.
    kept: list[str] = field(default_factory=list)


def write_outcomes(
    the_plan: Plan,
    outcomes: Sequence[Outcome],
    format_name: str,
    *,
    extra: Sequence[tuple[str, bytes]] = (),
) -> Written:
    """Write the rendered outcomes (and ``extra`` files, such as the site pages); what was written.

    One target: written atomically by ``write_output``. Directory mode: every
    page, the extra files and the manifest, all or nothing, by ``write_tree``;
    in the same unit, the files of this format that an earlier run wrote and
    this one did not (the pages of maps no longer rendered) are removed, unless
    they changed since (their digest in the manifest no longer matches).
    """
    from journeyctl.output import write_output, write_tree

    if the_plan.directory is None:
        written = []
        for outcome in outcomes:
            if outcome.job.target is None or outcome.data is None:
                continue
            write_output(outcome.job.target, outcome.data)
            written.append(outcome.job.target)
        return Written(written)
    files = [
        (relative_target(the_plan, outcome.job.target), outcome.data)
        for outcome in outcomes
        if outcome.job.target is not None and outcome.data is not None
    ]
    files.extend(extra)
    previous = read_manifest(the_plan.directory)
    stale, changed = stale_files(
        the_plan.directory, previous, {relative for relative, _ in files}, format_name
    )
    manifest = manifest_bytes(
        the_plan.directory,
        [(relative, format_name, data) for relative, data in files],
        previous=previous,
        dropped=[*stale, *changed],
    )
    written = write_tree(the_plan.directory, [*files, (MANIFEST_NAME, manifest)], remove=stale)
    join = functools.partial(os.path.join, the_plan.directory)
    return Written(
        written[: len(files) - len(extra)],
        removed=[join(*relative.split("/")) for relative in stale],
        kept=[join(*relative.split("/")) for relative in changed],
    )


def stale_files(
    directory: str, previous: dict[str, dict[str, str]], writing: set[str], format_name: str
) -> tuple[list[str], list[str]]:
    """Files of ``format_name`` an earlier run wrote that this run does not: (to remove, changed since).

    Only files the manifest lists are candidates, and only those of the same
    format (an earlier ``-f md`` render into the same directory is not stale
    for an ``-f html`` one). A file whose digest differs from the one recorded
    was edited by someone since: it is kept, reported once and left out of the
    manifest (it is no longer journeyctl's to remove). Entries of manifests
    older than digests are removed on the manifest's word.
    """
    stale: list[str] = []
    changed: list[str] = []
    for relative, entry in sorted(previous.items()):
        if relative in writing or relative == MANIFEST_NAME or entry.get("format") != format_name:
            continue
        path = os.path.join(directory, *relative.split("/"))
        if os.path.islink(path) or not os.path.isfile(path):
            continue
        recorded = entry.get("sha256")
        if recorded is not None and _digest_of(path) != recorded:
            changed.append(relative)
            continue
        stale.append(relative)
    return stale, changed


def _digest_of(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def manifest_bytes(
    directory: str,
    written: Sequence[tuple[str, str, bytes]],
    *,
    previous: dict[str, dict[str, str]] | None = None,
    dropped: Sequence[str] = (),
) -> bytes:
    """The manifest after writing ``written`` (path, format, bytes): those, plus earlier entries still there.

    Earlier entries whose file is gone, or that are ``dropped`` (removed in this
    run), are left out; entries that are not plain relative paths inside the
    directory (a hand-edited or hostile manifest) are ignored. Each entry keeps
    the SHA-256 of the bytes written, so that a later run can tell a page it
    wrote from one someone edited since.
    """
    earlier = read_manifest(directory) if previous is None else previous
    gone = set(dropped)
    files = {
        relative: entry
        for relative, entry in earlier.items()
        if relative not in gone
        and os.path.isfile(os.path.join(directory, *relative.split("/")))
        and not os.path.islink(os.path.join(directory, *relative.split("/")))
    }
    files.update(
        {
            relative: {"format": format_name, "sha256": hashlib.sha256(data).hexdigest()}
            for relative, format_name, data in written
        }
    )
    document = {"journeyctl-manifest": MANIFEST_VERSION, "files": dict(sorted(files.items()))}
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def read_manifest(directory: str) -> dict[str, dict[str, str]]:
    """The files an earlier run recorded in ``directory``'s manifest; empty when there is none."""
    path = os.path.join(directory, MANIFEST_NAME)
    try:
        if os.path.islink(path):
            return {}
        with open(path, "rb") as handle:
            document = json.loads(handle.read(1 << 24))
    except (OSError, ValueError):
        return {}
    if not isinstance(document, dict) or document.get("journeyctl-manifest") != MANIFEST_VERSION:
        return {}
    files = document.get("files")
    if not isinstance(files, dict):
        return {}
    return {
        relative: _manifest_entry(entry)
        for relative, entry in files.items()
        if isinstance(relative, str) and isinstance(entry, dict) and _plain_relative(relative)
    }


def _manifest_entry(entry: dict[str, object]) -> dict[str, str]:
    found = {"format": str(entry.get("format", ""))}
    digest = entry.get("sha256")
    if isinstance(digest, str) and re.fullmatch(r"[0-9a-f]{64}", digest):
        found["sha256"] = digest
    return found


def _plain_relative(relative: str) -> bool:
    parts = relative.split("/")
    return bool(relative) and "\0" not in relative and all(part not in ("", ".", "..") for part in parts)
