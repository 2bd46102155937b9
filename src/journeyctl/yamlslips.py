"""YAML syntax errors explained as the slip a map author made, with the fix.

libyaml reports where it gave up and in a parser's words ("did not find
expected key (while parsing a block mapping at line 7)"). The people who write
journey maps are service designers, not YAML experts, so ``explain`` looks at
the parser's problem *and the line of text* to name the slip behind it (an
unquoted ``%``, a ``: `` inside a value, a line indented one space too few, a
quote or bracket never closed, a colon without a space, a tab, a second
document) and returns a ``LoadError`` whose message says what was found and
what was expected, and whose hint gives the line as it should be written. The
parser's own words follow only when no slip is recognised. Each case is in the
catalogue of ``tests/loader/mistakes.yaml`` and in docs/format.md.
"""

from __future__ import annotations

import re
from typing import Any

from journeyctl.errors import LoadError
from journeyctl.location import Location

#: Characters YAML reserves at the start of a plain value.
_RESERVED_STARTS = "%@`"
#: ``key: value`` on one line, the key a plain word (dashes of list items allowed before it).
_KEY_VALUE = re.compile(
    r"^(?P<lead>\s*(?:-\s+)*)(?P<key>[^\s:#'\"{}\[\],][^:#]*?):(?:\s+(?P<value>.*?))?\s*$"
)
#: A key and its value with no space after the colon: ``name:Buy``.
_NO_SPACE_COLON = re.compile(r"^(?P<lead>\s*(?:-\s+)*)(?P<key>[A-Za-z][\w-]*):(?P<value>[^\s:/].*?)\s*$")


def explain(exc: Any, text: str, path: str) -> LoadError:
    """The error for libyaml's ``MarkedYAMLError`` ``exc`` raised on ``text``."""
    lines = text.splitlines()
    problem = exc.problem or ""
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    line_index = mark.line if mark is not None else 0
    column = mark.column if mark is not None else 0
    line = lines[line_index] if line_index < len(lines) else ""

    def at(index: int, col: int) -> Location:
        return Location(path, index + 1, col + 1)

    tab = _indent_tab(lines, line_index)
    if tab is not None and ("tab" in problem or "cannot start any token" in problem or "expected" in problem):
        index, col = tab
        return LoadError(
            "this line is indented with a tab; YAML indents with spaces only",
            at(index, col),
            hint="replace the tab with spaces (most editors can insert spaces when you press Tab)",
        )
    if "cannot start any token" in problem and line[column : column + 1] in tuple(_RESERVED_STARTS):
        character = line[column]
        return LoadError(
            f"found '{character}' at the start of a value; YAML reserves '{character}' there, "
            "so a value that starts with it must be in quotes",
            at(line_index, column),
            hint=_quote_hint(line, column),
        )
    if "mapping values are not allowed" in problem:
        return _colon_in_value(lines, line_index, column, at)
    if "could not find expected ':'" in problem:
        start = exc.context_mark.line if exc.context_mark is not None else line_index
        for index in range(start, min(line_index + 1, len(lines))):
            slip = _no_space_colon(lines, index, at)
            if slip is not None:
                return slip
        return LoadError(
            "found a line without ':' among keys; each line of a mapping is 'key: value'",
            at(start, _indent(lines[start]) if start < len(lines) else 0),
            hint="write 'key: value' (with a space after the colon), or start a list item with '- '",
        )
    if "scanning a quoted scalar" in context and exc.context_mark is not None:
        opening = exc.context_mark
        quote = lines[opening.line][opening.column] if opening.line < len(lines) else '"'
        return LoadError(
            f"found a {_quote_name(quote)} quote that is never closed; the rest of the file "
            "was read as part of this value",
            at(opening.line, opening.column),
            hint=f"end the value with {quote} on this line; to write {quote} inside a value, "
            f"put the whole value in {_quote_name(_other(quote))} quotes",
        )
    if "flow sequence" in context or "flow mapping" in context:
        opening_char, closing = ("[", "]") if "sequence" in context else ("{", "}")
        where = exc.context_mark or mark
        kind = "list" if closing == "]" else "mapping"
        return LoadError(
            f"found a {kind} opened with '{opening_char}' that is not closed with '{closing}' "
            "on its line, or an item in it that needs quotes",
            at(where.line, where.column),
            hint=f"end the {kind} with '{closing}'; put an item that contains ',', ':', '#', "
            "'[', ']', '{' or '}' in quotes",
        )
    if "another document" in problem:
        return LoadError(
            "found '---', the start of a second document; a journey map file holds one document",
            at(line_index, column),
            hint="remove this '---' line ('---' may only be the file's first line), "
            "or move what follows into a file of its own",
        )
    if "block sequence entries are not allowed" in problem:
        key, _, item = line.strip().partition(":")
        item = item.strip().removeprefix("-").strip() or "first, second"
        return LoadError(
            "found a list item ('- ') on the same line as its key; a list starts on the next line",
            at(line_index, column),
            hint=f"put each '- ' item on a line of its own, indented under '{key}:', "
            f"or write the list in brackets: {key}: [{item}]",
        )
    if "scanning an alias" in context or "scanning an anchor" in context:
        character = "*" if "alias" in context else "&"
        where = exc.context_mark or mark
        return LoadError(
            f"found '{character}' at the start of a value; YAML reads it as "
            f"{'an alias' if character == '*' else 'an anchor'}, so text that starts with it "
            "must be in quotes",
            at(where.line, where.column),
            hint=_quote_hint(lines[where.line] if where.line < len(lines) else "", where.column),
        )
    if "undefined alias" in problem:
        name = re.match(r"\*([^\s,\[\]{}]*)", line[column:])
        alias = name.group(1) if name else ""
        return LoadError(
            f"found '*{alias}', which refers to an anchor '&{alias}' that is not defined above it",
            at(line_index, column),
            hint=f"define '&{alias}' before this line, or put the value in quotes if '*' is meant as text",
        )
    if "did not find expected key" in problem or "did not find expected '-' indicator" in problem:
        slip = _text_after_quote(line, column, at(line_index, column)) or _stray_closer(
            line, column, at(line_index, column)
        )
        if slip is not None:
            return slip
        return _indentation(lines, line_index, problem, at)
    detail = problem or context or "invalid YAML"
    return LoadError(
        f"YAML cannot read the file here (the YAML parser says: {detail})",
        at(line_index, column),
        hint="look at this line and the one before it for an unquoted ':' or '#', "
        "an indentation that differs from its neighbours, or an unclosed quote or bracket",
    )


