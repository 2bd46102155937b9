"""The lint cache: what linting a file found, kept so that re-linting it unchanged is a lookup.

``journeyctl lint`` keeps, for every map it lints, the findings together with
everything they depend on, and on the next run reuses them for each file whose
inputs are all unchanged; only the other files are loaded and linted. A run in
which every file is unchanged imports neither the loader nor the rules, so it
takes little more than starting Python.

A cached report is used only when all of these are what they were:

* the file's content (a checksum of its bytes) and its path, and the content
  of every shared file it includes;
* the file's configuration: which file governs it (``.journeyctl.yaml`` or
  ``pyproject.toml`` found from its directory upward, or ``--config``) and
  that file's bytes; the command-line options that select rules or files, the
  working directory, ``--max-file-size`` and ``--skip-non-maps``;
* journeyctl: its version and its installed source files (sizes and
  modification times, so an edited editable install counts as a new version),
  and the Python version;
* the plugins: every installed distribution that declares ``journeyctl.rules``
  entry points, by name, version and declarations;
* the date, since ``stale-map`` measures against today.

Files that do not load (JM000 findings) are never cached: what failed may be
an include that does not exist yet.

Where: ``$JOURNEYCTL_CACHE_DIR``, else ``$XDG_CACHE_HOME/journeyctl``, else
``~/.cache/journeyctl``, under ``lint-v2/``; ``--cache-dir`` names another
(a project-local ``.journeyctl_cache`` for a CI cache step, say), and
``--no-cache`` or ``JOURNEYCTL_NO_CACHE=1`` turns the cache off. Each entry is
one small JSON file written atomically (a temporary file renamed into place)
and carrying a checksum of itself; an entry that does not parse, fails its
checksum, or does not describe what was asked is ignored and rewritten. A
cache that cannot be written is simply not written.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeyctl import __version__
from journeyctl.lint.findings import SEVERITIES, Finding
from journeyctl.location import Location

if TYPE_CHECKING:
    from collections.abc import Callable

    from journeyctl.config import ConfigResolver, LintConfig, Overrides
    from journeyctl.lint.engine import FileReport
    from journeyctl.lint.project import Facts
    from journeyctl.walk import Candidate

try:
    # hashlib's own blake2b; importing hashlib also loads OpenSSL (~2 ms of a ~55 ms cached run).
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

#: Bump when the meaning or layout of an entry changes: old entries are then never read.
CACHE_FORMAT = 2
_BOM = b"\xef\xbb\xbf"


def digest_bytes(data: bytes) -> str:
    return blake2b(data, digest_size=16).hexdigest()


def digest_text(text: str) -> str:
    """The checksum of decoded text, equal to ``file_text_digest`` of the file it came from."""
    return digest_bytes(text.encode("utf-8"))


def file_text_digest(data: bytes) -> str:
    """The checksum of a file's text as the loader reads it (UTF-8, a BOM dropped)."""
    return digest_bytes(data[3:] if data.startswith(_BOM) else data)


def read_regular_file(path: str | Path, max_size: int | None) -> bytes | None:
    """A regular file's bytes, or None: unreadable, not a regular file, or over ``max_size``.

    As the loader reads files: a FIFO would block and a device may never end, so
    the file is opened without blocking and what was opened is checked (not
    what the name pointed at before) before anything is read. The engine or the
    configuration reader then reports what is wrong with it.
    """
    import stat

    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            return None
        if max_size is not None and status.st_size > max_size:
            return None
        with open(descriptor, "rb", closefd=False) as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(descriptor)


def disabled_by_environment() -> bool:
    return os.environ.get("JOURNEYCTL_NO_CACHE", "") not in ("", "0")


