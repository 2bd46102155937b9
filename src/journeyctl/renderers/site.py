"""The portfolio site: the pages ``render DIR -f html -o SITE`` writes besides each map's own page.

- ``index.html``: every map, grouped by folder, tag or state (``--group-by``),
  each with its summary, an emotion sparkline (inline SVG, one line per
  persona), owner, review date and lint counts that link to its findings page;
  a future map sits beside the current map it improves on;
- ``findings/<page>``: one page per map listing its lint findings, as
  ``journeyctl lint DIR`` finds them (map rules and the rules across maps,
  each map under its own configuration);
- ``portfolio/*.html``: the pages across maps: pain points by owner and
  severity, opportunities as an impact x effort matrix with their status,
  moments of truth at risk, metrics off target, and the insights maps cite.

Nothing here writes: ``build_site`` returns the pages as bytes, and
``renderers.batch.write_outcomes`` writes them with the maps' pages, all or
nothing. Every href is relative, so the site works from a file system, a web
server or a zip. Pages share the map page's strict Content-Security-Policy: no
script, no request.
"""

from __future__ import annotations

import functools
import os
import posixpath
import typing
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from journeyctl.errors import UsageError
from journeyctl.renderers.portfolio import (
    GROUP_BY_CHOICES,
    LEVELS,
    PAIN_SEVERITIES,
    QUADRANT,
    SEVERITIES,
    STATUS_LABEL,
    EmotionLine,
    GroupBy,
    MapSummary,
    gather,
    index_groups,
    map_summary,
)

if typing.TYPE_CHECKING:
    from journeyctl.config import ConfigResolver, LintConfig
    from journeyctl.lint.findings import Finding
    from journeyctl.lint.project import MapFacts
    from journeyctl.loader import LoadedMap

__all__ = ["GROUP_BY_CHOICES", "INDEX_NAME", "SEVERITIES", "Site", "build_index", "build_site", "page_href"]

INDEX_NAME = "index.html"
FINDINGS_FOLDER = "findings"
#: The pages across maps: (name in the navigation, path below the site's root).
CROSS_PAGES = {
    "pain-points": ("Pain points", "portfolio/pain-points.html"),
    "opportunities": ("Opportunities", "portfolio/opportunities.html"),
    "moments": ("Moments of truth at risk", "portfolio/moments-of-truth.html"),
    "metrics": ("Metrics off target", "portfolio/metrics.html"),
    "insights": ("Insights", "portfolio/insights.html"),
}
#: How many opportunities a cell of the matrix lists before "and N more" (the full list is below it).
MATRIX_CELL_LIMIT = 6

#: The sparkline's box, in px, and the padding that keeps markers inside it.
SPARK_WIDTH = 200
SPARK_HEIGHT = 44
SPARK_PAD = 4
#: Lines per persona are told apart by colour (``--spark-N`` in site.css) and by dash.
SPARK_STYLES = 6
_DASHES = ("", "5 3", "2 2", "8 3 2 3", "1 3", "10 2")


def page_href(page: str | Path, directory: str | Path) -> str:
    """The URL of ``page`` relative to the index in ``directory``: posix separators, percent-encoded."""
    relative = os.path.relpath(page, directory)
    return urllib.parse.quote(Path(relative).as_posix(), safe="/")


def relative_href(from_page: str, to_page: str, fragment: str = "") -> str:
    """The href from the page at posix path ``from_page`` to ``to_page`` (both below the site's root)."""
    if to_page == from_page and fragment:
        return "#" + _fragment(fragment)
    target = _relative_url(posixpath.dirname(from_page), to_page)
    return target + ("#" + _fragment(fragment) if fragment else "")


# Cached: the portfolio pages of 1,000 maps link the same pages from the same folder ~20,000 times.
@functools.lru_cache(maxsize=4096)
def _relative_url(folder: str, to_page: str) -> str:
    return urllib.parse.quote(posixpath.relpath(to_page, folder or "."), safe="/")


@functools.lru_cache(maxsize=4096)
def _fragment(fragment: str) -> str:
    return urllib.parse.quote(fragment, safe="-_.")


def findings_page_of(page: str) -> str:
    """Where the findings page of the map page ``page`` goes: ``findings/<page>``."""
    return f"{FINDINGS_FOLDER}/{page}"


