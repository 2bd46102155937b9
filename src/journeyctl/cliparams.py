"""Command-line values of plain types converted without a pydantic TypeAdapter per parameter.

typer (0.29) converts each parameter's value through a pydantic ``TypeAdapter``
that it builds when the command runs: for ``journeyctl lint`` that is 15
adapters and the import of pydantic, ~50 ms, which a cached lint of one map
(~50 ms in all) would otherwise pay for nothing. journeyctl's commands declare
plain types (``str``, ``bool``, ``int`` with bounds, lists of ``str``, ``Path``),
whose conversion is the identity on what click hands over (``Path(value)`` then
typer's own checks, for a path); ``install`` gives typer's
own parameters that conversion. Anything else, and any value it does not
recognise (a bound not met, a number with a sign), goes to typer's adapter as
before, so typer stays the one definition of the CLI and its error messages.

This reaches into typer's private ``_coercion`` module; when that changes
shape, ``install`` does nothing and typer converts everything itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:
    from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
    from typer.core import _TyperParameter
except ImportError:  # pragma: no cover - another typer
    RuntimeParam = None  # type: ignore[assignment,misc]

#: What ``_plain_value`` returns for a value that typer must convert.
_UNHANDLED: Any = object()

if RuntimeParam is not None:

    @dataclass(frozen=True)
    class PlainParam(RuntimeParam):
        """typer's conversion for a plain annotation, with typer's own as the fallback."""

        descriptor: TypeDescriptor

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if self.descriptor.annotation is Path and type(value) is str:
                # typer's own checks (exists, file_okay, ...) on the value pydantic would make:
                # its Path validation of a str is Path(str).
                from typer._param_types import coerce_cli_path

                info = self.descriptor.parameter_info
                return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
            converted = _plain_value(self.descriptor, value)
            if converted is not _UNHANDLED:
                return converted
            return build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)


def _plain_value(descriptor: Any, value: Any) -> Any:
    annotation = descriptor.annotation
    if annotation is str or annotation is bool:
        return value if type(value) is annotation else _UNHANDLED
    if annotation is int:
        if type(value) is str and value.isascii() and value.isdigit():
            number = int(value)
        elif type(value) is int:
            number = value
        else:
            return _UNHANDLED
        info = descriptor.parameter_info
        if (info.min is not None and number < info.min) or (info.max is not None and number > info.max):
            return _UNHANDLED  # typer words the error
        return number
    if annotation == list[str] and isinstance(value, (list, tuple)):
        return list(value) if all(type(item) is str for item in value) else _UNHANDLED
    return _UNHANDLED


def handles(descriptor: Any) -> bool:
    """Whether ``PlainParam`` knows the descriptor's annotation (other parameters are left to typer)."""
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or getattr(info, "parser", None) is not None:
        return False
    if descriptor.annotation is int and getattr(info, "clamp", False):
        return False
    if descriptor.annotation is Path:
        return getattr(info, "path_type", None) in (None, Path)
    return descriptor.annotation in (str, bool, int) or descriptor.annotation == list[str]


def install(command: Any) -> int:
    """Give every plain parameter of ``command`` and its subcommands the plain conversion.

    Returns how many parameters got it (0 when typer is not the expected shape).
    """
    if RuntimeParam is None:  # pragma: no cover - another typer
        return 0
    from typer._click import Context

    installed = 0
    stack: list[tuple[Any, Any]] = [(command, None)]
    while stack:
        current, parent = stack.pop()
        # click makes the --help option on first use, from the context's option names.
        context = Context(current, parent=parent, **current.context_settings)
        stack.extend((sub, context) for sub in getattr(current, "commands", {}).values())
        help_option = current.get_help_option(context)
        for param in [*getattr(current, "params", ()), *([help_option] if help_option else [])]:
            if not isinstance(param, _TyperParameter) or getattr(param, "_runtime_param", 0) is not None:
                continue
            descriptor = param.type_descriptor
            if handles(descriptor):
                param._runtime_param = PlainParam(
                    parameter_info=descriptor.parameter_info,
                    annotation=descriptor.annotation,
                    descriptor=descriptor,
                )
                installed += 1
    return installed
