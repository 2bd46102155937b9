"""Project configuration: ``.journeyctl.yaml`` or ``[tool.journeyctl]`` in ``pyproject.toml``.

Each file's configuration is found by walking up from the file's own directory
to the repository root (the first directory holding ``.git``), so two
subprojects of one repository can each have theirs; in each directory a
``.journeyctl.yaml`` (or ``.yml``) wins over a ``pyproject.toml`` that has a
``[tool.journeyctl]`` table. ``--config PATH`` names one for every file.
Globs in ``exclude`` and ``per-file-ignores`` are relative to the directory of
the configuration file. Every mistake is a located ``ConfigError`` (exit 2).

Keys (all optional)::

    preset: recommended          # or strict (every rule)
    select: [JM1, stale-map]     # replaces the preset: codes, code prefixes, names, ALL
    extend-select: [JM702]       # added to the preset or select
    ignore: [JM105]              # removed from what is selected
    fail-on: warning             # error | warning | info | never
    exclude: ["drafts/**"]       # globs of files and directories not to lint
    per-file-ignores:
      "legacy/*.yaml": [JM5]
    rules:
      stale-map: {severity: error, max-age-days: 90}
      JM701: info                # severity only
"""

from __future__ import annotations

import fnmatch
import os
import re
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from journeyctl.errors import ConfigError, JourneyError
from journeyctl.location import Location

if typing.TYPE_CHECKING:
    from journeyctl.lint.api import RuleOptions, Severity
    from journeyctl.lint.registry import Check, Registry

FailOn = Literal["error", "warning", "info", "never"]
FAIL_ON_CHOICES: tuple[FailOn, ...] = ("error", "warning", "info", "never")
DEFAULT_FAIL_ON: FailOn = "warning"
PRESETS = ("recommended", "strict")
CONFIG_FILENAMES = (".journeyctl.yaml", ".journeyctl.yml")

LINT_KEYS = (
    "preset",
    "select",
    "extend-select",
    "ignore",
    "fail-on",
    "exclude",
    "per-file-ignores",
    "rules",
)
#: Tables that belong to other commands; lint leaves them alone.
OTHER_SECTIONS = ("validate", "render", "diff", "site")

#: Severity rank: a finding fails the run when its rank is at least the threshold's.
SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}
FAIL_ON_RANK = {"info": 1, "warning": 2, "error": 3, "never": 99}

Locator = Callable[[tuple[str | int, ...], bool], Location]


@dataclass(frozen=True)
class ActiveRule:
    """A rule that runs: its identity, configured severity, check function and options.

    Picklable (the check is a module-level function, the options a pydantic
    model), so a LintConfig travels to worker processes as is.
    """

    code: str
    name: str
    severity: Severity
    check: Check
    options: RuleOptions
    #: Where the rule comes from: "journeyctl", or "plugin DIST VERSION" for a plugin's rule.
    origin: str = "journeyctl"
    #: "map" rules check one loaded map; "project" rules every map of a run (lint/project.py).
    scope: str = "map"


@dataclass(frozen=True)
class LintConfig:
    """Everything the engine needs to lint: the rules that run and where they do not."""

    rules: tuple[ActiveRule, ...]
    #: Every known code and name (lower-case) -> code, for suppression comments.
    known_codes: dict[str, str]
    #: The directory that ``exclude`` and ``per-file-ignores`` globs are relative to.
    root: str = "."
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    fail_on: FailOn = DEFAULT_FAIL_ON
    #: The configuration file this came from, if any.
    source: str | None = None
    #: Severity of the engine's own findings (JM001 may be reconfigured; JM000 is always an error).
    engine_severity: dict[str, Severity] = field(default_factory=dict)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(rule.code for rule in self.rules)

    @property
    def has_project_rules(self) -> bool:
        return any(rule.scope == "project" for rule in self.rules)

    def ignored_codes(self, path: str) -> frozenset[str]:
        """Codes that ``per-file-ignores`` turns off for the file at ``path``."""
        if not self.per_file_ignores:
            return frozenset()
        relative = relative_posix(path, self.root)
        codes: set[str] = set()
        for pattern, ignored in self.per_file_ignores:
            if glob_match(relative, pattern):
                codes.update(ignored)
        return frozenset(codes)

    def is_excluded(self, path: str) -> bool:
        return bool(self.exclude) and any(
            glob_match(relative_posix(path, self.root), p) for p in self.exclude
        )

    @classmethod
    def recommended(cls) -> LintConfig:
        """The defaults: the recommended preset, no configuration file."""
        return build_lint_config(None)


