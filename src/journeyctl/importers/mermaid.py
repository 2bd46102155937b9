"""Mermaid ``journey`` diagrams to journey maps: a ``.mmd`` file, or every journey block of a Markdown file.

The reading follows Mermaid's own journey grammar (its jison lexer and parser,
``packages/mermaid/src/diagrams/user-journey/parser/journey.jison``), rule for
rule, so a diagram means here what it means when Mermaid draws it:

* ``title``, ``accTitle: ...``, ``accDescr: ...`` and ``accDescr { ... }``;
  front matter (``---`` ... ``---``, whose ``title`` is used when there is no
  ``title`` line; its ``config`` is drawing configuration and is left out),
  ``%%{...}%%`` directives and ``%%`` and ``#`` comments, which are skipped;
* ``section NAME`` starts a stage (a name ends at ``:``, ``#`` or ``;``);
  tasks before any section go into a stage named "Untitled";
* ``Task name: SCORE: Actor one, Actor two`` is a step. The score maps to an
  emotion as the export does (emotion = score - 3); a blank score records no
  emotion; one outside 1..5 or not whole is refused, or, with ``clamp``, brought
  into range with a notice. Actors are free text (systems, roles, "Mr. Smith"):
  each becomes a persona whose id is a slug of the name, the name kept, and a
  task with several actors a step with several personas;
* Mermaid's entity codes (``#44;`` for ``,``, ``#58;`` for ``:``, ``#quot;``)
  stand for their character, as Mermaid draws them: before parsing it hides
  them from the grammar, so a ``#`` there starts no comment.

Where Mermaid itself would fail to draw the diagram, the import fails with the
line and column, except for one common slip: ``section Step 1: Context`` (a
colon in a section name) is imported whole, with a notice.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from journeyctl.errors import ImportSourceError, JourneyError, MapInvalid
from journeyctl.importers import ImportedMap, Notice
from journeyctl.importers.builder import MapBuilder
from journeyctl.location import Location

NAME = "mermaid"
ALIASES: tuple[str, ...] = ("mmd", "markdown", "md")
PATTERNS: tuple[str, ...] = ("*.mmd", "*.mermaid", "*.md", "*.markdown")
DESCRIPTION = "Mermaid journey diagrams: a .mmd file, or every journey block in a Markdown file"

ZERO_WIDTH_SPACE = "\u200b"
SCORE_MIN = 1
SCORE_MAX = 5
#: Mermaid's score of a neutral step; emotion = score - NEUTRAL_SCORE.
NEUTRAL_SCORE = 3


class Options(BaseModel):
    """Options of the Mermaid importer."""

    model_config = ConfigDict(extra="forbid")

    clamp: bool = Field(
        False,
        description="Bring scores outside 1..5, or not whole, into range (with a notice) instead of failing.",
    )


# --- the lexer: Mermaid's rules, in Mermaid's order -----------------------------------

# JavaScript's \s, which Mermaid's lexer uses (Python's differs at the edges).
_SPACE = "[ \\t\\n\\r\\f\\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
_INITIAL_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("skip", re.compile(r"%%(?!\{)[^\n]*")),
    ("skip", re.compile(r"[^}]%%[^\n]*")),
    ("newline", re.compile(r"\n+")),
    ("skip", re.compile(f"{_SPACE}+")),
    ("skip", re.compile(r"#[^\n]*")),
    ("journey", re.compile(r"journey\b", re.IGNORECASE)),
    ("title", re.compile(f"title{_SPACE}[^#\\n;]+", re.IGNORECASE)),
    ("acc_title", re.compile(f"accTitle{_SPACE}*:{_SPACE}*", re.IGNORECASE)),
    ("acc_descr", re.compile(f"accDescr{_SPACE}*:{_SPACE}*", re.IGNORECASE)),
    ("acc_descr_block", re.compile(f"accDescr{_SPACE}*\\{{{_SPACE}*", re.IGNORECASE)),
    ("section", re.compile(f"section{_SPACE}[^#:\\n;]+", re.IGNORECASE)),
    ("task_name", re.compile(r"[^#:\n;]+")),
    ("task_data", re.compile(r":[^#\n;]+")),
    ("colon", re.compile(r":")),
    ("invalid", re.compile(r".", re.DOTALL)),
)
_REST_OF_LINE = re.compile(r"[^\n]*")
_BLOCK_TEXT = re.compile(r"[^}]*")


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    offset: int


def _first_match(text: str, position: int) -> tuple[str, re.Match[str]]:
    """The first rule that matches at ``position``, as jison's lexer picks it (not the longest)."""
    for kind, pattern in _INITIAL_RULES:
        match = pattern.match(text, position)
        if match and match.end() > position:
            return kind, match
    raise AssertionError("no lexer rule matched")  # pragma: no cover - the last rule matches anything


