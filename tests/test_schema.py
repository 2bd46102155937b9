"""The checked-in JSON Schema matches the models, and it is a usable draft-07 schema."""

from __future__ import annotations

import json

import jsonschema
import yaml

from journeyctl.model.schema import schema_text
from tests.conftest import EXAMPLES, ROOT

SCHEMA_FILE = ROOT / "schemas" / "journey.schema.json"


def test_checked_in_schema_has_not_drifted() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "schemas/journey.schema.json is out of date: run "
        "`journeyctl schema -o schemas/journey.schema.json` and commit it"
    )


def test_schema_is_valid_draft7_with_descriptions() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)
    step = schema["definitions"]["Step"]["properties"]
    assert "emotion" in step and "-2" in json.dumps(step["emotion"])
    for name, definition in schema["definitions"].items():
        for key, prop in definition.get("properties", {}).items():
            assert prop.get("description"), f"{name}.{key} has no description"


def test_examples_validate_against_the_schema() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    files = sorted(EXAMPLES.rglob("*.yaml"))
    assert files, "examples/ has no maps"
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = json.loads(json.dumps(data, default=str))
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], f"{path.name}: {errors}"


def test_schema_rejects_unknown_keys() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    document = {"journeyctl": 1, "id": "m", "title": "M", "stages": [{"id": "s", "name": "S"}], "bogus": 1}
    assert list(validator.iter_errors(document))
    del document["bogus"]
    assert not list(validator.iter_errors(document))
