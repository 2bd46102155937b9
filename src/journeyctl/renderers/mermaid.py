"""``--format mermaid``: a Mermaid ``journey`` diagram of the map (GitHub draws it natively).

Sections are stages, tasks are steps (their ``action``), the score is
``emotion + 3`` on Mermaid's 1..5 scale (a step that records no emotion gets
the neutral 3), and the actors are the step's persona, or every persona when
the step names none.

Mermaid's journey grammar has no quoting: ``:`` separates a task from its
score and actors, ``,`` separates actors, ``#`` and ``%%`` start comments,
``;`` ends a statement, ``%%{...}%%`` is a configuration directive anywhere in
the text, and a line that starts with ``title``, ``section``, ``journey``,
``accTitle`` or ``accDescr`` is a keyword. Mermaid also passes some text (the
title) through an HTML sanitiser that silently drops anything tag-like.
``mermaid_text`` replaces those characters by their full-width twins
(``：，＃；％＜＞``), flattens newlines and trims spaces; a name that starts
with a keyword gets a zero-width space in front, which Mermaid's lexer does
not skip as white space but nobody sees.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from journeyctl.renderers.common import NEUTRAL_SCORE, one_line, persona_names, select_stages, step_actors

if TYPE_CHECKING:
    from journeyctl.loader import LoadedMap

NAME = "mermaid"
ALIASES: tuple[str, ...] = ("mmd",)
EXTENSION = ".mmd"
DESCRIPTION = "Mermaid journey diagram: stages as sections, steps as tasks scored by emotion"
BINARY = False
REQUIRES: tuple[str, ...] = ()

_REPLACEMENTS = str.maketrans(
    {":": "\uff1a", ",": "\uff0c", "#": "\uff03", ";": "\uff1b", "<": "\uff1c", ">": "\uff1e"}
)
_KEYWORD = re.compile(r"(?i)(journey|title|section|acctitle|accdescr)\b")
ZERO_WIDTH_SPACE = "\u200b"


class Options(BaseModel):
    """Options of the mermaid format."""

    model_config = ConfigDict(extra="forbid")

    stages: list[str] = Field(
        default_factory=list, description="Only these stage ids, in journey order (default: all)."
    )
    title: bool = Field(True, description="Start the diagram with the map's title.")


def mermaid_text(text: str, fallback: str = "") -> str:
    """``text`` made safe for any position in a Mermaid journey line (see the module docstring)."""
    cleaned = one_line(text).translate(_REPLACEMENTS)
    # ``%%`` starts a comment or a ``%%{...}%%`` directive; a leading ``%`` starts one too.
    while "%%" in cleaned:
        cleaned = cleaned.replace("%%", "%\uff05")
    if cleaned.startswith("%"):
        cleaned = "\uff05" + cleaned[1:]
    if _KEYWORD.match(cleaned):
        cleaned = ZERO_WIDTH_SPACE + cleaned
    return cleaned or fallback


def journey_diagram(loaded: LoadedMap, stages: list[str] | None = None, *, title: bool = True) -> str:
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
        lines.append(f"    section {mermaid_text(stage.name, stage.id)}")
        for step in stage.steps:
            score = NEUTRAL_SCORE if step.emotion is None else step.emotion + NEUTRAL_SCORE
            actors = [mermaid_text(actor) for actor in step_actors(journey, step, personas)]
            actors = [actor for actor in actors if actor]
            task = f"      {mermaid_text(step.action, step.id)}: {score}"
            if actors:
                task += ": " + ", ".join(actors)
            lines.append(task)
    return "\n".join(lines) + "\n"


def render(loaded: LoadedMap, options: Options) -> bytes:
    return journey_diagram(loaded, options.stages, title=options.title).encode("utf-8")
