"""Project rules through ``journeyctl lint DIR``: they see every map, parallel output equals serial,
suppressions and per-file ignores apply, and rules that are off cost nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from journeyctl.cli import run
from journeyctl.config import Overrides, build_lint_config
from journeyctl.lint.engine import lint_candidate
from journeyctl.walk import Candidate

CURRENT = """\
journeyctl: 1
id: shop-today
title: Shop today
include: [shared/people.yaml]
stages:
  - id: browse
    name: Browse
    steps:
      - {{ id: looks, action: Looks around, persona: renter }}
    pain-points:
      - {{ id: slow-search, description: Search is slow. }}
  - {{ id: returns, name: Returns }}
"""

FUTURE = """\
journeyctl: 1
id: shop-future
title: Shop, future
state: future
baseline: shop-today
stages:
  - id: browse
    name: Browse
    opportunities:
      - {{ id: fast-search, description: A fast search., resolves: [slow-serch] }}
"""

SHARED = """\
journeyctl-shared: 1
personas:
  - { id: renter, name: Renter }
  - { id: landlord, name: Landlord }
"""

FILLER = """\
journeyctl: 1
id: {ident}
title: Filler {number}
stages:
  - {{ id: s, name: S }}
"""


@pytest.fixture
def maps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository of 40 maps (enough for the process pool): ties to check, and a duplicate id."""
    (tmp_path / ".git").mkdir()
    root = tmp_path / "maps"
    (root / "shared").mkdir(parents=True)
    (root / "shared" / "people.yaml").write_text(SHARED, encoding="utf-8")
    (root / "shop-today.yaml").write_text(CURRENT.format(), encoding="utf-8")
    (root / "shop-future.yaml").write_text(FUTURE.format(), encoding="utf-8")
    for number in range(37):
        ident = "filler-07" if number == 30 else f"filler-{number:02d}"  # filler-30 copies filler-07's id
        (root / f"filler-{number:02d}.yaml").write_text(FILLER.format(ident=ident, number=number), "utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "FORCE_COLOR", "CI"):
        monkeypatch.delenv(name, raising=False)
    return root


def lint_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, object]]]:
    code = run(["lint", "--isolated", "--select", "JM9", "-f", "json", *args])
    return code, json.loads(capsys.readouterr().out)["findings"]


