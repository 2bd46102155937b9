"""The importer registry: built-in source formats plus plugins from the ``journeyctl.importers`` entry points.

An importer is a module (or any object) with:

* ``NAME`` — the source format's name, e.g. ``"mermaid"``;
* ``ALIASES`` — other names it answers to, e.g. ``("mmd",)``;
* ``PATTERNS`` — file-name globs it reads by default, e.g. ``("*.mmd", "*.md")``;
* ``DESCRIPTION`` — one line for ``journeyctl import --list``;
* ``Options`` — a pydantic model (``extra="forbid"``) of its options;
* ``import_source(text, path, options) -> list[ImportedMap]`` — the maps found
  in the source, as plain data with the format's key names (``journeyctl.fmt``
  writes them), or ``MapInvalid`` holding located errors.

As with renderers, built-ins are imported only when asked for and entry points
are read only when a name or a file is not a built-in's.
"""

from __future__ import annotations

import difflib
import fnmatch
import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, cast

from journeyctl.errors import UsageError
from journeyctl.location import Location

if TYPE_CHECKING:
    from pydantic import BaseModel

#: Source format name -> dotted module path.
BUILTIN_IMPORTERS: dict[str, str] = {
    "mermaid": "journeyctl.importers.mermaid",
    "csv": "journeyctl.importers.csv",
}
BUILTIN_ALIASES: dict[str, str] = {"mmd": "mermaid", "markdown": "mermaid", "md": "mermaid"}
#: File patterns of the built-ins, here so that picking an importer by file name imports one module.
BUILTIN_PATTERNS: dict[str, tuple[str, ...]] = {
    "mermaid": ("*.mmd", "*.mermaid", "*.md", "*.markdown"),
    "csv": ("*.csv", "*.tsv"),
}

ENTRY_POINT_GROUP = "journeyctl.importers"

_REQUIRED = ("NAME", "ALIASES", "PATTERNS", "DESCRIPTION", "Options", "import_source")


@dataclass(frozen=True)
class Notice:
    """Something the user should know about an import (a value clamped, a column not kept), located."""

    location: Location
    message: str


@dataclass
class ImportedMap:
    """One map found in a source: its plain data, where it came from (for the header), and notices."""

    data: dict[str, Any]
    origin: str
    notices: list[Notice] = field(default_factory=list)


class Importer(Protocol):
    """What an importer module provides (see the module docstring)."""

    NAME: str
    ALIASES: tuple[str, ...]
    PATTERNS: tuple[str, ...]
    DESCRIPTION: str
    Options: type[BaseModel]

    def import_source(self, text: str, path: str, options: Any) -> list[ImportedMap]: ...


def _check(importer: object, origin: str) -> Importer:
    missing = [name for name in _REQUIRED if not hasattr(importer, name)]
    if missing:
        raise UsageError(
            f"importer {origin} is not a journeyctl importer: it lacks {', '.join(missing)}",
            hint="an importer module defines NAME, ALIASES, PATTERNS, DESCRIPTION, Options and "
            "import_source(text, path, options) -> list[ImportedMap]",
        )
    return cast(Importer, importer)


def _import_builtin(name: str) -> Importer:
    module: ModuleType = importlib.import_module(BUILTIN_IMPORTERS[name])
    return _check(module, f"'{name}' ({BUILTIN_IMPORTERS[name]})")


def _entry_points() -> list[Any]:
    from importlib.metadata import entry_points

    return sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)


def _load_entry_point(entry_point: Any) -> Importer:
    try:
        loaded = entry_point.load()
    except Exception as exc:  # a broken plugin is the user's environment, not our bug
        raise UsageError(
            f"cannot load importer plugin '{entry_point.name}' ({entry_point.value}): "
            f"{type(exc).__name__}: {exc}"
        ) from None
    return _check(loaded, f"plugin '{entry_point.name}' ({entry_point.value})")


def all_importers() -> list[Importer]:
    """Every importer: built-ins in registry order, then plugins by name (built-in names win)."""
    found = [_import_builtin(name) for name in BUILTIN_IMPORTERS]
    taken = set(BUILTIN_IMPORTERS) | set(BUILTIN_ALIASES)
    for entry_point in _entry_points():
        if entry_point.name not in taken:
            taken.add(entry_point.name)
            found.append(_load_entry_point(entry_point))
    return found


def get_importer(name: str) -> Importer:
    """The importer called ``name`` (or with it as an alias); UsageError with "did you mean"."""
    key = name.strip().lower()
    key = BUILTIN_ALIASES.get(key, key)
    if key in BUILTIN_IMPORTERS:
        return _import_builtin(key)
    entry_points = _entry_points()
    for entry_point in entry_points:
        if entry_point.name == key:
            return _load_entry_point(entry_point)
    for importer in all_importers():
        if key in (alias.lower() for alias in importer.ALIASES):
            return importer
    known = sorted({*BUILTIN_IMPORTERS, *BUILTIN_ALIASES, *(ep.name for ep in entry_points)})
    message = f"unknown source format '{name}'"
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
    if close:
        message += f" (did you mean '{close[0]}'?)"
    raise UsageError(message + "; formats: " + ", ".join(known) + " (see 'journeyctl import --list')")


def _matches(filename: str, patterns: Iterable[str]) -> bool:
    name = PurePath(filename).name.lower()
    return any(fnmatch.fnmatch(name, pattern.lower()) for pattern in patterns)


def importer_for(path: str) -> Importer:
    """The importer whose file patterns match ``path``: built-ins first, then plugins."""
    for name, patterns in BUILTIN_PATTERNS.items():
        if _matches(path, patterns):
            return _import_builtin(name)
    for importer in all_importers()[len(BUILTIN_IMPORTERS) :]:
        if _matches(path, importer.PATTERNS):
            return importer
    known = ", ".join(f"{i.NAME} ({' '.join(i.PATTERNS)})" for i in all_importers())
    raise UsageError(
        f"{path}: cannot tell the source format from the file name; give --from FORMAT ({known})"
    )


def parse_options(importer: Importer, values: dict[str, Any]) -> BaseModel:
    """The importer's Options from the command line's values; UsageError for one it does not take."""
    from pydantic import ValidationError

    fields = importer.Options.model_fields
    for key in values:
        if key not in fields:
            raise UsageError(f"--{key.replace('_', '-')} does not apply to {importer.NAME} sources")
    try:
        return importer.Options.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(
            f"--{'.'.join(str(p) for p in error['loc']).replace('_', '-')}: {error['msg']}"
            for error in exc.errors()
        )
        raise UsageError(f"invalid option for {importer.NAME} sources: {problems}") from None
