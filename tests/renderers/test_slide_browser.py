"""The slide SVG in real headless Chromium: every text inside its box and clear of every other text.

The renderer measures text with DejaVu Sans's advance widths; here the browser
lays the same SVG out with the real font (kerning and all) and the element
boxes are compared, so a wrong table or a layout slip fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from journeyctl.loader import load_bytes
from journeyctl.renderers import svg
from tests.renderers.rendercases import CHECKOUT, FIDELITY, HOSTILE, case_id, example_maps, load
from tests.renderers.test_graphviz import big_map

pytestmark = pytest.mark.browser

#: For each stage heading and lane cell: texts outside its rectangle. Then texts whose boxes overlap.
MEASURE = """() => {
  const boxes = [];
  const outside = [];
  for (const group of document.querySelectorAll('g.cell, g.stage')) {
    const frame = group.querySelector('rect').getBBox();
    for (const text of group.querySelectorAll('text')) {
      const box = text.getBBox();
      if (box.x < frame.x - 0.5 || box.x + box.width > frame.x + frame.width + 0.5
          || box.y < frame.y - 0.5 || box.y + box.height > frame.y + frame.height + 0.5) {
        outside.push(text.textContent);
      }
    }
  }
  const slide = document.documentElement.getBBox();
  for (const text of document.querySelectorAll('text')) {
    const box = text.getBBox();
    if (box.x < -0.5 || box.y < -0.5 || box.x + box.width > 1920.5 || box.y + box.height > 1080.5) {
      outside.push('off the slide: ' + text.textContent);
    }
    boxes.push([box.x, box.y, box.x + box.width, box.y + box.height, text.textContent]);
  }
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      const dx = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
      const dy = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
      if (dx > 0.5 && dy > 0.5) overlaps.push(a[4] + ' <> ' + b[4]);
    }
  }
  return {outside, overlaps, texts: boxes.length, width: slide.width};
}"""


def slides() -> Iterator[Any]:
    for path in [CHECKOUT, HOSTILE, FIDELITY, *example_maps()]:
        yield pytest.param(path, "", None, id=case_id(path))
    big = big_map(14, steps=6)
    for page in (1, 2):
        yield pytest.param(big, "big.yaml", page, id=f"14-stages-slide-{page}")
    yield pytest.param(big_map(50, steps=2), "big.yaml", 1, id="50-stages-overview")


@pytest.mark.parametrize(("source", "name", "page"), list(slides()))
def test_no_text_leaves_its_box_or_overlaps_another(
    browser: Any, tmp_path: Path, source: Path | bytes, name: str, page: int | None
) -> None:
    loaded = load(source) if isinstance(source, Path) else load_bytes(source, name)
    target = tmp_path / "slide.svg"
    target.write_bytes(svg.render(loaded, svg.Options(page=page)))
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        view = context.new_page()
        view.goto(target.resolve().as_uri())
        result = view.evaluate(MEASURE)
    finally:
        context.close()
    assert result["texts"] > 10
    assert result["outside"] == []
    assert result["overlaps"] == []
