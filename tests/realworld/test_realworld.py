"""Journeys someone else wrote, through every capability: import, validate, lint, fmt, render, diff.

The material (Mermaid diagrams from public repositories, journey-map spreadsheet
templates, maps from the mapping literature) and where each piece comes from are
in README.md; what journeyctl must do with each is data, in sources.yaml. Each
source is imported as ``journeyctl import`` does it; each map it gives is then
validated, linted (every finding inside the file), checked by ``fmt --check``,
rendered to every text format twice (identical bytes), exported to CSV and read
back (the same map but its title and summary, and ``journeyctl diff`` says just
that), and exported to Mermaid, which Mermaid's own parser must read as the
original diagram (one Node run for all) and mermaid-cli must draw (one browser
run for all).
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from html import unescape as html_unescape
from pathlib import Path
from typing import Any

import pytest
import yaml

from journeyctl.cli import run
from journeyctl.errors import MapInvalid
from journeyctl.importers import ImportedMap, get_importer, parse_options
from journeyctl.importers import csv as csv_importer
from journeyctl.importers import mermaid as mermaid_importer
from journeyctl.importers.command import map_text
from journeyctl.loader import load_bytes, load_file
from journeyctl.model import dump
from journeyctl.renderers import csv as csv_renderer
from journeyctl.renderers import mermaid as mermaid_renderer
from tests.conftest import require_tool
from tests.importers.test_mermaid_import import mermaid_parse
from tests.renderers.test_mermaid import mmdc

HERE = Path(__file__).resolve().parent
SOURCES = yaml.safe_load((HERE / "sources.yaml").read_text(encoding="utf-8"))
TEXT_FORMATS = ("html", "md", "mermaid", "dot", "csv")


@dataclass(frozen=True)
class Source:
    """One piece of material and what its import must give."""

    file: str
    importer: str
    options: tuple[tuple[str, Any], ...] = ()  # as pairs: a Source is hashable, the cache's key
    errors: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    mermaid: str | None = None
    exported: tuple[str, ...] = ()

    @property
    def path(self) -> Path:
        return HERE / self.file


def _sources(kind: str, importer: str) -> list[Source]:
    return [
        Source(
            file=entry["file"],
            importer=importer,
            options=tuple(entry.get("options", {}).items()),
            errors=tuple(entry.get("errors", ())),
            notices=tuple(entry.get("notices", ())),
            mermaid=entry.get("mermaid"),
            exported=tuple(entry.get("exported", ())),
        )
        for entry in SOURCES[kind]
    ]


ALL = [*_sources("mermaid", "mermaid"), *_sources("csv", "csv")]
IMPORTED = [source for source in ALL if not source.errors]


def _id(source: Source) -> str:
    return Path(source.file).name


@cache
def imported(source: Source) -> tuple[ImportedMap, ...]:
    """The maps ``journeyctl import`` makes of a source (cached: every test starts from them)."""
    importer = get_importer(source.importer)
    options = parse_options(importer, dict(source.options))
    text = source.path.read_text(encoding="utf-8-sig")
    return tuple(importer.import_source(text, source.path.name, options))


def located(location: Any, message: str) -> str:
    return f"{location.line}:{location.col}: {message}"


def starts_as_expected(found: list[str], expected: tuple[str, ...]) -> bool:
    return len(found) == len(expected) and all(f.startswith(e) for f, e in zip(found, expected, strict=True))


@pytest.fixture(scope="module")
def map_files(tmp_path_factory: pytest.TempPathFactory) -> dict[Source, list[Path]]:
    """Each imported map written as ``journeyctl import -o DIR`` writes it."""
    directory = tmp_path_factory.mktemp("imported")
    files: dict[Source, list[Path]] = {}
    for number, source in enumerate(IMPORTED):
        files[source] = []
        for imported_map in imported(source):
            target = directory / f"{number:02d}-{imported_map.data['id']}.yaml"
            target.write_text(map_text(imported_map, source.importer), encoding="utf-8")
            files[source].append(target)
    return files


# --- import ----------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ALL, ids=_id)
def test_import_decides_what_it_says(source: Source, tmp_path: Path, capsys: Any) -> None:
    """Refused with exactly the located errors listed, or imported with exactly the warnings listed.

    ``journeyctl import -o DIR`` says the same: exit 2 and nothing written, or exit 0 and the maps.
    """
    flags = [f"--{key}" for key, value in source.options if value is True]
    code = run(["import", str(source.path), "-o", str(tmp_path), "--from", source.importer, *flags])
    written = sorted(path.name for path in tmp_path.iterdir())
    capsys.readouterr()
    if source.errors:
        assert (code, written) == (2, [])
        with pytest.raises(MapInvalid) as caught:
            imported(source)
        errors = [located(e.location, e.message) for e in caught.value.errors if e.location]
        assert starts_as_expected(errors, source.errors), errors
        return
    assert code == 0
    assert written == sorted(f"{imported_map.data['id']}.yaml" for imported_map in imported(source))
    maps = imported(source)
    assert maps
    notices = [
        located(notice.location, notice.message)
        for imported_map in maps
        for notice in sorted(imported_map.notices, key=lambda n: n.location)
    ]
    assert starts_as_expected(notices, source.notices), notices


# --- validate, lint, fmt ------------------------------------------------------------------------


@pytest.mark.parametrize("source", IMPORTED, ids=_id)
def test_validate_lint_fmt(source: Source, map_files: dict[Source, list[Path]], capsys: Any) -> None:
    for path in map_files[source]:
        assert run(["validate", str(path)]) == 0, capsys.readouterr().err
        code = run(["lint", "--format", "json", str(path)])
        report = json.loads(capsys.readouterr().out)
        assert code in (0, 1)
        lines = path.read_text(encoding="utf-8").split("\n")
        for finding in report["findings"]:
            assert finding["code"] != "JM000", finding
            line, column = finding["line"], finding["column"]
            assert 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1, finding
        # journeyctl import writes what journeyctl fmt writes.
        assert run(["fmt", "--check", str(path)]) == 0, capsys.readouterr().err


# --- render ------------------------------------------------------------------------------------


@pytest.mark.parametrize("source", IMPORTED, ids=_id)
def test_every_text_format_renders_the_same_twice(
    source: Source, map_files: dict[Source, list[Path]], tmp_path: Path, capsys: Any
) -> None:
    for path in map_files[source]:
        for name in TEXT_FORMATS:
            outputs = [tmp_path / f"{path.stem}.{run_number}.{name}" for run_number in (1, 2)]
            for output in outputs:
                code = run(["render", str(path), "-f", name, "-o", str(output)])
                assert code == 0, (name, capsys.readouterr().err)
            first, second = (output.read_bytes() for output in outputs)
            assert first.strip(), (path.name, name)
            assert first == second, (path.name, name, "not deterministic")
            if name in ("html", "md"):
                assert_no_step_text_lost(path, first.decode(), name)


def assert_no_step_text_lost(path: Path, page: str, name: str) -> None:
    """Every line of every step's action and thinking is on the page, as a browser or GitHub shows it."""
    shown = html_unescape(page) if name == "html" else re.sub(r"\\(.)", r"\1", page)
    journey = load_file(path).journey
    for _, step in journey.iter_steps():
        for text in (step.action, step.thinking or ""):
            for line in filter(None, (line.strip() for line in text.split("\n"))):
                assert line in shown, (path.name, name, step.id, line)


