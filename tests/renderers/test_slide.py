"""The slide image (svg, png, pdf): goldens, 16:9 fit, lines per persona, paging, inert markup, converter."""

from __future__ import annotations

import re
import struct
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from journeyctl.cli import run
from journeyctl.errors import RenderError
from journeyctl.loader import LoadedMap, load_bytes
from journeyctl.renderers import get_renderer, pdf, png, svg
from journeyctl.renderers.emotion_lines import emotion_lines
from journeyctl.renderers.slide import HEIGHT, LINE_COLOURS, WIDTH, plan_slides
from journeyctl.renderers.slide_document import escape
from tests.renderers.rendercases import (
    CHECKOUT,
    FIDELITY,
    HOSTILE,
    XSS_PAYLOADS,
    case_id,
    check_golden,
    example_maps,
    golden_inputs,
    load,
)
from tests.renderers.test_graphviz import big_map

SVG_NS = "{http://www.w3.org/2000/svg}"
BANK = next((path for path in example_maps() if path.stem == "bank-card-fraud-support"), CHECKOUT)
RETAIL = next(path for path in example_maps() if path.stem == "retail-first-online-purchase")


def slide_svg(loaded: LoadedMap, **options: object) -> bytes:
    return svg.render(loaded, svg.Options.model_validate(options))


def groups(root: ET.Element, css_class: str) -> list[ET.Element]:
    return [node for node in root.iter(f"{SVG_NS}g") if node.get("class") == css_class]


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("path", golden_inputs(), ids=case_id)
def test_slide_golden(path: Path, update_goldens: bool) -> None:
    check_golden(f"{path.stem}.slide.svg", slide_svg(load(path)), update_goldens)


@pytest.mark.parametrize("path", golden_inputs(), ids=case_id)
def test_slide_is_1920_by_1080_and_everything_drawn_is_on_it(path: Path) -> None:
    root = ET.fromstring(slide_svg(load(path)))
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("1920", "1080", "0 0 1920 1080")
    for node in root.iter():
        for name in ("x", "y", "cx", "cy"):
            if node.get(name) is not None:
                value = float(node.get(name, "0"))
                assert 0 <= value <= (WIDTH if name in ("x", "cx") else HEIGHT), (node.tag, node.attrib)
        if node.tag == f"{SVG_NS}rect" and node.get("x") is not None:
            assert float(node.get("x", "0")) + float(node.get("width", "0")) <= WIDTH + 0.1
            assert float(node.get("y", "0")) + float(node.get("height", "0")) <= HEIGHT + 0.1


def test_every_stage_of_an_example_is_a_column_with_its_name() -> None:
    for path in example_maps():
        loaded = load(path)
        root = ET.fromstring(slide_svg(loaded))
        headings = groups(root, "stage")
        assert len(headings) == len(loaded.journey.stages), path
        for heading, stage in zip(headings, loaded.journey.stages, strict=True):
            drawn = " ".join("".join(t.itertext()) for t in heading.iter(f"{SVG_NS}text"))
            assert " ".join(stage.name.split()) in drawn.replace("…", ""), (path, drawn)


def test_a_cell_that_holds_all_its_items_shows_them_all() -> None:
    # The bank example's lanes fit at two lines an item: no "+ N more" (a rounding slip once hid
    # the last step of two stages).
    root = ET.fromstring(slide_svg(load(BANK)))
    text = " ".join("".join(t.itertext()) for g in groups(root, "cell") for t in g.iter(f"{SVG_NS}text"))
    assert " more" not in text
    drawn = " ".join(text.split())
    for _, step in load(BANK).journey.iter_steps():
        assert " ".join(step.action.split()[:3]) in drawn, step.action


def test_one_emotion_line_per_persona_with_a_marker_at_each_of_their_scored_steps() -> None:
    loaded = load(BANK)
    lines = emotion_lines(loaded.journey)
    assert len(lines) == 2, "the bank example has two personas"
    root = ET.fromstring(slide_svg(loaded))
    (curve,) = groups(root, "emotion-lines")
    for line in lines:
        colour = LINE_COLOURS[line.index]
        strokes = [node for node in curve if node.tag == f"{SVG_NS}path" and node.get("stroke") == colour]
        filled = [node for node in curve if node.tag != f"{SVG_NS}path" and node.get("fill") == colour]
        assert len(strokes) == sum(1 for run in line.runs if len(run) > 1)
        assert len(filled) == len(line.scored), line.name


def test_an_unscored_step_is_a_hollow_mark_under_the_curve_never_a_point_on_it() -> None:
    loaded = load(FIDELITY)
    gaps = sum(len(line.gaps) for line in emotion_lines(loaded.journey))
    assert gaps, "the fidelity map has steps nobody scored"
    root = ET.fromstring(slide_svg(loaded))
    (curve,) = groups(root, "emotion-lines")
    hollow = [node for node in curve if node.tag != f"{SVG_NS}path" and node.get("fill") == "#ffffff"]
    assert len(hollow) == gaps
    text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG_NS}text"))
    assert "not scored" in text


def test_branch_steps_are_marked_as_branches_in_the_doing_lane() -> None:
    root = ET.fromstring(slide_svg(load(FIDELITY)))
    text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG_NS}text"))
    assert "failure path off “Picks a delivery slot”" in text
    assert "Finds every evening slot full" in text


def test_picked_stages_are_the_columns_and_the_header_says_which() -> None:
    loaded = load(RETAIL)
    root = ET.fromstring(slide_svg(loaded, stages=["discover", "checkout"]))
    assert len(groups(root, "stage")) == 2
    (header,) = groups(root, "header")
    assert "stages 1, 3 of 7" in " ".join("".join(t.itertext()) for t in header)


