"""Units of the comparison that the case files exercise only indirectly."""

from __future__ import annotations

import pytest

from journeyctl.diff.compare import format_emotion, stable_positions


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
