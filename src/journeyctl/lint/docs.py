"""Rule documentation from the rules' docstrings: ``docs/rules.md`` and ``journeyctl rules CODE``.

``python -m journeyctl.lint.docs --write`` regenerates ``docs/rules.md``;
``--check`` exits 1 when the checked-in file has drifted from the docstrings.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from journeyctl.lint.registry import ALWAYS_ON, RuleInfo

EXAMPLE = re.compile(
    r"^(Failing|Passing)(?: example)?:\s*\n\s*\n```ya?ml\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL
)
DOCS_PATH = Path(__file__).resolve().parents[3] / "docs" / "rules.md"


@dataclass(frozen=True)
class RuleDoc:
    """A rule's docstring in parts: summary line, body (why, options) and examples."""

    summary: str
    body: str
    failing: str | None
    passing: str | None

    @property
    def why(self) -> str:
        """The first paragraph of the body: what SARIF shows as the full description."""
        paragraph = self.body.split("\n\n", 1)[0].strip()
        return re.sub(r"^Why it matters:\s*", "", " ".join(paragraph.split()))


def parse_doc(doc: str) -> RuleDoc:
    text = doc.strip()
    summary, _, rest = text.partition("\n")
    examples = {heading: body for heading, body in EXAMPLE.findall(rest)}
    first = EXAMPLE.search(rest)
    body = rest[: first.start()] if first else rest
    return RuleDoc(summary.strip(), body.strip(), examples.get("Failing"), examples.get("Passing"))


def rule_markdown(rule: RuleInfo, heading: str = "##") -> str:
    """One rule's section of the documentation."""
    doc = parse_doc(rule.doc)
    recommended = "yes" if rule.recommended else "no (strict preset)"
    if rule.code in ALWAYS_ON:
        recommended = "always on"
    lines = [
        f"{heading} {rule.code} {rule.name}",
        "",
        f"**{doc.summary}**",
        "",
        f"Default severity: `{rule.severity}` · recommended: {recommended}"
        + (" · project rule: sees every map of a run" if rule.scope == "project" else "")
        + ("" if rule.origin == "journeyctl" else f" · from {rule.origin}"),
        "",
    ]
    if doc.body:
        lines += [doc.body, ""]
    for label, example in (("Failing example", doc.failing), ("Passing example", doc.passing)):
        if example is not None:
            lines += [f"{label}:", "", "```yaml", example.rstrip("\n"), "```", ""]
    return "\n".join(lines)


def rules_markdown(rules: Iterable[RuleInfo]) -> str:
    """The whole of ``docs/rules.md``."""
    rules = list(rules)
    lines = [
        "# Lint rules",
        "",
        "<!-- Generated from the rules' docstrings by `python -m journeyctl.lint.docs --write`;",
        "     do not edit by hand (tests/lint/test_docs.py fails when this file drifts). -->",
        "",
        "`journeyctl lint` runs the rules of the `recommended` preset unless configured otherwise",
        "(see [lint.md](lint.md)); the `strict` preset runs them all. Select, ignore and",
        "suppress rules by code or by name.",
        "",
        "| Code | Name | Severity | Recommended | Summary |",
        "| --- | --- | --- | --- | --- |",
    ]
    for rule in rules:
        recommended = "always" if rule.code in ALWAYS_ON else ("yes" if rule.recommended else "no")
        summary = parse_doc(rule.doc).summary.replace("|", "\\|")
        anchor = f"{rule.code}-{rule.name}".lower()
        lines.append(
            f"| [{rule.code}](#{anchor}) | `{rule.name}` | {rule.severity} | {recommended} | {summary} |"
        )
    lines.append("")
    for rule in rules:
        lines.append(rule_markdown(rule))
    return "\n".join(lines).rstrip("\n") + "\n"


def builtin_markdown() -> str:
    """``docs/rules.md`` for journeyctl's own rules (plugins installed here are left out)."""
    from journeyctl.lint.registry import Registry, builtin_rules

    return rules_markdown(Registry(builtin_rules()))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = builtin_markdown()
    if args == ["--write"]:
        from journeyctl.errors import OutputError
        from journeyctl.output import write_output

        try:
            write_output(DOCS_PATH, text.encode("utf-8"))
        except OutputError as exc:
            sys.stderr.write(f"{exc}\n")
            return 2
        sys.stdout.write(f"wrote {DOCS_PATH}\n")
        return 0
    if args == ["--check"]:
        current = DOCS_PATH.read_text(encoding="utf-8") if DOCS_PATH.exists() else ""
        if current != text:
            sys.stderr.write(f"{DOCS_PATH} is out of date: run python -m journeyctl.lint.docs --write\n")
            return 1
        return 0
    if not args:
        sys.stdout.write(text)
        return 0
    sys.stderr.write("usage: python -m journeyctl.lint.docs [--write | --check]\n")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
