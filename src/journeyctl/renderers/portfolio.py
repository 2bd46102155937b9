"""The portfolio of a site: what every map of ``render DIR -f html -o SITE`` says, gathered across maps.

``site.py`` lays these values out as pages; here they are only collected and
ordered, from the loaded maps and their lint findings: one ``MapSummary`` per
map (its emotion lines for the sparkline, its findings), the groups of the
index (by folder, tag or state, with a future map beside its baseline), and
the cross-map lists: pain points by owner and severity, opportunities by
impact and effort, moments of truth at risk, metrics off target, and the
insights maps cite. Everything is sorted with total keys, so the pages are the
same bytes on every run.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

if typing.TYPE_CHECKING:
    from journeyctl.lint.findings import Finding
    from journeyctl.loader import LoadedMap
    from journeyctl.model import Journey, Metric, Opportunity, PainPoint, Stage, Step

# The site index's groupings, defined where a one-map render can check --group-by without this module.
from journeyctl.renderers.common import GROUP_BY_CHOICES as GROUP_BY_CHOICES
from journeyctl.renderers.common import GroupBy as GroupBy

SEVERITIES = ("error", "warning", "info")
#: Pain point severities, worst first; None is "not rated" and comes last.
PAIN_SEVERITIES: tuple[str | None, ...] = ("critical", "high", "medium", "low", None)
LEVELS = ("high", "medium", "low")
STATUS_ORDER = {"in-progress": 0, "planned": 1, "idea": 2, "done": 3}
STATUS_LABEL = {"idea": "Idea", "planned": "Planned", "in-progress": "In progress", "done": "Done"}
#: What a cell of the impact x effort matrix suggests doing, keyed by (impact, effort).
QUADRANT = {
    ("high", "low"): "Quick win: do first",
    ("high", "medium"): "Worth planning",
    ("high", "high"): "Big bet: plan with care",
    ("medium", "low"): "Quick win",
    ("medium", "medium"): "Consider",
    ("medium", "high"): "Question the cost",
    ("low", "low"): "Fill-in",
    ("low", "medium"): "Low priority",
    ("low", "high"): "Avoid",
}
NO_OWNER = "No owner"


@dataclass(frozen=True)
class EmotionLine:
    """One line of a sparkline: a persona's main-line steps (or every step), each with its score.

    ``points`` are (position on the main line, score or None when nobody scored it).
    """

    key: str  # persona id, or "" for the one line of a map without several personas
    label: str
    points: tuple[tuple[int, float | None], ...]

    @property
    def scored(self) -> list[float]:
        return [score for _, score in self.points if score is not None]


@dataclass(frozen=True)
class MapSummary:
    """One map of the site: what its index row shows, where its pages are, its findings."""

    page: str  # posix path of its page below the site's root
    findings_page: str
    source: str  # the map file, as given on the command line
    title: str
    map_id: str
    state: str
    baseline: str | None
    owner: str | None
    reviewed: str | None
    summary: str | None
    tags: tuple[str, ...]
    stages: int
    steps: int
    main_steps: int
    lines: tuple[EmotionLine, ...]
    findings: tuple[Finding, ...]
    counts: dict[str, int]

    @property
    def folder(self) -> str:
        parent = PurePosixPath(self.page).parent.as_posix()
        return "" if parent == "." else parent

    @property
    def mean_emotion(self) -> float | None:
        """The mean of every score on the main line, over every line (None when nothing is scored)."""
        scores = [score for line in self.lines for score in line.scored]
        return sum(scores) / len(scores) if scores else None

    @property
    def total_findings(self) -> int:
        return sum(self.counts.values())


@dataclass
class IndexItem:
    """A row of the index, or a pair: a current map with the future maps that improve on it."""

    current: MapSummary
    futures: list[MapSummary] = field(default_factory=list)
    #: For a future map shown alone: its baseline's summary when that map is in the site elsewhere.
    baseline: MapSummary | None = None


@dataclass
class IndexGroup:
    key: str  # a stable anchor
    label: str
    items: list[IndexItem]

    @property
    def maps(self) -> int:
        return sum(1 + len(item.futures) for item in self.items)


# --- one map -------------------------------------------------------------------------------


def emotion_lines(journey: Journey) -> tuple[EmotionLine, ...]:
    """The main line's emotion, one line per persona when the map has several, else one line.

    The lines are ``renderers.emotion_lines``' (the map page and the slide draw
    the same): a persona's line goes through the steps that persona takes (a
    step naming no persona is everyone's), with that persona's own score where
    the step has one; a step nobody scored is a gap (None), never a neutral
    point. Here each point's position is its place on the main line, so that
    the sparkline spaces main-line steps evenly; a persona without main-line
    steps draws no line.
    """
    from journeyctl.renderers import emotion_lines as lines_module

    main = {step.id: index for index, (_, step) in enumerate(journey.iter_main_line())}
    found = []
    for line in lines_module.emotion_lines(journey):
        points = tuple((main[point.step_id], point.score) for point in line.points if point.step_id in main)
        if points or len(journey.personas) <= 1:
            found.append(EmotionLine(line.persona or "", line.name, points))
    return tuple(found)


def map_summary(loaded: LoadedMap, page: str, findings_page: str, findings: Sequence[Finding]) -> MapSummary:
    journey = loaded.journey
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    return MapSummary(
        page=page,
        findings_page=findings_page,
        source=loaded.path,
        title=journey.title,
        map_id=journey.id,
        state=journey.state,
        baseline=journey.baseline,
        owner=journey.owner,
        reviewed=journey.reviewed.isoformat() if journey.reviewed else None,
        summary=journey.summary,
        tags=tuple(journey.tags),
        stages=len(journey.stages),
        steps=sum(len(stage.steps) for stage in journey.stages),
        main_steps=sum(1 for _ in journey.iter_main_line()),
        lines=emotion_lines(journey),
        findings=tuple(findings),
        counts=counts,
    )


# --- the index -------------------------------------------------------------------------------


def _title_key(summary: MapSummary) -> tuple[str, str]:
    return (summary.title.casefold(), summary.page)


def baselines_of(summaries: Sequence[MapSummary]) -> dict[str, MapSummary]:
    """Each current-state map by id (the first by page path when two share an id)."""
    found: dict[str, MapSummary] = {}
    for summary in sorted(summaries, key=lambda s: s.page):
        if summary.state == "current":
            found.setdefault(summary.map_id, summary)
    return found


def _items(members: Sequence[MapSummary], baselines: dict[str, MapSummary]) -> list[IndexItem]:
    """The rows of one group: a future map goes beside its baseline when that is in the group too."""
    present = {id(summary) for summary in members}
    items: dict[int, IndexItem] = {}
    loose: list[IndexItem] = []
    for summary in sorted(members, key=_title_key):
        if summary.state == "future":
            continue
        items[id(summary)] = IndexItem(summary)
    for summary in sorted(members, key=_title_key):
        if summary.state != "future":
            continue
        baseline = baselines.get(summary.baseline or "")
        if baseline is not None and id(baseline) in present:
            items[id(baseline)].futures.append(summary)
        else:
            loose.append(IndexItem(summary, baseline=baseline))
    return sorted([*items.values(), *loose], key=lambda item: _title_key(item.current))


def index_groups(summaries: Sequence[MapSummary], group_by: GroupBy) -> list[IndexGroup]:
    """The index's groups, in reading order; a map appears once per group it belongs to."""
    baselines = baselines_of(summaries)
    if group_by == "state":
        paired_ids = {
            id(baselines[s.baseline]) for s in summaries if s.state == "future" and s.baseline in baselines
        }
        paired = [
            s for s in summaries if id(s) in paired_ids or (s.state == "future" and s.baseline in baselines)
        ]
        states = [
            ("pairs", "Current and future state", paired),
            ("current", "Current state", [s for s in summaries if s.state == "current" and s not in paired]),
            ("future", "Future state", [s for s in summaries if s.state == "future" and s not in paired]),
        ]
        return [
            IndexGroup(key, label, _items(members, baselines)) for key, label, members in states if members
        ]
    buckets: dict[str, list[MapSummary]] = {}
    for summary in summaries:
        keys = [summary.folder] if group_by == "folder" else list(dict.fromkeys(summary.tags)) or [""]
        for key in keys:
            buckets.setdefault(key, []).append(summary)
    # The top folder comes first; untagged maps come last, as the rest.
    empty_rank = 0 if group_by == "folder" else 2

    def order(key: str) -> tuple[int, str, str]:
        return (empty_rank if key == "" else 1, key.casefold(), key)

    groups = []
    for number, key in enumerate(sorted(buckets, key=order), start=1):
        label = (f"{key}/" if key else "Top folder") if group_by == "folder" else key or "No tag"
        groups.append(IndexGroup(f"group-{number}", label, _items(buckets[key], baselines)))
    return groups


