"""Running one function over many items on several cores, results in input order.

``validate``, ``lint`` and ``render`` check batches of maps through
``parallel_map``. It keeps three promises:

* **Output never depends on the pool.** Results come back in input order (and
  an exception raised for an item is raised where a serial run would raise it),
  so a parallel run prints exactly what ``-j 1`` prints.
* **The pool never makes a run slower.** Items are first worked on in this
  process. Workers are forked only when what remains is estimated, from the
  time the items done so far took, to take longer than ``BREAKEVEN_SECONDS``
  (what forking and collecting cost, measured: see docs/safety.md). So a
  small batch never forks, and when workers are forked they inherit the
  imported modules, the model classes and the configured rules instead
  of building them again.
* **A dead worker fails the run, never hangs it.** A worker killed by the
  out-of-memory killer or ``kill -9``, or crashed in C code, ends the run with
  ``WorkerDied`` naming the files it was working on (the CLI prints it and
  exits 2).

Workers are ``os.fork()`` children: each reads index ranges from a pipe and
writes the pickled results of that range back on another, so items are never
pickled (a forked child already has them) and a closed pipe tells the parent at
once that a child is gone. Without ``os.fork`` (Windows) every item is worked
on in this process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import selectors
import signal
import struct
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from journeyctl.errors import JourneyError

T = TypeVar("T")
R = TypeVar("R")

#: Fork only when the work left is estimated to take at least this long in this process.
#: Measured on the 2-core machine (docs/safety.md): forking two workers and collecting
#: their results costs 15-25 ms of wall time; below ~50 ms of remaining work a serial run
#: was as fast or faster, above it the pool won.
BREAKEVEN_SECONDS = 0.05
#: Chunks sent ahead to each worker, so it never waits for the parent between two chunks.
PREFETCH = 2
#: Aim for at least this many chunks per worker, so the last chunk does not leave one core idle long.
CHUNKS_PER_WORKER = 4

_TASK = struct.Struct("!QQ")  # [start, stop) of a chunk of items
_LENGTH = struct.Struct("!Q")  # bytes of the pickled result that follows
_READ_SIZE = 1 << 20


class WorkerDied(JourneyError):
    """A worker process ended without sending its results: killed (out of memory, ``kill -9``) or crashed."""


def default_jobs() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def parallel_map(
    function: Callable[[T], R],
    items: Sequence[T],
    jobs: int | None = None,
    chunksize: int = 8,
    *,
    prepare: Callable[[], object] | None = None,
    describe: Callable[[T], str] = str,
    breakeven_seconds: float = BREAKEVEN_SECONDS,
) -> Iterator[R]:
    """``map(function, items)`` on up to ``jobs`` processes, in input order.

    ``prepare`` runs once in this process before any item (and so before any
    fork): whatever it builds, the workers inherit. ``describe`` names an item
    in the message when a worker dies. ``breakeven_seconds=0`` forks as soon
    as two items are done (tests use it to drive the pool on small batches).
    """
    jobs = default_jobs() if jobs is None else jobs
    count = len(items)
    if jobs <= 1 or count <= 2 or not hasattr(os, "fork"):
        yield from map(function, items)
        return
    if prepare is not None:
        prepare()
    # The first item pays for what is built on first use (imports, caches), so the estimate
    # of the rest comes from the items after it.
    index = 0
    measured = 0.0
    while index < count:
        started = time.perf_counter()
        result = function(items[index])
        if index > 0:
            measured += time.perf_counter() - started
        index += 1
        yield result
        remaining = count - index
        if index >= 2 and remaining >= 2 and measured / (index - 1) * remaining >= breakeven_seconds:
            break
    if index < count:
        yield from _forked(function, items, index, jobs, chunksize, describe)


@dataclass
class _Child:
    """A forked worker, as the parent sees it."""

    pid: int
    #: Write end of the pipe the child reads chunks from.
    tasks: int
    #: Read end of the pipe the child writes results to.
    results: int
    #: Chunk numbers sent and not yet answered, oldest first (a child answers in order).
    pending: deque[int] = field(default_factory=deque)
    buffer: bytearray = field(default_factory=bytearray)
    reaped: bool = False


def _forked(
    function: Callable[[T], R],
    items: Sequence[T],
    start: int,
    jobs: int,
    chunksize: int,
    describe: Callable[[T], str],
) -> Iterator[R]:
    remaining = len(items) - start
    size = max(1, min(chunksize, -(-remaining // (jobs * CHUNKS_PER_WORKER))))
    chunks = [(first, min(first + size, len(items))) for first in range(start, len(items), size)]
    # Buffered output would be written again by every child that flushes it.
    sys.stdout.flush()
    sys.stderr.flush()
    children: list[_Child] = []
    selector = selectors.DefaultSelector()
    finished = False
    try:
        for _ in range(min(jobs, len(chunks))):
            children.append(_fork(function, items, children))
        for child in children:
            selector.register(child.results, selectors.EVENT_READ, child)
        sent = 0
        #: Chunk number -> (results, exception or None), until its turn to be yielded.
        answers: dict[int, tuple[list[Any], BaseException | None]] = {}

        def feed(child: _Child) -> None:
            nonlocal sent
            while len(child.pending) < PREFETCH and sent < len(chunks):
                child.pending.append(sent)
                # A dead child's result pipe reports its death, with this chunk still pending.
                with contextlib.suppress(BrokenPipeError):
                    os.write(child.tasks, _TASK.pack(*chunks[sent]))
                sent += 1

        for child in children:
            feed(child)
        turn = 0
        while turn < len(chunks):
            while turn in answers:
                results, error = answers.pop(turn)
                turn += 1
                yield from results
                if error is not None:
                    raise error
            if turn == len(chunks):
                break
            if not selector.get_map():  # cannot happen: a child only exits when told; never wait on nothing
                raise RuntimeError("every worker process ended with work left to do")
            for key, _ in selector.select():
                child = key.data
                data = os.read(child.results, _READ_SIZE)
                if not data:
                    selector.unregister(child.results)
                    if child.pending or child.buffer:
                        raise _death(child, chunks, items, describe)
                    continue
                child.buffer += data
                for message in _messages(child.buffer):
                    answers[child.pending.popleft()] = pickle.loads(message)
                feed(child)
        finished = True
    finally:
        selector.close()
        _shut_down(children, kill=not finished)


def _messages(buffer: bytearray) -> Iterator[bytes]:
    """Complete length-prefixed messages at the start of ``buffer``, removed from it."""
    while len(buffer) >= _LENGTH.size:
        (length,) = _LENGTH.unpack_from(buffer)
        end = _LENGTH.size + length
        if len(buffer) < end:
            return
        message = bytes(buffer[_LENGTH.size : end])
        del buffer[:end]
        yield message


def _fork(function: Callable[[T], R], items: Sequence[T], others: Sequence[_Child]) -> _Child:
    task_read, task_write = os.pipe()
    result_read, result_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 0
        try:
            os.close(task_write)
            os.close(result_read)
            # Another child holding this parent's ends would hide that child's death (no EOF).
            for other in others:
                os.close(other.tasks)
                os.close(other.results)
            # Ctrl-C is for the parent, which then stops the children.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            _serve(function, items, task_read, result_write)
        except BaseException:
            status = 70
        finally:
            os._exit(status)
    os.close(task_read)
    os.close(result_write)
    return _Child(pid, task_write, result_read)


def _serve(function: Callable[[T], R], items: Sequence[T], tasks: int, results: int) -> None:
    """The child's loop: a chunk in; out, its pickled results up to the exception one raised, if any."""
    while True:
        header = _read_exactly(tasks, _TASK.size)
        if header is None:
            return
        first, stop = _TASK.unpack(header)
        done: list[R] = []
        try:
            for index in range(first, stop):
                done.append(function(items[index]))
            data = pickle.dumps((done, None), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            data = _pickled_failure(done, exc)
        _write_all(results, _LENGTH.pack(len(data)) + data)


def _pickled_failure(done: list[Any], exc: Exception) -> bytes:
    """The results before the exception, and the exception with the worker's traceback as a note."""
    exc.add_note("in a worker process:\n" + "".join(traceback.format_exception(exc)).rstrip())
    try:
        data = pickle.dumps((done, exc), protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(data)  # some exceptions pickle but do not unpickle (their __init__ wants more)
        return data
    except Exception:
        stand_in = RuntimeError(f"{type(exc).__name__}: {exc}")
        stand_in.add_note("".join(traceback.format_exception(exc)).rstrip())
        try:
            return pickle.dumps((done, stand_in), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a result did not pickle either
            return pickle.dumps(([], stand_in), protocol=pickle.HIGHEST_PROTOCOL)


def _read_exactly(fd: int, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        more = os.read(fd, size - len(data))
        if not more:
            return None
        data += more
    return data


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _death(
    child: _Child, chunks: Sequence[tuple[int, int]], items: Sequence[T], describe: Callable[[T], str]
) -> WorkerDied:
    """The error for a child that closed its pipe with work pending: how it ended, and on what."""
    _, status = os.waitpid(child.pid, 0)
    child.reaped = True
    hint = "rerun with -j 1 to see which file it is, and give the run more memory if it needs it"
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = "an unknown signal"
        how = f"was killed by signal {number} ({name})"
        if number == signal.SIGKILL:
            hint = "SIGKILL is what the out-of-memory killer sends; " + hint
    else:
        how = f"exited with status {os.waitstatus_to_exitcode(status)}"
    first, stop = chunks[child.pending[0]]
    held = [describe(items[index]) for index in range(first, stop)]
    if len(held) == 1:
        files = held[0]
    elif len(held) == 2:
        files = f"{held[0]} (or the file after it)"
    else:
        files = f"{held[0]} (or one of the {len(held) - 1} files after it)"
    return WorkerDied(
        f"a worker process (pid {child.pid}) {how} while working on {files}; the run is incomplete",
        hint=hint,
    )


def _shut_down(children: Sequence[_Child], *, kill: bool) -> None:
    """Close the pipes and reap every child; on an early exit, kill them first."""
    for child in children:
        _close(child.tasks)  # a child reading its next chunk sees the end and exits
        if kill and not child.reaped:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child.pid, signal.SIGKILL)
    for child in children:
        _close(child.results)
        if not child.reaped:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(child.pid, 0)
            child.reaped = True


def _close(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)
