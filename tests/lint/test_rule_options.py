"""RuleOptions: declarations whose defaults need no pydantic, validated by pydantic when configured."""

from __future__ import annotations

import datetime
import subprocess
import sys
import typing
from pathlib import Path

import pydantic
import pytest

from journeyctl.lint.api import Field, RuleOptions


class Declared(RuleOptions):
    """Options written every way a rule author may write them."""

    max_age_days: int = Field(180, ge=1, description="How many days old a review may be.")
    phases: list[str] = Field(default_factory=lambda: ["after-purchase"], min_length=1)
    today: datetime.date | None = None
    label: str = pydantic.Field("x", min_length=1)  # pydantic's own Field, as older plugins write it

    @pydantic.field_validator("label")
    @classmethod
    def _no_spaces(cls, value: str) -> str:
        if " " in value:
            raise ValueError("no spaces")
        return value


def test_defaults() -> None:
    options = Declared()
    assert (options.max_age_days, options.phases, options.today, options.label) == (
        180,
        ["after-purchase"],
        None,
        "x",
    )
    assert Declared.model_construct() == options
    assert Declared().phases is not options.phases  # a fresh list each time


def test_configured_options_are_validated_by_key_or_name() -> None:
    options = Declared.model_validate(
        {"max-age-days": 90, "phases": ["after"], "today": datetime.date(2026, 1, 2)}
    )
    assert isinstance(options, Declared)
    assert (options.max_age_days, options.phases, options.today) == (90, ["after"], datetime.date(2026, 1, 2))
    assert Declared.model_validate({"max_age_days": 7}).max_age_days == 7
    assert Declared(max_age_days=3).max_age_days == 3


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"max-age-days": 0}, "greater_than_equal"),
        ({"max-age-days": "90"}, "int_type"),  # strict: a quoted number is refused
        ({"phases": []}, "too_short"),
        ({"colour": "red"}, "extra_forbidden"),
        ({"label": ""}, "string_too_short"),
        ({"label": "a b"}, "value_error"),  # the author's validator runs
    ],
)
def test_bad_options_are_refused(data: dict[str, object], error: str) -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        Declared.model_validate(data)
    assert caught.value.errors()[0]["type"] == error


def test_the_validator_describes_the_declared_fields() -> None:
    fields = Declared.validator().model_fields
    assert list(fields) == ["max_age_days", "phases", "today", "label"]
    assert fields["max_age_days"].description == "How many days old a review may be."
    assert Declared.validator() is Declared.validator()


def test_an_option_without_a_default_is_refused_at_first_use() -> None:
    class Incomplete(RuleOptions):
        needed: int

    with pytest.raises(TypeError, match="needs a default"):
        Incomplete()


# --- options taken without pydantic (lint/plain_options.py) ---------------------------------

#: Values tried in every option of every built-in rule: the types strict validation takes and
#: those it refuses, bounds, lengths, literals of the rules, numbers beyond a float's exactness.
TRIED: list[object] = [
    None,
    0,
    1,
    -1,
    2,
    3,
    4,
    5,
    20,
    100,
    101,
    10**20,
    2**53 + 1,
    2.5,
    20.0,
    -0.0,
    float("nan"),
    float("inf"),
    True,
    "5",
    "",
    "after-purchase",
    [],
    ["after-purchase"],
    ["after-purchase", "after-purchase"],
    ["critical"],
    ["critical", "high"],
    ["planned", "done"],
    ["Critical"],
    ["high", 1],
    [1],
    ("critical",),
    datetime.date(2026, 1, 1),
    datetime.datetime(2026, 1, 1, 12, 0),
    "2026-01-01",
]


def _builtin_options() -> list[tuple[str, type[RuleOptions], str]]:
    from journeyctl.lint.registry import get_registry

    found = []
    for info in get_registry():
        options = info.options_class
        for name in options._declared:
            found.append((info.code, options, name))
    return found


@pytest.mark.parametrize(
    ("code", "options", "name"), _builtin_options(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_plain_options_agree_with_pydantic(code: str, options: type[RuleOptions], name: str) -> None:
    from journeyctl.plain_options import accept

    hints = typing.get_type_hints(options)
    taken = 0
    for value in TRIED:
        for key in {name, name.replace("_", "-")}:
            data = {key: value}
            plain = accept(options._declared, hints, data)
            try:
                model = options.validator().model_validate(data)
            except pydantic.ValidationError:
                assert plain is None, (code, data)
                continue
            if plain is None:
                continue
            taken += 1
            expected = getattr(model, name)
            assert plain[name] == expected and type(plain[name]) is type(expected), (code, data)
            if isinstance(expected, list):
                assert [type(v) for v in plain[name]] == [type(v) for v in expected], (code, data)
    assert taken, f"{code} {name}: no value was taken without pydantic"


def test_keys_pydantic_must_judge() -> None:
    from journeyctl.plain_options import accept

    hints = typing.get_type_hints(Declared)
    for data in (
        {"max-age-days": 1, "max_age_days": 2},  # the same option twice
        {"max-age_days": 1},  # neither its key nor its name
        {"colour": "red"},
        {1: 1},
        ["max-age-days"],
    ):
        assert accept(Declared._declared, hints, data) is None, data
    # Declared has a validator of its own: only pydantic runs it.
    with pytest.raises(pydantic.ValidationError):
        Declared.model_validate({"label": "a b"})


def test_a_configured_option_is_taken_without_pydantic(tmp_path: Path) -> None:
    config = tmp_path / ".journeyctl.yaml"
    config.write_text("rules:\n  stale-map: {max-age-days: 36500}\n  emotion-cliff: {min-drop: 2}\n")
    journey = tmp_path / "a.yaml"
    journey.write_text("journeyctl: 1\nid: a\ntitle: A\nowner: Team\nstages:\n  - id: s\n    name: S\n")
    code = f"""
import sys
from journeyctl.entry import main
code = main(["lint", "--no-cache", "-q", "--config", {str(config)!r}, {str(journey)!r}])
loaded = [n for n, m in sys.modules.items() if n.startswith("pydantic") and getattr(m, "__file__", None)]
print(code, sorted(loaded))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].endswith(" []")
