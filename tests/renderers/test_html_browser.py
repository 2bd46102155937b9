"""The HTML page in real headless Chromium (Debian's /usr/bin/chromium driven by the playwright package).

Never ``playwright install``: the system Chromium is launched by path. Screenshots
(desktop and phone) and a print PDF of every page go to
``test-output/screenshots/`` for a reviewer to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from journeyctl.loader import load_file
from journeyctl.renderers import html
from tests.conftest import EXAMPLES, ROOT
from tests.renderers.test_html import CANVAS, FIDELITY, XSS, example_maps

pytestmark = pytest.mark.browser

PAGES = [CANVAS, XSS, FIDELITY, *example_maps()]
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def screenshots() -> Path:
    out = ROOT / "test-output" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    return out


class Visit:
    """A page opened from a file:// URL, with everything it asked for or complained about."""

    def __init__(self, browser: Any, path: Path, viewport: dict[str, int] = DESKTOP) -> None:
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.url = path.resolve().as_uri()
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on(
            "console",
            lambda m: self.console_errors.append(m.text) if m.type in ("error", "warning") else None,
        )
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.page.on("dialog", self._dialog)
        self.page.goto(self.url, wait_until="load")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def evaluate(self, script: str) -> Any:
        return self.page.evaluate(script)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any) -> Iterator[Any]:
    opened: list[Visit] = []

    def open_page(path: Path, viewport: dict[str, int] = DESKTOP) -> Visit:
        opened.append(Visit(browser, path, viewport))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()


def write_page(source: Path, directory: Path) -> Path:
    target = directory / f"{source.stem}.html"
    target.write_bytes(html.render(load_file(source), html.Options()))
    return target


# --- loads cleanly, fetches nothing; screenshots for review ------------------------------------


@pytest.mark.parametrize("source", PAGES, ids=lambda p: p.stem)
def test_page_loads_cleanly_offline_and_is_photographed(
    source: Path, visit: Any, tmp_path: Path, screenshots: Path
) -> None:
    page_file = write_page(source, tmp_path)
    desktop = visit(page_file)
    assert desktop.requests == [desktop.url], "the page fetched something besides itself"
    assert desktop.console_errors == [] and desktop.page_errors == []
    assert desktop.evaluate("document.scripts.length") == 0
    title = load_file(source).journey.title
    assert desktop.evaluate("document.querySelector('h1').textContent") == title
    desktop.page.screenshot(path=str(screenshots / f"{source.stem}.png"), full_page=True)
    # The whole canvas at its natural width, unscrolled, as it would hang on a wall.
    wide = desktop.evaluate("document.querySelector('.canvas table').scrollWidth") + 100
    desktop.page.set_viewport_size({"width": max(wide, DESKTOP["width"]), "height": DESKTOP["height"]})
    assert desktop.evaluate(
        "(() => { const c = document.querySelector('.canvas'); return c.scrollWidth <= c.clientWidth; })()"
    )
    desktop.page.screenshot(path=str(screenshots / f"{source.stem}-wide.png"), full_page=True)

    phone = visit(page_file, PHONE)
    assert phone.console_errors == [] and phone.requests == [phone.url]
    # On a phone the page itself does not scroll sideways: only the canvas does, inside its box.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    canvas = phone.evaluate(
        "(() => { const c = document.querySelector('.canvas'); return [c.scrollWidth, c.clientWidth]; })()"
    )
    assert canvas[0] >= canvas[1]
    phone.page.screenshot(path=str(screenshots / f"{source.stem}-phone.png"), full_page=True)

    desktop.page.emulate_media(media="print")
    desktop.page.pdf(
        path=str(screenshots / f"{source.stem}-print.pdf"), landscape=True, print_background=True
    )


# --- the emotion curve ---------------------------------------------------------------------------

POINTS_SCRIPT = """
Array.from(document.querySelectorAll('.canvas:not(.print-part) circle.point')).map(point => {
  const box = point.getBoundingClientRect();
  const cell = document.getElementById('step-' + point.dataset.step).parentElement.getBoundingClientRect();
  return {
    step: point.dataset.step,
    emotion: Number(point.dataset.emotion),
    cy: point.cy.baseVal.value,
    centreX: box.left + box.width / 2,
    centreY: box.top + box.height / 2,
    stepCentreX: cell.left + cell.width / 2,
  };
})
"""


