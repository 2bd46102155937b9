"""The one place journeyctl writes its outputs (files, directories, stdout) and prints its errors.

What it guarantees (docs/safety.md, "What journeyctl writes, and how"):

* a regular file is replaced atomically (temporary file in the same directory,
  fsync, rename), keeping the old file's permission bits and, where allowed,
  its owner; a read-only file is refused, never replaced;
* a character device, a FIFO, ``/dev/stdout`` or ``/dev/fd/N`` (``-o >(gzip)``)
  is streamed into, never truncated by ``open`` and never renamed over;
* a symbolic link is never replaced and never written through, unless it
  leads to a device or a FIFO (``/dev/stdout`` is one);
* an output that is one of the command's inputs, or an existing journey map,
  is refused before anything is written (``write_atomic``, for ``fmt`` and
  ``import``, which write maps, may replace a map; ``write_new`` writes only
  where nothing is, for ``init`` and ``new``);
* a directory of outputs (``write_tree``) is staged inside that directory and
  moved into place only once every file is written, with the old files kept
  until the last move so a failed move is rolled back;
* every failure is an ``OutputError`` naming the path and the reason (exit 2).

Leftovers of a killed run carry journeyctl's name and the run's process id
(``.NAME.journeyctl-PID-HEX.tmp``, ``.journeyctl-staging-PID-HEX``); the next
write into the same directory removes those whose process is gone.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from journeyctl.errors import JourneyError, OutputError

STDOUT_LABEL = "<stdout>"
#: Prefix of the directory a ``write_tree`` stages its files in, inside the output directory.
STAGING_PREFIX = ".journeyctl-staging-"
_TEMPORARY = re.compile(r"\..*\.journeyctl-(\d+)-[0-9a-f]+\.tmp", re.DOTALL)
_STAGING = re.compile(re.escape(STAGING_PREFIX) + r"(\d+)-[0-9a-f]+")
#: Paths that name an already open file descriptor of this process.
_DESCRIPTOR_PATH = re.compile(r"/(?:dev/fd|proc/self/fd)/(\d+)")
_NAMED_DESCRIPTORS = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}
#: Room left in a file name for the temporary file's prefix and suffix (255 is the usual limit).
_NAME_ROOM = 150
_JOURNEY_SUFFIXES = (".yaml", ".yml")
#: An existing YAML target is read up to this much to see whether it is a journey map.
_MAP_SNIFF_BYTES = 1 << 20

TargetKind = Literal["stdout", "descriptor", "stream", "file", "new"]


@dataclass(frozen=True)
class Target:
    """Where an output goes, as ``inspect_output`` found it.

    ``stdout``: ``-``; ``descriptor``: an open descriptor named by path
    (``/dev/stdout``, ``/dev/fd/N``); ``stream``: a character device or FIFO;
    ``file``: an existing regular file (``existing`` is its stat); ``new``:
    nothing there yet.
    """

    path: str
    kind: TargetKind
    descriptor: int | None = None
    existing: os.stat_result | None = None


# --- errors ---------------------------------------------------------------------------------


def print_error(error: JourneyError, *, severity: str = "error") -> None:
    """``path:line:col: error: message`` on stderr, each on one line (display.one_line)."""
    from journeyctl.display import one_line

    location = error.location
    message = error.message
    if error.key_path:
        message += f" (at {error.key_path})"
    prefix = f"{location}: " if location is not None and location.path else ""
    sys.stderr.write(f"{prefix}{severity}: {one_line(message)}\n")
    if error.hint:
        sys.stderr.write(f"  hint: {one_line(error.hint)}\n")


def reason(exc: OSError) -> str:
    """What went wrong, in the words of the operating system, without the errno number."""
    text = exc.strerror or type(exc).__name__
    return text[:1].lower() + text[1:]


def write_failed(path: str | Path, exc: OSError, *, doing: str = "cannot write") -> OutputError:
    """The OutputError for an OSError met while writing ``path``."""
    where = str(path)
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):  # EEXIST: makedirs met a file on the way
        blocker = _file_in_the_way(where)
        if blocker is not None:
            return OutputError(where, f"{doing}: {blocker} is a file, not a directory")
    if exc.errno == errno.EPIPE:
        return OutputError(where, f"{doing}: the reader closed the pipe before the output was written")
    return OutputError(where, f"{doing}: {reason(exc)}")


#: Errors that only a write can cause: met without a file name, they come from stdout or stderr.
_WRITE_ONLY_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def stream_write_error(exc: OSError) -> OutputError | None:
    """An OutputError for a failed write to stdout met outside ``stdout_errors``, else None."""
    if exc.filename is None and exc.errno in _WRITE_ONLY_ERRNOS:
        _discard_stdout()
        return OutputError(STDOUT_LABEL, f"cannot write: {reason(exc)}")
    return None


@contextlib.contextmanager
def stdout_errors() -> Iterator[None]:
    """Turn a failed write to stdout (``> /dev/full``) into an OutputError.

    A closed pipe (``journeyctl ... | head``) is left as BrokenPipeError: the
    reader chose to stop, and the CLI exits 0 for it.
    """
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        _discard_stdout()
        raise write_failed(STDOUT_LABEL, exc) from None


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so Python's flush at exit does not fail (exit 120) on the same bytes."""
    original = sys.__stdout__
    if original is None or sys.stdout is not original:
        return  # a stream a caller put there (a test runner's capture): not ours to redirect
    with contextlib.suppress(OSError, ValueError, AttributeError):
        fileno = original.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fileno)
        os.close(devnull)


