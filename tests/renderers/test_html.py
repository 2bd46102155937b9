"""The HTML renderer without a browser: goldens, escaping, self-containment, structure, geometry."""

from __future__ import annotations

import typing
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pydantic
import pytest
from markupsafe import escape as html_escape

import journeyctl.model
from journeyctl.loader import LoadedMap, load_bytes, load_file
from journeyctl.model import Journey
from journeyctl.model.common import key_values
from journeyctl.renderers import BUILTIN_RENDERERS, html
from tests.conftest import EXAMPLES

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
GOLDENS = HERE / "goldens"
CANVAS = FIXTURES / "html-canvas.yaml"
XSS = FIXTURES / "html-xss.yaml"
#: Every field of the fidelity issue (shared with the other renderers' goldens).
FIDELITY = HERE / "maps" / "fidelity.yaml"


def example_maps() -> list[Path]:
    """Journey maps in examples/ (not shared files), once the examples exist."""
    if not EXAMPLES.is_dir():
        return []
    return sorted(path for path in EXAMPLES.rglob("*.y*ml") if b"\njourneyctl:" in b"\n" + path.read_bytes())


GOLDEN_INPUTS = [CANVAS, XSS, FIDELITY, *example_maps()]


def render_path(path: Path, **options: Any) -> str:
    return html.render(load_file(path), html.Options(**options)).decode("utf-8")


def render_text(text: str, **options: Any) -> str:
    loaded = load_bytes(text.encode("utf-8"), "inline.yaml")
    return html.render(loaded, html.Options(**options)).decode("utf-8")


class Elements(HTMLParser):
    """Every start tag with its attributes, plus the text, of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def having(self, tag: str, **wanted: str) -> list[dict[str, str | None]]:
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and all(wanted[key] in (attrs.get(key) or "").split() for key in wanted)
        ]


def parse(page: str) -> Elements:
    parser = Elements()
    parser.feed(page)
    parser.close()
    return parser


MINIMAL = """\
journeyctl: 1
id: minimal
title: Minimal
stages:
  - id: only
    name: Only stage
    steps:
      - id: do-it
        action: Does the thing
