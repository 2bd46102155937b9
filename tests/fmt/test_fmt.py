"""``journeyctl.fmt``: canonical text, comments kept, data unchanged, idempotent; and ``dump_map``.

Cases as data: ``cases/NAME.yaml`` is an input map and ``cases/NAME.formatted.yaml``
the exact text fmt must make of it. Every example and a generated corpus are
formatted too (set JOURNEYCTL_FULL_CORPUS=1 for all 1,000 corpus maps).
"""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

import pytest

from journeyctl import fmt
from journeyctl.fmt import CommentPlacementError, FormatterBug, dump_map, format_text, same_data
from journeyctl.loader import load_bytes, load_shared_bytes
from journeyctl.yamlsource import parse
from tests.conftest import EXAMPLES, ROOT

CASES = Path(__file__).resolve().parent / "cases"
sys.path.insert(0, str(ROOT / "benchmarks"))
import make_corpus  # noqa: E402  (benchmarks/ is a directory of scripts, not a package)


def case_inputs() -> list[Path]:
    return sorted(p for p in CASES.glob("*.yaml") if not p.name.endswith(".formatted.yaml"))


def validate(text: str, path: str) -> None:
    data = text.encode()
    if b"\njourneyctl-shared:" in b"\n" + data:
        load_shared_bytes(data, path)
    else:
        load_bytes(data, path)


def plain(text: str) -> object:
    return parse(text.encode(), "x.yaml")[0]


@pytest.mark.parametrize("path", case_inputs(), ids=lambda p: p.stem)
def test_case(path: Path) -> None:
    text = path.read_text()
    validate(text, str(path))
    expected = path.with_name(path.stem + ".formatted.yaml").read_text()
    assert format_text(text, path=str(path)) == expected
    assert format_text(expected, path=str(path)) == expected


def check_formats_safely(path: Path) -> None:
    """Data equal, comments kept, and fmt twice = fmt once."""
    text = path.read_text()
    once = format_text(text, path=str(path))
    assert same_data(plain(text), plain(once))
    assert fmt.scan_comments(once, "x").texts() == fmt.scan_comments(text, "x").texts()
    validate(once, str(path))
    assert format_text(once, path=str(path)) == once


def example_files() -> list[Path]:
    return sorted(EXAMPLES.rglob("*.yaml"))


@pytest.mark.parametrize("path", example_files(), ids=lambda p: p.stem)
def test_every_example(path: Path) -> None:
    check_formats_safely(path)


def test_examples_change_only_in_key_order() -> None:
    """The examples' layout is the canonical one; what fmt changes there is key order alone."""
    for path in example_files():
        before = path.read_text().splitlines()
        after = format_text(path.read_text(), path=str(path)).splitlines()
        assert sorted(before) == sorted(after), path


def test_corpus(tmp_path: Path) -> None:
    count = "1000" if os.environ.get("JOURNEYCTL_FULL_CORPUS") == "1" else "12"
    assert make_corpus.main([str(tmp_path), "--maps", count, "--seed", "7"]) == 0
    maps = sorted(tmp_path.rglob("*.yaml"))
    assert len(maps) == int(count)
    for path in maps:
        check_formats_safely(path)


def test_blank_lines_bom_and_crlf() -> None:
    text = "\ufeffjourneyctl: 1\r\nid: m\r\n\r\n\r\n\r\ntitle: T\r\nstages: [{id: s, name: S}]\r\n"
    assert format_text(text, path="m.yaml") == (
        "journeyctl: 1\nid: m\n\ntitle: T\nstages: [{ id: s, name: S }]\n"
    )


def test_comment_on_a_block_scalar_header_stays() -> None:
    text = "journeyctl: 1\nid: m\ntitle: T\nsummary: |  # why\n  Text\nstages: [{id: s, name: S}]\n"
    assert fmt.scan_comments(text, "m.yaml").texts() == ["# why"]
    once = format_text(text, path="m.yaml")
    assert once == text.replace("{id: s, name: S}", "{ id: s, name: S }")


def test_comment_inside_a_flow_collection_is_refused_with_its_place() -> None:
    text = "journeyctl: 1\nid: m\ntitle: T\nstages: [{id: s,  # here\n  name: S}]\n"
    with pytest.raises(CommentPlacementError) as caught:
        format_text(text, path="m.yaml")
    assert str(caught.value.location) == "m.yaml:4:19"


