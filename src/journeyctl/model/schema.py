"""JSON Schema (draft-07, which editors support best) built from the models."""

from __future__ import annotations

import json
from typing import Any

SCHEMA_ID = "https://journeyctl.dev/schemas/journey.schema.json"


def journey_schema() -> dict[str, Any]:
    """The JSON Schema of a journey map file, as a draft-07 document."""
    from journeyctl.model.journey import Journey, SharedDefinitions

    schema = Journey.model_json_schema(by_alias=True, ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", {})
    shared = SharedDefinitions.model_json_schema(by_alias=True, ref_template="#/definitions/{model}")
    definitions.update(shared.pop("$defs", {}))
    definitions["SharedDefinitions"] = shared
    journey_title = schema.pop("title")
    definitions["Journey"] = schema
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": journey_title,
        "description": (
            "A customer journey map for journeyctl (format version 1), or a shared file of "
            "personas and channels (journeyctl-shared: 1)."
        ),
        "oneOf": [
            {"$ref": "#/definitions/Journey"},
            {"$ref": "#/definitions/SharedDefinitions"},
        ],
        "definitions": dict(sorted(definitions.items())),
    }


def schema_text() -> str:
    """The schema as the text checked in at ``schemas/journey.schema.json``."""
    return json.dumps(journey_schema(), indent=2, ensure_ascii=False) + "\n"
