"""The hostile-input contract through the real ``journeyctl`` entry point, run under resource limits.

A run may exit 0, 1 or 2, and nothing else: never 3 (a bug), never a signal,
never a hang. An exit 2 says what is wrong and where (``path:line:col:`` or a
sentence naming the file). No traceback and no "bug in journeyctl" reach the
user. It stays within the issue's bounds (2 s of CPU, 200 MB of peak RSS; wall
time only as a hang detector, since the machine is shared). A failed run writes
nothing, no run leaves a temporary file behind, and the inputs are byte for
byte what they were (symlinks still symlinks, FIFOs and devices untouched).

Limits: ``RLIMIT_AS`` 512 MiB. Measured on this project: every journeyctl
command runs in 40 MiB of address space, Graphviz's ``dot`` needs 150 MiB
(it crashes at 120 MiB); 512 MiB leaves room for both and turns a memory
blow-up into a quick failure instead of an OOM-killed CI runner.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .contract import TALLY, TERMINAL_CONTROL, ContractBroken, strict_json

MIB = 1024 * 1024
LAUNCHER = Path(__file__).with_name("limited_run.py")
JOURNEYCTL = Path(sys.executable).with_name("journeyctl")

#: The issue's bounds for one reproducer: exit 0/1/2 "in under 2 s and 200 MB".
CPU_BOUND = 2.0
RSS_BOUND = 200 * MIB
#: Wall time is noisy on a shared 2-core machine (a 0.3 s run can take 5 s): only a run
#: still going after this long counts, as hung, and is killed.
WALL_BOUND = 15.0

#: ``path:line:col: error: message`` (or warning), as every located message is printed.
LOCATED = re.compile(r"^.+:\d+:\d+: (error|warning): \S", re.MULTILINE)


@dataclass(frozen=True)
class Limits:
    address_space: int = 512 * MIB
    file_size: int = 256 * MIB
    cpu_seconds: int = 10
    wall_seconds: float = WALL_BOUND


@dataclass
class Run:
    """What one journeyctl run did and cost."""

    args: list[str]
    status: int
    stdout: bytes
    stderr: bytes
    cpu: float
    max_rss: int
    wall: float
    timed_out: bool

    def describe(self) -> str:
        err = self.stderr.decode("utf-8", "backslashreplace")
        if len(err) > 1500:
            err = err[:700] + "\n...\n" + err[-700:]
        return (
            f"journeyctl {' '.join(repr(a) if ' ' in a else a for a in self.args)}\n"
            f"exit {self.status}, {self.cpu:.2f} s CPU, {self.wall:.2f} s wall, "
            f"{self.max_rss / MIB:.0f} MB peak RSS{', KILLED (hung)' if self.timed_out else ''}\n"
            f"stderr:\n{err}"
        )


def environment(cache: Path) -> dict[str, str]:
    """A clean environment: no colour, a UTF-8 locale, the template cache in the sandbox."""
    return {
        "PATH": f"{JOURNEYCTL.parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(cache),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "NO_COLOR": "1",
        "TERM": "dumb",
        "JOURNEYCTL_CACHE_DIR": str(cache / "journeyctl-cache"),
    }


def run_journeyctl(args: Sequence[str], cwd: Path, *, limits: Limits = Limits()) -> Run:
    """``journeyctl ARGS`` in ``cwd`` under ``limits``, through the launcher."""
    TALLY["cli"] += 1
    with tempfile.TemporaryDirectory(prefix="journeyctl-run-") as scratch:
        result_path = Path(scratch) / "result.json"
        spec = {
            "argv": [str(JOURNEYCTL), *args],
            "address_space": limits.address_space,
            "file_size": limits.file_size,
            "cpu_seconds": limits.cpu_seconds,
            "wall_seconds": limits.wall_seconds,
            "result": str(result_path),
        }
        cache = cwd.parent / ".home"
        cache.mkdir(exist_ok=True)
        process = subprocess.Popen(
            [sys.executable, str(LAUNCHER), json.dumps(spec)],
            cwd=cwd,
            env=environment(cache),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=limits.wall_seconds + 20)
        except subprocess.TimeoutExpired:  # the launcher itself is stuck: kill everything it started
            _kill_all(process, result_path)
            stdout, stderr = process.communicate()
            raise ContractBroken(f"journeyctl {args} and its launcher hung") from None
        outcome = json.loads(result_path.read_text(encoding="utf-8"))
    return Run(
        list(args),
        outcome["status"],
        stdout,
        stderr,
        outcome["cpu"],
        outcome["max_rss"],
        outcome["wall"],
        outcome["timed_out"],
    )


def _kill_all(process: subprocess.Popen[bytes], result_path: Path) -> None:
    try:
        child = json.loads(result_path.read_text(encoding="utf-8"))["pid"]
        os.killpg(child, signal.SIGKILL)
    except (OSError, ValueError, KeyError):
        pass
    os.killpg(process.pid, signal.SIGKILL)


# --- the file system before and after --------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    kind: str
    mode: int
    content: str  # sha256 of a file, a symlink's target, a device's number


def snapshot(root: Path) -> dict[str, Entry]:
    """Every entry under ``root`` (not following symlinks, never opening FIFOs or devices)."""
    found: dict[str, Entry] = {}
    for directory, subdirs, files in os.walk(root):
        for name in [*subdirs, *files]:
            path = os.path.join(directory, name)
            info = os.lstat(path)
            relative = os.path.relpath(path, root)
            if stat.S_ISLNK(info.st_mode):
                found[relative] = Entry("symlink", 0, os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                with open(path, "rb") as handle:
                    digest = hashlib.sha256(handle.read()).hexdigest()
                found[relative] = Entry("file", stat.S_IMODE(info.st_mode), digest)
            elif stat.S_ISDIR(info.st_mode):
                found[relative] = Entry("directory", stat.S_IMODE(info.st_mode), "")
            else:
                found[relative] = Entry(
                    stat.filemode(info.st_mode)[0], stat.S_IMODE(info.st_mode), str(info.st_rdev)
                )
    return found


@dataclass
class Expect:
    """What a run's output should look like, beyond the contract every run keeps."""

    #: Files or directories the run may create (they must not exist after a failure).
    outputs: list[Path] = field(default_factory=list)
    #: ``json``, ``sarif`` or ``junit`` when stdout is a machine format to parse.
    stdout_format: str | None = None
    #: Names that an exit-2 message may name instead of a ``path:line:col``.
    names: list[str] = field(default_factory=list)
    #: Maps in the run, to scale the CPU bound for batch runs.
    maps: int = 1


