"""``--format md``: GitHub-flavoured Markdown for READMEs and pull-request comments.

A summary, a Mermaid ``journey`` block (GitHub draws the emotion line), one
section per stage with tables of steps, touchpoints and metrics, and the pain
points, worst first, each with the opportunities that address it.

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

from pydantic import BaseModel, ConfigDict, Field

from journeyctl.renderers.common import (
    emotion_text,
    persona_names,
    printable,
    select_stages,
)

if TYPE_CHECKING:
    import jinja2

    from journeyctl.loader import LoadedMap
    from journeyctl.model import Metric

NAME = "md"
ALIASES: tuple[str, ...] = ("markdown",)
EXTENSION = ".md"
DESCRIPTION = "GitHub-flavoured Markdown: summary, stage tables, pain points, Mermaid journey block"
BINARY = False
REQUIRES: tuple[str, ...] = ()

EMOTION_FACES = {-2: "😫", -1: "🙁", 0: "😐", 1: "🙂", 2: "😄"}
SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3, None: 4}


class Options(BaseModel):
    """Options of the md format."""

    model_config = ConfigDict(extra="forbid")

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
    env.filters["emotion"] = lambda value: (
        emotion_text(value) if value is None else (f"{EMOTION_FACES[value]} {emotion_text(value)}")
    )
    env.filters["metric_value"] = _metric_value
    env.filters["metric_target"] = _metric_target
    env.filters["metric_status"] = _metric_status
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
    if metric.value is None or metric.target is None:
        return "—"
    met = metric.value >= metric.target if metric.better == "higher" else metric.value <= metric.target
    return "✅ on target" if met else "❌ off target"


def _fence(text: str) -> str:
    """A backtick fence longer than any backtick run in ``text`` (CommonMark's rule)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def render_markdown(loaded: LoadedMap, options: Options) -> str:
    from journeyctl.renderers.mermaid import journey_diagram

    journey = loaded.journey
    stages = select_stages(journey, options.stages)
    personas = persona_names(journey)
    touchpoint_names = {tp.id: tp.name for _, tp in journey.iter_touchpoints()}
    step_names = {step.id: step.action for _, step in journey.iter_steps()}
    stage_of = {pp.id: stage for stage in stages for pp in stage.pain_points}
    numbers = {stage.id: index for index, stage in enumerate(journey.stages, start=1)}
    channels = {channel.id: channel for channel in journey.channels}
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
    diagram = journey_diagram(loaded, options.stages, title=False) if options.mermaid else ""
    level = options.heading_level
    context = {
        "journey": journey,
        "stages": stages,
        "numbers": numbers,
        "personas": personas,
        "channels": channels,
        "touchpoint_names": touchpoint_names,
        "step_names": step_names,
        "pain_points": pain_points,
        "addressed_by": addressed_by,
        "loose_opportunities": loose_opportunities,
        "counts": {
            "steps": sum(len(stage.steps) for stage in stages),
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
        "md": Markdown,
    }
    return environment().get_template("markdown.md.j2").render(context)


def render(loaded: LoadedMap, options: Options) -> bytes:
    return render_markdown(loaded, options).encode("utf-8")