def test_project_rules_see_every_map_of_the_directory(maps: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, findings = lint_json(capsys, "-j", "1", "maps")
    assert code == 1
    found = [(f["path"], f["line"], f["column"], f["code"]) for f in findings]
    assert found == [
        ("maps/filler-30.yaml", 2, 5, "JM902"),
        ("maps/shared/people.yaml", 4, 5, "JM903"),
        ("maps/shop-future.yaml", 6, 1, "JM904"),
        ("maps/shop-future.yaml", 10, 68, "JM905"),
    ]
    messages = {f["code"]: f["message"] for f in findings}
    assert "already the id of maps/filler-07.yaml:2" in str(messages["JM902"])
    assert "(did you mean 'slow-search'?)" in str(messages["JM905"])
    assert "stage 'returns' (Returns)" in str(messages["JM904"])


@pytest.mark.parametrize("output_format", ["concise", "json", "sarif"])
def test_parallel_output_equals_serial(
    maps: Path, capsys: pytest.CaptureFixture[str], output_format: str
) -> None:
    outputs = []
    for jobs in ("1", "2"):
        run(["lint", "--isolated", "--preset", "strict", "-f", output_format, "-j", jobs, "maps"])
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    assert "JM902" in outputs[0] and "JM905" in outputs[0]


def test_one_future_map_finds_its_baseline_in_the_repository(
    maps: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, findings = lint_json(capsys, "maps/shop-future.yaml")
    assert code == 1
    assert [(f["path"], f["code"]) for f in findings] == [
        ("maps/shop-future.yaml", "JM904"),
        ("maps/shop-future.yaml", "JM905"),
    ]


def test_suppression_comments_and_per_file_ignores_apply(
    maps: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    future = maps / "shop-future.yaml"
    future.write_text(
        FUTURE.format().replace(
            "resolves: [slow-serch] }", "resolves: [slow-serch] }  # journeyctl: disable=JM905"
        ),
        encoding="utf-8",
    )
    (maps.parent / ".journeyctl.yaml").write_text(
        "select: [JM9]\nper-file-ignores:\n  'maps/filler-*.yaml': [duplicate-map-id]\n", encoding="utf-8"
    )
    run(["lint", "-f", "concise", "maps"])
    out = capsys.readouterr().out
    assert "JM905" not in out and "JM902" not in out
    assert "maps/shop-future.yaml:6:1: JM904" in out


def test_no_facts_are_gathered_when_no_project_rule_runs(maps: Path) -> None:
    candidate = Candidate("maps/shop-future.yaml", True)
    without = build_lint_config(None, Overrides(select=["JM1"]))
    assert lint_candidate(candidate, without, None).facts is None
    with_project = build_lint_config(None, Overrides(select=["JM901"]))
    facts = lint_candidate(candidate, with_project, None).facts
    assert facts is not None and getattr(facts, "ident", None) == "shop-future"


def test_rules_lists_project_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["rules", "JM902", "--format", "markdown"]) == 0
    assert "project rule: sees every map of a run" in capsys.readouterr().out


def test_each_file_s_own_configuration_governs_its_project_findings(
    maps: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # filler-30 (the second file with filler-07's id) lives under a configuration that turns
    # duplicate-map-id off; the same duplicate seen from a directory that keeps it is reported.
    (maps / "filler-30.yaml").rename(maps / "shared" / "filler-30.yaml")
    (maps / "shared" / ".journeyctl.yaml").write_text("ignore: [duplicate-map-id]\n", encoding="utf-8")
    (maps.parent / ".journeyctl.yaml").write_text("select: [JM9]\nrules: {JM904: error}\n", encoding="utf-8")
    run(["lint", "-f", "concise", "maps"])
    out = capsys.readouterr().out
    assert "JM902" not in out
    assert "maps/shop-future.yaml:6:1: JM904" in out
    (maps / "shared" / ".journeyctl.yaml").write_text("select: [JM902]\n", encoding="utf-8")
    run(["lint", "-f", "concise", "maps"])
    assert "maps/shared/filler-30.yaml:2:5: JM902" in capsys.readouterr().out


MAP = "journeyctl: 1\nid: {ident}{comment}\ntitle: T\nstages:\n  - {{id: s, name: S}}\n"


@pytest.mark.parametrize("cache", ["--no-cache", "--cache-dir=.cache"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_suppression_of_a_project_rule_is_judged_once_the_run_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], jobs: str, cache: str
) -> None:
    """JM001 judges comments naming project rules too: used while the finding is there, reported
    once it is gone; never for a rule that did not run; silenced by a comment naming JM001."""
    monkeypatch.chdir(tmp_path)
    comment = "  # journeyctl: disable=JM902"
    (tmp_path / "a.yaml").write_text(MAP.format(ident="same", comment=""))
    (tmp_path / "b.yaml").write_text(MAP.format(ident="same", comment=comment))
    argv = ["lint", "--isolated", "--select", "JM9,JM001", "-f", "json", "-j", jobs, cache, "."]

    def findings() -> list[tuple[str, int, str, str]]:
        run(argv)
        found = json.loads(capsys.readouterr().out)["findings"]
        return [(f["path"], f["line"], f["code"], f["message"]) for f in found]

    assert findings() == []  # the duplicate id is silenced, so the comment is used
    (tmp_path / "b.yaml").write_text(MAP.format(ident="other", comment=comment))
    unused = ("b.yaml", 2, "JM001", "unused suppression of JM902: no JM902 finding on the line it covers")
    assert findings() == [unused]
    assert findings() == [unused]  # from the cache, when there is one
    argv[3] = "JM901,JM001"  # JM902 did not run: its suppression is not judged
    assert findings() == []
    argv[3] = "JM9,JM001"
    (tmp_path / "b.yaml").write_text(MAP.format(ident="other", comment=comment + ",JM001"))
    assert findings() == []