def write_stdout(data: bytes) -> None:
    """Write ``data`` to stdout and flush it; OutputError when stdout cannot take it."""
    with stdout_errors():
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # a text-only stream (some test runners)
            sys.stdout.write(data.decode("utf-8"))
            sys.stdout.flush()
            return
        buffer.write(data)
        buffer.flush()


def flush_stdout() -> None:
    """Flush what commands left buffered on stdout; OutputError when that write fails."""
    with stdout_errors():
        sys.stdout.flush()


# --- one output -----------------------------------------------------------------------------


def inspect_output(path: str | Path, *, maps_allowed: bool = False) -> Target:
    """What ``path`` is as an output, or OutputError when journeyctl will not write there.

    Nothing is written; commands call this before the work, and ``write_output``
    calls it again just before writing. ``maps_allowed`` lets an existing
    journey map be replaced (for commands that write maps).
    """
    where = str(path)
    if where == "-":
        return Target(where, "stdout")
    descriptor = _descriptor_of(where)
    if descriptor is not None:
        try:
            os.fstat(descriptor)
        except OSError:
            raise OutputError(where, f"cannot write: file descriptor {descriptor} is not open") from None
        return Target(where, "descriptor", descriptor=descriptor)
    try:
        found = os.lstat(where)
    except FileNotFoundError:
        _check_creatable(where)
        return Target(where, "new")
    except OSError as exc:
        raise write_failed(where, exc) from None
    mode = found.st_mode
    if stat.S_ISLNK(mode):
        return _inspect_link(where)
    if stat.S_ISREG(mode):
        _check_replaceable(where, found, maps_allowed=maps_allowed)
        return Target(where, "file", existing=found)
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return Target(where, "stream")
    raise OutputError(where, f"cannot write: {_not_a_file(mode)}")


def write_output(path: str | Path, data: bytes, *, maps_allowed: bool = False) -> None:
    """Write ``data`` to ``path`` as the module docstring says; OutputError on any failure."""
    target = inspect_output(path, maps_allowed=maps_allowed)
    if target.kind == "stdout":
        write_stdout(data)
    elif target.kind == "descriptor":
        assert target.descriptor is not None
        _write_descriptor(target.path, target.descriptor, data)
    elif target.kind == "stream":
        _write_stream(target.path, data)
    else:
        _replace_file(target, data)


