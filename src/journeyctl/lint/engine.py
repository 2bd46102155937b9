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

from journeyctl.config import LintConfig
from journeyctl.errors import JourneyError, LoadError, MapInvalid
from journeyctl.lint.api import Finding
from journeyctl.lint.registry import INVALID_MAP, UNUSED_SUPPRESSION
from journeyctl.location import Location
from journeyctl.yamlsource import DEFAULT_MAX_FILE_SIZE

if TYPE_CHECKING:
    from journeyctl.lint.project import Facts
    from journeyctl.loader import LoadedMap
    from journeyctl.walk import Candidate


class RuleCrashed(Exception):
    """A rule raised instead of yielding findings: a bug in the rule (exit 3), named precisely."""


@dataclass
class FileReport:
    """What linting one file gave: its findings, or that it is not a journey map."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    skipped: bool = False
    #: What project rules need of the file (lint/project.py), when any project rule runs.
    facts: Facts | None = None


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
            finding = Finding(
                location,
                UNUSED_SUPPRESSION,
                "unused-suppression",
                severity,
                message,
                "remove the comment, or the codes in it that no longer apply",
            )
            if not silenced(finding, by_name_only=True):
                kept.append(finding)
    return kept


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
    from journeyctl.loader import is_shared_file, load_bytes, load_shared_bytes, read_journey_file

    path = candidate.path
    try:
        skip_others = skip_non_maps or not candidate.explicit
        data = read_journey_file(path, max_size=max_size, skip_others=skip_others)
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
        return FileReport(path, sort_findings(invalid_map_findings(path, exc.errors)))
    except LoadError as exc:
        return FileReport(path, invalid_map_findings(path, [exc]))
    facts = None
    if config.has_project_rules:
        from journeyctl.lint.project import map_facts

        facts = map_facts(loaded)
    return FileReport(path, lint_map(loaded, config), facts=facts)


@dataclass(frozen=True)
class _Linter:
    """Lints one candidate with a run's settings; the pool's forked workers inherit it as it is."""

    config: LintConfig
    max_size: int | None
    skip_non_maps: bool

    def __call__(self, candidate: Candidate) -> FileReport:
        return lint_candidate(candidate, self.config, self.max_size, self.skip_non_maps)


def build_models() -> None:
    """Import the loader and the pydantic models now, so that forked workers inherit them built."""
    import journeyctl.loader
    import journeyctl.model  # noqa: F401


def _candidate_path(candidate: Candidate) -> str:
    return candidate.path


def discover_candidates(
    paths: Sequence[str], config: LintConfig, *, force_exclude: bool = False
) -> list[Candidate]:
    """Files to lint under ``paths``, without those the configuration excludes."""
    import os

    from journeyctl.walk import Candidate, discover

    same_root = os.path.abspath(config.root) == os.getcwd()
    # walk.discover matches globs against paths as walked; they equal the
    # configuration's relative paths only when the configuration is here.
    candidates = discover(paths, config.exclude if same_root else ())
    # "./maps/a.yaml" reads better (and matches globs) as "maps/a.yaml".
    candidates = [
        Candidate(os.path.normpath(c.path), c.explicit) if c.path.startswith("./") else c for c in candidates
    ]
    if config.exclude:
        candidates = [
            c for c in candidates if (c.explicit and not force_exclude) or not config.is_excluded(c.path)
        ]
    return candidates


def lint_paths(
    paths: Sequence[str],
    config: LintConfig | None = None,
    *,
    jobs: int | None = None,
    max_size: int | None = DEFAULT_MAX_FILE_SIZE,
    skip_non_maps: bool = False,
    force_exclude: bool = False,
    candidates: Sequence[Candidate] | None = None,
) -> Iterator[FileReport]:
    """A report per file under ``paths``, in discovery order (the same for any ``jobs``)."""
    from journeyctl.pool import parallel_map
    from journeyctl.walk import batch_gc

    config = config or default_config()
    if candidates is None:
        candidates = discover_candidates(paths, config, force_exclude=force_exclude)
    linter = _Linter(config, max_size, skip_non_maps)
    with batch_gc():
        yield from parallel_map(
            linter, candidates, jobs, chunksize=16, prepare=build_models, describe=_candidate_path
        )
