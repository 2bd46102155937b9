"""The lint engine: selected rules over each map, suppressions applied, findings sorted.

Files stream through ``lint_paths`` one at a time (never all maps in memory),
in parallel across processes when there are many (``journeyctl.pool``); results come back in
discovery order and findings are sorted by path and position, so the output of
a parallel run is identical to a serial one. A file that does not load yields
one JM000 ``invalid-map`` finding per error instead of rule findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from journeyctl.config import ConfigResolver, LintConfig
from journeyctl.errors import JourneyError, LoadError, MapInvalid, PluginFailure
from journeyctl.lint.findings import Finding
from journeyctl.lint.registry import INVALID_MAP, UNUSED_SUPPRESSION
from journeyctl.location import Location
from journeyctl.yamlsource import DEFAULT_MAX_FILE_SIZE

if TYPE_CHECKING:
    from journeyctl.lint.cache import CachedScopes
    from journeyctl.lint.findings import Severity
    from journeyctl.lint.project import Facts
    from journeyctl.loader import LoadedMap
    from journeyctl.walk import Candidate


class RuleCrashed(Exception):
    """A built-in rule raised instead of yielding findings: a bug in journeyctl (exit 3), named precisely.

    A plugin's rule that raises is a ``PluginFailure`` instead, naming its distribution.
    """


@dataclass
class FileReport:
    """What linting one file gave: its findings, or that it is not a journey map.

    For the lint cache: ``includes`` are the shared files the map pulled in,
    each with a checksum of the text read; a report of a file that did not load
    is not ``cacheable`` (what failed may be an include that does not exist yet).
    """

    path: str
    findings: list[Finding] = field(default_factory=list)
    skipped: bool = False
    #: The ``fail-on`` of the file's own configuration (files may be governed by different ones).
    fail_on: str = "warning"
    #: What project rules need of the file (lint/project.py), when any project rule runs.
    facts: Facts | None = None
    #: The shared files the map included, with checksums: a cached report is stale when one changed.
    includes: tuple[tuple[str, str], ...] = ()
    cacheable: bool = True


def finding_key(finding: Finding) -> tuple[str, int, int, str, str]:
    location = finding.location
    return (location.path, location.line, location.col, finding.code, finding.message)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Sorted by path and position, duplicates dropped (a shared file's findings repeat per map)."""
    return sorted(set(findings), key=finding_key)


_DEFAULT: list[LintConfig] = []


def default_config() -> LintConfig:
    """The recommended preset without a configuration file (built once per process)."""
    if not _DEFAULT:
        _DEFAULT.append(LintConfig.recommended())
    return _DEFAULT[0]


def lint_map(loaded: LoadedMap, config: LintConfig | None = None) -> list[Finding]:
    """Findings of the configured rules on a loaded map, suppressions applied, sorted.

    ``config=None`` means the recommended preset with no configuration file.
    """
    config = config or default_config()
    ignored = config.ignored_codes(loaded.path)
    findings: list[Finding] = []
    ran: set[str] = set()
    for rule in config.rules:
        if rule.code in ignored or rule.scope != "map":
            continue
        ran.add(rule.code)
        try:
            for violation in rule.check(loaded, rule.options):
                findings.append(
                    Finding(
                        violation.location,
                        rule.code,
                        rule.name,
                        rule.severity,
                        violation.message,
                        violation.hint,
                    )
                )
        except JourneyError:
            raise
        except Exception as exc:
            if rule.origin != "journeyctl":
                raise PluginFailure(
                    f"rule {rule.code} ({rule.name}) from {rule.origin} failed on {loaded.path}: "
                    f"{type(exc).__name__}: {exc}",
                    rule.origin.removeprefix("plugin "),
                    rule.code,
                ) from exc
            raise RuleCrashed(
                f"rule {rule.code} ({rule.name}) failed on {loaded.path}: {type(exc).__name__}: {exc}"
            ) from exc
    if any(f.location.path != loaded.path for f in findings):
        findings = [
            f
            for f in findings
            if f.location.path == loaded.path or f.code not in config.ignored_codes(f.location.path)
        ]
    findings = _apply_suppressions(findings, loaded, config, frozenset(ran), ignored)
    return sort_findings(findings)


