"""RuleOptions: declarations whose defaults need no pydantic, validated by pydantic when configured."""

from __future__ import annotations

import datetime

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
