"""``journeyctl preview`` for real: a subprocess serving over HTTP, edits seen, errors shown, Ctrl-C clean.

The reload script is checked in headless Chromium too: the page must reload by
itself under the preview's Content-Security-Policy (a policy mistake would
block the script without a word).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from journeyctl.loader import load_file
from journeyctl.preview import PREVIEW_CSP, SCRIPT_PATH, PreviewSite
from journeyctl.renderers import html
from tests.conftest import require_tool
from tests.loader.test_loader_cases import BASE

JOURNEYCTL = str(Path(sys.executable).with_name("journeyctl"))
TIMEOUT = 15.0


class Preview:
    """A running ``journeyctl preview`` and a way to ask it for pages."""

    def __init__(self, process: subprocess.Popen[str], port: int, lines: list[str]) -> None:
        self.process = process
        self.port = port
        self.lines = lines

    def get(self, path: str, host: str | None = None) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT + 30)
        try:
            headers = {"Host": host} if host else {}
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode("utf-8")
        finally:
            connection.close()

    def wait_for(self, path: str, condition: Callable[[str], bool]) -> str:
        """The page at ``path`` once ``condition`` holds (rebuilds follow saves by a fraction of a second)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            body = self.get(path)[2]
            if condition(body):
                return body
            if time.monotonic() > deadline:
                raise AssertionError(f"{path} never matched; last body starts {body[:300]!r}")
            time.sleep(0.1)


def start(path: Path, cwd: Path) -> Preview:
    process = subprocess.Popen(
        [JOURNEYCTL, "preview", str(path), "--port", "0"],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    assert process.stdout is not None
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        match = re.search(r"at http://127\.0\.0\.1:(\d+)/", line)
        if match:
            return Preview(process, int(match.group(1)), lines)
    process.kill()
    raise AssertionError("preview did not start: " + "".join(lines))


def stop(preview: Preview) -> tuple[int, str]:
    preview.process.send_signal(signal.SIGINT)
    rest, _ = preview.process.communicate(timeout=TIMEOUT)
    return preview.process.returncode, "".join(preview.lines) + rest


@pytest.fixture
def map_file(tmp_path: Path) -> Path:
    (tmp_path / ".journeyctl.yaml").write_text("preset: recommended\n")
    path = tmp_path / "shop.yaml"
    path.write_text(BASE)
    return path


@pytest.fixture
def preview(map_file: Path) -> Iterator[Preview]:
    running = start(map_file, map_file.parent)
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.communicate()


def title_of(body: str) -> str:
    match = re.search(r"<title>(.*?)</title>", body, re.S)
    assert match, body[:300]
    return match.group(1)


def test_edit_break_fix_and_ctrl_c(preview: Preview, map_file: Path) -> None:
    status, headers, body = preview.get("/")
    assert status == 200
    assert headers["Content-Security-Policy"] == PREVIEW_CSP
    assert f'<script src="{SCRIPT_PATH}" data-version="1"></script>' in body
    assert 'http-equiv="Content-Security-Policy"' not in body  # the header's policy is the one in force
    first_title = title_of(body)
    # A long poll for changes since version 1 is answered when the file changes.
    map_file.write_text(BASE.replace("title: ", "title: Renamed ", 1))
    assert json.loads(preview.get("/_journeyctl/changes?since=1")[2])["version"] >= 2
    body = preview.wait_for("/", lambda b: "Renamed" in title_of(b))
    assert title_of(body) != first_title

    broken = BASE.replace("touchpoints: [site]", "touchpoints: [sight]")
    map_file.write_text(broken)
    body = preview.wait_for("/", lambda b: "journeyctl-errors" in b)
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "[sight]" in text)
    assert re.search(rf"shop\.yaml:{line}:\d+: error: unknown touchpoint &#x27;sight&#x27;", body), body
    assert SCRIPT_PATH in body  # the error page reloads by itself too

    map_file.write_text(BASE)
    body = preview.wait_for("/", lambda b: "journeyctl-errors" not in b)
    assert title_of(body) == first_title

    code, output = stop(preview)
    assert code == 0, output
    assert "Traceback" not in output
    assert output.rstrip().endswith("Preview stopped.")
    assert f"shop.yaml:{line}:" in output  # the terminal said what broke, too