@pytest.mark.parametrize(
    ("stages", "expected"),
    [
        (1, [("detail", 1)]),
        (10, [("detail", 10)]),
        (11, [("overview", 11), ("detail", 6), ("detail", 5)]),
        (14, [("overview", 14), ("detail", 7), ("detail", 7)]),
        (50, [("overview", 50), *[("detail", 10)] * 5]),
    ],
)
def test_long_maps_are_paged_behind_an_overview(stages: int, expected: list[tuple[str, int]]) -> None:
    loaded = load_bytes(big_map(stages, steps=2), "big.yaml")
    slides = plan_slides(loaded.journey, svg.Options())
    assert [(slide.kind, len(slide.stages)) for slide in slides] == expected
    assert [slide.number for slide in slides] == list(range(1, len(expected) + 1))


def test_a_page_past_the_last_is_an_input_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(RenderError, match="has 1 slide"):
        slide_svg(load(CHECKOUT), page=2)
    target = tmp_path / "out.svg"
    assert run(["render", str(CHECKOUT), "-f", "svg", "-O", "page=3", "-o", str(target)]) == 2
    assert "pages run from 1 to 1" in capsys.readouterr().err
    assert not target.exists()


def test_the_overview_of_500_stages_fits_and_names_the_detail_slides() -> None:
    loaded = load_bytes(big_map(500, steps=2), "big.yaml")
    started = time.perf_counter()
    root = ET.fromstring(slide_svg(loaded))
    assert time.perf_counter() - started < 5
    text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG_NS}text"))
    assert "slide 1 of 51" in text and "51: stages 491–500" in text


def test_hostile_text_stays_inert_in_the_svg() -> None:
    data = slide_svg(load(HOSTILE))
    root = ET.fromstring(data)  # well-formed
    for node in root.iter():
        assert node.tag.removeprefix(SVG_NS) not in ("script", "foreignObject", "a", "image", "use")
        assert not any(name.lower().startswith("on") or "href" in name for name in node.attrib)
    texts = " ".join("".join(t.itertext()) for t in root.iter()) + " " + root.get("aria-labelledby", "")
    for payload in XSS_PAYLOADS:
        assert payload in texts  # shown as text, whole
    assert b"<script" not in data and b"<img" not in data and b"<svg onload" not in data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<b> & \"q\" 's'", "&lt;b&gt; &amp; &quot;q&quot; &#x27;s&#x27;"),
        ("bell\x07 nul\x00 del\x7f", "bell\ufffd nul\ufffd del\ufffd"),
        ("lone \ud800 and \ufffe", "lone \ufffd and \ufffd"),
        ("tab\tand newline\n stay", "tab\tand newline\n stay"),
        ("日本語 😀 Ünï", "日本語 😀 Ünï"),
    ],
)
def test_escape_leaves_only_what_xml_can_carry(text: str, expected: str) -> None:
    # YAML refuses most of these before a renderer sees them; a plugin's model may not.
    assert escape(text) == expected


def test_png_is_the_slide_at_1920_by_1080_and_deterministic() -> None:
    loaded = load(BANK)
    first = png.render(loaded, png.Options())
    assert png_size(first) == (1920, 1080)
    assert png.render(loaded, png.Options()) == first
    assert png_size(png.render(loaded, png.Options(scale=2))) == (3840, 2160)


def test_pdf_has_a_16_by_9_page_per_slide_and_is_deterministic() -> None:
    loaded = load_bytes(big_map(14, steps=2), "big.yaml")
    first = pdf.render(loaded, pdf.Options())
    assert first.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type /Page\b", first)) == 3  # the overview and two detail slides
    boxes = re.findall(rb"/MediaBox \[ ?0 0 ([\d.]+) ([\d.]+) ?\]", first)
    assert boxes and all(abs(float(w) / float(h) - 16 / 9) < 0.01 for w, h in boxes)
    one = pdf.render(loaded, pdf.Options(page=2))
    assert len(re.findall(rb"/Type /Page\b", one)) == 1
    time.sleep(1.1)  # Cairo stamps PDFs to the second
    assert pdf.render(loaded, pdf.Options()) == first, "PDF carries a timestamp"


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_missing_cairosvg_is_an_input_error_with_install_hint(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "cairosvg", None)  # import cairosvg -> ImportError
    target = tmp_path / f"out.{fmt}"
    assert run(["render", str(CHECKOUT), "-f", fmt, "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert "CairoSVG is not installed" in err and "pip install cairosvg" in err
    assert "apt-get install libcairo2" in err and "brew install cairo" in err
    assert "Traceback" not in err
    assert not target.exists()


class _NoCairoLibrary:
    """An import hook that fails as cairocffi does on a machine without the Cairo library."""

    def find_spec(self, name: str, path: object, target: object = None) -> None:
        if name == "cairosvg":
            raise OSError('no library called "cairo-2" was found')


def test_missing_cairo_library_is_an_input_error_with_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delitem(sys.modules, "cairosvg", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_NoCairoLibrary(), *sys.meta_path])
    target = tmp_path / "out.png"
    assert run(["render", str(CHECKOUT), "-f", "png", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert "the Cairo library is not installed" in err and "brew install cairo" in err
    assert not target.exists()


def test_svg_needs_no_converter_and_no_graphviz(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "cairosvg", None)
    monkeypatch.setenv("PATH", str(tmp_path))
    target = tmp_path / "out.svg"
    assert run(["render", str(CHECKOUT), "-f", "slide", "-o", str(target)]) == 0
    assert ET.parse(target).getroot().get("width") == "1920"


def test_flow_formats_keep_the_graphviz_diagram() -> None:
    assert get_renderer("flow-svg").REQUIRES == ("dot",)  # type: ignore[attr-defined]
    assert get_renderer("svg").NAME == "svg" and get_renderer("slide").NAME == "svg"
