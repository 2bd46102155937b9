"""CSV journey maps to journey maps: the spreadsheet *grid* and the *long* form (one row per step).

The grid is what journey-map spreadsheet templates (and Miro or FigJam boards
exported as CSV) look like: lane names in the first column (stage, doing,
thinking, feeling, emotion, touchpoints, pain points, opportunities...) and
one column per step; a stage name spans its steps (a blank stage cell
continues the stage on its left, as merged cells export). The long form has a
header row naming the columns and one row per step; a blank stage cell
continues the stage above. ``journeyctl render --format csv`` writes the long
form, so a map can go to a spreadsheet and come back.

Lane and column names are matched loosely: case, spaces and punctuation do
not matter and common synonyms are known ("actions", "touch points",
"emotions", "pains"...). A lane or column that means nothing to the format is
reported with its place and left out, never dropped silently. Emotions are
-2..+2 (or the words "very negative" .. "very positive"); a "score" or
"satisfaction" column is Mermaid's 1..5 (emotion = score - 3). Errors are
located as ``file:row:column`` in spreadsheet terms (row 1 is the first
record), with the cell named (``C4``).
"""

from __future__ import annotations

import csv as csv_module
import difflib
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from journeyctl.errors import ImportSourceError, JourneyError, MapInvalid
from journeyctl.importers import ImportedMap, Notice
from journeyctl.importers.builder import MapBuilder, StageDraft
from journeyctl.location import Location
from journeyctl.model import EMOTION_LABELS, EMOTION_MAX, EMOTION_MIN

NAME = "csv"
ALIASES: tuple[str, ...] = ("tsv", "spreadsheet")
PATTERNS: tuple[str, ...] = ("*.csv", "*.tsv")
DESCRIPTION = "CSV: a journey-map spreadsheet grid (lanes as rows) or one row per step"


class Options(BaseModel):
    """Options of the CSV importer."""

    model_config = ConfigDict(extra="forbid")

    shape: Literal["auto", "grid", "long"] = Field(
        "auto", description="grid (lanes as rows), long (one row per step) or auto (detected)."
    )
    clamp: bool = Field(False, description="Bring emotions and scores outside their scale into range.")


