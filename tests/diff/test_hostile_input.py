"""``journeyctl diff`` with hostile file names and numbers: every format stays literal, whole and strict.

Through the installed entry point, where rich markup in names crashed the text output.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from journeyctl.diff.compare import _same
from journeyctl.diff.formats import _jsonable, md_cell_code

HERE = Path(__file__).parent
OLD = HERE / "cases" / "_base.yaml"
NEW = HERE / "cases" / "_golden_new.yaml"
JOURNEYCTL = str(Path(sys.executable).with_name("journeyctl"))


def journeyctl(*args: str | bytes, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    # Outside a repository means outside any: git must not find one above the temporary directory.
    env = {**os.environ, "NO_COLOR": "1", "GIT_CEILING_DIRECTORIES": str(cwd.parent)}
    env.pop("FORCE_COLOR", None)
    result = subprocess.run(
        [JOURNEYCTL, *args], cwd=cwd, capture_output=True, timeout=60, check=False, env=env
    )
    assert b"Traceback" not in result.stderr and b"internal error" not in result.stderr, result.stderr
    return result


def no_constants(name: str) -> Any:
    raise ValueError(f"non-standard JSON constant {name}")


@pytest.fixture
def hostile_pair(tmp_path: Path) -> tuple[bytes, bytes]:
    """The golden pair under names that are rich markup, hold a newline, or are not UTF-8."""
    (tmp_path / "x[").mkdir()
    old, new = b"x[/y].yaml", b"[bold]new\nname\xff.yaml"
    (tmp_path / os.fsdecode(old)).write_bytes(OLD.read_bytes())
    (tmp_path / os.fsdecode(new)).write_bytes(NEW.read_bytes())
    return old, new


def test_text_shows_markup_in_names_literally_and_keeps_lines_whole(
    tmp_path: Path, hostile_pair: tuple[bytes, bytes]
) -> None:
    result = journeyctl("diff", *hostile_pair, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    text = result.stdout.decode("utf-8")
    first, *rest = text.splitlines()
    assert first.startswith('x[/y].yaml -> "[bold]new\\nname\\xff.yaml"  ')
    assert rest[-1].startswith('1 map changed (x[/y].yaml -> "[bold]new\\nname\\xff.yaml"): ')
    same = journeyctl("diff", hostile_pair[0], hostile_pair[0], cwd=tmp_path)
    assert same.returncode == 0
    assert same.stdout.decode("utf-8") == "No changes in journey maps (x[/y].yaml -> x[/y].yaml).\n"


def test_markdown_keeps_names_literal_and_on_one_line(
    tmp_path: Path, hostile_pair: tuple[bytes, bytes]
) -> None:
    result = journeyctl("diff", *hostile_pair, "-f", "md", cwd=tmp_path)
    assert result.returncode == 1
    text = result.stdout.decode("utf-8")
    assert "`x[/y].yaml` → `[bold]new\\nname\\xff.yaml`" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "modified" in line]
    assert len(rows) == 1 and rows[0].count(" | ") == 5


def test_json_is_strict_and_utf8(tmp_path: Path, hostile_pair: tuple[bytes, bytes]) -> None:
    result = journeyctl("diff", *hostile_pair, "-f", "json", cwd=tmp_path)
    assert result.returncode == 1
    document = json.loads(result.stdout.decode("utf-8"), parse_constant=no_constants)
    assert document["old"] == "x[/y].yaml"
    assert document["new"] == "[bold]new\nname\ufffd.yaml"


NON_FINITE = """\
journeyctl: 1
id: m
title: M
stages:
  - id: s
    name: S
    metrics:
      - {{id: m1, name: M1, value: {first}}}
      - {{id: m2, name: M2, value: {second}}}
"""


@pytest.mark.parametrize(("first", "second"), [(".nan", ".inf"), ('"1e999"', "-.inf")])
def test_non_finite_numbers_never_reach_the_json(tmp_path: Path, first: str, second: str) -> None:
    (tmp_path / "a.yaml").write_text(NON_FINITE.format(first=first, second=second))
    (tmp_path / "b.yaml").write_text(NON_FINITE.format(first=first, second="2"))
    for pair in (("a.yaml", "b.yaml"), ("a.yaml", "a.yaml")):
        result = journeyctl("diff", *pair, "-f", "json", "--fail-on", "any", cwd=tmp_path)
        if result.returncode == 2:  # refused when the map loads (a located error), or...
            assert b"a.yaml:8:" in result.stderr
            continue
        document = json.loads(result.stdout.decode("utf-8"), parse_constant=no_constants)
        if pair[0] == pair[1]:  # ... compared: NaN is the same as NaN, so a map equals itself
            assert result.returncode == 0 and document["summary"]["changed_maps"] == 0


def test_nan_is_the_same_as_nan_and_json_gets_words() -> None:
    assert _same(math.nan, math.nan) and _same(1.5, 1.5) and not _same(math.nan, 1.0)
    assert not _same(1, 1.0) and not _same(None, 0)
    assert [_jsonable(v) for v in (math.nan, math.inf, -math.inf, 2.5)] == ["nan", "inf", "-inf", 2.5]


def test_a_pipe_in_a_name_stays_inside_its_table_cell() -> None:
    assert md_cell_code("maps/a|b.yaml") == "`maps/a\\|b.yaml`"


def test_git_driver_prints_markup_in_names_literally(
    tmp_path: Path, hostile_pair: tuple[bytes, bytes]
) -> None:
    # As git runs the driver: path old-file old-hex old-mode new-file new-hex new-mode.
    old, new = (os.fsdecode(name) for name in hostile_pair)
    result = journeyctl(
        "diff", "--git-driver", old, old, "0" * 7, "100644", new, "1" * 7, "100644", cwd=tmp_path
    )
    assert result.returncode == 0
    assert result.stdout.decode("utf-8").startswith("diff --journeyctl a/x[/y].yaml b/x[/y].yaml\n")


HOSTILE_TEXT = r"X\n\t <]]>&\"[bold] [/y] `code` | %0A ::error:: \u2028 @someone"
HOSTILE_OLD = f"""\
journeyctl: 1
id: hostile
title: "{HOSTILE_TEXT}"
stages:
  - id: s
    name: "{HOSTILE_TEXT}"
    steps:
      - {{id: a, action: "{HOSTILE_TEXT}", emotion: 1}}
    pain-points:
      - {{id: p, description: "{HOSTILE_TEXT}", step: a}}
"""


def test_hostile_text_in_every_field_stays_inert_in_every_format(tmp_path: Path) -> None:
    (tmp_path / "old.yaml").write_text(HOSTILE_OLD)
    changed = HOSTILE_OLD.replace("emotion: 1", "emotion: -2").replace("id: p,", "id: q,")
    (tmp_path / "new.yaml").write_text(changed.replace('title: "X', 'title: "Y'))
    outputs = {
        fmt: journeyctl("diff", "old.yaml", "new.yaml", "-f", fmt, cwd=tmp_path)
        for fmt in ("text", "md", "json")
    }
    assert all(result.returncode == 1 for result in outputs.values())
    document = json.loads(outputs["json"].stdout.decode("utf-8"), parse_constant=no_constants)
    assert "\u2028" in document["maps"][0]["title"]  # JSON carries the text exactly, escaped
    for fmt in ("text", "md"):
        text = outputs[fmt].stdout.decode("utf-8")
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", text), fmt
        assert "[bold] [/y]" in text if fmt == "text" else "\\[bold\\] \\[/y\\]" in text
