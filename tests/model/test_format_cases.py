"""The format's new fields and their checks, as data: messages and (line, col) exactly (see cases.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from journeyctl.errors import MapInvalid
from journeyctl.loader import load_bytes

CASES: dict[str, Any] = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text(encoding="utf-8"))


def load_case(case: dict[str, Any]) -> list[tuple[int, int, str]]:
    """The (line, col, message) of each error the case's map gives; [] when it loads."""
    root = Path.cwd()
    files = {(root / name).resolve(): body.encode() for name, body in (case.get("shared") or {}).items()}
    try:
        load_bytes(case["text"].encode("utf-8"), "t.yaml", read_include=files.__getitem__, root=root)
    except MapInvalid as invalid:
        assert all(error.location is not None for error in invalid.errors)
        return sorted(
            (error.location.line, error.location.col, error.message)
            for error in invalid.errors
            if error.location is not None
        )
    return []


@pytest.mark.parametrize("name", sorted(CASES))
def test_format_case(name: str) -> None:
    case = CASES[name]
    got = load_case(case)
    expected = sorted((line, col, text) for line, col, text in case["errors"])
    assert [(line, col) for line, col, _ in got] == [(line, col) for line, col, _ in expected], got
    for (_, _, message), (_, _, text) in zip(got, expected, strict=True):
        assert text in message


def test_both_valid_and_invalid_cases_exist() -> None:
    assert any(not case["errors"] for case in CASES.values())
    assert sum(bool(case["errors"]) for case in CASES.values()) >= 20
