"""Shared fixtures: paths, golden-file updates, and external tools that CI must have."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


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
