"""``journeyctl import`` through the CLI: where maps go, what is never overwritten, exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from journeyctl.cli import run
from journeyctl.loader import load_file

DIAGRAM = "journey\n  title Buying a bike\n  section Buy\n    Pays: 2: Rider\n"
TWO_BLOCKS = (
    "# Journeys\n\n```mermaid\njourney\n  title One\n  section A\n    Task: 3\n```\n\n"
    "```mermaid\njourney\n  title Two\n  section B\n    Task: 4\n```\n"
)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bike.mmd").write_text(DIAGRAM)
    (tmp_path / "README.md").write_text(TWO_BLOCKS)
    return tmp_path


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(["import", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_to_stdout_with_its_origin_on_top(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "bike.mmd")
    assert code == 0
    assert out.startswith("# Imported from bike.mmd by 'journeyctl import' (mermaid).\n")
    assert "id: buying-a-bike\n" in out and "        emotion: -1\n" in out
    assert err.startswith("Imported 1 stage, 1 step, 1 persona to stdout; ")
    assert "lint findings show what to fill in" in err


def test_to_a_file_then_never_over_it_without_force(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(capsys, "bike.mmd", "-o", "maps/bike.yaml")[0] == 0
    assert load_file(workdir / "maps" / "bike.yaml").journey.id == "buying-a-bike"
    (workdir / "maps" / "bike.yaml").write_text("# mine\n")
    code, _, err = cli(capsys, "bike.mmd", "-o", "maps/bike.yaml")
    assert code == 2 and "maps/bike.yaml exists; give --force to replace it" in err
    assert (workdir / "maps" / "bike.yaml").read_text() == "# mine\n"
    assert cli(capsys, "bike.mmd", "-o", "maps/bike.yaml", "--force")[0] == 0
    assert (workdir / "maps" / "bike.yaml").read_text().startswith("# Imported from bike.mmd")


def test_never_over_the_source_even_with_force(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "bike.mmd", "-o", "./bike.mmd", "--force")
    assert code == 2 and "that is the source being imported" in err
    assert (workdir / "bike.mmd").read_text() == DIAGRAM


def test_several_journeys_need_a_directory(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "README.md")
    assert (code, out) == (2, "")
    assert "README.md holds 2 journeys: give -o DIR to write one map per journey (one.yaml, two.yaml)" in err
    assert cli(capsys, "README.md", "-o", "maps")[0] == 0
    assert sorted(p.name for p in (workdir / "maps").iterdir()) == ["one.yaml", "two.yaml"]
    assert "(the Mermaid journey at line 4)" in (workdir / "maps" / "one.yaml").read_text()


def test_bad_source_is_located_and_writes_nothing(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "bad.mmd").write_text("journey\n  section A\n    Task: 9: Me\n")
    code, _, err = cli(capsys, "bad.mmd", "-o", "bad.yaml")
    assert code == 2
    assert err.startswith("bad.mmd:3:11: error: score 9 is outside 1..5")
    assert not (workdir / "bad.yaml").exists()
    code, _, err = cli(capsys, "bad.mmd", "-o", "bad.yaml", "--clamp")
    assert code == 0 and "bad.mmd:3:11: warning: score 9 is outside 1..5: clamped to 5" in err


def test_format_from_the_name_or_forced(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "board.txt").write_text("Stage,Doing\nA,Acts\n")
    code, _, err = cli(capsys, "board.txt")
    assert code == 2 and "cannot tell the source format from the file name; give --from FORMAT" in err
    assert cli(capsys, "board.txt", "--from", "csv")[0] == 0
    code, _, err = cli(capsys, "board.txt", "--from", "cvs")
    assert code == 2 and "unknown source format 'cvs' (did you mean 'csv'?)" in err
    code, _, err = cli(capsys, "bike.mmd", "--shape", "grid")
    assert code == 2 and "--shape does not apply to mermaid sources" in err


def test_list_and_missing_file(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "--list")
    assert code == 0 and out.splitlines()[1].startswith("mermaid  *.mmd *.mermaid *.md *.markdown")
    code, _, err = cli(capsys, "nope.mmd")
    assert code == 2 and "nope.mmd: no such file" in err


def test_installed_entry_point_writes_a_map_that_lints(workdir: Path) -> None:
    journeyctl = str(Path(sys.executable).with_name("journeyctl"))
    result = subprocess.run(
        [journeyctl, "import", "bike.mmd", "-o", "bike.yaml"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    lint = subprocess.run([journeyctl, "lint", "--isolated", "bike.yaml"], capture_output=True, text=True)
    assert lint.returncode == 1  # the gaps to fill in
    assert "stage-without-touchpoints" in lint.stdout
    fmt = subprocess.run([journeyctl, "fmt", "--check", "bike.yaml"], capture_output=True, text=True)
    assert fmt.returncode == 0  # written as fmt writes it


def test_a_csv_not_in_utf8_is_located(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "board.csv").write_bytes("Stage,Doing\nCaf\u00e9,Orders\n".encode("cp1252"))
    code, _, err = cli(capsys, "board.csv")
    assert code == 2
    assert err.startswith("board.csv:2:4: error: file is not valid UTF-8: byte 0xe9 cannot be decoded")
