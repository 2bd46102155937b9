"""The site index: ``journeyctl render DIR --format html -o SITE`` writes index.html linking every page."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from journeyctl.cli import run
from journeyctl.config import load_lint_config
from journeyctl.lint.engine import lint_map
from journeyctl.loader import load_file
from journeyctl.renderers import site
from tests.renderers.test_html import CANVAS, XSS, Elements, parse

SHARED = """\
journeyctl-shared: 1
personas:
  - id: shared-person
    name: Shared person
    goals: [Be shared]
"""
NOT_A_MAP = "name: ci\non: [push]\n"


@pytest.fixture
def maps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory of maps: two at the top, one nested, a shared file and a CI file to skip."""
    monkeypatch.chdir(tmp_path)  # no project lint configuration: the recommended preset
    root = tmp_path / "maps"
    (root / "support team").mkdir(parents=True)
    shutil.copy(CANVAS, root / "repair.yaml")
    shutil.copy(XSS, root / "support team" / "hostile.yaml")
    (root / "zz-minimal.yml").write_text(
        "journeyctl: 1\nid: minimal\ntitle: Minimal map\nstages:\n"
        "  - id: only\n    name: Only\n    steps:\n      - id: s\n        action: Act\n",
        encoding="utf-8",
    )
    (root / "shared.yaml").write_text(SHARED, encoding="utf-8")
    (root / "ci.yaml").write_text(NOT_A_MAP, encoding="utf-8")
    return root


def rows(document: Elements) -> list[dict[str, str | None]]:
    return [attrs for tag, attrs in document.tags if tag == "a"]


def expected_counts(path: Path) -> dict[str, int]:
    counts = dict.fromkeys(site.SEVERITIES, 0)
    for finding in lint_map(load_file(path), load_lint_config(isolated=True)):
        counts[finding.severity] += 1
    return counts


def test_render_directory_writes_an_index_linking_every_page(
    maps: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    assert run(["render", str(maps), "--format", "html", "-o", str(out)]) == 0
    assert "Rendered 3 maps" in capsys.readouterr().err
    index = (out / "index.html").read_text(encoding="utf-8")
    document = parse(index)
    hrefs = [attrs["href"] for attrs in rows(document)]
    # Sorted by title: the hostile map's title starts with "<".
    assert hrefs == ["support%20team/hostile.html", "repair.html", "zz-minimal.html"]
    for href in hrefs:
        assert href is not None
        target = out / href.replace("%20", " ")
        assert target.is_file(), href
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.html")) == [
        "index.html",
        "repair.html",
        "support team/hostile.html",
        "zz-minimal.html",
    ]
    text = "".join(document.text)
    assert "Booking a washing-machine repair" in text and "Minimal map" in text
    assert "2026-10-14" in text and "Service Design Guild" in text
    assert "improves on some-current-map" in text  # the future-state map's baseline


