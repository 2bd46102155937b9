"""The model's helpers that renderers, diff and rules share: durations, stage times, funnel drops."""

from __future__ import annotations

import pytest

from journeyctl.loader import load_bytes
from journeyctl.model.duration import Duration, DurationError, format_duration, parse_duration, stage_time
from journeyctl.model.funnel import biggest_drop, funnel_drops


@pytest.mark.parametrize(
    ("text", "low", "high", "canonical"),
    [
        ("45s", 45, 45, "45s"),
        ("10m", 600, 600, "10m"),
        ("2h", 7200, 7200, "2h"),
        ("1h30m", 5400, 5400, "1h30m"),
        ("3d", 259200, 259200, "3d"),
        ("2w", 1209600, 1209600, "2w"),
        ("1w2d3h4m5s", 788645, 788645, "1w2d3h4m5s"),
        ("90m", 5400, 5400, "1h30m"),
        ("2-5d", 172800, 432000, "2d-5d"),
        ("1h-1d", 3600, 86400, "1h-1d"),
        ("0m", 0, 0, "0m"),
    ],
)
def test_durations_parse_and_print(text: str, low: int, high: int, canonical: str) -> None:
    duration = parse_duration(text)
    assert duration == Duration(low, high)
    assert format_duration(duration) == canonical
    assert parse_duration(canonical) == duration


@pytest.mark.parametrize(
    "text", ["", "5", "10 min", "1h 30m", "1.5h", "PT10M", "30m1h", "1mo", "-", "2d-", "1d-2d-3d"]
)
def test_what_is_not_a_duration(text: str) -> None:
    with pytest.raises(DurationError):
        parse_duration(text)


MAP = """\
journeyctl: 1
id: times
title: Times
personas:
  - {id: a, name: A}
  - {id: b, name: B}
funnel:
  entries:
    - {stage: wait, count: 1000}
    - {step: two, count: 400}
    - {step: three, drop-off: 75}
stages:
  - id: wait
    name: Wait
    steps:
      - {id: one, action: One, duration: 10m, wait: 1-2d, persona: a, emotion: 1}
      - {id: branch, action: Branch, kind: failure, branches-from: one, duration: 5h}
      - {id: two, action: Two, personas: [a, b], emotion: 0, emotions: {b: -2}}
      - {id: three, action: Three, duration: 1h, emotions: {a: 2, b: 1}}
"""


def test_stage_time_sums_the_main_line_only() -> None:
    stage = load_bytes(MAP.encode(), "t.yaml").journey.stages[0]
    time = stage_time(stage)
    assert time.duration == parse_duration("1h10m")  # the branch's 5h is left out
    assert time.wait == parse_duration("1-2d")
    assert (time.timed, time.steps, time.complete, time.known) == (2, 3, False, True)
    assert time.elapsed == Duration(3600 + 600 + 86400, 3600 + 600 + 172800)


def test_funnel_drops_from_counts_and_stated_drop_offs() -> None:
    journey = load_bytes(MAP.encode(), "t.yaml").journey
    drops = [
        (d.entry.target, d.following.target if d.following else None, d.share, d.lost, d.stated)
        for d in funnel_drops(journey)
    ]
    assert drops == [("wait", "two", 60.0, 600, False), ("three", None, 75, None, True)]
    biggest = biggest_drop(journey)
    assert biggest is not None and biggest.entry.target == "three"


def test_personas_and_emotions_of_a_step() -> None:
    journey = load_bytes(MAP.encode(), "t.yaml").journey
    one, branch, two, three = journey.stages[0].steps
    assert one.persona_ids == ("a",) and two.persona_ids == ("a", "b") and three.persona_ids == ()
    assert journey.persona_ids_of(three) == ("a", "b")
    assert (two.emotion_of("a"), two.emotion_of("b"), two.emotion_of(None)) == (0, -2, 0)
    assert (three.emotion_of("a"), three.emotion, three.is_scored, three.lowest_emotion) == (2, None, True, 1)
    assert branch.is_branch and not branch.is_scored and branch.lowest_emotion is None
    assert [step.id for _, step in journey.iter_main_line()] == ["one", "two", "three"]


def test_funnel_drops_of_the_largest_counts_are_numbers() -> None:
    """From 1 to the largest count and back: a drop of -10**17 % and one of ~100 %, no overflow."""
    from journeyctl.model.journey import MAX_COUNT

    counts = {"a": 1, "b": MAX_COUNT, "c": 1}
    entries = "".join(f"    - {{stage: {stage}, count: {count}}}\n" for stage, count in counts.items())
    text = (
        "journeyctl: 1\nid: f\ntitle: F\nfunnel:\n  entries:\n" + entries + "stages:\n"
        "  - {id: a, name: A}\n  - {id: b, name: B}\n  - {id: c, name: C}\n"
    )
    drops = funnel_drops(load_bytes(text.encode(), "t.yaml").journey)
    assert [(d.share, d.lost) for d in drops] == [(-1e17 + 100, 1 - MAX_COUNT), (100 - 1e-13, MAX_COUNT - 1)]
