"""``--format csv``: the map as a spreadsheet, one row per step (the long form ``journeyctl import`` reads).

Columns: Stage, Stage id, Phase, Step id, Doing, Persona, Thinking, Feeling,
Emotion (-2..+2), Touchpoints and Persona (names, "; " between; a lone
name with a comma ends with ";"), Pain points and
Opportunities (descriptions, one per line in the cell), the service
blueprint's Frontstage, Backstage and Support (one item per line), then the
flow (Kind: blank for the main line, else alternative, failure or recovery;
Branches from and Rejoins as step ids; Condition), Emotion by persona (a
``Name: +1`` line per persona who scores the step apart), Duration and Wait
(as written, ``10m``), Moment of truth (``yes``), Bright spots, the Severity
of each pain point of the row (line by line, ``not rated`` when unrated), and,
for reading only, the Metrics that measure the step (or the stage, in its own
row) with value, target and period, and the Insights the row's step, pain
points and metrics cite (kind, source, date, link); last, in the first row
only, the Map id, Map title and Map summary, which name the map when the
sheet is imported again. A pain point sits in
the row of its step; an opportunity in the row of the first step whose pain
point it addresses. What belongs to a stage and no step (and a stage with no
steps) gets a row of its own with an empty Doing cell. A step with no persona
lists every persona, as the format reads it.

RFC 4180 CSV (comma, CRLF, quotes where needed), UTF-8; ``-O bom=true`` starts
it with a byte-order mark so that Excel reads the accents right. A text cell
that a spreadsheet would run as a formula (one starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return, other than a number) is prefixed with
``'``, as OWASP advises; the CSV importer removes that prefix again.
"""

from __future__ import annotations

import csv as csv_module
import io
import re
from typing import TYPE_CHECKING

from journeyctl.options import Field
from journeyctl.renderers import RendererOptions
from journeyctl.renderers.common import (
    insight_text,
    metric_scope,
    persona_names,
    persona_scores,
    select_stages,
    severity_text,
    step_actors,
)

if TYPE_CHECKING:
    from journeyctl.loader import LoadedMap
    from journeyctl.model import Insight, Journey, Metric, PainPoint, Stage, Step

NAME = "csv"
ALIASES: tuple[str, ...] = ("spreadsheet",)
EXTENSION = ".csv"
DESCRIPTION = "CSV for spreadsheets: one row per step (stage, doing, feeling, emotion, touchpoints, pains...)"
BINARY = False
REQUIRES: tuple[str, ...] = ()

COLUMNS = (
    "Stage",
    "Stage id",
    "Phase",
    "Step id",
    "Doing",
    "Persona",
    "Thinking",
    "Feeling",
    "Emotion",
    "Touchpoints",
    "Pain points",
    "Opportunities",
    "Frontstage",
    "Backstage",
    "Support",
    "Kind",
    "Branches from",
    "Condition",
    "Rejoins",
    "Emotion by persona",
    "Duration",
    "Wait",
    "Moment of truth",
    "Bright spots",
    "Severity",
    "Metrics",
    "Insights",
    "Map id",
    "Map title",
    "Map summary",
)
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


class Options(RendererOptions):
    """Options of the csv format."""

    stages: list[str] = Field(
        default_factory=list, description="Only these stage ids, in journey order (default: all)."
    )
    bom: bool = Field(False, description="Start with a UTF-8 byte-order mark (for Excel).")


def safe_cell(text: str) -> str:
    """``text`` that a spreadsheet shows rather than runs: formula-like text gets a leading ``'``."""
    if _FORMULA_START.match(text) and not _NUMBER.match(text):
        return "'" + text
    return text


def names_cell(names: list[str]) -> str:
    """Names joined with "; "; a lone name with a comma ends with ';' so that it is read back whole."""
    if len(names) == 1 and "," in names[0]:
        return names[0] + ";"
    return "; ".join(names)


def _signed(emotion: int | None) -> str:
    return "" if emotion is None else f"{emotion:+d}" if emotion else "0"


def _metric_line(metric: Metric, personas: dict[str, str]) -> str:
    """``Checkout conversion: 38 % (target 60 %; Sep 2026, new customers)``."""
    unit = f" {metric.unit}" if metric.unit else ""
    text = f"{metric.name}: " + ("no value" if metric.value is None else f"{metric.value:g}{unit}")
    facts = [] if metric.target is None else [f"target {metric.target:g}{unit}"]
    scope = metric_scope(metric, personas)
    if scope:
        facts.append(", ".join(scope))
    return text + (f" ({'; '.join(facts)})" if facts else "")