# --- the CSV export read back ----------------------------------------------------------------


@pytest.mark.parametrize("source", IMPORTED, ids=_id)
def test_csv_export_reads_back_as_the_same_map(
    source: Source, map_files: dict[Source, list[Path]], tmp_path: Path, capsys: Any
) -> None:
    """render -f csv, import: the same map, id, title and summary included; journeyctl diff finds
    no change. The file is named apart from the map, so the name cannot be where the id comes from."""
    for path in map_files[source]:
        original = load_file(path)
        exported = csv_renderer.render(original, csv_renderer.Options()).decode()
        [again] = csv_importer.import_source(exported, "exported-sheet.csv", csv_importer.Options())
        read_back = tmp_path / f"{original.journey.id}.yaml"
        read_back.write_text(map_text(again, "csv"), encoding="utf-8")
        reloaded = load_file(read_back)
        assert dump(reloaded.journey) == dump(original.journey)
        capsys.readouterr()
        assert run(["diff", str(path), str(read_back), "-f", "json"]) == 0
        [compared] = json.loads(capsys.readouterr().out)["maps"]
        assert compared.get("changes", []) == []


# --- Mermaid: the export is read by Mermaid as the original diagram ----------------------------


MERMAID_SOURCES = [source for source in ALL if source.importer == "mermaid"]


def original_diagrams(source: Source) -> list[str]:
    text = source.path.read_text(encoding="utf-8")
    if source.path.suffix != ".md":
        return [text]
    blocks = mermaid_importer.markdown_blocks(text)
    return [block for block, _ in blocks if mermaid_importer._diagram_kind(block).lower() == "journey"]


@pytest.fixture(scope="module")
def mermaid_reads() -> dict[str, list[dict[str, Any]]]:
    """Mermaid's own parse (one Node run) of every original diagram and of every map's export."""
    node_binary = require_tool("node", shutil.which("node"))
    jobs: list[tuple[str, str]] = []
    for source in MERMAID_SOURCES:
        jobs.extend((f"original:{source.file}", diagram) for diagram in original_diagrams(source))
        if not source.errors:
            for imported_map in imported(source):
                loaded = load_bytes(map_text(imported_map, "mermaid").encode(), "map.yaml")
                export = mermaid_renderer.render(loaded, mermaid_renderer.Options(shorten=False)).decode()
                jobs.append((f"export:{source.file}", export))
    parsed = mermaid_parse(node_binary, [diagram for _, diagram in jobs])
    reads: dict[str, list[dict[str, Any]]] = {}
    for (key, _), result in zip(jobs, parsed, strict=True):
        reads.setdefault(key, []).append(result)
    return reads


