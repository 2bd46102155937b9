"""``--format mermaid``: a Mermaid ``journey`` diagram of the map (GitHub draws it natively).

Sections are stages, tasks are the main-line steps (their ``action``), the
score is ``emotion + 3`` on Mermaid's 1..5 scale, and the actors are the
step's personas, or every persona when the step names none. A Mermaid journey
is one line that every customer follows, so branch steps (alternative,
failure and recovery paths) are not drawn as tasks: a ``%%`` comment in their
stage names them. Mermaid needs a score for every task; a step nobody scored
is drawn at the neutral 3 with a ``%%`` comment saying so, and a step whose
personas feel differently gets the step's `emotion` (or, without one, the
lowest of theirs) with a comment listing each persona's.

Mermaid's journey grammar has no quoting: ``:`` separates a task from its
score and actors, ``,`` separates actors, ``#`` and ``%%`` start comments,
``;`` ends a statement, ``%%{...}%%`` is a configuration directive anywhere in
the text, and a line that starts with ``title``, ``section``, ``journey``,
``accTitle`` or ``accDescr`` is a keyword. What Mermaid offers instead is its
entity codes: before parsing, Mermaid turns ``#44;`` into a placeholder the
grammar does not see, and after drawing into the character ``,`` (its
``encodeEntities``/``decodeEntities``). ``mermaid_text`` writes every such
character as its code (``#58;`` for ``:``, ``#35;`` for ``#``...) and the
first letter of a leading keyword too, so the drawing shows the text exactly
as written, in characters every font has.

Mermaid draws each task in a fixed 150 x 50 px box and cuts what does not fit
without a sign. ``fit_text`` measures the text with the advance widths of
DejaVu Sans at Mermaid's 16 px (the fallback font of mermaid-cli here, and
metrically a twin of Verdana, one of Mermaid's own choices; Arial and Trebuchet
are narrower, so what fits here fits there), wraps it as the browser does, and
shortens what needs more than two lines, with "…" and a ``%%`` comment
holding the full text. ``-O shorten=false`` keeps every text whole.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from journeyctl.options import Field
from journeyctl.renderers import RendererOptions
from journeyctl.renderers.common import (
    KIND_WORDS,
    NEUTRAL_SCORE,
    emotion_text,
    one_line,
    persona_names,
    persona_scores,
    select_stages,
    step_actors,
)

if TYPE_CHECKING:
    from journeyctl.loader import LoadedMap
    from journeyctl.model import Journey, Step

NAME = "mermaid"
ALIASES: tuple[str, ...] = ("mmd",)
EXTENSION = ".mmd"
DESCRIPTION = "Mermaid journey diagram: stages as sections, main-line steps as tasks scored by emotion"
BINARY = False
REQUIRES: tuple[str, ...] = ()

#: Characters that mean something to Mermaid's journey grammar or its preprocessing, as entity codes.
_ENTITY_CODES = str.maketrans(
    {char: f"#{ord(char)};" for char in ":,#;%<>{}"},
)
_KEYWORD = re.compile(r"(?i)(journey|title|section|acctitle|accdescr)\b")

#: Mermaid's journey geometry (its defaults): a task box, the gap between tasks, the text size.
TASK_WIDTH = 150
TASK_MARGIN = 50
LINES_PER_BOX = 2  # 50 px of box at a line height of about 19 px
ELLIPSIS = "…"

#: Advance widths in em of DejaVu Sans, printable ASCII in code order (measured in Chromium at
#: 16 px inside a task box of a diagram drawn by mermaid-cli, tools/mermaid).
_WIDTH_TABLE = """
    0.318 0.401 0.460 0.838 0.636 0.950 0.780 0.275 0.390 0.390 0.500 0.838 0.318 0.361 0.318 0.337
    0.636 0.636 0.636 0.636 0.636 0.636 0.636 0.636 0.636 0.636 0.337 0.337 0.838 0.838 0.838 0.531
    1.000 0.711 0.686 0.698 0.770 0.632 0.575 0.775 0.752 0.295 0.295 0.656 0.557 0.863 0.748 0.787
    0.603 0.787 0.695 0.635 0.594 0.732 0.684 0.989 0.685 0.611 0.685 0.390 0.337 0.390 0.838 0.500
    0.500 0.613 0.635 0.550 0.635 0.615 0.344 0.635 0.634 0.278 0.278 0.579 0.278 0.974 0.634 0.612
    0.635 0.635 0.394 0.521 0.392 0.634 0.592 0.818 0.592 0.592 0.525 0.636 0.337 0.636 0.838
