"""Finding journey map files under the paths a user gives.

A file named on the command line is always checked. In a directory, journeyctl
walks recursively (in sorted order, skipping hidden directories,
``node_modules``, excluded globs and what ``.gitignore`` files ignore, as git
and ruff do) and checks every ``*.yaml`` / ``*.yml``
file with a top-level ``journeyctl:`` key (a journey map) or
``journeyctl-shared:`` key (a shared file of personas and channels). Other
YAML files (CI configs, say) are left alone, and so is anything in a directory
that is not a regular file or a symbolic link to one (a FIFO, a device, a
socket), whatever its name: reading one could block or never end. Named on the
command line, such a file is a usage error.

The path ``-`` is standard input, read once here: a single map piped in by an
editor or a script. ``--stdin-filename NAME`` gives it the name that messages
show, that includes are found from and that configuration is looked up for
(and, with no path at all, stands for ``-``).
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journeyctl.errors import UsageError

YAML_SUFFIXES = (".yaml", ".yml")
SKIPPED_DIRECTORIES = frozenset(("node_modules", "__pycache__"))
DEFAULT_EXCLUDES = ("**/.*", "**/node_modules")
#: The path that means standard input.
STDIN = "-"
#: What messages call standard input when ``--stdin-filename`` does not name it.
STDIN_NAME = "<stdin>"


@dataclass(frozen=True)
class Candidate:
    """A file to check; ``explicit`` when the user named it."""

    path: str
    explicit: bool
    #: The text of standard input, for the candidate that ``-`` stands for (None: read ``path``).
    data: bytes | None = None

    def read(self, *, max_size: int | None, skip_others: bool) -> bytes | None:
        """The bytes to check (standard input's were read already); None for a file that is
        neither a journey map nor a shared file when ``skip_others``; a LoadError when the file
        cannot be read or is over ``max_size``."""
        from journeyctl.loader import read_journey_file
        from journeyctl.yamlsource import size_limit_error

        if self.data is None:
            return read_journey_file(self.path, max_size=max_size, skip_others=skip_others)
        if skip_others and not is_journey_text(self.data):
            return None
        if max_size is not None and len(self.data) > max_size:
            raise size_limit_error(self.path, len(self.data), max_size)
        return self.data


def stdin_paths(paths: Sequence[str], stdin_filename: str | None) -> list[str]:
    """``paths`` as given, or ``["-"]`` when only ``--stdin-filename`` says to read standard input.

    ``-`` stands alone, and ``--stdin-filename`` names nothing but standard input:
    either mistake is a UsageError.
    """
    if STDIN in paths and len(paths) > 1:
        raise UsageError("'-' (standard input) is one map: give it alone, not with other paths")
    if stdin_filename is not None:
        if not paths:
            return [STDIN]
        if list(paths) != [STDIN]:
            raise UsageError("--stdin-filename names standard input: give '-' as the only path, or no path")
        if not stdin_filename.strip():
            raise UsageError("--stdin-filename needs a file name")
    return list(paths)


def read_stdin(stdin_filename: str | None) -> Candidate:
    """Standard input as a candidate named ``stdin_filename`` (or ``<stdin>``)."""
    import sys

    if sys.stdin is None or sys.stdin.isatty():
        # Waiting for a map typed at the terminal is never what was meant.
        raise UsageError("'-' reads a map from standard input, but standard input is a terminal")
    data = sys.stdin.buffer.read()
    return Candidate(stdin_filename or STDIN_NAME, True, data)


def is_journey_text(data: bytes) -> bool:
    """A journey map or shared file: ``journeyctl:`` or ``journeyctl-shared:`` starts a line."""
    text = b"\n" + data
    return b"\njourneyctl:" in text or b"\njourneyctl-shared:" in text


def _excluded(path: str, excludes: Sequence[str]) -> bool:
    posix = path.replace(os.sep, "/")
    name = posix.rsplit("/", 1)[-1]
    for pattern in excludes:
        if fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(name, pattern):
            return True
        if pattern.startswith("**/") and fnmatch.fnmatch(name, pattern[3:]):
            return True
    return False


def no_such_path(raw: str) -> UsageError:
    """``PATH: no such file or directory``, with the closest name beside it when one looks misspelt."""
    import difflib

    directory, name = os.path.split(raw)
    hint = None
    try:
        siblings = [entry for entry in os.listdir(directory or ".") if not entry.startswith(".")]
    except OSError:
        siblings = []
    close = difflib.get_close_matches(name, siblings, n=1, cutoff=0.75) if name else []
    if close:
        hint = f"did you mean {os.path.join(directory, close[0])}?"
    return UsageError(f"{raw}: no such file or directory", hint=hint)


def check_paths_exist(paths: Iterable[str]) -> None:
    """A UsageError naming the first of ``paths`` that does not exist (``-`` is standard input)."""
    for raw in paths:
        if raw != STDIN and not os.path.exists(raw):
            raise no_such_path(raw)


class GitIgnore:
    """The ``.gitignore`` rules that apply under one walked directory, read as git reads them.

    A ``.gitignore`` holds patterns relative to its own directory; a deeper
    file's patterns win over a shallower one's, and within a file the last
    matching pattern wins, so ``!pattern`` re-includes. The files that count are
    those in the walked directory and below it, and those above it up to the
    repository root (the nearest directory with ``.git``, whose
    ``.git/info/exclude`` counts too); outside a repository, only those from the
    walked directory down. Patterns are matched by
    ``pathspec``'s implementation of git's wildmatch rules.

    A directory named on the command line is walked even when it is ignored
    itself (as ripgrep walks a path it is given): the patterns above it that
    ignore it are set aside, and every other pattern still applies inside it.
    """

    def __init__(self, root: str) -> None:
        self.root = os.path.abspath(root)
        self.top = self.root
        self._specs: dict[str, Any] = {}
        self._chains: dict[str, list[tuple[str, Any]]] = {}
        #: Set when the root itself is ignored: patterns above it that match it do not count.
        self._root_ignored = False
        repository = _repository_root(self.root)
        if repository is not None:
            self.top = repository
            if self.root != repository and self.ignored(self.root, is_dir=True):
                self._root_ignored = True
                self._specs.clear()
                self._chains.clear()

    def _spec(self, directory: str) -> Any:
        """The patterns of ``directory``'s .gitignore (and info/exclude at a repository root), or None."""
        if directory in self._specs:
            return self._specs[directory]
        lines: list[str] = []
        for name in (os.path.join(".git", "info", "exclude"), ".gitignore"):
            try:
                with open(os.path.join(directory, name), encoding="utf-8", errors="replace") as handle:
                    lines.extend(handle.read().splitlines())
            except OSError:
                continue  # no such file (the usual case), or one that cannot be read: no rules
        spec = None
        if any(line.strip() and not line.startswith("#") for line in lines):
            import pathspec

            spec = pathspec.GitIgnoreSpec.from_lines(lines)
            if self._root_ignored and len(directory) < len(self.root):
                # pathspec matches what is below a matching directory too; git would not descend.
                root = os.path.relpath(self.root, directory).replace(os.sep, "/") + "/"
                spec = pathspec.GitIgnoreSpec([p for p in spec.patterns if not p.match_file(root)])
        self._specs[directory] = spec
        return spec

    def _chain(self, directory: str) -> list[tuple[str, Any]]:
        """The .gitignore patterns that govern ``directory``'s entries, deepest first (cached)."""
        chain = self._chains.get(directory)
        if chain is None:
            spec = self._spec(directory)
            own = [(directory, spec)] if spec is not None else []
            above = len(directory) > len(self.top) and directory != self.top
            chain = own + (self._chain(os.path.dirname(directory)) if above else [])
            self._chains[directory] = chain
        return chain

    def ignored(self, path: str, *, is_dir: bool) -> bool:
        """Whether ``path`` is ignored: the deepest .gitignore with a pattern matching it decides."""
        absolute = os.path.abspath(path)
        for directory, spec in self._chain(os.path.dirname(absolute)):
            # absolute is below directory (both absolute): slicing is what relpath does, 10x faster.
            relative = absolute[len(directory.rstrip(os.sep)) + 1 :].replace(os.sep, "/")
            verdict = spec.check_file(relative + "/" if is_dir else relative).include
            if verdict is not None:
                return bool(verdict)
        return False


def _repository_root(start: str) -> str | None:
    """The nearest directory at or above ``start`` that holds ``.git``, if any."""
    directory = start
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _left_out(
    path: str,
    is_dir: bool,
    excludes: Sequence[str],
    skip: Callable[[str], bool] | None,
    gitignore: GitIgnore | None,
) -> bool:
    return (
        _excluded(path, excludes)
        or (skip is not None and skip(path))
        or (gitignore is not None and gitignore.ignored(path, is_dir=is_dir))
    )


def walk_order(path: str) -> tuple[tuple[int, str], ...]:
    """A sort key that puts paths in the order ``discover`` walks a directory: in each
    directory its files (by name), then its subdirectories (by name)."""
    parts = os.path.normpath(path).split(os.sep)
    return (*((1, part) for part in parts[:-1]), (0, parts[-1]))


def discover(
    paths: Iterable[str],
    excludes: Sequence[str] = (),
    *,
    stdin_filename: str | None = None,
    skip: Callable[[str], bool] | None = None,
    respect_gitignore: bool = True,
) -> list[Candidate]:
    """Files to check under ``paths``; a path that does not exist or is not a file or directory
    is a UsageError.

    ``-`` (alone) is standard input, read now and named ``stdin_filename``.
    In directories, entries matching ``excludes``, those ``skip`` says to skip
    (the lint configuration's ``exclude``) and, unless ``respect_gitignore`` is
    false (``--no-ignore``), those that ``.gitignore`` files ignore are left out;
    files named on the command line never are.
    """
    paths = stdin_paths(list(paths), stdin_filename)
    if paths == [STDIN]:
        return [read_stdin(stdin_filename)]
    found: list[Candidate] = []
    seen: set[str] = set()
    for raw in paths:
        if stat.S_ISREG(_named_mode(raw)):
            if raw not in seen:
                seen.add(raw)
                found.append(Candidate(raw, True))
            continue
        gitignore = GitIgnore(raw) if respect_gitignore else None
        for directory, subdirs, files in os.walk(raw):
            subdirs[:] = sorted(
                d
                for d in subdirs
                if not d.startswith(".")
                and d not in SKIPPED_DIRECTORIES
                and not _left_out(os.path.join(directory, d), True, excludes, skip, gitignore)
            )
            for name in sorted(files):
                if not name.endswith(YAML_SUFFIXES):
                    continue
                path = os.path.join(directory, name)
                if path in seen or _left_out(path, False, excludes, skip, gitignore):
                    continue
                if not _may_be_regular(path):
                    continue
                seen.add(path)
                found.append(Candidate(path, False))
    return found


def _named_mode(raw: str) -> int:
    """The file type of a path named on the command line (links followed): a file or a directory."""
    from journeyctl.loader import READS_REGULAR_FILES, special_file_kind

    try:
        mode = os.stat(raw).st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise no_such_path(raw) from None
    except ValueError:  # a NUL in the path
        raise UsageError(f"{raw!r}: a path cannot contain a NUL character") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UsageError(f"{raw}: is a symbolic link loop (or a chain of too many links)") from None
        raise UsageError(f"{raw}: cannot read: {exc.strerror or exc}") from None
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise UsageError(f"{raw}: {special_file_kind(mode)}, not a regular file; {READS_REGULAR_FILES}")
    return mode


def _may_be_regular(path: str) -> bool:
    """False for a FIFO, device or socket (or a link to one) met in a walk: never read those.

    A link that leads nowhere (or in a loop) stays a candidate, so the loader says what is
    wrong with it, as it always has.
    """
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True


def relative(path: str | Path) -> str:
    return os.path.relpath(path) if os.path.isabs(path) else str(path)


@contextmanager
def batch_gc() -> Iterator[None]:
    """Make the cyclic garbage collector cheap while many maps are loaded and dropped.

    Loading a map allocates hundreds of thousands of objects but creates no
    reference cycles (refcounting frees every map): on the 1,000-map corpus the
    default collector ran 3,700 times, found nothing, and took ~19% of the CPU
    time. Freezing what is alive now (modules, rules, configuration) and
    collecting less often removes nearly all of that; workers forked inside
    inherit the setting. Restored afterwards.
    """
    import gc

    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(thresholds[0], 50_000), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
