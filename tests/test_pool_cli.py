"""The pool through the installed ``journeyctl``: a worker killed for real; parallel output equals serial."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.lint.test_engine import _corpus

JOURNEYCTL = str(Path(sys.executable).with_name("journeyctl"))


def big_map(stages: int) -> str:
    """A valid map that takes a worker a while to check (~0.2 s for 6,000 stages)."""
    lines = ["journeyctl: 1", "id: big", "title: Big", "stages:"]
    for index in range(stages):
        lines += [
            f"  - id: s{index}",
            f"    name: Stage {index}",
            "    steps:",
            f"      - id: st{index}",
            f"        action: Does thing {index}",
            "        emotion: 1",
        ]
    return "\n".join(lines) + "\n"


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            found += [int(child) for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
        except OSError:
            continue
    return found


@pytest.mark.parametrize("command", [["validate"], ["lint", "--isolated", "-f", "json"]])
def test_a_worker_killed_with_sigkill_ends_the_run_with_exit_2(tmp_path: Path, command: list[str]) -> None:
    text = big_map(6000)
    for index in range(8):
        (tmp_path / f"map-{index}.yaml").write_text(text.replace("id: big", f"id: big-{index}"))
    process = subprocess.Popen(
        [JOURNEYCTL, *command, "-j", "2", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    killed = None
    while killed is None and process.poll() is None and time.monotonic() < deadline:
        workers = children(process.pid)
        if workers:
            killed = workers[0]
            os.kill(killed, signal.SIGKILL)
        time.sleep(0.002)
    stdout, stderr = process.communicate(timeout=30)  # never hangs
    assert killed is not None, "no worker was forked"
    assert process.returncode == 2, stderr
    assert f"error: a worker process (pid {killed}) was killed by signal 9 (SIGKILL) while" in stderr
    assert "the run is incomplete" in stderr
    assert "out-of-memory killer" in stderr
    assert "Traceback" not in stderr
    if command[0] == "lint":
        assert stdout == ""  # no partial report that a CI step could take for the whole


@pytest.mark.parametrize("count", [3, 400])
def test_parallel_output_is_byte_for_byte_the_serial_output(tmp_path: Path, count: int) -> None:
    # 3 maps run in-process; 400 are enough work for validate and lint to fork.
    _corpus(tmp_path / "maps", count)
    outputs: dict[str, list[tuple[int, str, str]]] = {}
    for jobs in ("1", "2"):
        # Every lint format is made from the same report (tests/lint/test_engine.py compares them all).
        for command in (["validate"], ["lint"], ["lint", "-f", "json"]):
            result = subprocess.run(
                [JOURNEYCTL, *command, "-j", jobs, "maps"],
                capture_output=True,
                text=True,
                cwd=tmp_path,
                timeout=60,
                check=False,
            )
            outputs.setdefault(" ".join(command), []).append(
                (result.returncode, result.stdout, result.stderr)
            )
    for command, (serial, parallel) in outputs.items():
        assert serial == parallel, command
        assert serial[0] == 1, command  # the corpus has findings and invalid maps