def _apply_suppressions(
    findings: list[Finding],
    loaded: LoadedMap,
    config: LintConfig,
    ran: frozenset[str],
    ignored: frozenset[str],
) -> list[Finding]:
    from journeyctl.lint.suppressions import SuppressionIndex, scan, unused_messages

    report_unused = UNUSED_SUPPRESSION in config.engine_severity and UNUSED_SUPPRESSION not in ignored
    paths = {f.location.path for f in findings}
    if report_unused:
        paths.add(loaded.path)
    if not paths:
        return findings
    by_path: dict[str, SuppressionIndex] = {}
    for path in paths:
        source = loaded.sources.get(path)
        if source is not None:
            suppressions = scan(source.text, path, config.known_codes)
            if suppressions:
                by_path[path] = SuppressionIndex(suppressions)
    if not by_path:
        return findings

    def silenced(finding: Finding, *, by_name_only: bool = False) -> bool:
        index = by_path.get(finding.location.path)
        return index is not None and index.silence(
            finding.code, finding.location.line, by_name_only=by_name_only
        )

    kept = [f for f in findings if f.code == INVALID_MAP or not silenced(f)]
    own = by_path.get(loaded.path)
    if report_unused and own:
        severity = config.engine_severity[UNUSED_SUPPRESSION]
        for location, message in unused_messages(own.suppressions, ran | {INVALID_MAP}):
            finding = unused_suppression_finding(location, message, severity)
            if not silenced(finding, by_name_only=True):
                kept.append(finding)
    return kept


def unused_suppression_finding(location: Location, message: str, severity: Severity) -> Finding:
    """A JM001 finding: of a file's own check here, or of project rules' codes (lint/project.py)."""
    hint = "remove the comment, or the codes in it that no longer apply"
    return Finding(location, UNUSED_SUPPRESSION, "unused-suppression", severity, message, hint)


def invalid_map_findings(path: str, errors: Sequence[JourneyError]) -> list[Finding]:
    """Load errors as JM000 findings, in the words ``journeyctl validate`` uses."""
    findings: list[Finding] = []
    for error in errors:
        location = error.location if error.location is not None else Location(path)
        message = error.message
        if message.startswith(f"{path}: "):
            message = message[len(path) + 2 :]
        if error.key_path:
            message += f" (at {error.key_path})"
        findings.append(Finding(location, INVALID_MAP, "invalid-map", "error", message, error.hint))
    return findings


def lint_candidate(
    candidate: Candidate, config: LintConfig, max_size: int | None, skip_non_maps: bool = False
) -> FileReport:
    """Lint one discovered file (not a journey map and not named explicitly: skipped)."""
    report = _lint_candidate(candidate, config, max_size, skip_non_maps)
    report.fail_on = config.fail_on
    return report


def _lint_candidate(
    candidate: Candidate, config: LintConfig, max_size: int | None, skip_non_maps: bool
) -> FileReport:
    from journeyctl.loader import is_shared_file, load_bytes, load_shared_bytes

    path = candidate.path
    try:
        data = candidate.read(max_size=max_size, skip_others=skip_non_maps or not candidate.explicit)
        if data is None:
            return FileReport(path, skipped=True)
        if is_shared_file(data) and b"\njourneyctl:" not in b"\n" + data:
            shared, source = load_shared_bytes(data, path, max_size=max_size)
            if not config.has_project_rules:
                return FileReport(path)
            from journeyctl.lint.project import shared_facts

            return FileReport(path, facts=shared_facts(shared, source, path))
        loaded = load_bytes(data, path, max_size=max_size)
    except MapInvalid as exc:
        return FileReport(path, sort_findings(invalid_map_findings(path, exc.errors)), cacheable=False)
    except LoadError as exc:
        return FileReport(path, invalid_map_findings(path, [exc]), cacheable=False)
    facts = None
    if config.has_project_rules:
        from journeyctl.lint.project import map_facts

        facts = map_facts(loaded)
    return FileReport(path, lint_map(loaded, config), facts=facts, includes=included_files(loaded))