def test_index_rows_show_state_stages_and_lint_counts(maps: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run(["render", str(maps), "--format", "html", "-o", str(out), "-q"]) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    body = index[index.index("<tbody>") : index.index("</tbody>")]
    cells = [row for row in body.split("<tr>")[1:]]
    assert len(cells) == 3
    sources = [maps / "support team" / "hostile.yaml", maps / "repair.yaml", maps / "zz-minimal.yml"]
    stage_counts = ["1", "4", "1"]
    states = ["Future", "Current", "Current"]
    for row, source, stages, state in zip(cells, sources, stage_counts, states, strict=True):
        counts = expected_counts(source)
        assert f'<td class="num">{stages}<span class="meta">' in row
        assert f"<td>{state}" in row
        for severity, plural in (("error", "errors"), ("warning", "warnings"), ("info", "info")):
            n = counts[severity]
            word = severity if n == 1 else plural
            assert f'{n} <span class="count-word">{word}</span>' in row, (source.name, severity)
    # The minimal map lacks nearly everything the rules look for: it must show findings.
    assert sum(expected_counts(sources[2]).values()) > 0
    totals = {s: sum(expected_counts(p)[s] for p in sources) for s in site.SEVERITIES}
    assert f"3 maps · {totals['error']} error" in index


def test_index_escapes_map_text_and_fetches_nothing(maps: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run(["render", str(maps), "--format", "html", "-o", str(out), "-q"]) == 0
    document = parse((out / "index.html").read_text(encoding="utf-8"))
    assert [tag for tag, _ in document.tags if tag in ("script", "img", "svg", "iframe", "link")] == []
    for _, attrs in document.tags:
        assert not any(name.startswith("on") for name in attrs)
    assert "<script>window.__xss=1;alert(1)</script>" in "".join(document.text)


def test_one_file_renders_without_an_index(maps: Path, tmp_path: Path) -> None:
    out = tmp_path / "single"
    out.mkdir()
    assert run(["render", str(maps / "repair.yaml"), "--format", "html", "-o", str(out), "-q"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["repair.html"]


def test_other_formats_write_no_index(maps: Path, tmp_path: Path) -> None:
    out = tmp_path / "md"
    assert run(["render", str(maps), "--format", "md", "-o", str(out), "-q"]) == 0
    assert not (out / "index.html").exists() and not (out / "index.md").exists()


def test_a_map_named_index_fails_before_anything_is_written(
    maps: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(CANVAS, maps / "index.yaml")
    out = tmp_path / "site"
    assert run(["render", str(maps), "--format", "html", "-o", str(out)]) == 2
    assert "which is the site index" in capsys.readouterr().err
    assert not out.exists() or list(out.rglob("*")) == []


def test_index_is_byte_identical_across_runs(maps: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert run(["render", str(maps), "--format", "html", "-o", str(first), "-q"]) == 0
    assert run(["render", str(maps), "--format", "html", "-o", str(second), "-q"]) == 0
    assert (first / "index.html").read_bytes() == (second / "index.html").read_bytes()


@pytest.mark.parametrize(
    ("page", "directory", "href"),
    [
        ("site/a.html", "site", "a.html"),
        ("site/team/b.html", "site", "team/b.html"),
        ("site/support team/c.html", "site", "support%20team/c.html"),
        ("site/équipe/d#1?.html", "site", "%C3%A9quipe/d%231%3F.html"),
        ("/abs/site/x/y.html", "/abs/site", "x/y.html"),
    ],
)
def test_page_hrefs_are_relative_and_encoded(page: str, directory: str, href: str) -> None:
    assert site.page_href(page, directory) == href


def test_library_write_index_with_an_explicit_config(tmp_path: Path) -> None:
    loaded = load_file(CANVAS)
    config = load_lint_config(isolated=True)
    path = site.write_index(
        [(loaded, tmp_path / "maps" / "repair.html")], tmp_path, config=config, title="Our journeys"
    )
    assert path == tmp_path / "index.html"
    text = path.read_text(encoding="utf-8")
    assert "<title>Our journeys</title>" in text and 'href="maps/repair.html"' in text
    counts = expected_counts(CANVAS)
    entry = site.build_index([(loaded, tmp_path / "r.html")], tmp_path, config=config).entries[0]
    assert entry.counts == counts and entry.findings == sum(counts.values())
    assert (entry.stages, entry.steps, entry.state) == (4, 6, "current")


@pytest.mark.browser
def test_index_in_chromium_links_to_pages_that_load(
    maps: Path, tmp_path: Path, test_output_dir: Path
) -> None:
    from tests.conftest import require_tool
    from tests.renderers.test_html_browser import CHROMIUM_ARGS, Visit

    executable = require_tool("chromium", shutil.which("chromium") or shutil.which("chromium-browser"))
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_tool("the playwright Python package (pip install playwright)", None)
        raise
    out = tmp_path / "site"
    assert run(["render", str(maps), "--format", "html", "-o", str(out), "-q"]) == 0
    with sync_playwright() as playwright:
        browser: Any = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            index = Visit(browser, out / "index.html")
            assert index.console_errors == [] and index.requests == [index.url]
            shots = test_output_dir / "screenshots"
            shots.mkdir(parents=True, exist_ok=True)
            index.page.screenshot(path=str(shots / "site-index.png"), full_page=True)
            links = index.evaluate("Array.from(document.querySelectorAll('tbody a')).map(a => a.href)")
            assert len(links) == 3
            for link in links:
                response = index.page.goto(link)
                assert response is not None and response.ok, link
                assert index.evaluate("document.querySelectorAll('.canvas table').length") == 1
            assert index.dialogs == [] and index.page_errors == []
            index.close()
        finally:
            browser.close()