def _tokens(text: str) -> list[_Token]:
    """Mermaid's journey tokens of ``text`` (skipped text left out)."""
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        kind, match = _first_match(text, position)
        end = match.end()
        if kind in ("acc_title", "acc_descr"):
            value = _REST_OF_LINE.match(text, end)
            assert value is not None
            tokens.append(_Token(kind, match.group(), position))
            tokens.append(_Token(kind + "_value", value.group(), end))
            end = value.end()
        elif kind == "acc_descr_block":
            value = _BLOCK_TEXT.match(text, end)
            assert value is not None
            tokens.append(_Token("acc_descr_block_value", value.group(), end))
            end = value.end()
            if end < len(text):  # the closing brace
                end += 1
            else:
                tokens.append(_Token("unclosed_block", "", position))
        elif kind != "skip":
            tokens.append(_Token(kind, match.group(), position))
        position = end
    return tokens


# --- diagrams in a source ----------------------------------------------------------------


@dataclass
class _Lines:
    """Offsets to 1-based (line, column) in the source file."""

    path: str
    text: str
    first_line: int  # the diagram's first line in the file, 0-based
    starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.starts = [0] + [index + 1 for index, char in enumerate(self.text) if char == "\n"]

    def at(self, offset: int) -> Location:
        from bisect import bisect_right

        line = bisect_right(self.starts, offset) - 1
        return Location(self.path, self.first_line + line + 1, offset - self.starts[line] + 1)


@dataclass
class _Task:
    name: str
    where: Location
    score: int | None
    actors: list[str]


@dataclass
class _Section:
    name: str | None  # None: the tasks before any section
    where: Location
    tasks: list[_Task] = field(default_factory=list)


@dataclass
class _Diagram:
    lines: _Lines
    title: str | None = None
    front_title: str | None = None
    acc_title: tuple[str, Location] | None = None
    acc_descr: str | None = None
    sections: list[_Section] = field(default_factory=list)
    errors: list[JourneyError] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[ \t]*\{?([A-Za-z0-9_-]*)")
# Azure DevOps wikis write a diagram as ``:::mermaid`` ... ``:::``.
_COLON_FENCE = re.compile(r"^ {0,3}:::[ \t]*mermaid[ \t]*$")
_COLON_FENCE_END = re.compile(r"^ {0,3}:::[ \t]*$")
_FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?-{3}[ \t]*(\n|\Z)", re.DOTALL)
_DIRECTIVE = re.compile(r"%%\{.*?\}%%|%%\{[^\n]*", re.DOTALL)
_JOURNEY_START = re.compile(r"\A(?:[ \t]*(?:%%[^\n]*|#[^\n]*)?\n)*[ \t]*journey\b", re.IGNORECASE)
_FIRST_WORD = re.compile(r"(?:[ \t]*(?:%%[^\n]*)?\n)*[ \t]*([A-Za-z][\w-]*)")


def _blank_out(match: re.Match[str]) -> str:
    """Blank out a directive or front matter, keeping every offset (and so every line and column) true."""
    return re.sub(r"[^\n]", " ", match.group())


def markdown_blocks(text: str) -> list[tuple[str, int]]:
    """Every fenced ``mermaid`` block of a Markdown text: (content, its first line, 0-based).

    Fences are ```` ```mermaid ````, ``~~~mermaid``, MyST's ```` ```{mermaid} ```` and the
    ``:::mermaid`` ... ``:::`` of Azure DevOps wikis.
    """
    blocks: list[tuple[str, int]] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        if _COLON_FENCE.match(lines[index]):
            end = index + 1
            while end < len(lines) and not _COLON_FENCE_END.match(lines[end]):
                end += 1
            blocks.append(("\n".join(lines[index + 1 : end]) + "\n", index + 1))
            index = end + 1
            continue
        opening = _FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        indent, fence, info = len(opening.group(1)), opening.group(2), opening.group(3).lower()
        start = index + 1
        end = start
        while end < len(lines):
            closing = re.match(r"^ {0,3}(`{3,}|~{3,})[ \t]*$", lines[end])
            if closing and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence):
                break
            end += 1
        if info == "mermaid":
            content = [
                line[indent:] if line[:indent].strip() == "" else line.lstrip() for line in lines[start:end]
            ]
            blocks.append(("\n".join(content) + "\n", start))
        index = end + 1
    return blocks


