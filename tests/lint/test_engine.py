"""The lint engine: the acceptance map, invalid maps as findings, ordering, parallel == serial."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeyctl.config import LintConfig, Overrides, build_lint_config
from journeyctl.lint.engine import RuleCrashed, lint_map, lint_paths, sort_findings
from journeyctl.lint.formats import make_report, render
from journeyctl.lint.registry import get_registry
from journeyctl.loader import load_bytes

from .helpers import codes_at, config_from_yaml, line_of, lint_text, two_gaps_text


def test_acceptance_a_stage_without_touchpoints_and_a_pain_point_without_opportunity() -> None:
    """Under the recommended preset, exactly those two findings, at that stage and that pain point."""
    text = two_gaps_text()
    registry = get_registry()
    stage_rule = registry.lookup("stage-without-touchpoints")
    pain_rule = registry.lookup("pain-point-without-opportunity")
    findings = lint_map(load_bytes(text.encode(), "two-gaps.yaml"))
    assert codes_at(findings) == [
        (stage_rule.code, line_of(text, "- id: checkout"), 5),
        (pain_rule.code, line_of(text, "- id: late-delivery"), 9),
    ]
    assert [f.name for f in findings] == ["stage-without-touchpoints", "pain-point-without-opportunity"]
    assert "'checkout'" in findings[0].message and "'late-delivery'" in findings[1].message


def test_lint_map_with_no_config_is_the_recommended_preset() -> None:
    text = two_gaps_text()
    loaded = load_bytes(text.encode(), "two-gaps.yaml")
    assert lint_map(loaded) == lint_map(loaded, LintConfig.recommended())
    strict = build_lint_config(None, Overrides(preset="strict"))
    # The strict preset also runs step-without-touchpoint and unrated-pain-point (not recommended):
    # the checkout step has no touchpoint and the pain point no severity.
    extra = {f.name for f in lint_map(loaded, strict)} - {f.name for f in lint_map(loaded)}
    assert extra == {"step-without-touchpoint", "unrated-pain-point"}


def test_select_ignore_and_severity_apply() -> None:
    text = two_gaps_text()
    only_stage = config_from_yaml("select: [stage-without-touchpoints]\n")
    assert [f.name for f in lint_text(text, only_stage)] == ["stage-without-touchpoints"]
    no_stage = config_from_yaml("ignore: [JM101]\n")
    assert [f.name for f in lint_text(text, no_stage)] == ["pain-point-without-opportunity"]
    by_prefix = config_from_yaml("select: [JM2]\n")
    assert [f.name for f in lint_text(text, by_prefix)] == [
        "pain-point-without-opportunity",
        "unrated-pain-point",
    ]
    severe = config_from_yaml("rules:\n  JM101: error\n  pain-point-without-opportunity: {severity: info}\n")
    assert [f.severity for f in lint_text(text, severe)] == ["error", "info"]


def test_per_file_ignores_match_paths_relative_to_the_config(tmp_path: Path) -> None:
    text = two_gaps_text()
    config = config_from_yaml(
        "per-file-ignores:\n  'legacy/*.yaml': [JM1]\n  other.yaml: [ALL]\n",
        path=str(tmp_path / ".journeyctl.yaml"),
    )
    legacy = lint_text(text, config, path=str(tmp_path / "legacy" / "map.yaml"))
    assert [f.code for f in legacy] == ["JM201"]
    current = lint_text(text, config, path=str(tmp_path / "current" / "map.yaml"))
    assert [f.code for f in current] == ["JM101", "JM201"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", [(1, 1)], id="empty-file"),
        pytest.param("journeyctl: 1\nid: x\ntitle: [\n", [(4, 1)], id="yaml-syntax"),
        pytest.param(
            "journeyctl: 1\nid: Bad Id\ntitle: T\nstages:\n  - {id: s, name: S}\n  - {id: t, nam: T}\n",
            [(2, 5), (6, 5), (6, 13)],
            id="three-schema-errors",
        ),
        pytest.param(
            "journeyctl: 1\nid: ok\ntitle: T\nstages:\n  - {id: s, name: S}\n  - {id: s, name: T}\n",
            [(6, 10)],
            id="identity-error",
        ),
    ],
)
def test_an_invalid_map_is_one_jm000_finding_per_error(
    tmp_path: Path, text: str, expected: list[tuple[int, int]]
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    (report,) = list(lint_paths([str(path)], LintConfig.recommended(), jobs=1))
    assert [(f.code, f.name, f.severity) for f in report.findings] == [
        ("JM000", "invalid-map", "error")
    ] * len(expected)
    assert [(f.location.line, f.location.col) for f in report.findings] == expected


def test_invalid_map_cannot_be_ignored(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("journeyctl: 1\nid: x\ntitle: T\nstages: []\n", encoding="utf-8")
    config = build_lint_config(None, Overrides(ignore=["JM000", "invalid-map"], select=["JM101"]))
    (report,) = list(lint_paths([str(path)], config, jobs=1))
    assert [(f.code, f.location.line) for f in report.findings] == [("JM000", 4)]


def test_non_map_yaml_in_a_directory_is_skipped_but_a_named_one_is_linted(tmp_path: Path) -> None:
    (tmp_path / "ci.yaml").write_text("on: push\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text(two_gaps_text(), encoding="utf-8")
    reports = list(lint_paths([str(tmp_path)], jobs=1))
    assert [(Path(r.path).name, r.skipped) for r in reports] == [("ci.yaml", True), ("map.yaml", False)]
    (named,) = list(lint_paths([str(tmp_path / "ci.yaml")], jobs=1))
    assert named.findings and {f.code for f in named.findings} == {"JM000"}
    (skipped,) = list(lint_paths([str(tmp_path / "ci.yaml")], jobs=1, skip_non_maps=True))
    assert skipped.skipped


def test_exclude_globs_are_relative_to_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("maps/a.yaml", "maps/drafts/b.yaml", "maps/c.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(two_gaps_text(), encoding="utf-8")
    config = config_from_yaml("exclude: ['maps/drafts', 'c.yaml']\n", path=str(tmp_path / ".journeyctl.yaml"))
    monkeypatch.chdir(tmp_path / "maps")
    reports = list(lint_paths(["."], config, jobs=1))
    assert [r.path for r in reports] == ["a.yaml"]
    # A file named on the command line is linted even when excluded, unless --force-exclude.
    assert [r.path for r in lint_paths(["c.yaml"], config, jobs=1)] == ["c.yaml"]
    assert list(lint_paths(["c.yaml"], config, jobs=1, force_exclude=True)) == []


def _corpus(root: Path, count: int) -> None:
    """Maps with different findings: variants of the acceptance map, some invalid, in nested folders."""
    text = two_gaps_text()
    for index in range(count):
        folder = root / f"group-{index % 3}" / ("deep" if index % 5 == 0 else "")
        folder.mkdir(parents=True, exist_ok=True)
        variant = text.replace("order-groceries", f"order-{index}")
        if index % 7 == 0:
            variant = variant.replace("emotion: 0", "emotion: 9")
        if index % 4 == 0:
            variant = variant.replace("    owner: Logistics team\n        evidence", "    evidence")
        if index % 6 == 0:
            variant = variant.replace("phase: purchase", "phase: purchase  # journeyctl: disable=JM105")
        (folder / f"map-{index:03}.yaml").write_text(variant, encoding="utf-8")


def test_parallel_output_is_identical_to_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _corpus(tmp_path / "maps", 90)
    monkeypatch.chdir(tmp_path)
    config = LintConfig.recommended()
    registry = get_registry()
    outputs = []
    for jobs in (1, 2, 4):
        files: list[str] = []
        findings = []
        for report in lint_paths(["maps"], config, jobs=jobs):
            files.append(report.path)
            findings.extend(report.findings)
        lint_report = make_report(findings, files, config, registry)
        outputs.append(
            {fmt: render(lint_report, fmt) for fmt in ("concise", "json", "sarif", "junit", "github")}
        )
    assert outputs[0] == outputs[1] == outputs[2]
    concise = outputs[0]["concise"].splitlines()
    assert len(concise) > 150
    codes = {line.split(": ")[1].split()[0] for line in concise}
    assert {"JM000", "JM001", "JM101", "JM201", "JM501"} <= codes


def test_findings_sort_by_path_then_position_and_drop_duplicates() -> None:
    from journeyctl.lint.api import Finding
    from journeyctl.location import Location

    def finding(path: str, line: int, col: int, code: str = "JM101") -> Finding:
        return Finding(Location(path, line, col), code, "n", "warning", "m")

    findings = [
        finding("b.yaml", 1, 1),
        finding("a.yaml", 10, 1),
        finding("a.yaml", 9, 5),
        finding("a.yaml", 10, 1),
    ]
    assert [(f.location.path, f.location.line) for f in sort_findings(findings)] == [
        ("a.yaml", 9),
        ("a.yaml", 10),
        ("b.yaml", 1),
    ]


def test_a_crashing_rule_is_named_in_the_error(monkeypatch: pytest.MonkeyPatch) -> None:
    config = build_lint_config(None, Overrides(select=["JM101"]))
    rule = config.rules[0]

    def boom(loaded: object, options: object) -> list[object]:
        raise ZeroDivisionError("division by zero")

    from dataclasses import replace

    broken = replace(config, rules=(replace(rule, check=boom),))
    with pytest.raises(RuleCrashed, match=r"rule JM101 \(stage-without-touchpoints\) failed on m.yaml"):
        lint_text(two_gaps_text(), broken, path="m.yaml")


def test_the_examples_lint_without_errors() -> None:
    examples = Path(__file__).resolve().parents[2] / "examples"
    if not examples.is_dir() or not any(examples.rglob("*.yaml")):
        pytest.skip("examples/ not written yet")
    reports = list(lint_paths([str(examples)], jobs=1))
    assert reports
    assert not [f for r in reports for f in r.findings if f.code == "JM000"]


def _plugin_check(loaded: object, options: object) -> list[object]:
    raise KeyError("stages")


def test_a_plugin_rule_that_raises_names_its_distribution(tmp_path: Path) -> None:
    from dataclasses import replace

    from journeyctl.errors import PluginFailure

    config = build_lint_config(None, Overrides(select=["JM101"]))
    plugin_rule = replace(config.rules[0], check=_plugin_check, origin="plugin acme-rules 1.2.0")
    broken = replace(config, rules=(plugin_rule,))
    for number in range(40):  # enough files for the worker pool
        (tmp_path / f"m{number:02}.yaml").write_text(two_gaps_text())
    with pytest.raises(PluginFailure) as raised:
        list(lint_paths([str(tmp_path)], broken, jobs=2))
    failure = raised.value
    assert (failure.plugin, failure.code) == ("acme-rules 1.2.0", "JM101")
    assert failure.message.startswith(
        "rule JM101 (stage-without-touchpoints) from plugin acme-rules 1.2.0 failed on "
    )
    assert failure.message.endswith(".yaml: KeyError: 'stages'")