@dataclass(frozen=True)
class LintScope:
    """What of a configuration a run needs before any rule runs: which files, and when it fails.

    Cached for each configuration file, so a run whose files are all cached
    never builds a configuration (which imports every rule).
    """

    root: str
    exclude: tuple[str, ...]
    fail_on: str

    @classmethod
    def of(cls, config: LintConfig) -> LintScope:
        return cls(config.root, config.exclude, config.fail_on)

    def is_excluded(self, path: str) -> bool:
        from journeyctl.config import glob_match, relative_posix

        return bool(self.exclude) and any(
            glob_match(relative_posix(path, self.root), p) for p in self.exclude
        )


def package_fingerprint() -> list[tuple[str, int, int]]:
    """Every file of the installed journeyctl package: (relative path, size, mtime in ns)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    found: list[tuple[str, int, int]] = []
    for directory, subdirectories, files in os.walk(package):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        for name in sorted(files):
            path = os.path.join(directory, name)
            try:
                status = os.stat(path)
            except OSError:
                continue
            found.append((os.path.relpath(path, package), status.st_size, status.st_mtime_ns))
    return found


def plugin_fingerprint() -> list[Any]:
    """The distributions that declare lint rules, as their metadata directories and declarations."""
    from journeyctl.lint.registry import ENTRY_POINT_GROUP, plugin_declarations

    declared = plugin_declarations()
    if declared is not None:
        return [[path, digest_bytes(text)] for path, text in declared]
    from importlib.metadata import entry_points

    return sorted(
        [ep.name, ep.value, ep.dist.name if ep.dist else "", ep.dist.version if ep.dist else ""]
        for ep in entry_points(group=ENTRY_POINT_GROUP)
    )


def run_key(
    overrides: Overrides,
    *,
    config_option: str | None,
    isolated: bool,
    max_size: int | None,
    skip_non_maps: bool,
) -> str:
    """A checksum of what every file's findings depend on, but the file, its configuration, the date."""
    inputs = {
        "format": CACHE_FORMAT,
        "journeyctl": __version__,
        "python": list(sys.version_info[:2]),
        "package": package_fingerprint(),
        "plugins": plugin_fingerprint(),
        "cwd": os.getcwd(),
        "config_option": config_option,
        "isolated": isolated,
        "overrides": [
            overrides.preset,
            overrides.select,
            overrides.extend_select,
            overrides.ignore,
            overrides.exclude,
            overrides.fail_on,
        ],
        "max_size": max_size,
        "skip_non_maps": skip_non_maps,
    }
    return digest_bytes(json.dumps(inputs, sort_keys=True).encode("utf-8"))


def today() -> str:
    """The date cached reports are valid for: ``stale-map`` measures against it.

    The local date, as ``datetime.date.today()`` gives it.
    """
    return time.strftime("%Y-%m-%d", time.localtime())


def _finding_to_json(finding: Finding) -> list[Any]:
    location = finding.location
    return [
        location.path,
        location.line,
        location.col,
        finding.code,
        finding.name,
        finding.severity,
        finding.message,
        finding.hint,
    ]


def _finding_from_json(item: Any) -> Finding:
    path, line, col, code, name, severity, message, hint = item
    if not (
        type(path) is str
        and type(line) is int
        and type(col) is int
        and type(code) is str
        and type(name) is str
        and severity in SEVERITIES
        and type(message) is str
        and (hint is None or type(hint) is str)
    ):
        raise ValueError("not a finding")
    return Finding(Location(path, line, col), code, name, severity, message, hint)


