"""The slide image of a journey map: one 1920 x 1080 (16:9) SVG per slide, written directly.

Stages are columns; under their headings run the lanes of a journey map:
what the customer does (main-line steps, and branch steps marked as branches),
the touchpoints with their channels, one emotion line per persona (from
``emotion_lines``), the pain points and the opportunities. Every text is
measured with the advance widths of DejaVu Sans (``slide_text``) and wrapped
or shortened with an ellipsis so that it stays inside its box; a lane that
cannot hold all of a stage's items ends with "+ N more". Empty lanes are left
out.

A map of up to ``stages_per_slide`` stages (10 by default) is one slide. A
longer map is paged: slide 1 is an overview of the whole journey (phases,
stage numbers, each persona's mean emotion per stage, pain points by severity
and opportunities per stage, and which slide holds which stages), then detail
slides of at most ``stages_per_slide`` stages each, balanced (14 stages: two
slides of 7). The svg and png formats draw one slide (``page``, default 1),
the pdf format every slide as its pages.

The output is deterministic: no time, no random ids, coordinates rounded to
one decimal. Map text only ever reaches the SVG escaped.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from journeyctl.errors import RenderError
from journeyctl.options import Field
from journeyctl.renderers import RendererOptions
from journeyctl.renderers.common import (
    EMOTION_WORDS,
    KIND_WORDS,
    NOT_RATED,
    one_line,
    select_stages,
    severity_text,
)
from journeyctl.renderers.emotion_lines import EmotionLine, emotion_lines
from journeyctl.renderers.slide_document import document, escape
from journeyctl.renderers.slide_text import fit_line, text_width, wrap

if TYPE_CHECKING:
    from journeyctl.loader import LoadedMap
    from journeyctl.model import Journey, Stage

#: The slide: 16:9 at the size of a full-HD screen, so 100 % is a projector's pixel for pixel.
WIDTH = 1920
HEIGHT = 1080
MARGIN = 36
LABEL_WIDTH = 150  # the column of lane names on the left
GUTTER = 8  # between stage columns
PADDING = 10  # inside a lane cell

TEXT = "#101828"
MUTED = "#475467"
RULE = "#d0d5dd"
CELL = "#f8f9fb"
HEADING_FILL = "#eef2f6"
BRANCH_COLOUR = "#6941c6"
PAIN_COLOURS = {  # severity -> marker colour (text stays dark; the word is always written)
    "critical": "#7a271a",
    "high": "#b42318",
    "medium": "#dc6803",
    "low": "#f79009",
    None: "#98a2b3",
}
SEVERITY_ORDER: tuple[str | None, ...] = ("critical", "high", "medium", "low", None)
OPPORTUNITY_COLOUR = "#067647"

#: One style per persona line: colour (Okabe-Ito, safe for colour-blind readers), marker, dash.
LINE_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")
#: Seven colours, eight markers, six dashes: no two of the first 168 lines look alike.
LINE_MARKERS = ("circle", "square", "triangle", "diamond", "cross", "down", "star", "ring")
LINE_DASHES = ("", "10 5", "3 4", "12 4 3 4", "6 3", "2 6")

#: The emotion lane's height on a detail slide: at least (so the curve reads), at most.
EMOTION_LEAST = 170.0
EMOTION_MOST = 360.0

FONT_TITLE = 30
FONT_SUBTITLE = 15
FONT_STAGE = 17
FONT_ITEM = 14
FONT_SMALL = 12
FONT_LANE = 12


class SlideOptions(RendererOptions):
    """Options of the svg, png and pdf formats (the slide image)."""

    stages: list[str] = Field(
        default_factory=list, description="Only these stage ids, in journey order (default: all)."
    )
    page: int | None = Field(
        None,
        ge=1,
        description="The slide to draw: 1 is the first (the overview of a paged map). "
        "Default: svg and png draw slide 1, pdf every slide as one page each.",
    )
    stages_per_slide: int = Field(
        10, ge=2, le=16, description="Most stages on one slide; a longer map is paged behind an overview."
    )


@dataclass(frozen=True)
class Slide:
    """One slide: its stages (all of them for the overview) and where it sits among the slides."""

    kind: Literal["detail", "overview"]
    stages: tuple[Stage, ...]
    number: int
    count: int


def plan_slides(journey: Journey, options: SlideOptions) -> list[Slide]:
    """The slides of the map under ``options``: one, or an overview and balanced detail slides."""
    stages = select_stages(journey, options.stages)
    per = options.stages_per_slide
    if len(stages) <= per:
        return [Slide("detail", tuple(stages), 1, 1)]
    groups = math.ceil(len(stages) / per)
    size = math.ceil(len(stages) / groups)
    chunks = [tuple(stages[start : start + size]) for start in range(0, len(stages), size)]
    count = len(chunks) + 1
    slides = [Slide("overview", tuple(stages), 1, count)]
    slides += [Slide("detail", chunk, number, count) for number, chunk in enumerate(chunks, start=2)]
    return slides


def render_slides(loaded: LoadedMap, options: SlideOptions, *, every: bool) -> list[bytes]:
    """The SVG of each slide asked for: every slide when ``every`` and no ``page``, else one."""
    journey = loaded.journey
    every_slide = plan_slides(journey, options)
    count = len(every_slide)
    if options.page is not None:
        if options.page > count:
            raise RenderError(
                f"option page={options.page}: {loaded.path} has {count} slide{'s' if count != 1 else ''}",
                hint=f"pages run from 1 to {count}",
            )
        chosen = [every_slide[options.page - 1]]
    else:
        chosen = every_slide if every else every_slide[:1]
    lines = emotion_lines(journey)
    numbers = {stage.id: index for index, stage in enumerate(journey.stages, start=1)}
    return [_draw(journey, slide, lines, numbers, every_slide).encode("utf-8") for slide in chosen]


# --- SVG text ------------------------------------------------------------------------------


def _n(value: float) -> str:
    """A coordinate: one decimal, no trailing zero (stable bytes)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