def _spaces(count: int) -> str:
    return "1 space" if count == 1 else f"{count} spaces"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _indent_tab(lines: list[str], index: int) -> tuple[int, int] | None:
    """(line, column) of a tab in the indentation of line ``index`` or the one before."""
    for candidate in (index, index - 1):
        if 0 <= candidate < len(lines):
            line = lines[candidate]
            lead = line[: len(line) - len(line.lstrip(" \t"))]
            if "\t" in lead:
                return candidate, lead.index("\t")
    return None


def _quote_name(quote: str) -> str:
    return "double" if quote == '"' else "single"


def _other(quote: str) -> str:
    return "'" if quote == '"' else '"'


def _quoted(value: str) -> str:
    """``value`` as a YAML quoted scalar, in the quotes that need no escapes."""
    if '"' in value and "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quote_hint(line: str, column: int) -> str:
    match = _KEY_VALUE.match(line)
    value = line[column:].strip()
    if match and match.group("value"):
        value = match.group("value")
        return f"put the value in quotes: {match.group('key')}: {_quoted(value)}"
    return f"put the value in quotes: {_quoted(value)}"


def _colon_in_value(lines: list[str], index: int, column: int, at: Any) -> LoadError:
    """``mapping values are not allowed``: a ': ' inside a value, or a key read as a value's text."""
    line = lines[index] if index < len(lines) else ""
    match = _KEY_VALUE.match(line)
    before = line[:column]
    lead = re.match(r"\s*(?:-\s+)*", before)
    key_part = before[lead.end() if lead else 0 :]
    if ": " in key_part or key_part.endswith(":"):
        key, _, value = line.strip().removeprefix("- ").partition(": ")
        return LoadError(
            f"found ': ' inside the value of '{key.strip()}'; YAML reads ': ' as the start of "
            "another key, so text that contains it must be in quotes",
            at(index, column),
            hint=f"put the whole value in quotes: {key.strip()}: {_quoted(value.strip())}",
        )
    previous = _previous_line(lines, index)
    if previous is not None:
        slip = _dash_without_space(lines, previous, at) or _no_space_colon(lines, previous, at)
        if slip is not None:
            return slip
        key = match.group("key").strip() if match else line.strip()
        expected = _key_indent(lines[previous])
        return LoadError(
            f"found '{key}' indented more than the line above it, so YAML reads it as more "
            "of that line's value",
            at(index, _indent(line)),
            hint=f"indent '{key}' by {_spaces(expected)}, as the keys above it, or by as many as "
            "the key it belongs with",
        )
    return LoadError(
        "found ': ' where a value was expected; text that contains ': ' must be in quotes",
        at(index, column),
        hint=f"put the whole value in quotes: {_quoted(line.strip())}",
    )


