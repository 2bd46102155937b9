"""``journeyctl init``: what it writes lints clean, works as the CI, git and editor files it claims to be, and
a second run changes nothing."""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from journeyctl.cli import run
from journeyctl.model.schema import schema_text
from journeyctl.scaffold.project import PROJECT_FILES, SCHEMA_COPY, STARTER_MAP, init_project
from tests.conftest import ROOT

BIN = str(Path(sys.executable).parent)


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def run_in(directory: Path, args: list[str]) -> int:
    old = os.getcwd()
    os.chdir(directory)
    try:
        return run(args)
    finally:
        os.chdir(old)


def tool_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PATH": BIN + os.pathsep + os.environ.get("PATH", ""), **extra}


def test_init_writes_every_file_and_they_validate_and_lint_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "journeys"
    assert run(["init", str(repo)]) == 0
    err = capsys.readouterr().err
    assert sorted(snapshot(repo)) == sorted(file.path for file in PROJECT_FILES)
    for file in PROJECT_FILES:
        assert f"created     {repo / file.path}\n" in err
    assert f"{len(PROJECT_FILES)} created, 0 left as they were." in err
    assert run_in(repo, ["validate", "."]) == 0
    assert run_in(repo, ["lint"]) == 0
    assert "No findings in 2 files." in capsys.readouterr().out
    # Not just quiet under the recommended preset: the starter is complete.
    assert run_in(repo, ["lint", "--preset", "strict", "."]) == 0
    # ... and already in the formatter's layout, so `journeyctl fmt --check` can gate CI from day one.
    assert run_in(repo, ["fmt", "--check", "."]) == 0
    assert (repo / SCHEMA_COPY).read_text() == schema_text()
    starter = (repo / STARTER_MAP).read_text()
    assert f"reviewed: {datetime.date.today().isoformat()} " in starter
    assert starter.startswith("# yaml-language-server: $schema=../schemas/journey.schema.json\n")


def test_init_twice_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["init", str(tmp_path)]) == 0
    before = snapshot(tmp_path)
    capsys.readouterr()
    assert run(["init", str(tmp_path)]) == 0
    assert snapshot(tmp_path) == before
    err = capsys.readouterr().err
    assert err.count("unchanged   ") == len(PROJECT_FILES)
    assert "Next:" not in err
    assert run(["init", str(tmp_path), "--force"]) == 0
    assert snapshot(tmp_path) == before


def test_existing_files_are_kept_and_force_replaces_only_tooling(tmp_path: Path) -> None:
    init_project(tmp_path, today=datetime.date(2026, 1, 5))
    workflow = tmp_path / ".github/workflows/journeys.yml"
    workflow.write_text("name: ours\n")
    (tmp_path / STARTER_MAP).write_text("journeyctl: 1\n# our map\n")
    results = {r.file.path: r for r in init_project(tmp_path)}
    assert (results[".github/workflows/journeys.yml"].outcome, results[STARTER_MAP].outcome) == (
        "skipped",
    ) * 2
    assert (
        results[".github/workflows/journeys.yml"].reason == "exists with other content; --force replaces it"
    )
    assert results[STARTER_MAP].reason == "exists; journeyctl never overwrites it"
    # On another day the starter map would say another date: still never rewritten.
    assert results["shared/personas.yaml"].outcome == "unchanged"
    results = {r.file.path: r for r in init_project(tmp_path, force=True)}
    assert results[".github/workflows/journeys.yml"].outcome == "overwritten"
    assert workflow.read_text().startswith("# GitHub Actions for a repository of journey maps")
    assert results[STARTER_MAP].outcome == "skipped"
    assert (tmp_path / STARTER_MAP).read_text() == "journeyctl: 1\n# our map\n"


def test_a_configuration_in_pyproject_is_not_shadowed(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.journeyctl]\npreset = 'strict'\n")
    results = {r.file.path: r for r in init_project(tmp_path)}
    assert results[".journeyctl.yaml"].outcome == "skipped"
    assert results[".journeyctl.yaml"].reason == "the configuration is in pyproject.toml [tool.journeyctl]"
    assert not (tmp_path / ".journeyctl.yaml").exists()


def test_init_on_a_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("x")
    assert run(["init", str(target)]) == 2
    assert f"error: {target}: exists and is not a directory" in capsys.readouterr().err


