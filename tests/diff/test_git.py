"""``journeyctl diff`` against a real git repository: revision forms, added, deleted and
renamed maps, shared files, input errors, and the external diff driver through ``git diff``.

The repository is built once per module in a temporary directory, with its own
global config (no user hooks, no user aliases), and the CLI runs as a real
process (``python -m journeyctl``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SHOP = """\
journeyctl: 1
id: shop
title: Shop
channels:
  - {id: web, name: Web shop, kind: web}
stages:
  - id: buy
    name: Buy
    touchpoints:
      - {id: checkout, name: Checkout, channel: web, moment-of-truth: true}
    steps:
      - {id: pays, action: Pays, touchpoints: [checkout], emotion: EMOTION}
      - {id: waits, action: Waits for the parcel, emotion: 0}
"""
OTHER = """\
journeyctl: 1
id: returns
title: Returning a parcel
channels:
  - {id: post, name: Post office, kind: physical}
stages:
  - id: send-back
    name: Send back
    touchpoints:
      - {id: counter, name: Post office counter, channel: post}
    steps:
      - {id: queues, action: Queues at the counter, touchpoints: [counter], emotion: -1}
      - {id: hands-over, action: Hands over the parcel, touchpoints: [counter], emotion: 0}
"""
SHARED = """\
journeyctl-shared: 1
personas:
  - {id: parent, name: PARENT}
"""
USES_SHARED = """\
journeyctl: 1
id: gift
title: Buying a gift
include: [../shared/people.yaml]
stages:
  - id: choose
    name: Choose
    steps:
      - {id: browses, action: Browses, persona: parent, emotion: 1}
"""
TINY_V1 = """\
journeyctl: 1
id: tiny
title: Tiny map
stages: [{id: one, name: One}]
"""
TINY_V2 = """\
journeyctl: 1
id: tiny
title: A small journey, rewritten
summary: Rewritten from scratch so that git does not see a rename.
owner: research
stages:
  - id: first
    name: First stage
  - id: second
    name: Second stage
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=_env(repo)
    ).stdout


def _env(repo: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        GIT_CONFIG_GLOBAL=str(repo.parent / "gitconfig"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_PAGER="cat",
        PAGER="cat",
        NO_COLOR="1",
        LC_ALL="C.UTF-8",
    )
    return env


def journeyctl(repo: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "journeyctl", *args],
        cwd=cwd or repo,
        capture_output=True,
        text=True,
        env=_env(repo),
        check=False,
    )


