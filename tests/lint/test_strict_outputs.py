"""Every lint output format, for maps full of hostile text under hostile file names, read back strictly.

JSON and SARIF through ``json.loads`` refusing NaN/Infinity (and SARIF against its schema),
JUnit through expat, GitHub commands and the text formats line by line: one finding, one line,
whatever the names hold. Run through the installed ``journeyctl``, as CI runs it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from journeyctl.display import replace_surrogates, show_path

from .helpers import two_gaps_text
from .test_formats import sarif_schema

JOURNEYCTL = str(Path(sys.executable).with_name("journeyctl"))

#: File names that break naive output: markup, XML specials, controls, line breaks, a byte
#: that is not UTF-8, a Unicode line separator.
HOSTILE_NAMES = [
    b"new\nline.yaml",
    b"[bold]x.yaml",
    b"x[/y].yaml",  # a directory "x[" holding "y].yaml"
    b'cdata]]>&<"quote.yaml',
    b"bell\x07esc\x1b[31m.yaml",
    b"cr\rtab\tname.yaml",
    b"bad\xffutf8.yaml",
    b"ls\xe2\x80\xa8sep.yaml",
    b"100%25 %0A ::a,b.yaml",
]

#: Hostile text in every field that reaches a message (double-quoted YAML escapes): line breaks,
#: a tab, XML and Markdown specials, rich markup, workflow-command syntax. Control characters are refused
#: at load, as a JM000 finding that names them: INVALID_MAP has two.
HOSTILE_TEXT = r"X\n\t <]]>&\"[bold] [/y] `code` %0A ::error:: \u2028 @someone\r\nend"
HOSTILE_MAP = f"""\
journeyctl: 1
id: hostile
title: "{HOSTILE_TEXT}"
stages:
  - id: s
    name: "{HOSTILE_TEXT}"
    steps:
      - {{id: a, action: "{HOSTILE_TEXT}"}}
      - {{id: b, action: "{HOSTILE_TEXT}"}}
"""
INVALID_MAP = f'journeyctl: 1\nid: broken\ntitle: "bell\\a esc\\e"\n"{HOSTILE_TEXT}": 1\nstages: []\n'


def no_constants(name: str) -> Any:
    raise ValueError(f"non-standard JSON constant {name}")


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    maps = os.fsencode(root / "maps")
    os.makedirs(os.path.join(maps, b"x["))
    for index, name in enumerate(HOSTILE_NAMES):
        text = (two_gaps_text(), HOSTILE_MAP, INVALID_MAP)[index % 3]
        with open(os.path.join(maps, name), "w", encoding="utf-8") as handle:
            handle.write(text)
    return root


def lint(tree: Path, fmt: str) -> subprocess.CompletedProcess[bytes]:
    result = subprocess.run(
        [JOURNEYCTL, "lint", "--isolated", "--select", "ALL", "-f", fmt, "maps"],
        cwd=tree,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in result.stderr and b"internal error" not in result.stderr
    return result


@pytest.fixture(scope="module")
def findings(tree: Path) -> list[dict[str, Any]]:
    """The findings, from the JSON format (itself parsed strictly)."""
    document = json.loads(lint(tree, "json").stdout.decode("utf-8"), parse_constant=no_constants)
    found: list[dict[str, Any]] = document["findings"]
    assert len({f["path"] for f in found}) == len(HOSTILE_NAMES)
    assert any("]]>" in f["message"] and "[bold]" in f["message"] for f in found)  # hostile text reaches them
    return found


def display_paths() -> set[str]:
    return {show_path(os.fsdecode(os.path.join(b"maps", name))) for name in HOSTILE_NAMES}


def test_json_is_strict_utf8_json(tree: Path, findings: list[dict[str, Any]]) -> None:
    expected = {replace_surrogates(os.fsdecode(os.path.join(b"maps", name))) for name in HOSTILE_NAMES}
    assert {f["path"] for f in findings} == expected


def test_sarif_is_strict_json_valid_against_its_schema(tree: Path, findings: list[dict[str, Any]]) -> None:
    from jsonschema import Draft4Validator

    document = json.loads(lint(tree, "sarif").stdout.decode("utf-8"), parse_constant=no_constants)
    Draft4Validator(sarif_schema()).validate(document)
    results = document["runs"][0]["results"]
    assert len(results) == len(findings)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    # Percent-encoded file system bytes: every name, even the one that is not UTF-8, is exact.
    assert "maps/bad%FFutf8.yaml" in uris
    assert "maps/new%0Aline.yaml" in uris


def test_junit_is_well_formed_xml(tree: Path, findings: list[dict[str, Any]]) -> None:
    root = ET.fromstring(lint(tree, "junit").stdout)  # expat: refuses any character XML 1.0 forbids
    assert len(root.findall("testsuite")) == len(HOSTILE_NAMES)
    assert len(root.findall("testsuite/testcase/failure")) == len(findings)
    assert int(root.get("failures", "-1")) == len(findings)


def test_github_commands_are_one_line_each(tree: Path, findings: list[dict[str, Any]]) -> None:
    lines = lint(tree, "github").stdout.decode("utf-8").split("\n")
    assert lines[-1] == ""
    command = re.compile(
        r"::(error|warning|notice) file=[^,\r]*(,line=\d+(,col=\d+)?)?,title=[^:\r]*::[^\r]*"
    )
    assert len(lines) - 1 == len(findings)
    assert all(command.fullmatch(line) for line in lines[:-1]), lines
    files = {re.search(r"file=([^,]*)", line).group(1) for line in lines[:-1]}  # type: ignore[union-attr]
    assert "maps/new%0Aline.yaml" in files and "maps/100%2525 %250A %3A%3Aa%2Cb.yaml" in files


def test_concise_is_one_line_per_finding(tree: Path, findings: list[dict[str, Any]]) -> None:
    lines = lint(tree, "concise").stdout.decode("utf-8").splitlines()
    assert len(lines) == len(findings)
    shown = display_paths()
    for line in lines:
        assert any(line.startswith(path + ":") for path in shown), line
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", line), line


def test_text_shows_each_name_on_its_own_line(tree: Path, findings: list[dict[str, Any]]) -> None:
    result = lint(tree, "text")
    text = result.stdout.decode("utf-8")
    headers = [line for line in text.splitlines() if line and not line.startswith(" ")][:-1]
    assert set(headers) == display_paths()
    assert '"maps/new\\nline.yaml"' in headers and "maps/[bold]x.yaml" in headers
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", text)
