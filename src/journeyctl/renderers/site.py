"""The site index: an ``index.html`` that lists rendered journey map pages with their lint counts.

``journeyctl render maps/ --format html -o site/`` writes one page per map and,
through ``build_index``, this index beside them: title (linking to the page by a
relative href), state, owner, last reviewed, stage count and the lint findings
by severity, counted with the project's lint configuration as ``journeyctl
lint`` would find it.
"""

from __future__ import annotations

import os
import typing
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from journeyctl.errors import UsageError

if typing.TYPE_CHECKING:
    from journeyctl.config import LintConfig
    from journeyctl.loader import LoadedMap

INDEX_NAME = "index.html"
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class SiteEntry:
    """One row of the index: a map and where its page is, relative to the index."""

    title: str
    map_id: str
    state: str
    baseline: str | None
    owner: str | None
    reviewed: str | None
    stages: int
    steps: int
    href: str
    counts: dict[str, int]

    @property
    def findings(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class SiteIndex:
    """The rendered index and where it goes; ``write`` puts it there atomically.

    ``journeyctl render`` does not call ``write``: it writes the index with the
    pages, all or nothing (``renderers.batch.write_outcomes``).
    """

    path: Path
    data: bytes
    entries: tuple[SiteEntry, ...]

    def write(self) -> Path:
        from journeyctl.output import write_output

        write_output(self.path, self.data)
        return self.path


def page_href(page: str | Path, directory: str | Path) -> str:
    """The URL of ``page`` relative to the index in ``directory``: posix separators, percent-encoded."""
    relative = os.path.relpath(page, directory)
    return urllib.parse.quote(Path(relative).as_posix(), safe="/")


def site_entry(loaded: LoadedMap, href: str, config: LintConfig | None = None) -> SiteEntry:
    """The index row for one map, linting it with ``config`` (the recommended preset when None)."""
    from journeyctl.lint.engine import lint_map

    journey = loaded.journey
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in lint_map(loaded, config):
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    return SiteEntry(
        title=journey.title,
        map_id=journey.id,
        state=journey.state,
        baseline=journey.baseline,
        owner=journey.owner,
        reviewed=journey.reviewed.isoformat() if journey.reviewed else None,
        stages=len(journey.stages),
        steps=sum(len(stage.steps) for stage in journey.stages),
        href=href,
        counts=counts,
    )


def render_index(entries: Sequence[SiteEntry], *, title: str = "Journey maps") -> bytes:
    """The index page for ``entries``, in the order given (``build_index`` sorts them by title)."""
    from journeyctl.renderers.html import environment

    totals = {severity: sum(entry.counts.get(severity, 0) for entry in entries) for severity in SEVERITIES}
    template = environment().get_template("site.html.j2")
    return template.render(title=title, entries=entries, totals=totals).encode("utf-8")


def build_index(
    pages: Sequence[tuple[LoadedMap, str | Path]],
    directory: str | Path,
    *,
    config: LintConfig | None = None,
    title: str = "Journey maps",
) -> SiteIndex:
    """The index for ``pages`` (each a loaded map and the path its page is written to) in ``directory``.

    ``config`` is the lint configuration; None finds each map's configuration
    from its own directory upward, as ``journeyctl lint`` does. Nothing is written:
    a map whose page would be ``index.html`` itself is a UsageError raised before
    any output exists.
    """
    index_path = Path(directory) / INDEX_NAME
    for loaded, page in pages:
        if Path(page).resolve() == index_path.resolve():
            raise UsageError(
                f"{loaded.path} would render to {index_path}, which is the site index; "
                "rename the map file or render it separately"
            )
    from journeyctl.config import ConfigResolver

    # Each map's lint summary under its own configuration, as `journeyctl lint` finds it.
    resolver = ConfigResolver() if config is None else ConfigResolver.fixed(config)
    entries = tuple(
        sorted(
            (
                site_entry(loaded, page_href(page, directory), resolver.for_path(loaded.path))
                for loaded, page in pages
            ),
            # By title, as people look for a map; the href breaks ties so the order is total.
            key=lambda entry: (entry.title.casefold(), entry.href),
        )
    )
    return SiteIndex(index_path, render_index(entries, title=title), entries)


def write_index(
    pages: Sequence[tuple[LoadedMap, str | Path]],
    directory: str | Path,
    *,
    config: LintConfig | None = None,
    title: str = "Journey maps",
) -> Path:
    """Build the index for ``pages`` and write it atomically to ``directory/index.html``."""
    return build_index(pages, directory, config=config, title=title).write()