@pytest.mark.parametrize("source", PAGES, ids=lambda p: p.stem)
def test_curve_points_sit_at_their_scores_and_under_their_steps(
    source: Path, visit: Any, tmp_path: Path
) -> None:
    from journeyctl.model.emotion import step_score

    journey = load_file(source).journey
    # A step's point is its score, or the mean of its personas' own (model.emotion); unscored: none.
    # With several personas the main line is their lines' markers (tested below): points are the
    # branch steps'.
    several = len(journey.personas) > 1
    scored = {
        step.id: step_score(step)
        for _, step in journey.iter_steps()
        if step_score(step) is not None and (step.is_branch or not several)
    }
    page = visit(write_page(source, tmp_path))
    points = page.evaluate(POINTS_SCRIPT)
    assert {p["step"]: p["emotion"] for p in points} == scored
    if not points:
        return
    top = min(p["centreY"] - p["cy"] for p in points)
    for point in points:
        assert point["cy"] == pytest.approx(
            html.CURVE_PADDING + (2 - point["emotion"]) * html.LEVEL_HEIGHT, abs=0.01
        )
        # The drawn position (not only the attribute) matches the score...
        expected_y = top + html.curve_y(point["emotion"])
        assert point["centreY"] == pytest.approx(expected_y, abs=1), point
        # ...and the point is under its step's column in the doing lane.
        assert point["centreX"] == pytest.approx(point["stepCentreX"], abs=3), point


def test_scale_labels_line_up_with_the_curve_levels(visit: Any, tmp_path: Path) -> None:
    page = visit(write_page(CANVAS, tmp_path))
    offsets = page.evaluate("""
      (() => {
        const first = document.querySelector('svg.curve');
        const svg = first.getBoundingClientRect();
        const lines = Array.from(first.querySelectorAll('line.level'))
          .map(l => svg.top + l.y1.baseVal.value);
        const labels = Array.from(document.querySelector('.scale').querySelectorAll('li'))
          .map(li => { const r = li.getBoundingClientRect(); return r.top + r.height / 2; });
        return [lines, labels];
      })()
    """)
    lines, labels = offsets
    assert len(lines) == len(labels) == 5
    for line, label in zip(lines, labels, strict=True):
        assert label == pytest.approx(line, abs=2)


# --- XSS: nothing executes ---------------------------------------------------------------------

EXECUTION_PROBE = """
(() => ({
  flag: typeof window.__xss === 'undefined' ? null : window.__xss,
  scripts: document.querySelectorAll('script').length,
  handlers: Array.from(document.querySelectorAll('*')).flatMap(
    element => Array.from(element.attributes)
      .filter(a => a.name.startsWith('on'))
      .map(a => element.tagName + '@' + a.name)
  ),
  payloadTexts: document.body.textContent.split('<script>window.__xss=1').length - 1,
}))()
"""


def provoke_every_element(page: Any) -> None:
    """Fire mouse and focus events at every element, so an injected onmouseover/onfocus would run."""
    page.evaluate("""
      for (const element of document.querySelectorAll('*')) {
        for (const type of ['mouseover', 'mouseenter', 'focus', 'click']) {
          element.dispatchEvent(new Event(type, {bubbles: true}));
        }
      }
    """)
    page.page.mouse.move(200, 200)


@pytest.mark.parametrize("with_csp", [True, False], ids=["with-csp", "escaping-alone"])
def test_xss_payloads_never_execute(with_csp: bool, visit: Any, tmp_path: Path) -> None:
    text = html.render(load_file(XSS), html.Options()).decode("utf-8")
    if not with_csp:
        # Take away the Content-Security-Policy: escaping alone must hold.
        text, removed = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
        assert removed == 1
    page_file = tmp_path / "xss.html"
    page_file.write_text(text, encoding="utf-8")
    page = visit(page_file)
    provoke_every_element(page)
    probe = page.evaluate(EXECUTION_PROBE)
    assert page.dialogs == []
    assert probe["flag"] is None
    assert probe["scripts"] == 0 and probe["handlers"] == []
    assert probe["payloadTexts"] >= 30  # the payloads are on the page, as text
    assert page.page_errors == [] and page.console_errors == []
    assert page.requests == [page.url]