def write(repo: Path, path: str, text: str) -> None:
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def commit(repo: Path, message: str, tag: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    git(repo, "tag", tag)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if shutil.which("git") is None:
        pytest.fail("git is needed for journeyctl diff")
    base = tmp_path_factory.mktemp("diffrepo")
    repo = base / "repo"
    repo.mkdir()
    (base / "gitconfig").write_text(
        "[user]\n\tname = Test\n\temail = test@example.com\n[core]\n\thooksPath = /dev/null\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n",
        encoding="utf-8",
    )
    git(repo, "init", "-q")
    # v1: three maps, a shared file, and a YAML file that is not a map.
    write(repo, "maps/shop.yaml", SHOP.replace("EMOTION", "1"))
    write(repo, "maps/returns.yaml", OTHER)
    write(repo, "maps/gift.yaml", USES_SHARED)
    write(repo, "maps/tiny.yaml", TINY_V1)
    write(repo, "shared/people.yaml", SHARED.replace("PARENT", "Parent"))
    write(repo, "ci.yaml", "jobs: {test: {runs-on: ubuntu-latest}}\n")
    commit(repo, "v1", "v1")
    # v2: emotion at a moment of truth down; returns.yaml renamed; a map added; ci.yaml changed.
    write(repo, "maps/shop.yaml", SHOP.replace("EMOTION", "-1"))
    git(repo, "mv", "maps/returns.yaml", "maps/parcel-returns.yaml")
    write(repo, "maps/new.yaml", TINY_V1.replace("id: tiny", "id: brand-new"))
    write(repo, "ci.yaml", "jobs: {test: {runs-on: ubuntu-24.04}}\n")
    commit(repo, "v2", "v2")
    # v3: new.yaml deleted; the shared persona renamed; tiny.yaml rewritten under a new name.
    git(repo, "rm", "-q", "maps/new.yaml")
    write(repo, "shared/people.yaml", SHARED.replace("PARENT", "Busy parent"))
    git(repo, "rm", "-q", "maps/tiny.yaml")
    write(repo, "maps/small.yaml", TINY_V2)
    commit(repo, "v3", "v3")
    # v4: a broken map.
    write(repo, "maps/shop.yaml", SHOP.replace("EMOTION", "1").replace("stages:", "stages: [", 1))
    commit(repo, "v4 (broken)", "v4")
    write(repo, "maps/shop.yaml", SHOP.replace("EMOTION", "-1"))
    commit(repo, "v5 (fixed)", "v5")
    # Working tree: emotion back up, not committed.
    write(repo, "maps/shop.yaml", SHOP.replace("EMOTION", "2"))
    yield repo


def report(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.stderr == "", result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def by_path(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["new_path"] or m["old_path"]: m for m in data["maps"]}


def test_two_revisions(repo: Path) -> None:
    result = journeyctl(repo, "diff", "v1", "v2", "--format", "json")
    assert result.returncode == 1  # a regression
    maps = by_path(report(result))
    assert set(maps) == {"maps/shop.yaml", "maps/parcel-returns.yaml", "maps/new.yaml"}  # no ci.yaml
    shop = maps["maps/shop.yaml"]
    assert shop["status"] == "modified"
    pays = [c for c in shop["changes"] if c["path"] == ["buy", "pays"]]
    assert [(c["field"], c["old"], c["new"], c["classification"]) for c in pays] == [
        ("emotion", 1, -1, "regression")
    ]
    renamed = maps["maps/parcel-returns.yaml"]
    assert (renamed["status"], renamed["old_path"]) == ("renamed", "maps/returns.yaml")
    assert [c["kind"] for c in renamed["changes"]] == ["renamed"]
    assert maps["maps/new.yaml"]["status"] == "added"


def test_range_forms_match_two_revisions(repo: Path) -> None:
    expected = report(journeyctl(repo, "diff", "v1", "v2", "--format", "json"))
    for form in ("v1..v2", "v1...v2"):
        data = report(journeyctl(repo, "diff", form, "--format", "json"))
        assert data["maps"] == expected["maps"], form


def test_deleted_shared_and_rename_by_id(repo: Path) -> None:
    result = journeyctl(repo, "diff", "v2", "v3", "--format", "json", "--fail-on", "any")
    assert result.returncode == 1
    maps = by_path(report(result))
    assert maps["maps/new.yaml"]["status"] == "deleted"
    # tiny.yaml -> small.yaml: too different for git's -M, same map id.
    small = maps["maps/small.yaml"]
    assert (small["status"], small["old_path"]) == ("renamed", "maps/tiny.yaml")
    assert {"added", "removed", "renamed", "changed"} <= {c["kind"] for c in small["changes"]}
    # gift.yaml did not change, the shared file it includes did.
    gift = maps["maps/gift.yaml"]
    assert [(c["kind"], c["entity"], c["old"], c["new"]) for c in gift["changes"]] == [
        ("renamed", "persona", "Parent", "Busy parent")
    ]


def test_work_tree_against_revision_and_paths(repo: Path) -> None:
    result = journeyctl(repo, "diff", "HEAD", "--format", "json")
    assert result.returncode == 0  # only an improvement
    data = report(result)
    assert data["new"] == "working tree"
    [shop] = data["maps"]
    assert shop["counts"] == {"regression": 0, "improvement": 3, "neutral": 0}
    # No arguments means the same as HEAD.
    assert report(journeyctl(repo, "diff", "--format", "json"))["maps"] == data["maps"]
    # A path limits the comparison; from a subdirectory paths are relative to it.
    limited = report(journeyctl(repo, "diff", "v1", "--format", "json", "maps/gift.yaml"))
    assert [m["new_path"] for m in limited["maps"]] == ["maps/gift.yaml"]
    sub = report(journeyctl(repo, "diff", "v1", "gift.yaml", "--format", "json", cwd=repo / "maps"))
    assert [m["new_path"] for m in sub["maps"]] == ["gift.yaml"]


def test_path_only_in_a_revision_after_separator(repo: Path) -> None:
    data = report(journeyctl(repo, "diff", "v2", "--format", "json", "--", "maps/new.yaml"))
    assert [(m["old_path"], m["status"]) for m in data["maps"]] == [("maps/new.yaml", "deleted")]


def test_revision_colon_path(repo: Path) -> None:
    result = journeyctl(repo, "diff", "v1:maps/shop.yaml", "--format", "json")
    data = report(result)
    assert (data["old"], data["new"]) == ("v1:maps/shop.yaml", "maps/shop.yaml")
    [shop] = data["maps"]
    assert [c["new"] for c in shop["changes"] if c["field"] == "emotion" and c["entity"] == "step"] == [2]
    both = report(journeyctl(repo, "diff", "v1:maps/shop.yaml", "v2:maps/shop.yaml", "--format", "json"))
    assert both["summary"]["regression"] == 3  # step, stage mean, journey mean
    same = journeyctl(repo, "diff", "v2:maps/shop.yaml", "v5:maps/shop.yaml")
    assert same.returncode == 0 and "No changes" in same.stdout


def test_same_file_reports_nothing(repo: Path) -> None:
    result = journeyctl(repo, "diff", "maps/gift.yaml", "maps/gift.yaml")
    assert result.returncode == 0
    assert result.stdout.startswith("No changes in journey maps")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["no-such-rev"], "no-such-rev: not a file in the working tree and not a revision git knows"),
        (["v1..no-such-rev"], "no-such-rev: unknown revision"),
        (["v1:maps/nothing.yaml"], "'maps/nothing.yaml' does not exist in v1"),
        (["maps/gift.yaml", "missing.yaml"], "missing.yaml: not a file in the working tree"),
        (["v3", "v4"], "v4:maps/shop.yaml:7:"),
        (["v1", "v2", "v3"], "too many revisions"),
        (["--format", "yaml", "v1"], "unknown --format 'yaml'"),
        (["--fail-on", "regresion", "v1"], "did you mean 'regression'"),
    ],
)
def test_usage_and_input_errors_exit_2(repo: Path, arguments: list[str], message: str) -> None:
    result = journeyctl(repo, "diff", *arguments)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_markdown_to_file(repo: Path) -> None:
    result = journeyctl(repo, "diff", "v1", "v2", "--format", "md", "--output", "out/diff.md")
    assert result.returncode == 1 and result.stdout == ""
    text = (repo / "out" / "diff.md").read_text(encoding="utf-8")
    assert text.startswith("## Journey map changes")
    # The map with a regression comes first in the table.
    assert text.index("`maps/shop.yaml`") < text.index("`maps/new.yaml`")
    shutil.rmtree(repo / "out")