def write_atomic(path: str | Path, data: bytes) -> None:
    """``write_output`` for commands whose output is a journey map (``fmt``, ``import``).

    Every other guarantee holds (atomic, special files streamed, links and
    read-only files refused); only the refusal to write over a journey map is
    lifted, since replacing the map is what these commands are for.
    """
    write_output(path, data, maps_allowed=True)


def write_new(path: str | Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically unless ``path`` exists; False (nothing written) if it does.

    The file is completed under a temporary name and then hard-linked into
    place, which fails when the name is taken, so even a file created between
    a check and the write is never overwritten (``journeyctl init`` and
    ``journeyctl new`` promise that). OutputError when it cannot be written.
    """
    where = str(path)
    if os.path.lexists(where):
        return False
    directory = os.path.dirname(where) or "."
    temporary = ""
    try:
        os.makedirs(directory, exist_ok=True)
        descriptor, temporary = _create_temporary(directory, os.path.basename(where))
        try:
            _write_all(descriptor, data)
            _apply_metadata(descriptor, None)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        try:
            os.link(temporary, where)
        except FileExistsError:
            return False
        except OSError:
            # A file system without hard links: a rename after the check, the best it allows.
            if os.path.lexists(where):
                return False
            os.replace(temporary, where)
            temporary = ""
    except OSError as exc:
        raise write_failed(where, exc) from None
    finally:
        if temporary:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    _sync_directory(directory)
    return True


def _descriptor_of(path: str) -> int | None:
    absolute = os.path.abspath(path)
    if absolute in _NAMED_DESCRIPTORS:
        return _NAMED_DESCRIPTORS[absolute]
    match = _DESCRIPTOR_PATH.fullmatch(absolute)
    return int(match.group(1)) if match else None


def _inspect_link(path: str) -> Target:
    pointee = os.readlink(path)
    try:
        found = os.stat(path)
    except OSError:
        raise OutputError(
            path,
            f"is a symbolic link to {pointee}, which does not exist; journeyctl does not write through links",
            hint="give the path you mean instead of the link",
        ) from None
    if stat.S_ISCHR(found.st_mode) or stat.S_ISFIFO(found.st_mode):
        return Target(path, "stream")
    raise OutputError(
        path,
        f"is a symbolic link (to {pointee}); journeyctl neither replaces links nor writes through them",
        hint="give the link's target as the output, or remove the link",
    )


def _not_a_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a directory"
    if stat.S_ISBLK(mode):
        return "is a block device (a disk); journeyctl does not write onto disks"
    if stat.S_ISSOCK(mode):
        return "is a socket"
    return "is not a regular file, a device or a FIFO"


def _check_creatable(path: str) -> None:
    """OutputError unless ``path`` (absent) can be created: its nearest existing parent is a writable dir."""
    parent = _parent(path)
    while True:
        try:
            found = os.stat(parent)
        except FileNotFoundError as exc:
            if _parent(parent) == parent:  # not even the working directory exists
                raise write_failed(path, exc) from None
            parent = _parent(parent)
            continue
        except OSError as exc:
            raise write_failed(path, exc) from None
        break
    if not stat.S_ISDIR(found.st_mode):
        raise OutputError(path, f"cannot write: {parent} is a file, not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(path, f"cannot write: directory {parent} is not writable")


def _parent(path: str) -> str:
    """The parent of ``path`` spelled as the user spelled it (``a/b`` -> ``a`` -> ``.``)."""
    stripped = path.rstrip("/") or "/"
    return os.path.dirname(stripped) or "."


def _check_replaceable(path: str, found: os.stat_result, *, maps_allowed: bool = False) -> None:
    """OutputError unless the regular file at ``path`` may be replaced."""
    if not found.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise OutputError(
            path,
            f"is read-only (mode {stat.S_IMODE(found.st_mode):04o}); "
            "journeyctl does not replace read-only files",
            hint="make it writable, remove it, or choose another output",
        )
    directory = os.path.dirname(path) or "."
    if not os.access(directory, os.W_OK | os.X_OK):
        raise OutputError(
            path,
            f"cannot write: directory {directory} is not writable, so the file cannot be replaced atomically",
        )
    if not maps_allowed and path.endswith(_JOURNEY_SUFFIXES) and _is_journey_file(path):
        raise OutputError(
            path,
            "is a journey map (or shared file); journeyctl never writes a report over one",
            hint="choose another output file",
        )


def _is_journey_file(path: str) -> bool:
    from journeyctl.walk import is_journey_text

    try:
        with open(path, "rb") as handle:
            return is_journey_text(handle.read(_MAP_SNIFF_BYTES))
    except OSError:
        return False


def _file_in_the_way(path: str) -> str | None:
    """The first parent of ``path`` that exists and is not a directory, if any."""
    ancestors: list[str] = []
    current = _parent(path)
    while current not in ancestors:
        ancestors.append(current)
        current = _parent(current)
    for candidate in reversed(ancestors):
        try:
            if not stat.S_ISDIR(os.stat(candidate).st_mode):
                return candidate
        except OSError:
            return None
    return None


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]


def _write_descriptor(path: str, descriptor: int, data: bytes) -> None:
    """Write into an open descriptor (``/dev/stdout``, ``/dev/fd/63`` of ``-o >(gzip)``) where it stands."""
    if descriptor == 1:
        flush_stdout()  # what journeyctl printed before comes first
    try:
        _write_all(descriptor, data)
    except BrokenPipeError:
        if descriptor == 1:
            raise  # the same as stdout: the reader stopped (``| head``)
        raise write_failed(path, BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))) from None
    except OSError as exc:
        raise write_failed(path, exc) from None


def _write_stream(path: str, data: bytes) -> None:
    """Stream into a character device or FIFO: opened without O_TRUNC or O_CREAT, never renamed over."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise write_failed(path, exc) from None
    try:
        mode = os.fstat(descriptor).st_mode
        if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
            # Replaced by something else since it was inspected: do not write into it unguarded.
            raise OutputError(path, "cannot write: it changed while journeyctl was writing; try again")
        _write_all(descriptor, data)
    except OSError as exc:
        raise write_failed(path, exc) from None
    finally:
        os.close(descriptor)


def _replace_file(target: Target, data: bytes) -> None:
    """Atomic replace: temporary file beside the target, fsync, keep mode and owner, rename."""
    path = target.path
    directory = os.path.dirname(path) or "."
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as exc:
        raise write_failed(path, exc) from None
    remove_leftovers(directory)
    temporary = ""
    try:
        descriptor, temporary = _create_temporary(directory, os.path.basename(path))
        try:
            _write_all(descriptor, data)
            _apply_metadata(descriptor, target.existing)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, path)
        temporary = ""
    except OSError as exc:
        raise write_failed(path, exc) from None
    finally:
        if temporary:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    _sync_directory(directory)


