"""The loader's own scalar resolver (benchmarks showed PyYAML's cost a third of composing).

Every plain, quoted and tagged form must resolve exactly as YAML 1.2's core schema says
(and as the loader did with PyYAML's resolver): cases as data, value and type.
"""

from __future__ import annotations

from typing import Any

import pytest

from journeyctl.errors import LoadError
from journeyctl.yamlsource import parse

CASES: list[tuple[str, Any]] = [
    ("hello world", "hello world"),
    ("", None),
    ("~", None),
    ("null", None),
    ("Null", None),
    ("NULL", None),
    ("nothing", "nothing"),
    ("true", True),
    ("True", True),
    ("TRUE", True),
    ("false", False),
    ("no", "no"),
    ("No", "No"),
    ("on", "on"),
    ("off", "off"),
    ("yes", "yes"),
    ("y", "y"),
    ("1:20", "1:20"),
    ("12", 12),
    ("-3", -3),
    ("+4", 4),
    ("1_000", 1000),
    ("0x1F", 31),
    # YAML 1.2 would read these two as numbers; the loader has always kept them as text
    # (it types a plain scalar only when YAML 1.1 does too), and must keep doing so.
    ("0o17", "0o17"),
    ("1.5", 1.5),
    ("-0.25", -0.25),
    (".5", 0.5),
    ("1e3", "1e3"),
    ("1.5e+3", 1500.0),
    (".inf", float("inf")),
    ("-.inf", float("-inf")),
    ("2026-09-15", "2026-09-15"),
    ("12:30:00", "12:30:00"),
    ("'12'", "12"),
    ('"true"', "true"),
    ("!!str 12", "12"),
    ("!!int '12'", 12),
    # An explicit core tag other than !!str resolves the text by the plain rules, as before.
    ("!!float 3", 3),
    ("'<<'", "<<"),
    ("=", "="),
    ("<p>", "<p>"),
    (".hidden", ".hidden"),
    ("+fast", "+fast"),
    ("-1 star", "-1 star"),
    ("tomorrow", "tomorrow"),
    ("|\n  text\n", "text\n"),
    (">-\n  folded\n  text\n", "folded text"),
    # Shaped like numbers (YAML 1.1 would type them) but not readable as numbers: text, never
    # a crash (issue 9, item 10).
    ("1__", "1__"),
    ("1_", "1_"),
    ("+1_", "+1_"),
    ("0x_", "0x_"),
    ("1._", "1._"),
    ("!!int 0o_", "0o_"),
    ("!!int 0x_", "0x_"),
    ("!!float 1._", "1._"),
    ("1" * 4300, int("1" * 4300)),
    # Over Python's 4,300-digit limit for reading an integer: text.
    ("1" * 4301, "1" * 4301),
    ("-" + "9" * 5000, "-" + "9" * 5000),
    ("1.5e+999", float("inf")),
]


@pytest.mark.parametrize(
    ("written", "expected"),
    CASES,
    ids=[c[0][:20] + ("..." if len(c[0]) > 20 else "") or "<empty>" for c in CASES],
)
def test_scalar_resolves_as_yaml_1_2(written: str, expected: Any) -> None:
    document, _ = parse(f"value: {written}\n".encode(), "case.yaml")
    value = document["value"]
    assert value == expected
    assert type(value) is type(expected)


def test_nan() -> None:
    document, _ = parse(b"value: .nan\n", "case.yaml")
    assert document["value"] != document["value"]


def test_merge_key_plain_merges_and_quoted_is_a_key() -> None:
    text = b"base: &b {a: 1}\nmerged: {<<: *b, c: 2}\nquoted: {'<<': 3}\n"
    document, _ = parse(text, "case.yaml")
    assert document["merged"] == {"a": 1, "c": 2}
    assert document["quoted"] == {"<<": 3}


@pytest.mark.parametrize(
    ("text", "line", "first"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, 1),
        ("1: x\n'1': y\ntrue: z\n", 3, 1),
        ("x: 1\n'x': 2\n", 2, 1),
    ],
)
def test_duplicate_keys_name_the_first(text: str, line: int, first: int) -> None:
    with pytest.raises(LoadError) as info:
        parse(text.encode(), "case.yaml")
    assert info.value.location is not None and info.value.location.line == line
    assert f"first defined on line {first}" in info.value.message


def test_true_and_one_are_the_same_key() -> None:
    # As in a Python dict (and as before the resolver was replaced): True == 1.
    with pytest.raises(LoadError, match="duplicate key"):
        parse(b"1: x\ntrue: y\n", "case.yaml")


def test_a_written_tag_is_never_taken_for_the_internal_one() -> None:
    with pytest.raises(LoadError, match="is not allowed"):
        parse(b"value: !<tag:journeyctl:implicit> 12\n", "case.yaml")
