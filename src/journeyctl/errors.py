"""The one error hierarchy for everything a user can cause.

    JourneyError                 anything a user can cause; carries a Location
    +-- LoadError                file missing, unreadable, not UTF-8, bad YAML, too big
    +-- SchemaError              a value the format does not allow
    +-- DanglingReferenceError   an id that points at nothing, a duplicate id
    +-- MapInvalid               several of the above for one file
    +-- ConfigError              a bad .journeyctl.yaml or [tool.journeyctl]
    +-- UsageError               a bad command-line argument or option
    +-- RenderError              a renderer could not produce its output
    +-- DiffError                a revision or file the diff cannot read
    +-- ImportSourceError        an import source (Mermaid, CSV) that cannot be read
    +-- OutputError              an output that cannot be written, or may not be (it is an
                                 input, a symbolic link, a read-only file, a directory...)

    PluginFailure                not a JourneyError: a plugin raised (a bug in that plugin)

The CLI catches JourneyError in one place, prints it and exits 2 (or 1 where a
command documents that invalid maps are findings). A PluginFailure exits 3
naming the plugin's distribution. Anything else is a bug in journeyctl.
"""

from __future__ import annotations

from journeyctl.location import Location


class JourneyError(Exception):
    """An error a user caused, with where it happened when that is known."""

    def __init__(
        self,
        message: str,
        location: Location | None = None,
        *,
        key_path: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.key_path = key_path
        self.hint = hint

    def __str__(self) -> str:
        text = self.message
        if self.key_path:
            text = f"{text} (at {self.key_path})"
        if self.location is not None:
            text = f"{self.location}: {text}"
        return text

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location or Location("")
        return (loc.path, loc.line, loc.col, self.message)


class LoadError(JourneyError):
    """The file could not be read or parsed as YAML."""


class SchemaError(JourneyError):
    """A value that the journey map format does not allow."""


class DanglingReferenceError(JourneyError):
    """A reference to an id that does not exist, or an id defined twice."""


class MapInvalid(JourneyError):
    """One map file with one or more errors, sorted by position."""

    def __init__(self, path: str, errors: list[JourneyError]) -> None:
        self.errors = sorted(errors, key=JourneyError.sort_key)
        first = self.errors[0] if self.errors else None
        super().__init__(
            f"{len(self.errors)} error(s) in {path}",
            first.location if first else Location(path),
        )
        self.path = path


class ConfigError(JourneyError):
    """An invalid project configuration."""


class UsageError(JourneyError):
    """A bad command-line argument, option or path."""


class RenderError(JourneyError):
    """A renderer could not produce its output (for example, no Graphviz)."""


class DiffError(JourneyError):
    """A diff input that cannot be read: unknown revision, missing file."""


class ImportSourceError(JourneyError):
    """A source ``journeyctl import`` cannot read (bad Mermaid, a bad CSV cell), where it went wrong."""


class OutputError(JourneyError):
    """An output journeyctl could not write, or refused to write; located at the output's path.

    Raised for every failed write (no space left, permission denied, a parent
    that is a file, a pipe whose reader went away) and for every refusal (the
    output is an input, a symbolic link, a read-only file or a directory), so
    the CLI exits 2 with the path and the reason instead of reporting a bug.
    """

    def __init__(self, path: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, Location(path), hint=hint)
        self.path = path


class PluginFailure(Exception):
    """Code from another distribution (a plugin rule) raised: that plugin's bug, not the user's or ours.

    ``plugin`` is the distribution's name (and version), as the user would
    report it to the plugin's authors; ``code`` is what ``--ignore`` takes to
    get going meanwhile.
    """

    def __init__(self, message: str, plugin: str, code: str) -> None:
        super().__init__(message, plugin, code)  # all in args: it crosses process boundaries pickled
        self.message = message
        self.plugin = plugin
        self.code = code

    def __str__(self) -> str:
        return self.message
