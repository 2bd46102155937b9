"""The loader's errors, as data: every case's messages and (line, col) exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from journeyctl.errors import MapInvalid
from journeyctl.loader import load_bytes

CASES: dict[str, Any] = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text())
BASE: str = CASES["valid"]["text"]


def case_text(case: dict[str, Any]) -> str:
    if "text" in case:
        return str(case["text"])
    text = BASE
    for old, new in case.get("replace", {}).items():
        assert old in text, f"replacement target {old!r} not in the base map"
        text = text.replace(old, new, 1)
    return text + case.get("append", "")


@pytest.mark.parametrize("name", sorted(CASES))
def test_loader_case(name: str) -> None:
    case = CASES[name]
    text = case_text(case)
    try:
        load_bytes(text.encode("utf-8"), "t.yaml")
    except MapInvalid as invalid:
        got = [(e.location.line, e.location.col, str(e.message)) for e in invalid.errors if e.location]
        assert all(e.location is not None and e.location.path == "t.yaml" for e in invalid.errors)
    else:
        got = []
    expected = [tuple(item) for item in case["errors"]]
    assert len(got) == len(expected), f"got {got}"
    for (line, col, message), (exp_line, exp_col, exp_text) in zip(
        sorted(got), sorted(expected), strict=True
    ):
        assert (line, col) == (exp_line, exp_col), f"{message!r}"
        assert exp_text in message
