"""Shared fixtures: paths, golden-file updates, and external tools that CI must have."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

# Tests lint the same maps under changing conditions (a replaced clock, edited
# rules); the lint cache would carry findings between them. The cache's own
# tests turn it back on, in a directory of their own (tests/lint/test_cache.py).
os.environ["JOURNEYCTL_NO_CACHE"] = "1"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Rewrite golden files from the current output (review the diff by eye).",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def require_tool(name: str, path: str | None) -> str:
    """The tool's path; fail (in CI) or skip (elsewhere) when it is missing.

    ``scripts/test.sh`` sets JOURNEYCTL_REQUIRE_TOOLS=1, so CI never skips a test
    that needs Graphviz, Chromium or Node: it fails instead.
    """
    if path:
        return path
    message = f"{name} is not installed (scripts/setup.sh installs it)"
    if os.environ.get("JOURNEYCTL_REQUIRE_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def dot_binary() -> str:
    return require_tool("Graphviz dot", shutil.which("dot"))


@pytest.fixture
def chromium_binary() -> str:
    return require_tool("chromium", shutil.which("chromium") or shutil.which("chromium-browser"))


@pytest.fixture
def node_binary() -> str:
    return require_tool("node", shutil.which("node"))


@pytest.fixture
def test_output_dir() -> Path:
    """A directory kept after the run (screenshots and such for a reviewer): test-output/."""
    out = ROOT / "test-output"
    out.mkdir(exist_ok=True)
    return out


@pytest.fixture
def read_only_directory(tmp_path: Path) -> Iterator[Path]:
    """``tmp_path/locked`` holding a writable ``out.md``, but itself not writable, even for root.

    Permission bits do not stop root, so as root the directory is made immutable
    (``chattr +i``, which needs CAP_LINUX_IMMUTABLE); otherwise it is chmod 0555.
    """
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "out.md").write_bytes(b"old\n")
    os.chmod(locked / "out.md", 0o666)
    if os.geteuid() == 0:
        chattr = require_tool("chattr", shutil.which("chattr"))
        made = subprocess.run([chattr, "+i", str(locked)], capture_output=True, text=True, check=False)
        if made.returncode != 0:
            pytest.fail(f"chattr +i failed (is CAP_LINUX_IMMUTABLE missing?): {made.stderr.strip()}")
        try:
            yield locked
        finally:
            subprocess.run([chattr, "-i", str(locked)], check=True)
    else:
        locked.chmod(0o555)
        try:
            yield locked
        finally:
            locked.chmod(0o755)