@dataclass
class ConfigDocument:
    """A parsed configuration file: its settings and a way to locate any key in it."""

    path: str
    settings: dict[str, Any]
    locator: Locator

    @property
    def root(self) -> str:
        return os.path.dirname(self.path) or "."

    def locate(self, *keys: str | int, key: bool = False) -> Location:
        return self.locator(tuple(keys), key)

    def error(self, message: str, *keys: str | int, key: bool = False) -> ConfigError:
        return ConfigError(message, self.locate(*keys, key=key))


@dataclass
class Overrides:
    """Settings from the command line; they win over the configuration file."""

    preset: str | None = None
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    fail_on: str | None = None


# --- finding and reading the configuration file ----------------------------------------


def find_config(start: str | Path | None = None) -> Path | None:
    """The configuration file for ``start`` (default: the working directory), if any."""
    directory = Path(start or os.getcwd()).resolve()
    for current in (directory, *directory.parents):
        for name in CONFIG_FILENAMES:
            candidate = current / name
            if candidate.is_file():
                return candidate
        pyproject = current / "pyproject.toml"
        if pyproject.is_file() and _has_journeyctl_table(pyproject):
            return pyproject
        if (current / ".git").exists():
            return None
    return None


def _has_journeyctl_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    # A cheap test before parsing TOML: most pyproject.toml files have no such table.
    return bool(re.search(r"^\s*\[\s*tool\s*\.\s*journeyctl\s*[\].]", text, re.MULTILINE))


#: A configuration file is a few hundred bytes; anything past this is not one.
MAX_CONFIG_SIZE = 1024 * 1024


def read_config(path: str | Path) -> ConfigDocument:
    """Parse a ``.journeyctl.yaml`` or the ``[tool.journeyctl]`` table of a ``pyproject.toml``."""
    from journeyctl.loader import read_file

    display = _display_path(path)
    if not os.path.lexists(path):
        raise ConfigError(f"configuration file {display} does not exist")
    try:
        # The map reader's rules hold for configuration too: a regular file
        # only (a FIFO would block, /dev/zero never ends), read up to a cap.
        data = read_file(path, max_size=MAX_CONFIG_SIZE)
    except JourneyError as exc:
        raise ConfigError(f"cannot read configuration file {display}: {exc.message}") from None
    if Path(path).name == "pyproject.toml" or Path(path).suffix == ".toml":
        return _read_toml(data, display)
    return _read_yaml(data, display)


def _display_path(path: str | Path) -> str:
    text = str(path)
    if os.path.isabs(text):
        try:
            relative = os.path.relpath(text)
        except ValueError:  # pragma: no cover - another drive on Windows
            return text
        return relative if not relative.startswith("../../") else text
    return text


def _read_yaml(data: bytes, path: str) -> ConfigDocument:
    from journeyctl.yamlsource import parse

    try:
        document, source = parse(data, path, max_size=None)
    except JourneyError as exc:
        raise ConfigError(f"invalid configuration: {exc.message}", exc.location, hint=exc.hint) from None
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise ConfigError(
            "the configuration must be a mapping of keys (select, ignore, rules, ...)", source.locate(())
        )

    def locate(keys: tuple[str | int, ...], key: bool) -> Location:
        return source.locate(keys, key=key)

    return ConfigDocument(path, document, locate)