class LintCache:
    """The cache of one lint run: its directory, its configuration key and the date.

    A plain class, not a dataclass: a cached run of one map takes ~55 ms, and each
    dataclass costs a fraction of a millisecond to create at import.
    """

    def __init__(self, directory: Path, key: str, date: str, *, max_size: int | None = None) -> None:
        self.directory = directory
        self.key = key
        #: The day the run's reports are valid for (``today()``).
        self.date = date
        #: The run's file-size cap: a larger file is never read here (the engine reports it).
        self.max_size = max_size
        #: Files looked up and not found, by path: (candidate, digest of what was read, the
        #: name of its configuration), what to store once they are linted.
        self._pending: dict[str, tuple[Candidate, str, str]] = {}
        #: Each looked-up file's configuration identity and content digest, by path.
        self._seen: dict[str, tuple[str, str]] = {}
        self._unsettled = False
        self._text_digests: dict[str, str | None] = {}
        # Plain strings, not pathlib: a thousand lookups a run.
        self._root = os.path.join(os.fspath(directory), f"lint-v{CACHE_FORMAT}")

    # --- entries on disk ------------------------------------------------------------------

    def _entry_path(self, kind: str, name: str) -> str:
        # File names may hold bytes that are not UTF-8 (surrogate escapes): keep them as they are.
        digest = digest_bytes(f"{self.key}\0{kind}\0{name}".encode("utf-8", "surrogatepass"))
        return os.path.join(self._root, kind, digest[:2], f"{digest}.json")

    def _read(self, kind: str, name: str) -> dict[str, Any] | None:
        """An entry's body, or None when it is missing, corrupt or about something else."""
        try:
            with open(self._entry_path(kind, name), "rb") as handle:
                raw = handle.read()
        except OSError:
            return None
        checksum, _, body = raw.partition(b"\n")
        if checksum.decode("ascii", "replace") != digest_bytes(body):
            return None
        try:
            entry = json.loads(body)
        except ValueError:
            return None
        if not isinstance(entry, dict) or entry.get("key") != self.key or entry.get("name") != name:
            return None
        return entry

    def _write(self, kind: str, name: str, entry: dict[str, Any]) -> None:
        """Write an entry atomically; a cache that cannot be written is left alone."""
        import contextlib
        import tempfile

        entry = {"key": self.key, "name": name, **entry}
        # ASCII with escapes: names and messages may hold surrogate escapes, which JSON keeps.
        body = json.dumps(entry, separators=(",", ":")).encode("ascii")
        target = self._entry_path(kind, name)
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            # No fsync: a torn entry fails its checksum and is ignored, which is all
            # a cache needs, and a thousand fsyncs would cost more than the lint.
            fd, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=os.path.dirname(target))
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(digest_bytes(body).encode("ascii") + b"\n" + body)
                os.replace(temporary, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError:
            return

    # --- the configuration's scope ------------------------------------------------------------

    def scope(self, identity: str) -> LintScope | None:
        """The cached scope of the configuration ``identity`` names (``CachedScopes.identity``)."""
        entry = self._read("scope", identity)
        if entry is None:
            return None
        try:
            root, exclude, fail_on = entry["root"], entry["exclude"], entry["fail_on"]
            if type(root) is not str or type(fail_on) is not str or not isinstance(exclude, list):
                return None
            if not all(type(pattern) is str for pattern in exclude):
                return None
        except KeyError:
            return None
        return LintScope(root, tuple(exclude), fail_on)

    def store_scope(self, identity: str, scope: LintScope) -> None:
        self._write(
            "scope", identity, {"root": scope.root, "exclude": list(scope.exclude), "fail_on": scope.fail_on}
        )

    # --- file reports -----------------------------------------------------------------------

    def _file_name(self, candidate: Candidate, identity: str) -> str:
        where = os.path.abspath(candidate.path) if candidate.data is None else "<stdin>"
        return f"{where}\0{candidate.path}\0{int(candidate.explicit)}\0{identity}"

    def _include_digest(self, path: str) -> str | None:
        if path not in self._text_digests:
            data = self._read_file(path)
            self._text_digests[path] = file_text_digest(data) if data is not None else None
        return self._text_digests[path]

    def _read_file(self, path: str) -> bytes | None:
        return read_regular_file(path, self.max_size)

    def _candidate_bytes(self, candidate: Candidate) -> bytes | None:
        # Standard input was read already (an editor's unsaved buffer): never the file of that name.
        return candidate.data if candidate.data is not None else self._read_file(candidate.path)

    def lookup(self, candidate: Candidate, scope: LintScope, identity: str) -> FileReport | None:
        """The cached report of an unchanged file, or None (and the file is remembered for ``store``).

        ``identity`` names the file's configuration, ``scope`` is what of it the report needs.
        """
        from journeyctl.lint.engine import FileReport

        data = self._candidate_bytes(candidate)
        if data is None:
            return None
        digest = digest_bytes(data)
        self._seen[candidate.path] = (identity, digest)
        name = self._file_name(candidate, identity)
        entry = self._read("files", name)
        if entry is not None and entry.get("digest") == digest and entry.get("date") == self.date:
            try:
                includes = [(str(path), str(checksum)) for path, checksum in entry["includes"]]
                if all(self._include_digest(path) == checksum for path, checksum in includes):
                    findings = [_finding_from_json(item) for item in entry["findings"]]
                    facts = entry["facts"]
                    if facts is not None:
                        from journeyctl.lint.project import facts_from_json

                        facts = facts_from_json(facts)
                    return FileReport(
                        candidate.path,
                        findings,
                        skipped=entry["skipped"] is True,
                        fail_on=scope.fail_on,
                        facts=facts,
                        includes=tuple(includes),
                    )
            except (KeyError, TypeError, ValueError):
                pass
        self._pending[candidate.path] = (candidate, digest, identity)
        return None

    def store(self, report: FileReport) -> None:
        """Keep a fresh report, if its file is still what was looked up before it was linted."""
        pending = self._pending.pop(report.path, None)
        if pending is None or not report.cacheable:
            return
        candidate, digest, identity = pending
        data = self._candidate_bytes(candidate)
        if data is None or digest_bytes(data) != digest:
            # Edited while it was linted: the report may describe either version.
            self._unsettled = True
            return
        self._write(
            "files",
            self._file_name(candidate, identity),
            {
                "digest": digest,
                "date": self.date,
                "skipped": report.skipped,
                "includes": [list(item) for item in report.includes],
                "findings": [_finding_to_json(f) for f in report.findings],
                "facts": _facts_to_json(report),
            },
        )

    # --- project rules' findings ---------------------------------------------------------------

    def project_name(self, files: Sequence[str], facts: Sequence[Facts | None]) -> str | None:
        """The name of a run's project findings: every file's content, configuration and facts.

        None when a file was not looked up in the cache or changed while the run read it.
        """
        if self._unsettled:
            return None
        from journeyctl.lint.project import facts_to_json

        parts: list[Any] = [self.date]
        for path, item in zip(files, facts, strict=True):
            seen = self._seen.get(path)
            if seen is None:
                return None
            parts.append([path, *seen, facts_to_json(item)])
        return digest_bytes(json.dumps(parts, separators=(",", ":")).encode("utf-8", "surrogatepass"))

    def project_findings(self, name: str) -> tuple[list[Finding], bool] | None:
        """The project findings kept under ``name``, and whether they failed the run."""
        entry = self._read("project", name)
        if entry is None:
            return None
        try:
            failed = entry["failed"]
            if type(failed) is not bool:
                return None
            return [_finding_from_json(item) for item in entry["findings"]], failed
        except (KeyError, TypeError, ValueError):
            return None

    def store_project_findings(self, name: str, findings: Sequence[Finding], failed: bool) -> None:
        self._write("project", name, {"failed": failed, "findings": [_finding_to_json(f) for f in findings]})


def _facts_to_json(report: FileReport) -> object:
    """What project rules need of the file (lint/project.py), kept beside its findings."""
    if report.facts is None:
        return None
    from journeyctl.lint.project import facts_to_json

    return facts_to_json(report.facts)


class CachedScopes:
    """What each file's configuration excludes and when its files fail, as the cache remembers it.

    Stands in for the configuration resolver while files are discovered and
    looked up: each directory's configuration file is found as the resolver
    finds it, and named by its path and the checksum of its bytes; its scope
    comes from the cache, and only a scope the cache does not have is built,
    by the resolver (``resolver`` makes it on first use), and kept.
    """

    def __init__(
        self,
        cache: LintCache,
        resolver: Callable[[], ConfigResolver],
        *,
        config_path: str | None,
        isolated: bool,
    ) -> None:
        self.cache = cache
        self._resolver = resolver
        self._config_path = config_path
        self._isolated = isolated
        self._file_of: dict[str, Path | None] = {}
        self._identity_of: dict[Path | None, str] = {}
        self._scopes: dict[str, LintScope] = {}
        #: (identity, scope) by directory as given: the one lookup most files need.
        self._by_directory: dict[str, tuple[str, LintScope]] = {}
        #: Each configuration in the order it was first needed, with a directory it governs
        #: (the resolver gives its configurations out in that order too).
        self.order: list[tuple[str, str]] = []

    def config_file(self, directory: str) -> Path | None:
        """The configuration file governing ``directory``, as ``ConfigResolver`` finds it."""
        if self._config_path is not None:
            return Path(self._config_path)
        if self._isolated:
            return None
        key = os.path.abspath(directory)
        if key not in self._file_of:
            from journeyctl.config import find_config

            self._file_of[key] = find_config(key)
        return self._file_of[key]

    def identity(self, directory: str) -> str:
        """The name of ``directory``'s configuration: its file's path and a checksum of its bytes."""
        found = self.config_file(directory)
        identity = self._identity_of.get(found)
        if identity is None:
            if found is None:
                identity = "defaults"
            else:
                from journeyctl.config import MAX_CONFIG_SIZE

                data = read_regular_file(found, MAX_CONFIG_SIZE)
                # Unreadable: never a cached scope (none is kept for a configuration that fails),
                # so the resolver reads it and says what is wrong.
                identity = f"{found}\0{digest_bytes(data) if data is not None else 'unreadable'}"
            self._identity_of[found] = identity
        return identity

    def identity_and_scope(self, directory: str) -> tuple[str, LintScope]:
        known = self._by_directory.get(directory)
        if known is not None:
            return known
        identity = self.identity(directory)
        scope = self._scopes.get(identity)
        if scope is None:
            scope = self.cache.scope(identity)
            if scope is None:
                scope = LintScope.of(self._resolver().for_directory(directory))
                self.cache.store_scope(identity, scope)
            self._scopes[identity] = scope
            self.order.append((identity, directory))
        self._by_directory[directory] = (identity, scope)
        return identity, scope

    def for_directory(self, directory: str) -> LintScope:
        return self.identity_and_scope(directory)[1]

    def for_path(self, path: str) -> LintScope:
        """The scope of the file at ``path`` (the configuration found from its directory upward)."""
        return self.for_directory(os.path.dirname(path) or ".")


def split(
    cache: LintCache, scopes: CachedScopes, candidates: Sequence[Candidate]
) -> tuple[dict[int, FileReport], list[Candidate]]:
    """Cached reports by position in ``candidates``, and the candidates that must be linted."""
    hits: dict[int, FileReport] = {}
    misses: list[Candidate] = []
    for index, candidate in enumerate(candidates):
        identity, scope = scopes.identity_and_scope(os.path.dirname(candidate.path) or ".")
        report = cache.lookup(candidate, scope, identity)
        if report is None:
            misses.append(candidate)
        else:
            hits[index] = report
    return hits, misses


def merge(
    count: int, hits: dict[int, FileReport], fresh: Iterable[FileReport], cache: LintCache | None
) -> Iterator[FileReport]:
    """Every report in discovery order: cached ones where there are, fresh ones (stored) between."""
    stream = iter(fresh)
    for index in range(count):
        report = hits.get(index)
        if report is None:
            report = next(stream)
            if cache is not None:
                cache.store(report)
        yield report