def site_pages(pages: Sequence[str]) -> list[str]:
    """Every file the site adds to the map pages ``pages`` (posix, below the root).

    The index, a findings page per map, and the pages across maps.
    """
    return [
        INDEX_NAME,
        *(findings_page_of(page) for page in pages),
        *(path for _, path in CROSS_PAGES.values()),
    ]


def refuse_collisions(pages: Sequence[tuple[str, str]], relatives: Sequence[str]) -> None:
    """UsageError when a map's page (``pages``: map file, page path) would be one of the site's own pages."""
    own = {
        path: "the site index" if path == INDEX_NAME else "a page of the site"
        for path in site_pages(relatives)
    }
    for (source, page), relative in zip(pages, relatives, strict=True):
        if relative in own:
            raise UsageError(
                f"{source} would render to {page}, which is {own[relative]}; "
                "rename the map file or render it separately"
            )


# --- the sparkline ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SparkLine:
    label: str
    style: int  # 1..SPARK_STYLES
    dash: str
    segments: tuple[str, ...]  # SVG polyline points, one per run of scored steps
    dots: tuple[tuple[str, str], ...]  # (x, y) of each scored point, when there are few
    gaps: tuple[str, ...]  # x of each step nobody scored
    faint: bool  # the baseline's line under a future map's


@dataclass(frozen=True)
class Sparkline:
    lines: tuple[SparkLine, ...]
    description: str
    width: int = SPARK_WIDTH
    height: int = SPARK_HEIGHT

    @property
    def middle(self) -> str:
        return _y(0)


def _x(position: int, count: int) -> str:
    if count <= 1:
        return f"{SPARK_WIDTH / 2:.1f}"
    return f"{SPARK_PAD + position * (SPARK_WIDTH - 2 * SPARK_PAD) / (count - 1):.1f}"


def _y(score: float) -> str:
    return f"{SPARK_PAD + (2 - score) * (SPARK_HEIGHT - 2 * SPARK_PAD) / 4:.1f}"


def _spark_lines(
    lines: Sequence[EmotionLine], count: int, styles: dict[str, int], *, faint: bool
) -> list[SparkLine]:
    drawn = []
    for number, line in enumerate(lines):
        style = styles.setdefault(line.key, (number % SPARK_STYLES) + 1)
        segments: list[str] = []
        current: list[str] = []
        dots: list[tuple[str, str]] = []
        gaps: list[str] = []
        for position, score in line.points:
            if score is None:
                gaps.append(_x(position, count))
                if current:
                    segments.append(" ".join(current))
                current = []
                continue
            point = (_x(position, count), _y(score))
            current.append(f"{point[0]},{point[1]}")
            dots.append(point)
        if current:
            segments.append(" ".join(current))
        # Dots only where they stay apart; a long map is read from the line.
        shown = tuple(dots) if count <= 40 and not faint else ()
        drawn.append(
            SparkLine(
                line.label,
                style,
                _DASHES[style - 1],
                tuple(segments),
                shown,
                tuple(gaps) if not faint else (),
                faint,
            )
        )
    return drawn


def _describe(label: str, line: EmotionLine) -> str:
    scored = line.scored
    unscored = len(line.points) - len(scored)
    if not scored:
        return f"{label}: no step scored"
    steps = f"{len(line.points)} step{'s' if len(line.points) != 1 else ''}"
    first, last, lowest = (score_text(score) for score in (scored[0], scored[-1], min(scored)))
    text = f"{label}: {steps}, from {first} to {last}, lowest {lowest}"
    if unscored:
        text += f", {unscored} not scored"
    return text


def sparkline(summary: MapSummary, baseline: MapSummary | None = None) -> Sparkline:
    """The emotion sparkline of ``summary``, over the faint lines of its ``baseline`` when given."""
    styles: dict[str, int] = {}
    own = _spark_lines(summary.lines, summary.main_steps, styles, faint=False)
    under = _spark_lines(baseline.lines, baseline.main_steps, styles, faint=True) if baseline else []
    several = len(summary.lines) > 1
    parts = [_describe(line.label if several else "Main line", line) for line in summary.lines]
    text = (
        f"Emotion along the main line ({summary.main_steps} step{'s' if summary.main_steps != 1 else ''}). "
        + "; ".join(parts)
        + "."
    )
    if baseline is not None:
        text += f" Lighter, under it: the current state ({baseline.title})."
    if not summary.main_steps:
        text = "No steps on the main line."
    return Sparkline((*under, *own), text)