def as_imported(parsed: dict[str, Any], *, clamp: bool) -> dict[str, Any]:
    """Mermaid's parse of an original, with the conversions the import documents applied."""
    clean = mermaid_importer._clean_name

    def score(value: float | None) -> float | None:
        if value is None or not clamp:
            return value
        return min(5, max(1, math.floor(value + 0.5)))

    return {
        "title": clean(parsed["title"]),
        "sections": [clean(name) for name in parsed["sections"]],
        "tasks": [
            {
                "section": clean(task["section"]),
                "task": clean(task["task"]),
                "score": score(task["score"]),
                "people": [clean(person) for person in task["people"] if clean(person)],
            }
            for task in parsed["tasks"]
        ],
    }


def differences(original: dict[str, Any], export: dict[str, Any]) -> list[str]:
    """What the export says differently from the original, one line per difference."""
    found = []
    if original["title"] != export["title"]:
        found.append(f"title: {original['title']!r} -> {export['title']!r}")
    if original["sections"] != export["sections"]:
        found.append(f"sections: {original['sections']} -> {export['sections']}")
    if len(original["tasks"]) != len(export["tasks"]):
        found.append(f"tasks: {len(original['tasks'])} -> {len(export['tasks'])}")
    for number, (before, after) in enumerate(zip(original["tasks"], export["tasks"], strict=False), 1):
        for key in ("section", "task", "score", "people"):
            if before[key] != after[key]:
                found.append(f"task {number} ({before['task']}) {key}: {before[key]!r} -> {after[key]!r}")
    return found


@pytest.mark.node
@pytest.mark.parametrize("source", MERMAID_SOURCES, ids=_id)
def test_mermaid_reads_the_export_as_the_original(
    source: Source, mermaid_reads: dict[str, list[dict[str, Any]]]
) -> None:
    originals = mermaid_reads[f"original:{source.file}"]
    if source.mermaid != "same":
        assert [read.get("error", "")[: len(str(source.mermaid))] for read in originals] == [source.mermaid]
    else:
        assert all("error" not in read for read in originals), originals
    if source.errors or source.mermaid != "same":
        return
    exports = mermaid_reads[f"export:{source.file}"]
    assert all("error" not in read for read in exports), exports
    assert len(exports) == len(originals)
    found = [
        line
        for original, export in zip(originals, exports, strict=True)
        for line in differences(as_imported(original, clamp=bool(dict(source.options).get("clamp"))), export)
    ]
    assert found == list(source.exported)


@pytest.mark.node
@pytest.mark.browser
def test_mermaid_cli_draws_every_export(node_binary: str, chromium_binary: str, tmp_path: Path) -> None:
    """One mmdc run (a browser start costs seconds) over a Markdown file holding every export."""
    assert node_binary  # mmdc is a Node script
    loaded = [
        load_bytes(map_text(imported_map, source.importer).encode(), "map.yaml")
        for source in IMPORTED
        for imported_map in imported(source)
    ]
    exports = [mermaid_renderer.render(item, mermaid_renderer.Options()).decode() for item in loaded]
    document = tmp_path / "all.md"
    document.write_text("".join(f"```mermaid\n{text}```\n\n" for text in exports), encoding="utf-8")
    result = subprocess.run(
        [*mmdc(chromium_binary, tmp_path), "-i", str(document), "-o", str(tmp_path / "out.md"), "-e", "svg"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"mmdc rejected a diagram:\n{result.stderr[-3000:]}"
    drawn = sorted(tmp_path.glob("out-*.svg"))
    assert len(drawn) == len(exports)
    for svg in drawn:
        assert "Syntax error" not in svg.read_text(encoding="utf-8"), svg.name


# --- maps written by hand from the mapping literature -----------------------------------------


LITERATURE = SOURCES["literature"]


@pytest.mark.parametrize("entry", LITERATURE, ids=lambda e: Path(e["file"]).name)
def test_literature_map_validates_lints_as_reviewed_and_renders(
    entry: dict[str, Any], tmp_path: Path, capsys: Any
) -> None:
    path = HERE / entry["file"]
    assert run(["validate", str(path)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    run(["lint", "--format", "json", str(path)])
    report = json.loads(capsys.readouterr().out)
    assert sorted({finding["code"] for finding in report["findings"]}) == entry["lint"]
    assert run(["fmt", "--check", str(path)]) == 0
    page = tmp_path / "map.html"
    assert run(["render", str(path), "-f", "html", "-o", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    journey = load_file(path).journey
    for _, step in journey.iter_steps():
        assert step.action in html or step.action.replace("'", "&#39;") in html, step.id