def included_files(loaded: LoadedMap) -> tuple[tuple[str, str], ...]:
    """The shared files a map included: (absolute path, checksum of the text that was read)."""
    import os

    from journeyctl.lint.cache import digest_text

    return tuple(
        (os.path.abspath(path), digest_text(source.text))
        for path, source in loaded.sources.items()
        if path != loaded.path
    )


@dataclass(frozen=True)
class _Linter:
    """Lints one file with its configuration; the pool's forked workers inherit it as it is.

    Each item is a file and the index of its configuration in ``configs``.
    """

    configs: tuple[LintConfig, ...]
    max_size: int | None
    skip_non_maps: bool

    def __call__(self, item: tuple[Candidate, int]) -> FileReport:
        candidate, index = item
        return lint_candidate(candidate, self.configs[index], self.max_size, self.skip_non_maps)


def _resolver(config: LintConfig | ConfigResolver | None) -> ConfigResolver:
    if isinstance(config, ConfigResolver):
        return config
    return ConfigResolver.fixed(config or default_config())


def build_models() -> None:
    """Import the loader and the plain models now, so that forked workers inherit them.

    Not pydantic: valid maps are built without it (plain.py), and a worker that meets an
    invalid map imports it then, as a serial run does.
    """
    import journeyctl.loader
    import journeyctl.model.plain  # noqa: F401


def _item_path(item: tuple[Candidate, int]) -> str:
    return item[0].path


def discover_candidates(
    paths: Sequence[str],
    config: LintConfig | ConfigResolver | CachedScopes | None = None,
    *,
    force_exclude: bool = False,
    stdin_filename: str | None = None,
    respect_gitignore: bool = True,
) -> list[Candidate]:
    """Files to lint under ``paths``, without those their configuration excludes.

    Each walked file or directory is judged by the configuration of the
    directory it is in (``config`` may be one configuration for every file, a
    resolver that finds each file's own, or the lint cache's record of what each
    configuration excludes); files named on the command line, standard input
    among them, are judged only with ``force_exclude``.
    """
    import dataclasses
    import os

    from journeyctl.walk import discover

    resolver: ConfigResolver | CachedScopes = (
        _resolver(config) if config is None or isinstance(config, LintConfig) else config
    )

    def excluded(path: str) -> bool:
        return resolver.for_path(path).is_excluded(path)

    candidates = discover(
        paths, stdin_filename=stdin_filename, skip=excluded, respect_gitignore=respect_gitignore
    )
    # "./maps/a.yaml" reads better (and matches globs) as "maps/a.yaml".
    candidates = [
        dataclasses.replace(c, path=os.path.normpath(c.path)) if c.path.startswith("./") else c
        for c in candidates
    ]
    if force_exclude:
        candidates = [c for c in candidates if not (c.explicit and excluded(c.path))]
    return candidates


def lint_paths(
    paths: Sequence[str],
    config: LintConfig | ConfigResolver | None = None,
    *,
    jobs: int | None = None,
    max_size: int | None = DEFAULT_MAX_FILE_SIZE,
    skip_non_maps: bool = False,
    force_exclude: bool = False,
    candidates: Sequence[Candidate] | None = None,
) -> Iterator[FileReport]:
    """A report per file under ``paths``, in discovery order (the same for any ``jobs``).

    ``config`` is one configuration for every file (None: the recommended
    preset), or a resolver giving each file its own.
    """
    from journeyctl.pool import parallel_map
    from journeyctl.walk import batch_gc

    resolver = _resolver(config)
    if candidates is None:
        candidates = discover_candidates(paths, resolver, force_exclude=force_exclude)
    configs: list[LintConfig] = []
    index_of: dict[int, int] = {}
    items: list[tuple[Candidate, int]] = []
    for candidate in candidates:
        file_config = resolver.for_path(candidate.path)
        index = index_of.setdefault(id(file_config), len(configs))
        if index == len(configs):
            configs.append(file_config)
        items.append((candidate, index))
    linter = _Linter(tuple(configs), max_size, skip_non_maps)
    with batch_gc():
        yield from parallel_map(linter, items, jobs, chunksize=16, prepare=build_models, describe=_item_path)