def check_run(run: Run, sandbox: Path, before: dict[str, Entry], expect: Expect) -> None:
    """The CLI contract (see the module docstring) for one run."""
    out = run.stdout.decode("utf-8", "replace")
    err = run.stderr.decode("utf-8", "replace")
    if run.timed_out:
        raise ContractBroken(f"hung: killed after {run.wall:.0f} s\n{run.describe()}")
    if run.status not in (0, 1, 2):
        raise ContractBroken(f"exit {run.status} (only 0, 1 and 2 are allowed)\n{run.describe()}")
    for text in (out, err):
        if "Traceback (most recent call last)" in text or "bug in journeyctl" in text:
            raise ContractBroken(f"a traceback or 'bug in journeyctl' reached the user\n{run.describe()}")
    control = TERMINAL_CONTROL.search(err)
    if control:
        around = err[max(0, control.start() - 60) : control.start() + 20]
        raise ContractBroken(
            f"a raw control character U+{ord(control.group()):04X} reached stderr (a terminal or CI log "
            f"would act on it): {around!r}\n{run.describe()}"
        )
    if run.status == 2 and not (LOCATED.search(err) or any(name in err for name in expect.names if name)):
        raise ContractBroken(f"exit 2 without a located message or a file it names\n{run.describe()}")
    if run.cpu > CPU_BOUND + 0.1 * (expect.maps - 1):
        raise ContractBroken(f"over the CPU bound of {CPU_BOUND} s\n{run.describe()}")
    if run.max_rss > RSS_BOUND:
        raise ContractBroken(f"over the memory bound of {RSS_BOUND // MIB} MB\n{run.describe()}")
    if run.wall > WALL_BOUND:
        raise ContractBroken(f"over the wall-time bound of {WALL_BOUND} s\n{run.describe()}")
    if run.status != 0:
        for path in expect.outputs:
            if os.path.lexists(path) and str(path.relative_to(sandbox)) not in before:
                raise ContractBroken(f"a failed run wrote {path}\n{run.describe()}")
    after = snapshot(sandbox)
    leftovers = sorted(name for name in after if name.endswith(".tmp") and name not in before)
    if leftovers:
        raise ContractBroken(f"temporary files left behind: {leftovers}\n{run.describe()}")

    def is_output(name: str) -> bool:
        path = sandbox / name
        return any(path == output or output in path.parents for output in expect.outputs)

    changed = sorted(
        name
        for name in set(before) | set(after)
        if not is_output(name) and before.get(name) != after.get(name)
    )
    if changed:
        raise ContractBroken(f"inputs changed: {changed}\n{run.describe()}")
    if run.status in (0, 1) and expect.stdout_format:
        try:
            if expect.stdout_format == "junit":
                ET.fromstring(run.stdout)
            else:
                strict_json(out)
        except (ValueError, ET.ParseError) as exc:
            raise ContractBroken(
                f"stdout is not strict {expect.stdout_format}: {exc}\n{run.describe()}"
            ) from exc