#: Field -> the names a lane or column may have (compared after normalising: lowercase, words only).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "stage": ("stage", "stages", "journey stage", "journey stages", "section", "sections", "stage name"),
    "stage_id": ("stage id",),
    "phase": ("phase", "phases", "journey phase"),
    "step_id": ("step id", "id"),
    "action": (
        "doing",
        "doings",
        "does",
        "action",
        "actions",
        "step",
        "steps",
        "task",
        "tasks",
        "activity",
        "activities",
        "what they do",
        "customer actions",
        "user actions",
        "customer action",
        "behaviour",
        "behavior",
    ),
    "persona": ("persona", "personas", "actor", "actors", "who", "role", "roles"),
    "thinking": ("thinking", "thinks", "thought", "thoughts", "what they think", "questions"),
    # Templates' "Customer Experience" / "Experience" lane holds the emotions and thoughts, in words.
    "feeling": (
        "feeling",
        "feelings",
        "feels",
        "what they feel",
        "emotional state",
        "mood",
        "experience",
        "customer experience",
    ),
    "emotion": ("emotion", "emotions", "emotion score", "emotional score", "sentiment"),
    "score": ("score", "scores", "satisfaction", "rating", "mermaid score"),
    "touchpoints": ("touchpoint", "touchpoints", "touch point", "touch points", "interactions"),
    "channel": ("channel", "channels"),
    "pain_points": (
        "pain point",
        "pain points",
        "painpoint",
        "painpoints",
        "pain",
        "pains",
        "frustration",
        "frustrations",
        "problem",
        "problems",
        "issues",
    ),
    "opportunities": ("opportunity", "opportunities", "idea", "ideas", "improvement", "improvements"),
    "goals": ("goal", "goals", "need", "needs", "customer goals", "expectations"),
    "frontstage": ("frontstage", "front stage"),
    "backstage": ("backstage", "back stage"),
    "support": ("support", "support processes", "systems"),
    "kind": ("kind", "step kind", "path"),
    "branches_from": ("branches from", "branches off", "branch of"),
    "condition": ("condition", "branch condition"),
    "rejoins": ("rejoins", "rejoins at"),
    "emotions": ("emotion by persona", "emotions by persona", "persona emotions"),
    "duration": ("duration", "takes", "time taken"),
    "wait": ("wait", "waiting", "wait time", "waiting time"),
    "moment_of_truth": ("moment of truth", "moments of truth"),
    "bright_spots": ("bright spot", "bright spots", "what works well", "works well"),
    "severity": ("severity", "severities", "pain point severity"),
    # What ``render --format csv`` writes for reading, not for import (defined in the map, by id).
    "metrics": ("metric", "metrics", "kpi", "kpis"),
    "insights": ("insight", "insights"),
    # The map's own id, title and summary (``render --format csv`` writes them in its first row).
    "map_id": ("map id", "journey id"),
    "map_title": ("map title", "journey title", "journey map title", "map name", "journey name"),
    "map_summary": ("map summary", "journey summary", "map description", "journey description"),
}
#: Columns about the whole map, not a step: the first value of each is the map's.
_MAP_FIELDS = {"map_id": "id", "map_title": "title", "map_summary": "summary"}
#: Columns that are there to be read: their values are not imported (a notice says so once).
_READ_ONLY = ("metrics", "insights")
_STEP_KINDS = ("main", "alternative", "failure", "recovery")
_SEVERITIES = ("low", "medium", "high", "critical")
_YES = ("yes", "y", "true", "x", "1", "✓", "✔")
_NO = ("", "no", "n", "false", "0")
_LOOKUP = {name: field_name for field_name, names in SYNONYMS.items() for name in names}
#: How each field is shown in messages.
_LABELS = {
    "stage": "stage",
    "stage_id": "stage id",
    "phase": "phase",
    "step_id": "step id",
    "action": "doing",
    "persona": "persona",
    "thinking": "thinking",
    "feeling": "feeling",
    "emotion": "emotion",
    "score": "score",
    "touchpoints": "touchpoints",
    "channel": "channel",
    "pain_points": "pain points",
    "opportunities": "opportunities",
    "goals": "goals",
    "frontstage": "frontstage",
    "backstage": "backstage",
    "support": "support",
    "kind": "kind",
    "branches_from": "branches from",
    "condition": "condition",
    "rejoins": "rejoins",
    "emotions": "emotion by persona",
    "duration": "duration",
    "wait": "wait",
    "moment_of_truth": "moment of truth",
    "bright_spots": "bright spots",
    "severity": "severity",
    "metrics": "metrics",
    "insights": "insights",
    "map_id": "map id",
    "map_title": "map title",
    "map_summary": "map summary",
}
#: Fields that belong to a step: a row or column with one of them needs a 'doing' cell.
_STEP_FIELDS = (
    "persona",
    "thinking",
    "feeling",
    "emotion",
    "score",
    "frontstage",
    "backstage",
    "support",
    "kind",
    "branches_from",
    "condition",
    "rejoins",
    "emotions",
    "duration",
    "wait",
    "moment_of_truth",
    "bright_spots",
)
_WORDS = re.compile(r"[^a-z0-9]+")
#: A comma-separated piece longer than this is part of a sentence, not a name.
_MAX_NAME_WORDS = 4
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦]|\d+[.)])\s+")
_FORMULA_GUARD = re.compile(r"^'(?=[=+\-@\t\r])")


def normalise(label: str) -> str:
    return _WORDS.sub(" ", label.lower()).strip()


def field_for(label: str) -> str | None:
    """The format field a lane or column name stands for, or None."""
    key = normalise(label)
    if key in _LOOKUP:
        return _LOOKUP[key]
    for name in sorted(_LOOKUP, key=len, reverse=True):  # "doing (actions)", "pain points 😣"
        if key.startswith(name + " "):
            return _LOOKUP[name]
    return None