# --- the pages -------------------------------------------------------------------------------


def score_text(score: float) -> str:
    """A score as people read it: ``+2``, ``−1``, ``0``; a mean of personas' scores as ``−0.5``."""
    from journeyctl.renderers.html import signed

    if score == int(score):
        return signed(int(score))
    return mean_text(score)


def mean_text(value: float | None) -> str:
    if value is None:
        return "not scored"
    rounded = round(value, 1)
    if rounded == 0:
        return "0"
    return ("+" if rounded > 0 else "−") + f"{abs(rounded):.1f}"


@dataclass(frozen=True)
class Site:
    """The site's own pages (posix path below the root, bytes) and the maps they summarise."""

    files: tuple[tuple[str, bytes], ...]
    summaries: tuple[MapSummary, ...]

    @property
    def index(self) -> bytes:
        return dict(self.files)[INDEX_NAME]


#: What a batch worker already found for one map: its map rules' findings and its facts.
Linted = tuple["list[Finding]", "MapFacts"]


def lint_findings(
    loaded_maps: Sequence[LoadedMap],
    resolver: ConfigResolver,
    linted: Sequence[Linted] | None = None,
    *,
    across_maps: bool = True,
) -> dict[str, list[Finding]]:
    """Each map's findings by path, as ``journeyctl lint`` over these maps finds them (across maps too).

    ``linted`` (one per map, in order) is what the render workers found already;
    without it every map is linted here. ``across_maps=False`` leaves out the
    rules that see every map (they may search the repository for a baseline).
    """
    from journeyctl.lint.engine import lint_map, sort_findings
    from journeyctl.lint.project import map_facts, project_findings

    if linted is None:
        linted = [
            (lint_map(loaded, resolver.for_path(loaded.path)), map_facts(loaded)) for loaded in loaded_maps
        ]
    found = {loaded.path: list(findings) for loaded, (findings, _) in zip(loaded_maps, linted, strict=True)}
    if not across_maps:
        return {path: sort_findings(findings) for path, findings in found.items()}
    for path in found:
        # Project rules run under the configurations met so far: every map's, as lint resolves them.
        resolver.for_path(path)
    for finding in project_findings([facts for _, facts in linted], resolver):
        # A finding in a shared file belongs to no map's page; lint of the folder reports it.
        if finding.location.path in found:
            found[finding.location.path].append(finding)
    return {path: sort_findings(findings) for path, findings in found.items()}


