"""The worker pool: input order, in-process small batches, inherited state, and dead workers."""

from __future__ import annotations

import os
import pickle
import signal
import time
from collections.abc import Iterator

import pytest

from journeyctl import pool
from journeyctl.pool import WorkerDied, parallel_map

PARENT = os.getpid()
#: Set by ``prepare`` in the parent only; a forked worker sees it, a fresh process would not.
_PREPARED: list[str] = []


@pytest.fixture(autouse=True)
def no_hang() -> Iterator[None]:
    """A hung pool fails the test (SIGALRM) instead of hanging the suite."""

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError("the pool hung")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
    # Every child was reaped: no zombies are left behind.
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def square_and_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


@pytest.mark.parametrize(("count", "jobs"), [(4, 2), (5, 2), (17, 3), (1000, 2), (1000, 4)])
def test_results_come_back_in_input_order_from_the_workers(count: int, jobs: int) -> None:
    results = list(parallel_map(square_and_pid, list(range(count)), jobs, chunksize=7, breakeven_seconds=0))
    assert [value for value, _ in results] == [n * n for n in range(count)]
    # The first two items are worked on here; the rest went to forked workers.
    assert {pid for _, pid in results[:2]} == {PARENT}
    workers = {pid for _, pid in results[2:]}
    assert PARENT not in workers
    assert 1 <= len(workers) <= jobs


def sleepy(number: int) -> int:
    time.sleep(0.004)
    return os.getpid()


class SteppingClock:
    """``time`` for the pool: each reading is ``step`` seconds after the last, so every item
    measures exactly ``step``, however loaded the machine is (a real 4 ms sleep can take 20)."""

    def __init__(self, step: float) -> None:
        self.step = step
        self.now = 0.0

    def perf_counter(self) -> float:
        self.now += self.step
        return self.now


def test_a_small_batch_never_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise AssertionError("forked for a batch smaller than the break-even point")

    monkeypatch.setattr(os, "fork", no_fork)
    monkeypatch.setattr(pool, "time", SteppingClock(0.004))
    # 8 items of 4 ms: ~24 ms of work left after the first two, below the 50 ms break-even.
    assert set(parallel_map(sleepy, list(range(8)), 2)) == {PARENT}


def test_the_same_batch_forks_when_its_items_are_slower(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "time", SteppingClock(0.02))
    # 8 items of 20 ms: ~120 ms of work left after the first two, above the break-even.
    pids = list(parallel_map(sleepy, list(range(8)), 2))
    assert pids[:2] == [PARENT, PARENT]
    assert PARENT not in set(pids[2:])


def test_a_batch_worth_it_forks() -> None:
    # 40 items of 4 ms: ~150 ms of work left after the first two.
    pids = list(parallel_map(sleepy, list(range(40)), 2))
    assert pids[:2] == [PARENT, PARENT]
    assert PARENT not in set(pids[2:])


def test_one_job_or_two_items_run_here() -> None:
    assert {pid for _, pid in parallel_map(square_and_pid, list(range(50)), 1, breakeven_seconds=0)} == {
        PARENT
    }
    assert {pid for _, pid in parallel_map(square_and_pid, [1, 2], 4, breakeven_seconds=0)} == {PARENT}


def prepare() -> None:
    _PREPARED.append(f"built in {os.getpid()}")


def prepared(number: int) -> str:
    return _PREPARED[-1] if _PREPARED else "not prepared"


def test_workers_inherit_what_prepare_built_in_the_parent() -> None:
    _PREPARED.clear()
    results = list(parallel_map(prepared, list(range(30)), 2, prepare=prepare, breakeven_seconds=0))
    assert results == [f"built in {PARENT}"] * 30
    assert len(_PREPARED) == 1  # once, in the parent


class Refused(Exception):
    pass


def fails_at_20(number: int) -> int:
    if number == 20:
        raise Refused(f"no {number}")
    return number


def test_an_exception_is_raised_where_a_serial_run_raises_it() -> None:
    seen: list[int] = []
    with pytest.raises(Refused, match="no 20") as caught:
        for value in parallel_map(fails_at_20, list(range(60)), 2, chunksize=4, breakeven_seconds=0):
            seen.append(value)
    assert seen == list(range(20))
    assert any("in a worker process" in note for note in getattr(caught.value, "__notes__", []))


class Unpicklable(Exception):
    def __reduce__(self) -> tuple[object, ...]:
        raise pickle.PicklingError("not today")


def raises_unpicklable(number: int) -> int:
    if number > 5:
        raise Unpicklable("the original")
    return number


def test_an_exception_that_does_not_pickle_arrives_as_a_stand_in() -> None:
    with pytest.raises(RuntimeError, match="Unpicklable: the original"):
        list(parallel_map(raises_unpicklable, list(range(30)), 2, breakeven_seconds=0))


class NeedsTwo(Exception):
    def __init__(self, first: str, second: str) -> None:
        super().__init__(f"{first} {second}")  # args holds one value: unpickling calls NeedsTwo(one)


def raises_needs_two(number: int) -> int:
    if number > 5:
        raise NeedsTwo("the", "original")
    return number


def test_an_exception_that_does_not_unpickle_arrives_as_a_stand_in() -> None:
    with pytest.raises(RuntimeError, match="NeedsTwo: the original"):
        list(parallel_map(raises_needs_two, list(range(30)), 2, breakeven_seconds=0))


def dies_at_25(number: int) -> int:
    if number == 25 and os.getpid() != PARENT:
        os.kill(os.getpid(), signal.SIGKILL)
    return number


def test_a_killed_worker_fails_the_run_and_names_its_items() -> None:
    started = time.monotonic()
    items = list(range(100))
    with pytest.raises(WorkerDied) as caught:
        list(parallel_map(dies_at_25, items, 2, chunksize=5, describe="item-{}".format, breakeven_seconds=0))
    assert time.monotonic() - started < 10
    message = caught.value.message
    assert "was killed by signal 9 (SIGKILL)" in message
    # Chunks of 5 from item 2: the one holding 25 starts at 22.
    assert "while working on item-22 (or one of the 4 files after it)" in message
    assert caught.value.hint is not None and "out-of-memory killer" in caught.value.hint


def exits_at_7(number: int) -> int:
    if number == 7 and os.getpid() != PARENT:
        os._exit(9)
    return number


def test_a_worker_that_exits_early_fails_the_run() -> None:
    with pytest.raises(WorkerDied, match=r"exited with status 9 while working on 7\b"):
        list(parallel_map(exits_at_7, list(range(20)), 2, chunksize=1, breakeven_seconds=0))


def test_stopping_early_stops_the_workers() -> None:
    results = parallel_map(sleepy, list(range(200)), 2, breakeven_seconds=0)
    assert next(results) == PARENT
    for _ in range(5):
        next(results)
    results.close()  # the autouse fixture checks that every worker was reaped


def test_default_jobs_is_the_cores_this_process_may_use() -> None:
    assert pool.default_jobs() == len(os.sched_getaffinity(0))
