"""Lint output formats: text, concise, json, sarif, github and junit.

Every format is a function of a ``LintReport`` (sorted findings, files, rule
metadata) and nothing else: no timestamps and no absolute paths, so output is
deterministic and identical for serial and parallel runs. ``text`` is built as
rich ``Text`` lines so the CLI decides about colour; every other format is
plain text.

The JSON format (``"version": 1``) is stable: fields are only ever added::

    {"version": 1,
     "tool": {"name": "journeyctl", "version": "0.1.0"},
     "summary": {"files": 3, "files_with_findings": 1, "findings": 2,
                 "by_severity": {"error": 0, "warning": 2, "info": 0},
                 "fail_on": "warning", "failed": true},
     "findings": [{"path": "maps/a.yaml", "line": 6, "column": 5, "code": "JM101",
                   "name": "stage-without-touchpoints", "severity": "warning",
                   "message": "...", "hint": "..." or null}],
     "statistics": [{"code": "JM101", "name": "...", "severity": "warning", "count": 1}]}
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from journeyctl.config import fails
from journeyctl.display import one_line, replace_surrogates, show_path
from journeyctl.lint.findings import Finding

if TYPE_CHECKING:
    from journeyctl.lint.registry import RuleInfo

FORMATS = ("text", "concise", "json", "sarif", "github", "junit")
JSON_FORMAT_VERSION = 1
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/journeyctl/journeyctl"
RULES_DOC_URI = INFORMATION_URI + "/blob/main/docs/rules.md"
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
GITHUB_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


@dataclass
class LintReport:
    """The outcome of a lint run, ready to print in any format."""

    findings: list[Finding]
    #: Files linted (maps and shared files), in discovery order.
    files: list[str]
    fail_on: str = "warning"
    #: Metadata of the rules that ran (SARIF lists them), by code.
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    #: Configured severity of each rule that ran.
    severities: dict[str, str] = field(default_factory=dict)
    #: Decided by the run when files had configurations of their own (each judged by its fail-on).
    failed_by_file: bool | None = None

    @property
    def failed(self) -> bool:
        if self.failed_by_file is not None:
            return self.failed_by_file
        return any(fails(f.severity, self.fail_on) for f in self.findings)

    @property
    def files_with_findings(self) -> int:
        return len({f.location.path for f in self.findings})

    def by_severity(self) -> dict[str, int]:
        counts = Counter(f.severity for f in self.findings)
        return {severity: counts.get(severity, 0) for severity in ("error", "warning", "info")}

    def statistics(self) -> list[tuple[str, str, str, int]]:
        """(code, name, severity, count), most frequent first."""
        counts = Counter((f.code, f.name, f.severity) for f in self.findings)
        return sorted(((c, n, s, k) for (c, n, s), k in counts.items()), key=lambda row: (-row[3], row[0]))


def _plural(count: int, word: str) -> str:
    if count == 1:
        return f"1 {word}"
    return f"{count} {word}s" if not word.endswith("y") else f"{count} {word[:-1]}ies"


def summary_line(report: LintReport) -> str:
    files = len(report.files)
    if not report.findings:
        return f"No findings in {_plural(files, 'file')}."
    counts = report.by_severity()
    parts = [_plural(counts[s], s) if s != "info" else f"{counts[s]} info" for s in counts if counts[s]]
    return (
        f"Found {_plural(len(report.findings), 'finding')} ({', '.join(parts)}) "
        f"in {report.files_with_findings} of {_plural(files, 'file')}."
    )


# --- text and concise --------------------------------------------------------------------


#: A line of text output: (text, rich style) segments; styles apply only when colour is on.
StyledLine = list[tuple[str, str]]


def text_lines(report: LintReport, *, statistics: bool = False) -> list[StyledLine]:
    """Findings grouped by file, one line each with its hint below; then the summary.

    Plain segments rather than rich objects: rich is imported only when the
    output is coloured (it costs start-up time).
    """
    lines: list[StyledLine] = []
    current: str | None = None
    width = max((len(f"{f.location.line}:{f.location.col}") for f in report.findings), default=3)
    for finding in report.findings:
        location = finding.location
        if location.path != current:
            if current is not None:
                lines.append([])
            lines.append([(show_path(location.path), "bold underline")])
            current = location.path
        lines.append(
            [
                ("  ", ""),
                (f"{location.line}:{location.col}".ljust(width), "dim"),
                ("  ", ""),
                (finding.severity.ljust(7), SEVERITY_STYLES.get(finding.severity, "")),
                ("  ", ""),
                (finding.code, "bold"),
                ("  ", ""),
                (one_line(finding.message), ""),
                (f"  [{finding.name}]", "dim"),
            ]
        )
        if finding.hint:
            lines.append([(" " * (width + 4), ""), ("hint: ", "green"), (one_line(finding.hint), "")])
    if report.findings:
        lines.append([])
    if statistics:
        lines.extend(statistics_lines(report))
    lines.append([(summary_line(report), "bold red" if report.failed else "bold green")])
    return lines


def statistics_lines(report: LintReport) -> list[StyledLine]:
    rows = report.statistics()
    if not rows:
        return []
    width = max(len(str(row[3])) for row in rows)
    lines: list[StyledLine] = []
    for code, name, severity, count in rows:
        lines.append(
            [
                (str(count).rjust(width) + "  ", ""),
                (code.ljust(6), "bold"),
                (f" {severity.ljust(7)} ", SEVERITY_STYLES.get(severity, "")),
                (name, ""),
            ]
        )
    lines.append([])
    return lines


def plain(line: StyledLine) -> str:
    return "".join(text for text, _ in line)


def render_text(report: LintReport, *, statistics: bool = False) -> str:
    return "".join(plain(line) + "\n" for line in text_lines(report, statistics=statistics))


def render_concise(report: LintReport, *, statistics: bool = False) -> str:
    """``path:line:col: CODE message``, one finding a line (grep and editors read it)."""
    out = [f"{f.location}: {f.code} {one_line(f.message)}\n" for f in report.findings]
    if statistics:
        out += [
            f"{count}\t{code}\t{severity}\t{name}\n" for code, name, severity, count in report.statistics()
        ]
    return "".join(out)


# --- json --------------------------------------------------------------------------------


def render_json(report: LintReport, *, statistics: bool = False) -> str:
    from journeyctl import __version__

    document = {
        "version": JSON_FORMAT_VERSION,
        "tool": {"name": "journeyctl", "version": __version__},
        "summary": {
            "files": len(report.files),
            "files_with_findings": report.files_with_findings,
            "findings": len(report.findings),
            "by_severity": report.by_severity(),
            "fail_on": report.fail_on,
            "failed": report.failed,
        },
        "findings": [
            {
                "path": f.location.path,
                "line": f.location.line,
                "column": f.location.col,
                "code": f.code,
                "name": f.name,
                "severity": f.severity,
                "message": f.message,
                "hint": f.hint,
            }
            for f in report.findings
        ],
        "statistics": [
            {"code": code, "name": name, "severity": severity, "count": count}
            for code, name, severity, count in report.statistics()
        ],
    }
    return json_text(document)


def json_text(document: object) -> str:
    """Strict JSON: no NaN or Infinity, and valid UTF-8 (a name that is not UTF-8 gets U+FFFD)."""
    return replace_surrogates(json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)) + "\n"


# --- sarif -------------------------------------------------------------------------------


def artifact_location(path: str) -> dict[str, str]:
    """A SARIF artifactLocation: a relative URI against %SRCROOT% when the file is under it."""
    from pathlib import Path
    from urllib.parse import quote

    relative = os.path.relpath(path) if os.path.isabs(path) else os.path.normpath(path)
    if relative.startswith(".."):
        return {"uri": Path(os.path.abspath(path)).as_uri()}
    # Quoting the file system's bytes keeps a name that is not UTF-8 exact in the URI.
    return {"uri": quote(os.fsencode(relative.replace(os.sep, "/"))), "uriBaseId": "%SRCROOT%"}


def sarif_rule(rule: RuleInfo, severity: str) -> dict[str, Any]:
    from journeyctl.lint.docs import parse_doc, rule_markdown

    doc = parse_doc(rule.doc)
    markdown = rule_markdown(rule, heading="#")
    described: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": doc.summary or rule.name},
        "fullDescription": {"text": doc.why or doc.summary or rule.name},
        "help": {"text": rule.doc or rule.name, "markdown": markdown},
        "defaultConfiguration": {"level": SARIF_LEVELS.get(severity, "warning")},
        "properties": {"tags": ["journey-map"], "recommended": rule.recommended},
    }
    if rule.origin == "journeyctl":
        described["helpUri"] = f"{RULES_DOC_URI}#{rule.code.lower()}-{rule.name}"
    return described


def render_sarif(report: LintReport, *, statistics: bool = False) -> str:
    """SARIF 2.1.0: one run, the rules that ran with their documentation, a result per finding."""
    from journeyctl import __version__

    codes = sorted(set(report.rules) | {f.code for f in report.findings if f.code in report.rules})
    index = {code: position for position, code in enumerate(codes)}
    rules = [
        sarif_rule(report.rules[code], report.severities.get(code, report.rules[code].severity))
        for code in codes
    ]
    results = []
    for finding in report.findings:
        location = finding.location
        physical: dict[str, Any] = {"artifactLocation": artifact_location(location.path)}
        if location.line >= 1:
            physical["region"] = {"startLine": location.line, "startColumn": max(location.col, 1)}
        message = finding.message + (f"\nHint: {finding.hint}" if finding.hint else "")
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "level": SARIF_LEVELS.get(finding.severity, "warning"),
            "message": {"text": message},
            "locations": [{"physicalLocation": physical}],
        }
        if finding.code in index:
            result["ruleIndex"] = index[finding.code]
        results.append(result)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "journeyctl",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json_text(document)


# --- github ------------------------------------------------------------------------------


def escape_data(text: str) -> str:
    """Escape a workflow command's message, as GitHub's toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (``file=``, ``title=``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(finding: Finding) -> str:
    location = finding.location
    properties = [f"file={escape_property(replace_surrogates(location.path))}"]
    if location.line >= 1:
        properties.append(f"line={location.line}")
        if location.col >= 1:
            properties.append(f"col={location.col}")
    properties.append(f"title={escape_property(f'{finding.code} {finding.name}')}")
    # Line breaks are escaped (%0A) and shown as such in the annotation.
    message = finding.message + (f"\nhint: {finding.hint}" if finding.hint else "")
    command = GITHUB_COMMANDS.get(finding.severity, "warning")
    return f"::{command} {','.join(properties)}::{escape_data(message)}\n"


def render_github(report: LintReport, *, statistics: bool = False) -> str:
    """GitHub Actions workflow commands: an annotation per finding on the pull request."""
    return replace_surrogates("".join(github_line(f) for f in report.findings))


# --- junit -------------------------------------------------------------------------------


def render_junit(report: LintReport, *, statistics: bool = False) -> str:
    """JUnit XML: a testsuite per file, a failing testcase per finding, one passing case for a clean file."""
    import xml.etree.ElementTree as ET

    by_file: dict[str, list[Finding]] = {path: [] for path in report.files}
    for finding in report.findings:
        by_file.setdefault(finding.location.path, []).append(finding)
    root = ET.Element(
        "testsuites",
        {
            "name": "journeyctl lint",
            "tests": str(sum(max(1, len(found)) for found in by_file.values())),
            "failures": str(len(report.findings)),
            "errors": "0",
        },
    )
    for path in sorted(by_file):
        found = by_file[path]
        suite = ET.SubElement(
            root,
            "testsuite",
            {
                "name": path,
                "tests": str(max(1, len(found))),
                "failures": str(len(found)),
                "errors": "0",
                "skipped": "0",
            },
        )
        if not found:
            ET.SubElement(suite, "testcase", {"name": "journeyctl lint", "classname": path, "file": path})
            continue
        for finding in found:
            location = finding.location
            case = ET.SubElement(
                suite,
                "testcase",
                {
                    "name": f"{finding.code} {finding.name} at {location.line}:{location.col}",
                    "classname": path,
                    "file": path,
                    "line": str(location.line),
                },
            )
            failure = ET.SubElement(case, "failure", {"message": finding.message, "type": finding.severity})
            failure.text = f"{location}: {finding.code} [{finding.severity}] {finding.message}" + (
                f"\nhint: {finding.hint}" if finding.hint else ""
            )
    ET.indent(root)
    # ElementTree escapes markup but writes characters XML 1.0 forbids as they are.
    text = _XML_FORBIDDEN.sub("\ufffd", ET.tostring(root, encoding="unicode"))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"


#: Characters XML 1.0 does not allow anywhere in a document (C0 controls but tab, LF and CR;
#: lone surrogates; U+FFFE and U+FFFF).
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


RENDERERS: dict[str, Callable[..., str]] = {
    "text": render_text,
    "concise": render_concise,
    "json": render_json,
    "sarif": render_sarif,
    "github": render_github,
    "junit": render_junit,
}


def render(report: LintReport, format: str, *, statistics: bool = False) -> str:
    return RENDERERS[format](report, statistics=statistics)


def make_report(
    findings: Sequence[Finding],
    files: Sequence[str],
    config: Any,
    registry: Any,
    *,
    failed: bool | None = None,
) -> LintReport:
    """A report with the metadata of every rule that ran (for SARIF) from the registry.

    ``config`` is the run's configuration, or the list of them when files had
    their own: the rules that ran are then those of any, at the first one's
    severity; ``fail_on`` is the first's, and ``failed`` says whether any file
    failed under its own.
    """
    from journeyctl.lint.engine import sort_findings

    configs = list(config) if isinstance(config, (list, tuple)) else [config]
    rules: dict[str, RuleInfo] = {}
    severities: dict[str, str] = {}
    for each in configs:
        ran = [(rule.code, rule.severity) for rule in each.rules]
        for code, severity in [*ran, *each.engine_severity.items()]:
            if code not in rules:  # the first configuration's severity wins
                rules[code] = registry.get(code)
                severities[code] = severity
    return LintReport(
        sort_findings(findings), list(files), configs[0].fail_on, rules, severities, failed_by_file=failed
    )