def _insight_lines(refs: list[str], insights: dict[str, Insight]) -> str:
    lines = []
    for ref in dict.fromkeys(refs):
        insight = insights.get(ref)
        if insight is not None:
            lines.append(insight_text(insight) + (f" {insight.url}" if insight.url else ""))
    return "\n".join(lines)


def _step_cells(journey: Journey, step: Step, personas: dict[str, str]) -> list[str]:
    """The flow, per-persona, time and moment-of-truth cells of a step."""
    scores = [score for score in persona_scores(journey, step, personas) if score.own]
    return [
        "" if step.kind == "main" else step.kind,
        step.branches_from or "",
        step.condition or "",
        step.rejoins or "",
        "\n".join(f"{score.name}: {_signed(score.emotion)}" for score in scores),
        step.duration or "",
        step.wait or "",
        "yes" if step.moment_of_truth else "",
        "\n".join(step.bright_spots),
    ]


def _stage_rows(loaded: LoadedMap, stage: Stage) -> list[list[str]]:
    journey = loaded.journey
    personas = persona_names(journey)
    insights = {insight.id: insight for insight in journey.insights}
    touchpoint_names = {t.id: t.name for _, t in journey.iter_touchpoints()}
    step_of_pain_point = {p.id: p.step for _, p in journey.iter_pain_points()}
    pains: dict[str | None, list[PainPoint]] = {}
    step_ids = {step.id for step in stage.steps}
    for pain_point in stage.pain_points:
        pains.setdefault(pain_point.step if pain_point.step in step_ids else None, []).append(pain_point)
    ideas: dict[str | None, list[str]] = {}
    for opportunity in stage.opportunities:
        places = [step_of_pain_point.get(ref) for ref in opportunity.addresses]
        place = next((ident for ident in places if ident in step_ids), None)
        ideas.setdefault(place, []).append(opportunity.description)
    metrics: dict[str | None, list[Metric]] = {}
    touchpoint_steps = {ref: step.id for step in stage.steps for ref in reversed(step.touchpoints)}
    for metric in stage.metrics:
        place = metric.step if metric.step in step_ids else touchpoint_steps.get(metric.touchpoint or "")
        metrics.setdefault(place, []).append(metric)

    def tail(place: str | None, step: Step | None) -> list[str]:
        here = pains.get(place, [])
        measured = metrics.get(place, [])
        cited = [*(step.insights if step else [])]
        for pain in here:
            cited.extend(pain.insights)
        for metric in measured:
            cited.extend(metric.insights)
        return [
            "\n".join(severity_text(pain.severity) for pain in here),
            "\n".join(_metric_line(metric, personas) for metric in measured),
            _insight_lines(cited, insights),
        ]

    head = [stage.name, stage.id, stage.phase or ""]
    rows = []
    for step in stage.steps:
        rows.append(
            [
                *head,
                step.id,
                step.action,
                names_cell(step_actors(journey, step)),
                step.thinking or "",
                step.feeling or "",
                _signed(step.emotion),
                names_cell([touchpoint_names.get(ref, ref) for ref in step.touchpoints]),
                "\n".join(pain.description for pain in pains.get(step.id, [])),
                "\n".join(ideas.get(step.id, [])),
                "\n".join(step.frontstage),
                "\n".join(step.backstage),
                "\n".join(step.support),
                *_step_cells(journey, step, personas),
                *tail(step.id, step),
            ]
        )
    used = {ref for step in stage.steps for ref in step.touchpoints}
    loose_touchpoints = [t.name for t in stage.touchpoints if t.id not in used]
    if not stage.steps or pains.get(None) or ideas.get(None) or loose_touchpoints or metrics.get(None):
        rows.append(
            [
                *head,
                "",
                "",
                "",
                "",
                "",
                "",
                names_cell(loose_touchpoints),
                "\n".join(pain.description for pain in pains.get(None, [])),
                "\n".join(ideas.get(None, [])),
                "",
                "",
                "",
                *([""] * 9),
                *tail(None, None),
            ]
        )
    return rows


def render(loaded: LoadedMap, options: Options) -> bytes:
    buffer = io.StringIO()
    writer = csv_module.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    journey = loaded.journey
    # The map's own id, title and summary, once, in the first row: what names the map when
    # the sheet is imported again (without them it was named after the file).
    about = [journey.id, journey.title, journey.summary or ""]
    for stage in select_stages(journey, options.stages):
        for row in _stage_rows(loaded, stage):
            writer.writerow([safe_cell(cell) for cell in [*row, *about]])
            about = ["", "", ""]
    text = buffer.getvalue()
    return (("\ufeff" if options.bom else "") + text).encode("utf-8")
