"""Mermaid renderer: goldens, the sanitiser's cases, and mermaid-cli's parser accepting the output."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from journeyctl.loader import load_bytes
from journeyctl.renderers import mermaid
from tests.conftest import ROOT
from tests.renderers.rendercases import CHECKOUT, HOSTILE, case_id, check_golden, golden_inputs, load

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
        ("a: b", "a： b"),
        ("x # y ; z", "x ＃ y ； z"),
        ("one, two", "one， two"),
        ("  padded \n\n next line\t", "padded next line"),
        ("100%% sure %%{init: {}}%%", "100%％ sure %％{init： {}}%％"),
        ("%comment", "％comment"),
        ("<b>bold</b>", "＜b＞bold＜/b＞"),
        ("title Fake", "\u200btitle Fake"),
        ("Section three", "\u200bSection three"),
        ("journey", "\u200bjourney"),
        ("accDescr: x", "\u200baccDescr： x"),
        ("Titles matter", "Titles matter"),  # only whole keywords are dangerous
        ("\x07bell", "\ufffdbell"),
        ("   ", ""),
    ],
)
def test_mermaid_text(text: str, expected: str) -> None:
    assert mermaid.mermaid_text(text) == expected


def test_scores_actors_and_sections() -> None:
    text = mermaid.render(load(CHECKOUT), mermaid.Options()).decode()
    lines = text.splitlines()
    assert lines[0] == "journey"
    assert "    title Buying a bike online" in lines
    assert "    section Discover" in lines and "    section Review later" in lines
    assert "      Browses city bikes: 4: Daily commuter" in lines  # emotion +1 -> 4
    assert "      Pays by card: 1: Daily commuter" in lines  # emotion -2 -> 1
    # No persona: every persona takes the step. No emotion: the neutral 3.
    assert "      Compares two models: 3: Daily commuter, Busy parent" in lines
    assert "      Unpacks and rides: 3: Busy parent" in lines


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
    root = ET.fromstring(data)
    return ["".join(node.itertext()) for node in root.iter() if node.tag.endswith("}text")]


@pytest.mark.node
@pytest.mark.browser
def test_mermaid_cli_accepts_every_diagram(node_binary: str, chromium_binary: str, tmp_path: Path) -> None:
    """One mmdc run (a browser start costs seconds) over a Markdown file holding every diagram."""
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
    for index, path in enumerate(inputs, start=1):
        drawn = " ".join(svg_texts((tmp_path / f"out-{index}.svg").read_bytes()))
        assert "Syntax error" not in drawn, path
        # Mermaid drew every step as a task with the text we wrote (nothing became a keyword or comment).
        loaded = load(path)
        for _, step in loaded.journey.iter_steps():
            assert mermaid.mermaid_text(step.action, step.id) in drawn, (path.name, step.id)


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
    drawn = " ".join(svg_texts((tmp_path / "hostile.svg").read_bytes()))
    assert '＜script＞alert(1)＜/script＞ "quoted" {braces} back\\slash' in drawn
