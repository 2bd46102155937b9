"""The format reference in ``docs/format.md``, generated from the models.

``format_reference_markdown()`` builds one table per model (key, type,
required or default, description) from the pydantic field definitions, so the
reference cannot fall behind the format. ``docs/format.md`` holds it between
two marker comments; ``python -m journeyctl.model.docs --write`` refreshes it
and ``--check`` fails when it is stale (the test suite runs the same check).
"""

from __future__ import annotations

import argparse
import datetime
import sys
import types
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BEGIN_MARKER = "<!-- BEGIN GENERATED REFERENCE -->"
END_MARKER = "<!-- END GENERATED REFERENCE -->"

#: ``docs/format.md`` in a source checkout (src/journeyctl/model/docs.py -> repository root).
DEFAULT_DOC_PATH = Path(__file__).resolve().parents[3] / "docs" / "format.md"

REGENERATE_COMMAND = "python -m journeyctl.model.docs --write"


class _Section(typing.NamedTuple):
    model: str
    heading: str
    where: str


#: The models in reading order: each heading, and where its mapping is written in a file.
_SECTIONS = (
    _Section("Journey", "Journey map", "The top level of a journey map file."),
    _Section("Persona", "Persona", "Items of `personas` (in a map or a shared file)."),
    _Section("Channel", "Channel", "Items of `channels` (in a map or a shared file)."),
    _Section("Stage", "Stage", "Items of `stages`."),
    _Section("Touchpoint", "Touchpoint", "Items of a stage's `touchpoints`."),
    _Section("Step", "Step", "Items of a stage's `steps`."),
    _Section("PainPoint", "Pain point", "Items of a stage's `pain-points`."),
    _Section("Opportunity", "Opportunity", "Items of a stage's `opportunities`."),
    _Section("Metric", "Metric", "Items of a stage's `metrics`."),
    _Section("Insight", "Insight", "Items of `insights` (in a map or a shared file)."),
    _Section("Funnel", "Funnel", "The map's `funnel`."),
    _Section("FunnelEntry", "Funnel entry", "Items of the funnel's `entries`."),
    _Section("SharedDefinitions", "Shared file", "The top level of a shared file, used through `include`."),
)


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading made of words and spaces."""
    return heading.lower().replace(" ", "-")


def _headings() -> dict[type[Any], str]:
    from journeyctl.model import journey

    return {getattr(journey, section.model): section.heading for section in _SECTIONS}


def _metadata_of(annotation: Any) -> tuple[Any, list[Any]]:
    """The bare type of an ``Annotated`` type and its constraints, flattened."""
    from pydantic.fields import FieldInfo

    metadata: list[Any] = []
    while typing.get_origin(annotation) is typing.Annotated:
        base, *extra = typing.get_args(annotation)
        for item in extra:
            if isinstance(item, FieldInfo):
                metadata.extend(item.metadata)
            else:
                metadata.append(item)
        annotation = base
    return annotation, metadata


def _constraint(metadata: Sequence[Any], name: str) -> Any:
    for item in metadata:
        value = getattr(item, name, None)
        if value is not None:
            return value
    return None


def describe_type(annotation: Any, metadata: Sequence[Any] = ()) -> str:
    """A short, readable name for a field's type, in markdown."""
    from pydantic import BaseModel

    from journeyctl.model.journey import SLUG_PATTERN

    annotation, inner = _metadata_of(annotation)
    metadata = [*metadata, *inner]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return " or ".join(describe_type(option) for option in options)
    if origin is typing.Literal:
        values = [f"`{_yaml_value(value)}`" for value in typing.get_args(annotation)]
        return values[0] if len(values) == 1 else "one of " + ", ".join(values)
    if origin is list:
        (item,) = typing.get_args(annotation)
        return "list of " + _plural(describe_type(item))
    if origin is dict:
        key, value = typing.get_args(annotation)
        return f"mapping of {describe_type(key)} to {describe_type(value)}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        heading = _headings().get(annotation, annotation.__name__)
        return f"[{heading.lower()}](#{_anchor(heading)})"
    if annotation is bool:
        return "`true` or `false`"
    if annotation is int:
        low, high = _constraint(metadata, "ge"), _constraint(metadata, "le")
        if low is not None and high is not None and low < 0:
            return f"whole number from {low} to +{high}"  # a scale around 0: -2 to +2
        if low is not None and high is not None:
            return f"whole number from {low} to {high:,}"
        if low is not None:
            return f"whole number, {low} or more"
        return "whole number"
    if annotation is float:
        low, high = _constraint(metadata, "ge"), _constraint(metadata, "le")
        if low is not None and high is not None:
            return f"number from {low:g} to {high:g}"
        return "number"
    if annotation is datetime.date:
        return "date (YYYY-MM-DD)"
    if annotation is str:
        if _constraint(metadata, "pattern") == SLUG_PATTERN:
            return "[slug](#ids-and-references)"
        if _constraint(metadata, "min_length"):
            return "text (not empty)"
        if any(getattr(item, "func", None) is _duration_check() for item in metadata):
            return "[duration](#durations)"
        if any(getattr(item, "func", None) is _url_check() for item in metadata):
            return "web address (https://...)"
        return "text"
    return str(getattr(annotation, "__name__", annotation))


