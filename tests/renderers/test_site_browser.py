"""The site's own pages in real headless Chromium: they load offline, ask for nothing, run nothing, read well.

Screenshots of the index and the opportunity matrix go to test-output/screenshots/ for a reviewer.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from journeyctl.cli import run
from tests.conftest import EXAMPLES, ROOT
from tests.renderers.test_html import XSS
from tests.renderers.test_html_browser import DESKTOP, PHONE, Visit
from tests.renderers.test_site import CROSS_PAGES

pytestmark = pytest.mark.browser

#: For every element with text of its own: its colour, and the first opaque background behind it.
TEXT_COLOURS = """
() => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(',').map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.closest('svg')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    let bg = null;
    for (let node = el; node; node = node.parentElement) {
      const c = parse(getComputedStyle(node).backgroundColor);
      if (c && c.a > 0.99) { bg = c; break; }
      if (c && c.a > 0) { bg = null; break; }  // a translucent layer: measured by hand, not here
    }
    if (!bg) bg = {r: 255, g: 255, b: 255, a: 1};
    const fg = parse(style.color);
    found.push({text: el.textContent.trim().slice(0, 40), fg, bg, opacity: style.opacity});
  }
  return found;
}
"""


def luminance(colour: dict[str, float]) -> float:
    channels = [colour[k] / 255 for k in ("r", "g", "b")]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: dict[str, float], second: dict[str, float]) -> float:
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of examples/ plus the XSS map, which puts payloads in every field the site shows."""
    root = tmp_path_factory.mktemp("site")
    maps = root / "maps"
    shutil.copytree(EXAMPLES, maps)
    shutil.copy(XSS, maps / "hostile.yaml")
    out = root / "site"
    assert run(["render", str(maps), "--format", "html", "-o", str(out), "-q"]) == 0
    return out


PAGES = ["index.html", *CROSS_PAGES, "findings/hostile.html", "findings/bank-card-fraud-support.html"]


@pytest.mark.parametrize("page", PAGES)
def test_site_page_loads_offline_runs_nothing_and_reads_well(
    browser: Any, built_site: Path, page: str
) -> None:
    visit = Visit(browser, built_site / page)
    try:
        assert visit.requests == [visit.url], "the page fetched something besides itself"
        assert visit.console_errors == [] and visit.page_errors == [] and visit.dialogs == []
        assert visit.evaluate("document.scripts.length") == 0
        assert visit.evaluate("typeof window.__xss") == "undefined"
        low = []
        measured = visit.evaluate(TEXT_COLOURS)
        assert len(measured) > 20  # the walk found the page's text
        for item in measured:
            if item["fg"] is None or float(item["opacity"]) < 1:
                continue
            ratio = contrast(item["fg"], item["bg"])
            if ratio < 4.5:
                low.append((item["text"], round(ratio, 2)))
        assert low == [], f"text below WCAG AA 4.5:1 on {page}: {low[:5]}"
        # On a phone the page itself does not scroll sideways: wide tables scroll in their own box.
        visit.page.set_viewport_size(PHONE)
        assert visit.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page
    finally:
        visit.close()


def test_index_and_matrix_are_photographed_and_link_to_loading_pages(browser: Any, built_site: Path) -> None:
    shots = ROOT / "test-output" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    index = Visit(browser, built_site / "index.html", {"width": 1440, "height": 900})
    try:
        index.page.screenshot(path=str(shots / "site-index.png"), full_page=True)
        links = index.evaluate("Array.from(document.querySelectorAll('a[data-map]')).map(a => a.href)")
        assert len(links) == 6
        for link in links:
            response = index.page.goto(link)
            assert response is not None and response.ok, link
            # A map page: its canvas is there (the page may print it in several tables).
            assert index.evaluate("document.querySelectorAll('.canvas table').length") >= 1
        assert index.console_errors == [] and index.page_errors == []
    finally:
        index.close()
    matrix = Visit(browser, built_site / "portfolio" / "opportunities.html", DESKTOP)
    try:
        matrix.page.screenshot(path=str(shots / "site-opportunities.png"), full_page=True)
        # Nine cells, every one inside the page's width at 1440 px.
        cells = matrix.evaluate(
            "Array.from(document.querySelectorAll('.matrix td.cell'))"
            ".map(c => c.getBoundingClientRect().right)"
        )
        assert len(cells) == 9 and max(cells) <= DESKTOP["width"]
    finally:
        matrix.close()
