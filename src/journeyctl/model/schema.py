"""JSON Schema (draft-07, which editors support best) built from the models.

Editors (yaml-language-server) validate and complete maps with this schema, so it must
accept and refuse what ``journeyctl validate`` does: the agreement is tested on every loader
case (tests/test_schema_agreement.py), and what JSON Schema cannot express is listed in
docs/format.md. Two choices here serve the people reading an editor's messages:

* the top level is ``if``/``then``/``else`` on ``journeyctl-shared`` rather than ``oneOf``
  of map and shared file, so a validator reports a map's errors against the map, never
  "is not valid under any of the given schemas" or errors of the shared-file branch;
* titles are words ("Moment of truth", "Pain point"), not pydantic's field and class names.
"""

from __future__ import annotations

import json
import re
from typing import Any

SCHEMA_ID = "https://journeyctl.dev/schemas/journey.schema.json"

#: Titles of keys whose name alone does not say what they are.
_KEY_TITLES = {
    "journeyctl": "Format version",
    "journeyctl-shared": "Shared file format version",
    "id": "Id",
}


def journey_schema() -> dict[str, Any]:
    """The JSON Schema of a journey map file, as a draft-07 document."""
    from journeyctl.model.journey import KNOWN_PHASES, Journey, SharedDefinitions

    schema = Journey.model_json_schema(by_alias=True, ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", {})
    shared = SharedDefinitions.model_json_schema(by_alias=True, ref_template="#/definitions/{model}")
    definitions.update(shared.pop("$defs", {}))
    definitions["SharedDefinitions"] = shared
    journey_title = schema.pop("title")
    definitions["Journey"] = {**schema, "title": journey_title}
    for definition in definitions.values():
        _human_titles(definition)
    phase = definitions["Stage"]["properties"]["phase"]
    # Completion offers the phases lint rules and renderers know; a team's own still validates.
    phase["examples"] = list(KNOWN_PHASES)
    _rules_across_keys(definitions)
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": journey_title,
        "description": (
            "A customer journey map for journeyctl (format version 1), or a shared file of "
            "personas and channels (journeyctl-shared: 1)."
        ),
        "if": {"type": "object", "required": ["journeyctl-shared"]},
        "then": {"$ref": "#/definitions/SharedDefinitions"},
        "else": {"$ref": "#/definitions/Journey"},
        "definitions": dict(sorted(definitions.items())),
    }


#: Branch kinds of a step; ``main`` (or no ``kind``) is the main line.
_BRANCH_KINDS = ["alternative", "failure", "recovery"]


def _rules_across_keys(definitions: dict[str, Any]) -> None:
    """The models' checks across keys that JSON Schema can say, so editors flag them too.

    pydantic writes each field's own constraints; these are the validators' rules on
    combinations of keys (docs/format.md lists the ones no schema can express).
    """
    step = definitions["Step"]
    step["properties"]["personas"]["uniqueItems"] = True
    # A persona id as a key: the pattern of an id, which pydantic leaves out of propertyNames.
    step["properties"]["emotions"]["propertyNames"]["pattern"] = step["properties"]["personas"]["items"][
        "pattern"
    ]
    step["allOf"] = [
        # `persona: a` or `personas: [a, b]`, not both.
        {"not": {"required": ["persona", "personas"]}},
        # A main-line step takes no branch keys.
        {
            "if": {"not": {"required": ["kind"], "properties": {"kind": {"enum": _BRANCH_KINDS}}}},
            "then": {"properties": {"condition": False, "branches-from": False, "rejoins": False}},
        },
    ]
    # A metric measures a step or a touchpoint, not both.
    definitions["Metric"]["not"] = {"required": ["step", "touchpoint"]}
    # What names a baseline's stages and pain points belongs to a future-state map.
    opportunity_in_stage = {"properties": {"resolves": False}}
    definitions["Journey"]["if"] = {
        "not": {"required": ["state"], "properties": {"state": {"const": "future"}}}
    }
    definitions["Journey"]["then"] = {
        "properties": {
            "dropped-stages": False,
            "stages": {"items": {"properties": {"opportunities": {"items": opportunity_in_stage}}}},
        }
    }


def _human_titles(definition: dict[str, Any]) -> None:
    """Words for titles: ``PainPoint`` -> "Pain point", ``moment-of-truth`` -> "Moment of truth"."""
    title = definition.get("title")
    if isinstance(title, str) and " " not in title:
        definition["title"] = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", title).capitalize()
    for key, prop in definition.get("properties", {}).items():
        prop["title"] = _KEY_TITLES.get(key, key.replace("-", " ").capitalize())


def schema_text() -> str:
    """The schema as the text checked in at ``schemas/journey.schema.json``."""
    return json.dumps(journey_schema(), indent=2, ensure_ascii=False) + "\n"
