"""Units of the comparison that the case files exercise only indirectly."""

from __future__ import annotations

import pytest

from journeyctl.diff.compare import compare_maps, format_emotion, stable_positions
from journeyctl.loader import load_bytes
from journeyctl.model import Journey


@pytest.mark.parametrize(
    ("sequence", "moved"),
    [
        ([], 0),
        ([0, 1, 2, 3], 0),
        ([1, 0], 1),  # a swap: one item moved
        ([3, 0, 1, 2], 1),  # the last item moved to the front
        ([1, 2, 3, 0], 1),  # the first item moved to the end
        ([3, 2, 1, 0], 3),  # reversed: all but one
        ([0, 4, 1, 2, 3, 5], 1),
        ([2, 3, 0, 1], 2),  # two blocks exchanged
    ],
)
def test_stable_positions_reports_fewest_moves(sequence: list[int], moved: int) -> None:
    kept = stable_positions(sequence)
    assert len(sequence) - len(kept) == moved
    kept_values = [sequence[index] for index in sorted(kept)]
    assert kept_values == sorted(kept_values)  # what is kept is in the old order


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "(none)"),
        (0, "0"),
        (0.0, "0"),
        (1, "+1"),
        (-2, "-2"),
        (0.5, "+0.5"),
        (-0.333, "-0.33"),
        (1.25, "+1.25"),
    ],
)
def test_format_emotion(value: float | None, text: str) -> None:
    assert format_emotion(value) == text


@pytest.mark.parametrize(
    ("old", "new", "delta"),
    [
        (0.632, 0.630, 0.0),  # issue 10: a "-0" is no change
        (0.0, -0.004, 0.0),
        (0.5, 0.25, -0.25),
        (None, 1.0, 0.0),
        (-0.333, 0.0, 0.33),
    ],
)
def test_shown_delta_is_the_change_people_see(old: float | None, new: float | None, delta: float) -> None:
    from journeyctl.diff.compare import shown_delta

    assert shown_delta(old, new) == delta
    assert str(shown_delta(old, new)) != "-0.0"


def _map(scores: list[int], *, extra: tuple[int, ...] | list[int] = ()) -> Journey:
    steps = [f"      - {{id: s{i}, action: Step {i}, emotion: {score}}}" for i, score in enumerate(scores)]
    steps += [f"      - {{id: x{i}, action: Extra {i}, emotion: {score}}}" for i, score in enumerate(extra)]
    text = "journeyctl: 1\nid: m\ntitle: M\nstages:\n  - id: s\n    name: S\n    steps:\n" + "\n".join(steps)
    return load_bytes(text.encode(), "m.yaml").journey


def test_a_mean_that_moves_below_what_is_shown_is_no_change() -> None:
    # 250 steps, one up by 1: the mean of the kept steps moves by 0.004, which shows as 0.
    old_scores = [1] * 158 + [0] * 92
    new_scores = [*old_scores]
    new_scores[100] = 2
    changes = compare_maps(_map(old_scores), _map(new_scores))
    assert [(c.kind, c.entity) for c in changes] == [("changed", "step")]


def test_steps_added_move_the_mean_but_are_no_regression() -> None:
    # 0.632 over 19 steps -> 0.6 with a neutral step added: reported, as neutral.
    scores = [1] * 12 + [0] * 7
    changes = compare_maps(_map(scores), _map(scores, extra=[0]))
    emotion = [c for c in changes if c.kind == "emotion"]
    assert [(c.entity, c.classification, c.old, c.new) for c in emotion] == [
        ("stage", "neutral", 0.632, 0.6),
        ("journey", "neutral", 0.632, 0.6),
    ]
    assert "kept their mean" in emotion[0].message


def test_a_kept_step_falling_is_a_regression_even_when_added_steps_raise_the_mean() -> None:
    changes = compare_maps(_map([1, 0]), _map([1, -1], extra=[2, 2]))
    journey = next(c for c in changes if c.entity == "journey")
    assert (journey.classification, journey.old, journey.new) == ("regression", 0.5, 0.0)
    assert journey.message == (
        "overall emotion (mean over steps) on the 2 steps both versions score +0.5 -> 0 (-0.5); "
        "over all scored steps +0.5 -> +1"
    )