# --- across maps -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where something is: its map, stage, and the anchor of it on the map's page."""

    summary: MapSummary
    stage: str
    anchor: str  # fragment on the map page, without '#'
    label: str  # what it is called there


@dataclass(frozen=True)
class PainView:
    place: Place
    pain: PainPoint
    owner: str
    addressed_by: tuple[tuple[str, str], ...]  # (description, status) of opportunities on it


@dataclass(frozen=True)
class OpportunityView:
    place: Place
    opportunity: Opportunity
    addresses: int

    @property
    def priority(self) -> tuple[int, int, int, str, str]:
        impact = LEVELS.index(self.opportunity.impact) if self.opportunity.impact else 3
        effort = LEVELS[::-1].index(self.opportunity.effort) if self.opportunity.effort else 3
        return (
            STATUS_ORDER[self.opportunity.status] == 3,
            impact + effort,
            STATUS_ORDER[self.opportunity.status],
            self.place.summary.title.casefold(),
            self.place.summary.page + "#" + self.place.anchor,
        )


@dataclass(frozen=True)
class MomentView:
    place: Place
    kind: str  # "Step" or "Touchpoint"
    lowest: int
    who: str  # whose score is lowest, or "" when it is the step's
    pains: tuple[tuple[PainPoint, str], ...]  # each with its anchor on the map page ("" if not shown)
    plans: tuple[tuple[str, str], ...]  # (description, status) of opportunities addressing those pains

    @property
    def has_plan(self) -> bool:
        """Whether an opportunity addresses a pain point at this moment (whatever its status)."""
        return bool(self.plans)


