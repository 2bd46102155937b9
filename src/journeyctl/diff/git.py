"""Reading journey map versions out of git without a checkout.

Everything goes through the ``git`` program (``rev-parse``, ``diff
--name-status -M``, ``ls-tree``, ``cat-file``), run in the repository's top
directory so that every path git prints is relative to it. A failing git
command becomes a ``DiffError`` carrying git's own message.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from journeyctl.errors import DiffError


def run_git(args: Sequence[str], cwd: str | Path, *, stdin: bytes | None = None) -> bytes:
    """Output of ``git args`` in ``cwd``; a DiffError with git's message when it fails."""
    try:
        completed = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise DiffError("git is not installed (or not on PATH); it is needed to diff revisions") from None
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed"
        raise DiffError(f"git {args[0]}: {message}")
    return completed.stdout


def toplevel(cwd: str | Path = ".") -> Path | None:
    """The top directory of the work tree containing ``cwd``, or ``None`` outside a repository."""
    try:
        completed = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=cwd, capture_output=True, check=False
        )
    except FileNotFoundError:
        return None
    if completed.returncode != 0:
        return None
    return Path(completed.stdout.decode("utf-8").strip())


def resolve_commit(revision: str, cwd: str | Path) -> str | None:
    """The commit id ``revision`` names, or ``None`` when git does not know it."""
    if not revision or revision.startswith("-"):
        return None
    completed = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"],
        cwd=cwd,
        capture_output=True,
        check=False,
    )
    if completed.returncode != 0:
        return None
    return completed.stdout.decode("ascii").strip()


def merge_base(first: str, second: str, cwd: str | Path) -> str:
    """The best common ancestor of two commits (for ``A...B``)."""
    return run_git(["merge-base", first, second], cwd).decode("ascii").strip()


@dataclass(frozen=True)
class FileChange:
    """One entry of ``git diff --name-status``; paths relative to the top directory."""

    status: str  # A added, D deleted, M modified, R renamed (T, C treated as M, A)
    old_path: str | None
    new_path: str | None


def changed_files(top: Path, old: str, new: str | None, pathspecs: Sequence[str]) -> list[FileChange]:
    """Files that differ between commit ``old`` and commit ``new`` (the work tree when ``None``)."""
    args = ["diff", "--name-status", "-z", "-M", "--no-ext-diff", "--no-textconv", old]
    if new is not None:
        args.append(new)
    args.append("--")
    args.extend(pathspecs)
    fields = run_git(args, top).decode("utf-8", "surrogateescape").split("\0")
    changes: list[FileChange] = []
    index = 0
    while index < len(fields) and fields[index]:
        status = fields[index]
        letter = status[0]
        if letter in "RC":
            source, target = fields[index + 1], fields[index + 2]
            index += 3
            if letter == "R":
                changes.append(FileChange("R", source, target))
            else:
                changes.append(FileChange("A", None, target))
            continue
        path = fields[index + 1]
        index += 2
        if letter == "A":
            changes.append(FileChange("A", None, path))
        elif letter == "D":
            changes.append(FileChange("D", path, None))
        else:
            changes.append(FileChange("M", path, path))
    return changes


def list_files(top: Path, revision: str | None, pathspecs: Sequence[str]) -> list[str]:
    """Tracked files in a commit (or the work tree's index when ``None``) under ``pathspecs``."""
    if revision is None:
        args = ["ls-files", "-z", "--", *pathspecs]
    else:
        args = ["ls-tree", "-r", "-z", "--name-only", "--full-tree", revision, "--", *pathspecs]
    output = run_git(args, top).decode("utf-8", "surrogateescape")
    return [path for path in output.split("\0") if path]


class BlobReader:
    """Reads files of one commit (``git cat-file``), caching what it has read."""

    def __init__(self, top: Path, revision: str) -> None:
        self.top = top
        self.revision = revision
        self._cache: dict[str, bytes | None] = {}

    def read_many(self, paths: Sequence[str]) -> dict[str, bytes | None]:
        """Contents of several files in one ``git cat-file --batch``; ``None`` for a missing one."""
        wanted = [path for path in dict.fromkeys(paths) if path not in self._cache]
        if wanted:
            request = "".join(f"{self.revision}:{path}\n" for path in wanted).encode(
                "utf-8", "surrogateescape"
            )
            output = run_git(["cat-file", "--batch"], self.top, stdin=request)
            position = 0
            for path in wanted:
                end = output.index(b"\n", position)
                header = output[position:end].split()
                position = end + 1
                if len(header) < 3 or header[-1] in (b"missing", b"ambiguous"):
                    self._cache[path] = None
                    continue
                size = int(header[2])
                self._cache[path] = output[position : position + size] if header[1] == b"blob" else None
                position += size + 1  # the content is followed by a newline
        return {path: self._cache[path] for path in paths}

    def read(self, path: str) -> bytes | None:
        return self.read_many([path])[path]


def repo_path(top: Path, path: str | Path) -> str:
    """``path`` (relative to the current directory) as a path relative to the top directory."""
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(top)
    except ValueError:
        try:
            relative = absolute.resolve().relative_to(top.resolve())
        except ValueError:
            raise DiffError(f"{path}: outside the git repository at {top}") from None
    text = relative.as_posix()
    return "" if text == "." else text


def display_path(top: Path, path: str) -> str:
    """A path relative to the top directory, as the user sees it from the current directory."""
    return os.path.relpath(top / path)
