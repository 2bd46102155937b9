"""The catalogue of lint rules: the engine's own, the built-ins, and plugins' (entry points).

Rules are found by code without importing anything; a rule's module is imported
only when something needs more than its code (its name, severity, options or
docstring). Plugins come through the ``journeyctl.rules`` entry-point group:
each entry point is named by its rule's code and its value is the rule's
module, e.g. ``ACME101 = "acme_journey_rules.no_emoji"``.
"""

from __future__ import annotations

import difflib
import importlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

from journeyctl.errors import ConfigError
from journeyctl.lint.findings import SEVERITIES, Severity

if TYPE_CHECKING:
    from journeyctl.lint.api import RuleOptions, Violation
    from journeyctl.loader import LoadedMap

#: Engine rules: reported by the engine itself, not by a ``check``.
INVALID_MAP = "JM000"
UNUSED_SUPPRESSION = "JM001"
ENGINE_RULES: dict[str, str] = {
    INVALID_MAP: "journeyctl.lint.builtin.invalid_map",
    UNUSED_SUPPRESSION: "journeyctl.lint.builtin.unused_suppression",
}
#: Rules that are always on: an invalid map must never pass CI quietly.
ALWAYS_ON = frozenset((INVALID_MAP,))

ENTRY_POINT_GROUP = "journeyctl.rules"

CODE_PATTERN = re.compile(r"^[A-Z]+[0-9]+$")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

Check = Callable[["LoadedMap", "RuleOptions"], Iterable["Violation"]]


def import_rule_module(target: str) -> ModuleType:
    """The module named by ``target`` (``pkg.module`` or ``pkg:attribute`` holding a module)."""
    module_name, _, attribute = target.partition(":")
    module = importlib.import_module(module_name)
    if attribute:
        value = getattr(module, attribute)
        if not isinstance(value, ModuleType):
            raise ConfigError(f"rule entry point '{target}' does not name a module")
        return value
    return module


@dataclass
class RuleInfo:
    """One rule of the catalogue; its module is imported on first use."""

    code: str
    target: str
    origin: str = "journeyctl"
    #: The version of the plugin's distribution (None for journeyctl's own rules).
    version: str | None = None
    _module: ModuleType | None = field(default=None, repr=False)

    @property
    def module(self) -> ModuleType:
        if self._module is None:
            try:
                module = import_rule_module(self.target)
            except ConfigError:
                raise
            except Exception as exc:  # a broken plugin is the user's environment, not a journeyctl bug
                raise ConfigError(
                    f"cannot load rule {self.code} from '{self.target}' ({self.origin}): "
                    f"{type(exc).__name__}: {exc}"
                ) from exc
            declared = getattr(module, "CODE", None)
            if declared != self.code:
                raise ConfigError(
                    f"rule module '{self.target}' ({self.origin}) declares CODE {declared!r} "
                    f"but is registered as {self.code!r}"
                )
            self._module = module
        return self._module

    @property
    def name(self) -> str:
        return str(self.module.NAME)

    @property
    def severity(self) -> Severity:
        severity = getattr(self.module, "SEVERITY", "warning")
        return cast("Severity", severity if severity in SEVERITIES else "warning")

    @property
    def recommended(self) -> bool:
        return bool(getattr(self.module, "RECOMMENDED", True))

    @property
    def options_class(self) -> type[RuleOptions]:
        from journeyctl.lint.api import RuleOptions

        options = getattr(self.module, "Options", None)
        if isinstance(options, type) and issubclass(options, RuleOptions):
            return options
        return RuleOptions

    @property
    def check(self) -> Check:
        return cast("Check", self.module.check)

    @property
    def scope(self) -> str:
        """``map``: ``check(loaded, options)``; ``project``: ``check(project, options)`` over a whole run."""
        scope = getattr(self.module, "SCOPE", "map")
        if scope not in ("map", "project"):
            raise ConfigError(f"rule {self.code} ({self.origin}) has SCOPE {scope!r}; use 'map' or 'project'")
        return str(scope)

    @property
    def doc(self) -> str:
        return (self.module.__doc__ or "").strip()

    @property
    def summary(self) -> str:
        doc = self.doc
        return doc.splitlines()[0].strip() if doc else ""

    @property
    def is_engine_rule(self) -> bool:
        return self.code in ENGINE_RULES