def build_site(
    pages: Sequence[tuple[LoadedMap, str | Path]],
    directory: str | Path,
    *,
    config: LintConfig | None = None,
    title: str = "Journey maps",
    group_by: GroupBy = "folder",
    progress: Callable[[str], None] | None = None,
    linted: Sequence[Linted] | None = None,
    across_maps: bool = True,
    stages: Sequence[str] = (),
) -> Site:
    """The site for ``pages`` (each a loaded map and the path its page is written to) in ``directory``.

    ``config`` is the lint configuration; None finds each map's configuration
    from its own directory upward, as ``journeyctl lint`` does. Nothing is
    written. A map whose page would be one of the site's own pages is a
    UsageError raised before any output exists. ``progress`` is told what is
    being done ("linting", "building pages"). ``linted`` is each map's lint
    findings and facts when the caller has them, ``across_maps`` whether the
    rules across maps run (see ``lint_findings``), ``stages`` the stage ids the
    map pages show (``-O stages=...``; empty for all).
    """
    from journeyctl.config import ConfigResolver

    relatives = [Path(os.path.relpath(page, directory)).as_posix() for _, page in pages]
    refuse_collisions([(loaded.path, str(page)) for loaded, page in pages], relatives)
    resolver = ConfigResolver() if config is None else ConfigResolver.fixed(config)
    if progress is not None:
        progress("linting")
    findings = lint_findings([loaded for loaded, _ in pages], resolver, linted, across_maps=across_maps)
    if progress is not None:
        progress("building pages")
    pairs = [
        (loaded, map_summary(loaded, relative, findings_page_of(relative), findings[loaded.path]))
        for (loaded, _), relative in zip(pages, relatives, strict=True)
    ]
    summaries = sorted((summary for _, summary in pairs), key=lambda s: (s.title.casefold(), s.page))
    portfolio = gather(sorted(pairs, key=lambda pair: (pair[1].title.casefold(), pair[1].page)), stages)
    groups = index_groups(summaries, group_by)
    totals = {severity: sum(s.counts[severity] for s in summaries) for severity in SEVERITIES}
    counts = {
        "pain-points": len(portfolio.pains),
        "opportunities": len(portfolio.opportunities),
        "moments": len(portfolio.moments),
        "metrics": len(portfolio.metrics),
        "insights": len(portfolio.insights),
    }
    from journeyctl.renderers.html import environment, format_number, signed

    env = environment()
    files: list[tuple[str, bytes]] = []

    def render(template: str, path: str, page_title: str, current: str, **values: object) -> None:
        def link(to_page: str, fragment: str = "") -> str:
            return relative_href(path, to_page, fragment)

        html = env.get_template(template).render(
            site_title=title,
            title=page_title,
            current=current,
            link=link,
            nav=[(key, name, target, counts[key]) for key, (name, target) in CROSS_PAGES.items()],
            index=INDEX_NAME,
            sparkline=sparkline,
            mean_text=mean_text,
            number=format_number,
            signed=signed,
            status_label=STATUS_LABEL,
            **values,
        )
        files.append((path, html.encode("utf-8")))

    group_names = {"folder": "folder", "tag": "tag", "state": "state"}
    render(
        "site.html.j2",
        INDEX_NAME,
        title,
        "index",
        groups=groups,
        group_by=group_names[group_by],
        summaries=summaries,
        totals=totals,
    )
    for summary in summaries:
        render(
            "site.findings.html.j2",
            summary.findings_page,
            f"Findings: {summary.title}",
            "",
            summary=summary,
            severities=SEVERITIES,
        )
    render(
        "site.pain-points.html.j2",
        CROSS_PAGES["pain-points"][1],
        "Pain points across maps",
        "pain-points",
        owners=portfolio.pains_by_owner(),
        severities=PAIN_SEVERITIES,
        total=len(portfolio.pains),
    )
    render(
        "site.opportunities.html.j2",
        CROSS_PAGES["opportunities"][1],
        "Opportunities: impact and effort",
        "opportunities",
        matrix=portfolio.matrix(),
        levels=LEVELS,
        quadrant=QUADRANT,
        unrated=portfolio.unrated_opportunities(),
        ordered=portfolio.opportunities,
        limit=MATRIX_CELL_LIMIT,
        statuses=list(STATUS_LABEL),
    )
    render(
        "site.moments.html.j2",
        CROSS_PAGES["moments"][1],
        "Moments of truth at risk",
        "moments",
        moments=portfolio.moments,
        total=portfolio.moments_total,
    )
    render(
        "site.metrics.html.j2",
        CROSS_PAGES["metrics"][1],
        "Metrics off target",
        "metrics",
        metrics=portfolio.metrics,
        total=portfolio.metrics_total,
    )
    render(
        "site.insights.html.j2",
        CROSS_PAGES["insights"][1],
        "Insights cited across maps",
        "insights",
        insights=portfolio.insights,
    )
    return Site(tuple(files), tuple(summaries))


@dataclass(frozen=True)
class SiteIndex:
    """The index alone and where it goes (the library API of earlier versions); ``write`` writes it."""

    path: Path
    data: bytes
    entries: tuple[MapSummary, ...]

    def write(self) -> Path:
        from journeyctl.output import write_output

        write_output(self.path, self.data)
        return self.path


def build_index(
    pages: Sequence[tuple[LoadedMap, str | Path]],
    directory: str | Path,
    *,
    config: LintConfig | None = None,
    title: str = "Journey maps",
    group_by: GroupBy = "folder",
) -> SiteIndex:
    """The index page of the site for ``pages`` (see ``build_site``), without the other pages."""
    built = build_site(pages, directory, config=config, title=title, group_by=group_by)
    return SiteIndex(Path(directory) / INDEX_NAME, built.index, built.summaries)


def write_index(
    pages: Sequence[tuple[LoadedMap, str | Path]],
    directory: str | Path,
    *,
    config: LintConfig | None = None,
    title: str = "Journey maps",
) -> Path:
    """Build the index for ``pages`` and write it atomically to ``directory/index.html``."""
    return build_index(pages, directory, config=config, title=title).write()
