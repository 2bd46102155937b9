"""The engine side of project rules: rules that see every map of a run at once.

A map rule reads one loaded map; a project rule (a rule module with
``SCOPE = "project"``) reads the whole run: is a map id used twice, does a
future map's ``baseline`` name a current-state map, which of a shared file's
personas does no map use. Workers do not send whole models back to the parent
process (pickling them would cost more than linting): each file's report
carries its ``MapFacts`` or ``SharedFacts``, a few ids and positions, and the
parent runs the project rules over them once every file is done. So a
parallel run sees the same facts in the same order as a serial one, and the
output is identical. A future map's baseline that is not in the run is looked
up in the repository (maps under the root, recognised by their ``id``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from journeyctl.errors import JourneyError
from journeyctl.lint.findings import Finding
from journeyctl.location import Location

if TYPE_CHECKING:
    from journeyctl.config import ActiveRule, ConfigResolver, LintConfig
    from journeyctl.lint.suppressions import SuppressionIndex
    from journeyctl.loader import LoadedMap
    from journeyctl.model import Journey, SharedDefinitions
    from journeyctl.yamlsource import SourceMap

DefinitionKind = Literal["persona", "channel", "insight"]


# NamedTuples rather than dataclasses: they pickle small and cost a fraction of the
# import time, and this module is imported by every lint run with project rules.
class Reference(NamedTuple):
    """An id a map names, and where it is written."""

    ident: str
    location: Location


class Definition(NamedTuple):
    """A persona, channel or insight defined in a shared file."""

    kind: DefinitionKind
    ident: str
    location: Location


class StageFacts(NamedTuple):
    ident: str
    name: str


class MapFacts(NamedTuple):
    """What project rules know of one map: identity, baseline ties, and what it uses."""

    path: str
    ident: str
    state: str
    #: The map's first key: where a finding about the map as a whole goes.
    location: Location
    id_location: Location
    baseline: Reference | None
    stages: tuple[StageFacts, ...]
    #: The `stages` key of a future-state map (the map's first key otherwise).
    stages_location: Location
    pain_points: tuple[str, ...]
    #: Each opportunity's `resolves` entries (baseline pain point ids).
    resolves: tuple[Reference, ...]
    dropped_stages: tuple[Reference, ...]
    #: Real paths of the shared files the map includes.
    includes: tuple[str, ...]
    #: (kind, id) of every persona, channel and insight the map uses.
    uses: frozenset[tuple[str, str]]


class SharedFacts(NamedTuple):
    """What project rules know of one shared file: where it is and what it defines."""

    path: str
    real_path: str
    definitions: tuple[Definition, ...]


Facts = MapFacts | SharedFacts


def map_facts(loaded: LoadedMap) -> MapFacts:
    """The facts of a loaded map (see ``MapFacts``).

    Built for every map of a run, so it does only what the project rules read:
    what a map uses matters only for the shared files it includes, and stages,
    `resolves` and `dropped-stages` only for future-state maps or as a baseline
    (stage ids and names, no positions).
    """
    journey = loaded.journey
    future = journey.state == "future"
    return MapFacts(
        path=loaded.path,
        ident=journey.id,
        state=journey.state,
        location=loaded.locate(journey),
        id_location=loaded.locate_value(journey, "id"),
        baseline=(
            Reference(journey.baseline, loaded.locate_value(journey, "baseline"))
            if journey.baseline is not None
            else None
        ),
        stages=tuple(StageFacts(stage.id, stage.name) for stage in journey.stages),
        stages_location=loaded.locate(journey, "stages") if future else loaded.locate(journey),
        pain_points=tuple(pain_point.id for _, pain_point in journey.iter_pain_points()),
        resolves=tuple(
            Reference(ident, loaded.locate_value(opportunity, "resolves", index))
            for _, opportunity in journey.iter_opportunities()
            for index, ident in enumerate(opportunity.resolves)
        )
        if future
        else (),
        dropped_stages=tuple(
            Reference(ident, loaded.locate_value(journey, "dropped-stages", index))
            for index, ident in enumerate(journey.dropped_stages)
        ),
        includes=tuple(os.path.realpath(Path(loaded.path).parent / include) for include in journey.include),
        uses=_uses(journey) if journey.include else frozenset(),
    )


def _uses(journey: Journey) -> frozenset[tuple[str, str]]:
    """(kind, id) of every persona, channel and insight the map names."""
    uses: set[tuple[str, str]] = set()
    everyone = False
    for _, step in journey.iter_steps():
        if not step.persona_ids:
            everyone = True
        uses.update(("persona", ident) for ident in step.persona_ids)
        uses.update(("persona", ident) for ident in step.emotions)
        uses.update(("insight", ident) for ident in step.insights)
    if everyone:
        # A step that names nobody is every persona's, the included ones too.
        uses.update(("persona", persona.id) for persona in journey.personas)
    for _, touchpoint in journey.iter_touchpoints():
        uses.add(("channel", touchpoint.channel))
    for _, pain_point in journey.iter_pain_points():
        uses.update(("insight", ident) for ident in pain_point.insights)
    for _, opportunity in journey.iter_opportunities():
        uses.update(("insight", ident) for ident in opportunity.insights)
    for _, metric in journey.iter_metrics():
        uses.update(("insight", ident) for ident in metric.insights)
        if metric.persona is not None:
            uses.add(("persona", metric.persona))
    if journey.funnel is not None:
        uses.update(("insight", ident) for ident in journey.funnel.insights)
        if journey.funnel.persona is not None:
            uses.add(("persona", journey.funnel.persona))
    return frozenset(uses)


def shared_facts(shared: SharedDefinitions, source: SourceMap, path: str) -> SharedFacts:
    """The facts of a loaded shared file (see ``SharedFacts``)."""
    definitions: list[Definition] = []
    groups: tuple[tuple[DefinitionKind, str, Sequence[object]], ...] = (
        ("persona", "personas", shared.personas),
        ("channel", "channels", shared.channels),
        ("insight", "insights", shared.insights),
    )
    for kind, key, items in groups:
        for index, item in enumerate(items):
            ident = str(getattr(item, "id"))  # noqa: B009 - the three models share `id`, not a base type
            definitions.append(Definition(kind, ident, source.locate((key, index))))
    return SharedFacts(path, os.path.realpath(path), tuple(definitions))


# --- facts in the lint cache (lint/cache.py keeps them as JSON, never as pickles) ---------------
#
# A cache directory may be restored from somewhere else (a CI cache a pull request
# could have written), so it is read as data: each value is checked for its shape,
# and anything else raises ValueError, which the cache takes for a miss.


def _location_to_json(location: Location) -> list[object]:
    return [location.path, location.line, location.col]


def _location_from_json(item: object) -> Location:
    if not isinstance(item, list) or len(item) != 3:
        raise ValueError("not a location")
    path, line, col = item
    if type(path) is not str or type(line) is not int or type(col) is not int:
        raise ValueError("not a location")
    return Location(path, line, col)


def _text(item: object) -> str:
    if type(item) is not str:
        raise ValueError("not a text")
    return item


def _items(item: object) -> list[object]:
    if not isinstance(item, list):
        raise ValueError("not a list")
    return item


def _reference_to_json(reference: Reference) -> list[object]:
    return [reference.ident, _location_to_json(reference.location)]


def _reference_from_json(item: object) -> Reference:
    ident, location = _items(item)
    return Reference(_text(ident), _location_from_json(location))


def facts_to_json(facts: Facts | None) -> object:
    """A file's facts as JSON values (None stays None)."""
    if facts is None:
        return None
    if isinstance(facts, SharedFacts):
        return {
            "shared": [facts.path, facts.real_path],
            "definitions": [
                [item.kind, item.ident, _location_to_json(item.location)] for item in facts.definitions
            ],
        }
    return {
        "map": [facts.path, facts.ident, facts.state],
        "location": _location_to_json(facts.location),
        "id_location": _location_to_json(facts.id_location),
        "baseline": _reference_to_json(facts.baseline) if facts.baseline is not None else None,
        "stages": [[stage.ident, stage.name] for stage in facts.stages],
        "stages_location": _location_to_json(facts.stages_location),
        "pain_points": list(facts.pain_points),
        "resolves": [_reference_to_json(item) for item in facts.resolves],
        "dropped_stages": [_reference_to_json(item) for item in facts.dropped_stages],
        "includes": list(facts.includes),
        "uses": sorted([kind, ident] for kind, ident in facts.uses),
    }


