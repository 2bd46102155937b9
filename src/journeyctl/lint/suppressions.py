"""Suppression comments in a map: ``# journeyctl: disable=CODE`` and ``disable-file``.

* ``# journeyctl: disable=JM101,stale-map`` at the end of a line silences those
  rules' findings on that line; on a line of its own, on the next line.
* ``# journeyctl: disable-file=JM101`` anywhere silences them in the whole file.
* Text after the codes is free: ``# journeyctl: disable=JM101 -- no store yet``.
* Without ``=CODES`` (``# journeyctl: disable``) every rule is silenced there,
  as a bare ``# noqa`` does; prefer naming the rules.

Rules are named by code or name, case-insensitively. A suppression that
silenced nothing (for a rule that ran on the file), or that names an unknown
rule, is reported as JM001 ``unused-suppression``. Invalid-map errors (JM000)
cannot be suppressed.

The scan is a regular expression over the file's text, run only when the text
names ``journeyctl`` more than once (the first key is one); keywords are
lower-case. It does not parse YAML, so a ``#`` inside a quoted
string that reads like a suppression counts as one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from journeyctl.location import Location

_COMMENT = re.compile(
    r"#[ \t]*journeyctl:[ \t]*(disable-file|disable)\b"
    r"(?:[ \t]*=[ \t]*([A-Za-z0-9_-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_-]+)*))?"
)
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
    used: set[str] = field(default_factory=set)

    def covers(self, code: str, line: int) -> str | None:
        """The code under which this comment silences ``code`` on ``line``, if it does."""
        if not self.whole_file and line not in self.lines:
            return None
        if code in self.codes:
            return code
        if ALL in self.codes:
            return ALL
        return None


def scan(text: str, path: str, known_codes: Mapping[str, str]) -> list[Suppression]:
    """Every suppression comment in ``text`` (a file shown as ``path``)."""
    # Every map has "journeyctl" once (its first key); a comment needs a second.
    first = text.find("journeyctl")
    if first == -1 or text.find("journeyctl", first + 10) == -1:
        return []
    found: list[Suppression] = []
    line = 1
    position = 0
    for match in _COMMENT.finditer(text):
        start = match.start()
        if start > 0 and not text[start - 1].isspace():
            continue  # not a comment: YAML needs a space before '#'
        line += text.count("\n", position, start)
        position = start
        line_start = text.rfind("\n", 0, start) + 1
        col = start - line_start + 1
        own_line = not text[line_start:start].strip()
        whole_file = match.group(1).lower() == "disable-file"
        codes: list[str] = []
        unknown: list[str] = []
        names = match.group(2)
        if names is None or not names.strip():
            codes.append(ALL)
        else:
            for raw in names.split(","):
                name = raw.strip()
                if not name:
                    continue
                code = known_codes.get(name.lower())
                if code is None:
                    unknown.append(name)
                elif code not in codes:
                    codes.append(code)
        lines = frozenset() if whole_file else frozenset((line + 1,) if own_line else (line,))
        found.append(Suppression(Location(path, line, col), whole_file, lines, tuple(codes), tuple(unknown)))
    return found


def unused_messages(suppressions: Iterable[Suppression], ran: frozenset[str]) -> list[tuple[Location, str]]:
    """What JM001 reports: names of unknown rules, and codes that silenced nothing."""
    messages: list[tuple[Location, str]] = []
    for suppression in suppressions:
        kind = "disable-file" if suppression.whole_file else "disable"
        for name in suppression.unknown:
            messages.append((suppression.location, f"'{kind}' names unknown rule '{name}'"))
        for code in suppression.codes:
            if code in suppression.used:
                continue
            if code == ALL:
                messages.append((suppression.location, f"unused '{kind}' comment: it silenced no finding"))
            elif code in ran:
                messages.append(
                    (
                        suppression.location,
                        f"unused suppression of {code}: no {code} finding "
                        + ("in this file" if suppression.whole_file else "on the line it covers"),
                    )
                )
    return messages
