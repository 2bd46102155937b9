"""Export -> import -> export gives the same output, for Mermaid and for CSV, on every example map."""

from __future__ import annotations

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
    assert csv_renderer.render(loaded, csv_renderer.Options()).decode() == exported

    # Ids, actions and emotions of stages and steps survive the spreadsheet.
    def steps(journey: Journey) -> list[tuple[object, ...]]:
        return [(s.id, t.id, t.action, t.emotion, t.backstage) for s, t in journey.iter_steps()]

    assert steps(loaded.journey) == steps(original.journey)