def _read_toml(data: bytes, path: str) -> ConfigDocument:
    import tomllib

    try:
        text = data.decode("utf-8")
        document = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigError("configuration file is not valid UTF-8", Location(path, 1, 1)) from None
    except tomllib.TOMLDecodeError as exc:
        line, col = _toml_error_position(str(exc), text)
        raise ConfigError(f"invalid TOML: {exc}", Location(path, line, col)) from None
    tool = document.get("tool", {})
    settings = tool.get("journeyctl", {}) if isinstance(tool, dict) else {}
    if not isinstance(settings, dict):
        raise ConfigError("[tool.journeyctl] must be a table", Location(path, 1, 1))
    return ConfigDocument(path, settings, _toml_locator(text, path))


def _toml_error_position(message: str, text: str) -> tuple[int, int]:
    match = re.search(r"line (\d+), column (\d+)", message)
    if match:
        return int(match.group(1)), int(match.group(2))
    if "end of document" in message:
        return text.count("\n") + 1, len(text) - (text.rfind("\n") + 1) + 1
    return 1, 1


# Patterns as text, compiled (and kept) by ``re`` when a pyproject.toml is first read: compiling
# them at import cost every lint run, a cached one of one map included, about half a millisecond.
_TOML_HEADER = r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$"
_TOML_KEY = (
    r"^(\s*)((?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+))*)\s*="
)


def _toml_parts(dotted: str) -> list[str]:
    parts = re.findall(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)", dotted)
    return [a or b or c for a, b, c in parts]


def _toml_locator(text: str, path: str) -> Locator:
    """Positions of keys in ``[tool.journeyctl]``: tomllib keeps none, so scan the lines.

    Good enough for error messages: the line of the deepest written key on the
    path (a table header or a ``key =`` line), else the ``[tool.journeyctl]`` header.
    """
    entries: list[tuple[list[str], int, int]] = []
    table: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(_TOML_HEADER, line)
        if header:
            table = _toml_parts(header.group(1))
            entries.append((table, number, line.index("[") + 1))
            continue
        key = re.match(_TOML_KEY, line)
        if key:
            entries.append(([*table, *_toml_parts(key.group(2))], number, len(key.group(1)) + 1))

    def locate(keys: tuple[str | int, ...], key: bool) -> Location:
        target = ["tool", "journeyctl"]
        for part in keys:
            if isinstance(part, int):
                break
            target.append(part)
        best: tuple[int, int, int] | None = None
        for parts, line, col in entries:
            depth = len(parts)
            if depth >= 2 and parts == target[:depth] and (best is None or depth > best[0]):
                best = (depth, line, col)
        if best is None:
            return Location(path, 1, 1)
        return Location(path, best[1], best[2])

    return locate


# --- globs -----------------------------------------------------------------------------


def relative_posix(path: str, root: str) -> str:
    """``path`` relative to ``root`` with '/' separators (for matching globs)."""
    if root in ("", ".") and not os.path.isabs(path):
        relative = os.path.normpath(path)
    else:
        relative = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    return relative.replace(os.sep, "/")


def glob_match(relative: str, pattern: str) -> bool:
    """Match a relative POSIX path against a glob.

    ``*`` matches across directories (as fnmatch does); a pattern without '/'
    also matches the file name alone; ``dir/`` or ``dir`` matches everything
    under that directory; a leading ``**/`` also matches at the top.
    """
    pattern = pattern.strip()
    if pattern.startswith("./"):
        pattern = pattern[2:]
    candidates = [pattern.rstrip("/")]
    if pattern.startswith("**/"):
        candidates.append(pattern[3:])
    for candidate in candidates:
        if fnmatch.fnmatchcase(relative, candidate) or fnmatch.fnmatchcase(relative, candidate + "/*"):
            return True
        if "/" not in candidate and fnmatch.fnmatchcase(relative.rsplit("/", 1)[-1], candidate):
            return True
    return False


# --- building the configuration ----------------------------------------------------------


