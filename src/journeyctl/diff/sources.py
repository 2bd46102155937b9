"""Command-line arguments to pairs of map versions, and pairs to a ``DiffReport``.

The forms (like ``git diff``): two files; ``REV [PATH...]`` (the work tree
against a revision); ``REV1 REV2 [PATH...]``, ``REV1..REV2`` and
``REV1...REV2`` (from their merge base); ``REV:path`` for one side of a single
file. An argument that exists as a path is a path; otherwise it must be a
revision git knows; after ``--`` (or once paths have started) everything is a
path, so maps that exist only in a revision can be named.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from journeyctl.diff import git
from journeyctl.errors import DiffError, JourneyError, LoadError, MapInvalid, UsageError
from journeyctl.location import Location
from journeyctl.walk import YAML_SUFFIXES, is_journey_text

if TYPE_CHECKING:
    from journeyctl.diff.compare import DiffReport
    from journeyctl.loader import IncludeReader
    from journeyctl.model import Journey

WORK_TREE = "working tree"

#: Reads several files of one version (a commit or the work tree) at once.
ReadMany = Callable[[Sequence[str]], dict[str, "bytes | None"]]


@dataclass
class Side:
    """One version of one map file: its bytes and how to load it.

    ``path`` is where the file is (relative to the current directory) and what
    reports show; ``label`` names the version in error messages
    (``HEAD~1:examples/shop.yaml``); ``revision`` is the revision prefix for
    files it includes (empty for files on disk).
    """

    path: str
    data: bytes
    label: str
    read_include: IncludeReader | None = None
    root: Path | None = None
    revision: str = ""


#: Builds the new side of a pair from a path relative to the top directory and its bytes.
MakeSide = Callable[[str, bytes], "Side"]


@dataclass
class MapPair:
    """Two versions of a map; ``old`` is None for an added map, ``new`` for a deleted one."""

    old: Side | None
    new: Side | None
    renamed: bool = False


@dataclass
class Plan:
    """What the arguments ask to compare."""

    pairs: list[MapPair]
    old_label: str
    new_label: str


def load_side(side: Side, max_size: int | None) -> Journey:
    """The side's journey; errors name the version (``REV:path:line:col``)."""
    from journeyctl.loader import load_bytes

    try:
        loaded = load_bytes(
            side.data, side.path, max_size=max_size, read_include=side.read_include, root=side.root
        )
    except MapInvalid as exc:
        if side.label == side.path and not side.revision:
            raise
        raise MapInvalid(side.label, [_relabel(error, side) for error in exc.errors]) from None
    return loaded.journey


def _relabel(error: JourneyError, side: Side) -> JourneyError:
    location = error.location
    if location is None:
        return error
    if location.path == side.path:
        where = side.label
    elif side.revision:
        where = f"{side.revision}:{location.path}"
    else:
        return error
    relabelled = copy.copy(error)
    relabelled.location = Location(where, location.line, location.col)
    return relabelled


def build_report(plan: Plan, max_size: int | None) -> DiffReport:
    """Load every side and compare; a side that does not load is a ``MapInvalid`` in ``failures``.

    Raises ``DiffInputsInvalid`` holding every map that failed to load.
    """
    from journeyctl.loader import paused_gc

    # Each load pauses the garbage collector, but between them, with every map loaded so far
    # alive and still young, it would walk them all again: a third of a 500-stage pair's diff.
    # Loading and comparing make no reference cycles.
    with paused_gc():
        return _build_report(plan, max_size)


def _build_report(plan: Plan, max_size: int | None) -> DiffReport:
    from journeyctl.diff.compare import DiffReport, diff_maps

    failures: list[MapInvalid] = []
    loaded: list[tuple[MapPair, Journey | None, Journey | None]] = []
    for pair in plan.pairs:
        sides: list[Journey | None] = []
        for side in (pair.old, pair.new):
            if side is None:
                sides.append(None)
                continue
            try:
                sides.append(load_side(side, max_size))
            except MapInvalid as exc:
                failures.append(exc)
                sides.append(None)
        loaded.append((pair, sides[0], sides[1]))
    if failures:
        raise DiffInputsInvalid(failures)
    loaded = _pair_renames_by_id(loaded)
    report = DiffReport(plan.old_label, plan.new_label)
    for pair, old, new in loaded:
        result = diff_maps(
            old,
            new,
            pair.old.path if pair.old else None,
            pair.new.path if pair.new else None,
            renamed=pair.renamed,
        )
        report.maps.append(result)
    report.maps.sort(key=lambda item: item.path)
    return report