@dataclass(frozen=True)
class MetricView:
    place: Place
    metric: Metric
    explained_by: tuple[str, ...]  # descriptions of pain points that cite it

    @property
    def relative_gap(self) -> float | None:
        shortfall = self.metric.shortfall
        if shortfall is None or not self.metric.target:
            return None
        return shortfall / abs(self.metric.target)


@dataclass(frozen=True)
class Citation:
    place: Place
    kind: str  # "Step", "Pain point", "Opportunity", "Metric", "Funnel"


@dataclass
class InsightView:
    key: str  # a stable anchor
    insight_id: str
    kind: str
    source: str
    date: str | None
    url: str | None
    text: str | None
    quote: str | None
    origin: str  # where it is defined, as a reader names it: "the map ..." or the shared file's path
    citations: list[Citation] = field(default_factory=list)

    @property
    def maps(self) -> int:
        return len({citation.place.summary.page for citation in self.citations})


@dataclass
class Portfolio:
    """Everything the cross-map pages show, gathered from every map of the site."""

    summaries: list[MapSummary]
    pains: list[PainView]
    opportunities: list[OpportunityView]
    moments: list[MomentView]
    moments_total: int
    metrics: list[MetricView]
    metrics_total: int
    insights: list[InsightView]

    def pains_by_owner(self) -> list[tuple[str, list[PainView]]]:
        owners: dict[str, list[PainView]] = {}
        for view in self.pains:
            owners.setdefault(view.owner, []).append(view)
        ordered = sorted(owners, key=lambda name: (name == NO_OWNER, name.casefold(), name))
        return [(name, owners[name]) for name in ordered]

    def matrix(self) -> dict[tuple[str, str], list[OpportunityView]]:
        cells: dict[tuple[str, str], list[OpportunityView]] = {
            (impact, effort): [] for impact in LEVELS for effort in LEVELS
        }
        for view in self.opportunities:
            impact, effort = view.opportunity.impact, view.opportunity.effort
            if impact is not None and effort is not None:
                cells[(impact, effort)].append(view)
        return cells

    def unrated_opportunities(self) -> list[OpportunityView]:
        return [v for v in self.opportunities if v.opportunity.impact is None or v.opportunity.effort is None]