def facts_from_json(item: object) -> Facts | None:
    """The facts ``facts_to_json`` wrote; ValueError for anything else."""
    if item is None:
        return None
    if not isinstance(item, dict):
        raise ValueError("not facts")
    try:
        if "shared" in item:
            path, real_path = (_text(part) for part in _items(item["shared"]))
            definitions = []
            for entry in _items(item["definitions"]):
                kind, ident, location = _items(entry)
                if kind not in ("persona", "channel", "insight"):
                    raise ValueError("not a definition")
                definitions.append(Definition(kind, _text(ident), _location_from_json(location)))
            return SharedFacts(path, real_path, tuple(definitions))
        path, ident, state = (_text(part) for part in _items(item["map"]))
        baseline = item["baseline"]
        stages = []
        for entry in _items(item["stages"]):
            stage_id, name = _items(entry)
            stages.append(StageFacts(_text(stage_id), _text(name)))
        uses = set()
        for entry in _items(item["uses"]):
            kind, used = _items(entry)
            uses.add((_text(kind), _text(used)))
        return MapFacts(
            path=path,
            ident=ident,
            state=state,
            location=_location_from_json(item["location"]),
            id_location=_location_from_json(item["id_location"]),
            baseline=_reference_from_json(baseline) if baseline is not None else None,
            stages=tuple(stages),
            stages_location=_location_from_json(item["stages_location"]),
            pain_points=tuple(_text(entry) for entry in _items(item["pain_points"])),
            resolves=tuple(_reference_from_json(entry) for entry in _items(item["resolves"])),
            dropped_stages=tuple(_reference_from_json(entry) for entry in _items(item["dropped_stages"])),
            includes=tuple(_text(entry) for entry in _items(item["includes"])),
            uses=frozenset(uses),
        )
    except (KeyError, TypeError) as exc:
        raise ValueError("not facts") from exc