class DiffInputsInvalid(JourneyError):
    """Some versions of some maps did not load; ``failures`` holds each map's located errors."""

    def __init__(self, failures: list[MapInvalid]) -> None:
        count = sum(len(failure.errors) for failure in failures)
        super().__init__(f"{count} error(s) in {len(failures)} map version(s); nothing compared")
        self.failures = failures


def _pair_renames_by_id(
    loaded: list[tuple[MapPair, Journey | None, Journey | None]],
) -> list[tuple[MapPair, Journey | None, Journey | None]]:
    """A deleted and an added map with the same map ``id`` are one renamed map."""
    deleted: dict[str, list[int]] = {}
    added: dict[str, list[int]] = {}
    for index, (_, old, new) in enumerate(loaded):
        if new is None and old is not None:
            deleted.setdefault(old.id, []).append(index)
        elif old is None and new is not None:
            added.setdefault(new.id, []).append(index)
    merged: dict[int, tuple[MapPair, Journey | None, Journey | None]] = {}
    dropped: set[int] = set()
    for map_id, gone in deleted.items():
        arrived = added.get(map_id, [])
        if len(gone) == 1 and len(arrived) == 1:
            old_pair, old_journey, _ = loaded[gone[0]]
            new_pair, _, new_journey = loaded[arrived[0]]
            merged[gone[0]] = (MapPair(old_pair.old, new_pair.new, renamed=True), old_journey, new_journey)
            dropped.add(arrived[0])
    return [merged.get(index, item) for index, item in enumerate(loaded) if index not in dropped]


# --- arguments to a plan -----------------------------------------------------------------


def plan_from_arguments(arguments: Sequence[str], forced_paths: int = 0) -> Plan:
    """Work out what to compare; the last ``forced_paths`` arguments came after ``--``."""
    split = len(arguments) - forced_paths
    head, tail = list(arguments[:split]), list(arguments[split:])
    top = git.toplevel(".")
    revisions: list[str] = []
    blobs: list[str] = []
    paths: list[str] = []
    ranges: list[tuple[str, str, bool]] = []
    missing: list[str] = []  # paths before any '--' that are not in the work tree
    for argument in head:
        if paths or os.path.exists(argument):
            if not os.path.exists(argument):
                missing.append(argument)
            paths.append(argument)
            continue
        if top is None:
            raise UsageError(f"{argument}: no such file (and not in a git repository, so not a revision)")
        if ".." in argument and not argument.startswith("..") and not argument.endswith(".."):
            symmetric = "..." in argument
            first, _, second = argument.partition("..." if symmetric else "..")
            ranges.append((first, second, symmetric))
            continue
        if ":" in argument and git.resolve_commit(argument.split(":", 1)[0], ".") is not None:
            blobs.append(argument)
            continue
        if git.resolve_commit(argument, ".") is not None:
            revisions.append(argument)
            continue
        if revisions or ranges:
            paths.append(argument)  # may exist only in the revisions
            continue
        raise DiffError(
            f"{argument}: not a file in the working tree and not a revision git knows "
            "(put paths that exist only in a revision after '--')"
        )
    if missing and not (revisions or ranges or blobs):
        raise DiffError(
            f"{missing[0]}: not a file in the working tree and not a revision git knows "
            "(put paths that exist only in a revision after '--', with a revision before them)"
        )
    paths.extend(tail)
    if blobs:
        return _blob_plan(arguments, blobs, paths, revisions, ranges, top)
    if ranges:
        if len(ranges) > 1 or revisions:
            raise UsageError("give one range (REV1..REV2) or up to two revisions, not both")
        first, second, symmetric = ranges[0]
        assert top is not None
        old = first or "HEAD"
        new = second or "HEAD"
        base = git.merge_base(_commit(old), _commit(new), top) if symmetric else _commit(old)
        return _git_plan(top, base, old, _commit(new), new, paths)
    if not revisions:
        # A special file (a FIFO, /dev/zero) still counts as a file here, so the
        # reader says what is wrong with it instead of this saying it is no form.
        if len(paths) == 2 and all(os.path.exists(path) and not os.path.isdir(path) for path in paths):
            return _file_plan(paths[0], paths[1])
        if paths:
            # Paths alone are not a form: comparing HEAD with the working tree here would
            # answer a question that was not asked (``diff DIR FILE`` exited 0).
            raise UsageError(
                f"journeyctl diff was given {_kinds_of(paths)} and no revision, which is not one of its "
                "forms; to compare the working tree with HEAD for some paths, name HEAD: "
                "journeyctl diff HEAD -- PATH...",
                hint=FORMS,
            )
        if top is None:
            raise UsageError(
                "not in a git repository: give two journey map files to compare "
                "(journeyctl diff OLD.yaml NEW.yaml)",
                hint=FORMS,
            )
        revisions = ["HEAD"]
    if len(revisions) > 2:
        raise UsageError(f"too many revisions: {', '.join(revisions)} (give at most two)")
    assert top is not None
    old_commit = _commit(revisions[0])
    if len(revisions) == 1:
        return _git_plan(top, old_commit, revisions[0], None, WORK_TREE, paths)
    return _git_plan(top, old_commit, revisions[0], _commit(revisions[1]), revisions[1], paths)


