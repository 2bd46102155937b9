"""The renderer registry: built-in formats plus plugins from the ``journeyctl.renderers`` entry points.

A renderer is a module (or any object) with:

* ``NAME`` — the format name, e.g. ``"svg"``;
* ``ALIASES`` — other names it answers to, e.g. ``("markdown",)``;
* ``EXTENSION`` — the output file's extension with its dot, e.g. ``".svg"``;
* ``DESCRIPTION`` — one line for ``journeyctl formats``;
* ``BINARY`` — True when the output is not UTF-8 text (png, pdf);
* ``Options`` — its options: a ``RendererOptions`` subclass (declarations, see
  ``journeyctl.options``), or a pydantic model with ``extra="forbid"``;
* ``render(loaded, options) -> bytes``;
* optionally ``REQUIRES`` — names of external programs it runs, e.g. ``("dot",)``.

Built-ins are imported only when asked for; entry points are read only when a
name is not a built-in or when every renderer is listed, since reading package
metadata costs start-up time. A built-in name wins over a plugin of the same name.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Iterable, Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, cast

from journeyctl.errors import RenderError, UsageError
from journeyctl.options import DeclaredOptions, Field

if TYPE_CHECKING:
    from pydantic import BaseModel

    from journeyctl.loader import LoadedMap

#: Format name -> dotted module path. Third-party renderers come through the
#: ``journeyctl.renderers`` entry-point group instead.
BUILTIN_RENDERERS: dict[str, str] = {
    "html": "journeyctl.renderers.html",
    "md": "journeyctl.renderers.markdown",
    "mermaid": "journeyctl.renderers.mermaid",
    "dot": "journeyctl.renderers.dot",
    "svg": "journeyctl.renderers.svg",
    "png": "journeyctl.renderers.png",
    "pdf": "journeyctl.renderers.pdf",
    "flow-svg": "journeyctl.renderers.flow_svg",
    "flow-png": "journeyctl.renderers.flow_png",
    "flow-pdf": "journeyctl.renderers.flow_pdf",
    "csv": "journeyctl.renderers.csv",
}

#: Aliases of the built-ins, kept here too so that ``--format markdown`` imports one module, not all.
BUILTIN_ALIASES: dict[str, str] = {
    "markdown": "md",
    "mmd": "mermaid",
    "graphviz": "dot",
    "gv": "dot",
    "slide": "svg",
}

ENTRY_POINT_GROUP = "journeyctl.renderers"

_REQUIRED = ("NAME", "ALIASES", "EXTENSION", "DESCRIPTION", "BINARY", "Options", "render")

__all__ = ["BUILTIN_RENDERERS", "Field", "Renderer", "RendererOptions"]


class RendererOptions(DeclaredOptions):
    """Base of a renderer's options (``-O key=value``): see ``journeyctl.options.DeclaredOptions``.

    Lax, as the command line gives text: ``-O wrap=40`` is the number 40 and ``-O legend=false``
    is False. Keys are the attribute names (the command line turns ``row-length`` into
    ``row_length``).
    """

    _STRICT = False
    _KEBAB = False


class Renderer(Protocol):
    """What a renderer module provides (see the module docstring)."""

    NAME: str
    ALIASES: tuple[str, ...]
    EXTENSION: str
    DESCRIPTION: str
    BINARY: bool
    Options: type[Any]

    def render(self, loaded: LoadedMap, options: Any) -> bytes: ...


def _check(renderer: object, origin: str) -> Renderer:
    missing = [name for name in _REQUIRED if not hasattr(renderer, name)]
    if missing:
        raise RenderError(
            f"renderer {origin} is not a journeyctl renderer: it lacks {', '.join(missing)}",
            hint="a renderer module defines NAME, ALIASES, EXTENSION, DESCRIPTION, BINARY, "
            "Options and render(loaded, options) -> bytes",
        )
    return cast(Renderer, renderer)


def _import_builtin(name: str) -> Renderer:
    module: ModuleType = importlib.import_module(BUILTIN_RENDERERS[name])
    return _check(module, f"'{name}' ({BUILTIN_RENDERERS[name]})")


def _entry_points() -> list[Any]:
    from importlib.metadata import entry_points

    return sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)


def _load_entry_point(entry_point: Any) -> Renderer:
    try:
        loaded = entry_point.load()
    except Exception as exc:  # a broken plugin is the user's environment, not our bug
        raise RenderError(
            f"cannot load renderer plugin '{entry_point.name}' ({entry_point.value}): "
            f"{type(exc).__name__}: {exc}"
        ) from None
    return _check(loaded, f"plugin '{entry_point.name}' ({entry_point.value})")


def all_renderers() -> list[Renderer]:
    """Every renderer: built-ins in registry order, then plugins by name (built-in names win)."""
    found = [_import_builtin(name) for name in BUILTIN_RENDERERS]
    taken = set(BUILTIN_RENDERERS) | set(BUILTIN_ALIASES)
    for entry_point in _entry_points():
        if entry_point.name in taken:
            continue
        renderer = _load_entry_point(entry_point)
        taken.add(entry_point.name)
        found.append(renderer)
    return found


def get_renderer(name: str) -> Renderer:
    """The renderer called ``name`` (or with ``name`` as an alias); UsageError with "did you mean"."""
    key = name.strip().lower()
    key = BUILTIN_ALIASES.get(key, key)
    if key in BUILTIN_RENDERERS:
        return _import_builtin(key)
    entry_points = _entry_points()
    for entry_point in entry_points:
        if entry_point.name == key:
            return _load_entry_point(entry_point)
    # Last resort: a renderer may answer to ``name`` as one of its declared aliases.
    for renderer in all_renderers():
        if key in (alias.lower() for alias in renderer.ALIASES):
            return renderer
    known = sorted({*BUILTIN_RENDERERS, *BUILTIN_ALIASES, *(ep.name for ep in entry_points)})
    raise UsageError(unknown_format_message(name, known))


def unknown_format_message(name: str, known: Iterable[str]) -> str:
    names = sorted(known)
    message = f"unknown format '{name}'"
    close = difflib.get_close_matches(name.lower(), names, n=1, cutoff=0.5)
    if close:
        message += f" (did you mean '{close[0]}'?)"
    return message + "; formats: " + ", ".join(names) + " (see 'journeyctl formats')"


def requires(renderer: Renderer) -> tuple[str, ...]:
    """External programs the renderer runs (empty for pure-Python renderers)."""
    return tuple(getattr(renderer, "REQUIRES", ()))


def option_fields(renderer: Renderer) -> list[tuple[str, str, str, str]]:
    """Each option as ``(name, type, default, description)``, names in kebab-case as typed on the CLI."""
    rows = []
    for name, info in _validator(renderer).model_fields.items():
        kind = _type_name(info.annotation)
        default = "" if info.is_required() else _default_text(info.get_default(call_default_factory=True))
        rows.append((name.replace("_", "-"), kind, default, info.description or ""))
    return rows


def _validator(renderer: Renderer) -> type[BaseModel]:
    """The pydantic model of a renderer's options (a plugin's own, or one built from declarations)."""
    options = renderer.Options
    model: type[BaseModel] = options.validator() if issubclass(options, DeclaredOptions) else options
    return model


def _option_names(renderer: Renderer) -> dict[str, bool]:
    """Each option's name, and whether it takes a list (without pydantic for declared options)."""
    import typing

    options = renderer.Options
    if issubclass(options, DeclaredOptions):
        hints = typing.get_type_hints(options)
        return {name: typing.get_origin(hints[name]) in (list, tuple) for name in options._declared}
    return {
        name: typing.get_origin(info.annotation) in (list, tuple)
        for name, info in options.model_fields.items()
    }