class Registry:
    """Every known rule, by code; lookup by code, code prefix or name."""

    def __init__(self, rules: Iterable[RuleInfo]) -> None:
        self._rules: dict[str, RuleInfo] = {}
        for rule in rules:
            if rule.code in self._rules:
                first = self._rules[rule.code]
                raise ConfigError(
                    f"rule code {rule.code} is registered twice: by {first.origin} ('{first.target}') "
                    f"and by {rule.origin} ('{rule.target}')"
                )
            self._rules[rule.code] = rule
        self._by_name: dict[str, str] | None = None

    def __iter__(self) -> Iterator[RuleInfo]:
        return iter(self._rules[code] for code in sorted(self._rules))

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, code: object) -> bool:
        return code in self._rules

    def get(self, code: str) -> RuleInfo:
        return self._rules[code]

    @property
    def codes(self) -> list[str]:
        return sorted(self._rules)

    def names(self) -> dict[str, str]:
        """Rule name -> code (imports every rule module the first time)."""
        if self._by_name is None:
            by_name: dict[str, str] = {}
            for rule in self:
                name = rule.name
                if name in by_name:
                    raise ConfigError(f"rule name '{name}' is used by both {by_name[name]} and {rule.code}")
                by_name[name] = rule.code
            self._by_name = by_name
        return self._by_name

    def lookup(self, text: str) -> RuleInfo:
        """The rule whose code or name is ``text``; a ConfigError with a suggestion otherwise."""
        code = text.strip().upper()
        if code in self._rules:
            return self._rules[code]
        by_name = self.names().get(text.strip().lower())
        if by_name is not None:
            return self._rules[by_name]
        raise ConfigError(self.unknown_message(text, prefixes=False))

    def select(self, selector: str) -> list[str]:
        """Codes matched by a selector: ``ALL``, a code, a code prefix or a name; [] if none."""
        text = selector.strip()
        if text.upper() == "ALL":
            return self.codes
        upper = text.upper()
        if upper in self._rules:
            return [upper]
        if re.fullmatch(r"[A-Za-z]+[0-9]*", text):
            matched = [code for code in self.codes if code.startswith(upper)]
            if matched:
                return matched
        code = self.names().get(text.lower())
        return [code] if code else []

    def resolve(self, selector: str) -> list[str]:
        """Like ``select`` but an unknown selector is a ConfigError with a suggestion."""
        codes = self.select(selector)
        if not codes:
            raise ConfigError(self.unknown_message(selector))
        return codes

    def unknown_message(self, selector: str, *, prefixes: bool = True) -> str:
        what = "rule code, code prefix or name" if prefixes else "rule code or name"
        message = f"unknown {what} '{selector}'"
        candidates = [*self.codes, *self.names()]
        close = difflib.get_close_matches(selector, candidates, n=1, cutoff=0.6)
        if not close:
            close = difflib.get_close_matches(selector.upper(), self.codes, n=1, cutoff=0.6)
        if close:
            message += f" (did you mean '{close[0]}'?)"
        else:
            message += "; `journeyctl rules` lists them"
        return message

    def recommended(self) -> list[str]:
        return [rule.code for rule in self if rule.recommended]

    def code_map(self) -> dict[str, str]:
        """Every code and name (lower-case) -> code: how suppression comments name rules."""
        mapping = {code.lower(): code for code in self._rules}
        mapping.update(self.names())
        return mapping


