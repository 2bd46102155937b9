"""``--format md``: GitHub-flavoured Markdown for READMEs and pull-request comments.

A summary, a Mermaid ``journey`` block (GitHub draws the emotion line of the
main line), the funnel, one section per stage (its main-line time) with
tables of steps (personas, or "every persona"; each persona's own score;
branches off the main line with their condition; moments of truth; bright
spots; time; insights cited), touchpoints (ownership) and metrics (what they
measure, period and segment, source), the pain points, worst first ("not
rated" apart), each with its place, owner, evidence, insights and the
opportunities that address it, and the insights with source, date and link.

Every value printed by the template is escaped by the environment's
``finalize`` hook, the way HTML autoescaping works: ``& < >`` become entities
(so no raw HTML survives), Markdown's inline punctuation (``\\ ` * _ [ ] | ~
# $``) is backslash-escaped, and newlines become ``<br>`` so that table cells
and list items stay on one line. Only values wrapped in ``Markdown`` (text the
renderer built itself) pass unescaped.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from journeyctl.options import Field
from journeyctl.renderers import RendererOptions
from journeyctl.renderers.common import (
    OWNERSHIP_WORDS,
    branch_links,
    branch_text,
    emotion_text,
    insight_text,
    metric_place,
    metric_scope,
    metric_verdict,
    persona_names,
    persona_scores,
    printable,
    select_stages,
    severity_text,
    stage_time_text,
    step_personas_text,
    step_time_text,
)

if TYPE_CHECKING:
    import jinja2

    from journeyctl.loader import LoadedMap
    from journeyctl.model import Insight, Journey, Metric, Step
    from journeyctl.renderers.common import BranchLink

NAME = "md"
ALIASES: tuple[str, ...] = ("markdown",)
EXTENSION = ".md"
DESCRIPTION = "GitHub-flavoured Markdown: summary, stage tables, pain points, Mermaid journey block"
BINARY = False
REQUIRES: tuple[str, ...] = ()

EMOTION_FACES = {-2: "😫", -1: "🙁", 0: "😐", 1: "🙂", 2: "😄"}
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3, None: 4}
#: Characters a link destination cannot hold as they are (CommonMark), percent-encoded.
_URL_UNSAFE = str.maketrans({char: f"%{ord(char):02X}" for char in "<>()[]\"'` |\\"})


class Options(RendererOptions):
    """Options of the md format."""

    stages: list[str] = Field(
        default_factory=list, description="Only these stage ids, in journey order (default: all)."
    )
    mermaid: bool = Field(True, description="Include the Mermaid journey diagram block.")
    heading_level: int = Field(
        1, ge=1, le=4, description="Level of the title heading (2 to embed the map under a README section)."
    )


class Markdown(str):
    """Markdown that the renderer wrote itself: printed as is, never escaped."""

    __slots__ = ()


# One pass of str.translate (C speed: a 500-stage map has tens of thousands of cells).
_INLINE = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "\t": " ",
        **{char: "\\" + char for char in "\\`*_[]|~#$"},
    }
)
_BLOCK_START = re.compile(r"^(\s*)([-+=]|\d+[.)])")


def escape_inline(text: str) -> str:
    """Map text as Markdown that shows it literally, on one line."""
    shown = printable(text).translate(_INLINE)
    if "\n" in shown:
        shown = "<br>".join(line.strip() for line in shown.strip().split("\n"))
    shown = shown.strip()
    # Map text that is only white space would vanish, and "**" around nothing reads
    # as a thematic break ("- ****" is a rule, not a bold name): say it is blank.
    return shown or ("(blank)" if text else "")


def escape_block(text: str) -> Markdown:
    """Map text as a paragraph: inline-escaped, and a leading list or heading marker defused."""
    return Markdown(_BLOCK_START.sub(_defuse, escape_inline(text)))


def _defuse(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    if marker in "-+=":  # a bullet, or a setext heading underline
        return f"{indent}\\{marker}"
    return f"{indent}{marker[:-1]}\\{marker[-1]}"  # "1986." would start an ordered list


def _finalize(value: Any) -> str:
    if isinstance(value, Markdown):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return escape_inline(str(value))


@functools.cache
def environment() -> jinja2.Environment:
    import jinja2

    from journeyctl.templating import bytecode_cache

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("journeyctl.renderers", "templates"),
        bytecode_cache=bytecode_cache(),
        autoescape=False,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["block"] = escape_block
    env.filters["emotion"] = _emotion
    env.filters["severity"] = lambda value: severity_text(value).capitalize()
    env.filters["metric_value"] = _metric_value
    env.filters["metric_target"] = _metric_target
    env.filters["metric_status"] = _metric_status
    env.globals["md"] = Markdown  # a global, for the macros imported without the page's context too
    return env


def _number(value: float, unit: str | None) -> str:
    return f"{value:g}" + (f" {unit}" if unit else "")


def _metric_value(metric: Metric) -> str:
    return "—" if metric.value is None else _number(metric.value, metric.unit)


def _metric_target(metric: Metric) -> str:
    if metric.target is None:
        return "—"
    return f"{_number(metric.target, metric.unit)} ({metric.better} is better)"


def _metric_status(metric: Metric) -> str:
    verdict = metric_verdict(metric)
    if verdict == "none":
        return "—"
    return "✅ on target" if verdict == "on" else "❌ off target"


def _emotion(value: int | None) -> str:
    """``🙂 +1 positive``; ``not scored`` (no face: it is no point on the scale)."""
    return emotion_text(value) if value is None else f"{EMOTION_FACES[value]} {emotion_text(value)}"


def _lines(*parts: str) -> Markdown:
    """Cell lines, each already Markdown, joined by ``<br>``; empty parts left out."""
    return Markdown("<br>".join(part for part in parts if part))


def link(text: str, url: str) -> Markdown:
    """``[text](url)`` with the text escaped and the address made safe to stand in a link."""
    return Markdown(f"[{escape_inline(text)}]({printable(url).strip().translate(_URL_UNSAFE)})")


def _step_cell(step: Step, link_of: BranchLink | None, insight_labels: dict[str, str]) -> Markdown:
    parts = [escape_inline(step.action)]
    if link_of is not None:
        parts.append("↳ *" + escape_inline(branch_text(link_of)) + "*")
    if step.entry_point:
        parts.append("→ entry point")
    if step.exit_point:
        parts.append("⇥ exit point")
    if step.moment_of_truth:
        parts.append("★ **moment of truth**")
    for spot in step.bright_spots:
        parts.append("✓ bright spot: " + escape_inline(spot))
    if step.insights:
        parts.append(
            "insights " + ", ".join(insight_labels.get(ref, escape_inline(ref)) for ref in step.insights)
        )
    return _lines(*parts)


def _emotion_cell(journey: Journey, step: Step, personas: dict[str, str]) -> Markdown:
    scores = persona_scores(journey, step, personas)
    if not scores:
        return Markdown(escape_inline(_emotion(step.emotion)))
    return _lines(
        *(f"{escape_inline(score.name)}: {escape_inline(_emotion(score.emotion))}" for score in scores)
    )


def _metric_rows(
    journey: Journey,
    metric: Metric,
    personas: dict[str, str],
    insight_labels: dict[str, str],
    names: tuple[dict[str, str], dict[str, str]],
) -> dict[str, Markdown]:
    """The cells of a metric's row: what it measures, the figures, whom and when, where from."""
    source = [escape_inline(metric.source)] if metric.source and metric.source.strip() else []
    if metric.insights:
        source.append(
            "insights " + ", ".join(insight_labels.get(ref, escape_inline(ref)) for ref in metric.insights)
        )
    place = metric_place(journey, metric, *names)
    return {
        "placed": Markdown("yes" if place else ""),
        "measures": Markdown(escape_inline(place or "the whole stage")),
        "scope": Markdown(escape_inline(" · ".join(metric_scope(metric, personas)))),
        "source": _lines(*source),
    }


