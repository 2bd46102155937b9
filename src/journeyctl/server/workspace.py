"""The server's view of the maps being edited: open texts, and what checking each gave.

No LSP here: a ``Workspace`` holds the editor's unsaved texts and checks a file
the way ``journeyctl lint`` would (the same loader, lint engine, configuration
lookup and project rules), reading included shared files from the open texts
first and the disk after. What a check keeps (``Checked``) is what every
editor feature reads: the node tree, the index of ids and references, the
findings. Models and rule configurations are built once per process and
reused across edits; a workspace's other maps are kept as project facts (a few
ids each), never as models, so a thousand maps stay small.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeyctl.errors import JourneyError, LoadError, MapInvalid
from journeyctl.lint.findings import Finding
from journeyctl.server.index import MapIndex, build_index
from journeyctl.yamlsource import DEFAULT_MAX_FILE_SIZE, SourceMap

if TYPE_CHECKING:
    from journeyctl.config import ConfigResolver, LintConfig
    from journeyctl.lint.project import Facts


@dataclass
class Checked:
    """What checking one file gave: its findings and the last node tree that parsed."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    #: The node tree of the text as checked, or of the last text that parsed (YAML being typed).
    source: SourceMap | None = None
    #: The ``include`` entries as written (from the text that parsed).
    include_texts: list[str] = field(default_factory=list)
    #: Real paths of the shared files the map includes (the last ones known).
    includes: frozenset[str] = frozenset()
    #: Indexes of the included shared files, for references into them.
    shared: dict[str, MapIndex] = field(default_factory=dict)
    #: Node trees of the included files, by real path.
    shared_sources: dict[str, SourceMap] = field(default_factory=dict)
    is_shared_file: bool = False
    is_journey: bool = True
    _index: MapIndex | None = field(default=None, repr=False)

    @property
    def index(self) -> MapIndex | None:
        """Ids and references of ``source``, built when a feature first asks (a check does not)."""
        if self._index is None and self.source is not None:
            self._index = build_index(self.source)
        return self._index


def real(path: str | Path) -> str:
    """The path files are known by here: absolute, links resolved (as includes resolve)."""
    return os.path.realpath(path)


