"""Between journeyctl's values and the protocol's: positions, ranges, findings as diagnostics.

libyaml counts columns in code points; LSP clients count UTF-16 code units by
default (an emoji is two). Lines are converted only where they hold text
beyond ASCII, the rare case.
"""

from __future__ import annotations

import re

from lsprotocol import types

from journeyctl.lint.findings import Finding
from journeyctl.server.index import Span
from journeyctl.yamlsource import Position, SourceMap

_WORD_END = re.compile(r"[^\s,\]\}#]*")

#: Where every rule is documented; a diagnostic's code links to its section.
RULES_DOC_URI = "https://github.com/journeyctl/journeyctl/blob/main/docs/rules.md"

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


class Lines:
    """A text's lines, for converting columns between code points and UTF-16 units."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def line(self, number: int) -> str:
        return self.lines[number] if 0 <= number < len(self.lines) else ""

    def to_lsp(self, position: Position) -> types.Position:
        line, col = position
        text = self.line(line)
        if text.isascii():
            return types.Position(line, col)
        return types.Position(line, len(text[:col].encode("utf-16-le")) // 2)

    def from_lsp(self, position: types.Position) -> Position:
        text = self.line(position.line)
        if text.isascii():
            return position.line, position.character
        units = 0
        for index, character in enumerate(text):
            if units >= position.character:
                return position.line, index
            units += 2 if ord(character) > 0xFFFF else 1
        return position.line, len(text)

    def range(self, span: Span) -> types.Range:
        return types.Range(self.to_lsp(span[0]), self.to_lsp(span[1]))


def finding_range(finding: Finding, source: SourceMap | None, lines: Lines) -> types.Range:
    """The key or value a finding is about, or the word at its position when none starts there."""
    line, col = finding.location.line, finding.location.col
    if line <= 0:
        return types.Range(types.Position(0, 0), types.Position(0, 0))
    span = source.span_at(line, col) if source is not None else None
    if span is not None and span[1] > span[0]:
        return lines.range(span)
    start = (line - 1, max(col - 1, 0))
    text = lines.line(start[0])
    match = _WORD_END.match(text, start[1])
    end = match.end() if match and match.end() > start[1] else len(text)
    if end <= start[1]:
        end = start[1] + 1 if start[1] < len(text) else start[1]
    return lines.range((start, (start[0], end)))


def rule_link(code: str, name: str) -> str:
    return f"{RULES_DOC_URI}#{code.lower()}-{name}"


def diagnostic(finding: Finding, source: SourceMap | None, lines: Lines) -> types.Diagnostic:
    message = finding.message
    if finding.hint:
        message += f"\nhint: {finding.hint}"
    return types.Diagnostic(
        range=finding_range(finding, source, lines),
        message=message,
        severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.code,
        code_description=types.CodeDescription(href=rule_link(finding.code, finding.name)),
        source="journeyctl",
        data={"name": finding.name, "line": finding.location.line},
    )