def load_lint_config(
    config_path: str | Path | None = None,
    overrides: Overrides | None = None,
    *,
    isolated: bool = False,
    start: str | Path | None = None,
) -> LintConfig:
    """The lint configuration: the named file, else the one found from ``start``, else defaults."""
    document: ConfigDocument | None = None
    if config_path is not None:
        document = read_config(config_path)
    elif not isolated:
        found = find_config(start)
        if found is not None:
            document = read_config(found)
    return build_lint_config(document, overrides)


class ConfigResolver:
    """The lint configuration of each file: the nearest configuration file above it, built once.

    With ``config_path`` every file gets that file's configuration, and with
    ``isolated`` the defaults; otherwise each directory is looked up once and
    each configuration file read and built once, however many maps it governs.
    """

    def __init__(
        self,
        overrides: Overrides | None = None,
        *,
        config_path: str | Path | None = None,
        isolated: bool = False,
    ) -> None:
        self.overrides = overrides or Overrides()
        self._fixed: LintConfig | None = None
        if config_path is not None:
            self._fixed = build_lint_config(read_config(config_path), self.overrides)
        elif isolated:
            self._fixed = build_lint_config(None, self.overrides)
        self._found: dict[str, Path | None] = {}
        self._built: dict[Path | None, LintConfig] = {}

    @classmethod
    def fixed(cls, config: LintConfig) -> ConfigResolver:
        """A resolver that gives every file ``config``."""
        resolver = cls()
        resolver._fixed = config
        return resolver

    def for_directory(self, directory: str) -> LintConfig:
        """The configuration of the files in ``directory``."""
        if self._fixed is not None:
            return self._fixed
        key = os.path.abspath(directory)
        if key not in self._found:
            self._found[key] = find_config(key)
        found = self._found[key]
        config = self._built.get(found)
        if config is None:
            document = read_config(found) if found is not None else None
            config = self._built[found] = build_lint_config(document, self.overrides)
        return config

    def for_path(self, path: str) -> LintConfig:
        """The configuration of the file at ``path`` (found from its directory upward)."""
        return self.for_directory(os.path.dirname(path) or ".")

    def configs(self) -> list[LintConfig]:
        """Every configuration given out so far, in the order they were first needed."""
        if self._fixed is not None:
            return [self._fixed]
        return list(self._built.values())