def builtin_rules() -> Iterator[RuleInfo]:
    for code, target in ENGINE_RULES.items():
        yield RuleInfo(code, target)
    from journeyctl.rules import BUILTIN_RULES

    for code, target in BUILTIN_RULES.items():
        yield RuleInfo(code, target)


def plugin_declarations() -> list[tuple[str, bytes]] | None:
    """Every installed distribution's ``entry_points.txt`` that mentions ``journeyctl.rules``.

    (metadata directory, file contents) pairs; None when that cannot be told by
    looking at directories (a zip file on ``sys.path``, a finder of
    distributions other than the standard one). Scanning the directories takes
    well under a millisecond where ``importlib.metadata`` takes ~25 ms to import
    and read every distribution, so lint asks it only when something here might
    declare a rule; the lint cache keys on the result (plugin names and versions
    are in the directory names).
    """
    import importlib.machinery
    import os
    import sys

    if any(
        getattr(finder, "find_distributions", None) is not None
        and finder is not importlib.machinery.PathFinder
        for finder in sys.meta_path
    ):
        return None
    found: list[tuple[str, bytes]] = []
    for entry in sys.path:
        directory = entry or "."
        try:
            names = sorted(os.listdir(directory))
        except NotADirectoryError:
            return None  # a zip archive may hold distributions too
        except OSError:
            continue  # missing, as python3XX.zip usually is
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            metadata = os.path.join(directory, name)
            try:
                with open(os.path.join(metadata, "entry_points.txt"), "rb") as handle:
                    text = handle.read()
            except OSError:
                continue
            if ENTRY_POINT_GROUP.encode() in text:
                found.append((os.path.abspath(metadata), text))
    return found


def plugin_rules() -> Iterator[RuleInfo]:
    """Rules that installed distributions declare in the ``journeyctl.rules`` group."""
    if plugin_declarations() == []:
        return
    from importlib.metadata import entry_points

    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
        code = entry_point.name.strip()
        if not CODE_PATTERN.match(code):
            raise ConfigError(
                f"plugin rule entry point '{entry_point.name} = {entry_point.value}' must be named "
                "by its rule code (capital letters then digits, e.g. ACME101)"
            )
        dist = entry_point.dist
        origin = f"plugin {dist.name}" if dist is not None else "plugin"
        yield RuleInfo(code, entry_point.value, origin=origin, version=dist.version if dist else None)


_REGISTRY: list[Registry] = []


def get_registry(*, refresh: bool = False) -> Registry:
    """The catalogue of this process (built once: entry points cost start-up time)."""
    if refresh or not _REGISTRY:
        registry = Registry([*builtin_rules(), *plugin_rules()])
        _REGISTRY[:] = [registry]
    return _REGISTRY[0]


def options_error_messages(rule: RuleInfo, exc: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """A rule's Options ValidationError as (key path inside the rule's mapping, sentence) pairs."""
    allowed = [f.alias or name for name, f in rule.options_class.validator().model_fields.items()]
    messages: list[tuple[tuple[str | int, ...], str]] = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        option = str(loc[0]) if loc else ""
        if error["type"] == "extra_forbidden":
            text = f"rule {rule.code} ({rule.name}) has no option '{option}'"
            close = difflib.get_close_matches(option, allowed, n=1)
            if close:
                text += f" (did you mean '{close[0]}'?)"
            elif allowed:
                text += "; its options: " + ", ".join(allowed)
            else:
                text += "; it takes no options"
        else:
            # The format's words, as for maps: never the model library's "Input should be ...".
            from journeyctl.loader import describe_error

            # A text value in configuration was quoted (YAML) or a string (TOML) either way.
            found, hint = describe_error(
                error, rule.options_class.validator(), quoted=isinstance(error.get("input"), str)
            )
            text = f"rule {rule.code} ({rule.name}) option '{option}': {found}"
            if hint:
                text += f"; {hint}"
        messages.append((loc, text))
    return messages
