"""Suppression comments in a map: ``# journeyctl: disable=CODE`` and ``disable-file``.

* ``# journeyctl: disable=JM101,stale-map`` at the end of a line silences those
  rules' findings on that line; on a line of its own, on the next line.
* ``# journeyctl: disable-file=JM101`` anywhere silences them in the whole file.
* Text after the codes is free: ``# journeyctl: disable=JM101 -- no store yet``.
* Without ``=CODES`` (``# journeyctl: disable``) every rule is silenced there,
  as a bare ``# noqa`` does; prefer naming the rules.

Rules are named by code, code prefix (``JM1``: every JM1xx rule), name or
``ALL``, case-insensitively; the directive itself is case-insensitive too
(``# JOURNEYCTL: DISABLE=JM101`` works, as ``# NOQA`` does for flake8). A
suppression that silenced nothing (for a rule that ran on the file), that
names an unknown rule, or that forgot the ``=`` (``disable JM101``, which
would silence every rule) is reported as JM001 ``unused-suppression``.
Invalid-map errors (JM000) cannot be suppressed.

The scan is a regular expression over the file's text, run only when the text
names ``journeyctl`` more than once (the first key is one). It does not parse
YAML, so a ``#`` inside a quoted string that reads like a suppression counts
as one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from journeyctl.location import Location

_COMMENT = re.compile(
    r"#[ \t]*journeyctl:[ \t]*(disable-file|disable)\b"
    r"(?:[ \t]*=[ \t]*([A-Za-z0-9_-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_-]+)*))?",
    re.IGNORECASE,
)
_WORD = re.compile("journeyctl", re.IGNORECASE)
#: The first word after a bare ``disable``: a rule there means the ``=`` was forgotten.
_AFTER_BARE = re.compile(r"[ \t]+([A-Za-z0-9_-]+)")
_PREFIX = re.compile(r"[A-Za-z]+[0-9]*")
ALL = "*"


@dataclass
class Suppression:
    """One comment: which lines it covers, which rules, and which of them it silenced."""

    location: Location
    whole_file: bool
    #: Lines it covers (empty for a whole-file suppression).
    lines: frozenset[int]
    #: Rule codes it names; ``ALL`` for a bare ``disable``.
    codes: tuple[str, ...]
    #: Names as written that match no known rule.
    unknown: tuple[str, ...] = ()
    #: Code prefixes as written (upper-case), each with the codes it stands for.
    prefixes: tuple[tuple[str, frozenset[str]], ...] = ()
    #: The rule after a bare ``disable`` written without ``=`` (``disable JM101``), if any.
    missing_equals: str | None = None
    #: Codes, prefixes and ``ALL`` under which this comment silenced a finding.
    used: set[str] = field(default_factory=set)


def scan(text: str, path: str, known_codes: Mapping[str, str]) -> list[Suppression]:
    """Every suppression comment in ``text`` (a file shown as ``path``), in one pass over it."""
    # YAML breaks lines at CR and CRLF as well as LF; so must the line numbers here.
    # Each break stays one character at the same place, so columns do not move.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Every map has "journeyctl" once (its first key); a comment needs a second.
    words = _WORD.finditer(text)
    if next(words, None) is None or next(words, None) is None:
        return []
    found: list[Suppression] = []
    prefix_codes: dict[str, frozenset[str]] = {}
    # Line number, start and first non-blank character of the line of the last match, kept
    # up to date as matches move forward: each character is looked at a bounded number of
    # times, even for thousands of comments on one line.
    line = 1
    position = 0
    line_start = 0
    first_text = _first_text(text, 0)
    for match in _COMMENT.finditer(text):
        start = match.start()
        if start > 0 and not text[start - 1].isspace():
            continue  # not a comment: YAML needs a space before '#'
        newline = text.rfind("\n", position, start)
        if newline != -1:
            line += text.count("\n", position, start)
            line_start = newline + 1
            first_text = _first_text(text, line_start)
        position = start
        col = start - line_start + 1
        own_line = first_text == start
        whole_file = match.group(1).lower() == "disable-file"
        codes: list[str] = []
        unknown: list[str] = []
        prefixes: list[tuple[str, frozenset[str]]] = []
        missing_equals = None
        names = match.group(2)
        if names is None or not names.strip():
            codes.append(ALL)
            after = _AFTER_BARE.match(text, match.end())
            if after and _resolve(after.group(1), known_codes, prefix_codes):
                missing_equals = after.group(1)
        else:
            for raw in names.split(","):
                name = raw.strip()
                if not name:
                    continue
                code = ALL if name.upper() == "ALL" else known_codes.get(name.lower())
                if code is not None:
                    if code not in codes:
                        codes.append(code)
                    continue
                matched = _resolve(name, known_codes, prefix_codes)
                if matched:
                    prefixes.append((name.upper(), matched))
                else:
                    unknown.append(name)
        lines = frozenset() if whole_file else frozenset((line + 1,) if own_line else (line,))
        found.append(
            Suppression(
                Location(path, line, col),
                whole_file,
                lines,
                tuple(codes),
                tuple(unknown),
                tuple(prefixes),
                missing_equals,
            )
        )
    return found


def _resolve(name: str, known_codes: Mapping[str, str], cache: dict[str, frozenset[str]]) -> frozenset[str]:
    """The codes that ``name`` stands for: its own code, or every code it is a prefix of."""
    code = known_codes.get(name.lower())
    if code is not None:
        return frozenset((code,))
    if not _PREFIX.fullmatch(name):
        return frozenset()
    prefix = name.upper()
    if prefix not in cache:
        cache[prefix] = frozenset(code for code in known_codes.values() if code.startswith(prefix))
    return cache[prefix]


_TEXT = re.compile(r"\S")


def _first_text(text: str, line_start: int) -> int:
    """Where the first character that is not white space is, from ``line_start`` on."""
    match = _TEXT.search(text, line_start)
    return match.start() if match else len(text)


class SuppressionIndex:
    """A file's suppressions grouped by (line, code), so that silencing a finding costs the same
    however many comments there are: each group is marked used once, on its first finding.
    """

    def __init__(self, suppressions: Iterable[Suppression]) -> None:
        self.suppressions = list(suppressions)
        #: (line, or None for the whole file; code, or ALL) -> the suppressions it silences
        #: with, each with what it named (the code, its prefix, or ALL): what ``used`` records.
        self._groups: dict[tuple[int | None, str], list[tuple[Suppression, str]]] = {}
        self._marked: set[tuple[int | None, str]] = set()
        for suppression in self.suppressions:
            lines: Iterable[int | None] = (None,) if suppression.whole_file else suppression.lines
            named = [(code, code) for code in suppression.codes]
            named += [(code, prefix) for prefix, codes in suppression.prefixes for code in sorted(codes)]
            for line in lines:
                for code, label in named:
                    self._groups.setdefault((line, code), []).append((suppression, label))

    def silence(self, code: str, line: int, *, by_name_only: bool = False) -> bool:
        """Whether a finding of ``code`` on ``line`` is silenced; the comments that do it are marked used.

        ``by_name_only``: only comments that name the code count (a bare ``disable`` must not
        silence the report that it is unused).
        """
        hit = False
        for key in ((line, code), (None, code), (line, ALL), (None, ALL)):
            if by_name_only and key[1] == ALL:
                continue
            group = self._groups.get(key)
            if group is None:
                continue
            hit = True
            if key not in self._marked:
                self._marked.add(key)
                for suppression, label in group:
                    suppression.used.add(label)
        return hit


def unused_messages(suppressions: Iterable[Suppression], ran: frozenset[str]) -> list[tuple[Location, str]]:
    """What JM001 reports: names of unknown rules, and codes that silenced nothing."""
    messages: list[tuple[Location, str]] = []
    for suppression in suppressions:
        kind = "disable-file" if suppression.whole_file else "disable"
        for name in suppression.unknown:
            messages.append((suppression.location, f"'{kind}' names unknown rule '{name}'"))
        if suppression.missing_equals is not None:
            name = suppression.missing_equals
            messages.append(
                (
                    suppression.location,
                    f"'{kind} {name}' silences every rule: write '{kind}={name}' to silence only {name}",
                )
            )
        for prefix, codes in suppression.prefixes:
            if prefix not in suppression.used and codes & ran:
                messages.append(
                    (
                        suppression.location,
                        f"unused suppression of {prefix}: no {prefix} finding "
                        + ("in this file" if suppression.whole_file else "on the line it covers"),
                    )
                )
        for code in suppression.codes:
            if code in suppression.used:
                continue
            if code == ALL:
                messages.append((suppression.location, f"unused '{kind}' comment: it silenced no finding"))
            elif code in ran:
                messages.append((suppression.location, _unused_code(suppression, code)))
    return messages


def unused_code_messages(
    suppressions: Iterable[Suppression], codes: frozenset[str]
) -> list[tuple[Location, str]]:
    """JM001's reports of the ``codes`` a comment names by their own code and that silenced nothing.

    For project rules, which run once the files are done: their codes are left out of each file's
    own JM001 check (their findings are not known yet) and judged here. A prefix or a bare
    ``disable`` is the file's own check's to judge.
    """
    return [
        (suppression.location, _unused_code(suppression, code))
        for suppression in suppressions
        for code in suppression.codes
        if code in codes and code not in suppression.used
    ]


def _unused_code(suppression: Suppression, code: str) -> str:
    where = "in this file" if suppression.whole_file else "on the line it covers"
    return f"unused suppression of {code}: no {code} finding {where}"