#: The forms of ``journeyctl diff``, for usage errors (docs/diff.md has the same list).
FORMS = (
    "the forms are: OLD.yaml NEW.yaml (two files); no arguments (the working tree against HEAD); "
    "REV [PATH...]; REV1 REV2 [PATH...]; REV1..REV2 [PATH...]; REV1...REV2 [PATH...]; REV:path; "
    "REV1:path REV2:path (either may be a file)"
)


def _kinds_of(paths: Sequence[str]) -> str:
    """``1 directory and 1 file``: what was given, in words."""
    plurals = {"directory": "directories", "file": "files", "missing path": "missing paths"}
    counts: dict[str, int] = {}
    for path in paths:
        kind = "directory" if os.path.isdir(path) else "file" if os.path.exists(path) else "missing path"
        counts[kind] = counts.get(kind, 0) + 1
    return " and ".join(f"{count} {kind if count == 1 else plurals[kind]}" for kind, count in counts.items())


def _commit(revision: str) -> str:
    commit = git.resolve_commit(revision, ".")
    if commit is None:
        raise DiffError(f"{revision}: unknown revision")
    return commit


def _file_plan(old_path: str, new_path: str) -> Plan:
    from journeyctl.loader import read_file

    old = Side(old_path, read_file(old_path), old_path)
    new = Side(new_path, read_file(new_path), new_path)
    return Plan([MapPair(old, new)], old_path, new_path)


def _blob_plan(
    arguments: Sequence[str],
    blobs: list[str],
    paths: list[str],
    revisions: list[str],
    ranges: list[tuple[str, str, bool]],
    top: Path | None,
) -> Plan:
    if revisions or ranges or len(blobs) + len(paths) > 2:
        raise UsageError(
            "REV:path compares one file: give REV:path with another REV:path or a file, "
            "or a single REV:path to compare with the working tree"
        )
    assert top is not None
    if len(blobs) == 1 and not paths:
        side = _blob_side(top, blobs[0])
        if not os.path.isfile(side.path):
            raise DiffError(f"{side.path}: no such file in the working tree to compare {blobs[0]} with")
        sides = [side, _work_side(top, git.repo_path(top, side.path))]
    else:
        # In the order given: ``journeyctl diff file.yaml HEAD:file.yaml`` has the file as old side.
        ordered = [argument for argument in arguments if argument in blobs or argument in paths]
        sides = [
            _blob_side(top, argument) if argument in blobs else _work_side(top, git.repo_path(top, argument))
            for argument in ordered
        ]
    old, new = sides[0], sides[1]
    return Plan([MapPair(old, new)], old.label, new.label)


def _blob_side(top: Path, spec: str) -> Side:
    revision, _, path = spec.partition(":")
    commit = _commit(revision)
    relative = git.repo_path(top, path) if path.startswith(("./", "../")) else path.strip("/")
    reader = git.BlobReader(top, commit)
    data = reader.read(relative)
    if data is None:
        raise DiffError(f"{spec}: '{relative}' does not exist in {revision}")
    return _revision_side(top, reader, revision, relative, data)


def _revision_side(top: Path, reader: git.BlobReader, revision: str, relative: str, data: bytes) -> Side:
    def read_include(target: Path) -> bytes:
        path = git.repo_path(top, target)
        blob = reader.read(path)
        if blob is None:
            raise LoadError(f"{revision}:{path}: no such file in that revision")
        return blob

    return Side(git.display_path(top, relative), data, f"{revision}:{relative}", read_include, top, revision)


def _work_side(top: Path, relative: str) -> Side:
    from journeyctl.loader import read_file

    path = git.display_path(top, relative)
    return Side(path, read_file(path), path, None, top)


