"""The Graphviz DOT text of a journey map, shared by the dot, svg, png and pdf renderers.

Two layouts. *Detailed* (the default for normal maps): stages left to right
as clusters in journey order, each step a column holding the step, the
touchpoints it uses (with their channel and ownership), the pain points met
there, the opportunities that address them and the metrics that measure it.
The main line is one chain of bold arrows; a branch step (alternative,
failure, recovery) hangs off it by a dashed arrow from the step it branches
off, labelled with its kind and condition, and a dashed arrow returns where it
rejoins: never on the line every customer follows. *Compact* (chosen automatically for big
maps): one box per stage with its counts and mean emotion, wrapped into rows
inside one cluster per phase, so that a 500-stage map stays readable and
``dot`` lays it out in about a second instead of minutes.

Every piece of map text goes into an HTML-like label through ``label_text``,
which escapes ``& < > " ' ]`` and turns newlines into ``<BR/>``: DOT's own
string escapes (backslashes, ``\\N``, braces, quotes) never see user text.
"""

from __future__ import annotations

import html
import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from journeyctl.options import Field
from journeyctl.renderers import RendererOptions
from journeyctl.renderers.common import (
    EMOTION_WORDS,
    EVERY_PERSONA,
    KIND_WORDS,
    OWNERSHIP_WORDS,
    branch_links,
    curve_score,
    emotion_text,
    insight_text,
    metric_place,
    metric_scope,
    metric_verdict,
    persona_scores,
    printable,
    select_stages,
    severity_text,
    stage_emotion,
    stage_time_text,
    step_time_text,
)

if TYPE_CHECKING:
    from journeyctl.loader import LoadedMap
    from journeyctl.model import Journey, Metric, Stage, Step

FONT = "Helvetica,Arial,sans-serif"

#: Fill per emotion, a colour-blind-safe diverging scale (ColorBrewer RdBu, light end):
#: black text on each has a contrast ratio above 10:1. Labels also say the number and words.
EMOTION_COLOURS = {
    -2: "#f4a582",
    -1: "#fddbc7",
    0: "#f0f0f0",
    1: "#d1e5f0",
    2: "#92c5de",
}
NO_EMOTION_COLOUR = "#ffffff"
BRANCH_COLOUR = "#6941c6"
PAIN_COLOUR = "#fde8e8"
PAIN_BORDER = "#b42318"
OPPORTUNITY_COLOUR = "#e6f4ea"
OPPORTUNITY_BORDER = "#067647"
TOUCHPOINT_BORDER = "#475467"
STAGE_FILL = "#f8f9fb"
STAGE_BORDER = "#98a2b3"

#: ``layout=auto`` switches to the compact layout above either of these: beyond
#: them ``dot``'s layout time grows quickly (see docs/render.md for figures).
AUTO_MAX_STAGES = 40
AUTO_MAX_STEPS = 240


class GraphvizOptions(RendererOptions):
    """Options of the dot, svg, png and pdf formats."""

    stages: list[str] = Field(
        default_factory=list, description="Only these stage ids, in journey order (default: all)."
    )
    layout: Literal["auto", "detailed", "compact"] = Field(
        "auto",
        description=(
            f"detailed: every step, touchpoint, pain point and opportunity; compact: one box per stage "
            f"in rows per phase; auto: detailed up to {AUTO_MAX_STAGES} stages and {AUTO_MAX_STEPS} steps."
        ),
    )
    backstage: bool = Field(False, description="Show the frontstage, backstage and support lanes of steps.")
    legend: bool = Field(True, description="Draw the legend of the emotion colours and shapes.")
    row_length: int = Field(8, ge=1, le=100, description="compact layout: stages per row.")
    wrap: int = Field(30, ge=10, le=200, description="Wrap label text at this many characters.")


def label_escape(text: str) -> str:
    """``text`` for a Graphviz HTML-like label: XML-escaped, and ``]`` as a character reference.

    Graphviz reads the label with an XML parser in a form where ``]]`` ends it early
    (a title of ``]]`` made `dot` refuse the whole graph), so no ``]`` is written as is.
    """
    return html.escape(text, quote=True).replace("]", "&#93;")