def _suggestion(label: str) -> str:
    close = difflib.get_close_matches(normalise(label), list(_LOOKUP), n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def cell_name(row: int, column: int) -> str:
    """Spreadsheet name of a cell, 1-based: (4, 3) -> 'C4'."""
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return f"{letters}{row}"


@dataclass
class _Table:
    path: str
    rows: list[list[str]]
    errors: list[JourneyError] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    def where(self, row: int, column: int) -> Location:
        """``row`` and ``column`` are 0-based indexes; locations are 1-based."""
        return Location(self.path, row + 1, column + 1)

    def cell(self, row: int, column: int) -> str:
        line = self.rows[row]
        value = line[column] if column < len(line) else ""
        return _FORMULA_GUARD.sub("", value.strip())

    def error(self, row: int, column: int, message: str) -> None:
        self.errors.append(
            ImportSourceError(f"{message} (cell {cell_name(row + 1, column + 1)})", self.where(row, column))
        )

    def notice(self, row: int, column: int, message: str) -> None:
        self.notices.append(
            Notice(self.where(row, column), f"{message} (cell {cell_name(row + 1, column + 1)})")
        )


def read_table(text: str, path: str) -> _Table:
    """The records of a CSV text, the delimiter sniffed (``,`` ``;`` or tab)."""
    if PurePath(path).suffix.lower() == ".tsv":
        delimiter = "\t"
    else:
        sample = text[:20_000]
        try:
            delimiter = csv_module.Sniffer().sniff(sample, delimiters=",;\t").delimiter
        except csv_module.Error:
            delimiter = ","
    try:
        rows = list(csv_module.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv_module.Error as exc:
        raise MapInvalid(
            path, [ImportSourceError(f"not a readable CSV file: {exc}", Location(path))]
        ) from None
    return _Table(path, rows)


def _split(value: str, *, short: bool) -> list[str]:
    """Items of a cell: one per line (bullets removed).

    Names (``short``: personas, touchpoints) are also separated by ';', or by ','
    when the cell has neither ';' nor a line break ("Google, Website"), so that a
    name with a comma survives as ``Maya, buying a gift;``. A cell whose commas
    join a sentence rather than names ("the touchpoints at this stage, such as
    social media, or word of mouth": a piece of more than four words) is one item.
    """
    if short:
        if re.search(r"[\n;]", value):
            pieces = re.split(r"[\n;]", value)
        else:
            pieces = value.split(",")
            if any(len(piece.split()) > _MAX_NAME_WORDS for piece in pieces[:-1] or pieces):
                pieces = [value]
    else:
        pieces = value.split("\n")
    items = [_BULLET.sub("", piece).strip() for piece in pieces]
    return [item for item in items if item]


def _in_words(text: str) -> bool:
    """Whether an emotion cell holds words of its own rather than a number or a word of the scale."""
    if not text.strip() or text.strip().lower() in EMOTION_LABELS.values():
        return False
    try:
        float(text.replace(",", ".").replace("\u2212", "-"))
    except ValueError:
        return True
    return False


def _one_line(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _emotion(table: _Table, row: int, column: int, text: str, kind: str, clamp: bool) -> int | None:
    """An emotion from an 'emotion' (-2..+2 or words) or a 'score' (1..5) cell; None if blank or bad."""
    if not text:
        return None
    words = {label: value for value, label in EMOTION_LABELS.items()}
    if kind == "emotion" and text.lower() in words:
        return words[text.lower()]
    low, high, offset = (EMOTION_MIN, EMOTION_MAX, 0) if kind == "emotion" else (1, 5, -3)
    scale = f"{low:+d}..{high:+d} (or very negative .. very positive)" if kind == "emotion" else "1..5"
    try:
        value = float(text.replace(",", ".").replace("\u2212", "-"))
    except ValueError:
        table.error(row, column, f"{kind} '{text}' is not a number on the {scale} scale")
        return None
    if math.isfinite(value) and value.is_integer() and low <= value <= high:
        return int(value) + offset
    problem = (
        "is not a whole number" if math.isfinite(value) and not value.is_integer() else "is out of range"
    )
    if not clamp or not math.isfinite(value):
        table.error(
            row,
            column,
            f"{kind} {text} {problem}: the {kind} scale is {scale} (--clamp brings it into range)",
        )
        return None
    mapped = min(high, max(low, math.floor(value + 0.5)))
    table.notice(
        row,
        column,
        f"{kind} {text} {problem}: clamped to {mapped:+d}"
        if kind == "emotion"
        else f"{kind} {text} {problem}: clamped to {mapped}",
    )
    return mapped + offset


@dataclass
class _Entry:
    """One step's (or one stage-level) values from a column of the grid or a row of the long form."""

    row: int
    column: int
    values: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # field -> (text, row, column)


def _add_entry(builder: MapBuilder, stage: StageDraft, entry: _Entry, table: _Table, clamp: bool) -> None:
    """Add what one column (grid) or row (long form) holds: a step, or stage-level items."""

    def text(name: str) -> str:
        return entry.values.get(name, ("", 0, 0))[0]

    for goal in _split(text("goals"), short=False):
        builder.goal(stage, goal)
    emotion = None
    feeling = text("feeling")
    for kind in ("emotion", "score"):
        if kind in entry.values:
            value, row, column = entry.values[kind]
            if kind == "emotion" and not feeling and _in_words(value):
                # An "Emotions" lane of a template holds words ("Overwhelmed 😟"), not a score:
                # keep them as the step's feeling rather than refuse the whole sheet.
                feeling = value
                table.notice(
                    row,
                    column,
                    f"emotion '{_one_line(value)}' is words, not a score on the -2..+2 scale: kept as the "
                    "step's feeling, the step is not scored",
                )
                continue
            found = _emotion(table, row, column, value, kind, clamp)
            emotion = found if found is not None else emotion
    step_id = None
    if text("action"):
        _, row, column = entry.values["action"]
        touchpoints = _split(text("touchpoints"), short=True)
        if text("channel") and not touchpoints:
            _, c_row, c_column = entry.values["channel"]
            table.notice(c_row, c_column, "a channel with no touchpoint on this step is not kept")
        step_id = builder.step(
            stage,
            text("action"),
            where=table.where(row, column),
            ident=text("step_id") or None,
            personas=_split(text("persona"), short=True),
            emotion=emotion,
            thinking=text("thinking"),
            feeling=feeling,
            touchpoints=touchpoints,
            channel=text("channel") or None,
            blueprint={
                lane: _split(text(lane), short=False) for lane in ("frontstage", "backstage", "support")
            },
            emotions=_persona_emotions(table, entry, clamp),
            details=_step_details(table, entry),
        )
    else:
        for name in _STEP_FIELDS:
            if text(name):
                _, row, column = entry.values[name]
                table.error(
                    row,
                    column,
                    f"a '{_LABELS[name]}' value with no 'doing' value beside it: a step needs its action",
                )
                break
        for name in _split(text("touchpoints"), short=True):
            builder.touchpoint(stage, name, channel=text("channel") or None)
    descriptions = _split(text("pain_points"), short=False)
    severities = _severities(table, entry, len(descriptions))
    pains = [
        builder.pain_point(stage, description, step=step_id, severity=severity)
        for description, severity in zip(descriptions, severities, strict=True)
    ]
    for description in _split(text("opportunities"), short=False):
        # Beside a step's pain points, an opportunity addresses them (as the csv renderer places it).
        builder.opportunity(stage, description, addresses=pains if step_id is not None else [])


def _step_details(table: _Table, entry: _Entry) -> dict[str, object]:
    """The flow, time, moment-of-truth and bright-spot cells of a step, checked as the format checks them."""
    from journeyctl.model.duration import DurationError, parse_duration

    details: dict[str, object] = {}
    for name in ("kind", "branches_from", "condition", "rejoins", "duration", "wait", "moment_of_truth"):
        if name not in entry.values:
            continue
        value, row, column = entry.values[name]
        key = name.replace("_", "-")
        if name == "kind":
            if value.lower() not in _STEP_KINDS and value:
                table.error(row, column, f"kind '{value}' is not one of {', '.join(_STEP_KINDS)}")
            elif value.lower() != "main":
                details[key] = value.lower()
        elif name in ("duration", "wait"):
            try:
                parse_duration(value)
            except DurationError as exc:
                table.error(row, column, str(exc))
                continue
            details[key] = value
        elif name == "moment_of_truth":
            if value.lower() not in (*_YES, *_NO):
                table.error(row, column, f"moment of truth '{value}' is not yes or no")
            details[key] = value.lower() in _YES
        else:
            details[key] = value
    bright_spots = _split(entry.values.get("bright_spots", ("", 0, 0))[0], short=False)
    if bright_spots:
        details["bright-spots"] = bright_spots
    return details


def _persona_emotions(table: _Table, entry: _Entry, clamp: bool) -> dict[str, int]:
    """``Name: +1`` lines of an 'emotion by persona' cell: persona name -> emotion."""
    if "emotions" not in entry.values:
        return {}
    value, row, column = entry.values["emotions"]
    found: dict[str, int] = {}
    for line in _split(value, short=False):
        name, sep, score = line.rpartition(":")
        if not sep or not name.strip():
            table.error(row, column, f"'{line}' is not 'persona name: emotion' (such as 'Sam: -1')")
            continue
        emotion = _emotion(table, row, column, score.strip(), "emotion", clamp)
        if emotion is not None:
            found[" ".join(name.split())] = emotion
    return found


def _severities(table: _Table, entry: _Entry, count: int) -> list[str | None]:
    """One severity per pain point of the cell beside it, line by line; None: not rated."""
    if "severity" not in entry.values:
        return [None] * count
    value, row, column = entry.values["severity"]
    lines = value.split("\n") if value else []
    if len(lines) > count:
        table.notice(
            row, column, f"{len(lines)} severities for {count} pain points: the extra ones are left out"
        )
    found: list[str | None] = []
    for index in range(count):
        word = lines[index].strip().lower() if index < len(lines) else ""
        if word in ("", "not rated", "unrated"):
            found.append(None)
        elif word in _SEVERITIES:
            found.append(word)
        else:
            table.error(
                row, column, f"severity '{word}' is not one of {', '.join(_SEVERITIES)} or 'not rated'"
            )
            found.append(None)
    return found


def import_source(text: str, path: str, options: Options) -> list[ImportedMap]:
    """The journey map of a CSV file, in either shape."""
    table = read_table(text, path)
    if not any(any(cell.strip() for cell in row) for row in table.rows):
        raise MapInvalid(path, [ImportSourceError("the file has no cells with text", Location(path))])
    shape = options.shape if options.shape != "auto" else detect_shape(table)
    stem = PurePath(path).stem
    builder = MapBuilder(title=stem.replace("-", " ").replace("_", " ").capitalize(), id_hint=stem)
    if shape == "grid":
        _read_grid(table, builder, options.clamp)
    else:
        _read_long(table, builder, options.clamp)
    data = builder.data()
    if table.errors:
        raise MapInvalid(path, table.errors)
    return [ImportedMap(data, origin=f"{path} ({shape} CSV)", notices=[*table.notices, *builder.notices])]


def detect_shape(table: _Table) -> str:
    """'grid' when the first column names lanes, 'long' when the first row names columns."""
    first_row = next((row for row in table.rows if any(cell.strip() for cell in row)), [])
    # Distinct fields: a grid's first row names its stages ("Stage 1 (e.g. Awareness)", ...),
    # which read as five 'stage' columns but are one field, not a header row.
    long_score = len({field_for(cell) for cell in first_row} - {None})
    grid_score = len({field_for(row[0]) for row in table.rows if row} - {None})
    if grid_score >= 2 and grid_score > long_score:
        return "grid"
    if long_score >= 2:
        return "long"
    raise MapInvalid(
        table.path,
        [
            ImportSourceError(
                "cannot tell the shape of this CSV: neither its first column names lanes (stage, doing, "
                "feeling...) nor its first row names columns; give --shape grid or --shape long",
                Location(table.path, 1, 1),
            )
        ],
    )


def _fields_of(labels: Iterable[tuple[int, str]], table: _Table, *, as_row: bool) -> dict[int, str]:
    """Index -> field for each lane (``as_row``) or column label; unknown ones reported."""
    fields: dict[int, str] = {}
    seen: dict[str, int] = {}
    for index, label in labels:
        if not label.strip():
            continue
        name = field_for(label)
        row, column = (index, 0) if as_row else (0, index)
        if name is None:
            kind = "lane" if as_row else "column"
            table.notice(
                row,
                column,
                f"unknown {kind} '{label.strip()}'{_suggestion(label)}: its values are not imported",
            )
            continue
        if name in _READ_ONLY:
            kind = "lane" if as_row else "column"
            table.notice(
                row,
                column,
                f"the {kind} '{label.strip()}' is there to be read: {_LABELS[name]} are defined in the map "
                "and cited by id, so its values are not imported",
            )
            continue
        if name in seen:
            kind = "lane" if as_row else "column"
            table.notice(
                row, column, f"a second '{_LABELS[name]}' {kind}: its values are added to the first's"
            )
        seen.setdefault(name, index)
        fields[index] = name
    if "stage" not in seen and "phase" in seen:
        # Templates often call their stages phases; without a stage lane the phases are the stages.
        fields = {index: ("stage" if name == "phase" else name) for index, name in fields.items()}
    return fields


def _merge(entry: _Entry, name: str, value: str, row: int, column: int) -> None:
    if not value:
        return
    if name in entry.values:
        old = entry.values[name]
        entry.values[name] = (old[0] + "\n" + value, old[1], old[2])
    else:
        entry.values[name] = (value, row, column)


def _take_map_fields(entry: _Entry, builder: MapBuilder, table: _Table) -> None:
    """The map's id, title and summary from a row's map columns; a second, different one is noted."""
    for name, attribute in _MAP_FIELDS.items():
        if name not in entry.values:
            continue
        value, row, column = entry.values.pop(name)
        value = value.strip()
        if not value:
            continue
        taken = builder.taken_about.get(attribute)
        if taken is None:
            builder.taken_about[attribute] = value
            setattr(builder, "ident" if attribute == "id" else attribute, value)
        elif taken != value:
            table.notice(
                row, column, f"the map's {attribute} is '{taken}' (an earlier row); '{value}' is left out"
            )


def _read_grid(table: _Table, builder: MapBuilder, clamp: bool) -> None:
    labelled = [(index, row[0] if row else "") for index, row in enumerate(table.rows)]
    first_lane = next((index for index, label in labelled if field_for(label)), 0)
    for index, label in labelled[:first_lane]:
        if label.strip() and not any(cell.strip() for cell in table.rows[index][1:]):
            # A title above the lanes, as spreadsheet templates have: the map's title.
            builder.title = label.strip()
            labelled.remove((index, label))
            break
    lanes = _fields_of(labelled, table, as_row=True)
    width = max(len(row) for row in table.rows)
    for index, row in enumerate(table.rows):
        if index not in lanes and (not row or not row[0].strip()) and any(c.strip() for c in row[1:]):
            table.notice(index, 0, "a row with no lane name in its first cell: its values are not imported")
    stage_rows = [index for index, name in lanes.items() if name == "stage"]
    stage_row = stage_rows[0] if stage_rows else None
    phase_row = next((index for index, name in lanes.items() if name == "phase"), None)
    stage: StageDraft | None = None
    stage_name = ""
    if stage_row is None:
        table.notice(0, 0, "no 'stage' lane: every step goes into one stage named 'Untitled'")
    for column in range(1, width):
        name = table.cell(stage_row, column) if stage_row is not None else ""
        if name and name != stage_name:
            phase = table.cell(phase_row, column) if phase_row is not None else None
            stage = builder.stage(name, phase=phase or None)
            stage_name = name
        entry = _Entry(stage_row or 0, column)
        for index, lane in lanes.items():
            if lane in ("stage", "phase"):
                continue
            _merge(entry, lane, table.cell(index, column), index, column)
        if not entry.values:
            continue
        if stage is None:
            table.notice(
                entry.row, column, "steps before the first stage name go into a stage named 'Untitled'"
            )
            stage = builder.stage("Untitled")
            stage_name = "\0"
        _add_entry(builder, stage, entry, table, clamp)
    if stage is None:
        builder.stage("Untitled")


def _read_long(table: _Table, builder: MapBuilder, clamp: bool) -> None:
    header_index = next(index for index, row in enumerate(table.rows) if any(cell.strip() for cell in row))
    header = table.rows[header_index]
    columns = _fields_of(list(enumerate(header)), table, as_row=False)
    if "action" not in columns.values():
        table.error(
            header_index,
            0,
            "no column for the steps' actions: name one 'Doing', 'Action' or 'Step' (and one 'Stage')",
        )
        return
    stage: StageDraft | None = None
    stage_key: tuple[str, str] | None = None
    for index in range(header_index + 1, len(table.rows)):
        row = table.rows[index]
        if not any(cell.strip() for cell in row):
            continue
        entry = _Entry(index, 0)
        for column, name in columns.items():
            _merge(entry, name, table.cell(index, column), index, column)
        _take_map_fields(entry, builder, table)
        stage_name = entry.values.pop("stage", ("", 0, 0))[0]
        stage_id = entry.values.pop("stage_id", ("", 0, 0))[0]
        phase = entry.values.pop("phase", ("", 0, 0))[0]
        key = (stage_id, stage_name)
        if (stage_name or stage_id) and key != stage_key:
            stage = builder.stage(stage_name or stage_id, ident=stage_id or None, phase=phase or None)
            stage_key = key
        if stage is None:
            table.notice(index, 0, "rows before the first stage name go into a stage named 'Untitled'")
            stage = builder.stage("Untitled")
            stage_key = ("", "")
        if entry.values:
            _add_entry(builder, stage, entry, table, clamp)
    if stage is None:
        builder.stage("Untitled")