def _insight_line(label: str, insight: Insight) -> Markdown:
    head = f"**{label}** " + escape_inline(insight_text(insight))
    if insight.url:
        head += " (" + link("link", insight.url) + ")"
    parts = [head]
    if insight.text and insight.text.strip():
        parts.append(escape_inline(insight.text))
    if insight.quote and insight.quote.strip():
        parts.append("“" + escape_inline(insight.quote) + "”")
    return Markdown(": ".join(parts[:2]) + (" " + parts[2] if len(parts) > 2 else ""))


def _fence(text: str) -> str:
    """A backtick fence longer than any backtick run in ``text`` (CommonMark's rule)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _percent(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") + "%"


def _funnel(journey: Journey) -> dict[str, Any] | None:
    """The funnel's rows (what is reached, how many, the drop to the next entry) and its biggest drop."""
    from journeyctl.model.funnel import biggest_drop, funnel_drops

    funnel = journey.funnel
    if funnel is None:
        return None
    stages = {stage.id: stage.name for stage in journey.stages}
    steps = {step.id: step.action for _, step in journey.iter_steps()}
    drops = {id(drop.entry): drop for drop in funnel_drops(journey)}
    biggest = biggest_drop(journey)

    def name(entry: Any) -> str:
        if entry.stage is not None:
            return f"stage “{stages.get(entry.stage, entry.stage)}”"
        return f"step “{steps.get(entry.step, entry.step)}”"

    rows = []
    for entry in funnel.entries:
        drop = drops.get(id(entry))
        if drop is None:
            lost = ""
        elif drop.share < 0:
            lost = f"{_percent(-drop.share)} more reach the next (they join in between)"
        else:
            lost = f"{_percent(drop.share)}" + (f" ({drop.lost:,} lost)" if drop.lost is not None else "")
            if biggest is not None and biggest.entry is drop.entry:
                lost += " — biggest drop"
        rows.append(
            {"name": name(entry), "count": "—" if entry.count is None else f"{entry.count:,}", "drop": lost}
        )
    facts = [part for part in (funnel.unit, funnel.period, funnel.segment) if part and part.strip()]
    if funnel.as_of is not None:
        facts.append(f"as of {funnel.as_of.isoformat()}")
    if funnel.persona is not None:
        facts.append(persona_names(journey).get(funnel.persona, funnel.persona))
    return {"funnel": funnel, "rows": rows, "facts": " · ".join(facts)}