def _dash_without_space(lines: list[str], index: int, at: Any) -> LoadError | None:
    """``-id: x``: a list item's dash with no space after it, read as part of a key."""
    line = lines[index] if 0 <= index < len(lines) else ""
    match = re.match(r"^(\s*)-(?=[^\s-])(\S.*)$", line)
    if match is None:
        return None
    return LoadError(
        f"found '-{match.group(2).split(':')[0]}' with no space after the dash, so YAML reads "
        "the dash as part of the key, not as the start of a list item",
        at(index, len(match.group(1))),
        hint=f"write a space after the dash: {match.group(1).strip()}- {match.group(2)}",
    )


def _no_space_colon(lines: list[str], index: int, at: Any) -> LoadError | None:
    match = _NO_SPACE_COLON.match(lines[index]) if 0 <= index < len(lines) else None
    if match is None:
        return None
    key, value = match.group("key"), match.group("value")
    return LoadError(
        f"found '{key}:{value}' with no space after the colon, so YAML reads it as text, "
        "not as a key and its value",
        at(index, match.end("key")),
        hint=f"write a space after the colon: {key}: {value}",
    )


def _previous_line(lines: list[str], index: int) -> int | None:
    """Index of the nearest line above ``index`` that holds something other than a comment."""
    for candidate in range(index - 1, -1, -1):
        stripped = lines[candidate].strip()
        if stripped and not stripped.startswith("#"):
            return candidate
    return None


def _key_indent(line: str) -> int:
    """Where the key of ``line`` starts: past its indentation and any ``- ``."""
    lead = re.match(r"\s*(?:-\s+)*", line)
    return lead.end() if lead else 0


def _text_after_quote(line: str, column: int, where: Location) -> LoadError | None:
    """``name: "10% off" pop-up``: text after the closing quote of a value."""
    match = _KEY_VALUE.match(line)
    if match is None or not match.group("value"):
        return None
    value = match.group("value")
    quote = value[0]
    if quote not in "\"'" or not line[:column].rstrip().endswith(quote) or not line[column:].strip():
        return None
    key = match.group("key").strip()
    if len(value) > 2 and value.endswith(quote):
        # 'I'll never get through': the quotes were meant around the text, and one inside it
        # ended the value early.
        mark = "an apostrophe" if quote == "'" else "a double quote"
        return LoadError(
            f"found {mark} inside the value of '{key}', which is in {_quote_name(quote)} quotes: "
            "it ends the value early",
            where,
            hint=f"put the value in {_quote_name(_other(quote))} quotes instead: "
            f"{key}: {_other(quote)}{value[1:-1]}{_other(quote)}",
        )
    return LoadError(
        f"found text after the closing quote of the value of '{key}'; a value that starts "
        "with a quote must end with it",
        where,
        hint=f"put the whole value in {_quote_name(_other(quote))} quotes: {key}: {_quoted(value)}",
    )


def _stray_closer(line: str, column: int, where: Location) -> LoadError | None:
    character = line[column : column + 1]
    if character not in ("]", "}"):
        return None
    opening = "[" if character == "]" else "{"
    return LoadError(
        f"found '{character}' with no '{opening}' open before it",
        where,
        hint=f"remove this '{character}', or put the value in quotes if it is text",
    )


def _indentation(lines: list[str], index: int, problem: str, at: Any) -> LoadError:
    """A line whose indentation matches neither the keys above it nor the list it is in."""
    line = lines[index] if index < len(lines) else ""
    previous = _previous_line(lines, index)
    slip = _dash_without_space(lines, index, at) or (
        _dash_without_space(lines, previous, at) if previous is not None else None
    )
    if slip is not None:
        return slip
    key = line.strip().removeprefix("- ").split(":", 1)[0].strip() or line.strip()
    if previous is not None and _indent(line) != _key_indent(lines[previous]):
        here, above = _indent(line), _key_indent(lines[previous])
        return LoadError(
            f"found '{key}' indented {_spaces(here)}, but the line above it {_spaces(above)}; "
            "YAML cannot "
            "tell which mapping it belongs to",
            at(index, here),
            hint=f"indent '{key}' by {_spaces(above)} to keep it with the keys above it, "
            "or by as many as the key it belongs under",
        )
    if "'-' indicator" in problem:
        return LoadError(
            "found a line that is not a list item among the items of a list",
            at(index, _indent(line)),
            hint="start the line with '- ' if it is another item, or indent it less if it is "
            "a key of the mapping above the list",
        )
    return LoadError(
        f"found '{key}' where YAML expected the next key of the mapping above it",
        at(index, _indent(line)),
        hint="check that this line is indented like the keys it belongs with, and that the "
        "line above it has no unclosed quote",
    )
