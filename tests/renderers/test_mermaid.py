"""Mermaid renderer: goldens, the sanitiser's cases, and mermaid-cli's parser accepting the output."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from journeyctl.loader import load_bytes
from journeyctl.model import dump
from journeyctl.renderers import mermaid
from journeyctl.renderers.common import one_line
from tests.conftest import EXAMPLES, ROOT, require_tool
from tests.renderers.rendercases import (
    CHECKOUT,
    FIDELITY,
    HOSTILE,
    case_id,
    check_golden,
    golden_inputs,
    load,
)

MERMAID_TOOLS = ROOT / "tools" / "mermaid"
MMDC = MERMAID_TOOLS / "node_modules" / ".bin" / "mmdc"
INSTALL = "cd tools/mermaid && PUPPETEER_SKIP_DOWNLOAD=1 npm ci"


@pytest.mark.parametrize("path", golden_inputs(), ids=case_id)
def test_mermaid_golden(path: Path, update_goldens: bool) -> None:
    check_golden(f"{path.stem}.mmd", mermaid.render(load(path), mermaid.Options()), update_goldens)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pays by card", "Pays by card"),
        ("a: b", "a#58; b"),
        ("x # y ; z", "x #35; y #59; z"),
        ("one, two", "one#44; two"),
        ("  padded \n\n next line\t", "padded next line"),
        ("100%% sure %%{init: {}}%%", "100#37;#37; sure #37;#37;#123;init#58; #123;#125;#125;#37;#37;"),
        ("%comment", "#37;comment"),
        ("<b>bold</b>", "#60;b#62;bold#60;/b#62;"),
        ("#44; already a code", "#35;44#59; already a code"),  # shown as written, not as ","
        ("title Fake", "#116;itle Fake"),
        ("Section three", "#83;ection three"),
        ("journey", "#106;ourney"),
        ("accDescr: x", "#97;ccDescr#58; x"),
        ("Titles matter", "Titles matter"),  # only whole keywords are dangerous
        ("\x07bell", "\ufffdbell"),
        ("   ", ""),
    ],
)
def test_mermaid_text(text: str, expected: str) -> None:
    assert mermaid.mermaid_text(text) == expected


def test_no_look_alike_characters_in_any_export() -> None:
    """Full-width twins (U+FF00-FFEF) and zero-width spaces were the old escapes: none is written."""
    for path in golden_inputs():
        text = mermaid.render(load(path), mermaid.Options()).decode()
        drawn = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("%%"))
        loaded = load(path)
        source_text = json.dumps(dump(loaded.journey), ensure_ascii=False)
        odd = {c for c in drawn if "\uff00" <= c <= "\uffef" or c == "\u200b"} - set(source_text)
        assert odd == set(), (path.name, odd)


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("Pays by card", 150, ("Pays by card", False)),
        (
            "Enters the new postcode in the availability checker",
            150,
            ("Enters the new postcode in the…", True),
        ),
        ("Supercalifragilisticexpialidocious", 150, ("Supercalifragilist…", True)),  # one word too wide
        (
            "Enters the new postcode in the availability checker",
            350,
            ("Enters the new postcode in the availability checker", False),
        ),
        (
            "Ends on a comma, then more words that do not fit at all",
            150,
            ("Ends on a comma, then more…", True),
        ),
    ],
)
def test_fit_text(text: str, width: int, expected: tuple[str, bool]) -> None:
    assert mermaid.fit_text(text, width) == expected
    shown, _ = mermaid.fit_text(text, width)
    assert mermaid.fits(shown, width)


@pytest.mark.parametrize("word", ["x" * 16_000, "Wörter" * 3_000, "日本語" * 2_000])
def test_a_huge_first_word_is_cut_to_the_longest_start_that_fits(word: str) -> None:
    # Found by the hostile suite's long run: cutting one character at a time took 3.6 s here.
    shown, shortened = mermaid.fit_text(word)
    assert shortened and shown.endswith(mermaid.ELLIPSIS)
    start = shown[: -len(mermaid.ELLIPSIS)]
    assert word.startswith(start)
    assert mermaid.fits(shown, mermaid.TASK_WIDTH)
    assert not mermaid.fits(word[: len(start) + 1] + mermaid.ELLIPSIS, mermaid.TASK_WIDTH)


def test_scores_actors_and_sections() -> None:
    text = mermaid.render(load(CHECKOUT), mermaid.Options()).decode()
    lines = text.splitlines()
    assert lines[0] == "journey"
    assert "    title Buying a bike online" in lines
    assert "    section Discover" in lines and "    section Review later" in lines
    assert "      Browses city bikes: 4: Daily commuter" in lines  # emotion +1 -> 4
    assert "      Pays by card: 1: Daily commuter" in lines  # emotion -2 -> 1
    # No persona: every persona takes the step.
    assert "      Compares two models: 3: Daily commuter, Busy parent" in lines
    # No emotion: drawn at 3, and a note says why.
    index = lines.index("      Unpacks and rides: 3: Busy parent")
    assert (
        lines[index - 1] == "      %% unpack: not scored: drawn at 3 (neutral) because Mermaid needs a score"
    )


def test_several_actors_per_task_and_per_persona_scores() -> None:
    lines = mermaid.render(load(FIDELITY), mermaid.Options()).decode().splitlines()
    # Several personas: several actors, names with commas as entity codes, one actor each.
    assert "      Builds the list together: 4: Sam#44; plans the week, Alex#44; adds to the basket" in lines
    assert (
        "      %% builds-list: personas feel differently here (Sam, plans the week: +1 positive; "
        "Alex, adds to the basket: -1 negative); the task shows the step's score"
    ) in lines
    # Scored per persona only: the lowest, said so.
    assert "      Picks a delivery slot: 2: Sam#44; plans the week, Alex#44; adds to the basket" in lines
    assert any(
        line.startswith("      %% picks-slot: personas feel differently") and line.endswith("the lowest")
        for line in lines
    )


def test_branches_are_named_not_drawn() -> None:
    """A journey diagram is one line every customer follows: branch steps are no tasks."""
    text = mermaid.render(load(FIDELITY), mermaid.Options()).decode()
    drawn = [line for line in text.splitlines() if not line.lstrip().startswith("%%")]
    assert not any("evening slot full" in line or "pickup point" in line for line in drawn)
    assert (
        "      %% not drawn (a journey diagram is the main line only): failure path “Finds every evening "
        "slot full”; recovery path “Takes a morning slot and works from home”"
    ) in text.splitlines()


def test_shortened_text_keeps_the_full_text_in_a_note() -> None:
    loaded = load_bytes(
        b"journeyctl: 1\nid: m\ntitle: T\nstages:\n  - id: s\n    name: S\n    steps:\n"
        b"      - {id: long, action: 'Enters the new postcode in the availability checker', emotion: 1}\n",
        "m.yaml",
    )
    lines = mermaid.render(loaded, mermaid.Options()).decode().splitlines()
    assert lines[-2:] == [
        "      %% long: shortened to fit Mermaid's task box; in full: "
        "Enters the new postcode in the availability checker",
        "      Enters the new postcode in the…: 4",
    ]
    whole = mermaid.render(loaded, mermaid.Options(shorten=False)).decode().splitlines()
    assert whole[-1] == "      Enters the new postcode in the availability checker: 4"


def test_notes_cannot_become_directives() -> None:
    assert mermaid.comment_text("a %%{init: {}}%% b\nc") == "a % %{init: {}}% % b c"


def test_no_personas_means_no_actors_and_empty_names_fall_back_to_ids() -> None:
    loaded = load_bytes(
        b"journeyctl: 1\nid: m\ntitle: '  '\nstages:\n  - id: s\n    name: S\n    steps:\n"
        b"      - {id: only-space, action: ' ', emotion: 2}\n",
        "m.yaml",
    )
    lines = mermaid.render(loaded, mermaid.Options()).decode().splitlines()
    assert "    title m" in lines
    assert "      only-space: 5" in lines


def test_stage_filter() -> None:
    text = mermaid.render(load(CHECKOUT), mermaid.Options(stages=["buy"])).decode()
    assert "section Buy" in text and "section Discover" not in text


def mmdc(chromium_binary: str, workdir: Path) -> list[str]:
    """The mmdc command line, using the system Chromium through a puppeteer config."""
    if not MMDC.exists():
        pytest.fail(f"mermaid-cli is not installed in {MERMAID_TOOLS}: run '{INSTALL}'")
    config = {
        "executablePath": chromium_binary,
        "args": ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-dev-shm-usage"],
    }
    config_file = workdir / "puppeteer.json"
    config_file.write_text(json.dumps(config))
    return [str(MMDC), "--quiet", "-p", str(config_file)]


def svg_texts(data: bytes) -> list[str]:
    """The text of every text element and label of an SVG that Mermaid drew."""
    root = ET.fromstring(data)
    names = ("text", "div", "title")
    return ["".join(node.itertext()) for node in root.iter() if node.tag.rsplit("}", 1)[-1] in names]


def has_glyph(char: str) -> bool:
    """Whether an installed font (fontconfig) has a glyph for ``char``: else it is drawn as an empty box."""
    fc_list = require_tool("fontconfig's fc-list", shutil.which("fc-list"))
    found = subprocess.run(
        [fc_list, f":charset={ord(char):x}", "family"], capture_output=True, text=True, check=True
    )
    return bool(found.stdout.strip())


#: What every label box of a drawn diagram holds: its text, and whether the text overflows the box.
MEASURE_BOXES = """() => [...document.querySelectorAll('foreignObject')].map((box) => {
  const label = box.querySelector('div.label');
  return {
    text: label ? label.textContent : '',
    cut: label ? label.scrollHeight > box.height.baseVal.value + 0.5
      || label.scrollWidth > box.width.baseVal.value + 0.5 : false,
  };
})"""


@pytest.mark.node
@pytest.mark.browser
def test_mermaid_cli_accepts_every_diagram(node_binary: str, chromium_binary: str, tmp_path: Path) -> None:
    """One mmdc run (a browser start costs seconds) over a Markdown file holding every diagram.

    Mermaid draws every task with exactly the text of the step (shortened where it would not fit),
    no box cuts its text (measured in Chromium), and every character has a glyph in the installed
    fonts (the full-width look-alikes of old had none: empty boxes).
    """
    assert node_binary  # mmdc is a Node script
    command = mmdc(chromium_binary, tmp_path)
    inputs = golden_inputs()
    diagrams = [mermaid.render(load(path), mermaid.Options()).decode() for path in inputs]
    source = tmp_path / "all.md"
    source.write_text("".join(f"```mermaid\n{text}```\n\n" for text in diagrams), encoding="utf-8")
    result = subprocess.run(
        [*command, "-i", str(source), "-o", str(tmp_path / "out.md"), "-e", "svg"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"mmdc rejected a diagram:\n{result.stderr[-3000:]}"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_binary, args=["--no-sandbox"])
        page = browser.new_page()
        for index, path in enumerate(inputs, start=1):
            svg = tmp_path / f"out-{index}.svg"
            drawn = svg_texts(svg.read_bytes())
            assert "Syntax error" not in " ".join(drawn), path
            page.goto(svg.as_uri())
            boxes = page.evaluate(MEASURE_BOXES)
            labels = [box["text"] for box in boxes]
            journey = load(path).journey
            for _, step in journey.iter_main_line():
                shown, _ = mermaid.fit_text(one_line(step.action) or step.id)
                assert shown in labels, (path.name, step.id, shown)
            assert [box["text"] for box in boxes if box["cut"]] == [], path.name
            if path.parent == EXAMPLES:
                characters = {char for text in drawn for char in text if not char.isascii()}
                assert [char for char in sorted(characters) if not has_glyph(char)] == [], path.name
        browser.close()


@pytest.mark.node
@pytest.mark.browser
def test_mermaid_cli_hostile_title_survives(node_binary: str, chromium_binary: str, tmp_path: Path) -> None:
    assert node_binary
    command = mmdc(chromium_binary, tmp_path)
    source = tmp_path / "hostile.mmd"
    source.write_bytes(mermaid.render(load(HOSTILE), mermaid.Options()))
    result = subprocess.run(
        [*command, "-i", str(source), "-o", str(tmp_path / "hostile.svg")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    drawn = svg_texts((tmp_path / "hostile.svg").read_bytes())
    # The title exactly as written (no look-alikes), as text: no element came of it.
    title = '<script>alert(1)</script> "quoted" {braces} back\\slash | pipe: colon # hash ; semi'
    assert title in drawn
    root = ET.fromstring((tmp_path / "hostile.svg").read_bytes())
    assert not [node for node in root.iter() if node.tag.rsplit("}", 1)[-1] in ("script", "img")]
    # Keywords and comment marks in names stay names.
    assert "section: <img src=x onerror=alert(1)> # not a comment ; semi" in drawn
    assert "journey" in drawn and "title Looks like a title: 5: Me" in drawn


@pytest.mark.node
def test_mermaid_journey_with_several_actors_survives_a_map(node_binary: str, tmp_path: Path) -> None:
    """Issue 10's acceptance: a Mermaid journey with several actors per task, written as a journeyctl
    map (journeyctl import), rendered back with ``--format mermaid``: Mermaid's own parser reads the
    same sections, tasks, scores and actors from both."""
    from typer.testing import CliRunner

    from journeyctl.cli import app
    from tests.importers.test_mermaid_import import mermaid_parse

    original = (
        "journey\n"
        "    title My working day\n"
        "    section Go to work\n"
        "      Make tea: 5: Me\n"
        "      Go upstairs: 3: Me, Cat\n"
        "      Do work: 1: Me, Cat\n"
        "    section Go home\n"
        "      Go downstairs: 5: Me\n"
        "      Sit down: 3: Cat, Me, Smith#44; John\n"
        "      Feed the cat#58; twice: 4: Cat\n"
    )
    source = tmp_path / "day.mmd"
    source.write_text(original, encoding="utf-8")
    runner = CliRunner()
    imported = runner.invoke(app, ["import", str(source), "-o", str(tmp_path / "day.yaml")])
    assert imported.exit_code == 0, imported.output
    written = (tmp_path / "day.yaml").read_text(encoding="utf-8")
    assert "personas: [me, cat]" in written and "personas: [cat, me, smith-john]" in written
    rendered = runner.invoke(app, ["render", str(tmp_path / "day.yaml"), "--format", "mermaid"])
    assert rendered.exit_code == 0, rendered.output
    theirs_before, theirs_after = mermaid_parse(node_binary, [original, rendered.stdout])
    assert "error" not in theirs_after, theirs_after
    assert theirs_after["sections"] == theirs_before["sections"] == ["Go to work", "Go home"]
    assert theirs_after["tasks"] == theirs_before["tasks"]
    assert theirs_after["title"] == theirs_before["title"]
    assert {task["task"]: task["people"] for task in theirs_after["tasks"]}["Sit down"] == [
        "Cat",
        "Me",
        "Smith, John",
    ]
