"""The one Chromium that the renderers' browser tests (html, site, slide) share."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import require_tool

#: The system Chromium, headless; a browser download (playwright install) is not possible here.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium for the module: starting it costs about a second."""
    executable = require_tool("chromium", shutil.which("chromium") or shutil.which("chromium-browser"))
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_tool("the playwright Python package (pip install playwright)", None)
        raise
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
