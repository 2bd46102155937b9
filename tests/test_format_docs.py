"""docs/format.md: its generated field reference matches the models, and what it shows works."""

from __future__ import annotations

import datetime
import re
import typing
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest

from journeyctl.loader import load_bytes, load_shared_bytes
from journeyctl.model import Journey, SharedDefinitions, journey
from journeyctl.model.docs import (
    BEGIN_MARKER,
    END_MARKER,
    REGENERATE_COMMAND,
    describe_type,
    format_reference_markdown,
    main,
    replace_generated,
)

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "format.md"


def test_the_generated_reference_in_the_guide_is_up_to_date() -> None:
    current = GUIDE.read_text(encoding="utf-8")
    expected = replace_generated(current, format_reference_markdown())
    assert current == expected, (
        f"docs/format.md's field reference is out of date with the models; run `{REGENERATE_COMMAND}`"
    )


def _section(reference: str, heading: str) -> str:
    match = re.search(rf"^### {heading}\n(.*?)(?=^### |\Z)", reference, re.S | re.M)
    assert match, f"no section '{heading}' in the reference"
    return match.group(1)


@pytest.mark.parametrize(
    ("model", "heading"),
    [
        (Journey, "Journey map"),
        (journey.Persona, "Persona"),
        (journey.Channel, "Channel"),
        (journey.Stage, "Stage"),
        (journey.Touchpoint, "Touchpoint"),
        (journey.Step, "Step"),
        (journey.PainPoint, "Pain point"),
        (journey.Opportunity, "Opportunity"),
        (journey.Metric, "Metric"),
        (SharedDefinitions, "Shared file"),
    ],
)
def test_every_key_has_a_row_with_a_description(model: Any, heading: str) -> None:
    section = _section(format_reference_markdown(), heading)
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    keys = [row.split("`")[1] for row in rows]
    assert keys == [field.alias or name for name, field in model.model_fields.items()]
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split(" | ")]
        assert len(cells) == 4, row
        assert all(cells), f"empty cell in {row}"


# (field, expected type text, expected required/default text) as data
FIELD_CASES = [
    (Journey, "journeyctl", "`1`", "**required**"),
    (Journey, "state", "one of `current`, `future`", "optional, default `current`"),
    (Journey, "reviewed", "date (YYYY-MM-DD)", "optional"),
    (Journey, "stages", "list of [stages](#stage)", "**required**"),
    (journey.Stage, "pain_points", "list of [pain points](#pain-point)", "optional, default `[]`"),
    (journey.Stage, "opportunities", "list of [opportunities](#opportunity)", "optional, default `[]`"),
    (journey.Stage, "phase", "[slug](#ids-and-references)", "optional"),
    (journey.Step, "emotion", "whole number from -2 to +2", "optional"),
    (journey.Step, "touchpoints", "list of [slugs](#ids-and-references)", "optional, default `[]`"),
    (journey.Step, "backstage", "list of texts (not empty)", "optional, default `[]`"),
    (journey.Touchpoint, "moment_of_truth", "`true` or `false`", "optional, default `false`"),
    (journey.Metric, "value", "number", "optional"),
    (journey.Metric, "count", "whole number from 0 to 1,000,000,000,000,000", "optional"),
    (journey.Step, "duration", "[duration](#durations)", "optional"),
    (
        journey.Step,
        "emotions",
        "mapping of [slug](#ids-and-references) to whole number from -2 to +2",
        "optional, default `{}`",
    ),
    (journey.FunnelEntry, "drop_off", "number from 0 to 100", "optional"),
    (journey.Insight, "url", "web address (https://...)", "optional"),
    (journey.Metric, "better", "one of `higher`, `lower`", "optional, default `higher`"),
    (
        journey.PainPoint,
        "severity",
        "one of `low`, `medium`, `high`, `critical`",
        "optional",
    ),
]