def label_text(text: str, width: int, *, bold: bool = False, italic: bool = False) -> str:
    """Map text for an HTML-like label: escaped, wrapped at ``width``, lines joined by ``<BR/>``."""
    lines: list[str] = []
    for paragraph in printable(text).split("\n"):
        wrapped = wrap_text(paragraph, width)
        lines.extend(wrapped or [""])
    body = '<BR ALIGN="LEFT"/>'.join(label_escape(line) for line in lines)
    if italic:
        body = f"<I>{body}</I>"
    if bold:
        body = f"<B>{body}</B>"
    return body


#: What ``textwrap`` splits words at: runs of ASCII white space.
_WORD_SEPARATOR = re.compile(r"([\t\n\x0b\x0c\r ]+)")
_ASCII_BLANKS = str.maketrans("\t\n\x0b\x0c\r", "     ")


def wrap_text(text: str, width: int) -> list[str]:
    """``textwrap.wrap(text, width, break_on_hyphens=False)``, line for line, in linear time.

    textwrap breaks a word longer than ``width`` by slicing off one line at a time and
    keeping the rest as a new string, so a 10 MB word cost 10 MB / width copies of megabytes
    (18-28 s for one title). Here a long word is broken by moving an offset along it.
    """
    chunks = [chunk for chunk in _WORD_SEPARATOR.split(text.expandtabs().translate(_ASCII_BLANKS)) if chunk]
    # Where each chunk's text ends: its part from ``offset`` on is blank (as str.strip() sees
    # it) when ``offset`` is at or past that; computed once per chunk, not once per line.
    text_ends = [len(chunk.rstrip()) for chunk in chunks]
    lines: list[str] = []
    index = offset = 0
    while index < len(chunks):
        line: list[str] = []
        length = 0
        if lines and offset >= text_ends[index]:
            index, offset = index + 1, 0  # no blank at the start of a line but the first
        while index < len(chunks) and length + len(chunks[index]) - offset <= width:
            line.append(chunks[index][offset:] if offset else chunks[index])
            length += len(chunks[index]) - offset
            index, offset = index + 1, 0
        if index < len(chunks) and len(chunks[index]) - offset > width:
            room = width - length if width >= 1 else 1  # may be 0, as in textwrap
            line.append(chunks[index][offset : offset + room])
            offset += room
        if line and not line[-1].strip():
            line.pop()  # no blank at the end of a line
        if line:
            lines.append("".join(line))
    return lines


def _row(content: str, *, size: int | None = None, align: str = "LEFT") -> str:
    if size is not None:
        content = f'<FONT POINT-SIZE="{size}">{content}</FONT>'
    return f'<TR><TD ALIGN="{align}" BALIGN="LEFT">{content}</TD></TR>'


def _table(rows: list[str], *, fill: str, border: str = "#344054", style: str = "ROUNDED") -> str:
    style_attr = f' STYLE="{style}"' if style else ""
    return (
        f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" BGCOLOR="{fill}" '
        f'COLOR="{border}"{style_attr}>' + "".join(rows) + "</TABLE>>"
    )


def emotion_colour(emotion: float | None) -> str:
    """The fill of a score (a mean rounds half up: -0.5 is 0); white for none."""
    if emotion is None:
        return NO_EMOTION_COLOUR
    return EMOTION_COLOURS[max(-2, min(2, math.floor(emotion + 0.5)))]