# --- what project rules see ------------------------------------------------------------


class Project:
    """Every map and shared file of a run, in discovery order, plus lookups beyond the run."""

    def __init__(self, found: dict[tuple[str, str], MapFacts | None] | None = None) -> None:
        self.maps: list[MapFacts] = []
        self.shared: list[SharedFacts] = []
        #: Maps looked up beyond the run, by (repository root, id): a caller that builds many
        #: projects over the same files (the language server) passes one dict to share them.
        self._found: dict[tuple[str, str], MapFacts | None] = {} if found is None else found
        #: Whether a rule looked for a map beyond the run: its findings then depend on files
        #: the run did not read, and the lint cache does not keep them.
        self.searched_repository = False

    @classmethod
    def of(
        cls, facts: Iterable[Facts | None], found: dict[tuple[str, str], MapFacts | None] | None = None
    ) -> Project:
        project = cls(found)
        for item in facts:
            if isinstance(item, MapFacts):
                project.maps.append(item)
            elif isinstance(item, SharedFacts):
                project.shared.append(item)
        return project

    def maps_with_id(self, ident: str) -> list[MapFacts]:
        """Maps of the run whose id is ``ident``, in discovery order."""
        return [facts for facts in self.maps if facts.ident == ident]

    def find_map(self, ident: str, near: MapFacts) -> MapFacts | None:
        """The map with id ``ident``: from the run, else from the repository around ``near``."""
        in_run = [facts for facts in self.maps_with_id(ident) if facts.path != near.path]
        if in_run:
            return in_run[0]
        self.searched_repository = True
        root = _repository_root(near.path)
        key = (root, ident)
        if key not in self._found:
            self._found[key] = _search_repository(root, ident, {os.path.realpath(m.path) for m in self.maps})
        return self._found[key]

    def known_ids(self, near: MapFacts) -> list[str]:
        """Ids of the run's maps, for "did you mean" (the repository is searched only by exact id)."""
        return sorted({facts.ident for facts in self.maps if facts.path != near.path})


def _repository_root(path: str) -> str:
    from journeyctl.loader import find_repository_root

    return str(find_repository_root(Path(path).resolve().parent))


def _search_repository(root: str, ident: str, skip: set[str]) -> MapFacts | None:
    """A map under ``root`` whose top-level ``id`` is ``ident``; one named ``<ident>.yaml`` first."""
    from journeyctl.loader import load_bytes, read_file
    from journeyctl.walk import discover

    pattern = re.compile(rb"^id:[ \t]*['\"]?" + re.escape(ident.encode()) + rb"['\"]?[ \t]*(#.*)?$", re.M)
    try:
        candidates = discover([root])
    except JourneyError:
        return None
    # A file named after the id is the likeliest; otherwise the first in walk order.
    ordered = sorted(candidates, key=lambda c: Path(c.path).stem != ident)
    for candidate in ordered:
        real = os.path.realpath(candidate.path)
        if real in skip:
            continue
        try:
            data = read_file(candidate.path)
        except JourneyError:
            continue
        if not pattern.search(data):
            continue
        try:
            loaded = load_bytes(data, os.path.relpath(candidate.path))
        except JourneyError:
            continue
        if loaded.journey.id == ident:
            return map_facts(loaded)
    return None


# --- running project rules ---------------------------------------------------------------