def _pain_rank(pain: PainPoint) -> int:
    return PAIN_SEVERITIES.index(pain.severity)


def gather(pairs: Iterable[tuple[LoadedMap, MapSummary]], shown: Sequence[str] = ()) -> Portfolio:
    """The cross-map lists of the maps in ``pairs`` (each loaded map with its summary).

    ``shown`` are the stage ids the map pages show (``-O stages=...``; empty: all):
    what sits in another stage is still listed, linked to its map's page without
    a fragment, since the page has no element to point at.
    """
    from journeyctl.model.common import entity_file

    def anchor_in(stage: Stage, anchor: str) -> str:
        return anchor if not shown or stage.id in shown else ""

    pains: list[PainView] = []
    opportunities: list[OpportunityView] = []
    moments: list[MomentView] = []
    metrics: list[MetricView] = []
    insights: dict[tuple[str, str], InsightView] = {}
    summaries: list[MapSummary] = []
    moments_total = metrics_total = 0
    for loaded, summary in pairs:
        summaries.append(summary)
        journey = loaded.journey
        addressing: dict[str, list[Opportunity]] = {}
        for _, opportunity in journey.iter_opportunities():
            for ref in opportunity.addresses:
                addressing.setdefault(ref, []).append(opportunity)
        citing_metric: dict[str, list[PainPoint]] = {}
        for _, pain in journey.iter_pain_points():
            for ref in pain.metrics:
                citing_metric.setdefault(ref, []).append(pain)
        for stage, pain in journey.iter_pain_points():
            pains.append(
                PainView(
                    Place(summary, stage.name, anchor_in(stage, f"pain-{pain.id}"), pain.description),
                    pain,
                    pain.owner or NO_OWNER,
                    tuple((o.description, o.status) for o in addressing.get(pain.id, [])),
                )
            )
        for stage, opportunity in journey.iter_opportunities():
            opportunities.append(
                OpportunityView(
                    Place(
                        summary,
                        stage.name,
                        anchor_in(stage, f"opportunity-{opportunity.id}"),
                        opportunity.description,
                    ),
                    opportunity,
                    len(opportunity.addresses),
                )
            )
        found, total = _moments_at_risk(journey, summary, addressing, anchor_in)
        moments.extend(found)
        moments_total += total
        for stage, metric in journey.iter_metrics():
            metrics_total += 1
            if metric.missed:
                metrics.append(
                    MetricView(
                        Place(summary, stage.name, anchor_in(stage, f"metric-{metric.id}"), metric.name),
                        metric,
                        tuple(p.description for p in citing_metric.get(metric.id, [])),
                    )
                )
        defined = {insight.id: insight for insight in journey.insights}
        for citation_kind, cited_in, anchor, label, cited in _citations(journey):
            for ident in cited:
                insight = defined.get(ident)
                if insight is None:
                    continue  # a dangling reference: lint reports it
                origin = entity_file(insight) or loaded.path
                key = (origin, ident)
                if key not in insights:
                    insights[key] = InsightView(
                        "",
                        ident,
                        insight.kind,
                        insight.source,
                        insight.date.isoformat() if insight.date else None,
                        insight.url,
                        insight.text,
                        insight.quote,
                        _origin_label(origin, loaded.path, summary.title),
                    )
                insights[key].citations.append(
                    Citation(
                        Place(
                            summary,
                            cited_in.name if cited_in else "",
                            anchor_in(cited_in, anchor) if cited_in else anchor,
                            label,
                        ),
                        citation_kind,
                    )
                )
    pains.sort(
        key=lambda v: (_pain_rank(v.pain), v.place.summary.title.casefold(), v.place.summary.page, v.pain.id)
    )
    opportunities.sort(key=lambda v: v.priority)
    moments.sort(
        key=lambda v: (
            v.has_plan,
            v.lowest,
            v.place.summary.title.casefold(),
            v.place.summary.page,
            v.place.anchor,
        )
    )
    metrics.sort(
        key=lambda v: (
            -(v.relative_gap or 0.0),
            v.place.summary.title.casefold(),
            v.place.summary.page,
            v.metric.id,
        )
    )
    ordered = sorted(insights.values(), key=lambda v: (-v.maps, -len(v.citations), v.insight_id, v.origin))
    for number, view in enumerate(ordered, start=1):
        view.key = f"insight-{number}"
    return Portfolio(summaries, pains, opportunities, moments, moments_total, metrics, metrics_total, ordered)


