"""Messages on stderr (``path:line:col: error: ...``, render's "Wrote ...") keep hostile names on one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from journeyctl.display import one_line, show_path

JOURNEYCTL = str(Path(sys.executable).with_name("journeyctl"))


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain/path.yaml", "plain/path.yaml"),
        ("[bold]x[/y].yaml", "[bold]x[/y].yaml"),  # not markup, nothing to escape
        ("new\nline.yaml", '"new\\nline.yaml"'),
        ('tab\t"q"\\.yaml', '"tab\\t\\"q\\"\\\\.yaml"'),  # quoted: backslash and quote escaped too
        ("esc\x1b[31m.yaml", '"esc\\x1b[31m.yaml"'),
        ("bad\udcffbyte.yaml", '"bad\\xffbyte.yaml"'),  # a byte that is not UTF-8, as Python decodes it
        ("sep\u2028and\x85.yaml", '"sep\\u2028and\\x85.yaml"'),
    ],
)
def test_show_path_quotes_only_names_that_would_break_a_line(text: str, shown: str) -> None:
    assert show_path(text) == shown


def test_one_line_escapes_without_quoting() -> None:
    assert one_line("a\nb\r\x07 'c'") == "a\\nb\\r\\x07 'c'"
    assert one_line("nothing special: é 日本") == "nothing special: é 日本"


def test_errors_and_render_messages_stay_on_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "b\nad[bold].yaml"
    bad.write_text('journeyctl: 1\nid: x\ntitle: T\n"bad\\x07key": 1\nstages: []\n')
    result = subprocess.run([JOURNEYCTL, "validate", bad.name], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1
    *errors, summary = result.stderr.splitlines()
    assert errors and all(line.startswith('"b\\nad[bold].yaml":') for line in errors), errors
    assert any(":4:" in line and "U+0007" in line for line in errors)  # the key's BEL, named
    assert summary.startswith("Found ") and summary.endswith(" in 1 of 1 file.")
    good = tmp_path / "good.yaml"
    good.write_text("journeyctl: 1\nid: g\ntitle: G\nstages:\n  - id: s\n    name: S\n")
    rendered = subprocess.run(
        [JOURNEYCTL, "render", "good.yaml", "-f", "md", "-o", "out\n[x].md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stderr == 'Wrote "out\\n[x].md".\n'
    assert (tmp_path / "out\n[x].md").read_text().startswith("# G")