def render_markdown(loaded: LoadedMap, options: Options) -> str:
    from journeyctl.renderers.mermaid import journey_diagram

    journey = loaded.journey
    stages = select_stages(journey, options.stages)
    personas = persona_names(journey)
    touchpoint_names = {tp.id: tp.name for _, tp in journey.iter_touchpoints()}
    step_names = {step.id: step.action for _, step in journey.iter_steps()}
    metric_names = {metric.id: metric.name for _, metric in journey.iter_metrics()}
    stage_of = {pp.id: stage for stage in stages for pp in stage.pain_points}
    numbers = {stage.id: index for index, stage in enumerate(journey.stages, start=1)}
    channels = {channel.id: channel for channel in journey.channels}
    links = branch_links(journey)

    # Insights: those that anything shown cites, in the order the map defines them, labelled I1, I2...
    cited: set[str] = set()
    for stage in stages:
        for citing in (stage.steps, stage.pain_points, stage.opportunities, stage.metrics):
            for entity in citing:
                cited.update(entity.insights)
    if journey.funnel is not None:
        cited.update(journey.funnel.insights)
    insights = [insight for insight in journey.insights if insight.id in cited]
    insight_labels = {insight.id: f"I{index}" for index, insight in enumerate(insights, start=1)}

    addressed_by: dict[str, list[Any]] = {}
    loose_opportunities = []
    for stage in stages:
        for opportunity in stage.opportunities:
            targets = [ref for ref in opportunity.addresses if ref in stage_of]
            for ref in targets:
                addressed_by.setdefault(ref, []).append((stage, opportunity))
            if not targets:
                loose_opportunities.append((stage, opportunity))
    pain_points = sorted(
        ((stage, pp) for stage in stages for pp in stage.pain_points),
        key=lambda item: SEVERITY_ORDER[item[1].severity],
    )
    stage_rows = []
    for stage in stages:
        timed = any(step.duration or step.wait for step in stage.steps)
        steps = [
            {
                "step": step,
                "cell": _step_cell(step, links.get(step.id), insight_labels),
                "personas": step_personas_text(journey, step, personas),  # "; " between: names hold commas
                "emotion": _emotion_cell(journey, step, personas),
                "time": step_time_text(step),
            }
            for step in stage.steps
        ]
        metrics = [
            {
                "metric": metric,
                **_metric_rows(journey, metric, personas, insight_labels, (step_names, touchpoint_names)),
            }
            for metric in stage.metrics
        ]
        stage_rows.append(
            {
                "stage": stage,
                "steps": steps,
                "timed": timed,
                "time": stage_time_text(stage),
                "metrics": metrics,
            }
        )
    diagram = journey_diagram(loaded, options.stages, title=False) if options.mermaid else ""
    level = options.heading_level
    context = {
        "journey": journey,
        "stages": stage_rows,
        "numbers": numbers,
        "personas": personas,
        "channels": channels,
        "ownership": OWNERSHIP_WORDS,
        "touchpoint_names": touchpoint_names,
        "step_names": step_names,
        "metric_names": metric_names,
        "pain_points": pain_points,
        "unrated": sum(1 for _, pp in pain_points if pp.severity is None),
        "addressed_by": addressed_by,
        "loose_opportunities": loose_opportunities,
        "insights": [
            (insight_labels[insight.id], _insight_line(insight_labels[insight.id], insight))
            for insight in insights
        ],
        "insight_labels": insight_labels,
        "funnel": _funnel(journey),
        "counts": {
            "steps": sum(len(stage.steps) for stage in stages),
            "branch_steps": sum(1 for stage in stages for step in stage.steps if step.is_branch),
            "touchpoints": sum(len(stage.touchpoints) for stage in stages),
            "pain_points": len(pain_points),
            "opportunities": sum(len(stage.opportunities) for stage in stages),
        },
        "filtered": bool(options.stages),
        "diagram": Markdown(diagram),
        "fence": Markdown(_fence(diagram)),
        "h1": Markdown("#" * level),
        "h2": Markdown("#" * (level + 1)),
        "h3": Markdown("#" * (level + 2)),
    }
    return environment().get_template("markdown.md.j2").render(context)


def render(loaded: LoadedMap, options: Options) -> bytes:
    return render_markdown(loaded, options).encode("utf-8")
