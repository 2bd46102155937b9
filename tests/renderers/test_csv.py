"""``--format csv``: goldens (long form, RFC 4180), formula-like text made inert, options."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from journeyctl.loader import load_bytes
from journeyctl.renderers import csv as csv_renderer
from journeyctl.renderers import get_renderer
from tests.renderers.rendercases import CHECKOUT, case_id, check_golden, golden_inputs, load


@pytest.mark.parametrize("path", golden_inputs(), ids=case_id)
def test_csv_golden(path: Path, update_goldens: bool) -> None:
    check_golden(f"{path.stem}.csv", csv_renderer.render(load(path), csv_renderer.Options()), update_goldens)


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_one_row_per_step_and_stage_level_rows() -> None:
    table = rows(csv_renderer.render(load(CHECKOUT), csv_renderer.Options()))
    assert table[0] == list(csv_renderer.COLUMNS)
    steps = [row for row in table[1:] if row[4]]
    assert len(steps) == sum(1 for _ in load(CHECKOUT).journey.iter_steps())
    assert all(len(row) == len(csv_renderer.COLUMNS) for row in table)


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1 555", "'+1 555"),
        ("-2", "-2"),
        ("@sum", "'@sum"),
        ("ok", "ok"),
    ],
)
def test_formula_like_text_is_inert(text: str, cell: str) -> None:
    assert csv_renderer.safe_cell(text) == cell


def test_bom_crlf_and_stage_filter() -> None:
    data = csv_renderer.render(load(CHECKOUT), csv_renderer.Options(bom=True, stages=["buy"]))
    assert data.startswith("\ufeffStage,".encode()) and b"\r\n" in data
    assert {row[1] for row in rows(data)[1:]} == {"buy"}


def test_registered_with_its_alias() -> None:
    assert get_renderer("spreadsheet").NAME == "csv"


def test_a_lone_name_with_a_comma_is_read_back_whole() -> None:
    loaded = load_bytes(
        b"journeyctl: 1\nid: m\ntitle: T\npersonas: [{id: p, name: 'Maya, nurse'}]\n"
        b"stages: [{id: s, name: S, steps: [{id: a, action: Acts, persona: p}]}]\n",
        "m.yaml",
    )
    assert rows(csv_renderer.render(loaded, csv_renderer.Options()))[1][5] == "Maya, nurse;"


def test_fidelity_fields_where_a_spreadsheet_user_looks() -> None:
    from tests.renderers.rendercases import FIDELITY

    table = rows(csv_renderer.render(load(FIDELITY), csv_renderer.Options()))
    header = table[0]
    by_step = {row[header.index("Step id")]: dict(zip(header, row, strict=True)) for row in table[1:]}
    slot = by_step["picks-slot"]
    assert slot["Persona"] == "Sam, plans the week; Alex, adds to the basket"
    assert slot["Emotion"] == ""  # scored per persona only: no step score, never a neutral 0
    assert slot["Emotion by persona"] == "Sam, plans the week: 0\nAlex, adds to the basket: -1"
    assert (slot["Wait"], slot["Moment of truth"]) == ("2m", "yes")
    assert slot["Metrics"] == (
        "Searches that find an evening slot: 65 % (target 80 %; as of 2026-09-30, Sam, plans the week, "
        "new customers)"
    )
    full = by_step["slot-full"]
    assert (full["Kind"], full["Branches from"], full["Condition"]) == (
        "failure",
        "picks-slot",
        "if every evening slot is taken",
    )
    assert (full["Severity"], full["Insights"]) == (
        "not rated",
        "Analytics: App analytics, September 2026 (2026-10-01)",
    )
    assert by_step["picks-morning-slot"]["Rejoins"] == "pays"
    assert (
        by_step["checks-pantry"]["Persona"] == "Sam, plans the week; Alex, adds to the basket"
    )  # every persona
    assert by_step["hears-about-it"]["Bright spots"] == "The friend shows the app on their phone"