"""


# --- the module API -----------------------------------------------------------------------


def test_module_follows_the_renderer_api() -> None:
    assert BUILTIN_RENDERERS["html"] == "journeyctl.renderers.html"
    assert (html.NAME, html.EXTENSION, html.BINARY) == ("html", ".html", False)
    assert html.DESCRIPTION and isinstance(html.ALIASES, tuple)
    with pytest.raises(pydantic.ValidationError):
        html.Options(colour="red")  # type: ignore[call-arg]


# --- golden files ---------------------------------------------------------------------------


@pytest.mark.parametrize("source", GOLDEN_INPUTS, ids=lambda p: p.stem)
def test_html_matches_golden(source: Path, update_goldens: bool) -> None:
    page = html.render(load_file(source), html.Options())
    golden = GOLDENS / f"{source.stem}.html"
    if update_goldens:
        GOLDENS.mkdir(exist_ok=True)
        golden.write_bytes(page)
    assert golden.exists(), f"no golden {golden.name}: run pytest --update-goldens and review it"
    assert page == golden.read_bytes(), f"{golden.name} changed: review, then pytest --update-goldens"


def test_output_is_byte_identical_across_renders() -> None:
    assert render_path(CANVAS) == render_path(CANVAS)


# --- helpers as data ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("emotion", "text", "y"),
    [(2, "+2", 30), (1, "+1", 64), (0, "0", 98), (-1, "−1", 132), (-2, "−2", 166)],
)
def test_emotion_scale_positions(emotion: int, text: str, y: int) -> None:
    assert html.signed(emotion) == text
    assert html.curve_y(emotion) == y
    assert html.curve_y(emotion) == html.CURVE_PADDING + (2 - emotion) * html.LEVEL_HEIGHT


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (41.0, "%", "41%"),
        (95.0, "s", "95 s"),
        (0.75, "ratio", "0.75 ratio"),
        (52.0, None, "52"),
        (-3.5, "", "-3.5"),
        (1250000.0, "EUR", "1250000 EUR"),
    ],
)
def test_metric_figures(value: float, unit: str | None, shown: str) -> None:
    assert html.with_unit(value, unit) == shown


@pytest.mark.parametrize(
    ("metric_id", "verdict"),
    [
        ("booking-conversion", "✗ Off target"),
        ("call-wait", "✓ On target"),
        ("first-time-fix", "✓ On target"),
        ("nps", "No target to compare"),
    ],
)
def test_metric_verdict_respects_better_direction(metric_id: str, verdict: str) -> None:
    page = render_path(CANVAS)
    start = page.index(f'id="metric-{metric_id}"')
    item = page[start : page.index("</li>", start)]
    assert verdict in item


# --- escaping -------------------------------------------------------------------------------

PAYLOAD_MARK = "window.__xss=1"

#: Every element the page template writes; an element outside this set came from map text.
ALLOWED_ELEMENTS = (
    "html head meta title style body main div header p h1 h2 h3 h4 dl dt dd time ul ol li section"
    " table caption colgroup col thead tbody tr th td span small b br a svg desc line circle text"
    " blockquote footer aside details summary defs g path rect use"
)


def model_of(entity: Any) -> type[pydantic.BaseModel]:
    """The pydantic model of a loaded entity (the loader builds valid maps as plain twins)."""
    model: type[pydantic.BaseModel] = getattr(journeyctl.model, type(entity).__name__)
    return model


def text_fields(model: type[pydantic.BaseModel]) -> list[str]:
    """Aliases of the free-text fields of a model (str or list of str, not slugs or choices)."""
    names = []
    for name, info in model.model_fields.items():
        if any(getattr(m, "pattern", None) for m in info.metadata):
            continue
        annotation = info.annotation
        args = typing.get_args(annotation)
        plain = annotation is str or (str in args and type(None) in args)
        listed = typing.get_origin(annotation) is list and args and args[0] is str
        if plain or listed:
            names.append(info.alias or name)
    return names


def test_xss_fixture_fills_every_text_field_of_the_format() -> None:
    journey = load_file(XSS).journey
    entities: list[Any] = [journey, *journey.personas, *journey.channels, *journey.insights]
    assert journey.funnel is not None
    entities += [journey.funnel, *journey.funnel.entries]
    for stage in journey.stages:
        entities += [stage, *stage.touchpoints, *stage.steps, *stage.pain_points]
        entities += [*stage.opportunities, *stage.metrics]
    covered: set[tuple[str, str]] = set()
    for entity in entities:
        data = dict(key_values(entity))
        for alias in text_fields(model_of(entity)):
            value = data[alias]
            values = value if isinstance(value, list) else [value]
            if values and all(isinstance(v, str) and PAYLOAD_MARK in v for v in values):
                covered.add((type(entity).__name__, alias))
    # `include` holds paths, not text shown on the page.
    expected = {
        (model.__name__, alias)
        for model in {model_of(entity) for entity in entities}
        for alias in text_fields(model)
        if alias != "include"
    }
    assert expected - covered == set()


def test_xss_payloads_stay_text() -> None:
    page = render_path(XSS)
    document = parse(page)
    allowed = set(ALLOWED_ELEMENTS.split())
    tags = {tag for tag, _ in document.tags}
    assert tags <= allowed, f"unexpected elements: {sorted(tags - allowed)}"
    assert document.having("script") == []
    for tag, attrs in document.tags:
        assert not [name for name in attrs if name.startswith("on")], f"<{tag}> has an event handler"
        href = attrs.get("href")
        if href is not None and not href.startswith("#"):
            # Only an insight's source leaves the page: an https address, opened without referrer.
            assert href.startswith("https://") and attrs.get("rel") == "noopener noreferrer", (tag, href)
    # The payload is shown: once per text field occurrence, as literal text.
    shown = "".join(document.text)
    assert shown.count("<script>window.__xss=1;alert(1)</script>") >= 30
    assert '"><svg onload="window.__xss=4;alert(4)">' in shown
    assert "javascript:alert(3)" in shown
    # A stray `</style>` or `</title>` in map text cannot close the real elements early.
    marks = [
        *document.having("circle", **{"class": "point"}),
        *document.having("use", **{"class": "marker"}),
        *document.having("text", **{"class": "unscored-mark"}),
        *document.having("text", **{"class": "gap-mark"}),
    ]
    # Marks on a line have a title; the markers of the keys (swatches) have none.
    marks = [mark for mark in marks if mark.get("data-step") or mark.get("data-stage")]
    assert page.count("</style>") == 1
    assert page.count("</title>") == 2 + len(marks)  # the page's, the curve's, one per mark on it


# --- self-contained and safe by construction --------------------------------------------------


@pytest.mark.parametrize("source", [CANVAS, XSS], ids=lambda p: p.stem)
def test_page_fetches_nothing(source: Path) -> None:
    page = render_path(source)
    document = parse(page)
    csp = document.having("meta", **{"http-equiv": "Content-Security-Policy"})
    assert len(csp) == 1
    policy = csp[0]["content"] or ""
    assert "default-src 'none'" in policy and "script-src" not in policy
    for tag, attrs in document.tags:
        assert "src" not in attrs and "srcset" not in attrs, f"<{tag}> loads a resource"
    assert document.having("link") == [] and document.having("script") == []
    assert "@import" not in page and "url(" not in page
    # Links to an insight's source are for people to follow; nothing else names an address.
    links = {attrs["href"] for tag, attrs in document.tags if tag == "a" and "://" in str(attrs.get("href"))}
    texts = page
    for link in links:
        texts = texts.replace(str(html_escape(link or "")), "")
    urls = {word for word in texts.replace('"', " ").split() if "://" in word}
    assert urls <= {"http://www.w3.org/2000/svg"}


# --- structure and accessibility ----------------------------------------------------------------


def test_canvas_is_a_table_with_headers() -> None:
    page = render_path(CANVAS)
    document = parse(page)
    assert len(document.having("h1")) == 1
    assert len(document.having("caption", id="canvas-caption")) == 1
    stage_headers = document.having("th", scope="col")
    # 3 phase groups + 4 stages, and the emotion table's step column and one per persona line.
    assert len(stage_headers) == 3 + 4 + 1 + 2
    lanes = [row["class"] for row in document.having("tr") if (row.get("class") or "").startswith("lane-")]
    assert lanes == [
        "lane-goals",
        "lane-doing",
        "lane-channels",
        "lane-touchpoints",
        "lane-thinking",
        "lane-feeling",
        "lane-curve",
        "lane-pains",
        "lane-opportunities",
        "lane-frontstage",
        "lane-backstage",
        "lane-support",
        "lane-metrics",
    ]
    # Plus Phase and Stage, and a row header per main-line step in the emotion table (6 steps).
    assert len(document.having("th", scope="row")) == len(lanes) + 2 + 6
    assert document.having("html")[0]["lang"] == "en"


def test_curve_has_text_alternatives() -> None:
    page = render_path(CANVAS)
    document = parse(page)
    svg = document.having("svg", **{"class": "curve"})[0]
    assert svg["role"] == "img" and svg["aria-labelledby"] == "curve-title curve-desc"
    assert "Busy parent: 4 of 5 steps scored, lowest at step 3, Picks a time slot (−2, very negative)" in page
    assert "highest at step 6, Watches the pump being replaced (+2, very positive)" in page
    hidden = page[page.index('<ol class="sr-only"') : page.index("</ol>", page.index('<ol class="sr-only"'))]
    assert hidden.count("<li>") == 6  # every step, scored or not
    assert "step 4, Calls to ask for a morning slot: not scored" in hidden
    assert "step 1, Sees error E21 on the display: −1 (negative)" in hidden


def test_emotion_is_shown_as_text_not_only_colour() -> None:
    page = render_path(CANVAS)
    for text in ("−2 very negative", "−1 negative", "0 neutral", "+1 positive", "+2 very positive"):
        assert f">{text}</span>" in page
    assert "▲▲ Critical" in page and "★ Moment of truth" in page


def test_empty_lanes_are_left_out_and_options_hide_sections() -> None:
    document = parse(render_text(MINIMAL))
    rows = [row.get("class") for row in document.having("tr")]
    assert rows == ["stage-row", "lane-doing"]
    assert document.having("aside") == []  # no personas: no cards beside the overview
    assert document.having("svg") == []
    canvas = parse(render_path(CANVAS, blueprint=False, personas=False, legend=False))
    classes = {row.get("class") for row in canvas.having("tr")}
    assert not classes & {"lane-frontstage", "lane-backstage", "lane-support"}
    assert canvas.having("li", **{"class": "persona"}) == []
    assert canvas.having("div", **{"class": "legend"}) == []


# --- curve geometry ---------------------------------------------------------------------------


def line_marks(document: Elements) -> list[tuple[str, str, str, str, str, str]]:
    """(line's persona, mark's class, step, emotion, x, y) of every mark on a persona line, in page order.

    Canvas marks carry ``data-step``; the overview's carry ``data-stage`` (left out here).
    """
    found = []
    persona = ""
    for tag, attrs in document.tags:
        if tag == "g" and "emotion-line" in (attrs.get("class") or "").split():
            persona = attrs.get("data-persona") or ""
        elif tag in ("use", "text") and attrs.get("data-step"):
            kind = (attrs.get("class") or "").split()[0]
            if kind in ("marker", "gap-mark"):
                found.append(
                    (
                        persona,
                        kind,
                        str(attrs["data-step"]),
                        attrs.get("data-emotion") or "",
                        str(attrs["x"]),
                        str(attrs.get("y")),
                    )
                )
    return found


def test_points_sit_at_the_centre_of_their_step_slot() -> None:
    journey: Journey = load_file(CANVAS).journey
    canvas = html.build_canvas(journey, html.Options())
    # Slots per stage: 2 steps, 3 steps, none (one empty slot), 1 step.
    assert [stage.slots for stage in canvas.stages] == [2, 3, 1, 1]
    xs = [(step.slot_x, step.local_x) for stage in canvas.stages for step in stage.steps]
    assert xs == [
        (0.5, "25%"),
        (1.5, "75%"),
        (2.5, "16.6667%"),
        (3.5, "50%"),
        (4.5, "83.3333%"),
        (6.5, "50%"),
    ]
    widths = [float(stage.width.rstrip("%")) for stage in canvas.stages]
    header = float(canvas.header_width.rstrip("%"))
    assert sum(widths) + header == pytest.approx(100, abs=0.001)
    # Each stage cell draws its share of the busy parent's line: see-error -> search-code -> pick-slot,
    # cut at the cell edge; a gap at the unscored step 4; confirm stands alone.
    parent = [
        [(s.x1, s.x2) for s in line.segments]
        for stage in canvas.stages
        for line in stage.curve.lines
        if line.persona == "busy-parent"
    ]
    assert parent == [[("25%", "75%"), ("75%", "100%")], [("0%", "16.6667%")]]
    y_at_edge = [
        s.y2
        for stage in canvas.stages[:1]
        for line in stage.curve.lines
        if line.persona == "busy-parent"
        for s in line.segments
    ][-1]
    assert y_at_edge == html.curve_y_percent(-1)  # halfway from 0 (search-code) to -2 (pick-slot)


def test_each_persona_line_passes_only_through_its_own_steps() -> None:
    marks = line_marks(parse(render_path(CANVAS)))
    parent = {
        (kind, step, emotion) for persona, kind, step, emotion, _, _ in marks if persona == "busy-parent"
    }
    landlord = {
        (kind, step, emotion) for persona, kind, step, emotion, _, _ in marks if persona == "landlord"
    }
    # Steps naming no persona (search-code, call-hotline, confirm) are on both lines; step 4 is a gap.
    assert parent == {
        ("marker", "see-error", "-1"),
        ("marker", "search-code", "0"),
        ("marker", "pick-slot", "-2"),
        ("gap-mark", "call-hotline", ""),
        ("marker", "confirm", "1"),
    }
    assert landlord == {
        ("marker", "search-code", "0"),
        ("gap-mark", "call-hotline", ""),
        ("marker", "confirm", "1"),
        ("marker", "repair-done", "2"),
    }
    for _, kind, _, emotion, _, y in marks:
        if kind == "marker":
            assert float(y.rstrip("%")) * html.CURVE_HEIGHT / 100 == pytest.approx(
                html.curve_y(int(emotion)), abs=0.01
            )
        else:  # below −2: off the scale, never neutral
            assert float(y.rstrip("%")) * html.CURVE_HEIGHT / 100 > html.curve_y(-2)


def test_a_single_line_map_keeps_labelled_points_and_breaks_at_gaps() -> None:
    text = MINIMAL.replace("action: Does the thing", "action: Does the thing\n        emotion: -1") + (
        "      - id: then\n        action: Then\n      - id: last\n        action: Last\n        emotion: 2\n"
    )
    document = parse(render_text(text))
    points = [(p["data-step"], p["data-emotion"]) for p in document.having("circle", **{"class": "point"})]
    assert points == [("do-it", "-1"), ("last", "2")]
    # No line across the unscored step: a "?" marks it.
    assert document.having("line", **{"class": "segment"}) == []
    assert [m["data-step"] for m in document.having("text", **{"class": "unscored-mark"})] == ["then"]
    assert line_marks(document) == []


def test_render_returns_utf8_bytes_for_the_loaded_map() -> None:
    loaded: LoadedMap = load_file(CANVAS)
    page = html.render(loaded, html.Options())
    assert isinstance(page, bytes)
    assert page.decode("utf-8").startswith("<!DOCTYPE html>\n")
    assert "8:00–18:00" in page.decode("utf-8")


def test_stages_option_keeps_only_the_named_stages() -> None:
    document = parse(render_path(CANVAS, stages=["visit", "notice"]))
    names = [attrs["id"] for attrs in document.having("th", scope="col") if attrs.get("id")]
    assert names == ["stage-notice", "stage-visit"]  # journey order, not option order
    points = sorted({step for _, kind, step, _, _, _ in line_marks(document) if kind == "marker"})
    assert points == ["repair-done", "search-code", "see-error"]


def test_unknown_stage_is_a_render_error_with_a_suggestion() -> None:
    from journeyctl.errors import RenderError

    with pytest.raises(RenderError, match="did you mean 'visit'"):
        render_path(CANVAS, stages=["visits"])


# --- the fidelity fields --------------------------------------------------------------------


def fidelity() -> tuple[str, Elements, html.CanvasView]:
    page = render_path(FIDELITY)
    return page, parse(page), html.build_canvas(load_file(FIDELITY).journey, html.Options())


def test_the_curve_follows_the_main_line_and_branches_hang_off_it() -> None:
    _, document, canvas = fidelity()
    marks = line_marks(document)
    on_lines = {
        persona: {step for who, kind, step, _, _, _ in marks if who == persona and kind == "marker"}
        for persona in ("planner", "partner")
    }
    # Each line through its persona's main-line steps; the branch steps are on no line.
    assert on_lines == {
        "planner": {"hears-about-it", "builds-list", "picks-slot", "pays", "waits-in"},
        "partner": {"builds-list", "picks-slot", "waits-in", "unpacks"},
    }
    branch_points = [p["data-step"] for p in document.having("circle", **{"class": "branch-point"})]
    assert branch_points == ["slot-full", "picks-morning-slot", "tries-pickup-point"]
    # Branch links: in the order stage (off picks-slot, on to the recovery, back at pays) and in the
    # receive stage (off waits-in); thin and dotted, not the line itself.
    linked = [index for index, stage in enumerate(canvas.stages) for s in stage.curve.links if s.branch]
    assert sorted(set(linked)) == [1, 2] and len(linked) == 4
    assert not [s for stage in canvas.stages for s in stage.curve.links if not s.branch]


def test_branch_steps_say_what_they_are_in_the_doing_lane() -> None:
    page, document, _ = fidelity()
    cells = document.having("div", **{"class": "branch-step"})
    # Three branch steps, marked in each step lane: doing, channel, time, feeling, works well.
    assert len(cells) == 3 * 5
    assert (
        '↳ Failure path off step 4</span><span class="branch-condition">if every evening slot is taken'
        in page
    )
    assert "↳ Recovery path after step 5" in page and "Rejoins at step 7" in page
    assert "↳ Alternative path off step 8" in page
    points = {p["data-step"]: p["class"] for p in document.having("circle", **{"class": "point"})}
    # Branch steps have their own points off the lines; main-line steps are on the persona lines.
    assert "branch-point" in (points["slot-full"] or "") and "pays" not in points


def test_personas_per_step_and_every_persona() -> None:
    page, document, _ = fidelity()
    chips = [attrs.get("class") for attrs in document.having("span", **{"class": "persona-chip"})]
    assert chips.count("persona-chip every") == 3 + 1  # three steps name no persona, plus the legend
    # Each chip carries its persona's line marker (Sam's circle, Alex's square), as the emotion lane.
    sam = '<use class="marker" href="#m-circle" x="6" y="6"/></g></svg>Sam, plans the week</span>'
    alex = '<use class="marker" href="#m-square" x="6" y="6"/></g></svg>Alex, adds to the basket</span>'
    assert f'{sam}<span class="persona-chip keyed">' in page and alex in page


def test_per_persona_scores_are_shown_and_drawn_on_each_line() -> None:
    page, document, _ = fidelity()
    alex = '<span class="persona-name">Alex, adds to the basket</span>'
    assert alex + ' <span class="emo emo-n1">−1 negative</span>' in page
    scores = {
        (who, step): emotion for who, kind, step, emotion, _, _ in line_marks(document) if kind == "marker"
    }
    # builds-list: the step's +1 is Sam's, Alex's own −1; picks-slot: scored only per persona.
    assert scores["planner", "builds-list"] == "1" and scores["partner", "builds-list"] == "-1"
    assert scores["planner", "picks-slot"] == "0" and scores["partner", "picks-slot"] == "-1"
    assert "<title>Step 4, Alex, adds to the basket: −1 negative</title>" in page  # the marker's title
    table = page[page.index('<details class="emotion-table">') : page.index("</details>")]
    assert "<td>−1 negative</td>" in table and "<td>—</td>" in table  # and a step Alex does not take


def test_unscored_is_never_neutral() -> None:
    page, document, _ = fidelity()
    marks = line_marks(document)
    gaps = sorted((who, step) for who, kind, step, _, _, y in marks if kind == "gap-mark")
    assert gaps == [("partner", "checks-pantry"), ("planner", "checks-pantry")]
    assert not [m for m in marks if m[1] == "marker" and m[2] == "checks-pantry"]
    assert '<span class="feeling-text">A bit bored</span><span class="emo unscored">Not scored</span>' in page
    assert "step 3, Checks the cupboards: not scored" in page  # the text alternative


def test_funnel_times_bright_spots_and_insights() -> None:
    page, document, _ = fidelity()
    lanes = [row["class"] for row in document.having("tr") if (row.get("class") or "").startswith("lane-")]
    assert lanes[0] == "lane-funnel" and "lane-time" in lanes and "lane-bright" in lanes
    assert "10,000 households" in page and "38% leave before the next (3,800)" in page
    assert '<li class="funnel-entry biggest">' in page and "▼ Biggest drop" in page
    assert '<span style="width: 62%"></span>' in page  # 6,200 of 10,000: the bar's length
    assert "Main line: at least 30m doing (2 of 3 steps timed)" in page
    assert '<span class="time">Waits 1-2h</span>' in page
    assert "<li>The friend shows the app on their phone</li>" in page
    assert '<li class="insight" id="insight-diary-study">' in page
    assert '<a href="https://research.example/grocery/diary-2026" rel="noopener noreferrer">' in page
    assert 'Evidence <a href="#insight-diary-study">I1</a>' in page
    assert "Measures step 4, Picks a delivery slot" in page
    assert "as of 2026-09-30 · Sam, plans the week · new customers" in page


def test_ownership_moments_of_truth_and_unrated() -> None:
    page, _, _ = fidelity()
    assert '<span class="meta ownership">Earned (nobody here runs it)</span>' in page
    assert '<span class="meta ownership">Third party</span>' in page
    assert (
        '<span class="action" id="step-picks-slot">Picks a delivery slot</span> <span class="badge mot">'
        in page
    )
    assert '<span class="badge sev-unrated">○ Not rated</span>' in page


# --- a future map beside its baseline ---------------------------------------------------------


def test_a_future_page_links_its_baseline_and_draws_it_faintly() -> None:
    page = render_path(EXAMPLES / "broadband-home-move-future.yaml")
    document = parse(page)
    (link,) = document.having("a", **{"class": "baseline-link"})
    assert link["href"] == "broadband-home-move-current.html"  # found in the repository, as lint finds it
    assert "Moving home with Brightwave broadband (current state)</a>" in page
    faint = {attrs.get("data-persona") for attrs in document.having("g", **{"class": "baseline"})}
    assert faint == {"renter-on-the-move", "family-homeowner"}  # per persona: both maps have both
    # The stage-by-stage change of each line, in the overview.
    changes = [attrs["title"] for attrs in document.having("span", **{"class": "ov-change"})]
    assert "Priya, renting and moving again: +1 against the baseline" in changes
    assert "Faint: the baseline, Moving home with Brightwave broadband (current state)" in page


BASELINE = """\
journeyctl: 1
id: today
title: "Today <script>window.__xss=1;alert(1)</script>"
stages:
  - id: s
    name: S
    steps:
      - {id: a, action: A, emotion: -2}
      - {id: b, action: B, emotion: -1}
