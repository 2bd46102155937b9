"""Suppression comments, used and unused (cases as data in cases/suppressions.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from journeyctl.config import Overrides, build_lint_config
from journeyctl.lint.engine import lint_candidate
from journeyctl.lint.registry import get_registry
from journeyctl.lint.suppressions import ALL, SuppressionIndex, scan
from journeyctl.walk import Candidate

from .helpers import HERE

DATA: dict[str, Any] = yaml.safe_load((HERE / "cases" / "suppressions.yaml").read_text())
CASES: list[dict[str, Any]] = DATA["cases"]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_suppression_case(case: dict[str, Any], tmp_path: Path) -> None:
    select = case.get("select", DATA["defaults"]["select"])
    config = build_lint_config(None, Overrides(select=select))
    path = tmp_path / "map.yaml"
    path.write_text(case["map"], encoding="utf-8")
    report = lint_candidate(Candidate(str(path), True), config, None)
    found = [[f.code, f.location.line, f.location.col] for f in report.findings]
    assert found == case["expected"], "\n".join(
        f"{f.location}: {f.code} {f.message}" for f in report.findings
    )


def test_unused_messages_say_what_is_wrong(tmp_path: Path) -> None:
    config = build_lint_config(None, Overrides(select=["JM101", "JM103", "JM001"]))
    path = tmp_path / "map.yaml"
    path.write_text(
        "journeyctl: 1\nid: m\ntitle: M\nstages:\n"
        "  - id: a  # journeyctl: disable=JM101,JM103,stage-without-touchpoint\n"
        "    name: A\n    goals: [G]\n"
    )
    report = lint_candidate(Candidate(str(path), True), config, None)
    assert [f.message for f in report.findings] == [
        "'disable' names unknown rule 'stage-without-touchpoint'",
        "unused suppression of JM103: no JM103 finding on the line it covers",
    ]
    assert {(f.code, f.name, f.severity) for f in report.findings} == {
        ("JM001", "unused-suppression", "warning")
    }


def test_scan_parses_codes_names_and_scope() -> None:
    known = get_registry().code_map()
    text = (
        "journeyctl: 1\n"
        "# journeyctl: disable=stale-map\n"
        "id: m  #journeyctl:disable=JM101 , JM103 and some words\n"
        "title: M  # journeyctl: disable-file=nope\n"
        "# journeyctl: disable\n"
    )
    found = scan(text, "m.yaml", known)
    assert [
        (s.location.line, s.location.col, s.whole_file, sorted(s.lines), s.codes, s.unknown) for s in found
    ] == [
        (2, 1, False, [3], ("JM504",), ()),
        (3, 8, False, [3], ("JM101", "JM103"), ()),
        (4, 11, True, [], (), ("nope",)),
        (5, 1, False, [6], (ALL,), ()),
    ]


def test_scan_is_skipped_when_the_text_cannot_hold_a_suppression() -> None:
    assert scan("journeyctl: 1\nid: m  # disable=JM101\n", "m.yaml", {}) == []


def test_scan_counts_lines_and_columns_of_many_comments_on_one_line() -> None:
    known = get_registry().code_map()
    text = "journeyctl: 1\nid: m\n\t  # journeyctl: disable=JM101 # journeyctl: disable\nx: 1" + (
        "  # journeyctl: disable=JM103" * 3
    )
    found = scan(text, "m.yaml", known)
    assert [(s.location.line, s.location.col, s.lines, s.codes) for s in found] == [
        (3, 4, frozenset({4}), ("JM101",)),  # on a line of its own (after blanks): the next line
        (3, 32, frozenset({3}), (ALL,)),  # after text on its line: that line
        (4, 7, frozenset({4}), ("JM103",)),
        (4, 36, frozenset({4}), ("JM103",)),
        (4, 65, frozenset({4}), ("JM103",)),
    ]


def test_thousands_of_comments_on_one_line_cost_linear_time(tmp_path: Path) -> None:
    # Every unused comment is a JM001 finding, and each finding looked at every comment of its
    # file: 20,000 comments on one line took 114 s. Indexed by (line, code), 10,000 take
    # ~0.1 s here (the old code ~28 s); the bound is generous for a loaded machine.
    import time

    config = build_lint_config(None, Overrides(select=["JM101", "JM001"]))
    path = tmp_path / "map.yaml"
    comments = "  # journeyctl: disable=JM101" * 10_000
    path.write_text(f"journeyctl: 1\nid: m\ntitle: M\nstages:\n  - id: a\n    name: A{comments}\n")
    started = time.perf_counter()
    report = lint_candidate(Candidate(str(path), True), config, None)
    assert time.perf_counter() - started < 5
    assert [(f.code, f.location.line) for f in report.findings] == [("JM101", 5)] + [("JM001", 6)] * 10_000
    assert report.findings[1].location.col == 14
    assert report.findings[-1].location.col == 14 + 29 * 9_999


def test_scan_resolves_prefixes_and_reads_directives_in_any_case() -> None:
    known = get_registry().code_map()
    text = "journeyctl: 1\nid: m  # JourneyCtl: DISABLE=jm10, stale-map, JM99\n# journeyctl: disable JM101\n"
    prefixed, forgot = scan(text, "m.yaml", known)
    assert prefixed.codes == ("JM504",)
    assert [(prefix, sorted(codes)) for prefix, codes in prefixed.prefixes] == [
        ("JM10", sorted(code for code in get_registry().codes if code.startswith("JM10")))
    ]
    assert prefixed.unknown == ("JM99",)
    index = SuppressionIndex([prefixed])
    assert index.silence("JM103", 2) and not index.silence("JM201", 2)
    assert prefixed.used == {"JM10"}  # what the unused report looks for: the prefix as written
    assert (forgot.codes, forgot.missing_equals) == ((ALL,), "JM101")
