"""``journeyctl fmt`` through the CLI: exit codes, --check, --diff, invalid files, atomic writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from journeyctl import fmt
from journeyctl.cli import run

UNFORMATTED = "title: T  # the title\njourneyctl: 1\nid: m\nstages:\n- {name: S, id: s}\n"
FORMATTED = "journeyctl: 1\nid: m\ntitle: T  # the title\nstages:\n  - { id: s, name: S }\n"
SHARED = "personas:\n- {name: Ann, id: ann}\njourneyctl-shared: 1\n"
INVALID = "journeyctl: 1\nid: m\ntitle: T\nstages:\n  - {id: s, name: S, colour: red}\n"


@pytest.fixture
def maps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "a.yaml").write_text(UNFORMATTED)
    (tmp_path / "maps" / "b.yaml").write_text(FORMATTED)
    (tmp_path / "maps" / "shared.yaml").write_text(SHARED)
    (tmp_path / "maps" / "ci.yaml").write_text("on: push\n")  # other YAML: left alone
    monkeypatch.chdir(tmp_path)
    return tmp_path / "maps"


def fmt_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(["fmt", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_check_lists_files_and_exits_1_without_writing(
    maps: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = fmt_cli(capsys, "--check", "maps")
    assert code == 1
    assert out.splitlines() == ["Would reformat: maps/a.yaml", "Would reformat: maps/shared.yaml"]
    assert err == "2 files would be reformatted, 1 file already formatted.\n"
    assert (maps / "a.yaml").read_text() == UNFORMATTED


def test_check_on_formatted_files_exits_0(maps: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = fmt_cli(capsys, "--check", "maps/b.yaml")
    assert (code, out, err) == (0, "", "1 file already formatted.\n")


def test_diff_prints_a_patch_that_applies(maps: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = fmt_cli(capsys, "--diff", "maps/a.yaml")
    assert code == 1
    assert out.startswith("--- maps/a.yaml\n+++ maps/a.yaml\n@@ ")
    assert "-title: T  # the title\n" in out and "+  - { id: s, name: S }\n" in out
    subprocess.run(["patch", "-s", "-p0"], input=out, text=True, check=True, cwd=maps.parent)
    assert (maps / "a.yaml").read_text() == FORMATTED


def test_formats_in_place_then_nothing_to_do(maps: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = fmt_cli(capsys, "maps")
    assert (code, err) == (0, "2 files reformatted, 1 file left unchanged.\n")
    assert (maps / "a.yaml").read_text() == FORMATTED
    assert (
        maps / "shared.yaml"
    ).read_text() == "journeyctl-shared: 1\npersonas:\n  - { id: ann, name: Ann }\n"
    assert (maps / "ci.yaml").read_text() == "on: push\n"
    assert sorted(p.name for p in maps.iterdir()) == ["a.yaml", "b.yaml", "ci.yaml", "shared.yaml"]
    assert fmt_cli(capsys, "--check", "maps")[0] == 0


def test_invalid_file_is_left_untouched_with_its_located_error(
    maps: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (maps / "bad.yaml").write_text(INVALID)
    code, _, err = fmt_cli(capsys, "maps")
    assert code == 2
    assert "maps/bad.yaml:5:22: error: unknown key 'colour'" in err
    assert err.endswith("2 files reformatted, 1 file left unchanged, 1 file not formatted (errors above).\n")
    assert (maps / "bad.yaml").read_text() == INVALID
    assert (maps / "a.yaml").read_text() == FORMATTED  # the valid ones are still formatted


def test_comment_in_a_flow_collection_is_a_located_error(
    maps: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "journeyctl: 1\nid: m\ntitle: T\nstages: [{id: s,  # here\n  name: S}]\n"
    (maps / "a.yaml").write_text(text)
    code, _, err = fmt_cli(capsys, "maps/a.yaml")
    assert code == 2
    assert err.startswith("maps/a.yaml:4:19: error: a comment inside a flow collection")
    assert (maps / "a.yaml").read_text() == text


def test_formatter_bug_is_an_internal_error_and_writes_nothing(
    maps: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_emit = fmt._emit
    monkeypatch.setattr(fmt, "_emit", lambda root: real_emit(root).replace("name: S", "name: X"))
    code, _, err = fmt_cli(capsys, "-j", "1", "maps/a.yaml")
    assert code == 3
    assert "maps/a.yaml: internal error: maps/a.yaml: formatting would change the map's data" in err
    assert (maps / "a.yaml").read_text() == UNFORMATTED


def test_a_named_file_that_is_not_a_map(maps: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = fmt_cli(capsys, "maps/ci.yaml")
    assert code == 2 and "ci.yaml" in err
    code, _, err = fmt_cli(capsys, "--skip-non-maps", "maps/ci.yaml")
    assert (code, err) == (0, "No journey map files.\n")


def test_missing_path(maps: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = fmt_cli(capsys, "nope.yaml")
    assert code == 2 and "nope.yaml: no such file or directory" in err


def test_parallel_run_formats_like_a_serial_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for index in range(40):
        (tmp_path / f"m{index:02}.yaml").write_text(UNFORMATTED)
    assert fmt_cli(capsys, "-j", "2", str(tmp_path))[0] == 0
    assert {p.read_text() for p in tmp_path.iterdir()} == {FORMATTED}


def test_pre_commit_hook_is_declared() -> None:
    import yaml

    hooks = yaml.safe_load((Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "journeyctl-fmt")
    assert hook["entry"] == "journeyctl fmt --skip-non-maps"
    assert hook["files"] == r"\.ya?ml$"


def test_installed_entry_point(maps: Path) -> None:
    journeyctl = str(Path(sys.executable).with_name("journeyctl"))
    result = subprocess.run([journeyctl, "fmt", "--check", "maps/a.yaml"], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (1, "Would reformat: maps/a.yaml\n")
