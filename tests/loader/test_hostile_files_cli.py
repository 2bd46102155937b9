"""Hostile files through the installed ``journeyctl``: no hang, bounded memory, located errors.

Each run has a timeout and an address-space limit (``RLIMIT_AS``, inherited by pool
workers), so a FIFO that blocks or a /dev/zero that is read without end fails the test
rather than the machine. The contract for every case: the documented exit code, a message
that names the file (and line where there is one), and no traceback.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

JOURNEYCTL = str(Path(sys.executable).with_name("journeyctl"))
#: Address space, not resident memory: the interpreter, pydantic and libyaml take ~120 MB of it.
MEMORY_LIMIT = 200 * 1024 * 1024
TIMEOUT = 30
MAP = "journeyctl: 1\nid: m\ntitle: M\nstages:\n  - {id: s, name: S}\n"
#: A map that validates and lints clean.
CLEAN_MAP = Path(__file__).resolve().parents[2] / "examples" / "retail-first-online-purchase.yaml"


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``journeyctl ARGS`` under the time and memory bounds, checked for tracebacks."""
    result = subprocess.run(
        [JOURNEYCTL, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=limit_memory,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert "internal error" not in result.stderr, result.stderr
    return result


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A directory with one clean map beside a FIFO and a link to /dev/zero, both *.yaml."""
    (tmp_path / ".git").mkdir()
    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / "good.yaml").write_bytes(CLEAN_MAP.read_bytes())
    os.mkfifo(maps / "fifo.yaml")
    (maps / "zero.yaml").symlink_to("/dev/zero")
    return tmp_path


@pytest.mark.parametrize(
    "command",
    [["validate", "maps"], ["lint", "maps"], ["render", "maps", "-f", "md", "-o", "out"]],
    ids=["validate", "lint", "render"],
)
def test_a_walk_passes_over_fifos_and_devices(hostile: Path, command: list[str]) -> None:
    result = run(*command, cwd=hostile)
    assert result.returncode == 0, result.stderr
    if command[0] == "render":
        assert sorted(os.listdir(hostile / "out")) == [".journeyctl-manifest.json", "good.md"]


@pytest.mark.parametrize("command", ["validate", "lint", "fmt"])
@pytest.mark.parametrize(
    ("name", "kind"), [("fifo.yaml", "is a FIFO (named pipe)"), ("zero.yaml", "is a character device")]
)
def test_a_special_file_named_explicitly_is_exit_2(hostile: Path, command: str, name: str, kind: str) -> None:
    result = run(command, f"maps/{name}", cwd=hostile)
    assert result.returncode == 2
    assert f"maps/{name}: {kind}, not a regular file; journeyctl reads regular files only" in result.stderr


def test_an_include_of_a_fifo_is_a_located_finding(hostile: Path) -> None:
    (hostile / "maps" / "inc.yaml").write_text(MAP.replace("title: M\n", "title: M\ninclude: [fifo.yaml]\n"))
    result = run("validate", "maps/inc.yaml", cwd=hostile)
    assert result.returncode == 1
    assert "maps/inc.yaml:4:11: error: cannot include 'fifo.yaml': is a FIFO (named pipe)" in result.stderr


def test_a_100_mb_file_costs_the_cap_not_its_size(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with open(big, "wb") as handle:
        handle.write(MAP.encode() + b"# " + b"x" * (100 * 1024 * 1024) + b"\n")
    # Before: the whole file was read and then refused (a peak of 230 MB, here a MemoryError,
    # exit 3); now at most the cap plus one byte is read.
    result = run("validate", "big.yaml", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    size = big.stat().st_size
    assert f"big.yaml: error: file is {size:,} bytes, over the 10,485,760-byte limit" in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "journeyctl: 1\nid: bomb\ntitle: &t "
            + "x" * 1_000_000
            + "\nstages:\n"
            + "".join(f"  - {{id: s{i}, name: *t}}\n" for i in range(3_000)),
            "big.yaml:15:21: error: YAML aliases expand this document to 3,001,031,918 characters of text",
        ),
        (
            "x: " + "[" * 100_000 + "]" * 100_000 + "\n",
            "big.yaml:1:1003: error: lists and mappings are nested",
        ),
        ("x: " + "[" * 600 + "]" * 600 + "\n", "big.yaml:1:103: error: lists and mappings are nested"),
        (
            MAP + 'summary: "\\x1b]0;owned\\x07"\n',
            "big.yaml:6:11: error: text holds the character U+001B (ESC",
        ),
        (
            MAP.replace("{id: s, name: S}", "{id: s, name: S, metrics: [{id: m, name: M, value: .nan}]}"),
            "big.yaml:5:56: error: value must be a finite number, not NaN",
        ),
    ],
    ids=["alias-of-a-1-MB-title", "nesting-100000", "nesting-600", "terminal-escape", "nan-metric"],
)
def test_hostile_yaml_is_refused_quickly_and_located(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "big.yaml").write_text(text)
    validated = run("validate", "big.yaml", cwd=tmp_path)
    assert validated.returncode == 1 and expected in validated.stderr
    # lint reports the same error as an invalid-map finding, on stdout.
    linted = run("lint", "big.yaml", cwd=tmp_path)
    line_col = expected.split(": error: ")[0].removeprefix("big.yaml:")
    assert linted.returncode == 1 and f"  {line_col}  error    JM000" in linted.stdout
    rendered = run("render", "big.yaml", "-f", "md", "-o", "out.md", cwd=tmp_path)
    assert rendered.returncode == 2 and expected in rendered.stderr
    assert not (tmp_path / "out.md").exists()