@dataclass
class _Svg:
    """SVG elements under construction."""

    parts: list[str] = field(default_factory=list)

    def add(self, element: str) -> None:
        self.parts.append(element)

    def rect(
        self, x: float, y: float, w: float, h: float, fill: str, *, stroke: str = "", rx: float = 6
    ) -> None:
        outline = f' stroke="{stroke}"' if stroke else ""
        self.add(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" rx="{_n(rx)}" '
            f'fill="{fill}"{outline}/>'
        )

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        fill: str = TEXT,
        bold: bool = False,
        italic: bool = False,
        anchor: str = "",
    ) -> None:
        if not text:
            return
        attrs = f'x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}"'
        if fill != TEXT:
            attrs += f' fill="{fill}"'
        if bold:
            attrs += ' font-weight="bold"'
        if italic:
            attrs += ' font-style="italic"'
        if anchor:
            attrs += f' text-anchor="{anchor}"'
        self.add(f"<text {attrs}>{escape(text)}</text>")

    def rule(self, y: float) -> None:
        """The thin line under a lane, across the slide."""
        self.add(f'<path d="M{_n(MARGIN)} {_n(y)}H{_n(WIDTH - MARGIN)}" stroke="{RULE}" stroke-width="1"/>')

    def bar(self, x: float, y: float, w: float, h: float, fill: str) -> None:
        self.add(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="{fill}"/>')

    def open(self, css_class: str) -> None:
        self.add(f'<g class="{css_class}">')

    def close(self) -> None:
        self.add("</g>")


def _line_height(size: float) -> float:
    return round(size * 1.3, 1)


# --- Items of the text lanes -----------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One entry of a lane cell: a mark, its text (wrapped) and an optional smaller line under it."""

    text: str
    note: str = ""
    mark: str = "•"
    mark_colour: str = MUTED
    colour: str = TEXT
    italic: bool = False
    note_colour: str = MUTED


@dataclass(frozen=True)
class _Placed:
    lines: list[str]
    note: str
    item: Item
    inline: bool  # the note fits on the text's last line, after it

    def height(self) -> float:
        height = len(self.lines) * _line_height(FONT_ITEM)
        if self.note and not self.inline:
            height += _line_height(FONT_SMALL)
        return height + ITEM_GAP


ITEM_GAP = 5
NOTE_GAP = 8  # between an item's text and a note on the same line


@functools.lru_cache(maxsize=4096)  # each cell tries several line counts; lanes measure twice
def _place(item: Item, width: float, max_lines: int) -> _Placed:
    text_room = width - 16  # the mark's column
    lines = wrap(one_line(item.text), text_room, FONT_ITEM, lines=max_lines) or ["(no text)"]
    if not item.note:
        return _Placed(lines, "", item, False)
    note = one_line(item.note)
    after = text_room - text_width(lines[-1], FONT_ITEM) - NOTE_GAP
    if text_width(note, FONT_SMALL) <= after:
        return _Placed(lines, note, item, True)
    return _Placed(lines, fit_line(note, text_room, FONT_SMALL), item, False)


def _stage_items(journey: Journey, stage: Stage) -> dict[str, list[Item]]:
    """The items of each text lane for one stage, in lane order."""
    channels = {channel.id: channel.name for channel in journey.channels}
    actions = {step.id: step.action for step in stage.steps}
    doing: list[Item] = []
    for step in stage.steps:
        mark = "★" if step.moment_of_truth else "•"
        if step.is_branch:
            where = KIND_WORDS[step.kind]
            off = actions.get(step.branches_from or "", "")
            note = f"{where} off “{one_line(off)}”" if off else where
            if step.condition and step.condition.strip():
                note += f": {one_line(step.condition)}"
            doing.append(Item(step.action, note, "↳", BRANCH_COLOUR, BRANCH_COLOUR, True, BRANCH_COLOUR))
        else:
            doing.append(Item(step.action, mark=mark, mark_colour=TEXT if step.moment_of_truth else MUTED))
    touchpoints: list[Item] = []
    for touchpoint in stage.touchpoints:
        note = "via " + channels.get(touchpoint.channel, touchpoint.channel)
        if touchpoint.moment_of_truth:
            touchpoints.append(Item(touchpoint.name, note, "★", TEXT))
        else:
            touchpoints.append(Item(touchpoint.name, note, "□"))
    pains: list[Item] = []
    ordered = sorted(stage.pain_points, key=lambda pp: SEVERITY_ORDER.index(pp.severity))
    for pain_point in ordered:
        severity = severity_text(pain_point.severity)
        note = severity if severity == NOT_RATED else f"{severity} severity"
        pains.append(Item(pain_point.description, note, "▲", PAIN_COLOURS[pain_point.severity]))
    opportunities: list[Item] = []
    for opportunity in stage.opportunities:
        sizes = []
        if opportunity.impact:
            sizes.append(f"impact {opportunity.impact}")
        if opportunity.effort:
            sizes.append(f"effort {opportunity.effort}")
        note = " · ".join([opportunity.status.replace("-", " "), *([", ".join(sizes)] if sizes else [])])
        opportunities.append(Item(opportunity.description, note, "◆", OPPORTUNITY_COLOUR))
    return {"Doing": doing, "Touchpoints": touchpoints, "Pain points": pains, "Opportunities": opportunities}


# --- Drawing ---------------------------------------------------------------------------------


def _draw(
    journey: Journey,
    slide: Slide,
    lines: list[EmotionLine],
    numbers: dict[str, int],
    slides: list[Slide],
) -> str:
    svg = _Svg()
    top = _header(svg, journey, slide, lines, numbers)
    if slide.kind == "overview":
        _overview(svg, journey, slide, lines, numbers, slides, top)
    else:
        _detail(svg, journey, slide, lines, numbers, top)
    _footer(svg, journey, slide, numbers)
    return document(WIDTH, HEIGHT, journey.title, _description(journey, slide, lines), svg.parts)


def _header(
    svg: _Svg, journey: Journey, slide: Slide, lines: list[EmotionLine], numbers: dict[str, int]
) -> float:
    """Title, facts, summary and the legend of the persona lines; returns the y below it."""
    legend_width = _legend_width(lines)
    room = WIDTH - 2 * MARGIN - legend_width - 24
    svg.open("header")
    for index, line in enumerate(wrap(one_line(journey.title), room, FONT_TITLE, bold=True, lines=1)):
        svg.text(MARGIN, MARGIN + 28 + index * 36, line, FONT_TITLE, bold=True)
    facts = [f"{journey.state.capitalize()}-state journey map"]
    if journey.personas:
        names = "; ".join(one_line(persona.name) for persona in journey.personas)
        facts.append(("Persona: " if len(journey.personas) == 1 else "Personas: ") + names)
    shown = [numbers[stage.id] for stage in slide.stages]
    total = len(journey.stages)
    if len(shown) == total:
        facts.append(f"{total} stages")
    elif shown == list(range(shown[0], shown[-1] + 1)):
        facts.append(f"stages {shown[0]}–{shown[-1]} of {total}")
    else:  # picked with --stages: say which, not a range that hides the gaps
        facts.append(f"stages {', '.join(map(str, shown))} of {total}")
    if journey.baseline:
        facts.append(f"baseline: {journey.baseline}")
    if journey.owner:
        facts.append(f"owner: {one_line(journey.owner)}")
    if journey.reviewed is not None:
        facts.append(f"reviewed {journey.reviewed.isoformat()}")
    svg.text(MARGIN, MARGIN + 56, fit_line(" · ".join(facts), room, FONT_SUBTITLE), FONT_SUBTITLE, fill=MUTED)
    if journey.summary:
        svg.text(MARGIN, MARGIN + 80, fit_line(one_line(journey.summary), room, FONT_SUBTITLE), FONT_SUBTITLE)
    svg.close()
    _legend(svg, lines, WIDTH - MARGIN - legend_width, MARGIN + 4)
    return MARGIN + 100


_LEGEND_SAMPLE = 46
_LEGEND_ROWS = 4


def _legend_columns(lines: list[EmotionLine]) -> list[list[EmotionLine]]:
    return [list(lines[start : start + _LEGEND_ROWS]) for start in range(0, len(lines), _LEGEND_ROWS)]


def _legend_name(line: EmotionLine) -> str:
    name = one_line(line.name)
    return name if line.points else f"{name} (no main-line step)"


def _legend_width(lines: list[EmotionLine]) -> float:
    width = 0.0
    for column in _legend_columns(lines):
        names = max(min(text_width(_legend_name(line), FONT_SMALL), 260.0) for line in column)
        width += _LEGEND_SAMPLE + 8 + names + 20
    return width


def _legend(svg: _Svg, lines: list[EmotionLine], x: float, y: float) -> None:
    svg.open("legend")
    svg.text(x, y + 8, "Emotion lines", FONT_SMALL, fill=MUTED, bold=True)
    for column in _legend_columns(lines):
        names = max(min(text_width(_legend_name(line), FONT_SMALL), 260.0) for line in column)
        for row, line in enumerate(column):
            middle = y + 25 + row * 18
            _line_sample(svg, line.index, x, middle)
            svg.text(
                x + _LEGEND_SAMPLE + 8, middle + 4, fit_line(_legend_name(line), 260, FONT_SMALL), FONT_SMALL
            )
        x += _LEGEND_SAMPLE + 8 + names + 20
    svg.close()


def _style(index: int) -> tuple[str, str, str]:
    return (
        LINE_COLOURS[index % len(LINE_COLOURS)],
        LINE_MARKERS[index % len(LINE_MARKERS)],
        LINE_DASHES[index % len(LINE_DASHES)],
    )


def _line_sample(svg: _Svg, index: int, x: float, y: float) -> None:
    colour, marker, dash = _style(index)
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    svg.add(
        f'<path d="M{_n(x)} {_n(y)}H{_n(x + _LEGEND_SAMPLE)}" stroke="{colour}" stroke-width="2.5" '
        f'fill="none"{dashed}/>'
    )
    _marker(svg, marker, colour, x + _LEGEND_SAMPLE / 2, y, filled=True)


def _marker(svg: _Svg, kind: str, colour: str, x: float, y: float, *, filled: bool, r: float = 5.5) -> None:
    fill = colour if filled else "#ffffff"
    paint = f'fill="{fill}" stroke="{colour}" stroke-width="2"'
    if kind == "circle":
        svg.add(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" {paint}/>')
        return
    if kind == "ring":  # a circle with a white centre even when filled: told apart from "circle"
        svg.add(
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="#ffffff" '
            f'stroke="{colour}" stroke-width="3"/>'
        )
        if filled:
            svg.add(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r * 0.35)}" fill="{colour}"/>')
        return
    if kind == "square":
        points = [(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)]
    elif kind == "triangle":
        points = [(x, y - r * 1.2), (x + r * 1.1, y + r * 0.8), (x - r * 1.1, y + r * 0.8)]
    elif kind == "down":
        points = [(x, y + r * 1.2), (x + r * 1.1, y - r * 0.8), (x - r * 1.1, y - r * 0.8)]
    elif kind == "diamond":
        points = [(x, y - r * 1.3), (x + r * 1.3, y), (x, y + r * 1.3), (x - r * 1.3, y)]
    elif kind == "cross":
        a, b = r * 1.2, r * 0.45
        points = [
            (x - b, y - a), (x + b, y - a), (x + b, y - b), (x + a, y - b), (x + a, y + b), (x + b, y + b),
            (x + b, y + a), (x - b, y + a), (x - b, y + b), (x - a, y + b), (x - a, y - b), (x - b, y - b),
        ]  # fmt: skip
    else:  # star
        points = []
        for k in range(10):
            radius = r * 1.4 if k % 2 == 0 else r * 0.6
            angle = math.pi / 2 + k * math.pi / 5
            points.append((x + radius * math.cos(angle), y - radius * math.sin(angle)))
    coords = " ".join(f"{_n(px)},{_n(py)}" for px, py in points)
    svg.add(f'<polygon points="{coords}" {paint}/>')


def _columns(count: int) -> tuple[float, float]:
    """The x of the first stage column and a column's width (gutter included)."""
    left = MARGIN + LABEL_WIDTH
    return left, (WIDTH - MARGIN - left) / count


def _lane_label(svg: _Svg, name: str, y: float, height: float) -> None:
    svg.open("lane-label")
    label_lines = wrap(name.upper(), LABEL_WIDTH - 16, FONT_LANE, bold=True, lines=2)
    for index, line in enumerate(label_lines):
        svg.text(MARGIN, y + 18 + index * 16, line, FONT_LANE, fill=MUTED, bold=True)
    svg.close()
    svg.rule(y + height + 4)


def _indent(number: int, size: float) -> float:
    """Where a stage's name starts in its heading: after its number."""
    return PADDING + text_width(str(number), size, bold=True) + 8


def _heading_size(stages: Sequence[Stage], numbers: dict[str, int], width: float) -> float:
    """The largest heading size (17, 15 or 13 px) at which no word of any stage name must be broken.

    One size for the slide, so headings read as a row; a word too long even at 13 px is broken.
    """
    for size in (FONT_STAGE, 15.0, 13.0):
        if all(
            text_width(word, size, bold=True) <= width - _indent(numbers[stage.id], size) - PADDING
            for stage in stages
            for word in one_line(stage.name).split()
        ):
            return size
    return 13.0


def _stage_heading(
    svg: _Svg,
    stage: Stage,
    number: int,
    x: float,
    y: float,
    w: float,
    height: float,
    name_lines: list[str],
    size: float,
) -> None:
    svg.open("stage")
    svg.rect(x, y, w, height, HEADING_FILL)
    svg.text(x + PADDING, y + 22, f"{number}", size, fill=MUTED, bold=True)
    indent = _indent(number, size)
    step = _line_height(size)
    for index, line in enumerate(name_lines):
        svg.text(x + indent, y + 22 + index * step, line, size, bold=True)
    if stage.phase:
        phase = fit_line(_phase_words(stage.phase), w - indent - PADDING, FONT_SMALL)
        svg.text(x + indent, y + 22 + len(name_lines) * step - 4, phase, FONT_SMALL, fill=MUTED)
    svg.close()


def _phase_words(phase: str) -> str:
    """``before-purchase`` -> ``Before purchase``: phases are shown by name, not slug."""
    words = phase.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _detail(
    svg: _Svg,
    journey: Journey,
    slide: Slide,
    lines: list[EmotionLine],
    numbers: dict[str, int],
    top: float,
) -> None:
    stages = slide.stages
    left, column = _columns(len(stages))
    cell_width = column - GUTTER
    # Stage headings: as tall as the longest name needs (at most two lines).
    size = _heading_size(stages, numbers, cell_width)
    names = [
        wrap(
            one_line(stage.name),
            cell_width - _indent(numbers[stage.id], size) - PADDING,
            size,
            bold=True,
            lines=2,
        )
        for stage in stages
    ]
    phases = 14 if any(stage.phase for stage in stages) else 0
    heading_height = 16 + max(len(name) for name in names) * _line_height(size) + phases
    _lane_label(svg, "Stage", top, heading_height)
    for index, stage in enumerate(stages):
        _stage_heading(
            svg,
            stage,
            numbers[stage.id],
            left + index * column,
            top,
            cell_width,
            heading_height,
            names[index],
            size,
        )
    y = top + heading_height + 12

    items = [_stage_items(journey, stage) for stage in stages]
    lanes = [
        name
        for name in ("Doing", "Touchpoints", "Pain points", "Opportunities")
        if any(i[name] for i in items)
    ]
    emotion_height = EMOTION_LEAST
    bottom = HEIGHT - MARGIN - 34  # the footer's top
    lane_gap = 8
    available = bottom - y - emotion_height - lane_gap * (len(lanes) + 1)

    def need(lane: str, lines: int) -> float:
        return max(
            _cell_need([_place(item, cell_width - 2 * PADDING, lines) for item in i[lane]]) for i in items
        )

    # Two lines an item is the standard; a third where room is left, after the curve had its share.
    heights = _share({lane: need(lane, 2) for lane in lanes}, available)
    spare = available - sum(heights.values())
    grow = min(spare, 110.0)
    emotion_height += grow
    spare -= grow
    wants = {lane: max(need(lane, 3) - heights[lane], 0.0) for lane in lanes}
    for lane in lanes:
        extra = min(wants[lane], spare * wants[lane] / sum(wants.values())) if sum(wants.values()) else 0.0
        heights[lane] += extra
    # What is left: the curve grows up to a third of the slide, then the lanes share the rest.
    spare = available - grow - sum(heights.values())
    more = min(spare, max(EMOTION_MOST - emotion_height, 0.0))
    emotion_height += more
    spare -= more
    for lane in lanes:
        heights[lane] += spare / len(lanes)

    order = ["Doing", "Touchpoints", "Emotion", "Pain points", "Opportunities"]
    for lane in order:
        if lane == "Emotion":
            _emotion_lane(svg, stages, lines, left, column, y, emotion_height)
            y += emotion_height + lane_gap
            continue
        if lane not in lanes:
            continue
        height = heights[lane]
        _lane_label(svg, lane, y, height)
        for index, stage_items in enumerate(items):
            _cell(svg, stage_items[lane], left + index * column, y, cell_width, height)
        y += height + lane_gap


def _cell_need(placed: list[_Placed]) -> float:
    return 2 * PADDING + sum(p.height() for p in placed) - ITEM_GAP if placed else 0.0


def _share(needs: dict[str, float], available: float) -> dict[str, float]:
    """Heights for lanes that need ``needs``: all they need when it fits, else fair shares (water-filling)."""
    heights: dict[str, float] = {}
    pending = sorted(needs, key=lambda lane: needs[lane])
    room = max(available, 0.0)
    while pending:
        share = room / len(pending)
        lane = pending[0]
        if needs[lane] <= share:
            heights[lane] = max(needs[lane], 44.0)
            room -= heights[lane]
            pending.pop(0)
            continue
        for lane in pending:
            heights[lane] = share
        break
    return heights


def _cell(svg: _Svg, items: Sequence[Item], x: float, y: float, w: float, h: float) -> None:
    """One lane cell: its items from the top, as many as fit, then "+ N more"."""
    svg.open("cell")
    svg.rect(x, y, w, h, CELL)
    inner = w - 2 * PADDING
    bottom = y + h - PADDING
    more_height = _line_height(FONT_SMALL) + 2
    cursor = y + PADDING
    # Three lines an item when every item then fits, else two (and "+ N more" if still too many):
    # one line an item would show every step as a stub that says nothing.
    max_lines = 3 if _cell_need([_place(item, inner, 3) for item in items]) <= h + 0.01 else 2
    # Room for "+ N more" is kept free only when not every item fits.
    everything_fits = _cell_need([_place(item, inner, max_lines) for item in items]) <= h + 0.01
    for count, item in enumerate(items):
        placed = _place(item, inner, max_lines)
        last = count == len(items) - 1
        room = bottom - cursor - (0 if last or everything_fits else more_height)
        if placed.height() - ITEM_GAP > room + 0.01:  # sums of tenths: compare with a tolerance
            # Not this item: say how many are not shown (it always fits: reserved above).
            left = len(items) - count
            svg.text(x + PADDING, cursor + FONT_SMALL, f"+ {left} more", FONT_SMALL, fill=MUTED, italic=True)
            break
        _item(svg, placed, x + PADDING, cursor)
        cursor += placed.height()
    svg.close()


def _item(svg: _Svg, placed: _Placed, x: float, y: float) -> None:
    item = placed.item
    baseline = y + FONT_ITEM
    svg.text(x, baseline, item.mark, FONT_ITEM, fill=item.mark_colour, bold=item.mark == "★")
    for index, line in enumerate(placed.lines):
        svg.text(x + 16, baseline + index * _line_height(FONT_ITEM), line, FONT_ITEM, fill=item.colour,
                 italic=item.italic)  # fmt: skip
    if placed.note and placed.inline:
        last = baseline + (len(placed.lines) - 1) * _line_height(FONT_ITEM)
        after = x + 16 + text_width(placed.lines[-1], FONT_ITEM) + NOTE_GAP
        svg.text(after, last, placed.note, FONT_SMALL, fill=item.note_colour)
    elif placed.note:
        note_y = baseline + len(placed.lines) * _line_height(FONT_ITEM) - 1
        svg.text(x + 16, note_y, placed.note, FONT_SMALL, fill=item.note_colour)


def _emotion_axis(
    svg: _Svg, y: float, height: float, left: float, label: str, *, gaps: bool = True
) -> tuple[float, float]:
    """The emotion lane's label, grid and scale; returns (y of +2, y of -2).

    Room is left above for the lane's name and, when ``gaps``, below for "not scored" marks.
    """
    top, low = y + 34, y + height - (30 if gaps else 10)
    svg.open("lane-label")
    svg.text(MARGIN, y + 18, label, FONT_LANE, fill=MUTED, bold=True)
    svg.close()
    svg.open("emotion-scale")
    for value in (2, 1, 0, -1, -2):
        level = top + (2 - value) * (low - top) / 4
        number, words = EMOTION_WORDS[value]
        svg.text(left - 8, level + 4, f"{number.replace('-', '−')} {words}", 11, fill=MUTED, anchor="end")
        width = 1.4 if value == 0 else 1
        svg.add(
            f'<path d="M{_n(left)} {_n(level)}H{_n(WIDTH - MARGIN)}" stroke="{RULE}" stroke-width="{width}"/>'
        )
    svg.close()
    svg.rule(y + height + 4)
    return top, low


def _emotion_lane(
    svg: _Svg,
    stages: Sequence[Stage],
    lines: list[EmotionLine],
    left: float,
    column: float,
    y: float,
    height: float,
) -> None:
    # Each main-line step's x: spread evenly across its stage's column.
    xs: dict[str, float] = {}
    for index, stage in enumerate(stages):
        main = [step for step in stage.steps if not step.is_branch]
        for k, step in enumerate(main):
            xs[step.id] = left + index * column + (column - GUTTER) * (k + 0.5) / len(main)
    gaps = any(point.score is None for line in lines for point in line.points if point.step_id in xs)
    # Each stage's column lightly shaded under the curve, so a point reads as its stage's.
    svg.open("emotion-columns")
    for index in range(len(stages)):
        svg.rect(left + index * column, y, column - GUTTER, height, CELL, rx=4)
    svg.close()
    top, low = _emotion_axis(svg, y, height, left, "EMOTION", gaps=gaps)
    spread = 5.0 if len(lines) > 1 else 0.0

    def level(score: float) -> float:
        return top + (2 - score) * (low - top) / 4

    svg.open("emotion-lines")
    for line in lines:
        colour, marker, dash = _style(line.index)
        offset = (line.index - (len(lines) - 1) / 2) * spread  # so shared points stay visible
        shown = [point for point in line.points if point.step_id in xs]
        runs: list[list[tuple[float, float]]] = [[]]
        for point in shown:
            if point.score is None:
                runs.append([])
                continue
            runs[-1].append((xs[point.step_id] + offset, level(point.score)))
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        for run in runs:
            if len(run) > 1:
                path = "M" + " L".join(f"{_n(px)} {_n(py)}" for px, py in run)
                svg.add(
                    f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5" '
                    f'stroke-linejoin="round"{dashed}/>'
                )
        for point in shown:
            x = xs[point.step_id] + offset
            if point.score is None:
                # A gap, marked under the curve in the persona's marker: never a neutral point.
                _marker(svg, marker, colour, x, low + 18, filled=False, r=4)
            else:
                _marker(svg, marker, colour, x, level(point.score), filled=True)
    svg.close()
    if gaps:
        svg.text(MARGIN, low + 22, "not scored", 11, fill=MUTED)


def _footer(svg: _Svg, journey: Journey, slide: Slide, numbers: dict[str, int]) -> None:
    y = HEIGHT - MARGIN
    svg.open("footer")
    notes = (
        "★ moment of truth · ↳ a branch off the main line (some customers) · "
        "hollow marks under the curve: not scored"
    )
    if slide.kind == "overview":
        notes = (
            "Each line: a persona's mean emotion per stage · hollow marks: not scored · "
            "bars: pain points by severity, opportunities"
        )
    svg.text(MARGIN, y, fit_line(notes, WIDTH - 2 * MARGIN - 420, FONT_SMALL), FONT_SMALL, fill=MUTED)
    where = f"{journey.id} · slide {slide.number} of {slide.count}"
    svg.text(WIDTH - MARGIN, y, fit_line(where, 400, FONT_SMALL), FONT_SMALL, fill=MUTED, anchor="end")
    svg.close()


def _description(journey: Journey, slide: Slide, lines: list[EmotionLine]) -> str:
    """The text alternative: what the slide shows, and each line's mean emotion per stage."""
    ids = {stage.id for stage in slide.stages}
    names = {stage.id: one_line(stage.name) for stage in slide.stages}
    parts = [
        f"Journey map of {len(slide.stages)} stages: " + ", ".join(names[s.id] for s in slide.stages) + "."
    ]
    for line in lines:
        means = [(stage, mean) for stage, mean in line.stage_means().items() if stage in ids]
        if not means:
            continue
        said = ", ".join(
            f"{names[stage]} {'not scored' if mean is None else f'{mean:+.1f}'}" for stage, mean in means
        )
        parts.append(f"{one_line(line.name)}: {said}.")
    return " ".join(parts)


# --- The overview of a paged map -------------------------------------------------------------


def _overview(
    svg: _Svg,
    journey: Journey,
    slide: Slide,
    lines: list[EmotionLine],
    numbers: dict[str, int],
    slides: list[Slide],
    top: float,
) -> None:
    stages = slide.stages
    left, column = _columns(len(stages))
    right = WIDTH - MARGIN
    # Phases: one band per run of stages in the same phase.
    runs: list[tuple[str | None, int, int]] = []
    for index, stage in enumerate(stages):
        if runs and runs[-1][0] == stage.phase:
            runs[-1] = (stage.phase, runs[-1][1], index)
        else:
            runs.append((stage.phase, index, index))
    _lane_label(svg, "Phase", top, 30)
    svg.open("phases")
    for phase, first, last in runs:
        x = left + first * column
        w = (last - first + 1) * column - min(GUTTER, column * 0.2)
        svg.rect(x, top, w, 30, HEADING_FILL, rx=4)
        words = fit_line(_phase_words(phase) if phase else "no phase", w - 12, FONT_SMALL)
        if w > 40:
            svg.text(x + 6, top + 20, words, FONT_SMALL, fill=MUTED)
    svg.close()
    y = top + 42
    # Stage names where they fit, else numbers (every k-th when even numbers do not fit).
    label_height = 60.0
    _lane_label(svg, "Stage", y, label_height)
    svg.open("stage-numbers")
    step = max(1, math.ceil(text_width("000", FONT_SMALL) / max(column, 0.1)))
    step = next(k for k in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000, step) if k >= step)
    for index, stage in enumerate(stages):
        x = left + index * column
        number = numbers[stage.id]
        if column >= 80:
            name = wrap(one_line(stage.name), column - GUTTER - 8, FONT_SMALL, bold=True, lines=2)
            svg.text(x + 4, y + 14, str(number), FONT_SMALL, fill=MUTED)
            for k, text in enumerate(name):
                svg.text(x + 4, y + 30 + k * 15, text, FONT_SMALL, bold=True)
        elif number % step == 0 or index == 0:
            svg.text(x + column / 2, y + 14, str(number), FONT_SMALL, fill=MUTED, anchor="middle")
    svg.close()
    y += label_height + 12
    chart_height = 330.0
    _overview_emotion(svg, stages, lines, left, column, y, chart_height)
    y += chart_height + 12
    # Pain points by severity and opportunities: one bar each per stage, to a common scale.
    bar_height = 150.0
    _lane_label(svg, "Pain points", y, bar_height)
    most = max((len(stage.pain_points) for stage in stages), default=0) or 1
    svg.open("pain-bars")
    bar = max(min(column - GUTTER, 40.0), 1.0)
    for index, stage in enumerate(stages):
        x = left + index * column + (column - bar) / 2
        base = y + bar_height - 18
        for severity in SEVERITY_ORDER:
            count = sum(1 for pp in stage.pain_points if pp.severity == severity)
            if not count:
                continue
            h = count / most * (bar_height - 36)
            base -= h
            svg.bar(x, base, bar, h, PAIN_COLOURS[severity])
        if stage.pain_points and column >= 18:
            svg.text(x + bar / 2, base - 4, str(len(stage.pain_points)), 11, fill=MUTED, anchor="middle")
    svg.close()
    # Severity key, right-aligned under the bars.
    svg.open("severity-key")
    x = right
    for severity in reversed(SEVERITY_ORDER):
        words = severity_text(severity)
        x -= text_width(words, 11) + 26
        svg.bar(x, y + bar_height - 10, 10, 10, PAIN_COLOURS[severity])
        svg.text(x + 14, y + bar_height, words, 11, fill=MUTED)
    svg.close()
    y += bar_height + 12
    opportunity_height = 110.0
    _lane_label(svg, "Opportunities", y, opportunity_height)
    most = max((len(stage.opportunities) for stage in stages), default=0) or 1
    svg.open("opportunity-bars")
    for index, stage in enumerate(stages):
        if not stage.opportunities:
            continue
        x = left + index * column + (column - bar) / 2
        h = len(stage.opportunities) / most * (opportunity_height - 36)
        base = y + opportunity_height - 18 - h
        svg.bar(x, base, bar, h, OPPORTUNITY_COLOUR)
        if column >= 18:
            svg.text(x + bar / 2, base - 4, str(len(stage.opportunities)), 11, fill=MUTED, anchor="middle")
    svg.close()
    y += opportunity_height + 12
    _lane_label(svg, "Slides", y, 60)
    svg.open("slide-index")
    entries = []
    for detail in slides[1:]:
        first, last = numbers[detail.stages[0].id], numbers[detail.stages[-1].id]
        entries.append(f"{detail.number}: stages {first}–{last}")
    if len(entries) > 12:  # say the rule and the ends, not fifty entries
        entries = [*entries[:2], "…", entries[-1]]
    text = f"Detail slides, at most {max(len(d.stages) for d in slides[1:])} stages each: " + " · ".join(
        entries
    )
    for k, line in enumerate(wrap(text, right - left, FONT_ITEM, lines=3)):
        svg.text(left, y + 18 + k * 20, line, FONT_ITEM)
    svg.close()