@pytest.mark.parametrize(("model", "name", "kind", "requirement"), FIELD_CASES)
def test_field_rows(model: Any, name: str, kind: str, requirement: str) -> None:
    field = model.model_fields[name]
    row = f"| `{field.alias or name}` | {kind} | {requirement} |"
    assert row in format_reference_markdown()


def test_emotion_row_carries_the_description_of_the_emotion_type() -> None:
    assert "Mermaid's journey score is emotion + 3." in _section(format_reference_markdown(), "Step")


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        (str, "text"),
        (int, "whole number"),
        (float | None, "number"),
        (datetime.date, "date (YYYY-MM-DD)"),
        (Literal["a", "b"], "one of `a`, `b`"),
        (Literal[True], "`true`"),
        (list[str], "list of texts"),
        (Annotated[str, "unrelated metadata"], "text"),
        (list[journey.Metric], "list of [metrics](#metric)"),
        (typing.Optional[journey.Persona], "[persona](#persona)"),  # noqa: UP045 - the old spelling on purpose
    ],
)
def test_describe_type(annotation: Any, expected: str) -> None:
    assert describe_type(annotation) == expected


def test_the_reference_is_deterministic() -> None:
    assert format_reference_markdown() == format_reference_markdown()


# --- the command that keeps the guide current ---------------------------------------


def _guide(tmp_path: Path, generated: str) -> Path:
    path = tmp_path / "format.md"
    path.write_text(f"# Guide\n\nHand-written.\n\n{BEGIN_MARKER}\n{generated}\n{END_MARKER}\n\nAfter.\n")
    return path


def test_check_fails_on_a_stale_guide_and_write_repairs_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _guide(tmp_path, "| `old` | text | optional | gone |")
    assert main(["--check", "--file", str(path)]) == 1
    assert REGENERATE_COMMAND in capsys.readouterr().err
    assert main(["--write", "--file", str(path)]) == 0
    text = path.read_text()
    assert "`old`" not in text
    assert text.startswith("# Guide\n\nHand-written.\n\n")
    assert text.endswith(f"{END_MARKER}\n\nAfter.\n")
    assert format_reference_markdown() in text
    assert main(["--check", "--file", str(path)]) == 0


def test_a_guide_without_markers_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "format.md"
    path.write_text("# No markers here\n")
    assert main(["--check", "--file", str(path)]) == 2
    assert BEGIN_MARKER in capsys.readouterr().err
    assert path.read_text() == "# No markers here\n"


def test_without_options_the_reference_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    assert capsys.readouterr().out == format_reference_markdown()


# --- what the hand-written guide shows is true --------------------------------------


def _yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)


def test_the_small_map_in_the_guide_is_valid() -> None:
    block = next(b for b in _yaml_blocks() if "\njourneyctl: 1" in b)
    loaded = load_bytes(block.encode(), str(GUIDE.parent / "small-map.yaml"))
    assert loaded.journey.id == "first-online-purchase"


def test_the_shared_file_in_the_guide_is_valid() -> None:
    block = next(b for b in _yaml_blocks() if "journeyctl-shared: 1" in b)
    shared, _ = load_shared_bytes(block.encode(), "shared.yaml")
    assert [persona.id for persona in shared.personas] == ["renter-on-the-move"]


def test_the_guides_links_to_files_exist() -> None:
    links = re.findall(r"\]\((\.\./[^)#]+)\)", GUIDE.read_text(encoding="utf-8"))
    assert links
    missing = [link for link in links if not (GUIDE.parent / link).exists()]
    assert not missing


def test_the_guides_anchors_exist() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    anchors = {
        re.sub(r"[^a-z0-9 -]", "", heading.lower()).replace(" ", "-")
        for heading in re.findall(r"^#+ (.+)$", text, re.M)
    }
    targets = set(re.findall(r"\]\(#([a-z0-9-]+)\)", text))
    assert targets
    assert targets <= anchors, sorted(targets - anchors)
