"""Export -> import -> export gives the same output, for Mermaid and for CSV, on every example map."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from journeyctl.importers import csv as csv_importer
from journeyctl.importers import mermaid as mermaid_importer
from journeyctl.importers.command import map_text
from journeyctl.loader import load_bytes, load_file
from journeyctl.model import Journey
from journeyctl.renderers import csv as csv_renderer
from journeyctl.renderers import mermaid as mermaid_renderer
from tests.renderers.rendercases import CHECKOUT, example_maps

MAPS = [CHECKOUT, *example_maps()]


def drawn_lines(diagram: str) -> list[str]:
    """The lines Mermaid draws from: ``%%`` comments (notes for people) left out."""
    return [line for line in diagram.splitlines() if not line.lstrip().startswith("%%")]


@pytest.mark.parametrize("shorten", [True, False], ids=["shortened", "whole"])
@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.stem)
def test_mermaid_export_import_export(path: Path, shorten: bool) -> None:
    options = mermaid_renderer.Options(shorten=shorten)
    exported = mermaid_renderer.render(load_file(path), options).decode()
    [imported] = mermaid_importer.import_source(exported, f"{path.stem}.mmd", mermaid_importer.Options())
    loaded = load_bytes(map_text(imported, "mermaid").encode(), "imported.yaml")
    # The notes (what was shortened, left unscored, or not drawn) are not part of the diagram.
    assert drawn_lines(mermaid_renderer.render(loaded, options).decode()) == drawn_lines(exported)
    # A journey diagram is the main line: branch steps are named in a note, not drawn.
    main_line = [step.action for _, step in load_file(path).journey.iter_main_line()]
    actions = [step.action for _, step in loaded.journey.iter_steps()]
    assert len(actions) == len(main_line)
    if not shorten:
        assert actions == [" ".join(action.split()) for action in main_line]


@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.stem)
def test_csv_export_import_export(path: Path) -> None:
    original = load_file(path)
    exported = csv_renderer.render(original, csv_renderer.Options()).decode()
    [imported] = csv_importer.import_source(exported, f"{path.stem}.csv", csv_importer.Options())
    loaded = load_bytes(map_text(imported, "csv").encode(), "imported.yaml")
    # Metrics and Insights are columns to read: they are defined in a map by id, not in a cell.
    assert readable_only(csv_renderer.render(loaded, csv_renderer.Options()).decode()) == readable_only(
        exported
    )

    # Ids, actions, emotions (each persona's too), flow, times and severities survive the spreadsheet.
    def steps(journey: Journey) -> list[tuple[object, ...]]:
        names = {persona.id: persona.name for persona in journey.personas}  # ids are made from names
        return [
            (
                *(s.id, t.id, t.action, t.emotion, {names[k]: v for k, v in t.emotions.items()}, t.backstage),
                *(t.kind, t.branches_from, t.condition, t.rejoins),
                *(t.duration, t.wait, t.moment_of_truth, t.bright_spots),
            )
            for s, t in journey.iter_steps()
        ]

    assert steps(loaded.journey) == steps(original.journey)
    severities = sorted(str(p.severity) for _, p in original.journey.iter_pain_points())
    assert sorted(str(p.severity) for _, p in loaded.journey.iter_pain_points()) == severities


def readable_only(text: str) -> list[list[str]]:
    """The CSV's rows without the columns written only for reading (and rows left with nothing else)."""
    table = list(csv.reader(io.StringIO(text, newline="")))
    keep = [index for index, name in enumerate(table[0]) if name not in ("Metrics", "Insights")]
    rows = [[row[index] for index in keep] for row in table]
    stages_with_steps = {row[1] for row in rows[1:] if row[4]}
    # A stage-level row that held only metrics; a stage with no steps keeps its row.
    return [row for row in rows if any(row[3:]) or row[1] not in stages_with_steps or row is rows[0]]