def _origin_label(origin: str, map_path: str, title: str) -> str:
    """Where an insight is defined: the map itself, or the shared file as the map's ``include`` names it.

    Never the path as this machine spells it (``../../home/ci/repo/...``).
    """
    import os

    if os.path.abspath(origin) == os.path.abspath(map_path):
        return f"the map {title}"
    return Path(os.path.relpath(origin, os.path.dirname(os.path.abspath(map_path)))).as_posix()


def _moments_at_risk(
    journey: Journey,
    summary: MapSummary,
    addressing: dict[str, list[Opportunity]],
    anchor_in: Callable[[Stage, str], str],
) -> tuple[list[MomentView], int]:
    """Moments of truth (steps and touchpoints) where some persona feels negative; and how many there are."""
    stage_of_step: dict[str, Stage] = {}
    steps_using: dict[str, list[Step]] = {}
    for stage, step in journey.iter_steps():
        stage_of_step[step.id] = stage
        for ref in step.touchpoints:
            steps_using.setdefault(ref, []).append(step)
    pains = [pain for _, pain in journey.iter_pain_points()]
    anchors = {pain.id: anchor_in(stage, f"pain-{pain.id}") for stage, pain in journey.iter_pain_points()}
    found: list[MomentView] = []
    total = 0

    def view(place: Place, kind: str, steps: Sequence[Step], there: list[PainPoint]) -> MomentView | None:
        lowest: tuple[int, str] | None = None
        for step in steps:
            for persona in journey.persona_ids_of(step) or (None,):
                score = step.emotion_of(persona)
                if score is not None and (lowest is None or score < lowest[0]):
                    name = next((p.name for p in journey.personas if p.id == persona), "")
                    lowest = (score, name if step.emotions else "")
        if lowest is None or lowest[0] >= 0:
            return None
        # An opportunity that addresses several pain points here is one plan.
        chosen = {id(o): o for pain in there for o in addressing.get(pain.id, [])}
        plans = tuple((o.description, o.status) for o in chosen.values())
        located = tuple((pain, anchors[pain.id]) for pain in there)
        return MomentView(place, kind, lowest[0], lowest[1], located, plans)

    for stage, step in journey.iter_steps():
        if not step.moment_of_truth:
            continue
        total += 1
        there = [p for p in pains if p.step == step.id or (p.touchpoint in step.touchpoints)]
        moment = view(
            Place(summary, stage.name, anchor_in(stage, f"step-{step.id}"), step.action),
            "Step",
            [step],
            there,
        )
        if moment is not None:
            found.append(moment)
    for stage, touchpoint in journey.iter_touchpoints():
        if not touchpoint.moment_of_truth:
            continue
        total += 1
        users = steps_using.get(touchpoint.id, [])
        ids = {step.id for step in users}
        there = [p for p in pains if p.touchpoint == touchpoint.id or p.step in ids]
        place = Place(summary, stage.name, anchor_in(stage, f"touchpoint-{touchpoint.id}"), touchpoint.name)
        moment = view(place, "Touchpoint", users, there)
        if moment is not None:
            found.append(moment)
    return found, total


def _citations(journey: Journey) -> Iterable[tuple[str, Stage | None, str, str, list[str]]]:
    """Everything in ``journey`` that cites insights: (kind, stage, anchor, label, insight ids)."""
    for stage in journey.stages:
        for step in stage.steps:
            if step.insights:
                yield "Step", stage, f"step-{step.id}", step.action, step.insights
        for pain in stage.pain_points:
            if pain.insights:
                yield "Pain point", stage, f"pain-{pain.id}", pain.description, pain.insights
        for opportunity in stage.opportunities:
            if opportunity.insights:
                yield (
                    "Opportunity",
                    stage,
                    f"opportunity-{opportunity.id}",
                    opportunity.description,
                    opportunity.insights,
                )
        for metric in stage.metrics:
            if metric.insights:
                yield "Metric", stage, f"metric-{metric.id}", metric.name, metric.insights
    if journey.funnel is not None and journey.funnel.insights:
        yield "Funnel", None, "", journey.funnel.name or "Funnel", journey.funnel.insights
