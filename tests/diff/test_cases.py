"""Pairs of map versions as data (``cases/*.yaml``) with the changes they must produce.

A case has a ``description``; ``old`` (map text, default ``cases/_base.yaml``);
``new`` (map text) or ``edits`` applied to the old map (``set``/``to``,
``delete``, ``insert``/``value``, ``move``/``to``, each a key path); the
expected ``exit`` code; and either ``expected`` (every change, as
``"kind entity path classification [field]"`` with optional ``old``/``new`` and
``message``)
or ``error`` (the start of the located message on stderr). Each case runs
through the real CLI with ``--format json``.
"""

from __future__ import annotations

import copy
import json
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from journeyctl.cli import run

CASES = Path(__file__).parent / "cases"
BASE = (CASES / "_base.yaml").read_text(encoding="utf-8")


def _parent(document: Any, path: list[Any]) -> Any:
    for index, part in enumerate(path[:-1]):
        if isinstance(part, str) and part not in document:
            document[part] = [] if isinstance(path[index + 1], int) else {}
        document = document[part]
    return document


def apply_edits(text: str, edits: list[dict[str, Any]]) -> str:
    document = yaml.safe_load(text)
    for edit in edits:
        if "set" in edit:
            _parent(document, edit["set"])[edit["set"][-1]] = copy.deepcopy(edit["to"])
        elif "delete" in edit:
            del _parent(document, edit["delete"])[edit["delete"][-1]]
        elif "insert" in edit:
            path = edit["insert"]
            if isinstance(path[-1], int):
                _parent(document, path).insert(path[-1], copy.deepcopy(edit["value"]))
            else:
                _parent(document, path).setdefault(path[-1], []).append(copy.deepcopy(edit["value"]))
        elif "move" in edit:
            source, target = edit["move"], edit["to"]
            item = _parent(document, source).pop(source[-1])
            _parent(document, target).insert(target[-1], item)
        else:
            raise ValueError(f"unknown edit {edit}")
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def _case_ids() -> list[str]:
    return sorted(path.stem for path in CASES.glob("*.yaml") if not path.stem.startswith("_"))


def _key(kind: str, entity: str, path: list[str], classification: str, field: str | None) -> tuple[Any, ...]:
    return (kind, entity, tuple(path), classification, field)


@pytest.mark.parametrize("name", _case_ids())
def test_case(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = yaml.safe_load((CASES / f"{name}.yaml").read_text(encoding="utf-8"))
    assert case.get("description"), "every case says what it shows"
    old_text = case.get("old", BASE)
    new_text = case["new"] if "new" in case else apply_edits(old_text, case["edits"])
    (tmp_path / "old.yaml").write_text(old_text, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(new_text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = run(["diff", "old.yaml", "new.yaml", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == case["exit"], err
    if "error" in case:
        assert case["error"] in err
        assert out == ""
        return
    report = json.loads(out)
    changes = report["maps"][0]["changes"]
    actual = {_key(c["kind"], c["entity"], c["path"], c["classification"], c["field"]): c for c in changes}
    expected: dict[tuple[Any, ...], dict[str, Any]] = {}
    for entry in case["expected"]:
        kind, entity, path, classification, *field = shlex.split(entry["change"])
        key = _key(kind, entity, path.split("/") if path else [], classification, field[0] if field else None)
        expected[key] = entry
    assert sorted(actual) == sorted(expected), json.dumps(changes, indent=1)
    assert len(changes) == len(actual), "no change is reported twice"
    for key, entry in expected.items():
        for side in ("old", "new", "message"):
            if side in entry:
                assert actual[key][side] == entry[side], (key, side)
