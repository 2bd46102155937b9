"""Options declared as plain classes: defaults without pydantic, pydantic when they are set.

Rules (``journeyctl.lint.api.RuleOptions``) and renderers
(``journeyctl.renderers.RendererOptions``) declare their options on subclasses of
``DeclaredOptions``. Importing a rule or a renderer then costs no pydantic import
(~50 ms of a one-map lint or render), and neither do options nobody sets or sets
to values that are certainly valid; pydantic validates the rest, from the same
declaration.
"""

from __future__ import annotations

import inspect
import typing
from typing import Any

if typing.TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["DeclaredOptions", "Field"]

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


class DeclaredOptions:
    """Base of rules' and renderers' options: fields with a type and a default, unknown keys refused.

    Options are declared as class attributes, ``name: type = default`` or
    ``name: type = Field(default, ge=1, description=...)`` (this module's ``Field``, or
    pydantic's). Options nobody sets are the defaults, made without pydantic being
    imported (most runs: a one-map lint or render spends nothing on validators). Options
    that are set and certainly valid are taken as they are (plain_options.py); pydantic
    validates the rest with a model built from the declaration the first time it is
    needed (``validator()``), and words the errors. Subclasses say how: ``_STRICT``
    (numbers are numbers, ``"90"`` is refused) and ``_KEBAB`` (keys are kebab-case, and
    the attribute names work too).
    """

    #: Whether the validator is strict (no text read as a number or a yes).
    _STRICT: typing.ClassVar[bool] = True
    #: Whether keys are kebab-case (``max-age-days``) as well as the attribute names.
    _KEBAB: typing.ClassVar[bool] = True
    #: Each option's ``Field`` record or plain default, by name (set for each subclass).
    _declared: typing.ClassVar[dict[str, Any]] = {}
    # Any, not the model's type: get_type_hints evaluates every annotation of the class when
    # the validator is built, and pydantic is not imported where this one is written.
    _validator: typing.ClassVar[Any] = None
    _hints: typing.ClassVar[dict[str, Any]]

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

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in vars(self).items())
        return f"{type(self).__name__}({fields})"

    @classmethod
    def model_construct(cls) -> typing.Self:
        """The defaults, without validation (a default is valid by definition)."""
        return cls()

    @classmethod
    def model_validate(cls, data: Any) -> typing.Self:
        """Options from configuration, validated; raises pydantic's ``ValidationError``.

        Options that are certainly valid are taken without pydantic (plain_options.py);
        pydantic judges the rest, and words the errors.
        """
        if not _has_validators(cls):
            from journeyctl.plain_options import accept

            if "_hints" not in cls.__dict__:
                cls._hints = typing.get_type_hints(cls)
            values = accept(cls._declared, cls._hints, data, kebab=cls._KEBAB)
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


def _has_validators(cls: type[DeclaredOptions]) -> bool:
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
            raise TypeError("an option needs a default: rules and renderers run without configuration")
        return declared.default
    if type(declared).__name__ == "FieldInfo":  # pydantic's own Field(...)
        return declared.get_default(call_default_factory=True)
    if declared is _REQUIRED:
        raise TypeError("an option needs a default: rules and renderers run without configuration")
    return declared


def _build_validator(cls: type[DeclaredOptions]) -> type[BaseModel]:
    import pydantic

    config = (
        pydantic.ConfigDict(
            extra="forbid",
            alias_generator=lambda n: n.replace("_", "-"),
            validate_by_alias=True,
            validate_by_name=True,
            strict=cls._STRICT,
        )
        if cls._KEBAB
        else pydantic.ConfigDict(extra="forbid", strict=cls._STRICT)
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
        name: value
        for klass in reversed(cls.__mro__)
        for name, value in vars(klass).items()
        if type(value).__name__ == "PydanticDescriptorProxy"
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
