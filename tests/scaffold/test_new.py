"""``journeyctl new``: each template's map validates and lints with exactly the gaps left to fill.

The findings per template and options are cases as data (cases/new-findings.yaml).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from journeyctl.cli import run
from journeyctl.config import LintConfig
from journeyctl.lint.engine import lint_map
from journeyctl.loader import load_bytes
from journeyctl.scaffold import TEMPLATES
from journeyctl.scaffold.new_map import (
    MAP_TEMPLATES,
    NewMapRequest,
    build_map,
    load_template,
    map_text,
    slugify,
)

HERE = Path(__file__).resolve().parent
GOLDENS = HERE / "goldens"
CASES: list[dict[str, Any]] = yaml.safe_load(
    (HERE / "cases" / "new-findings.yaml").read_text(encoding="utf-8")
)
QUOTED = re.compile(r"'([^']+)'")


def request_of(case: dict[str, Any]) -> NewMapRequest:
    return NewMapRequest(
        case["template"],
        case.get("title"),
        case.get("id"),
        tuple(case.get("stages", ())),
        tuple(case.get("personas", ())),
    )


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_new_map_lints_with_exactly_the_gaps_to_fill(case: dict[str, Any]) -> None:
    request = request_of(case)
    text = map_text(build_map(request), template=request.template)
    loaded = load_bytes(text.encode("utf-8"), "new.yaml")  # raises if the map is not valid
    findings = lint_map(loaded, LintConfig.recommended())
    subjects = []
    for finding in findings:
        quoted = QUOTED.search(finding.message)
        assert quoted, finding.message
        subjects.append(f"{finding.code} {quoted.group(1)}")
        assert finding.hint, f"{finding.code} has no hint: a gap must say how to fill it"
        assert finding.location.line > 0
    assert subjects == case["findings"]


def test_every_template_has_a_case_and_is_small() -> None:
    assert {case["template"] for case in CASES} == {template.name for template in MAP_TEMPLATES}
    for template in MAP_TEMPLATES:
        size = (TEMPLATES / "maps" / template.file).stat().st_size
        assert size < 2600, f"{template.file} is {size} bytes: a template is a starting point, keep it small"
        # A comma inside a flow list splits a goal in two ("..., quickly"): every goal reads as a sentence.
        for stage in load_template(template)["stages"]:
            assert all(goal[0].isupper() for goal in stage.get("goals", [])), stage["goals"]


@pytest.mark.parametrize("template", MAP_TEMPLATES, ids=lambda t: t.name)
def test_any_single_stage_of_a_template_is_a_valid_map(template: Any) -> None:
    # Templates keep references inside their stage, so --stage can pick any of them.
    stages = yaml.safe_load((TEMPLATES / "maps" / template.file).read_text())["stages"]
    for stage in stages:
        data = build_map(NewMapRequest(template.name, stages=(stage["name"],)))
        load_bytes(map_text(data, template=template.name).encode("utf-8"), "one-stage.yaml")
        assert [s["id"] for s in data["stages"]] == [stage["id"]]


@pytest.mark.parametrize("template", MAP_TEMPLATES, ids=lambda t: t.name)
def test_template_output_golden(template: Any, update_goldens: bool) -> None:
    text = map_text(build_map(NewMapRequest(template.name)), template=template.name)
    golden = GOLDENS / f"{template.name}.yaml"
    if update_goldens or not golden.exists():
        golden.write_text(text, encoding="utf-8")
        assert update_goldens, f"wrote {golden}: review it and rerun"
    assert text == golden.read_text(encoding="utf-8"), "rerun with --update-goldens and review the diff"


def test_options_set_title_id_stages_and_personas() -> None:
    data = build_map(
        NewMapRequest(
            "saas-onboarding",
            title="Trial for schools",
            stages=("Sign up", "Set up", "Sign up", "Renewal"),
            personas=("Head teacher", "Teacher"),
        )
    )
    assert (data["id"], data["title"]) == ("trial-for-schools", "Trial for schools")
    # A name given twice keeps the template's stage once; the second is a new, numbered stage.
    assert [(s["id"], s["name"]) for s in data["stages"]] == [
        ("sign-up", "Sign up"),
        ("set-up", "Set up"),
        ("sign-up-2", "Sign up"),
        ("renewal", "Renewal"),
    ]
    assert data["personas"] == [
        {"id": "head-teacher", "name": "Head teacher"},
        {"id": "teacher", "name": "Teacher"},
    ]
    steps = {step["id"]: step["persona"] for stage in data["stages"] for step in stage.get("steps", [])}
    assert steps == {
        "reads-pricing": "head-teacher",
        "creates-workspace": "head-teacher",
        "invites-team": "head-teacher",
        "accepts-invitation": "teacher",
    }
    # Channels no remaining touchpoint is on are dropped (email was only in 'adopt').
    assert [c["id"] for c in data["channels"]] == ["web", "product", "email"]
    assert build_map(NewMapRequest("blank", title="X", map_id="custom-id"))["id"] == "custom-id"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Trial user (EU)", "trial-user-eu"),
        ("Café owner", "cafe-owner"),
        ("  --A--B--  ", "a-b"),
        ("!!!", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def new(tmp_path: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        code = run(["new", *args])
    finally:
        os.chdir(old)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_new_writes_id_yaml_and_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = new(tmp_path, "support-case", "--title", "Broken boiler", capsys=capsys)
    assert code == 0, err
    target = tmp_path / "broken-boiler.yaml"
    assert "Wrote broken-boiler.yaml (support-case template)" in err
    first = target.read_bytes()
    assert first.startswith(b"# Made with `journeyctl new support-case`")
    code, _, err = new(tmp_path, "retail-purchase", "--id", "broken-boiler", capsys=capsys)
    assert code == 2
    assert "error: broken-boiler.yaml exists; journeyctl new never overwrites a file" in err
    assert target.read_bytes() == first
    code, _, err = new(tmp_path, "blank", "-o", "maps/", capsys=capsys)
    assert code == 0, err
    assert (tmp_path / "maps" / "new-journey.yaml").is_file()
    # Written by the formatter: nothing for `journeyctl fmt --check` to change.
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert run(["fmt", "--check", "."]) == 0
    finally:
        os.chdir(old)


def test_new_to_stdout_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = new(tmp_path, "blank", "-o", "-", capsys=capsys)
    assert code == 0 and out.startswith("# Made with `journeyctl new blank`") and "journeyctl: 1\n" in out
    assert list(tmp_path.iterdir()) == []
    code, out, _ = new(tmp_path, "--list", capsys=capsys)
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == [t.name for t in MAP_TEMPLATES]


def test_new_adds_the_schema_modeline_inside_an_init_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["init", str(tmp_path)]) == 0
    code, _, err = new(tmp_path, "retail-purchase", "-o", "maps/teams/", capsys=capsys)
    assert code == 0, err
    text = (tmp_path / "maps" / "teams" / "retail-purchase.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schemas/journey.schema.json\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["retail"], "unknown template 'retail' (did you mean 'retail-purchase'?)"),
        (["blank", "--id", "Not An Id"], "--id 'Not An Id' is not an id"),
        (["blank", "--title", "   "], "--title must not be empty"),
        (["blank", "--title", "???"], "cannot make an id from the title '???'"),
        (["blank", "--stage", ""], "--stage must not be empty"),
        (["blank", "-o", "map.txt"], "-o map.txt: a journey map file ends in .yaml or .yml"),
    ],
)
def test_usage_errors_exit_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = new(tmp_path, *args, capsys=capsys)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