"""
FUTURE = """\
journeyctl: 1
id: tomorrow
title: Tomorrow
state: future
baseline: BASELINE_ID
stages:
  - id: s
    name: S
    steps:
      - {id: a, action: A, emotion: 1}
      - {id: b, action: B, emotion: 2}
"""


def test_a_baseline_found_beside_the_map_is_linked_escaped_and_compared(tmp_path: Path) -> None:
    (tmp_path / ".journeyctl.yaml").write_text("{}\n", encoding="utf-8")  # the repository's root
    (tmp_path / "today.yaml").write_text(BASELINE, encoding="utf-8")
    future = tmp_path / "tomorrow.yaml"
    future.write_text(FUTURE.replace("BASELINE_ID", "today"), encoding="utf-8")
    page = render_path(future)
    assert '<a class="baseline-link" href="today.html">Today &lt;script&gt;' in page
    assert "<script>" not in page
    # One line each side (no personas): they match; the stage's mean went from −1.5 to +1.5.
    document = parse(page)
    assert [a["title"] for a in document.having("span", **{"class": "ov-change"})] == [
        "Every customer: +3 against the baseline"
    ]
    assert len(document.having("g", **{"class": "baseline"})) == 2  # in the canvas and the overview


def test_a_baseline_not_found_is_said_and_nothing_is_drawn(tmp_path: Path) -> None:
    (tmp_path / ".journeyctl.yaml").write_text("{}\n", encoding="utf-8")
    future = tmp_path / "tomorrow.yaml"
    future.write_text(FUTURE.replace("BASELINE_ID", "nowhere"), encoding="utf-8")
    page = render_path(future)
    assert '<dd>nowhere <span class="muted">(map not found)</span></dd>' in page
    assert 'class="baseline' not in page.replace('class="baseline-key"', "")


def test_a_wide_canvas_prints_in_parts_of_whole_stages_with_their_own_lanes() -> None:
    journey = load_file(EXAMPLES / "saas-trial-to-onboarding.yaml").journey
    canvas = html.build_canvas(journey, html.Options())
    parts = canvas.print_parts
    # 21 steps: parts of whole stages of at most 10 slots, every stage once, in order.
    assert [[view.number for view in part.stages] for part in parts] == [[1, 2], [3, 4, 5], [6]]
    assert all(sum(view.slots for view in part.stages) <= html.PRINT_SLOTS for part in parts)
    assert [part.prefix for part in parts] == ["print-1-", "print-2-", "print-3-"]
    # A lane that a part has nothing for is left out of that part only.
    assert canvas.screen is not None and canvas.screen.lanes.support
    assert [part.lanes.support for part in parts] == [True, True, False]
    page = render_path(EXAMPLES / "saas-trial-to-onboarding.yaml")
    ids = [attrs["id"] for _, attrs in parse(page).tags if attrs.get("id")]
    assert len(ids) == len(set(ids))  # printed parts repeat the canvas, never its ids
    # A map that fits one page prints its screen table: no parts.
    assert html.build_canvas(load_file(CANVAS).journey, html.Options()).print_parts == []


def test_a_long_map_has_an_overview_of_runs_of_stages() -> None:
    stages = "".join(
        f"  - id: s{number}\n    name: Stage {number}\n    steps:\n"
        f"      - {{id: a{number}, action: A, emotion: {number % 2}}}\n"
        f"    pain-points:\n      - {{id: p{number}, description: Hurts, severity: high}}\n"
        for number in range(1, 46)
    )
    journey = load_bytes(
        f"journeyctl: 1\nid: long\ntitle: Long\nstages:\n{stages}".encode(), "long.yaml"
    ).journey
    overview = html.build_canvas(journey, html.Options()).overview
    assert overview is not None and overview.per_column == 2
    # 45 stages in 23 columns of two (the last alone), each counting its stages' pain points.
    assert [column.number for column in overview.stages][:2] == ["1–2", "3–4"]
    assert overview.stages[-1].number == "45" and len(overview.stages) == 23
    assert overview.stages[0].severities == [("sev-high", "▲", "high", 2)]
    assert overview.stages[0].name == "Stage 1 to Stage 2" and overview.stages[0].anchor == "stage-s1"
    # Each column's point is the mean of its stages' scores: (1 + 0) / 2, and 1 for stage 45 alone.
    (line,) = overview.lines
    assert [marker.emotion for marker in line.markers][:1] == ["0.5"] and line.markers[-1].emotion == "1"


@pytest.mark.parametrize(
    ("thought", "quoted"),
    [
        ('"Where do I even start?"', True),
        ("“Is this safe?”", True),
        ('- "Where do I start?"\n- "Why is this failing?"', True),
        ("Where do I start?", False),
        ('"Half" quoted, half not', False),
        ('- "One quoted"\n- one not', False),
        ("", False),
    ],
)
def test_a_thought_in_its_own_quotes_gets_no_second_pair(thought: str, quoted: bool) -> None:
    # Found on a public journey-map template (tests/realworld): the canvas drew “- "Where do I…"”.
    assert html.in_own_quotes(thought) is quoted


def test_map_text_keeps_its_line_breaks_and_loses_trailing_ones() -> None:
    # A numbered list of actions in one cell (a spreadsheet's habit) reads as a list, not a paragraph.
    text = CANVAS.read_text(encoding="utf-8").replace(
        "action: Sees error E21 on the display", 'action: "1. First\\n2. Second\\n"', 1
    )
    page = html.render_journey(load_bytes(text.encode(), "t.yaml").journey)
    assert ">1. First\n2. Second</span>" in page
    assert ".action, .thinking, .feeling-text { white-space: pre-line; }" in page