def test_an_unwritable_place_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A file where a directory must go fails for root too (unlike a read-only directory).
    (tmp_path / "maps").write_text("not a directory")
    assert run(["init", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    expected = (
        f"{tmp_path / STARTER_MAP}: error: cannot write: {tmp_path / 'maps'} is a file, not a directory"
    )
    assert expected in err and "Traceback" not in err


def test_the_pre_commit_hook_is_the_published_one() -> None:
    published = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    hooks = yaml.safe_load(init_text(".pre-commit-config.yaml"))["repos"][0]["hooks"]
    assert [hook["id"] for hook in hooks] == ["journeyctl-fmt", "journeyctl-lint"]
    for hook in hooks:
        for key in ("id", "name", "entry", "files", "require_serial"):
            assert hook[key] == published[hook["id"]][key]


def init_text(path: str) -> str:
    from journeyctl.scaffold.project import file_content

    file = next(f for f in PROJECT_FILES if f.path == path)
    return file_content(file, today=datetime.date.today()).decode("utf-8")


@pytest.fixture
def git_repo(tmp_path: Path) -> Path:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    init_project(tmp_path)
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@e",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@e",
    }
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "init"]):
        subprocess.run(["git", *command], cwd=tmp_path, check=True, env=tool_env(**env))
    return tmp_path


def test_gitattributes_route_maps_to_the_diff_driver(git_repo: Path) -> None:
    result = subprocess.run(
        ["git", "check-attr", "diff", STARTER_MAP, "maps/teams/a.yml", "shared/personas.yaml"],
        cwd=git_repo,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.splitlines() == [
        f"{STARTER_MAP}: diff: journeyctl",
        "maps/teams/a.yml: diff: journeyctl",
        "shared/personas.yaml: diff: unspecified",
    ]


def workflow_steps(job: str) -> list[dict[str, Any]]:
    workflow = yaml.safe_load(init_text(".github/workflows/journeys.yml"))
    steps: list[dict[str, Any]] = workflow["jobs"][job]["steps"]
    return steps


def test_the_workflow_commands_run_as_written(git_repo: Path) -> None:
    lint_steps = [step for step in workflow_steps("lint") if step.get("run", "").startswith("journeyctl ")]
    assert [step["name"] for step in lint_steps] == ["Lint for code scanning (SARIF)", "Lint"]
    for step in lint_steps:
        result = subprocess.run(
            ["bash", "-c", step["run"]], cwd=git_repo, env=tool_env(), capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
    sarif = json.loads((git_repo / "journeyctl.sarif").read_text())
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"] == []
    upload = next(step for step in workflow_steps("lint") if "upload-sarif" in step.get("uses", ""))
    assert upload["with"]["sarif_file"] == "journeyctl.sarif"

    # A pull request that lowers the last step's emotion: the diff step writes the comment, exit 1.
    starter = git_repo / STARTER_MAP
    starter.write_text(starter.read_text().replace("emotion: 2", "emotion: 1"))
    subprocess.run(["git", "switch", "-q", "-c", "change"], cwd=git_repo, check=True)
    subprocess.run(
        ["git", "commit", "-q", "-am", "lower"],
        cwd=git_repo,
        check=True,
        env=tool_env(
            GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@e", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@e"
        ),
    )
    subprocess.run(["git", "update-ref", "refs/remotes/origin/main", "main"], cwd=git_repo, check=True)
    diff_step = next(step for step in workflow_steps("diff") if step.get("id") == "diff")
    output = git_repo / "github-output"
    result = subprocess.run(
        ["bash", "-c", diff_step["run"]],
        cwd=git_repo,
        env=tool_env(BASE_REF="main", GITHUB_OUTPUT=str(output)),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert output.read_text() == "exit=1\n"
    comment = (git_repo / "journey-diff.md").read_text()
    assert "reads-guarantee" in comment
    assert diff_step["env"]["BASE_REF"] == "${{ github.base_ref }}"


def test_pre_commit_runs_the_hook_on_the_scaffold(git_repo: Path) -> None:
    pre_commit = shutil.which("pre-commit", path=BIN) or shutil.which("pre-commit")
    if pre_commit is None:
        if os.environ.get("JOURNEYCTL_REQUIRE_TOOLS") == "1":
            pytest.fail("pre-commit is not installed (the test extra brings it)")
        pytest.skip("pre-commit is not installed")
    result = subprocess.run(
        [pre_commit, "run", "--all-files"],
        cwd=git_repo,
        env=tool_env(PRE_COMMIT_HOME=str(git_repo / ".pre-commit-home")),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^journeyctl fmt\.+Passed$", result.stdout, re.M), result.stdout
    assert re.search(r"^journeyctl lint\.+Passed$", result.stdout, re.M), result.stdout


def test_editor_settings_map_the_schema_copy() -> None:
    settings = json.loads(init_text(".vscode/settings.json"))
    ((schema, globs),) = settings["yaml.schemas"].items()
    assert schema == f"./{SCHEMA_COPY}"
    assert "maps/**/*.yaml" in globs and "shared/**/*.yaml" in globs
    assert json.loads(init_text(".vscode/extensions.json")) == {"recommendations": ["redhat.vscode-yaml"]}