def _duration_check() -> Any:
    from journeyctl.model.journey import _check_duration

    return _check_duration


def _url_check() -> Any:
    from journeyctl.model.journey import _check_url

    return _check_url


def _plural(text: str) -> str:
    if text.startswith("text"):
        return "texts" + text[4:]
    if text.startswith("["):
        label, rest = text[1:].split("]", 1)
        label = label[:-1] + "ies" if label.endswith("y") else label + "s"
        return f"[{label}]{rest}"
    return text


def _yaml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _field_description(field: Any) -> str:
    """The field's description, or the one its reusable type carries (as ``Emotion`` does)."""
    from pydantic.fields import FieldInfo

    if field.description:
        return str(field.description)
    stack = [field.annotation]
    while stack:
        annotation = stack.pop()
        for arg in typing.get_args(annotation):
            if isinstance(arg, FieldInfo) and arg.description:
                return str(arg.description)
            stack.append(arg)
    return ""


def _requirement(field: Any) -> str:
    from pydantic_core import PydanticUndefined

    if field.is_required():
        return "**required**"
    from journeyctl.model.journey import empty_dict, empty_list

    if field.default_factory in (list, empty_list):
        return "optional, default `[]`"
    if field.default_factory in (dict, empty_dict):
        return "optional, default `{}`"
    if field.default is None or field.default is PydanticUndefined:
        return "optional"
    return f"optional, default `{_yaml_value(field.default)}`"


def _cell(text: str) -> str:
    """Text that is safe inside a markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def model_table(model: type[Any]) -> str:
    """The markdown table of one model's keys."""
    rows = ["| Key | Type | Required / default | Description |", "| --- | --- | --- | --- |"]
    for name, field in model.model_fields.items():
        key = field.alias or name
        kind = describe_type(field.annotation, field.metadata)
        rows.append(
            f"| `{key}` | {_cell(kind)} | {_requirement(field)} | {_cell(_field_description(field))} |"
        )
    return "\n".join(rows)


def format_reference_markdown() -> str:
    """Every model of the format as a section with its table of keys."""
    from journeyctl.model import journey

    parts = [
        "Generated from the models in `src/journeyctl/model/journey.py`; "
        f"run `{REGENERATE_COMMAND}` after changing them.",
    ]
    for section in _SECTIONS:
        model = getattr(journey, section.model)
        summary = (model.__doc__ or "").strip().splitlines()[0]
        parts.append(f"### {section.heading}\n\n{summary} {section.where}\n\n{model_table(model)}")
    return "\n\n".join(parts) + "\n"


def replace_generated(document: str, reference: str) -> str:
    """``document`` with the text between the markers replaced by ``reference``."""
    start = document.find(BEGIN_MARKER)
    end = document.find(END_MARKER)
    if start < 0 or end < start:
        raise ValueError(f"the document has no '{BEGIN_MARKER}' ... '{END_MARKER}' block")
    head = document[: start + len(BEGIN_MARKER)]
    return f"{head}\n\n{reference}\n{document[end:]}"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the reference, or write it into (``--write``) or check it against (``--check``) the guide."""
    parser = argparse.ArgumentParser(
        prog="python -m journeyctl.model.docs",
        description="Generate the field reference of the journey map format.",
    )
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help="Rewrite the generated block of the guide.")
    action.add_argument(
        "--check", action="store_true", help="Exit 1 if the guide's generated block is stale."
    )
    parser.add_argument(
        "--file", type=Path, default=DEFAULT_DOC_PATH, help="The guide (default docs/format.md)."
    )
    args = parser.parse_args(argv)
    reference = format_reference_markdown()
    if not (args.write or args.check):
        sys.stdout.write(reference)
        return 0
    path: Path = args.file
    try:
        current = path.read_text(encoding="utf-8")
        updated = replace_generated(current, reference)
    except (OSError, ValueError) as exc:
        sys.stderr.write(f"{path}: {exc}\n")
        return 2
    if args.check:
        if updated != current:
            sys.stderr.write(f"{path}: the generated reference is stale; run `{REGENERATE_COMMAND}`\n")
            return 1
        return 0
    if updated != current:
        from journeyctl.errors import OutputError
        from journeyctl.output import write_output

        try:
            write_output(path, updated.encode("utf-8"))
        except OutputError as exc:
            sys.stderr.write(f"{exc}\n")
            return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
