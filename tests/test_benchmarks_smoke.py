"""Keep the benchmarks working: the corpus generator's promises and a quick run of the harness.

The figures themselves are not tested (they depend on the machine); what is tested is that
the corpus is deterministic, valid and has the defects its manifest lists, that the diff pair
differs as intended, and that ``benchmarks/run.py --quick`` produces every row of the report.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from journeyctl.loader import load_bytes, load_file

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"

sys.path.insert(0, str(BENCHMARKS))
import make_corpus  # noqa: E402  (benchmarks/ is a directory of scripts, not a package)


def make(out: Path, *args: str) -> dict[str, Any]:
    assert make_corpus.main([str(out), *args]) == 0
    manifest: dict[str, Any] = json.loads((out / "MANIFEST.json").read_text())
    return manifest


def tree_bytes(directory: Path) -> dict[str, bytes]:
    files = sorted(p for p in directory.rglob("*") if p.is_file())
    return {str(p.relative_to(directory)): p.read_bytes() for p in files}


def test_same_seed_gives_byte_identical_corpus(tmp_path: Path) -> None:
    make(tmp_path / "a", "--maps", "12", "--seed", "5")
    make(tmp_path / "b", "--maps", "12", "--seed", "5")
    make(tmp_path / "c", "--maps", "12", "--seed", "6")
    first, second, other = (tree_bytes(tmp_path / n) for n in "abc")
    assert first == second
    assert len(first) == 13  # 12 maps and the manifest
    assert first != other


def test_maps_are_valid_and_exactly_the_listed_ones_have_findings(tmp_path: Path) -> None:
    from journeyctl.lint.engine import lint_map

    manifest = make(tmp_path, "--maps", "30", "--seed", "11")
    assert manifest["maps_with_defects"] == 6  # the default 20%
    flagged: set[str] = set()
    for name in manifest["files"]:
        loaded = load_file(tmp_path / name)
        # stale-map depends on today's date, the corpus's review dates are fixed.
        findings = [f for f in lint_map(loaded) if f.name != "stale-map"]
        if findings:
            flagged.add(name)
    assert flagged == set(manifest["defects"])


def test_default_shape_has_the_documented_size(tmp_path: Path) -> None:
    manifest = make(tmp_path, "--maps", "40")
    assert 9_000 < manifest["average_bytes"] < 15_000
    sample = (tmp_path / manifest["files"][0]).read_text()
    assert sample.startswith("# ") and "\n---\n" in sample  # comments and a document start
    journey = load_file(tmp_path / manifest["files"][0]).journey
    assert 4 <= len(journey.stages) <= 8
    assert all(3 <= len(stage.steps) <= 5 for stage in journey.stages)


def test_large_maps_lint_clean(tmp_path: Path) -> None:
    """A large map runs out of distinct actions; the generator says where a repeat happens."""
    from journeyctl.lint.engine import lint_map

    manifest = make(tmp_path, "--maps", "1", "--stages", "200", "--steps", "5")
    loaded = load_file(tmp_path / manifest["files"][0])
    assert len(list(loaded.journey.iter_steps())) == 1000
    assert [f for f in lint_map(loaded) if f.name != "stale-map"] == []


def test_mutated_large_map_differs_by_scattered_edits(tmp_path: Path) -> None:
    manifest = make(tmp_path / "large", "--maps", "1", "--stages", "30", "--steps", "5")
    original = tmp_path / "large" / manifest["files"][0]
    journey = load_file(original).journey
    assert len(journey.stages) == 30 and all(len(s.steps) == 5 for s in journey.stages)
    # Re-emitting a generated map reproduces it byte for byte, so the second version differs
    # only where it was edited.
    assert make_corpus.emit_map(make_corpus.load_generated(original)) == original.read_text()
    changed = tmp_path / "v2.yaml"
    assert make_corpus.main([str(changed), "--mutate-from", str(original), "--edits", "40"]) == 0
    new = load_bytes(changed.read_bytes(), str(changed)).journey
    old_steps = {s.id: (stage.id, s.emotion, s.action) for stage, s in journey.iter_steps()}
    new_steps = {s.id: (stage.id, s.emotion, s.action) for stage, s in new.iter_steps()}
    changed_steps = {k for k in old_steps.keys() & new_steps.keys() if old_steps[k] != new_steps[k]}
    assert len(changed_steps) >= 8
    assert len(changed_steps) < len(old_steps) / 2  # scattered edits, not a rewrite


TAGS = ("one", "large")
FORMATS = ("html", "md", "mermaid", "dot", "flow-svg", "svg", "png")


def test_quick_run_reports_every_row(tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    raw = tmp_path / "results.json"
    completed = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "run.py"),
            "--quick",
            "--bench-dir",
            str(tmp_path / "bench"),
            "--output",
            str(report),
            "--json",
            str(raw),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    results = {r["key"]: r for r in json.loads(raw.read_text())["results"]}
    expected = {
        "version", "yamllint-version", "compose-corpus",
        "validate-one", "validate-corpus-serial", "validate-corpus",
        "lint-one", "lint-one-cached", "yamllint-one", "cjs-one",
        "lint-small-serial", "lint-small", "yamllint-small",
        "lint-corpus-serial", "lint-corpus", "lint-corpus-cached",
        "yamllint-corpus", "cjs-corpus",
        *(f"render-{tag}-{fmt}" for tag in TAGS for fmt in FORMATS),
        "mmdc-one", "mmdc-large", "render-huge-html", "diff-large", "diff-huge", "deepdiff-large",
        "fmt-one", "yamlfix-one", "fmt-subset-serial", "fmt-subset", "yamlfix-subset",
        "lint-worst-suppressions", "render-worst-word-dot", "render-worst-word-svg",
        "server-diagnostics-one", "server-diagnostics-large", "server-completion-one",
        "server-completion-large", "server-memory-corpus",
    }  # fmt: skip
    assert set(results) == expected
    # Each row says what it printed: the corpus's known findings, from the cache too.
    manifest = json.loads((tmp_path / "bench" / "quick" / "corpus-20" / "MANIFEST.json").read_text())
    assert manifest["maps_with_defects"] > 0
    if results["lint-corpus"]["status"] == "ok":
        printed = results["lint-corpus"]["printed"]
        assert printed.endswith(" findings") and int(printed.split()[0]) >= manifest["maps_with_defects"]
        assert results["lint-corpus-serial"]["printed"] == printed
        assert results["lint-corpus-cached"]["printed"] == printed
        assert results["lint-one"]["printed"] == results["lint-one-cached"]["printed"] == "0 findings"
    # The server rows print the server's own figure (the test extra installs the server's).
    assert results["server-diagnostics-one"]["printed"].startswith("time: median ")
    assert "for a workspace of 20 maps" in results["server-memory-corpus"]["printed"]
    if results["diff-huge"]["status"] == "ok":
        assert int(results["diff-huge"]["printed"].split()[0]) > int(
            results["diff-large"]["printed"].split()[0]
        )

    journeyctl = str(Path(sys.executable).parent / "journeyctl")
    help_text = subprocess.run([journeyctl, "--help"], capture_output=True, text=True, check=True).stdout
    for key, result in results.items():
        status = result["status"]
        if key == "compose-corpus" or key == "version":
            assert status == "ok"
        command = key.split("-")[0]
        if command in ("validate", "lint", "render", "diff", "fmt") and f"  {command} " not in help_text:
            assert status == "n/a: command not available"
        elif command in ("validate", "lint", "render", "diff", "fmt"):
            assert status == "ok", (key, status)
        else:
            assert status == "ok" or status.startswith("skipped (quick): "), (key, status)
        if status == "ok":
            assert result["median_s"] > 0 and result["peak_rss_kb"] > 1000
            assert result["peak_tree_pss_kb"] >= result["peak_rss_kb"]

    text = report.read_text()
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert table[0].startswith("| Benchmark | Command | Median | Min–max | Peak RSS")
    for result in results.values():
        assert any(line.startswith(f"| {result['label']} | `") for line in table), result["label"]
    assert "| Goal | Measured | Met |" in text
    assert "Machine: " in text and "Corpus: 20 maps" in text
    if results["yamllint-corpus"]["status"] == "ok":
        label = "| journeyctl lint, 20 maps, 1 job per core"
        lint_row = next(line for line in table if line.startswith(label))
        assert "than yamllint" in lint_row


@pytest.mark.parametrize("argv", [["--maps", "0"], ["--maps", "2", "--stages", "0"]])
def test_generator_refuses_empty_shapes(tmp_path: Path, argv: list[str]) -> None:
    with pytest.raises(SystemExit) as info:
        make_corpus.main([str(tmp_path), *argv])
    assert info.value.code == 2