def _create_temporary(directory: str, name: str) -> tuple[int, str]:
    for _ in range(100):
        candidate = os.path.join(directory, f".{name[:_NAME_ROOM]}.journeyctl-{os.getpid()}-{_token()}.tmp")
        try:
            return os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600), candidate
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "could not create a unique temporary file", directory)


def _token() -> str:
    return os.urandom(4).hex()


def _apply_metadata(descriptor: int, existing: os.stat_result | None) -> None:
    """A replaced file keeps its permission bits (set-id bits dropped) and, where allowed, its owner."""
    if existing is None:
        os.fchmod(descriptor, 0o666 & ~_umask())
        return
    if (existing.st_uid, existing.st_gid) != (os.geteuid(), os.getegid()):
        with contextlib.suppress(PermissionError):  # only root may give a file away
            os.fchown(descriptor, existing.st_uid, existing.st_gid)
    os.fchmod(descriptor, stat.S_IMODE(existing.st_mode) & ~(stat.S_ISUID | stat.S_ISGID))


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _sync_directory(directory: str) -> None:
    """Make a rename durable; best effort, as some file systems cannot fsync a directory."""
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


# --- leftovers of killed runs ---------------------------------------------------------------


def remove_leftovers(directory: str | Path) -> list[str]:
    """Remove temporary files and staging directories of dead journeyctl runs in ``directory``.

    Only names of journeyctl's own pattern are touched, and only when the
    process id they carry is no longer running (a run in progress keeps its
    files). Returns the names removed.
    """
    removed: list[str] = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        temporary = _TEMPORARY.fullmatch(entry.name)
        staging = None if temporary else _STAGING.fullmatch(entry.name)
        match = temporary or staging
        if match is None or _process_alive(int(match.group(1))):
            continue
        try:
            if staging is not None and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            elif temporary is not None and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
            else:
                continue
        except OSError:
            continue  # not ours to fight over; the next run tries again
        removed.append(entry.name)
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's live process (or a number no process can have: leave it)
    return True