def _is_map(data: bytes | None) -> bool:
    return data is not None and b"\njourneyctl:" in b"\n" + data


def _is_shared(data: bytes | None) -> bool:
    return data is not None and is_journey_text(data) and not _is_map(data)


def _yaml_changes(changes: Sequence[git.FileChange]) -> list[git.FileChange]:
    return [c for c in changes if (c.new_path or c.old_path or "").endswith(YAML_SUFFIXES)]


def _git_plan(
    top: Path, old_commit: str, old_name: str, new_commit: str | None, new_name: str, paths: Sequence[str]
) -> Plan:
    """Pairs of maps that differ between two commits (or a commit and the work tree)."""
    pathspecs = [git.repo_path(top, path) or "." for path in paths]
    changes = _yaml_changes(git.changed_files(top, old_commit, new_commit, pathspecs))
    # A shared file outside the paths can still change the maps inside them.
    outside: list[git.FileChange] = []
    if pathspecs:
        inside = set(changes)
        outside = [
            change
            for change in _yaml_changes(git.changed_files(top, old_commit, new_commit, []))
            if change not in inside
        ]
    old_reader = git.BlobReader(top, old_commit)
    new_reader = git.BlobReader(top, new_commit) if new_commit is not None else None

    def read_new_many(relatives: Sequence[str]) -> dict[str, bytes | None]:
        if new_reader is not None:
            return new_reader.read_many(relatives)
        found: dict[str, bytes | None] = {}
        for relative in relatives:
            try:
                found[relative] = (top / relative).read_bytes()
            except OSError:
                found[relative] = None
        return found

    old_data = old_reader.read_many([c.old_path for c in changes + outside if c.old_path])
    new_data = read_new_many([c.new_path for c in changes + outside if c.new_path])
    pairs: list[MapPair] = []
    shared_changed: list[str] = []
    candidates: set[str] = set()

    def new_side(relative: str, data: bytes) -> Side:
        if new_reader is None:
            path = git.display_path(top, relative)
            return Side(path, data, path, None, top)
        return _revision_side(top, new_reader, new_name, relative, data)

    for change in changes + outside:
        before = old_data.get(change.old_path) if change.old_path else None
        after = new_data.get(change.new_path) if change.new_path else None
        if _is_shared(before) or _is_shared(after):
            shared_changed.append(change.new_path or change.old_path or "")
        if change in outside or not (_is_map(before) or _is_map(after)):
            continue
        old_side = (
            _revision_side(top, old_reader, old_name, change.old_path, before)
            if change.old_path and _is_map(before) and before is not None
            else None
        )
        new = (
            new_side(change.new_path, after)
            if change.new_path and _is_map(after) and after is not None
            else None
        )
        if old_side is None and new is None:
            continue
        candidates.update(p for p in (change.old_path, change.new_path) if p)
        pairs.append(MapPair(old_side, new, renamed=change.status == "R"))
    if shared_changed:
        pairs.extend(
            _maps_including(
                top,
                shared_changed,
                candidates,
                old_reader,
                new_commit,
                pathspecs,
                read_new_many,
                old_name,
                new_side,
            )
        )
    return Plan(pairs, old_name, new_name)


def _maps_including(
    top: Path,
    shared: Sequence[str],
    candidates: set[str],
    old_reader: git.BlobReader,
    new_commit: str | None,
    pathspecs: Sequence[str],
    read_new_many: ReadMany,
    old_name: str,
    new_side: MakeSide,
) -> list[MapPair]:
    """Maps unchanged themselves whose included shared file changed: they may differ too.

    A map is a candidate when it has an ``include`` naming a changed shared
    file's base name; maps that turn out identical are reported as unchanged.
    """
    names = {os.path.basename(path).encode("utf-8") for path in shared}
    listed = [
        path
        for path in git.list_files(top, new_commit, pathspecs)
        if path.endswith(YAML_SUFFIXES) and path not in candidates
    ]
    new_data = read_new_many(listed)
    maybe = [
        path
        for path, data in new_data.items()
        if _is_map(data) and data is not None and b"include" in data and any(name in data for name in names)
    ]
    old_data = old_reader.read_many(maybe)
    pairs: list[MapPair] = []
    for path in maybe:
        before, after = old_data.get(path), new_data.get(path)
        if before is None or after is None or not _is_map(before):
            continue
        pairs.append(MapPair(_revision_side(top, old_reader, old_name, path, before), new_side(path, after)))
    return pairs