def test_hash_inside_text_is_not_a_comment() -> None:
    text = (
        "journeyctl: 1\nid: m\ntitle: 'Ticket #42'\nsummary: |\n  # not a comment\n"
        "stages: [{id: s, name: 'a # b'}]  # a comment\n"
    )
    comments = fmt.scan_comments(text, "m.yaml")
    assert comments.texts() == ["# a comment"]
    assert format_text(text, path="m.yaml") == text.replace(
        "{id: s, name: 'a # b'}", "{ id: s, name: 'a # b' }"
    )


def test_a_formatter_that_changes_data_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    real_emit = fmt._emit
    monkeypatch.setattr(fmt, "_emit", lambda root: real_emit(root).replace("title: T", "title: U"))
    with pytest.raises(FormatterBug, match="change the map's data"):
        format_text("journeyctl: 1\nid: m\ntitle: T\nstages: [{id: s, name: S}]\n", path="m.yaml")


def test_a_formatter_that_drops_a_comment_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    real_emit = fmt._emit
    monkeypatch.setattr(fmt, "_emit", lambda root: real_emit(root).replace("  # keep", ""))
    with pytest.raises(FormatterBug, match="# keep"):
        format_text("journeyctl: 1\nid: m  # keep\ntitle: T\nstages: [{id: s, name: S}]\n", path="m.yaml")


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ({"a": 1, "b": [1, 2]}, {"b": [1, 2], "a": 1}, True),  # key order is layout
        ({"a": 1}, {"a": 1.0}, False),
        ({"a": 1}, {"a": True}, False),
        ([1, 2], [2, 1], False),
        ({"a": None}, {}, False),
        (float("nan"), float("nan"), True),
        ("2026-01-01", datetime.date(2026, 1, 1), False),
    ],
)
def test_same_data(left: object, right: object, same: bool) -> None:
    assert same_data(left, right) is same


# --- dump_map -------------------------------------------------------------------------------


def test_dump_map_writes_canonical_text() -> None:
    data = {
        "stages": [
            {
                "steps": [
                    {"action": "Pays\nby card", "id": "pays", "touchpoints": ["web", "app"], "emotion": -1}
                ],
                "name": "Buy",
                "id": "buy",
                "goals": ["Pay, then go"],
            }
        ],
        "title": "Shop: first order",
        "id": "shop",
        "journeyctl": 1,
        "reviewed": datetime.date(2026, 5, 1),
        "tags": ["retail"],
        "personas": [{"name": "Ann Lee", "id": "ann-lee"}],
    }
    text = dump_map(data, header="Imported from shop.mmd\n\nby journeyctl import")
    assert text == (
        "# Imported from shop.mmd\n"
        "#\n"
        "# by journeyctl import\n"
        "\n"
        "journeyctl: 1\n"
        "id: shop\n"
        "title: 'Shop: first order'\n"
        "reviewed: 2026-05-01\n"
        "tags: [retail]\n"
        "personas:\n"
        "  - id: ann-lee\n"
        "    name: Ann Lee\n"
        "stages:\n"
        "  - id: buy\n"
        "    name: Buy\n"
        "    goals:\n"
        "      - Pay, then go\n"
        "    steps:\n"
        "      - id: pays\n"
        "        action: |-\n"
        "          Pays\n"
        "          by card\n"
        "        touchpoints: [web, app]\n"
        "        emotion: -1\n"
    )
    assert format_text(text, path="shop.yaml") == text


def test_dump_map_without_header_and_awkward_text() -> None:
    data = {
        "journeyctl": 1,
        "id": "m",
        "title": "yes",
        "summary": "10",
        "stages": [{"id": "s", "name": "#1 - 'quoted' \"double\"", "goals": []}],
    }
    text = dump_map(data)
    assert text.startswith("journeyctl: 1\n")
    assert plain(text) == data


def test_the_before_and_after_of_docs_fmt_md() -> None:
    text = (ROOT / "docs" / "fmt.md").read_text()
    section = text.split("Before and after:", 1)[1]
    before, after = (block.split("\n", 1)[1] for block in section.split("```yaml")[1:3])
    before, after = before.split("```", 1)[0], after.split("```", 1)[0]
    assert format_text(before, path="doc.yaml") == after