# --- inputs are never outputs ---------------------------------------------------------------


def refuse_inputs(outputs: Iterable[str | Path], inputs: Iterable[str | Path]) -> None:
    """OutputError when an output is one of the inputs, by any spelling (``./a``, absolute, a link).

    Files are compared by identity (device and inode), so a symbolic or hard
    link to an input counts as the input. Outputs that do not exist yet cannot
    be an input; ``-`` (stdout) is never one.
    """
    identities: dict[tuple[int, int], str] = {}
    for source in inputs:
        try:
            found = os.stat(source)
        except OSError:
            continue
        if stat.S_ISREG(found.st_mode):
            identities.setdefault((found.st_dev, found.st_ino), str(source))
    if not identities:
        return
    for output in outputs:
        where = str(output)
        if where == "-":
            continue
        try:
            found = os.stat(where)
        except OSError:
            continue
        matched = identities.get((found.st_dev, found.st_ino))
        if matched is not None:
            same = "" if os.path.abspath(matched) == os.path.abspath(where) else f" ({matched})"
            raise OutputError(
                where,
                f"is an input of this command{same}; journeyctl never writes over a file it reads",
                hint="choose another output",
            )


# --- a directory of outputs -----------------------------------------------------------------


def check_tree(directory: str | Path, relatives: Sequence[str]) -> dict[str, os.stat_result | None]:
    """OutputError unless every ``relatives`` file can be written below ``directory``.

    Returns each file's current stat (None when absent). Inside the output
    directory journeyctl follows no symbolic link (one could lead outside it)
    and writes only regular files.
    """
    root = str(directory)
    _check_output_directory(root)
    existing: dict[str, os.stat_result | None] = {}
    for relative in relatives:
        existing[relative] = _check_tree_entry(root, relative)
    return existing


def _check_output_directory(root: str) -> None:
    try:
        found = os.stat(root)
    except FileNotFoundError:
        _check_creatable(root)
        return
    except OSError as exc:
        raise write_failed(root, exc) from None
    if not stat.S_ISDIR(found.st_mode):
        raise OutputError(root, "cannot write into it: it is not a directory")
    if not os.access(root, os.W_OK | os.X_OK):
        raise OutputError(root, "cannot write into it: the directory is not writable")