"""
_PRINTABLE_ASCII = "".join(chr(code) for code in range(32, 127))
_WIDTHS = dict(zip(_PRINTABLE_ASCII, map(float, _WIDTH_TABLE.split()), strict=True))
FONT_SIZE = 16
#: Width of a character not in the table: a wide letter, so that a guess never overflows.
_WIDE = 1.0
_WIDTHS[ELLIPSIS] = 1.0


class Options(RendererOptions):
    """Options of the mermaid format."""

    stages: list[str] = Field(
        default_factory=list, description="Only these stage ids, in journey order (default: all)."
    )
    title: bool = Field(True, description="Start the diagram with the map's title.")
    shorten: bool = Field(
        True,
        description=(
            "Shorten task and section names that would not fit Mermaid's boxes (with …, and the full text "
            "in a %% comment); false keeps them whole."
        ),
    )


def mermaid_text(text: str, fallback: str = "") -> str:
    """``text`` for any position in a Mermaid journey line, shown by Mermaid exactly as written."""
    cleaned = one_line(text)
    if not cleaned:
        return fallback
    escaped = cleaned.translate(_ENTITY_CODES)
    if _KEYWORD.match(escaped):
        escaped = f"#{ord(escaped[0])};" + escaped[1:]
    return escaped


#: The table by code point for the common, all-ASCII case (a list lookup per byte).
_ASCII_WIDTHS = [_WIDTHS.get(chr(code), _WIDE) for code in range(128)]


def text_width(text: str) -> float:
    """The width in px of ``text`` in DejaVu Sans at 16 px (accented letters as their base letter)."""
    if text.isascii():
        return sum(map(_ASCII_WIDTHS.__getitem__, text.encode("ascii"))) * FONT_SIZE
    total = 0.0
    for char in text:
        width = _WIDTHS.get(char)
        if width is None:
            base = unicodedata.normalize("NFKD", char)[:1]
            width = _WIDTHS.get(base, _WIDE) if base.isascii() and base.isalpha() else _WIDE
        total += width
    return total * FONT_SIZE


_SPACE_WIDTH = _WIDTHS[" "] * FONT_SIZE
_ELLIPSIS_WIDTH = _WIDTHS[ELLIPSIS] * FONT_SIZE


def _fits_widths(words: list[float], width: float, lines: int) -> bool:
    """Whether words of these widths wrap into at most ``lines`` lines ``width`` px wide."""
    used = 1
    line = 0.0
    for size in words:
        if size > width:
            return False  # one word wider than the box: the browser does not break it, the box cuts it
        if line and line + _SPACE_WIDTH + size > width:
            used += 1
            line = size
        else:
            line = line + _SPACE_WIDTH + size if line else size
    return used <= lines


def fits(text: str, width: float, lines: int = LINES_PER_BOX) -> bool:
    """Whether ``text`` wraps at spaces into at most ``lines`` lines ``width`` px wide, as browsers wrap."""
    return _fits_widths([text_width(word) for word in text.split(" ")], width, lines)


def fit_text(text: str, width: float = TASK_WIDTH) -> tuple[str, bool]:
    """``(text, False)`` when it fits a box ``width`` px wide, else ``(shortened…, True)``.

    Whole words are kept while they fit with the ellipsis; a first word too
    wide on its own is cut inside.
    """
    words = text.split(" ")
    widths = [text_width(word) for word in words]
    if _fits_widths(widths, width, LINES_PER_BOX):
        return text, False
    kept = 0
    # The ellipsis goes after the last word kept (trailing punctuation is dropped before it).
    while kept < len(words):
        last = words[kept].rstrip(" ,;:.-")
        candidate = [*widths[:kept], text_width(last) + _ELLIPSIS_WIDTH]
        if not _fits_widths(candidate, width, LINES_PER_BOX):
            break
        kept += 1
    if not kept:
        # The longest start of the first word that fits with the ellipsis: one pass over its
        # characters (cutting one character at a time and measuring again was quadratic:
        # 3.6 s for a 16,000-character word).
        room = width - _ELLIPSIS_WIDTH
        used = 0.0
        end = 0
        for char in words[0]:
            used += text_width(char)
            if used > room:
                break
            end += 1
        return words[0][:end] + ELLIPSIS, True
    return " ".join(words[:kept]).rstrip(" ,;:.-") + ELLIPSIS, True


def comment_text(text: str) -> str:
    """Text for a ``%%`` comment line: one line, and no ``%%{`` that Mermaid would read as a directive."""
    cleaned = one_line(text)
    while "%%" in cleaned:
        cleaned = cleaned.replace("%%", "% %")
    return cleaned


def task_score(journey: Journey, step: Step, personas: dict[str, str]) -> tuple[int, list[str]]:
    """The task's 1..5 score and the ``%%`` comments that say what Mermaid cannot show."""
    notes: list[str] = []
    scores = persona_scores(journey, step, personas)
    distinct = {score.emotion for score in scores}
    emotion = step.emotion
    if scores and len(distinct) > 1:
        scored = [score.emotion for score in scores if score.emotion is not None]
        if emotion is None and scored:
            emotion = min(scored)
        shown = "the step's score" if step.emotion is not None else "the lowest"
        each = "; ".join(f"{comment_text(score.name)}: {emotion_text(score.emotion)}" for score in scores)
        notes.append(f"personas feel differently here ({each}); the task shows {shown}")
    elif scores and emotion is None:
        emotion = next(iter(distinct))
    if emotion is None:
        notes.append("not scored: drawn at 3 (neutral) because Mermaid needs a score")
        return NEUTRAL_SCORE, notes
    return emotion + NEUTRAL_SCORE, notes


def journey_diagram(
    loaded: LoadedMap, stages: list[str] | None = None, *, title: bool = True, shorten: bool = True
) -> str:
    """The Mermaid journey diagram text, ending with a newline."""
    journey = loaded.journey
    personas = persona_names(journey)
    lines = ["journey"]
    if title:
        lines.append(f"    title {mermaid_text(journey.title, journey.id)}")
    lines.append(f"    accTitle: {mermaid_text(journey.title, journey.id)}")
    if journey.summary and journey.summary.strip():
        lines.append(f"    accDescr: {mermaid_text(journey.summary)}")
    for stage in select_stages(journey, stages or []):
        main = [step for step in stage.steps if not step.is_branch]
        branches = [step for step in stage.steps if step.is_branch]
        name = one_line(stage.name) or stage.id
        if shorten and main:
            shown, cut = fit_text(name, TASK_WIDTH * len(main) + TASK_MARGIN * (len(main) - 1))
            if cut:
                lines.append(f"    %% section shortened to fit its box; in full: {comment_text(name)}")
                name = shown
        lines.append(f"    section {mermaid_text(name, stage.id)}")
        for step in main:
            score, notes = task_score(journey, step, personas)
            action = one_line(step.action) or step.id
            if shorten:
                action, cut = fit_text(action)
                if cut:
                    notes.append(f"shortened to fit Mermaid's task box; in full: {comment_text(step.action)}")
            for note in notes:
                lines.append(f"      %% {step.id}: {note}")
            actors = [mermaid_text(actor) for actor in step_actors(journey, step, personas)]
            actors = [actor for actor in actors if actor]
            task = f"      {mermaid_text(action, step.id)}: {score}"
            if actors:
                task += ": " + ", ".join(actors)
            lines.append(task)
        if branches:
            listed = "; ".join(f"{KIND_WORDS[step.kind]} “{comment_text(step.action)}”" for step in branches)
            lines.append(f"      %% not drawn (a journey diagram is the main line only): {listed}")
    return "\n".join(lines) + "\n"


def render(loaded: LoadedMap, options: Options) -> bytes:
    return journey_diagram(loaded, options.stages, title=options.title, shorten=options.shorten).encode(
        "utf-8"
    )
