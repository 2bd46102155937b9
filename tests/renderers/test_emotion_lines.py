"""Emotion lines per persona: who is on which line, with which score, and where the gaps are."""

from __future__ import annotations

import textwrap

import pytest

from journeyctl.loader import load_bytes, load_file
from journeyctl.model import Journey
from journeyctl.renderers.emotion_lines import (
    EVERY_CUSTOMER,
    EmotionLine,
    emotion_lines,
    matching_lines,
    stage_changes,
)
from tests.conftest import EXAMPLES


def journey_of(text: str) -> Journey:
    return load_bytes(textwrap.dedent(text).encode("utf-8"), "inline.yaml").journey


TWO_PERSONAS = """\
journeyctl: 1
id: two
title: Two personas
personas:
  - {id: ann, name: Ann}
  - {id: bob, name: Bob}
stages:
  - id: first
    name: First
    steps:
      - {id: a1, action: Ann alone, persona: ann, emotion: 1}
      - {id: b1, action: Bob alone, persona: bob, emotion: -2}
      - {id: both, action: Both together, personas: [ann, bob], emotion: 0, emotions: {bob: -1}}
  - id: second
    name: Second
    steps:
      - {id: every, action: Everyone, emotion: 2}
      - {id: unscored, action: Nobody scored it, persona: ann}
      - {id: detour, action: A branch, kind: failure, branches-from: every, persona: ann, emotion: -2}
      - {id: a2, action: Ann again, persona: ann, emotion: -1}
"""


def points_of(line: EmotionLine) -> list[tuple[str, float | None]]:
    return [(point.step_id, point.score) for point in line.points]


def test_each_persona_has_a_line_through_their_own_steps_only() -> None:
    ann, bob = emotion_lines(journey_of(TWO_PERSONAS))
    assert (ann.persona, ann.name, ann.index) == ("ann", "Ann", 0)
    assert (bob.persona, bob.name, bob.index) == ("bob", "Bob", 1)
    # Shared steps are on both lines; the branch step is on neither; the unscored step is a gap.
    assert points_of(ann) == [("a1", 1), ("both", 0), ("every", 2), ("unscored", None), ("a2", -1)]
    # Bob's own score on the shared step, not the step's.
    assert points_of(bob) == [("b1", -2), ("both", -1), ("every", 2)]


def test_points_say_where_they_sit_and_whether_shared_or_own() -> None:
    ann, bob = emotion_lines(journey_of(TWO_PERSONAS))
    where = {p.step_id: (p.position, p.stage_index, p.index_in_stage, p.stage_id) for p in ann.points}
    # Positions count every step of the map, the branch step included (a2 comes after it).
    assert where == {
        "a1": (0, 0, 0, "first"),
        "both": (2, 0, 2, "first"),
        "every": (3, 1, 0, "second"),
        "unscored": (4, 1, 1, "second"),
        "a2": (6, 1, 3, "second"),
    }
    assert [p.shared for p in ann.points] == [False, True, True, False, False]
    assert [p.own for p in bob.points] == [False, True, False]


def test_runs_break_at_gaps_and_gaps_are_listed() -> None:
    ann, bob = emotion_lines(journey_of(TWO_PERSONAS))
    assert [[p.step_id for p in run] for run in ann.runs] == [["a1", "both", "every"], ["a2"]]
    assert [p.step_id for p in ann.gaps] == ["unscored"]
    assert [p.step_id for p in ann.scored] == ["a1", "both", "every", "a2"]
    assert [[p.step_id for p in run] for run in bob.runs] == [["b1", "both", "every"]]
    assert bob.gaps == ()


def test_stage_means_per_line() -> None:
    ann, bob = emotion_lines(journey_of(TWO_PERSONAS))
    assert ann.stage_means() == {"first": 0.5, "second": 0.5}
    assert bob.stage_means() == {"first": -1.5, "second": 2.0}


PERSONALESS = """\
journeyctl: 1
id: none
title: No personas
stages:
  - id: s
    name: S
    steps:
      - {id: one, action: One, emotion: -1}
      - {id: two, action: Two}
      - {id: three, action: Three, emotion: 2}
"""


def test_a_map_without_personas_has_one_line_of_single_line_scores() -> None:
    (line,) = emotion_lines(journey_of(PERSONALESS))
    assert (line.persona, line.name) == (None, EVERY_CUSTOMER)
    assert points_of(line) == [("one", -1), ("two", None), ("three", 2)]
    assert [len(run) for run in line.runs] == [1, 1]


def test_a_single_persona_map_keeps_one_line() -> None:
    journey = journey_of(
        """\
        journeyctl: 1
        id: one
        title: One persona
        personas: [{id: solo, name: Solo}]
        stages:
          - id: s
            name: S
            steps:
              - {id: a, action: A, emotion: 1}
              - {id: b, action: B, persona: solo, emotion: -1}
        """
    )
    (line,) = emotion_lines(journey)
    assert line.persona == "solo" and points_of(line) == [("a", 1), ("b", -1)]
    assert not any(point.shared for point in line.points)


def test_a_persona_without_main_line_steps_still_has_an_empty_line() -> None:
    journey = journey_of(
        """\
        journeyctl: 1
        id: idle
        title: Idle persona
        personas: [{id: busy, name: Busy}, {id: idle, name: Idle}]
        stages:
          - id: s
            name: S
            steps:
              - {id: a, action: A, persona: busy, emotion: 1}
        """
    )
    busy, idle = emotion_lines(journey)
    assert len(busy.points) == 1 and idle.points == () and idle.runs == ()


@pytest.mark.parametrize("name", ["bank-card-fraud-support", "saas-trial-to-onboarding"])
def test_on_the_examples_no_line_takes_another_personas_step(name: str) -> None:
    journey = load_file(EXAMPLES / f"{name}.yaml").journey
    lines = emotion_lines(journey)
    assert len(lines) == len(journey.personas) >= 2
    steps = {step.id: step for _, step in journey.iter_steps()}
    for line in lines:
        for point in line.points:
            step = steps[point.step_id]
            assert not step.is_branch
            assert not step.persona_ids or line.persona in step.persona_ids
    # Every main-line step is on at least one line.
    on_lines = {point.step_id for line in lines for point in line.points}
    assert on_lines == {step.id for _, step in journey.iter_main_line()}


def test_future_lines_match_the_baseline_by_persona_and_change_by_stage() -> None:
    future_text = TWO_PERSONAS.replace("id: two", "id: two-future").replace("emotion: -2}", "emotion: 0}")
    future = journey_of(future_text)
    current = journey_of(TWO_PERSONAS)
    pairs = matching_lines(emotion_lines(future), emotion_lines(current))
    assert [(ours.persona, theirs.persona) for ours, theirs in pairs] == [("ann", "ann"), ("bob", "bob")]
    bob_future, bob_current = pairs[1]
    changes = stage_changes(bob_future, bob_current, ["first", "second", "gone"])
    assert [(c.stage_id, c.current, c.baseline, c.change) for c in changes] == [
        ("first", -0.5, -1.5, 1.0),
        ("second", 2.0, 2.0, 0.0),
    ]


def test_lone_lines_match_whatever_their_personas() -> None:
    (mine,) = emotion_lines(journey_of(PERSONALESS))
    theirs = EmotionLine("someone", "Someone", 0, ())
    assert matching_lines([mine], [theirs]) == [(mine, theirs)]
    other = EmotionLine("other", "Other", 1, ())
    assert matching_lines([mine, other], [theirs]) == []
