"""Graphviz renderers: DOT goldens, label escaping that dot accepts, svg/png/pdf, no Graphviz, big maps."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from journeyctl.cli import run
from journeyctl.errors import RenderError
from journeyctl.loader import load_bytes
from journeyctl.renderers import dot
from journeyctl.renderers import flow_pdf as pdf
from journeyctl.renderers import flow_png as png
from journeyctl.renderers import flow_svg as svg
from journeyctl.renderers.graphviz_dot import build_dot, choose_layout, label_text
from tests.renderers.rendercases import (
    CHECKOUT,
    FIDELITY,
    HOSTILE,
    XSS_PAYLOADS,
    case_id,
    check_golden,
    golden_inputs,
    load,
)

SVG_NS = "{http://www.w3.org/2000/svg}"


def svg_texts(data: bytes) -> list[str]:
    root = ET.fromstring(data)  # raises on malformed XML
    return ["".join(node.itertext()) for node in root.iter(f"{SVG_NS}text")]


def big_map(stages: int, steps: int = 5) -> bytes:
    """A map with ``stages`` stages of ``steps`` steps, each with a touchpoint and a pain point."""
    lines = ["journeyctl: 1", "id: big", "title: Big map", "channels:", "  - {id: web, name: Web, kind: web}"]
    lines.append("stages:")
    phases = ("before-purchase", "purchase", "after-purchase")
    for s in range(stages):
        lines += [
            f"  - id: s{s}",
            f"    name: Stage {s}",
            f"    phase: {phases[s * 3 // stages]}",
            "    touchpoints:",
            f"      - {{id: t{s}, name: Touchpoint {s}, channel: web}}",
            "    pain-points:",
            f"      - {{id: p{s}, description: Pain {s}, step: st{s}-0}}",
            "    steps:",
        ]
        for k in range(steps):
            step = f"id: st{s}-{k}, action: Step {k} of {s}, touchpoints: [t{s}], emotion: {k % 5 - 2}"
            lines.append(f"      - {{{step}}}")
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("path", golden_inputs(), ids=case_id)
def test_dot_golden(path: Path, update_goldens: bool) -> None:
    output = dot.render(load(path), dot.Options())
    check_golden(f"{path.stem}.dot", output, update_goldens)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ('a "quoted" <b> & c', "a &quot;quoted&quot; &lt;b&gt; &amp; c"),
        ("it's", "it&#x27;s"),
        ("{braces} back\\slash \\N \\G", "{braces} back\\slash \\N \\G"),
        ("line one\nline two", 'line one<BR ALIGN="LEFT"/>line two'),
        ("bell\x07 and \x00 nul", "bell\ufffd and \ufffd nul"),
        ("日本語 😀", "日本語 😀"),
        ("]] and ]]> and [x]", "&#93;&#93; and &#93;&#93;&gt; and [x&#93;"),
    ],
)
def test_label_text_escapes(text: str, expected: str) -> None:
    assert label_text(text, 200) == expected


def test_label_text_wraps_long_text() -> None:
    assert label_text("aaa bbb ccc", 7) == 'aaa bbb<BR ALIGN="LEFT"/>ccc'


@pytest.mark.graphviz
def test_hostile_map_is_valid_dot_and_svg_shows_text_literally(dot_binary: str) -> None:
    source = dot.render(load(HOSTILE), dot.Options(backstage=True))
    result = subprocess.run([dot_binary, "-Tsvg"], input=source, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode()
    assert b"Warning" not in result.stderr and b"Error" not in result.stderr, result.stderr.decode()
    texts = " ".join(svg_texts(result.stdout))
    for payload in XSS_PAYLOADS:
        assert payload in texts
    for literal in ("{braces} back\\slash", '"quoted"', "| pipe \\ backslash ` tick", "Ünïcödé", "😀"):
        assert literal in texts
    # No element or attribute that a browser would run came through.
    root = ET.fromstring(result.stdout)
    for node in root.iter():
        assert node.tag not in (f"{SVG_NS}script", "script")
        assert not any(name.lower().startswith("on") for name in node.attrib)


@pytest.mark.graphviz
@pytest.mark.parametrize("title", ["]]", "]]>", "a]]b", "[[x]]"])
def test_brackets_in_any_text_never_break_the_layout(title: str, dot_binary: str) -> None:
    # Found by the hostile suite's long run: a title of ']]' made dot refuse the graph,
    # reported as a bug in journeyctl's DOT output.
    text = CHECKOUT.read_text(encoding="utf-8")
    loaded = load_bytes(re.sub(r"(?m)^title: .*$", f"title: '{title}'", text, count=1).encode(), "t.yaml")
    result = subprocess.run(
        [dot_binary, "-Tsvg"], input=dot.render(loaded, dot.Options()), capture_output=True, check=False
    )
    assert result.returncode == 0, result.stderr.decode()
    assert title in " ".join(svg_texts(result.stdout))


@pytest.mark.graphviz
@pytest.mark.parametrize("path", golden_inputs(), ids=case_id)
def test_svg_is_well_formed_and_names_every_stage(path: Path, dot_binary: str) -> None:
    loaded = load(path)
    data = svg.render(loaded, svg.Options())
    texts = " ".join(svg_texts(data))
    for stage in loaded.journey.stages:
        # dot draws a wrapped label as several text elements; compare word by word.
        assert " ".join(stage.name.split()) in " ".join(texts.split())


@pytest.mark.graphviz
def test_png_and_pdf_have_their_magic_bytes_and_are_deterministic(dot_binary: str) -> None:
    loaded = load(CHECKOUT)
    first_png = png.render(loaded, png.Options())
    assert first_png.startswith(b"\x89PNG\r\n\x1a\n")
    first_pdf = pdf.render(loaded, pdf.Options())
    assert first_pdf.startswith(b"%PDF-")
    time.sleep(1.1)  # Cairo stamps PDFs to the second
    assert pdf.render(loaded, pdf.Options()) == first_pdf, "PDF carries a timestamp"
    assert png.render(loaded, png.Options()) == first_png


def test_missing_graphviz_is_an_input_error_with_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no dot
    target = tmp_path / "out.svg"
    code = run(["render", str(CHECKOUT), "--format", "flow-svg", "-o", str(target)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Graphviz is not installed" in err
    assert "apt-get install graphviz" in err and "brew install graphviz" in err
    assert not target.exists()


def test_missing_graphviz_inside_the_renderer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RenderError, match="Graphviz is not installed"):
        svg.render(load(CHECKOUT), svg.Options())


def test_dot_format_needs_no_graphviz(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    target = tmp_path / "out.dot"
    assert run(["render", str(CHECKOUT), "-f", "dot", "-o", str(target)]) == 0
    assert target.read_text().startswith("digraph journey {")


def test_every_stage_is_a_cluster_in_journey_order_and_links_are_drawn() -> None:
    text = build_dot(load(CHECKOUT), dot.Options())
    positions = [
        text.index(f'subgraph "cluster_stage:{ident}"') for ident in ("discover", "buy", "receive", "empty")
    ]
    assert positions == sorted(positions)
    assert '"opp:size-finder" -> "pain:size-unclear"' in text
    assert '"step:browse" -> "step:compare"' in text and '"step:compare" -> "step:pay"' in text
    assert "via Web shop (web)" in text and "MOMENT OF TRUTH" in text
    assert "Emotion: -2 very negative" in text  # emotion in words as well as colour
    assert "Backstage: Merchandising" not in text  # backstage lanes are opt-in
    assert "Backstage: Merchandising" in build_dot(load(CHECKOUT), dot.Options(backstage=True))


def test_stage_filter_keeps_only_the_named_stages() -> None:
    text = build_dot(load(CHECKOUT), dot.Options(stages=["buy"]))
    assert '"cluster_stage:buy"' in text and '"cluster_stage:discover"' not in text
    with pytest.raises(RenderError, match=r"unknown stage 'by'.*did you mean 'buy'"):
        build_dot(load(CHECKOUT), dot.Options(stages=["by"]))


def test_big_maps_switch_to_the_compact_layout() -> None:
    loaded = load_bytes(big_map(500), "big.yaml")
    options = dot.Options()
    assert choose_layout(loaded.journey, loaded.journey.stages, options) == "compact"
    text = build_dot(loaded, options)
    assert text.count('"stage:s') >= 500 and '"step:' not in text
    assert "Phase: purchase" in text
    small = load_bytes(big_map(10), "small.yaml")
    assert choose_layout(small.journey, small.journey.stages, options) == "detailed"


@pytest.mark.graphviz
def test_500_stage_map_lays_out_in_bounded_time(dot_binary: str) -> None:
    source = dot.render(load_bytes(big_map(500), "big.yaml"), dot.Options())
    # Not a timed test (CI machines vary); the timeout only stops a layout that explodes.
    result = subprocess.run(
        [dot_binary, "-Tsvg"], input=source, capture_output=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr.decode()
    texts = " ".join(svg_texts(result.stdout))
    assert all(f"Stage {s} " in texts for s in range(500))


def test_dot_output_is_deterministic_across_processes() -> None:
    command = ["-c", "import sys; from journeyctl.entry import main; sys.exit(main(sys.argv[1:]))"]
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, *command, "render", str(CHECKOUT), "-f", "dot"],
            capture_output=True,
            env=env,
            check=True,
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_branches_hang_off_the_main_line() -> None:
    """The bold chain is the main line only; a branch step is reached by a dashed arrow from the
    step it branches off, labelled with its kind and condition, and returns by one where it rejoins."""
    import re

    text = build_dot(load(FIDELITY), dot.Options())
    chain = re.findall(r'^\s*"step:([a-z-]+)" -> "step:([a-z-]+)" \[penwidth=1.6', text, flags=re.M)
    assert ("picks-slot", "pays") in chain and ("waits-in", "unpacks") in chain
    on_chain = {ident for pair in chain for ident in pair}
    assert not on_chain & {"slot-full", "picks-morning-slot", "tries-pickup-point"}
    assert '"step:picks-slot" -> "step:slot-full" [style=dashed, color="#6941c6"' in text
    assert 'label=<failure path: if every evening<BR ALIGN="LEFT"/>slot is taken>' in text
    assert '"step:slot-full" -> "step:picks-morning-slot" [style=dashed' in text
    rejoins = '"step:picks-morning-slot" -> "step:pays" [style=dashed, color="#6941c6", fontcolor="#6941c6"'
    assert rejoins + ', label="rejoins"]' in text


@pytest.mark.graphviz
def test_dot_lays_the_main_line_level_and_every_branch_off_it(dot_binary: str) -> None:
    """Where dot puts the steps (``-Tplain``): every main-line step on one level, no branch step on it."""
    loaded = load(FIDELITY)
    source = dot.render(loaded, dot.Options())
    result = subprocess.run([dot_binary, "-Tplain"], input=source, capture_output=True, check=True)
    levels: dict[str, float] = {}
    for line in result.stdout.decode().splitlines():
        parts = line.split()
        if parts[:1] == ["node"] and parts[1].startswith('"step:'):
            levels[parts[1].strip('"').removeprefix("step:")] = float(parts[3])
    kinds = {step.id: step.is_branch for _, step in loaded.journey.iter_steps()}
    main = {levels[ident] for ident, branch in kinds.items() if not branch}
    assert len(main) == 1, f"the main line is not level: {levels}"
    line = main.pop()
    assert all(abs(levels[ident] - line) > 0.5 for ident, branch in kinds.items() if branch), levels


def test_step_labels_carry_the_fidelity_fields() -> None:
    import re

    # Labels wrap at 30 characters; the words are what matters here.
    text = re.sub(r'<BR ALIGN="LEFT"/>', " ", build_dot(load(FIDELITY), dot.Options()))
    assert "<I>every persona</I>" in text  # a step that names no persona, in a map with several
    assert "Sam, plans the week; Alex, adds to the basket" in text
    assert "Emotion: Sam, plans the week: 0 neutral<BR/>Alex, adds to the basket: -1 negative" in text
    assert "Emotion: not scored" in text and "not scored</TD>" in text  # the step and the legend
    assert "<B>MOMENT OF TRUTH</B>" in text and "<B>FAILURE PATH</B>" in text
    assert "Works well: The friend shows the app on their phone" in text
    assert "Takes 20m" in text and "Waits 1-2h" in text
    assert "Main line: at least 30m doing (2 of 3 steps timed)" in text
    assert "Funnel: 10,000 households reach it; 38% leave before the next" in text
    assert "earned (nobody here runs it)" in text and "third party" in text
    assert "PAIN (not rated)" in text
    assert "Insight: Interview: Diary study with 12 households (2026-09-12)" in text
    # A metric hangs with the step it measures, with its period and segment.
    assert "step “Picks a delivery slot”, as of 2026-09-30, Sam, plans the week, new customers" in text


def test_compact_layout_counts_branches_and_unrated_pain_points() -> None:
    text = build_dot(load(FIDELITY), dot.Options(layout="compact"))
    assert "4 steps · 1 touchpoint (2 off the main line)" in text
    assert "2 pain points (worst: medium, 1 not rated)" in text
    assert "Emotion: mean +0.2 (neutral)" in text  # order's main line: -0.5 (mean of Sam 0, Alex -1), +1
    assert "Emotion: mean -0.5 (neutral)" in text  # receive's main line: 0, -1 (not the +1 branch)


WRAP_CASES = [
    ("", 10),
    ("   ", 10),
    ("one two three four five six", 10),
    ("  leading and trailing  ", 8),
    ("tabs\tand\nnewlines\x0band\x0cfeeds\rhere", 7),
    ("a " + "x" * 45 + " b", 10),  # a long word fills the rest of the line, then whole lines
    ("x" * 25, 10),
    ("no\u00a0break\u00a0spaces\u00a0stay\u00a0in\u00a0words", 6),
    ("ends with a blank \u2003", 5),
    ("hy-phen-ated words stay whole-ish", 9),
]


@pytest.mark.parametrize(("text", "width"), WRAP_CASES)
def test_wrap_text_wraps_as_textwrap_does(text: str, width: int) -> None:
    import textwrap

    from journeyctl.renderers.graphviz_dot import wrap_text

    assert wrap_text(text, width) == textwrap.wrap(text, width, break_on_hyphens=False)


def test_wrap_text_matches_textwrap_on_random_text() -> None:
    import random
    import textwrap

    from journeyctl.renderers.graphviz_dot import wrap_text

    pieces = [" ", "  ", "\t", "\n", "a", "bb", "-", "\u00a0", "x" * 15, "y" * 40, "\r", "\u2003", "é"]
    generator = random.Random(9)
    for _ in range(3000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(0, 20)))
        width = generator.choice([1, 2, 3, 5, 8, 13, 30])
        assert wrap_text(text, width) == textwrap.wrap(text, width, break_on_hyphens=False), (text, width)


def test_a_10_mb_word_wraps_in_linear_time() -> None:
    # textwrap copied the rest of the word for every line: 18-28 s for a 10 MB title.
    from journeyctl.renderers.graphviz_dot import wrap_text

    started = time.perf_counter()
    lines = wrap_text("x" * 10_000_000, 80)
    assert time.perf_counter() - started < 5  # ~0.1 s
    assert len(lines) == 125_000 and set(lines) == {"x" * 80}