def test_other_hosts_and_unknown_pages_are_refused(preview: Preview) -> None:
    assert preview.get("/", host="attacker.example")[0] == 403
    assert preview.get("/nothing-here.html")[0] == 404
    status, headers, script = preview.get(SCRIPT_PATH)
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert "/_journeyctl/changes" in script


def test_a_directory_is_served_as_a_site_with_broken_maps_listed(tmp_path: Path) -> None:
    (tmp_path / ".journeyctl.yaml").write_text("preset: recommended\n")
    (tmp_path / "retail").mkdir()
    (tmp_path / "retail" / "shop.yaml").write_text(BASE)
    (tmp_path / "other.yaml").write_text(
        BASE.replace("id: ", "id: other-", 1).replace("title: ", "title: Other ", 1)
    )
    running = start(tmp_path, tmp_path)
    try:
        index = running.get("/")[2]
        assert 'href="retail/shop.html"' in index and 'href="other.html"' in index
        assert running.get("/retail/shop.html")[0] == 200
        # The portfolio pages the index links to are served too.
        for page in (
            "/findings/retail/shop.html",
            "/portfolio/opportunities.html",
            "/portfolio/insights.html",
        ):
            assert running.get(page)[0] == 200, page
        (tmp_path / "other.yaml").write_text("journeyctl: 1\nid: other\n")
        index = running.wait_for("/", lambda b: "journeyctl-errors" in b)
        assert "1 map not loading" in index and 'href="other.html"' in index
        assert "title" in running.wait_for("/other.html", lambda b: "does not load" in b)
    finally:
        code, output = stop(running)
    assert code == 0 and "Traceback" not in output


def test_a_taken_port_and_a_missing_path_exit_2(map_file: Path) -> None:
    missing = subprocess.run(
        [JOURNEYCTL, "preview", str(map_file.parent / "nope.yaml")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert missing.returncode == 2 and "nope.yaml: no such file or directory" in missing.stderr
    running = start(map_file, map_file.parent)
    try:
        clash = subprocess.run(
            [JOURNEYCTL, "preview", str(map_file), "--port", str(running.port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    finally:
        stop(running)
    assert clash.returncode == 2
    assert f"cannot serve on 127.0.0.1:{running.port}" in clash.stderr and "Traceback" not in clash.stderr


def test_saved_html_keeps_its_strict_policy_and_no_script(map_file: Path) -> None:
    saved = html.render(load_file(map_file), html.Options()).decode("utf-8")
    assert "<script" not in saved and 'http-equiv="Content-Security-Policy"' in saved
    site = PreviewSite(str(map_file), max_size=None)
    site.rebuild()
    assert site.pages["/"].decode("utf-8") == saved  # the preview renders what `render` saves
    served = site.response("/")
    assert served is not None and b"<script" in served[0]


@pytest.mark.browser
def test_the_browser_reloads_by_itself(preview: Preview, map_file: Path) -> None:
    executable = require_tool("chromium", shutil.which("chromium") or shutil.which("chromium-browser"))
    from playwright.sync_api import sync_playwright

    from tests.renderers.conftest import CHROMIUM_ARGS

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            violations: list[str] = []
            page.on(
                "console",
                lambda message: violations.append(message.text) if message.type == "error" else None,
            )
            page.goto(f"http://127.0.0.1:{preview.port}/")
            first = page.title()
            page.wait_for_timeout(300)  # the script's first long poll is open
            map_file.write_text(BASE.replace("title: ", "title: Live ", 1))
            # Polled from here: the preview's policy forbids the eval that wait_for_function uses.
            deadline = time.monotonic() + TIMEOUT
            while "Live" not in page.title() and time.monotonic() < deadline:
                page.wait_for_timeout(100)
            assert "Live" in page.title() and page.title() != first
            assert violations == []
        finally:
            browser.close()
    assert stop(preview)[0] == 0


if os.name == "nt":  # pragma: no cover - SIGINT to a child is a POSIX affair
    pytestmark = pytest.mark.skip("needs POSIX signals")