def test_git_diff_driver(repo: Path) -> None:
    command = f"{sys.executable} -m journeyctl diff --git-driver"
    git(repo, "config", "diff.journeyctl.command", command)
    (repo / ".git" / "info" / "attributes").write_text(
        "maps/*.yaml diff=journeyctl\nci.yaml diff=journeyctl\n"
    )
    try:
        out = git(repo, "diff", "v1", "v2")
        assert "diff --journeyctl a/maps/shop.yaml b/maps/shop.yaml" in out
        assert "✗ step pays 'Pays': emotion: +1 -> -1 (at a moment of truth)" in out
        assert "maps/returns.yaml -> maps/parcel-returns.yaml" in out
        assert "map added" in out
        # A file under the attribute that is not a map: a plain unified diff.
        assert "-jobs: {test: {runs-on: ubuntu-latest}}" in out
        # The working tree against HEAD, from a subdirectory.
        sub = subprocess.run(
            ["git", "diff"], cwd=repo / "maps", capture_output=True, text=True, env=_env(repo), check=True
        ).stdout
        assert "✓ step pays 'Pays': emotion: -1 -> +2" in sub
        # A broken version: its located errors, then the plain diff.
        broken = git(repo, "diff", "v3", "v4", "--", "maps/shop.yaml")
        assert "maps/shop.yaml:7:" in broken and "+stages: [" in broken
        deleted = git(repo, "diff", "v2", "v3", "--", "maps/new.yaml")
        assert "map deleted" in deleted
    finally:
        git(repo, "config", "--unset", "diff.journeyctl.command")
        (repo / ".git" / "info" / "attributes").unlink()
