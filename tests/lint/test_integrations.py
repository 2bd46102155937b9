"""CI integration files: the pre-commit hooks and the composite GitHub Action really work."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .helpers import two_gaps_text

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def hooks() -> dict[str, dict[str, Any]]:
    return {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}


def action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO / "action.yml").read_text())
    return loaded


@pytest.fixture
def maps_repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "two-gaps.yaml").write_text(two_gaps_text())
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "ci.yml").write_text("on: push\njobs: {}\n")
    return tmp_path


def run_hook(hook_id: str, cwd: Path, files: list[str]) -> subprocess.CompletedProcess[str]:
    """What pre-commit does: the entry, then the staged files that match `files`."""
    import re

    hook = hooks()[hook_id]
    matching = [name for name in files if re.search(hook["files"], name)]
    command = shlex.split(hook["entry"])
    command[0] = str(BIN / command[0])
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [*command, *matching], cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_pre_commit_hooks_are_declared() -> None:
    declared = hooks()
    assert set(declared) == {"journeyctl-lint", "journeyctl-validate", "journeyctl-fmt"}
    for hook in declared.values():
        assert hook["language"] == "python"
        assert hook["files"] == r"\.ya?ml$"
        assert hook["entry"].startswith("journeyctl ")


def test_lint_hook_lints_maps_and_leaves_other_yaml_alone(maps_repo: Path) -> None:
    result = run_hook("journeyctl-lint", maps_repo, [".github/ci.yml", "maps/two-gaps.yaml", "README.md"])
    assert result.returncode == 1
    assert "maps/two-gaps.yaml" in result.stdout and "ci.yml" not in result.stdout + result.stderr
    only_ci = run_hook("journeyctl-lint", maps_repo, [".github/ci.yml"])
    assert only_ci.returncode == 0, only_ci.stdout + only_ci.stderr


def test_validate_hook_reports_only_format_errors(maps_repo: Path) -> None:
    assert (
        run_hook("journeyctl-validate", maps_repo, [".github/ci.yml", "maps/two-gaps.yaml"]).returncode == 0
    )
    (maps_repo / "maps" / "bad.yaml").write_text("journeyctl: 1\nid: b\ntitle: B\nstages: []\n")
    result = run_hook("journeyctl-validate", maps_repo, ["maps/bad.yaml", "maps/two-gaps.yaml"])
    assert result.returncode == 1
    assert "maps/bad.yaml" in result.stdout and "JM000" in result.stdout and "JM101" not in result.stdout


def test_action_is_a_composite_that_installs_from_its_own_path() -> None:
    spec = action()
    assert spec["runs"]["using"] == "composite"
    steps = spec["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert '"$GITHUB_ACTION_PATH"' in steps[1]["run"]
    assert set(spec["inputs"]) >= {"paths", "format", "sarif", "config", "fail-on", "args"}
    assert spec["inputs"]["format"]["default"] == "github"


@pytest.mark.skipif(shutil.which("bash") is None, reason="the action's script is bash")
def test_action_lint_step_annotates_and_writes_sarif(maps_repo: Path) -> None:
    """Run the action's lint step as GitHub would: inputs as env, outputs to $GITHUB_OUTPUT."""
    step = next(s for s in action()["runs"]["steps"] if s.get("id") == "lint")
    inputs = {name: str(spec.get("default", "")) for name, spec in action()["inputs"].items()}
    inputs.update({"paths": "maps", "sarif": "results/journeyctl.sarif", "args": "--ignore JM201"})
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1"}
    for name in step["env"]:
        env[name] = inputs[name.removeprefix("INPUT_").lower().replace("_", "-")]
    env["GITHUB_OUTPUT"] = str(maps_repo / "github-output.txt")
    result = subprocess.run(
        ["bash", "-c", step["run"]],
        cwd=maps_repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "::warning file=maps/two-gaps.yaml,line=42,col=5,title=JM101 stage-without-touchpoints::"
        "stage 'checkout' has no touchpoints; add the places where the customer meets you in it"
        "%0Ahint: list them under `touchpoints:` with an id, a name and a channel"
    ]
    sarif = json.loads((maps_repo / "results" / "journeyctl.sarif").read_text())
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["JM101"]
    assert (maps_repo / "github-output.txt").read_text() == "sarif=results/journeyctl.sarif\n"