@dataclass
class _Dot:
    """DOT text under construction."""

    lines: list[str] = field(default_factory=list)
    depth: int = 0

    def add(self, line: str) -> None:
        self.lines.append("  " * self.depth + line)

    def open(self, line: str) -> None:
        self.add(line + " {")
        self.depth += 1

    def close(self) -> None:
        self.depth -= 1
        self.add("}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _node_id(kind: str, ident: str) -> str:
    # Slugs are [a-z0-9_-], so a quoted id needs no escaping.
    return f'"{kind}:{ident}"'


def choose_layout(journey: Journey, stages: list[Stage], options: GraphvizOptions) -> str:
    if options.layout != "auto":
        return options.layout
    steps = sum(len(stage.steps) for stage in stages)
    if len(stages) > AUTO_MAX_STAGES or steps > AUTO_MAX_STEPS:
        return "compact"
    return "detailed"


def build_dot(loaded: LoadedMap, options: GraphvizOptions) -> str:
    """The DOT source of the map under ``options``."""
    journey = loaded.journey
    stages = select_stages(journey, options.stages)
    layout = choose_layout(journey, stages, options)
    dot = _Dot()
    dot.open("digraph journey")
    title = label_text(journey.title, 80, bold=True)
    subtitle = f"{journey.state} state"
    if layout == "compact":
        subtitle += f" · compact view of {len(stages)} stages"
    dot.add(
        f'graph [rankdir={"TB" if layout == "compact" else "LR"}, newrank=true, fontname="{FONT}", '
        f'fontsize=18, labelloc=t, labeljust=l, label=<{title}<BR/><FONT POINT-SIZE="11">'
        f"{label_escape(subtitle)}</FONT>>, nodesep=0.25, ranksep=0.45, pad=0.3];"
    )
    dot.add(f'node [shape=plain, fontname="{FONT}", fontsize=11];')
    dot.add(f'edge [fontname="{FONT}", fontsize=9, color="#475467", arrowsize=0.7];')
    if options.legend:
        _legend(dot, layout)
    if layout == "compact":
        _compact(dot, journey, stages, options)
    else:
        _detailed(dot, journey, stages, options)
    dot.close()
    return dot.text()


def _legend(dot: _Dot, layout: str) -> None:
    rows = ['<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Legend</B></TD></TR>']
    heading = "Emotion (mean of the stage's main line)" if layout == "compact" else "Emotion of a step"
    rows.append(f'<TR><TD COLSPAN="2" ALIGN="LEFT"><FONT POINT-SIZE="9">{heading}</FONT></TD></TR>')
    for value in sorted(EMOTION_COLOURS, reverse=True):
        number, words = EMOTION_WORDS[value]
        rows.append(
            f'<TR><TD BGCOLOR="{EMOTION_COLOURS[value]}" BORDER="1" WIDTH="28">{number}</TD>'
            f'<TD ALIGN="LEFT">{words}</TD></TR>'
        )
    rows.append(
        f'<TR><TD BGCOLOR="{NO_EMOTION_COLOUR}" BORDER="1">?</TD><TD ALIGN="LEFT">not scored</TD></TR>'
    )
    if layout == "detailed":
        rows.append(
            '<TR><TD BORDER="0">━</TD><TD ALIGN="LEFT">the main line (every customer)</TD></TR>'
            f'<TR><TD BORDER="0"><FONT COLOR="{BRANCH_COLOUR}">╌</FONT></TD>'
            '<TD ALIGN="LEFT">a branch off it (some customers)</TD></TR>'
        )
        rows.append(
            f'<TR><TD BGCOLOR="#ffffff" BORDER="1" STYLE="dashed" COLOR="{TOUCHPOINT_BORDER}">TP</TD>'
            '<TD ALIGN="LEFT">touchpoint (channel)</TD></TR>'
        )
        rows.append(
            f'<TR><TD BGCOLOR="{PAIN_COLOUR}" BORDER="1" COLOR="{PAIN_BORDER}">PAIN</TD>'
            '<TD ALIGN="LEFT">pain point (severity)</TD></TR>'
        )
        rows.append(
            f'<TR><TD BGCOLOR="{OPPORTUNITY_COLOUR}" BORDER="1" COLOR="{OPPORTUNITY_BORDER}">OPP</TD>'
            '<TD ALIGN="LEFT">opportunity; arrow: addresses</TD></TR>'
        )
    dot.add(
        '"legend" [label=<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="2" CELLPADDING="3" '
        f'BGCOLOR="#ffffff" COLOR="{STAGE_BORDER}">' + "".join(rows) + "</TABLE>>];"
    )


def _stage_label(index: int, stage: Stage, width: int) -> str:
    label = f"<B>{index}. </B>" + label_text(stage.name, width, bold=True)
    if stage.phase:
        label += f'<BR/><FONT POINT-SIZE="9">{label_escape(stage.phase)}</FONT>'
    return label


def _detailed(dot: _Dot, journey: Journey, stages: list[Stage], options: GraphvizOptions) -> None:
    width = options.wrap
    personas = {persona.id: persona.name for persona in journey.personas}
    channels = {channel.id: channel for channel in journey.channels}
    shown_pain_points = {pp.id for stage in stages for pp in stage.pain_points}
    previous: str | None = None
    numbers = {stage.id: index for index, stage in enumerate(journey.stages, start=1)}
    links = branch_links(journey)
    funnel = _funnel_notes(journey)
    branch_nodes = {_node_id("step", ident) for ident in links}
    names = (
        {step.id: step.action for _, step in journey.iter_steps()},
        {touchpoint.id: touchpoint.name for _, touchpoint in journey.iter_touchpoints()},
    )
    for stage in stages:
        dot.open(f'subgraph "cluster_stage:{stage.id}"')
        label = _stage_label(numbers[stage.id], stage, width)
        time = stage_time_text(stage)
        if time:
            label += f'<BR/><FONT POINT-SIZE="9">{label_text("Main line: " + time, width * 2)}</FONT>'
        if stage.id in funnel:
            label += f'<BR/><FONT POINT-SIZE="9">{label_text(funnel[stage.id], width * 2)}</FONT>'
        dot.add(
            f'graph [label=<{label}>, style="rounded,filled", '
            f'fillcolor="{STAGE_FILL}", color="{STAGE_BORDER}", fontsize=13];'
        )
        # Each column: the flow node (a step, or a placeholder) and what hangs below it.
        columns: list[tuple[str, list[str]]] = []
        placed: set[str] = set()
        step_columns: dict[str, int] = {}
        for step in stage.steps:
            node = _node_id("step", step.id)
            rows = _step_rows(journey, step, personas, links.get(step.id), funnel, width, options)
            style = "DASHED,ROUNDED" if step.is_branch else "ROUNDED"
            border = BRANCH_COLOUR if step.is_branch else "#344054"
            table = _table(rows, fill=emotion_colour(curve_score(step)), border=border, style=style)
            # One group for the main line: dot keeps a group's edges straight, so the line every
            # customer follows runs level and the branches are drawn off it, not the other way round.
            group = "" if step.is_branch else ', group="main"'
            dot.add(f"{node} [label={table}{group}];")
            step_columns[step.id] = len(columns)
            column: list[str] = []
            for ref in step.touchpoints:
                if ref in placed or ref not in {tp.id for tp in stage.touchpoints}:
                    continue
                placed.add(ref)
                column.append(_node_id("tp", ref))
            columns.append((node, column))
        if not columns:
            anchor = _node_id("empty", stage.id)
            dot.add(f"{anchor} [label=<<I>(no steps)</I>>, shape=plaintext, fontsize=9];")
            columns.append((anchor, []))
        for touchpoint in stage.touchpoints:
            rows = [_row(label_text(touchpoint.name, width, bold=True))]
            channel = channels.get(touchpoint.channel)
            via = f"{channel.name} ({channel.kind})" if channel else touchpoint.channel
            rows.append(_row("via " + label_text(via, width), size=9))
            if touchpoint.moment_of_truth:
                rows.append(_row("<B>MOMENT OF TRUTH</B>", size=9))
            if touchpoint.owner:
                rows.append(_row("owner: " + label_text(touchpoint.owner, width), size=9))
            if OWNERSHIP_WORDS[touchpoint.ownership]:
                rows.append(
                    _row(label_text(OWNERSHIP_WORDS[touchpoint.ownership], width, italic=True), size=9)
                )
            dot.add(
                f"{_node_id('tp', touchpoint.id)} "
                f"[label={_table(rows, fill='#ffffff', border=TOUCHPOINT_BORDER, style='DASHED')}];"
            )
            if touchpoint.id not in placed:  # not used by any step of its stage: hang it on the last column
                placed.add(touchpoint.id)
                columns[-1][1].append(_node_id("tp", touchpoint.id))
        pain_columns: dict[str, int] = {}
        for pain_point in stage.pain_points:
            rows = [
                _row(f"<B>PAIN ({label_escape(severity_text(pain_point.severity))})</B>", size=9),
                _row(label_text(pain_point.description, width)),
            ]
            if pain_point.owner:
                rows.append(_row("owner: " + label_text(pain_point.owner, width), size=9))
            node = _node_id("pain", pain_point.id)
            dot.add(f"{node} [label={_table(rows, fill=PAIN_COLOUR, border=PAIN_BORDER)}];")
            index = _pain_column(pain_point.step, pain_point.touchpoint, step_columns, columns)
            pain_columns[pain_point.id] = index
            columns[index][1].append(node)
        for opportunity in stage.opportunities:
            facts: list[str] = [opportunity.status]
            if opportunity.impact:
                facts.append(f"impact {opportunity.impact}")
            if opportunity.effort:
                facts.append(f"effort {opportunity.effort}")
            rows = [
                _row(f"<B>OPPORTUNITY</B> ({label_escape(', '.join(facts))})", size=9),
                _row(label_text(opportunity.description, width)),
            ]
            if opportunity.owner:
                rows.append(_row("owner: " + label_text(opportunity.owner, width), size=9))
            node = _node_id("opp", opportunity.id)
            dot.add(f"{node} [label={_table(rows, fill=OPPORTUNITY_COLOUR, border=OPPORTUNITY_BORDER)}];")
            local = [ref for ref in opportunity.addresses if ref in pain_columns]
            columns[pain_columns[local[0]] if local else len(columns) - 1][1].append(node)
        # A metric hangs in the column of the step it measures (or of its touchpoint), else the last.
        by_column: dict[int, list[Metric]] = {}
        for metric in stage.metrics:
            index = _pain_column(metric.step, metric.touchpoint, step_columns, columns)
            by_column.setdefault(index, []).append(metric)
        for index, metrics in sorted(by_column.items()):
            rows = [_row("<B>Metrics</B>", size=9)]
            for metric in metrics:
                rows.append(_row(label_text(_metric_text(journey, metric, personas, names), width), size=9))
            node = _node_id("metrics", f"{stage.id}:{index}")
            dot.add(f"{node} [label={_table(rows, fill='#ffffff', border=STAGE_BORDER, style='')}];")
            columns[index][1].append(node)
        for flow, below in columns:
            if below:
                dot.add("{ rank=same; " + " ".join([flow, *below]) + " }")
        # Invisible edges keep each column in order top to bottom (flat edges in LR run downwards).
        for flow, below in columns:
            chain = [flow, *below]
            for upper, lower in itertools.pairwise(chain):
                dot.add(f"{upper} -> {lower} [style=invis];")
        dot.close()
        for flow, _ in columns:
            if flow in branch_nodes:
                continue  # off the main line: joined below by its own dashed arrows
            if previous is not None:
                dot.add(f"{previous} -> {flow} [penwidth=1.6, weight=4];")
            previous = flow
    # Relations drawn after all nodes exist, so cross-stage links work.
    shown_steps = {step.id for stage in stages for step in stage.steps}
    for ident, link in links.items():
        if ident not in shown_steps:
            continue
        node = _node_id("step", ident)
        if link.previous is not None and link.previous.id in shown_steps:
            label = KIND_WORDS[link.step.kind]
            if link.step.branches_from is not None and link.step.condition and link.step.condition.strip():
                label += ": " + link.step.condition
            dot.add(
                f"{_node_id('step', link.previous.id)} -> {node} "
                f'[style=dashed, color="{BRANCH_COLOUR}", fontcolor="{BRANCH_COLOUR}", '
                f"label=<{label_text(label, width)}>];"
            )
        if link.rejoins is not None and link.rejoins.id in shown_steps:
            dot.add(
                f"{node} -> {_node_id('step', link.rejoins.id)} "
                f'[style=dashed, color="{BRANCH_COLOUR}", fontcolor="{BRANCH_COLOUR}", label="rejoins"];'
            )
    shown_touchpoints = {tp.id for stage in stages for tp in stage.touchpoints}
    for stage in stages:
        for step in stage.steps:
            for ref in step.touchpoints:
                if ref in shown_touchpoints:
                    dot.add(
                        f"{_node_id('step', step.id)} -> {_node_id('tp', ref)} "
                        "[style=dashed, arrowhead=none, constraint=false];"
                    )
        for pain_point in stage.pain_points:
            source = None
            if pain_point.touchpoint and pain_point.touchpoint in shown_touchpoints:
                source = _node_id("tp", pain_point.touchpoint)
            elif pain_point.step and pain_point.step in shown_steps:
                source = _node_id("step", pain_point.step)
            if source is not None:
                dot.add(
                    f"{source} -> {_node_id('pain', pain_point.id)} "
                    f'[style=dotted, arrowhead=none, color="{PAIN_BORDER}", constraint=false];'
                )
        for opportunity in stage.opportunities:
            for ref in opportunity.addresses:
                if ref in shown_pain_points:
                    dot.add(
                        f"{_node_id('opp', opportunity.id)} -> {_node_id('pain', ref)} "
                        f'[color="{OPPORTUNITY_BORDER}", penwidth=1.3, label="addresses", '
                        f'fontcolor="{OPPORTUNITY_BORDER}", constraint=false];'
                    )


def _pain_column(
    step: str | None,
    touchpoint: str | None,
    step_columns: dict[str, int],
    columns: list[tuple[str, list[str]]],
) -> int:
    if step is not None and step in step_columns:
        return step_columns[step]
    if touchpoint is not None:
        node = _node_id("tp", touchpoint)
        for index, (_, below) in enumerate(columns):
            if node in below:
                return index
    return len(columns) - 1


def _step_rows(
    journey: Journey,
    step: Step,
    personas: dict[str, str],
    link: Any,
    funnel: dict[str, str],
    width: int,
    options: GraphvizOptions,
) -> list[str]:
    """The rows of a step's label: action, flow, personas, thinking, emotion (each persona's), time..."""
    rows = [_row(label_text(step.action, width, bold=True))]
    if link is not None:
        where = KIND_WORDS[step.kind].upper()
        rows.append(_row(f'<FONT COLOR="{BRANCH_COLOUR}"><B>{label_escape(where)}</B></FONT>', size=9))
    for flag, words in ((step.entry_point, "ENTRY POINT"), (step.exit_point, "EXIT POINT")):
        if flag:
            rows.append(_row(f"<B>{words}</B>", size=9))
    if step.moment_of_truth:
        rows.append(_row("<B>MOMENT OF TRUTH</B>", size=9))
    if step.persona_ids:
        names = "; ".join(personas.get(ident, ident) for ident in step.persona_ids)
        rows.append(_row(label_text(names, width), size=9))
    elif len(personas) > 1:
        rows.append(_row(label_text(EVERY_PERSONA, width, italic=True), size=9))
    if step.thinking:
        rows.append(_row("Thinking: " + label_text(step.thinking, width, italic=True), size=9))
    scores = persona_scores(journey, step, personas)
    if scores:
        feeling = "Emotion: " + "<BR/>".join(
            label_text(f"{score.name}: {emotion_text(score.emotion)}", width) for score in scores
        )
    else:
        feeling = "Emotion: " + label_escape(emotion_text(step.emotion))
    if step.feeling:
        feeling += "<BR/>" + label_text(step.feeling, width, italic=True)
    rows.append(_row(feeling, size=9))
    time = step_time_text(step)
    if time:
        rows.append(_row(label_escape(time.capitalize()), size=9))
    for spot in step.bright_spots:
        rows.append(_row("Works well: " + label_text(spot, width), size=9))
    insights = {insight.id: insight for insight in journey.insights}
    for ref in step.insights:
        if ref in insights:
            rows.append(_row("Insight: " + label_text(insight_text(insights[ref]), width), size=8))
    if step.id in funnel:
        rows.append(_row(label_text(funnel[step.id], width), size=9))
    if options.backstage:
        lanes = (("Frontstage", step.frontstage), ("Backstage", step.backstage), ("Support", step.support))
        if any(items for _, items in lanes):
            rows.append("<HR/>")
            for lane, items in lanes:
                for item in items:
                    rows.append(_row(f"{lane}: " + label_text(item, width), size=9))
    return rows


def _funnel_notes(journey: Journey) -> dict[str, str]:
    """Stage or step id -> ``Funnel: 10,000 households reach it; 38% leave before the next``."""
    from journeyctl.model.funnel import funnel_drops

    funnel = journey.funnel
    if funnel is None:
        return {}
    drops = {id(drop.entry): drop for drop in funnel_drops(journey)}
    notes: dict[str, str] = {}
    unit = f" {funnel.unit}" if funnel.unit else ""
    for entry in funnel.entries:
        parts = [] if entry.count is None else [f"{entry.count:,}{unit} reach it"]
        drop = drops.get(id(entry))
        if drop is not None and drop.share >= 0:
            parts.append(f"{drop.share:.0f}% leave before the next")
        notes[entry.target] = "Funnel: " + "; ".join(parts)
    return notes


def _metric_text(
    journey: Journey, metric: Metric, personas: dict[str, str], names: tuple[dict[str, str], dict[str, str]]
) -> str:
    unit = f" {metric.unit}" if metric.unit else ""
    text = metric.name + ": "
    text += "no value" if metric.value is None else f"{metric.value:g}{unit}"
    if metric.target is not None:
        text += f" (target {metric.target:g}{unit}, {metric.better} is better"
        verdict = metric_verdict(metric)
        if verdict != "none":
            text += ", on target" if verdict == "on" else ", off target"
        text += ")"
    facts = [metric_place(journey, metric, *names), *metric_scope(metric, personas)]
    facts = [fact for fact in facts if fact]
    if facts:
        text += " — " + ", ".join(facts)
    return text


def _rows_of(stages: list[Stage], length: int) -> Iterator[list[Stage]]:
    for start in range(0, len(stages), length):
        yield stages[start : start + length]


def _compact(dot: _Dot, journey: Journey, stages: list[Stage], options: GraphvizOptions) -> None:
    width = options.wrap
    numbers = {stage.id: index for index, stage in enumerate(journey.stages, start=1)}
    # Consecutive stages of one phase form a group: one cluster, wrapped into rows.
    groups: list[tuple[str | None, list[Stage]]] = []
    for stage in stages:
        if groups and groups[-1][0] == stage.phase:
            groups[-1][1].append(stage)
        else:
            groups.append((stage.phase, [stage]))
    previous: str | None = None
    funnel = _funnel_notes(journey)
    for number, (phase, members) in enumerate(groups, start=1):
        first, last = numbers[members[0].id], numbers[members[-1].id]
        title = f"Phase: {phase}" if phase else "No phase"
        title += f" (stages {first}–{last})" if first != last else f" (stage {first})"
        dot.open(f"subgraph cluster_group_{number}")
        dot.add(
            f'graph [label=<<B>{label_escape(title)}</B>>, style="rounded,filled", '
            f'fillcolor="{STAGE_FILL}", color="{STAGE_BORDER}", fontsize=13];'
        )
        for stage in members:
            mean = stage_emotion(stage)
            rounded = None if mean is None else max(-2, min(2, math.floor(mean + 0.5)))
            rows = [_row(_stage_label(numbers[stage.id], stage, width))]
            counts = f"{_count(stage.steps, 'step')} · {_count(stage.touchpoints, 'touchpoint')}"
            branches = sum(1 for step in stage.steps if step.is_branch)
            if branches:
                counts += f" ({branches} off the main line)"
            rows.append(_row(label_escape(counts), size=9))
            time = stage_time_text(stage)
            if time:
                rows.append(_row(label_text("Main line: " + time, width), size=9))
            if stage.id in funnel:
                rows.append(_row(label_text(funnel[stage.id], width), size=9))
            if mean is None:
                rows.append(_row("Emotion: not scored", size=9))
            else:
                words = EMOTION_WORDS[rounded if rounded is not None else 0][1]
                rows.append(_row(label_escape(f"Emotion: mean {mean:+.1f} ({words})"), size=9))
            if stage.pain_points:
                unrated = sum(1 for pp in stage.pain_points if pp.severity is None)
                worst = _worst(stage)
                detail = f"worst: {worst}" + (
                    f", {unrated} not rated" if unrated and worst != "not rated" else ""
                )
                pains = f"{_count(stage.pain_points, 'pain point')} ({detail})"
                rows.append(_row(label_escape(pains), size=9))
            if stage.opportunities:
                opportunities = len(stage.opportunities)
                noun = "opportunity" if opportunities == 1 else "opportunities"
                rows.append(_row(f"{opportunities} {noun}", size=9))
            dot.add(f"{_node_id('stage', stage.id)} [label={_table(rows, fill=emotion_colour(rounded))}];")
        for row in _rows_of(members, options.row_length):
            ids = [_node_id("stage", stage.id) for stage in row]
            if len(ids) > 1:
                dot.add("{ rank=same; " + " ".join(ids) + " }")
        dot.close()
        for stage in members:
            node = _node_id("stage", stage.id)
            if previous is not None:
                dot.add(f"{previous} -> {node};")
            previous = node


_SEVERITY_ORDER = ("low", "medium", "high", "critical")


def _count(items: list[Any], noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def _worst(stage: Stage) -> str:
    rated = [pp.severity for pp in stage.pain_points if pp.severity is not None]
    return max(rated, key=_SEVERITY_ORDER.index) if rated else "not rated"