def _check_tree_entry(root: str, relative: str) -> os.stat_result | None:
    parts = relative.split("/")
    if not relative or relative.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"not a plain relative path inside the output directory: {relative!r}")
    path = os.path.join(root, *parts)
    current = root
    for part in parts[:-1]:
        deeper = os.path.join(current, part)
        try:
            found = os.lstat(deeper)
        except FileNotFoundError:
            break  # created when the file is moved into place
        except OSError as exc:
            raise write_failed(path, exc) from None
        if stat.S_ISLNK(found.st_mode):
            raise OutputError(
                deeper,
                f"is a symbolic link, where the directory for {path} goes; journeyctl follows no links "
                "inside an output directory (they could lead outside it)",
            )
        if not stat.S_ISDIR(found.st_mode):
            raise OutputError(deeper, f"is a file, where the directory for {path} goes")
        current = deeper
    else:
        try:
            found = os.lstat(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise write_failed(path, exc) from None
        else:
            if stat.S_ISLNK(found.st_mode):
                raise OutputError(
                    path, "is a symbolic link; journeyctl neither replaces links nor writes through them"
                )
            if not stat.S_ISREG(found.st_mode):
                raise OutputError(path, f"cannot write this output file: it {_not_a_file(found.st_mode)}")
            _check_replaceable(path, found)
            return found
    if os.path.isdir(current) and not os.access(current, os.W_OK | os.X_OK):
        raise OutputError(path, f"cannot write: directory {current} is not writable")
    return None


def write_tree(
    directory: str | Path, files: Sequence[tuple[str, bytes]], *, remove: Sequence[str] = ()
) -> list[str]:
    """Write ``files`` (posix paths relative to ``directory``, and their bytes) all or nothing.

    ``remove`` names files (posix paths relative to ``directory``) to delete in
    the same unit, after every file is in place: each is kept until the end like
    a replaced file, so a failure puts it back too. A name that is not a regular
    file any more (gone, a link, a directory) is left alone. Directories that a
    removal leaves empty are removed as well, up to ``directory``.

    Every file is first written and fsynced into a staging directory inside
    ``directory`` (same file system, so moves are renames). Only then is each
    moved into place, in the order given, with a hard link (or copy) of the file
    it replaces kept until the end: a failed move puts every earlier file back.
    A failure before or during the moves leaves ``directory`` as it was (apart
    from directories that had to be created, which are removed again when
    empty); its OutputError then carries the hint "nothing in DIR was changed".
    What a ``kill -9`` or power loss during the moves leaves is in
    docs/safety.md. Returns the paths written.
    """
    root = str(directory)
    relatives = [relative for relative, _ in files]
    if len(set(relatives)) != len(relatives) or set(relatives) & set(remove):
        raise ValueError("write_tree: the same path given twice")
    existing = check_tree(root, relatives)
    doomed = [relative for relative in remove if _removable(root, relative)]
    created: list[str] = []
    staging = ""
    completed = False
    try:
        created.extend(_make_directories(root))
        remove_leftovers(root)
        staging = _make_staging(root)
        for relative, data in files:
            _write_staged(root, staging, relative, data, existing[relative])
        _move_into_place(root, staging, relatives, existing, created, doomed)
        completed = True
    except OutputError as exc:
        if exc.hint is None:
            exc.hint = f"nothing in {root} was changed"
        raise
    finally:
        if staging:
            shutil.rmtree(staging, ignore_errors=True)
        if not completed:
            for made in reversed(created):
                with contextlib.suppress(OSError):
                    os.rmdir(made)
    if doomed:
        _remove_empty_parents(root, doomed)
    return [os.path.join(root, *relative.split("/")) for relative in relatives]


def _removable(root: str, relative: str) -> bool:
    """Whether ``relative`` below ``root`` is a regular file reached through no symbolic link."""
    parts = relative.split("/")
    if not relative or any(part in ("", ".", "..") for part in parts):
        return False
    current = root
    for part in parts:
        current = os.path.join(current, part)
        try:
            found = os.lstat(current)
        except OSError:
            return False
        if stat.S_ISLNK(found.st_mode):
            return False
    return stat.S_ISREG(found.st_mode)


def _remove_empty_parents(root: str, removed: Sequence[str]) -> None:
    """Remove the directories below ``root`` that removing ``removed`` left empty (rmdir: only if empty)."""
    parents = {
        "/".join(relative.split("/")[:depth])
        for relative in removed
        for depth in range(1, len(relative.split("/")))
    }
    # Deepest first, so that a folder emptied by removing its only subfolder goes too.
    for parent in sorted(parents, key=lambda name: name.count("/"), reverse=True):
        with contextlib.suppress(OSError):
            os.rmdir(os.path.join(root, *parent.split("/")))


def _make_directories(path: str) -> list[str]:
    """``os.makedirs(path)``, returning the directories it made (outermost first)."""
    missing: list[str] = []
    current = path
    while not os.path.isdir(current):
        missing.append(current)
        parent = _parent(current)
        if parent == current:
            break
        current = parent
    made: list[str] = []
    for directory in reversed(missing):
        try:
            os.mkdir(directory)
        except FileExistsError:
            if os.path.isdir(directory):
                continue  # made meanwhile by someone else: not ours to remove
            raise OutputError(directory, f"is a file, where the directory for {path} goes") from None
        except OSError as exc:
            raise write_failed(directory, exc, doing="cannot create the directory") from None
        made.append(directory)
    return made


def _make_staging(root: str) -> str:
    for _ in range(100):
        staging = os.path.join(root, f"{STAGING_PREFIX}{os.getpid()}-{_token()}")
        try:
            os.mkdir(staging, 0o700)
        except FileExistsError:
            continue
        except OSError as exc:
            raise write_failed(root, exc, doing="cannot write into it") from None
        return staging
    raise OutputError(root, "cannot create a staging directory in it")


def _write_staged(
    root: str, staging: str, relative: str, data: bytes, existing: os.stat_result | None
) -> None:
    target = os.path.join(root, *relative.split("/"))
    staged = os.path.join(staging, "new", *relative.split("/"))
    try:
        os.makedirs(os.path.dirname(staged), exist_ok=True)
        descriptor = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        try:
            _write_all(descriptor, data)
            _apply_metadata(descriptor, existing)
            # Synced as it is written: on ext4, syncing all 1,000 pages of a test
            # afterwards took about twice as long (0.9 s against 0.4 s).
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    except OSError as exc:
        raise write_failed(target, exc) from None


def _move_into_place(
    root: str,
    staging: str,
    relatives: Sequence[str],
    existing: dict[str, os.stat_result | None],
    created: list[str],
    remove: Sequence[str] = (),
) -> None:
    moved: list[tuple[str, str | None]] = []  # (target, the kept old file), to undo in reverse
    directories: set[str] = set()
    try:
        for index, relative in enumerate(relatives):
            parts = relative.split("/")
            target = os.path.join(root, *parts)
            parent = os.path.dirname(target)
            created.extend(_make_directories(parent))
            directories.add(parent)
            kept = None
            if existing[relative] is not None:
                kept = os.path.join(staging, "old", str(index))
                _keep_old(target, kept)
            try:
                os.replace(os.path.join(staging, "new", *parts), target)
            except OSError as exc:
                raise write_failed(target, exc) from None
            moved.append((target, kept))
        for index, relative in enumerate(remove):
            target = os.path.join(root, *relative.split("/"))
            kept = os.path.join(staging, "removed", str(index))
            _keep_old(target, kept)
            try:
                os.unlink(target)
            except OSError as exc:
                raise write_failed(target, exc, doing="cannot remove") from None
            directories.add(os.path.dirname(target))
            moved.append((target, kept))
    except BaseException as exc:
        unrestored: list[str] = []
        for target, kept in reversed(moved):
            try:
                if kept is None:
                    os.unlink(target)
                else:
                    os.replace(kept, target)
            except OSError:
                unrestored.append(target)
        if unrestored and isinstance(exc, OutputError):
            exc.message += "; and these files, already replaced, could not be put back: " + ", ".join(
                sorted(unrestored)
            )
            exc.hint = "render again once the cause is fixed"
        raise
    for directory in sorted(directories):
        _sync_directory(directory)


def _keep_old(target: str, kept: str) -> None:
    """Keep the file about to be replaced, to put back if a later move fails: a hard link, else a copy."""
    try:
        os.makedirs(os.path.dirname(kept), exist_ok=True)
        try:
            os.link(target, kept, follow_symlinks=False)
        except OSError:
            shutil.copy2(target, kept, follow_symlinks=False)
    except OSError as exc:
        raise write_failed(target, exc, doing="cannot keep the old file while replacing it") from None
