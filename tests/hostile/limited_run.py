"""Run one command under resource limits and report what it cost: ``python limited_run.py SPEC``.

``SPEC`` is JSON: ``argv``, ``address_space`` and ``file_size`` (bytes),
``cpu_seconds``, ``wall_seconds`` and ``result`` (a path). The command runs in
a child of this small process, in its own process group, with ``RLIMIT_AS``,
``RLIMIT_CPU`` and ``RLIMIT_FSIZE`` set; after ``wall_seconds`` the whole
group (pool workers, Graphviz) is killed. The result file gets the exit
status, the child's CPU seconds and peak RSS (from ``wait4``, so they cover
the children it waited for) and the wall time.

Why a launcher rather than ``preexec_fn``: a child forked straight from the
test process inherits that process's resident pages, and Linux carries the
high-water mark across ``exec``, so its peak RSS would read as pytest's. Forked
from this process instead, the command starts from ~10 MB.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import sys
import time


def main() -> int:
    spec = json.loads(sys.argv[1])
    started = time.monotonic()
    child = os.fork()
    if child == 0:  # pragma: no cover - replaced by exec
        try:
            os.setpgid(0, 0)
            resource.setrlimit(resource.RLIMIT_AS, (spec["address_space"], spec["address_space"]))
            resource.setrlimit(resource.RLIMIT_CPU, (spec["cpu_seconds"], spec["cpu_seconds"] + 1))
            resource.setrlimit(resource.RLIMIT_FSIZE, (spec["file_size"], spec["file_size"]))
            os.execv(spec["argv"][0], spec["argv"])
        finally:
            os._exit(127)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.setpgid(child, child)  # set from both sides, so the group exists whichever runs first
    with open(spec["result"], "w", encoding="utf-8") as handle:
        json.dump({"pid": child}, handle)
    timed_out = False

    def kill_group(signum: int, frame: object) -> None:
        nonlocal timed_out
        timed_out = True
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child, signal.SIGKILL)

    signal.signal(signal.SIGALRM, kill_group)
    signal.setitimer(signal.ITIMER_REAL, spec["wall_seconds"])
    _, status, usage = os.wait4(child, 0)
    signal.setitimer(signal.ITIMER_REAL, 0)
    wall = time.monotonic() - started
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child, signal.SIGKILL)  # workers the command left behind die with it
    result = {
        "pid": child,
        "status": os.waitstatus_to_exitcode(status),
        "cpu": usage.ru_utime + usage.ru_stime,
        "max_rss": usage.ru_maxrss * 1024,
        "wall": wall,
        "timed_out": timed_out,
    }
    with open(spec["result"], "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
