"""Rule documentation: every rule documents itself, and docs/rules.md is generated from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeyctl.config import Overrides, build_lint_config
from journeyctl.lint.docs import DOCS_PATH, builtin_markdown, parse_doc, rule_markdown
from journeyctl.lint.engine import lint_candidate
from journeyctl.lint.registry import ENGINE_RULES, Registry, builtin_rules
from journeyctl.walk import Candidate

RULES = list(Registry(builtin_rules()))


def test_docs_rules_md_is_current() -> None:
    assert DOCS_PATH.exists(), "run: python -m journeyctl.lint.docs --write"
    assert DOCS_PATH.read_text(encoding="utf-8") == builtin_markdown(), (
        "docs/rules.md is out of date: run python -m journeyctl.lint.docs --write"
    )


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_every_rule_documents_itself_with_examples(rule: object) -> None:
    from journeyctl.lint.registry import RuleInfo

    assert isinstance(rule, RuleInfo)
    doc = parse_doc(rule.doc)
    assert doc.summary.endswith("."), f"{rule.code}: the summary line is a sentence"
    assert len(doc.body) > 80, f"{rule.code}: say why it matters for a journey"
    # A project rule's examples are several files, each starting with a `# path` comment.
    start = "# " if rule.scope == "project" else "journeyctl: 1"
    assert doc.failing and doc.failing.startswith(start), f"{rule.code}: no Failing yaml example"
    assert doc.passing and doc.passing.startswith(start), f"{rule.code}: no Passing yaml example"
    section = rule_markdown(rule)
    assert section.startswith(f"## {rule.code} {rule.name}\n")
    assert "Failing example:" in section and "Passing example:" in section


@pytest.mark.parametrize("code", sorted(ENGINE_RULES))
def test_engine_rule_examples_are_true(code: str, tmp_path: Path) -> None:
    """The engine's rules have no check() to run alone: their examples go through the engine."""
    rule = next(rule for rule in RULES if rule.code == code)
    doc = parse_doc(rule.doc)
    config = build_lint_config(None, Overrides(select=[code]))
    found = {}
    for label, text in (("failing", doc.failing), ("passing", doc.passing)):
        assert text is not None
        path = tmp_path / f"{label}.yaml"
        path.write_text(text, encoding="utf-8")
        found[label] = [f.code for f in lint_candidate(Candidate(str(path), True), config, None).findings]
    assert code in found["failing"]
    assert found["passing"] == []