def _type_name(annotation: Any) -> str:
    import typing

    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Literal:
        return "|".join(str(arg) for arg in args)
    if origin in (list, tuple, set, frozenset):
        return "list"
    if args:  # Optional[...] and other unions: name the non-None part
        parts = [_type_name(arg) for arg in args if arg is not type(None)]
        return "|".join(parts)
    return getattr(annotation, "__name__", str(annotation))


def _default_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value) or "(all)"
    if value is None:
        return "(none)"
    return str(value)


def parse_options(renderer: Renderer, pairs: Iterable[str]) -> Any:
    """``KEY=VALUE`` strings from ``--option`` to the renderer's Options; UsageError when invalid.

    Keys may be written in kebab-case or snake_case. A list option takes a
    comma-separated value and may be given several times (the values add up).
    """
    fields = _option_names(renderer)
    values: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key:
            raise UsageError(f"--option takes KEY=VALUE, not {pair!r}")
        if key not in fields:
            known = [name.replace("_", "-") for name in fields]
            message = f"format '{renderer.NAME}' has no option '{key.replace('_', '-')}'"
            close = difflib.get_close_matches(key.replace("_", "-"), known, n=1)
            if close:
                message += f" (did you mean '{close[0]}'?)"
            message += "; options: " + (", ".join(known) if known else "none")
            raise UsageError(message)
        if fields[key]:
            items = [item.strip() for item in value.split(",") if item.strip()]
            values.setdefault(key, []).extend(items)
        else:
            values[key] = value.strip()
    try:
        return renderer.Options.model_validate(values)
    except Exception as exc:
        # Imported here: options nobody sets, or sets to text they take as it is, need no pydantic.
        from pydantic import ValidationError

        if not isinstance(exc, ValidationError):
            raise
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']).replace('_', '-') or 'options'}: {error['msg']}"
            for error in exc.errors()
        )
        raise UsageError(f"invalid option for format '{renderer.NAME}': {problems}") from None


def describe(renderers: Iterable[Renderer]) -> list[Mapping[str, Any]]:
    """Plain data about each renderer, for ``journeyctl formats``."""
    return [
        {
            "name": renderer.NAME,
            "aliases": list(renderer.ALIASES),
            "extension": renderer.EXTENSION,
            "binary": bool(renderer.BINARY),
            "requires": list(requires(renderer)),
            "description": renderer.DESCRIPTION,
            "options": [
                {"name": name, "type": kind, "default": default, "description": text}
                for name, kind, default, text in option_fields(renderer)
            ],
        }
        for renderer in renderers
    ]