def project_findings(
    facts: Iterable[Facts | None] | Project, configs: LintConfig | ConfigResolver
) -> list[Finding]:
    """Findings of the configured project rules over a run's facts, suppressions applied.

    Files may be governed by different configurations (each file's is found from its own
    directory). Each project rule that some file's configuration selects runs once over the
    whole run, with the options of the first configuration that selects it; a finding is
    kept when the configuration of the file it is in selects the rule too, with that
    configuration's severity, per-file ignores and suppression comments.
    """
    from journeyctl.config import ConfigResolver
    from journeyctl.lint.engine import RuleCrashed

    resolver = configs if isinstance(configs, ConfigResolver) else ConfigResolver.fixed(configs)
    rules: dict[str, ActiveRule] = {}
    for config in resolver.configs():
        for rule in config.rules:
            if rule.scope == "project":
                rules.setdefault(rule.code, rule)
    if not rules:
        return []
    project = facts if isinstance(facts, Project) else Project.of(facts)
    if not project.maps and not project.shared:
        return []
    findings: list[Finding] = []
    for rule in rules.values():
        try:
            violations = list(rule.check(project, rule.options))  # type: ignore[arg-type]
        except JourneyError:
            raise
        except Exception as exc:
            raise RuleCrashed(
                f"project rule {rule.code} ({rule.name}) failed: {type(exc).__name__}: {exc}"
            ) from exc
        for violation in violations:
            config = resolver.for_path(violation.location.path)
            own = next((active for active in config.rules if active.code == rule.code), None)
            if own is None or rule.code in config.ignored_codes(violation.location.path):
                continue
            findings.append(
                Finding(
                    violation.location, rule.code, rule.name, own.severity, violation.message, violation.hint
                )
            )
    comments = _Comments(resolver)
    kept = [finding for finding in findings if not comments.silence(finding)]
    paths = [*(facts.path for facts in project.maps), *(facts.path for facts in project.shared)]
    return kept + _unused_suppressions(paths, set(rules), comments, resolver)


class _Comments:
    """The suppression comments of the run's files, read from disk once each when first needed."""

    def __init__(self, resolver: ConfigResolver) -> None:
        self.resolver = resolver
        self.by_path: dict[str, SuppressionIndex] = {}

    def of(self, path: str, naming: Iterable[bytes] | None = None) -> SuppressionIndex | None:
        """The file's comments; with ``naming``, None when its bytes hold none of those words.

        Files are read again here (a corpus lint reads every file twice), so their bytes are
        searched first, lowercased as suppressions.py reads comments: for ``disable``, and for
        the codes or names asked about, before a file is decoded and scanned. A file of 12,000
        comments naming other rules is then not scanned a second time.
        """
        from journeyctl.lint.suppressions import SuppressionIndex, scan

        index = self.by_path.get(path)
        if index is not None:
            return index
        try:
            with open(path, "rb") as file:  # not pathlib: a tenth of this, over 1,000 files
                data = file.read()
        except OSError:
            data = b""
        lowered = data.lower()
        if b"disable" not in lowered:
            index = self.by_path[path] = SuppressionIndex(())
            return index
        if naming is not None and not any(word in lowered for word in naming):
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = ""
        known = self.resolver.for_path(path).known_codes
        index = self.by_path[path] = SuppressionIndex(scan(text, path, known))
        return index

    def silence(self, finding: Finding, *, by_name_only: bool = False) -> bool:
        index = self.of(finding.location.path)
        assert index is not None  # asked without ``naming``
        return index.silence(finding.code, finding.location.line, by_name_only=by_name_only)


def _unused_suppressions(
    paths: Iterable[str], ran: set[str], comments: _Comments, resolver: ConfigResolver
) -> list[Finding]:
    """JM001 for the codes of project rules that a file's comments name and that silenced nothing.

    A file's own lint judges its comments for the rules that ran on it; project rules run after
    every file, so their codes are judged here, for each file whose configuration runs both the
    rule and JM001 (in the severity, ignores and comments of that file).
    """
    from journeyctl.lint.engine import unused_suppression_finding
    from journeyctl.lint.registry import UNUSED_SUPPRESSION
    from journeyctl.lint.suppressions import unused_code_messages

    found: list[Finding] = []
    for path in dict.fromkeys(paths):
        config = resolver.for_path(path)
        ignored = config.ignored_codes(path)
        severity = config.engine_severity.get(UNUSED_SUPPRESSION)
        if severity is None or UNUSED_SUPPRESSION in ignored:
            continue
        rules = [rule for rule in config.rules if rule.code in ran and rule.code not in ignored]
        if not rules:
            continue
        index = comments.of(
            path, [word.lower().encode() for rule in rules for word in (rule.code, rule.name)]
        )
        if index is None:
            continue
        codes = frozenset(rule.code for rule in rules)
        for location, message in unused_code_messages(index.suppressions, codes):
            finding = unused_suppression_finding(location, message, severity)
            if not comments.silence(finding, by_name_only=True):
                found.append(finding)
    return found
