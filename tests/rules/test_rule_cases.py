"""Every rule's cases as data: run the rule over each map, compare the findings' (line, col) exactly.

``cases/<CODE>.yaml`` holds ``rule: <CODE>`` and a list of ``cases``, each with
a ``name``, the ``map`` as a YAML text block (line 1 is its first line),
optional rule ``options`` (as in ``.journeyctl.yaml``), optional ``shared``
files the map includes (path -> text, served from memory) and the ``expected``
findings: ``[line, col]``, or ``{at: [line, col], message: <text it contains>}``.
A passing case expects ``[]``.

A project rule's case has ``files`` (a directory of maps and shared files:
path -> text, written to a fresh repository) instead of ``map``, an optional
``run`` (the files linted, default all: the others are only in the
repository), and each expected finding names its ``file``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from journeyctl.model import dump
from journeyctl.rules import BUILTIN_RULES

from .rulecases import is_project_rule, load_map, rule_module, run_project_rule, run_rule

CASES_DIR = Path(__file__).parent / "cases"


def load_case_files() -> dict[str, dict[str, Any]]:
    files: dict[str, dict[str, Any]] = {}
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["rule"] == path.stem, f"{path.name} says rule {data['rule']}"
        files[path.stem] = data
    return files


CASE_FILES = load_case_files()
CASES = [
    pytest.param(code, case, id=f"{code}-{case['name']}")
    for code, data in CASE_FILES.items()
    for case in data["cases"]
]


def expected_of(case: dict[str, Any]) -> tuple[list[tuple[Any, ...]], list[str | None]]:
    positions: list[tuple[Any, ...]] = []
    messages: list[str | None] = []
    for entry in case["expected"]:
        if isinstance(entry, dict):
            where = (entry["at"][0], entry["at"][1])
            positions.append((entry["file"], *where) if "file" in entry else where)
            messages.append(entry.get("message"))
        else:
            positions.append((entry[0], entry[1]))
            messages.append(None)
    return positions, messages


def violations_of(code: str, case: dict[str, Any]) -> list[Any]:
    module = rule_module(code)
    if is_project_rule(module):
        return run_project_rule(module, case["files"], case.get("run"), case.get("options"))
    return run_rule(module, case["map"], case.get("options"), case.get("shared"))


def test_every_rule_has_failing_and_passing_cases() -> None:
    assert set(CASE_FILES) == set(BUILTIN_RULES)
    for code, data in CASE_FILES.items():
        names = [case["name"] for case in data["cases"]]
        assert len(names) == len(set(names)), f"{code}: duplicate case names"
        assert any(case["expected"] for case in data["cases"]), f"{code}: no failing case"
        assert any(not case["expected"] for case in data["cases"]), f"{code}: no passing case"


@pytest.mark.parametrize(("code", "case"), CASES)
def test_rule_case(code: str, case: dict[str, Any]) -> None:
    project = "files" in case
    violations = violations_of(code, case)
    positions, messages = expected_of(case)
    found = [
        (v.location.path, v.location.line, v.location.col) if project else (v.location.line, v.location.col)
        for v in violations
    ]
    assert found == positions, "\n".join(f"{v.location}: {v.message}" for v in violations)
    for violation, message in zip(violations, messages, strict=True):
        if not project:
            assert violation.location.path == f"{code}.yaml"
        assert violation.message and violation.hint, "every finding says what to do and how"
        if message is not None:
            assert message in violation.message


@pytest.mark.parametrize(("code", "case"), CASES)
def test_rule_is_pure(code: str, case: dict[str, Any]) -> None:
    """Same findings on a second run and the map left as it was: parallel and serial runs agree."""
    module = rule_module(code)
    if "files" in case:
        assert violations_of(code, case) == violations_of(code, case)
        return
    loaded = load_map(code, case["map"], case.get("shared"))
    before = dump(loaded.journey)
    options = module.Options.model_validate(case.get("options") or {})
    first = list(module.check(loaded, options))
    assert list(module.check(loaded, options)) == first
    assert dump(loaded.journey) == before
