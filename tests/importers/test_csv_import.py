"""The CSV importer: both shapes as cases with exact expected maps, loose headers, located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeyctl.errors import MapInvalid
from journeyctl.importers import csv as csv_importer
from journeyctl.loader import load_bytes
from tests.importers.cases import check, run_case, sources


@pytest.mark.parametrize("path", sources("csv"), ids=lambda p: p.name)
def test_case(path: Path, update_goldens: bool) -> None:
    check(path, update_goldens)
    for name, text in run_case(path)[0].items():
        load_bytes(text.encode(), name)


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Doing", "action"),
        ("ACTIONS", "action"),
        ("Customer actions", "action"),
        ("Doing (what they do)", "action"),
        ("touch points", "touchpoints"),
        ("Touch-Points", "touchpoints"),
        ("Emotions", "emotion"),
        ("Pain Points 😣", "pain_points"),
        ("pains", "pain_points"),
        ("Opportunities", "opportunities"),
        ("Thoughts", "thinking"),
        ("Feelings", "feeling"),
        ("Customer Experience", "feeling"),
        ("Satisfaction", "score"),
        ("Back stage", "backstage"),
        ("Journey name", "map_title"),
        ("Map ID", "map_id"),
        ("Journey description", "map_summary"),
        ("Notes", None),
        ("Touchpionts", None),
    ],
)
def test_loose_names(label: str, field: str | None) -> None:
    assert csv_importer.field_for(label) == field


def test_detects_the_shape() -> None:
    grid = csv_importer.read_table("Stage,A,B\nDoing,x,y\nFeeling,ok,bad\n", "g.csv")
    long = csv_importer.read_table("Stage,Doing,Feeling\nA,x,ok\n", "l.csv")
    assert csv_importer.detect_shape(grid) == "grid"
    assert csv_importer.detect_shape(long) == "long"


ERRORS = [
    (
        "Stage,A\nFeeling,sad\nDoing,\n",
        "auto",
        "2:2: a 'feeling' value with no 'doing' value beside it: a step needs its action (cell B2)",
    ),
    (
        # Words in an emotion cell are the feeling, unless the step has a feeling of its own.
        "Stage,Doing,Feeling,Emotion\nA,x,happy,great\n",
        "auto",
        "2:4: emotion 'great' is not a number on the -2..+2 (or very negative .. very positive) scale",
    ),
    ("Stage,Doing,Emotion\nA,x,3\n", "auto", "2:3: emotion 3 is out of range: the emotion scale is -2..+2"),
    ("Stage,Doing,Score\nA,x,4.5\n", "auto", "2:3: score 4.5 is not a whole number: the score scale is 1..5"),
    ("Stage,Feeling,Persona\nA,ok,Sam\n", "long", "1:1: no column for the steps' actions"),
    ("Colour,Size\nred,big\n", "auto", "1:1: cannot tell the shape of this CSV"),
    ('Stage,Doing\nA,"unclosed\n', "auto", "not a readable CSV file"),
    (",,\n,,\n", "auto", "the file has no cells with text"),
    ("Stage,Doing,Duration\nA,x,10 min\n", "auto", "2:3: '10 min' is not a duration: write whole numbers"),
    ("Stage,Doing,Kind\nA,x,detour\n", "auto", "2:3: kind 'detour' is not one of main, alternative, failure"),
    ("Stage,Doing,Emotion by persona\nA,x,Sam -1\n", "auto", "2:3: 'Sam -1' is not 'persona name: emotion'"),
    ("Stage,Doing,Pain points,Severity\nA,x,Slow,huge\n", "auto", "2:4: severity 'huge' is not one of low"),
    ("Stage,Doing,Moment of truth\nA,x,maybe\n", "auto", "2:3: moment of truth 'maybe' is not yes or no"),
]


@pytest.mark.parametrize(("text", "shape", "expected"), ERRORS, ids=[e[2][:40] for e in ERRORS])
def test_located_error(text: str, shape: str, expected: str) -> None:
    with pytest.raises(MapInvalid) as caught:
        csv_importer.import_source(text, "bad.csv", csv_importer.Options(shape=shape))  # type: ignore[arg-type]
    messages = [
        f"{e.location.line}:{e.location.col}: {e.message}" if e.location and e.location.line else e.message
        for e in caught.value.errors
    ]
    assert any(m.startswith(expected) for m in messages), messages


def test_cell_names() -> None:
    assert [csv_importer.cell_name(4, c) for c in (1, 3, 26, 27, 52, 53)] == [
        "A4",
        "C4",
        "Z4",
        "AA4",
        "AZ4",
        "BA4",
    ]


def test_words_in_an_emotions_lane_are_the_feeling() -> None:
    """Templates' "Emotions" lane holds words ("Overwhelmed 😟"): kept as the feeling, not a refused sheet."""
    text = "Stage,Doing,Emotions\nSetup,Installs tools,Frustrated 😟 (Intensity: 5/5)\nSetup,Runs it,1\n"
    [imported] = csv_importer.import_source(text, "board.csv", csv_importer.Options())
    first, second = imported.data["stages"][0]["steps"]
    assert first["feeling"] == "Frustrated 😟 (Intensity: 5/5)" and "emotion" not in first
    assert second["emotion"] == 1 and "feeling" not in second
    assert [(n.location.line, n.location.col) for n in imported.notices] == [(2, 3)]
    assert "kept as the step's feeling" in imported.notices[0].message


def test_a_grid_whose_stage_row_names_stages_like_columns_is_a_grid() -> None:
    """ "Stage 1 (e.g., Awareness)" reads as the field 'stage' five times: one field, not a header row."""
    text = (
        "Stage,[Stage 1 (e.g. Awareness)],[Stage 2 (e.g. Decision)]\n"
        "Customer Actions,Sees an ad,Buys\nTouch Points,Social media,Web shop\n"
    )
    assert csv_importer.detect_shape(csv_importer.read_table(text, "t.csv")) == "grid"
    [imported] = csv_importer.import_source(text, "t.csv", csv_importer.Options())
    assert [s["steps"][0]["action"] for s in imported.data["stages"]] == ["Sees an ad", "Buys"]


def test_a_list_of_actions_in_one_cell_is_named_after_its_first_action() -> None:
    text = 'Stage,Setup\nActions,"1. Receives the welcome email\n2. Sets up the laptop"\n'
    [imported] = csv_importer.import_source(text, "t.csv", csv_importer.Options())
    [step] = imported.data["stages"][0]["steps"]
    assert step["id"] == "receives-the-welcome-email"
    assert step["action"] == "1. Receives the welcome email\n2. Sets up the laptop"  # the text as written


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Google Maps, Shop website", ["Google Maps", "Shop website"]),
        ("Email, SMS, Live chat with an agent", ["Email", "SMS", "Live chat with an agent"]),
        # A template's placeholder sentence: its commas are the sentence's, not a list's.
        (
            "Identify the touchpoints customers encounter, such as social media, or word of mouth.",
            ["Identify the touchpoints customers encounter, such as social media, or word of mouth."],
        ),
    ],
)
def test_commas_separate_names_but_not_a_sentence(cell: str, names: list[str]) -> None:
    [imported] = csv_importer.import_source(
        f'Stage,Doing,Touchpoints\nA,x,"{cell}"\n', "t.csv", csv_importer.Options()
    )
    assert [t["name"] for t in imported.data["stages"][0]["touchpoints"]] == names