def _diagram_kind(text: str) -> str:
    cleaned = _DIRECTIVE.sub(_blank_out, _FRONT_MATTER.sub(_blank_out, text))
    match = _FIRST_WORD.match(cleaned)
    return match.group(1) if match else ""


def import_source(text: str, path: str, options: Options) -> list[ImportedMap]:
    """The journey maps in a ``.mmd`` file or a Markdown file's ``mermaid`` blocks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    stem = PurePath(path).stem
    if PurePath(path).suffix.lower() in (".md", ".markdown"):
        blocks = markdown_blocks(text)
        journeys = [(block, line) for block, line in blocks if _diagram_kind(block).lower() == "journey"]
        if not journeys:
            others = sorted({_diagram_kind(block) or "empty" for block, _ in blocks})
            found = f" (it has {len(blocks)} other Mermaid diagrams: {', '.join(others)})" if blocks else ""
            raise MapInvalid(
                path, [ImportSourceError(f"no Mermaid journey diagram in this file{found}", Location(path))]
            )
    else:
        journeys = [(text, 0)]
    maps: list[ImportedMap] = []
    errors: list[JourneyError] = []
    taken: set[str] = set()
    for number, (block, first_line) in enumerate(journeys, start=1):
        diagram = parse_diagram(block, path, first_line, clamp=options.clamp)
        if diagram.errors:
            errors.extend(diagram.errors)
            continue
        hint = stem if len(journeys) == 1 else f"{stem}-{number}"
        imported = _to_map(diagram, hint)
        ident = imported.data["id"]
        suffix = 2
        while imported.data["id"] in taken:
            imported.data["id"] = f"{ident}-{suffix}"
            suffix += 1
        taken.add(imported.data["id"])
        where = f"the Mermaid journey at line {first_line + 1}" if len(journeys) > 1 or first_line else ""
        imported.origin = f"{path}" + (f" ({where})" if where else "")
        maps.append(imported)
    if errors:
        raise MapInvalid(path, errors)
    return maps


def parse_diagram(text: str, path: str, first_line: int = 0, *, clamp: bool = False) -> _Diagram:
    """Read one journey diagram (``first_line``: where it starts in the file, 0-based)."""
    diagram = _Diagram(_Lines(path, text, first_line))
    front = _FRONT_MATTER.match(text)
    if front:
        diagram.front_title = _front_matter_title(front.group(1) or "", diagram, front.start(1))
    cleaned = _DIRECTIVE.sub(_blank_out, _FRONT_MATTER.sub(_blank_out, text))
    _read_statements(_tokens(_hide_entities(cleaned)), diagram, clamp=clamp)
    return diagram


def _front_matter_title(yaml_text: str, diagram: _Diagram, offset: int) -> str | None:
    import yaml

    try:
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = diagram.lines.at(offset)
        if mark is not None:
            where = Location(where.path, where.line + mark.line, mark.column + 1)
        diagram.errors.append(ImportSourceError(f"the front matter is not valid YAML: {exc}", where))
        return None
    if isinstance(data, dict) and isinstance(data.get("title"), str) and data["title"].strip():
        return str(data["title"]).strip()
    return None


# Mermaid's encodeEntities: ``#`` + word characters (JavaScript's \w, ASCII) + ``;``.
_ENTITY = re.compile(r"#([A-Za-z0-9_]+);")
# The same length as the code, so positions (and the locations of errors) stay where they were;
# characters of the Private Use Area, which no grammar rule treats specially.
_HIDDEN_START, _HIDDEN_END = "\ue000", "\ue001"
_HIDDEN = re.compile(f"{_HIDDEN_START}([A-Za-z0-9_]+){_HIDDEN_END}")


def _hide_entities(text: str) -> str:
    """``text`` with each entity code hidden from the grammar, as Mermaid does before it parses."""
    return _ENTITY.sub(lambda match: f"{_HIDDEN_START}{match.group(1)}{_HIDDEN_END}", text)


def _entity(match: re.Match[str]) -> str:
    code = match.group(1)
    # Mermaid writes "&#44;" or "&quot;" into the drawing, which the browser shows as "," or '"'.
    entity = f"&#{code};" if code.isdigit() else f"&{code};"
    shown = html.unescape(entity)
    return f"#{code};" if shown == entity else shown


def _decode(text: str) -> str:
    """Hidden entity codes back as the characters Mermaid draws for them."""
    return _HIDDEN.sub(_entity, text)


def _clean_name(text: str) -> str:
    """A name as written, on one line: Mermaid's ``<br>`` as a space, entity codes as their character.

    The zero-width space that older journeyctl exports put before a keyword is dropped.
    """
    text = _decode(text)
    text = re.sub(r"<\s*/?\s*br\s*/?\s*>", " ", text, flags=re.IGNORECASE)
    text = " ".join(text.split())
    # journeyctl's export puts a zero-width space before a name that starts with a keyword.
    return text[1:] if text.startswith(ZERO_WIDTH_SPACE) else text


def _read_statements(tokens: list[_Token], diagram: _Diagram, *, clamp: bool) -> None:
    lines = diagram.lines
    index = 0
    while index < len(tokens) and tokens[index].kind == "newline":
        index += 1
    if index >= len(tokens) or tokens[index].kind != "journey":
        where = lines.at(tokens[index].offset) if index < len(tokens) else lines.at(0)
        diagram.errors.append(ImportSourceError("a Mermaid journey diagram starts with 'journey'", where))
        return
    if tokens[index].text != "journey":
        # Mermaid's grammar takes any case, but its diagram detector only the lower-case word.
        diagram.notices.append(
            Notice(
                lines.at(tokens[index].offset),
                f"Mermaid recognises a journey diagram only by 'journey' in lower case and cannot draw "
                f"one that starts with '{tokens[index].text}'; imported anyway",
            )
        )
    index += 1
    current: _Section | None = None

    def section_for_task(where: Location) -> _Section:
        nonlocal current
        if current is None:
            current = _Section(None, where)
            diagram.sections.append(current)
        return current

    def error(token: _Token, message: str, offset: int = 0) -> None:
        diagram.errors.append(ImportSourceError(message, lines.at(token.offset + offset)))

    while index < len(tokens):
        token = tokens[index]
        kind = token.kind
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        index += 1
        if kind == "newline":
            continue
        if kind == "title":
            diagram.title = _clean_name(token.text[6:])
        elif kind in ("acc_title", "acc_descr"):
            value = tokens[index]
            index += 1
            if kind == "acc_title":
                diagram.acc_title = (_decode(value.text).strip(), lines.at(value.offset))
            else:
                diagram.acc_descr = _decode(value.text).strip()
        elif kind == "acc_descr_block_value":
            if following is not None and following.kind == "unclosed_block":
                error(following, "'accDescr {' is never closed with '}'")
                index += 1
            # Mermaid drops the indentation of each line of a block description.
            diagram.acc_descr = re.sub(r"\n[ \t]+", "\n", _decode(token.text).strip())
        elif kind == "section":
            name = token.text[8:]
            if following is not None and following.kind == "task_data":
                # ``section Step 1: Context``: Mermaid stops the name at ':' and then fails.
                name += following.text
                index += 1
                diagram.notices.append(
                    Notice(
                        lines.at(following.offset),
                        "Mermaid ends a section name at ':' and cannot draw this diagram; the section is "
                        f"imported as '{_clean_name(name)}'",
                    )
                )
            current = _Section(_clean_name(name), lines.at(token.offset + 8))
            diagram.sections.append(current)
        elif kind == "task_name":
            if following is None or following.kind != "task_data":
                error(
                    token,
                    f"'{_clean_name(token.text)}' is not a Mermaid statement: a task is written "
                    "'Task name: score: actors' (a section 'section Name')",
                )
                continue
            index += 1
            task = _task(token, following, diagram, clamp=clamp)
            if task is not None:
                section_for_task(task.where).tasks.append(task)
        elif kind in ("task_data", "colon"):
            error(token, "a ':' without a task name before it")
        elif kind == "journey":
            error(
                token, "'journey' may only start the diagram (a task named 'journey ...' stops Mermaid too)"
            )
        elif kind == "invalid":
            shown = token.text if token.text.isprintable() else repr(token.text)
            error(token, f"Mermaid's journey grammar has no '{shown}' here: Mermaid cannot draw this line")


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)\Z")


def _task(name_token: _Token, data_token: _Token, diagram: _Diagram, *, clamp: bool) -> _Task | None:
    """A task from its name and ``: score: actors`` data; None (with an error) if the score is unusable."""
    lines = diagram.lines
    name = _clean_name(name_token.text)
    where = lines.at(name_token.offset + len(name_token.text) - len(name_token.text.lstrip()))
    pieces = data_token.text[1:].split(":")
    score_text = pieces[0].strip()
    score_offset = data_token.offset + 1 + len(pieces[0]) - len(pieces[0].lstrip())
    score_where = lines.at(score_offset)
    actors: list[str] = []
    if len(pieces) > 1:
        offset = data_token.offset + 1 + len(pieces[0]) + 1
        for raw in pieces[1].split(","):
            actor = _clean_name(raw)
            if actor:
                actors.append(actor)
            elif pieces[1].strip():
                diagram.notices.append(Notice(lines.at(offset), "an empty actor name is left out"))
            offset += len(raw) + 1
    if len(pieces) > 2:
        extra_offset = data_token.offset + 1 + len(pieces[0]) + 1 + len(pieces[1])
        diagram.notices.append(
            Notice(
                lines.at(extra_offset),
                f"Mermaid ignores what follows a task's second ':' ('{':'.join(pieces[2:]).strip()}'); "
                "so does the import",
            )
        )
    usable, score = _score(score_text, score_where, diagram, clamp=clamp)
    return _Task(name, where, score, actors) if usable else None


def _score(text: str, where: Location, diagram: _Diagram, *, clamp: bool) -> tuple[bool, int | None]:
    """(usable, the 1..5 score or None for a blank one); an unusable score is reported as an error."""
    if not text:
        diagram.notices.append(
            Notice(where, "no score: the step records no emotion (Mermaid would draw it as 0)")
        )
        return True, None
    if not _NUMBER.match(text):
        diagram.errors.append(
            ImportSourceError(
                f"score '{text}' is not a number: a journey's scores are whole numbers from 1 to 5", where
            )
        )
        return False, None
    value = float(text)
    if value.is_integer() and SCORE_MIN <= value <= SCORE_MAX:
        return True, int(value)
    problem = "is not a whole number" if not value.is_integer() else f"is outside {SCORE_MIN}..{SCORE_MAX}"
    if not clamp:
        diagram.errors.append(
            ImportSourceError(
                f"score {text} {problem}; a journey's scores are whole numbers from 1 to 5 "
                "(--clamp brings such scores into range)",
                where,
            )
        )
        return False, None
    mapped = min(SCORE_MAX, max(SCORE_MIN, math.floor(value + 0.5)))
    diagram.notices.append(
        Notice(where, f"score {text} {problem}: clamped to {mapped} (emotion {mapped - NEUTRAL_SCORE:+d})")
    )
    return True, mapped


def _to_map(diagram: _Diagram, id_hint: str) -> ImportedMap:
    """The map of a diagram: sections as stages, tasks as steps, actors as personas."""
    title = diagram.title or diagram.front_title
    if not title and diagram.acc_title and diagram.acc_title[0]:
        title = diagram.acc_title[0]
    builder = MapBuilder(
        title=title or id_hint.replace("-", " ").replace("_", " ").capitalize(),
        id_hint=id_hint,
        summary=diagram.acc_descr,
    )
    builder.notices.extend(diagram.notices)
    if diagram.acc_title and diagram.acc_title[0] and diagram.acc_title[0] != builder.title:
        builder.notice(
            diagram.acc_title[1],
            f"accTitle '{diagram.acc_title[0]}' is not kept: the map's title becomes the accessible title "
            "of its diagrams",
        )
    actors = [name for section in diagram.sections for task in section.tasks for name in task.actors]
    everyone = ", ".join(dict.fromkeys(" ".join(name.split()) for name in actors))
    for section in diagram.sections:
        if section.name is None:
            builder.notice(section.where, "tasks before the first section go into a stage named 'Untitled'")
        for task in section.tasks:
            if everyone and not task.actors:
                # In Mermaid a task without actors names nobody; a step without personas is taken
                # by every persona of the map, and its export names them all.
                builder.notice(
                    task.where,
                    f"task '{task.name}' names no actor: imported as a step every persona takes ({everyone})",
                )
        stage = builder.stage(section.name or "Untitled")
        for task in section.tasks:
            builder.step(
                stage,
                task.name,
                where=task.where,
                personas=task.actors,
                emotion=None if task.score is None else task.score - NEUTRAL_SCORE,
            )
    if not diagram.sections:
        builder.notice(
            diagram.lines.at(0), "the diagram has no sections or tasks: the map has one empty stage"
        )
        builder.stage("Untitled")
    data = builder.data()
    return ImportedMap(data, origin="", notices=builder.notices)


def outline(diagram: _Diagram) -> dict[str, Any]:
    """What a diagram says in Mermaid's terms (title, sections, tasks with score and actors).

    The tests compare it with what Mermaid's own parser reports for the same text.
    """
    return {
        "title": diagram.title or "",
        "sections": [section.name for section in diagram.sections if section.name is not None],
        "tasks": [
            {"section": section.name or "", "task": task.name, "score": task.score, "people": task.actors}
            for section in diagram.sections
            for task in section.tasks
        ],
    }
