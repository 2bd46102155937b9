"""Files with thousands of errors: checked in linear work, shown as the first 100 and a count.

Issue 9 found 20,000 unknown keys taking 25-32 s and 3,000 dangling references 12-23 s:
each key was found by scanning its mapping, and each error compared its name with every
known one for a suggestion. The work is counted here rather than timed, so the tests say
the same on a busy machine.
"""

from __future__ import annotations

import difflib
import pickle
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from journeyctl import yamlsource
from journeyctl.errors import MapInvalid
from journeyctl.loader import MAX_ERRORS_PER_FILE, load_bytes
from tests.conftest import ROOT

HEADER = "journeyctl: 1\nid: m\ntitle: M\n"
STAGE = "stages:\n  - {id: s, name: S}\n"


def errors_of(text: str) -> list[tuple[int, int, str]]:
    with pytest.raises(MapInvalid) as info:
        load_bytes(text.encode(), "t.yaml")
    return [(e.location.line, e.location.col, e.message) for e in info.value.errors if e.location]


class Counter:
    """Counts calls to (and items yielded by) a module function it stands in for."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> None:
        self.calls = 0
        self.items = 0
        self.original = getattr(owner, name)
        monkeypatch.setattr(owner, name, self)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        result = self.original(*args, **kwargs)
        if isinstance(result, Iterator):
            return self._count(result)
        return result

    def _count(self, items: Iterator[Any]) -> Iterator[Any]:
        for item in items:
            self.items += 1
            yield item


def test_20000_unknown_keys_are_capped_and_located_in_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = 20_000
    text = HEADER + STAGE + "".join(f"k{i}: 1\n" for i in range(keys))
    pairs = Counter(monkeypatch, yamlsource, "_pairs")
    suggestions = Counter(monkeypatch, difflib, "get_close_matches")
    errors = errors_of(text)
    assert len(errors) == MAX_ERRORS_PER_FILE + 1
    assert errors[0] == (6, 1, errors[0][2]) and errors[0][2].startswith("unknown key 'k0'")
    assert errors[-2][:2] == (105, 1)
    assert errors[-1] == (
        106,
        1,
        f"... and {keys - MAX_ERRORS_PER_FILE:,} more errors from here on "
        f"(journeyctl shows the first {MAX_ERRORS_PER_FILE} of a file)",
    )
    # Before: every key was found by scanning the mapping, 200 million pairs in all.
    assert pairs.items < 2 * keys
    assert suggestions.calls <= MAX_ERRORS_PER_FILE


def test_3000_dangling_references_get_suggestions_only_where_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    count = 3_000
    touchpoints = "".join(f"      - {{id: tp{i}, name: T, channel: web}}\n" for i in range(count))
    steps = "".join(f"      - {{id: st{i}, action: A, touchpoints: [tq{i}]}}\n" for i in range(count))
    text = (
        HEADER
        + "channels:\n  - {id: web, name: Web, kind: web}\n"
        + f"stages:\n  - id: s\n    name: S\n    touchpoints:\n{touchpoints}    steps:\n{steps}"
    )
    suggestions = Counter(monkeypatch, difflib, "get_close_matches")
    errors = errors_of(text)
    first_step_line = 10 + count + 1
    assert errors[0] == (first_step_line, 44, "unknown touchpoint 'tq0' (did you mean 'tp0'?)")
    assert len(errors) == MAX_ERRORS_PER_FILE + 1
    assert errors[-1][2].startswith(f"... and {count - MAX_ERRORS_PER_FILE:,} more errors from here on")
    assert suggestions.calls == MAX_ERRORS_PER_FILE


def test_keys_merged_from_a_big_mapping_are_located_in_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = 5_000
    defaults = "".join(f"  k{i}: 1\n" for i in range(keys))
    text = f"defaults: &d\n{defaults}" + HEADER.replace("id: m\n", "id: m\n<<: *d\n") + STAGE
    pairs = Counter(monkeypatch, yamlsource, "_pairs")
    errors = errors_of(text)
    assert errors[0][:2] == (1, 1) and "unknown key 'defaults'" in errors[0][2]
    # The merged keys are reported where they are written, in the anchored mapping.
    assert errors[1][:2] == (2, 3) and "unknown key 'k0'" in errors[1][2]
    assert pairs.items < 4 * keys


def test_a_few_errors_are_not_capped() -> None:
    text = HEADER + STAGE + "".join(f"k{i}: 1\n" for i in range(MAX_ERRORS_PER_FILE))
    errors = errors_of(text)
    assert len(errors) == MAX_ERRORS_PER_FILE
    assert not any("more errors" in message for _, _, message in errors)


def test_a_source_map_travels_to_another_process_without_its_key_index() -> None:
    loaded = load_bytes((HEADER + STAGE).encode(), "t.yaml")
    before = loaded.source.locate(("stages", 0, "name"))
    copy = pickle.loads(pickle.dumps(loaded.source))
    assert copy._keys == {}
    assert copy.locate(("stages", 0, "name")) == before


def test_the_hostile_load_benchmark_runs_and_every_case_is_refused_or_capped() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "hostile_load.py"), "--runs", "1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ") and " KB |" in line]
    assert len(rows) == 5
    assert all(f"| {MAX_ERRORS_PER_FILE + 1} errors |" in row or "| refused: " in row for row in rows), rows