def _overview_emotion(
    svg: _Svg,
    stages: Sequence[Stage],
    lines: list[EmotionLine],
    left: float,
    column: float,
    y: float,
    height: float,
) -> None:
    top, low = _emotion_axis(svg, y, height, left, "EMOTION (MEAN)")
    centres = {stage.id: left + (index + 0.5) * column - GUTTER / 2 for index, stage in enumerate(stages)}
    marks = column >= 14  # markers where there is room for them; the line alone below that

    def level(score: float) -> float:
        return top + (2 - score) * (low - top) / 4

    svg.open("emotion-lines")
    for line in lines:
        colour, marker, dash = _style(line.index)
        means = [(stage, mean) for stage, mean in line.stage_means().items() if stage in centres]
        runs: list[list[tuple[float, float]]] = [[]]
        for stage, mean in means:
            if mean is None:
                runs.append([])
            else:
                runs[-1].append((centres[stage], level(mean)))
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        for run in runs:
            if len(run) > 1:
                path = "M" + " L".join(f"{_n(px)} {_n(py)}" for px, py in run)
                svg.add(
                    f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5" '
                    f'stroke-linejoin="round"{dashed}/>'
                )
        alone = {run[0][0] for run in runs if len(run) == 1}  # a point with gaps both sides: no line shows it
        for stage, mean in means:
            if mean is None:
                _marker(svg, marker, colour, centres[stage], low + 18, filled=False, r=4)
            elif marks or centres[stage] in alone:
                _marker(svg, marker, colour, centres[stage], level(mean), filled=True, r=4.5 if marks else 3)
    svg.close()
