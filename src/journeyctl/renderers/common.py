"""What the built-in renderers share: the stage filter, emotion wording and text clean-up."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from journeyctl.errors import RenderError

if TYPE_CHECKING:
    from journeyctl.model import Journey, Persona, Stage, Step

#: Emotion -> (sign-explicit number, words). Every renderer shows both, never colour alone.
EMOTION_WORDS = {
    -2: ("-2", "very negative"),
    -1: ("-1", "negative"),
    0: ("0", "neutral"),
    1: ("+1", "positive"),
    2: ("+2", "very positive"),
}

#: Mermaid score for a step that records no emotion: the neutral middle of 1..5.
NEUTRAL_SCORE = 3

# C0/C1 controls (but tab and newline) and lone surrogates: neither DOT, XML nor
# Markdown can carry them, and they are never meant to be seen.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` with CR/LF normalised to LF and unprintable characters replaced by U+FFFD."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _UNPRINTABLE.sub("\ufffd", text)


def one_line(text: str) -> str:
    """``text`` on one line: every run of whitespace (newlines included) becomes one space."""
    return " ".join(printable(text).split())


def emotion_text(emotion: int | None) -> str:
    """``+1 positive`` and such; ``no emotion recorded`` for None."""
    if emotion is None:
        return "no emotion recorded"
    number, words = EMOTION_WORDS[emotion]
    return f"{number} {words}"


def select_stages(journey: Journey, wanted: Sequence[str]) -> list[Stage]:
    """The stages named in ``wanted`` (ids, in journey order), or all when it is empty."""
    if not wanted:
        return list(journey.stages)
    known = {stage.id for stage in journey.stages}
    for ident in wanted:
        if ident not in known:
            message = f"unknown stage '{ident}' in the 'stages' option"
            close = difflib.get_close_matches(ident, sorted(known), n=1)
            if close:
                message += f" (did you mean '{close[0]}'?)"
            else:
                message += "; stages: " + ", ".join(stage.id for stage in journey.stages[:10])
                if len(journey.stages) > 10:
                    message += ", ..."
            raise RenderError(message)
    chosen = set(wanted)
    return [stage for stage in journey.stages if stage.id in chosen]


def persona_names(journey: Journey) -> dict[str, str]:
    return {persona.id: persona.name for persona in journey.personas}


def step_actors(journey: Journey, step: Step, personas: dict[str, str] | None = None) -> list[str]:
    """Who takes a step: its personas, or every persona when it names none (the format's rule)."""
    names = persona_names(journey) if personas is None else personas
    if step.persona_ids:
        return [names.get(ident, ident) for ident in step.persona_ids]
    return list(names.values())


def persona_of(journey: Journey, ident: str | None) -> Persona | None:
    if ident is None:
        return None
    return next((persona for persona in journey.personas if persona.id == ident), None)


def stage_emotion(stage: Stage) -> float | None:
    """The mean emotion of a stage's steps that record one, or None."""
    scores = [step.emotion for step in stage.steps if step.emotion is not None]
    if not scores:
        return None
    return sum(scores) / len(scores)