class Workspace:
    """Open documents by real path, the checks of each, and the workspace's other maps."""

    def __init__(self, roots: Iterable[str] = (), *, max_size: int | None = DEFAULT_MAX_FILE_SIZE) -> None:
        self.roots = [real(root) for root in roots]
        self.max_size = max_size
        self.texts: dict[str, str] = {}
        self.checked: dict[str, Checked] = {}
        self._resolver: ConfigResolver | None = None
        #: Facts of every map and shared file of the workspace, read on first need.
        self._facts: dict[str, Facts] | None = None
        #: Baseline maps looked up beyond the workspace by project rules, kept across checks.
        self._baseline_lookups: dict[tuple[str, str], Any] = {}

    # --- documents -------------------------------------------------------------------

    def open(self, path: str, text: str) -> None:
        self.texts[real(path)] = text

    def close(self, path: str) -> None:
        key = real(path)
        self.texts.pop(key, None)
        self.checked.pop(key, None)

    def read(self, path: str | Path) -> bytes:
        """The bytes of a file: the editor's text when it is open, else the disk's."""
        text = self.texts.get(real(path))
        if text is not None:
            return text.encode("utf-8", "surrogatepass")
        from journeyctl.loader import read_file

        return read_file(path, max_size=self.max_size)

    def saved(self, path: str) -> None:
        """A file was saved: what was read of it is read again (see ``files_changed``)."""
        self.files_changed([(path, False)])

    def files_changed(self, changes: Iterable[tuple[str, bool]]) -> None:
        """Files changed on disk, each as (path, deleted): forget what was read of them.

        A configuration file changes the configuration of every file under it; any map may
        be another's baseline. Facts of the workspace's maps are read again for the files
        that changed (an open file keeps its editor text), dropped for those deleted.
        """
        changes = list(changes)
        if any(os.path.basename(path) in (".journeyctl.yaml", "pyproject.toml") for path, _ in changes):
            self._resolver = None
        self._baseline_lookups.clear()
        if self._facts is None:
            return
        for path, deleted in changes:
            key = real(path)
            if deleted and key not in self.texts:
                self._facts.pop(key, None)
            elif any(Path(key).is_relative_to(root) for root in self.roots):
                self._refresh_facts(key)

    @property
    def resolver(self) -> ConfigResolver:
        if self._resolver is None:
            from journeyctl.config import ConfigResolver

            self._resolver = ConfigResolver()
        return self._resolver

    def includers(self, path: str) -> list[str]:
        """Open maps that include the shared file at ``path``."""
        key = real(path)
        return [other for other, checked in self.checked.items() if key in checked.includes and other != key]

    # --- checking --------------------------------------------------------------------

    def check(self, path: str) -> Checked:
        """Check an open file as ``journeyctl lint`` would, and keep what the check gave."""
        from journeyctl.loader import paused_gc

        key = real(path)
        previous = self.checked.get(key)
        checked = Checked(key)
        try:
            # The collector paused for the whole check, not only the load: a server keeps the node
            # trees of its open files alive, and each generation scan walks them (a 1 MB map's
            # parse took 480 ms with it running, 200 ms without).
            with paused_gc():
                self._check(key, checked, previous)
        except JourneyError as error:
            # A configuration that does not load is shown on the map, not swallowed.
            from journeyctl.lint.engine import invalid_map_findings

            checked.findings = invalid_map_findings(key, [error])
        self.checked[key] = checked
        return checked

    def _check(self, key: str, checked: Checked, previous: Checked | None) -> None:
        from journeyctl.lint.engine import invalid_map_findings, lint_map, sort_findings
        from journeyctl.loader import find_repository_root, is_shared_file, load_bytes, load_shared_bytes
        from journeyctl.walk import is_journey_text
        from journeyctl.yamlsource import parse

        data = self.read(key)
        if not is_journey_text(data):
            # Any other YAML (or not YAML) file the editor opens: not ours to judge.
            checked.is_journey = False
            return
        shared = is_shared_file(data) and b"\njourneyctl:" not in b"\n" + data
        checked.is_shared_file = shared
        config = self.resolver.for_path(key)
        try:
            parsed = parse(data, key, max_size=self.max_size)
        except JourneyError as error:
            checked.findings = invalid_map_findings(key, [error])
            if previous is not None:  # keep answering completion from the last text that parsed
                checked.source, checked._index = previous.source, previous._index
                checked.include_texts = previous.include_texts
                checked.includes, checked.shared = previous.includes, previous.shared
                checked.shared_sources = previous.shared_sources
            return
        source = parsed[1]
        checked.source = source
        written = parsed[0].get("include") if isinstance(parsed[0], dict) else None
        checked.include_texts = (
            [str(item) for item in written if isinstance(item, str)] if isinstance(written, list) else []
        )
        root = find_repository_root(Path(key).parent)
        self._index_includes(checked, root)
        facts: Facts | None = None
        try:
            if shared:
                definitions, _ = load_shared_bytes(data, key, max_size=self.max_size, parsed=parsed)
                if config.has_project_rules:
                    from journeyctl.lint.project import shared_facts

                    facts = shared_facts(definitions, source, key)
            else:
                loaded = load_bytes(
                    data, key, max_size=self.max_size, read_include=self.read, root=root, parsed=parsed
                )
                checked.findings = lint_map(loaded, config)
                if config.has_project_rules:
                    from journeyctl.lint.project import map_facts

                    facts = map_facts(loaded)
        except MapInvalid as exc:
            checked.findings = sort_findings(invalid_map_findings(key, exc.errors))
        except LoadError as exc:
            checked.findings = invalid_map_findings(key, [exc])
        if config.has_project_rules:
            checked.findings = sort_findings([*checked.findings, *self._project_findings(key, facts)])

    def _index_includes(self, checked: Checked, root: Path) -> None:
        """Indexes of the shared files a map includes (those inside the root that parse)."""
        from journeyctl.yamlsource import parse

        if not checked.include_texts:
            return
        base = Path(checked.path).parent
        includes: set[str] = set()
        for include in checked.include_texts:
            try:
                target = real(str(base / include))
            except (OSError, ValueError):
                continue
            if os.path.isabs(include) or not Path(target).is_relative_to(root):
                continue  # the loader reports it
            includes.add(target)
            try:
                _, source = parse(self.read(target), target, max_size=self.max_size)
            except JourneyError:
                continue
            checked.shared_sources[target] = source
            checked.shared[target] = build_index(source)
        checked.includes = frozenset(includes)

    # --- project rules ---------------------------------------------------------------

    def _project_findings(self, key: str, facts: Facts | None) -> list[Finding]:
        """Cross-map findings of one file, with the workspace's other maps as the run."""
        from journeyctl.lint.project import Project, project_findings

        everything = self._workspace_facts()
        if facts is None:
            everything.pop(key, None)
        else:
            everything[key] = facts
        from journeyctl.walk import walk_order

        # In the order lint walks them, whatever order they were read in: "the second map with
        # this id" must be the same file for the server as for `journeyctl lint`.
        # Lookups of baselines beyond the workspace walk the repository: kept until a save.
        project = Project.of(
            (facts for _, facts in sorted(everything.items(), key=lambda item: walk_order(item[0]))),
            found=self._baseline_lookups,
        )
        return [f for f in project_findings(project, self.resolver) if f.location.path == key]

    def _workspace_facts(self) -> dict[str, Facts]:
        if self._facts is None:
            from journeyctl.errors import JourneyError as Error
            from journeyctl.walk import discover

            self._facts = {}
            for root in self.roots:
                try:
                    candidates = discover([root])
                except Error:
                    continue
                for candidate in candidates:
                    self._refresh_facts(real(candidate.path))
        return self._facts

    def _refresh_facts(self, path: str) -> None:
        """Re-read one file's project facts (a map that does not load has none)."""
        from journeyctl.loader import is_shared_file, load_bytes, load_shared_bytes
        from journeyctl.walk import is_journey_text

        assert self._facts is not None
        self._facts.pop(path, None)
        try:
            data = self.read(path)
            if not is_journey_text(data):
                return
            if is_shared_file(data) and b"\njourneyctl:" not in b"\n" + data:
                from journeyctl.lint.project import shared_facts

                definitions, source = load_shared_bytes(data, path, max_size=self.max_size)
                self._facts[path] = shared_facts(definitions, source, path)
            else:
                from journeyctl.lint.project import map_facts

                self._facts[path] = map_facts(load_bytes(data, path, max_size=self.max_size))
        except JourneyError:
            return

    def workspace_maps(self) -> list[str]:
        """Paths of the workspace's maps and shared files (read once, for cross-map features)."""
        return list(self._workspace_facts())

    def config_for(self, path: str) -> LintConfig:
        return self.resolver.for_path(real(path))