def _string_list(document: ConfigDocument | None, key: str, value: Any) -> list[str]:
    """A list of strings (a comma-separated string is accepted too)."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list):
        if document is None:
            raise ConfigError(f"{key} must be a list")
        raise document.error(f"'{key}' must be a list of rule codes, prefixes or names", key)
    items: list[str] = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            if document is None:
                raise ConfigError(f"{key} must be a list of text values")
            raise document.error(f"'{key}' entries must be text, not {item!r}", key, index)
        items.append(item.strip())
    return items


def _resolve_all(
    registry: Registry,
    selectors: Iterable[str],
    document: ConfigDocument | None,
    *keys: str | int,
    option: str | None = None,
) -> set[str]:
    codes: set[str] = set()
    for index, selector in enumerate(selectors):
        try:
            codes.update(registry.resolve(selector))
        except ConfigError as exc:
            if document is None or not keys:
                prefix = f"{option}: " if option else ""
                raise ConfigError(prefix + exc.message) from None
            location_keys = (*keys, index) if isinstance(document.settings.get(str(keys[0])), list) else keys
            raise document.error(exc.message, *location_keys) from None
    return codes


def build_lint_config(
    document: ConfigDocument | None,
    overrides: Overrides | None = None,
    registry: Registry | None = None,
) -> LintConfig:
    """Resolve selections against the rule catalogue and validate every rule's options."""
    from journeyctl.lint.registry import ENGINE_RULES, get_registry

    registry = registry or get_registry()
    overrides = overrides or Overrides()
    settings: dict[str, Any] = document.settings if document else {}
    _check_keys(document, settings)
    selected = _selected_codes(document, settings, overrides, registry)
    severities, raw_options = _rule_settings(document, settings.get("rules"), registry)

    active: list[ActiveRule] = []
    for code in sorted(selected - set(ENGINE_RULES)):
        rule = registry.get(code)
        configured = raw_options.get(code)
        # Defaults need no validation (and no pydantic: see RuleOptions).
        options_model = (
            rule.options_class.model_validate(configured)
            if configured
            else rule.options_class.model_construct()
        )
        active.append(
            ActiveRule(
                code,
                rule.name,
                severities.get(code, rule.severity),
                rule.check,
                options_model,
                origin=f"{rule.origin} {rule.version}" if rule.version else rule.origin,
                scope=rule.scope,
            )
        )
    engine_severity: dict[str, Severity] = {
        code: severities.get(code, registry.get(code).severity) for code in ENGINE_RULES if code in selected
    }

    exclude = _glob_list(document, "exclude", settings["exclude"]) if "exclude" in settings else []
    exclude.extend(overrides.exclude)
    fail_on = overrides.fail_on or settings.get("fail-on", DEFAULT_FAIL_ON)
    if fail_on not in FAIL_ON_CHOICES:
        text = f"fail-on must be one of {', '.join(FAIL_ON_CHOICES)}, not {fail_on!r}"
        if overrides.fail_on or document is None:
            raise ConfigError(text)
        raise document.error(text, "fail-on")

    return LintConfig(
        rules=tuple(active),
        known_codes=registry.code_map(),
        root=document.root if document else ".",
        exclude=tuple(exclude),
        per_file_ignores=_per_file_ignores(document, settings.get("per-file-ignores"), registry),
        fail_on=cast("FailOn", fail_on),
        source=document.path if document else None,
        engine_severity=engine_severity,
    )


def _check_keys(document: ConfigDocument | None, settings: dict[str, Any]) -> None:
    import difflib

    for key in settings:
        if key in LINT_KEYS or key in OTHER_SECTIONS:
            continue
        assert document is not None
        message = f"unknown configuration key '{key}'"
        close = difflib.get_close_matches(str(key), [*LINT_KEYS, *OTHER_SECTIONS], n=1)
        message += f" (did you mean '{close[0]}'?)" if close else "; allowed keys: " + ", ".join(LINT_KEYS)
        raise document.error(message, key, key=True)


def _selected_codes(
    document: ConfigDocument | None, settings: dict[str, Any], overrides: Overrides, registry: Registry
) -> set[str]:
    """select (or the preset), plus extend-select, minus ignore; invalid-map always."""
    from journeyctl.lint.registry import ALWAYS_ON

    preset = overrides.preset or settings.get("preset", "recommended")
    if preset not in PRESETS:
        text = f"unknown preset {preset!r}; choose recommended or strict"
        if overrides.preset or document is None:
            raise ConfigError(text)
        raise document.error(text, "preset")

    def configured(key: str) -> set[str]:
        if key not in settings:
            return set()
        return _resolve_all(registry, _string_list(document, key, settings[key]), document, key)

    base: set[str]
    if overrides.select is not None:
        base = _resolve_all(registry, overrides.select, None, option="--select")
    elif overrides.preset is None and "select" in settings:
        base = configured("select")
    else:
        base = set(registry.codes if preset == "strict" else registry.recommended())
    base |= configured("extend-select")
    base |= _resolve_all(registry, overrides.extend_select, None, option="--extend-select")
    ignored = configured("ignore") | _resolve_all(registry, overrides.ignore, None, option="--ignore")
    return (base - ignored) | set(ALWAYS_ON)


