"""What a lint rule works with: the values it yields and the base of its options.

A rule is a module in ``journeyctl.rules`` (or a third party's module named by
the ``journeyctl.rules`` entry-point group) with:

* ``CODE`` — stable code such as ``"JM101"`` (never reused once retired);
* ``NAME`` — kebab-case name such as ``"stage-without-touchpoints"``;
* ``SEVERITY`` — default ``"error"``, ``"warning"`` or ``"info"``;
* ``Options`` — a ``RuleOptions`` subclass (may have no fields);
* ``check(loaded, options)`` — yields ``Violation`` values;
* a module docstring: summary line, why it matters, options, and a failing and
  a passing example (fenced ``yaml`` blocks under "Failing" and "Passing").
"""

from __future__ import annotations

import inspect
import typing
from typing import Any

# The values are defined without pydantic (see findings.py) and re-exported here,
# where rule authors look for them.
from journeyctl.lint.findings import SEVERITIES, Finding, Severity, Violation

if typing.TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["SEVERITIES", "Field", "Finding", "RuleOptions", "Severity", "Violation"]

_REQUIRED: Any = object()


class _Declared:
    """An option declared with ``Field``: its default and pydantic's constraints, kept until needed."""

    __slots__ = ("constraints", "default", "factory")

    def __init__(self, default: Any, factory: Any, constraints: dict[str, Any]) -> None:
        self.default, self.factory, self.constraints = default, factory, constraints


def Field(default: Any = _REQUIRED, *, default_factory: Any = None, **constraints: Any) -> Any:
    """An option with a default and constraints, as ``pydantic.Field`` takes them (``ge``, ``le``,
    ``min_length``, ``description``, ...): pydantic applies them when options are configured."""
    return _Declared(default, default_factory, constraints)


class RuleOptions:
    """Base of every rule's options: fields with a type and a default, unknown options refused.

    Options are declared as class attributes, ``name: type = default`` or
    ``name: type = Field(default, ge=1, description=...)`` (this module's ``Field``, or
    pydantic's). A rule whose options nobody configures gets its defaults without pydantic
    being imported (most runs: a one-map lint spends no time on the options' validators);
    configured options are validated by a pydantic model built from the declaration the
    first time it is needed (``validator()``), strictly, as maps are: ``max-age-days: "90"``
    is refused with "remove the quotes". Keys are kebab-case (``max-age-days``); the
    attribute names work too.
    """

    def __init__(self, **values: Any) -> None:
        """The defaults; with ``values``, those options validated (as a pydantic model would)."""
        if values:
            self._take(type(self).validator()(**values))
            return
        for name, declared in self._declared.items():
            setattr(self, name, _default(declared))

    def _take(self, model: BaseModel) -> None:
        for name in self._declared:
            setattr(self, name, getattr(model, name))

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared: dict[str, Any] = {}
        for base in reversed(cls.__mro__[1:]):
            declared.update(getattr(base, "_declared", {}))
        for name in inspect.get_annotations(cls):
            if not name.startswith("_"):
                declared[name] = cls.__dict__.get(name, _REQUIRED)
        cls._declared = declared
        cls._validator = None

    _declared: typing.ClassVar[dict[str, Any]] = {}
    # Any, not the model's type: get_type_hints evaluates every annotation of the class when
    # the validator is built, and pydantic is not imported where this one is written.
    _validator: typing.ClassVar[Any] = None
    _hints: typing.ClassVar[dict[str, Any]]

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in vars(self).items())
        return f"{type(self).__name__}({fields})"

    @classmethod
    def model_construct(cls) -> RuleOptions:
        """The defaults, without validation (a default is valid by definition)."""
        return cls()

    @classmethod
    def model_validate(cls, data: Any) -> RuleOptions:
        """Options from configuration, validated; raises pydantic's ``ValidationError``.

        Options that are certainly valid are taken without pydantic (lint/plain_options.py);
        pydantic judges the rest, and words the errors.
        """
        if not _has_validators(cls):
            from journeyctl.lint.plain_options import accept

            if "_hints" not in cls.__dict__:
                cls._hints = typing.get_type_hints(cls)
            values = accept(cls._declared, cls._hints, data)
            if values is not None:
                options = cls()
                for name, value in values.items():
                    setattr(options, name, value)
                return options
        options = cls.__new__(cls)
        options._take(cls.validator().model_validate(data))
        return options

    @classmethod
    def validator(cls) -> type[BaseModel]:
        """The pydantic model that validates these options (built once)."""
        if cls.__dict__.get("_validator") is None:
            cls._validator = _build_validator(cls)
        model: type[BaseModel] = cls._validator
        return model


def _has_validators(cls: type[RuleOptions]) -> bool:
    """Whether the options have validators of their own (pydantic's decorators), which only
    pydantic runs."""
    return any(
        type(value).__name__ == "PydanticDescriptorProxy"
        for klass in cls.__mro__
        for value in vars(klass).values()
    )


def _default(declared: Any) -> Any:
    if isinstance(declared, _Declared):
        if declared.factory is not None:
            return declared.factory()
        if declared.default is _REQUIRED:
            raise TypeError("an option needs a default: a rule runs without configuration")
        return declared.default
    if type(declared).__name__ == "FieldInfo":  # pydantic's own Field(...)
        return declared.get_default(call_default_factory=True)
    if declared is _REQUIRED:
        raise TypeError("an option needs a default: a rule runs without configuration")
    return declared


def _build_validator(cls: type[RuleOptions]) -> type[BaseModel]:
    import pydantic

    config = pydantic.ConfigDict(
        extra="forbid",
        alias_generator=lambda n: n.replace("_", "-"),
        validate_by_alias=True,
        validate_by_name=True,
        strict=True,
    )
    hints = typing.get_type_hints(cls)
    fields: dict[str, Any] = {}
    for name, declared in cls._declared.items():
        if isinstance(declared, _Declared):
            default = (
                pydantic.Field(default_factory=declared.factory, **declared.constraints)
                if declared.factory is not None
                else pydantic.Field(declared.default, **declared.constraints)
            )
        else:
            default = declared
        fields[name] = (hints[name], default)
    validators = {
        name: value for name, value in vars(cls).items() if type(value).__name__ == "PydanticDescriptorProxy"
    }
    model: type[BaseModel] = pydantic.create_model(
        cls.__name__,
        __config__=config,
        __doc__=cls.__doc__,
        __module__=cls.__module__,
        __validators__=validators,
        **fields,
    )
    return model