def test_the_execution_probe_catches_an_unescaped_payload(visit: Any, tmp_path: Path) -> None:
    """Control: the same checks do fire when a payload reaches the page unescaped."""
    text = html.render(load_file(XSS), html.Options()).decode("utf-8")
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
    text = text.replace(
        "<main>",
        '<main><img src=x onerror="window.__xss=2;alert(2)"><b onmouseover="window.__hover=1">b</b>',
        1,
    )
    page_file = tmp_path / "broken.html"
    page_file.write_text(text, encoding="utf-8")
    page = visit(page_file)
    page.page.wait_for_function("typeof window.__xss !== 'undefined'", timeout=5000)
    provoke_every_element(page)
    probe = page.evaluate(EXECUTION_PROBE)
    assert probe["flag"] == 2 and page.dialogs == ["2"]
    assert page.evaluate("window.__hover") == 1
    assert probe["handlers"] == ["IMG@onerror", "B@onmouseover"]


# --- contrast as rendered ------------------------------------------------------------------------

CONTRAST_SCRIPT = """
(() => {
  const parse = c => {
    const m = c.match(/[\\d.]+/g).map(Number);
    return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];
  };
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const background = element => {
    for (let e = element; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) return c;
    }
    return [255, 255, 255, 1];
  };
  const failures = [];
  let checked = 0;
  for (const element of document.querySelectorAll('body *')) {
    if (element.closest('.sr-only, svg')) continue;
    const own = Array.from(element.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const style = getComputedStyle(element);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const needed = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    const r = ratio(parse(style.color), background(element));
    checked++;
    if (r < needed) failures.push(element.tagName + '.' + element.className + ': ' + r.toFixed(2));
  }
  for (const label of document.querySelectorAll('text.point-label')) {
    const circle = label.previousElementSibling;
    const r = ratio(parse(getComputedStyle(label).fill), parse(getComputedStyle(circle).fill));
    checked++;
    if (r < 4.5) failures.push('point label: ' + r.toFixed(2));
  }
  return {checked, failures};
})()
"""


@pytest.mark.parametrize("media", ["screen", "print"])
def test_every_text_on_the_page_reaches_wcag_aa(media: str, visit: Any, tmp_path: Path) -> None:
    page = visit(write_page(CANVAS, tmp_path))
    page.page.emulate_media(media=media)
    result = page.evaluate(CONTRAST_SCRIPT)
    assert result["checked"] > 100
    assert result["failures"] == []


# --- print -------------------------------------------------------------------------------------