def _rule_settings(
    document: ConfigDocument | None, rules_setting: Any, registry: Registry
) -> tuple[dict[str, Severity], dict[str, dict[str, Any]]]:
    """The ``rules`` table: configured severity and (validated) options, by code."""
    severities: dict[str, Severity] = {}
    raw_options: dict[str, dict[str, Any]] = {}
    if rules_setting is None:
        return severities, raw_options
    from journeyctl.lint.findings import SEVERITIES
    from journeyctl.lint.registry import INVALID_MAP, options_error_messages

    assert document is not None
    if not isinstance(rules_setting, dict):
        raise document.error("'rules' must be a mapping of rule code or name to its settings", "rules")
    for key, value in rules_setting.items():
        try:
            rule = registry.lookup(str(key))
        except ConfigError as exc:
            raise document.error(exc.message, "rules", key, key=True) from None
        if isinstance(value, str):
            value = {"severity": value}
        elif value is None:
            value = {}
        if not isinstance(value, dict):
            raise document.error(
                f"settings of rule {rule.code} ({rule.name}) must be a severity "
                "(error, warning, info) or a mapping of severity and options",
                "rules",
                key,
            )
        if rule.code in raw_options:
            raise document.error(
                f"rule {rule.code} ({rule.name}) is configured twice", "rules", key, key=True
            )
        options = dict(value)
        if "severity" in options:
            severity = options.pop("severity")
            shorthand = isinstance(rules_setting[key], str)
            where: tuple[str | int, ...] = ("rules", key) if shorthand else ("rules", key, "severity")
            if severity not in SEVERITIES:
                raise document.error(
                    f"severity of rule {rule.code} must be error, warning or info, not {severity!r}", *where
                )
            if rule.code == INVALID_MAP and severity != "error":
                raise document.error(f"{INVALID_MAP} (invalid-map) is always an error", *where)
            severities[rule.code] = cast("Severity", severity)
        raw_options[rule.code] = options
        try:
            rule.options_class.model_validate(options)
        except Exception as exc:
            # Imported here: valid options are taken without pydantic (see RuleOptions).
            from pydantic import ValidationError

            if not isinstance(exc, ValidationError):
                raise
            loc, message = options_error_messages(rule, exc)[0]
            if not loc:
                raise document.error(message, "rules", key) from None
            extra = exc.errors()[0]["type"] == "extra_forbidden"
            raise document.error(message, "rules", key, *loc, key=extra) from None
    return severities, raw_options


def _per_file_ignores(
    document: ConfigDocument | None, raw: Any, registry: Registry
) -> tuple[tuple[str, frozenset[str]], ...]:
    from journeyctl.lint.registry import ALWAYS_ON

    if not raw:
        return ()
    assert document is not None
    if not isinstance(raw, dict):
        raise document.error("'per-file-ignores' must be a mapping of glob to rule codes", "per-file-ignores")
    result: list[tuple[str, frozenset[str]]] = []
    for pattern, selectors in raw.items():
        listed = isinstance(selectors, list)
        values = selectors if listed else _string_list(document, "per-file-ignores", selectors)
        codes: set[str] = set()
        for index, selector in enumerate(values):
            where = ("per-file-ignores", pattern, index) if listed else ("per-file-ignores", pattern)
            if not isinstance(selector, str):
                raise document.error(f"rule codes must be text, not {selector!r}", *where)
            try:
                codes.update(registry.resolve(selector))
            except ConfigError as exc:
                raise document.error(exc.message, *where) from None
        result.append((str(pattern), frozenset(codes - set(ALWAYS_ON))))
    return tuple(result)


def _glob_list(document: ConfigDocument | None, key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        if document is None:
            raise ConfigError(f"{key} must be a list of globs")
        raise document.error(f"'{key}' must be a list of glob patterns", key)
    return list(value)


def fails(severity: str, fail_on: str) -> bool:
    """Whether a finding of ``severity`` fails a run with threshold ``fail_on``."""
    return SEVERITY_RANK.get(severity, 0) >= FAIL_ON_RANK[fail_on]


def code_list(values: Sequence[str] | None) -> list[str]:
    """Command-line lists: repeated options and comma-separated values both work."""
    items: list[str] = []
    for value in values or ():
        items.extend(part.strip() for part in value.split(",") if part.strip())
    return items
