"""The Mermaid importer: each construct a case with exact expected maps; errors located; Mermaid agrees."""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path
from typing import Any

import pytest

from journeyctl.errors import MapInvalid
from journeyctl.importers import mermaid
from journeyctl.loader import load_bytes
from tests.conftest import ROOT
from tests.importers.cases import HERE, check, run_case, sources

MERMAID_TOOLS = ROOT / "tools" / "mermaid"
ORACLE = HERE / "mermaid_oracle.mjs"


@pytest.mark.parametrize("path", sources("mermaid"), ids=lambda p: p.name)
def test_case(path: Path, update_goldens: bool) -> None:
    check(path, update_goldens)
    for name, text in run_case(path)[0].items():
        load_bytes(text.encode(), name)  # every imported map is valid


ERRORS = [
    (
        "journey\n  section A\n    Big: 7: Me\n",
        "3:10: score 7 is outside 1..5; a journey's scores are whole numbers",
    ),
    ("journey\n  section A\n    Half: 2.5\n", "3:11: score 2.5 is not a whole number"),
    ("journey\n  Odd: high: Me\n", "2:8: score 'high' is not a number"),
    ("journey\n  Just a name\n", "2:3: 'Just a name' is not a Mermaid statement"),
    ("journey\n  section A\n  x; y: 3\n", "3:4: Mermaid's journey grammar has no ';' here"),
    ("  title X\n  Task: 3\n", "1:3: a Mermaid journey diagram starts with 'journey'"),
    ("journey\n  : 3: Me\n", "2:3: a ':' without a task name before it"),
    ("journey\n  journey planning: 3\n", "2:3: 'journey' may only start the diagram"),
    ("journey\n  accDescr {\n   never closed\n", "2:3: 'accDescr {' is never closed with '}'"),
    ("---\ntitle: [unclosed\n---\njourney\n  Task: 3\n", "3:1: the front matter is not valid YAML"),
]


@pytest.mark.parametrize(("text", "expected"), ERRORS, ids=[e[1].split(": ", 1)[1][:30] for e in ERRORS])
def test_located_error(text: str, expected: str) -> None:
    with pytest.raises(MapInvalid) as caught:
        mermaid.import_source(text, "bad.mmd", mermaid.Options())
    messages = [f"{e.location.line}:{e.location.col}: {e.message}" for e in caught.value.errors if e.location]
    assert any(m.startswith(expected) for m in messages), messages
    assert all(str(e.location).startswith("bad.mmd:") for e in caught.value.errors)


def test_every_error_of_a_diagram_is_reported_at_once() -> None:
    text = "journey\n  section A\n    One: 9\n    Two: x\n    Three: 0.5\n"
    with pytest.raises(MapInvalid) as caught:
        mermaid.import_source(text, "bad.mmd", mermaid.Options())
    assert [(e.location.line, e.location.col) for e in caught.value.errors if e.location] == [
        (3, 10),
        (4, 10),
        (5, 12),
    ]


def test_markdown_without_a_journey() -> None:
    text = "# Notes\n\n```mermaid\nflowchart LR\n  A --> B\n```\n\n```python\nprint(1)\n```\n"
    with pytest.raises(MapInvalid) as caught:
        mermaid.import_source(text, "notes.md", mermaid.Options())
    assert caught.value.errors[0].message == (
        "no Mermaid journey diagram in this file (it has 1 other Mermaid diagrams: flowchart)"
    )


def test_markdown_error_lines_are_the_files_lines() -> None:
    text = "# Title\n\nSome text.\n\n```mermaid\njourney\n  section A\n    Task: 6\n```\n"
    with pytest.raises(MapInvalid) as caught:
        mermaid.import_source(text, "doc.md", mermaid.Options())
    assert str(caught.value.errors[0].location) == "doc.md:8:11"


# --- Mermaid's own parser agrees ---------------------------------------------------------


def mermaid_parse(node_binary: str, diagrams: list[str]) -> list[dict[str, object]]:
    if not (MERMAID_TOOLS / "node_modules" / "mermaid").is_dir():
        pytest.fail(f"mermaid is not installed in {MERMAID_TOOLS}: run 'cd tools/mermaid && npm ci'")
    result = subprocess.run(
        [node_binary, str(ORACLE), str(MERMAID_TOOLS)],
        input=json.dumps(diagrams),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    parsed: list[dict[str, object]] = json.loads(result.stdout)
    return parsed


def diagrams_of(path: Path) -> list[tuple[str, int]]:
    text = path.read_text(encoding="utf-8")
    return mermaid.markdown_blocks(text) if path.suffix == ".md" else [(text, 0)]


@pytest.mark.node
def test_mermaid_reads_every_case_as_we_do(node_binary: str) -> None:
    """Sections, tasks, scores and actors as Mermaid's own parser reports them (Node, no browser)."""
    cases = [
        (path, block, first)
        for path in sources("mermaid")
        for block, first in diagrams_of(path)
        if mermaid._diagram_kind(block).lower() == "journey"
    ]
    theirs = mermaid_parse(node_binary, [block for _, block, _ in cases])
    for (path, block, first), their in zip(cases, theirs, strict=True):
        ours = mermaid.parse_diagram(block, path.name, first, clamp=True)
        if "colon" in path.name:  # the one slip we import and Mermaid refuses
            assert "error" in their, path.name
            continue
        assert "error" not in their, (path.name, their)
        outline = mermaid.outline(ours)
        expected = as_we_read(their)
        for task in outline["tasks"]:
            if task["score"] is None:  # a blank score: Mermaid reads Number("") = 0
                task["score"] = 1
        assert outline == expected, path.name


def as_we_read(their: dict[str, Any]) -> dict[str, Any]:
    """Mermaid's parse in the importer's terms: names cleaned, empty actors out, scores clamped."""

    def score(value: float) -> int:
        return min(5, max(1, math.floor(value + 0.5)))

    clean = mermaid._clean_name
    return {
        "title": clean(their["title"]),
        "sections": [clean(name) for name in their["sections"]],
        "tasks": [
            {
                "section": clean(task["section"]),
                "task": clean(task["task"]),
                "score": score(task["score"]),
                "people": [clean(p) for p in task["people"] if clean(p)],
            }
            for task in their["tasks"]
        ],
    }


def test_journey_in_capitals_is_imported_with_a_warning() -> None:
    """Mermaid's grammar takes 'JOURNEY', but its detector does not: GitHub shows an error for it."""
    text = "JOURNEY\n  TITLE Day\n  SECTION A\n  Task: 5: Me\n"
    [imported] = mermaid.import_source(text, "day.mmd", mermaid.Options())
    assert imported.data["title"] == "Day"
    assert [(n.location.line, n.location.col) for n in imported.notices] == [(1, 1)]
    assert "only by 'journey' in lower case" in imported.notices[0].message


def test_a_task_without_actors_among_tasks_with_actors_is_reported() -> None:
    """Mermaid's "nobody" becomes the format's "every persona": said, since the export names them all."""
    text = "journey\n  section A\n    Together: 5: Me, Cat\n    Alone: 3\n"
    [imported] = mermaid.import_source(text, "day.mmd", mermaid.Options())
    assert [f"{n.location.line}:{n.location.col}: {n.message}" for n in imported.notices] == [
        "4:5: task 'Alone' names no actor: imported as a step every persona takes (Me, Cat)"
    ]
    [solo] = mermaid.import_source("journey\n  section A\n    Alone: 3\n", "day.mmd", mermaid.Options())
    assert solo.notices == []  # no actor anywhere: nothing to say
