"""Output formats: SARIF against the official schema, GitHub escaping, JUnit, JSON, goldens."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from journeyctl.config import LintConfig, Overrides, build_lint_config
from journeyctl.lint.api import Finding
from journeyctl.lint.engine import lint_paths
from journeyctl.lint.formats import (
    FORMATS,
    LintReport,
    escape_data,
    escape_property,
    github_line,
    make_report,
    render,
    summary_line,
)
from journeyctl.lint.registry import get_registry
from journeyctl.location import Location

from .helpers import HERE, two_gaps_text

REPO = HERE.parents[1]
GOLDENS = HERE / "goldens"


def sarif_schema() -> dict[str, object]:
    """The official SARIF 2.1.0 schema: the copy in tests/data, else ../shared/data beside the repo."""
    for candidate in (REPO / "tests" / "data", REPO / ".." / "shared" / "data"):
        path = candidate / "sarif-schema-2.1.0.json"
        if path.is_file():
            loaded: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
            return loaded
    pytest.fail("sarif-schema-2.1.0.json is missing from tests/data and ../shared/data")


@pytest.fixture
def sample_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LintReport:
    """A small tree: the acceptance map, a map with findings and comments, an invalid one, a clean one."""
    monkeypatch.chdir(tmp_path)
    maps = Path("maps")
    (maps / "team, a").mkdir(parents=True)
    (maps / "two-gaps.yaml").write_text(two_gaps_text(), encoding="utf-8")
    (maps / "team, a" / "broken.yaml").write_text("journeyctl: 1\nid: Not A Slug\ntitle: T\nstages: []\n")
    (maps / "suppressed.yaml").write_text(
        "journeyctl: 1\nid: s\ntitle: 'Sales: 50%, now'\nstages:\n"
        "  - id: a  # journeyctl: disable=JM101,JM999\n    name: A\n"
    )
    config = build_lint_config(None, Overrides(select=["JM101", "JM103", "JM201", "JM001"]))
    files, findings = [], []
    for report in lint_paths([str(maps)], config, jobs=1):
        files.append(report.path)
        findings.extend(report.findings)
    return make_report(findings, files, config, get_registry())


def test_sarif_validates_against_the_official_schema(sample_report: LintReport) -> None:
    from jsonschema import Draft4Validator

    document = json.loads(render(sample_report, "sarif"))
    validator = Draft4Validator(sarif_schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["JM000", "JM001", "JM101", "JM103", "JM201"]
    stage_rule = rules[2]
    assert stage_rule["name"] == "stage-without-touchpoints"
    assert stage_rule["shortDescription"]["text"].startswith("A stage with no touchpoints")
    assert "Failing example" in stage_rule["help"]["markdown"]
    assert stage_rule["defaultConfiguration"]["level"] == "warning"
    assert stage_rule["helpUri"].endswith("docs/rules.md#jm101-stage-without-touchpoints")
    results = run["results"]
    assert {r["ruleId"] for r in results} == {"JM000", "JM001", "JM101", "JM103", "JM201"}
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not location["artifactLocation"]["uri"].startswith(("/", "file:"))
        assert location["region"]["startLine"] >= 1
    broken = [r for r in results if r["ruleId"] == "JM000"]
    assert (
        broken[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "maps/team%2C%20a/broken.yaml"
    )
    assert broken[0]["level"] == "error"


def test_sarif_of_a_clean_run_is_valid_too() -> None:
    from jsonschema import Draft4Validator

    config = LintConfig.recommended()
    report = make_report([], ["a.yaml"], config, get_registry())
    document = json.loads(render(report, "sarif"))
    assert not list(Draft4Validator(sarif_schema()).iter_errors(document))
    assert document["runs"][0]["results"] == []
    assert len(document["runs"][0]["tool"]["driver"]["rules"]) == len(config.rules) + 2


@pytest.mark.parametrize(
    ("text", "data", "property_value"),
    [
        ("plain", "plain", "plain"),
        ("100%", "100%25", "100%25"),
        ("a\nb", "a%0Ab", "a%0Ab"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("key: value", "key: value", "key%3A value"),
        ("a,b", "a,b", "a%2Cb"),
        ("%0A literal", "%250A literal", "%250A literal"),
        ("::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"),
    ],
)
def test_github_escaping(text: str, data: str, property_value: str) -> None:
    assert escape_data(text) == data
    assert escape_property(text) == property_value


def test_github_annotation_line() -> None:
    finding = Finding(
        Location("maps/a, b: c.yaml", 12, 5),
        "JM101",
        "stage-without-touchpoints",
        "warning",
        "stage 'pay' has no touchpoints: 100% blind",
        "add them\nunder touchpoints:",
    )
    assert github_line(finding) == (
        "::warning file=maps/a%2C b%3A c.yaml,line=12,col=5,title=JM101 stage-without-touchpoints"
        "::stage 'pay' has no touchpoints: 100%25 blind%0Ahint: add them%0Aunder touchpoints:\n"
    )
    info = Finding(Location("a.yaml"), "JM701", "single-channel-journey", "info", "m")
    assert github_line(info) == "::notice file=a.yaml,title=JM701 single-channel-journey::m\n"
    error = Finding(Location("a.yaml", 1, 1), "JM000", "invalid-map", "error", "m")
    assert github_line(error).startswith("::error file=a.yaml,line=1,col=1,")


def test_junit_has_a_suite_per_file_and_a_case_per_finding(sample_report: LintReport) -> None:
    root = ET.fromstring(render(sample_report, "junit"))
    assert root.tag == "testsuites"
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert set(suites) == {"maps/suppressed.yaml", "maps/team, a/broken.yaml", "maps/two-gaps.yaml"}
    gaps = suites["maps/two-gaps.yaml"]
    cases = gaps.findall("testcase")
    assert [case.get("name") for case in cases] == [
        "JM101 stage-without-touchpoints at 42:5",
        "JM201 pain-point-without-opportunity at 75:9",
    ]
    assert all(case.find("failure") is not None for case in cases)
    assert root.get("failures") == str(len(sample_report.findings))
    clean = make_report([], ["clean.yaml"], LintConfig.recommended(), get_registry())
    (suite,) = ET.fromstring(render(clean, "junit")).findall("testsuite")
    (case,) = suite.findall("testcase")
    assert case.find("failure") is None and suite.get("failures") == "0"


def test_json_is_documented_and_stable(sample_report: LintReport) -> None:
    document = json.loads(render(sample_report, "json"))
    assert document["version"] == 1
    assert set(document) == {"version", "tool", "summary", "findings", "statistics"}
    assert document["summary"]["files"] == 3
    assert document["summary"]["failed"] is True
    first = document["findings"][0]
    assert set(first) == {"path", "line", "column", "code", "name", "severity", "message", "hint"}
    assert sum(row["count"] for row in document["statistics"]) == len(document["findings"])


def test_concise_is_one_line_per_finding(sample_report: LintReport) -> None:
    lines = render(sample_report, "concise").splitlines()
    assert len(lines) == len(sample_report.findings)
    assert "maps/two-gaps.yaml:42:5: JM101 stage 'checkout' has no touchpoints" in "\n".join(lines)


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden_output(fmt: str, sample_report: LintReport, update_goldens: bool) -> None:
    """Every format of the sample report, byte for byte (refresh with pytest --update-goldens)."""
    from journeyctl import __version__

    text = render(sample_report, fmt, statistics=True).replace(__version__, "VERSION")
    if fmt == "sarif":
        # Rule documentation comes from the rules' docstrings (tested above); keep the golden
        # about the shape of the log, not about every docstring's wording.
        document = json.loads(text)
        for rule in document["runs"][0]["tool"]["driver"]["rules"]:
            for key in ("shortDescription", "fullDescription", "help"):
                rule[key] = {"text": "..."}
        text = json.dumps(document, indent=2) + "\n"
    golden = GOLDENS / f"report.{fmt}.txt"
    if update_goldens or not golden.exists():
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_summary_line() -> None:
    config = LintConfig.recommended()
    registry = get_registry()
    assert summary_line(make_report([], ["a.yaml"], config, registry)) == "No findings in 1 file."
    findings = [
        Finding(Location("a.yaml", 1, 1), "JM000", "invalid-map", "error", "m"),
        Finding(Location("a.yaml", 2, 1), "JM701", "single-channel-journey", "info", "m"),
        Finding(Location("b.yaml", 2, 1), "JM701", "single-channel-journey", "info", "m"),
    ]
    report = make_report(findings, ["a.yaml", "b.yaml", "c.yaml"], config, registry)
    assert summary_line(report) == "Found 3 findings (1 error, 2 info) in 2 of 3 files."


@pytest.mark.parametrize(
    ("severities", "fail_on", "failed"),
    [
        ([], "info", False),
        (["info"], "warning", False),
        (["info"], "info", True),
        (["warning"], "warning", True),
        (["warning"], "error", False),
        (["error"], "error", True),
        (["error"], "never", False),
    ],
)
def test_fail_on_threshold(severities: list[str], fail_on: str, failed: bool) -> None:
    findings = [Finding(Location("a.yaml", 1, 1), "JM101", "n", s, "m") for s in severities]  # type: ignore[arg-type]
    assert LintReport(findings, ["a.yaml"], fail_on).failed is failed
