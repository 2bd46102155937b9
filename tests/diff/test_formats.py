"""The three report formats against golden files, markdown escaping, colour, exit codes.

Refresh the goldens with ``pytest tests/diff --update-goldens`` and review the diff.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from journeyctl.cli import run

HERE = Path(__file__).parent
OLD = HERE / "cases" / "_base.yaml"
NEW = HERE / "cases" / "_golden_new.yaml"
GOLDENS = HERE / "goldens"
ANSI = re.compile(r"\x1b\[([0-9;]*)m")


def colours(text: str) -> list[str]:
    """SGR colour parameters (foreground or background) in ``text``; bold and italic are not colours."""
    found = []
    for params in ANSI.findall(text):
        for param in params.split(";"):
            if param and (30 <= int(param) <= 48 or 90 <= int(param) <= 107):
                found.append(param)
    return found


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    (tmp_path / "old.yaml").write_bytes(OLD.read_bytes())
    (tmp_path / "new.yaml").write_bytes(NEW.read_bytes())
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return "old.yaml", "new.yaml"


@pytest.mark.parametrize(
    ("fmt", "golden"), [("text", "report.txt"), ("md", "report.md"), ("json", "report.json")]
)
def test_golden(
    pair: tuple[str, str], fmt: str, golden: str, update_goldens: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["diff", *pair, "--format", fmt])
    out, err = capsys.readouterr()
    assert code == 1 and err == ""
    path = GOLDENS / golden
    if update_goldens:
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")


def test_markdown_escapes_user_text(pair: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    run(["diff", *pair, "--format", "markdown"])
    out = capsys.readouterr().out
    assert "<script>" not in out and "<b>" not in out
    assert "&lt;script&gt;" in out
    assert "@octocat" not in out and "@&#8203;octocat" in out  # no mention notification
    assert "\\*parent\\*" in out
    assert "Shop \\| &lt;b&gt;online&lt;/b&gt;" in out  # a pipe does not break the table
    assert "[link](http" not in out
    # Every table row has the same number of unescaped cell separators as its header.
    for table in re.findall(r"((?:^\|.*\n)+)", out, flags=re.M):
        rows = table.strip().splitlines()
        widths = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
        assert len(widths) == 1, rows


def test_markdown_alias_and_regressions_first(
    pair: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    run(["diff", *pair, "--format", "md"])
    short = capsys.readouterr().out
    run(["diff", *pair, "--format", "markdown"])
    assert capsys.readouterr().out == short
    assert short.index("**Regressions") < short.index("Improvements (") < short.index("Neutral changes (")


def test_json_is_documented_shape(pair: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    run(["diff", *pair, "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert data["version"] == 1
    assert set(data) == {"version", "old", "new", "summary", "maps"}
    [entry] = data["maps"]
    assert set(entry) == {"id", "title", "status", "old_path", "new_path", "counts", "emotion", "changes"}
    keys = {"kind", "entity", "id", "path", "field", "old", "new", "classification", "name", "message"}
    assert all(set(change) == keys for change in entry["changes"])
    ranks = [("regression", "improvement", "neutral").index(c["classification"]) for c in entry["changes"]]
    assert ranks == sorted(ranks)
    assert sum(entry["counts"].values()) == len(entry["changes"])


@pytest.mark.parametrize(("fail_on", "expected"), [("regression", 1), ("any", 1), ("never", 0)])
def test_fail_on_with_regressions(pair: tuple[str, str], fail_on: str, expected: int) -> None:
    assert run(["diff", *pair, "--fail-on", fail_on, "-o", "report.txt"]) == expected


def test_fail_on_without_regressions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    base = OLD.read_text(encoding="utf-8")
    Path("old.yaml").write_text(base, encoding="utf-8")
    Path("new.yaml").write_text(base.replace("value: 20}", "value: 25}"), encoding="utf-8")  # nps up
    assert run(["diff", "old.yaml", "new.yaml", "-o", "r.txt"]) == 0
    assert run(["diff", "old.yaml", "new.yaml", "-o", "r.txt", "--fail-on", "any"]) == 1
    assert run(["diff", "old.yaml", "old.yaml", "-o", "r.txt", "--fail-on", "any"]) == 0


def test_piped_text_keeps_each_change_on_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    base = OLD.read_text(encoding="utf-8")
    long_title = "A " + "very " * 300 + "long title"  # wider than any terminal, and than 1,000 columns
    Path("old.yaml").write_text(base, encoding="utf-8")
    Path("new.yaml").write_text(
        re.sub(r"(?m)^title: .*$", f"title: {long_title}", base, count=1), encoding="utf-8"
    )
    assert run(["diff", "old.yaml", "new.yaml", "--fail-on", "never"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line[:30] for line in lines] == [
        "old.yaml -> new.yaml  'A very ",
        "└── journey",
        "    └── • journey: title: 'Sho",
        "1 map changed (old.yaml -> new",
    ]
    assert len(lines[2]) > 1000 and lines[2].endswith("long title'")


def test_output_file_is_plain_text(
    pair: tuple[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    run(["diff", *pair, "--output", "out/report.txt"])
    assert capsys.readouterr().out == ""
    written = Path("out/report.txt").read_text(encoding="utf-8")
    assert not ANSI.search(written)
    assert written == (GOLDENS / "report.txt").read_text(encoding="utf-8")
    assert [p.name for p in Path("out").iterdir()] == ["report.txt"]  # no temporary file left


def test_colour_and_no_color(
    pair: tuple[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    run(["diff", *pair])
    coloured = capsys.readouterr().out
    assert "31" in colours(coloured)  # regressions in red
    monkeypatch.setenv("NO_COLOR", "1")
    run(["diff", *pair])
    plain = capsys.readouterr().out
    assert colours(plain) == []  # NO_COLOR: no colour (bold and italic may stay, as the convention allows)
    assert ANSI.sub("", coloured) == ANSI.sub("", plain)