def test_print_fits_the_canvas_to_a_landscape_page(visit: Any, tmp_path: Path) -> None:
    # A4 landscape is 297 mm wide; less 2 x 8 mm margins, that is about 1062 CSS px.
    page = visit(write_page(CANVAS, tmp_path), {"width": 1062, "height": 733})
    page.page.emulate_media(media="print")
    widths = page.evaluate(
        "(() => { const t = document.querySelector('.canvas table'); "
        "return [t.getBoundingClientRect().width, document.documentElement.scrollWidth]; })()"
    )
    assert widths[0] <= 1062 and widths[1] <= 1062
    pdf = page.page.pdf(landscape=True, print_background=True, prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    # The header and the overview (with the persona cards) first, the canvas next (whole: this map
    # fits one page), then the insights and the legend.
    assert pages == 3


# --- persona lines, measured in the page ---------------------------------------------------------

LINES_SCRIPT = """
(() => {
  const marks = [];
  for (const group of document.querySelectorAll('.canvas:not(.print-part) td.curve-cell g.emotion-line')) {
    const svg = group.ownerSVGElement.getBoundingClientRect();
    const shift = group.transform.baseVal.length ? group.transform.baseVal[0].matrix.e : 0;
    for (const marker of group.querySelectorAll('use.marker')) {
      const box = marker.getBoundingClientRect();
      const action = document.getElementById('step-' + marker.dataset.step);
      const cell = action.parentElement.getBoundingClientRect();
      marks.push({
        persona: group.dataset.persona, step: marker.dataset.step, emotion: Number(marker.dataset.emotion),
        x: box.left + box.width / 2 - shift, y: box.top + box.height / 2, stepX: cell.left + cell.width / 2,
        top: svg.top,
      });
    }
  }
  const ends = [];
  for (const group of document.querySelectorAll('.canvas:not(.print-part) td.curve-cell g.emotion-line')) {
    const svg = group.ownerSVGElement.getBoundingClientRect();
    for (const line of group.querySelectorAll('line.segment')) {
      for (const [x, y] of [[line.x1, line.y1], [line.x2, line.y2]]) {
        ends.push({persona: group.dataset.persona,
                   x: svg.left + x.baseVal.value, y: svg.top + y.baseVal.value,
                   left: svg.left, right: svg.right});
      }
    }
  }
  return {marks, ends};
})()
"""

TWO_PERSONA_PAGES = [
    CANVAS,
    EXAMPLES / "bank-card-fraud-support.yaml",
    EXAMPLES / "saas-trial-to-onboarding.yaml",
]


@pytest.mark.parametrize("source", TWO_PERSONA_PAGES, ids=lambda p: p.stem)
def test_each_persona_line_passes_only_through_its_own_steps(
    source: Path, visit: Any, tmp_path: Path
) -> None:
    from journeyctl.renderers.emotion_lines import emotion_lines

    journey = load_file(source).journey
    expected = {
        (line.persona, point.step_id, point.score)
        for line in emotion_lines(journey)
        for point in line.points
        if point.score is not None
    }
    page = visit(write_page(source, tmp_path))
    found = page.evaluate(LINES_SCRIPT)
    marks, ends = found["marks"], found["ends"]
    # Every scored step of every persona, and nothing else: no line takes another persona's step.
    assert {(m["persona"], m["step"], m["emotion"]) for m in marks} == expected
    for mark in marks:
        assert mark["x"] == pytest.approx(mark["stepX"], abs=1), mark  # under its own step's column
        assert mark["y"] == pytest.approx(mark["top"] + html.curve_y(mark["emotion"]), abs=1), mark
    # The line bends only at its persona's markers: every segment end is one, or a cell edge it crosses.
    at_marks = {(m["persona"], round(m["x"]), round(m["y"])) for m in marks}
    for end in ends:
        on_edge = abs(end["x"] - end["left"]) < 0.6 or abs(end["x"] - end["right"]) < 0.6
        near = any(
            persona == end["persona"] and abs(x - end["x"]) <= 1.5 and abs(y - end["y"]) <= 1.5
            for persona, x, y in at_marks
        )
        assert on_edge or near, end


# --- the overview fits the width ---------------------------------------------------------------


def twenty_stage_map(directory: Path) -> Path:
    """A 20-stage map with two personas, pain points of every severity, and long stage names."""
    stages = []
    severities = ["critical", "high", "medium", "low", None]
    for number in range(1, 21):
        persona = "ann" if number % 2 else "bob"
        severity = severities[number % 5]
        rated = f"\n        severity: {severity}" if severity else ""
        stages.append(
            f"""  - id: stage-{number}
    name: Stage {number} with a rather long name, Reconciliation
    steps:
      - id: step-{number}-a
        action: Does the first thing of stage {number}
        persona: {persona}
        emotion: {(number % 5) - 2}
        moment-of-truth: {"true" if number % 4 == 0 else "false"}
      - id: step-{number}-b
        action: Does the second thing
        emotion: {((number + 2) % 5) - 2}
    pain-points:
      - id: pain-{number}
        description: Something hurts in stage {number}{rated}
"""
        )
    text = (
        "journeyctl: 1\nid: twenty\ntitle: Twenty stages\n"
        "personas:\n  - {id: ann, name: Ann}\n  - {id: bob, name: Bob}\nstages:\n" + "".join(stages)
    )
    path = directory / "twenty.yaml"
    path.write_text(text, encoding="utf-8")
    return path


OVERVIEW_FIT_SCRIPT = """
(() => {
  const map = document.querySelector('.overview-map').getBoundingClientRect();
  const outside = Array.from(document.querySelectorAll('.ov-grid > *, .ov-grid .badge, .ov-lines'))
    .filter(e => {
      const r = e.getBoundingClientRect();
      return r.left < map.left - 0.5 || r.right > map.right + 0.5;
    })
    .map(e => e.className.baseVal !== undefined ? e.className.baseVal : e.className);
  const stages = Array.from(document.querySelectorAll('.ov-stage')).map(e => e.getBoundingClientRect());
  return {
    pageScroll: document.documentElement.scrollWidth, viewport: window.innerWidth,
    outside, stages: stages.length,
    // Columns side by side, equal, none overlapping the next.
    overlaps: stages.slice(1).filter((r, i) => r.left < stages[i].right - 0.5).length,
  };
})()
"""


@pytest.mark.parametrize("width", [1280, 1920])
@pytest.mark.parametrize("source", ["retail-first-online-purchase", "twenty"])
def test_the_overview_fits_the_width_without_scrolling(
    source: str, width: int, visit: Any, tmp_path: Path, screenshots: Path
) -> None:
    path = twenty_stage_map(tmp_path) if source == "twenty" else EXAMPLES / f"{source}.yaml"
    stages = len(load_file(path).journey.stages)
    page = visit(write_page(path, tmp_path), {"width": width, "height": 1000})
    fit = page.evaluate(OVERVIEW_FIT_SCRIPT)
    assert fit["stages"] == stages
    assert fit["pageScroll"] <= width
    assert fit["outside"] == [] and fit["overlaps"] == 0
    page.page.locator(".overview").screenshot(path=str(screenshots / f"{path.stem}-overview-{width}.png"))


# --- print and phone -------------------------------------------------------------------------------

#: Printable widths in CSS px (96 per inch) of landscape pages less html.css's 8 mm margins.
PAPER = {"a4": (297, 210), "letter": (279.4, 215.9), "a3": (420, 297)}

LAYOUT_SCRIPT = """
(() => {
  const problems = [];
  const visible = e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && !e.closest('.sr-only, svg, details');
  };
  // 1. No word broken across lines: each word of each text node lies on one line.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let words = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || !visible(parent)) continue;
    const text = node.textContent;
    // A break after a hyphen, dash or slash is no mid-word break.
    const re = /[^\\s\\-\u2010\u2013\u2014\\/]+/g;
    let m;
    while ((m = re.exec(text))) {
      range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
      const rects = Array.from(range.getClientRects()).filter(r => r.width > 0);
      const tops = new Set(rects.map(r => Math.round(r.top)));
      words++;
      if (tops.size > 1) problems.push('broken word: ' + m[0] + ' in ' + parent.className);
    }
  }
  // 2. No cell's content spills out of it, sideways or down.
  for (const cell of document.querySelectorAll('.canvas th, .canvas td, .ov-grid > *')) {
    if (!visible(cell)) continue;
    if (cell.scrollWidth > cell.clientWidth + 1) {
      problems.push('spills sideways: ' + cell.className + ' ' + cell.textContent.slice(0, 40));
    }
  }
  // 3. No two boxes of one cell overlap (badges, labels, items), nor a scale label the lane's name.
  const boxes = document.querySelectorAll([
    '.canvas td li', '.canvas td .badge', '.canvas td .emo', '.canvas td .meta', '.canvas td .action',
    '.canvas td .step-no', '.canvas th .stage-name', '.ov-cell > *',
  ].join(', '));
  const byParent = new Map();
  for (const box of boxes) {
    if (!visible(box)) continue;
    const key = box.parentElement;
    if (!byParent.has(key)) byParent.set(key, []);
    byParent.get(key).push(box);
  }
  const cross = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
  for (const siblings of byParent.values()) {
    for (let i = 0; i < siblings.length; i++) for (let j = i + 1; j < siblings.length; j++) {
      // Line boxes, not bounding boxes: an inline run over two lines is two boxes.
      const first = Array.from(siblings[i].getClientRects());
      const second = Array.from(siblings[j].getClientRects());
      if (first.some(a => second.some(b => cross(a, b)))) {
        const [a, b] = [siblings[i], siblings[j]].map(e => e.textContent.slice(0, 30));
        problems.push('overlap: ' + a + ' / ' + b);
      }
    }
  }
  for (const head of document.querySelectorAll('.curve-head')) {
    const lane = head.querySelector('.lane-name').getBoundingClientRect();
    for (const label of head.querySelectorAll('.scale li')) {
      const box = label.getBoundingClientRect();
      if (box.width && cross(lane, box)) {
        problems.push('scale label over the lane name: ' + label.textContent);
      }
    }
  }
  return {words, problems};
})()
"""

PRINT_PAGES = [
    CANVAS,
    *(
        EXAMPLES / f"{name}.yaml"
        for name in (
            "bank-card-fraud-support",
            "saas-trial-to-onboarding",
            "broadband-home-move-future",
            "retail-first-online-purchase",
        )
    ),
]


@pytest.mark.parametrize("paper", sorted(PAPER))
@pytest.mark.parametrize("source", PRINT_PAGES, ids=lambda p: p.stem)
def test_print_has_no_overlaps_and_no_broken_words(
    source: Path, paper: str, visit: Any, tmp_path: Path
) -> None:
    long_side, short_side = PAPER[paper]
    width = round((long_side - 16) / 25.4 * 96)
    height = round((short_side - 16) / 25.4 * 96)
    page = visit(write_page(source, tmp_path), {"width": width, "height": height})
    page.page.emulate_media(media="print")
    result = page.evaluate(LAYOUT_SCRIPT)
    assert result["words"] > 300
    assert result["problems"] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("source", [CANVAS, EXAMPLES / "saas-trial-to-onboarding.yaml"], ids=lambda p: p.stem)
def test_a_phone_reads_one_stage_at_a_time(source: Path, visit: Any, tmp_path: Path) -> None:
    page = visit(write_page(source, tmp_path), PHONE)
    sizes = page.evaluate("""
      (() => {
        const canvas = document.querySelector('.canvas');
        const lanes = canvas.querySelector('.stage-row th[scope=row]').getBoundingClientRect().width;
        const stages = Array.from(canvas.querySelectorAll('.stage-row th[scope=col]'))
          .map(th => th.getBoundingClientRect().width);
        return {view: canvas.clientWidth, lanes, stages, snap: getComputedStyle(canvas).scrollSnapType};
      })()
    """)
    for stage in sizes["stages"]:
        # One stage fills the screen beside the lane names, and never more.
        assert stage == pytest.approx(sizes["view"] - sizes["lanes"], abs=2)
    assert sizes["snap"].startswith("x")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_hostile_baseline_title_and_persona_names_stay_inert(visit: Any, tmp_path: Path) -> None:
    """The new places map text reaches (a baseline's title in the header, persona names in the
    line keys and the emotion table) run nothing: the payload page's future twin, in Chromium."""
    from tests.renderers.test_html import BASELINE, FUTURE

    (tmp_path / ".journeyctl.yaml").write_text("{}\n", encoding="utf-8")
    payload = "<img src=x onerror=\\\"window.__xss=2;alert(2)\\\"><b onmouseover='window.__xss=5'>b</b>"
    (tmp_path / "today.yaml").write_text(
        BASELINE.replace("<script>window.__xss=1;alert(1)</script>", payload), encoding="utf-8"
    )
    future = tmp_path / "tomorrow.yaml"
    future.write_text(FUTURE.replace("BASELINE_ID", "today"), encoding="utf-8")
    for source in (future, XSS):
        page = visit(write_page(source, tmp_path))
        provoke_every_element(page)
        probe = page.evaluate(EXECUTION_PROBE)
        assert page.dialogs == [] and probe["flag"] is None
        assert probe["scripts"] == 0 and probe["handlers"] == []
        assert page.requests == [page.url] and page.console_errors == [] and page.page_errors == []
    assert "window.__xss=2" in page.evaluate("document.querySelector('.line-key').textContent")
