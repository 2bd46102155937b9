"""Schema = tool: the published JSON Schema accepts and refuses what ``journeyctl validate`` does.

Every loader case (tests/loader/cases.yaml), every case of the format's fields
(tests/model/cases.yaml, with their shared files), every hand-writing mistake
(tests/loader/mistakes.yaml) and every example is fed to the checked-in schema through a
standard validator (``jsonschema``, draft-07, with formats checked as editors do) and to the
loader that ``journeyctl validate`` runs. Both see the same data: the YAML as journeyctl reads
it. A file journeyctl cannot read as YAML at all (syntax, characters, aliases, nesting) never
reaches a schema, so it is not compared. Any other disagreement fails, unless it is one of the
known limits of JSON Schema below, each of which docs/format.md lists.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest

from journeyctl.errors import DanglingReferenceError, JourneyError, LoadError, MapInvalid
from journeyctl.loader import load_bytes
from journeyctl.yamlsource import parse
from tests.conftest import EXAMPLES, ROOT
from tests.loader.mistakes import mistakes
from tests.loader.test_loader_cases import CASES, case_text
from tests.model.test_format_cases import CASES as FORMAT_CASES

SCHEMA = json.loads((ROOT / "schemas" / "journey.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
GUIDE = ROOT / "docs" / "format.md"


def _floats(value: Any) -> list[float]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [f for item in value.values() for f in _floats(item)]
    if isinstance(value, list):
        return [f for item in value for f in _floats(item)]
    return []


def _references_only(errors: list[JourneyError], _document: Any) -> bool:
    return all(isinstance(e, DanglingReferenceError) or "include" in e.message for e in errors)


def _non_finite(errors: list[JourneyError], document: Any) -> bool:
    return any(not math.isfinite(f) for f in _floats(document)) and all(
        "finite number" in e.message for e in errors
    )


def _whole_float_emotion(errors: list[JourneyError], document: Any) -> bool:
    return all(e.message.startswith("emotion must be a whole number") for e in errors) and any(
        f.is_integer() for f in _floats(document)
    )


def _shared_file_as_map(errors: list[JourneyError], _document: Any) -> bool:
    return all("this is a shared file" in e.message for e in errors)


#: What the tool says of an order a schema cannot see: a branch needs a step before it, the
#: funnel follows the journey (its stages are references too).
_ORDER = (
    "but no branch comes before it",
    "funnel entries follow the journey's order",
    "in the funnel twice in a row",
)


def _order(errors: list[JourneyError], document: Any) -> bool:
    return all(
        isinstance(e, DanglingReferenceError) or any(words in e.message for words in _ORDER) for e in errors
    )


def _range_ends(errors: list[JourneyError], _document: Any) -> bool:
    return all("is a range whose start is longer than its end" in e.message for e in errors)


def _scores_of_other_personas(errors: list[JourneyError], _document: Any) -> bool:
    return all("who does not take this step" in e.message for e in errors)


#: What JSON Schema cannot say, as (the words docs/format.md lists it under, how to recognise
#: the tool's errors for it). Each applies only when the schema accepts and the tool refuses.
KNOWN_LIMITS: list[tuple[str, Callable[[list[JourneyError], Any], bool]]] = [
    ("references and unique ids", _references_only),
    ("NaN and infinity", _non_finite),
    ("whole numbers written with a decimal point", _whole_float_emotion),
    ("a shared file given where a map is expected", _shared_file_as_map),
    ("the order of steps and of funnel entries", _order),
    ("the two ends of a duration range", _range_ends),
    ("scores for personas a step does not name", _scores_of_other_personas),
]


def _inputs() -> list[tuple[str, bytes]]:
    found = [(f"case:{name}", case_text(case).encode("utf-8")) for name, case in sorted(CASES.items())]
    found += [(f"format:{name}", case["text"].encode("utf-8")) for name, case in sorted(FORMAT_CASES.items())]
    found += [(f"mistake:{m.name}", m.data) for m in mistakes()]
    examples = sorted(EXAMPLES.rglob("*.yaml"))
    found += [(f"example:{path.relative_to(EXAMPLES)}", path.read_bytes()) for path in examples]
    return found


def _schema_errors(document: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(document)]


@pytest.mark.parametrize(("name", "data"), _inputs(), ids=[name for name, _ in _inputs()])
def test_schema_and_tool_agree(name: str, data: bytes) -> None:
    try:
        document, _ = parse(data, "t.yaml")
    except LoadError:
        pytest.skip("not readable as YAML: no schema validator sees it")
    schema_errors = _schema_errors(document)
    path = str(EXAMPLES / name.removeprefix("example:")) if name.startswith("example:") else "t.yaml"
    shared = (
        FORMAT_CASES[name.removeprefix("format:")].get("shared") or {} if name.startswith("format:") else {}
    )
    files = {(ROOT / file).resolve(): body.encode("utf-8") for file, body in shared.items()}
    try:
        load_bytes(data, path, root=ROOT, read_include=files.__getitem__ if files else None)
        tool_errors: list[JourneyError] = []
    except MapInvalid as invalid:
        tool_errors = invalid.errors
    if bool(schema_errors) == bool(tool_errors):
        return
    if not schema_errors:
        limits = [label for label, applies in KNOWN_LIMITS if applies(tool_errors, document)]
        assert limits, f"the schema accepts what journeyctl refuses: {[str(e) for e in tool_errors]}"
        return
    pytest.fail(f"the schema refuses what journeyctl accepts: {schema_errors}")


def test_every_known_limit_is_in_the_guide() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    section = guide.split("### What the JSON Schema cannot check", 1)
    assert len(section) == 2, "docs/format.md has no 'What the JSON Schema cannot check' section"
    for label, _ in KNOWN_LIMITS:
        assert label in section[1].split("\n## ", 1)[0], f"docs/format.md does not list '{label}'"


def test_the_top_level_blames_the_map_branch() -> None:
    """An error in a map is reported against the map, not as 'not valid under any of oneOf'."""
    document = {"journeyctl": 1, "id": "m", "title": "M", "stages": [{"id": "s", "name": "S", "x": 1}]}
    errors = list(VALIDATOR.iter_errors(document))
    assert [list(e.absolute_path) for e in errors] == [["stages", 0]]
    assert "'x' was unexpected" in errors[0].message


def test_emotion_is_an_integer_and_phase_offers_the_known_phases() -> None:
    step = SCHEMA["definitions"]["Step"]["properties"]["emotion"]
    assert {"type": "integer", "minimum": -2, "maximum": 2}.items() <= step["anyOf"][0].items()
    phase = SCHEMA["definitions"]["Stage"]["properties"]["phase"]
    assert phase["examples"] == ["before-purchase", "purchase", "after-purchase"]
    assert SCHEMA["definitions"]["Touchpoint"]["properties"]["moment-of-truth"]["title"] == "Moment of truth"
    assert SCHEMA["definitions"]["Journey"]["properties"]["journeyctl"]["title"] == "Format version"
    assert SCHEMA["definitions"]["PainPoint"]["title"] == "Pain point"


def test_quoted_numbers_are_refused_by_the_schema_too() -> None:
    document = {
        "journeyctl": 1,
        "id": "m",
        "title": "M",
        "stages": [{"id": "s", "name": "S", "metrics": [{"id": "x", "name": "X", "target": "60"}]}],
    }
    assert _schema_errors(document)
