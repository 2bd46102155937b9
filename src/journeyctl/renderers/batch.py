"""``journeyctl render``: which files go where, rendering them (in parallel), and writing them all or none.

One map file renders to ``-o FILE``, to stdout (``-o -``, or no ``-o`` for a
text format), or into ``-o DIR`` when DIR exists. Several files or a
directory render into the ``-o`` directory, mirroring each map's path below
the directory it was found in (``maps/retail/a.yaml`` -> ``OUT/retail/a.svg``);
files named one by one land at the top (``OUT/a.svg``). Every map is loaded
and rendered before the first file is written, so an invalid map or a failed
render leaves the output untouched; each file is then written atomically.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeyctl.errors import JourneyError, MapInvalid, RenderError, UsageError
from journeyctl.location import Location

if TYPE_CHECKING:
    from journeyctl.loader import LoadedMap
    from journeyctl.renderers import Renderer


@dataclass(frozen=True)
class Job:
    """One map to render: its file, and where the output goes (None: stdout)."""

    source: str
    target: str | None


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


def plan(paths: Sequence[str], output: str | None, renderer: Renderer, *, stdout_isatty: bool) -> Plan:
    """Decide the jobs for ``paths`` and ``-o output``; UsageError when they do not fit together."""
    from journeyctl.loader import read_head
    from journeyctl.walk import discover, is_journey_text
    from journeyctl.yamlsource import DEFAULT_MAX_FILE_SIZE

    if not paths:
        raise UsageError("give a journey map file or a directory of maps to render")
    single = len(paths) == 1 and os.path.isfile(paths[0])
    if single:
        source = paths[0]
        if output is not None and output != "-" and os.path.isdir(output):
            return Plan([Job(source, os.path.join(output, Path(source).stem + renderer.EXTENSION))])
        if output is None or output == "-":
            if renderer.BINARY and stdout_isatty:
                raise UsageError(
                    f"format '{renderer.NAME}' is binary and stdout is a terminal: "
                    f"give -o FILE{renderer.EXTENSION} (or pipe the output)"
                )
            return Plan([Job(source, None)])
        return Plan([Job(source, output)])
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
        for candidate in discover([raw]):
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

    def __getstate__(self) -> dict[str, Any]:
        # Modules do not pickle: a worker process looks the renderer up again by name.
        return {**self.__dict__, "renderer": None}

    def __call__(self, job: Job) -> Outcome:
        from journeyctl.loader import load_file
        from journeyctl.renderers import get_renderer

        try:
            if self.renderer is None:
                self.renderer = get_renderer(self.format_name)
            loaded = load_file(job.source, max_size=self.max_size)
            data = self.renderer.render(loaded, self.options)
        except MapInvalid as exc:
            return Outcome(job, errors=exc.errors)
        except JourneyError as exc:
            if exc.location is None:
                exc.location = Location(job.source)
            return Outcome(job, errors=[exc])
        return Outcome(job, data=data, loaded=loaded if self.keep_loaded else None)


def render_plan(
    the_plan: Plan,
    renderer: Renderer,
    options: Any,
    *,
    max_size: int | None,
    jobs: int | None = None,
    keep_loaded: bool = False,
) -> list[Outcome]:
    """Load and render every job, in plan order; nothing is written here."""
    from journeyctl.pool import parallel_map

    check_requirements(renderer)
    worker = _Worker(renderer, options, max_size, keep_loaded)
    return list(parallel_map(worker, the_plan.jobs, jobs, chunksize=4, describe=_job_source))


def _job_source(job: Job) -> str:
    return job.source


def write_outcomes(outcomes: Sequence[Outcome]) -> list[str]:
    """Write each outcome's bytes atomically to its target; the paths written, in order."""
    from journeyctl.output import write_atomic

    written = []
    for outcome in outcomes:
        if outcome.job.target is None or outcome.data is None:
            continue
        write_atomic(outcome.job.target, outcome.data)
        written.append(outcome.job.target)
    return written
