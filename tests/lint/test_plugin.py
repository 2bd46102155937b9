"""Third-party rules: a tiny plugin distribution, installed with pip, seen by ``journeyctl lint``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PLUGIN_RULE = '''
"""A journey title in capitals: it reads as shouting on every rendered page.

Why it matters: titles are shown large on renders and site indexes; all-capital
titles are harder to read and look like an alarm rather than a journey.

Options:

- `min-length` (integer, default 4): shorter titles (acronyms) are fine.

Failing example:

```yaml
journeyctl: 1
id: x
title: BUYING A CAR
stages: [{id: s, name: S}]
```

Passing example:

```yaml
journeyctl: 1
id: x
title: Buying a car
stages: [{id: s, name: S}]
```
"""

from __future__ import annotations

from journeyctl.lint.api import RuleOptions, Violation

CODE = "ACME101"
NAME = "shouting-title"
SEVERITY = "error"
RECOMMENDED = False


class Options(RuleOptions):
    min_length: int = 4


def check(loaded, options):
    title = loaded.journey.title
    if len(title) >= options.min_length and title.isupper():
        yield Violation(loaded.locate(loaded.journey, "title"), f"title {title!r} is in capitals",
                        hint="write it in sentence case")
'''

MAP = """\
journeyctl: 1
id: car
title: BUYING A CAR
stages:
  - id: choose
    name: Choose
"""


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The plugin built from source and installed with pip into a directory of its own."""
    root = tmp_path_factory.mktemp("plugin")
    source = root / "src"
    (source / "acme_journey_rules").mkdir(parents=True)
    (source / "acme_journey_rules" / "__init__.py").write_text("")
    (source / "acme_journey_rules" / "shouting_title.py").write_text(textwrap.dedent(PLUGIN_RULE))
    (root / "pyproject.toml").write_text(
        textwrap.dedent(
            """\
            [build-system]
            requires = ["setuptools>=61"]
            build-backend = "setuptools.build_meta"

            [project]
            name = "acme-journey-rules"
            version = "1.0.0"

            [project.entry-points."journeyctl.rules"]
            ACME101 = "acme_journey_rules.shouting_title"
            """
        )
    )
    site = root / "site"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(site),
            str(root),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, (
        "could not build the test plugin (the test environment needs setuptools>=70.1, or setuptools "
        "and wheel):\n" + result.stdout + result.stderr
    )
    assert list(site.glob("acme_journey_rules-1.0.0.dist-info/entry_points.txt"))
    return site


def journeyctl(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("journeyctl")
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1"}
    return subprocess.run(
        [str(script), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_plugin_rule_runs_when_selected(plugin_site: Path, tmp_path: Path) -> None:
    (tmp_path / "car.yaml").write_text(MAP)
    result = journeyctl(plugin_site, tmp_path, "lint", "car.yaml", "--select", "shouting-title", "-f", "json")
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["name"], f["severity"], f["line"], f["column"]) for f in findings] == [
        ("ACME101", "shouting-title", "error", 3, 1)
    ]
    assert findings[0]["message"] == "title 'BUYING A CAR' is in capitals"


def test_plugin_rule_is_off_in_recommended_on_in_strict_and_configurable(
    plugin_site: Path, tmp_path: Path
) -> None:
    (tmp_path / "car.yaml").write_text(MAP)
    recommended = journeyctl(plugin_site, tmp_path, "lint", "car.yaml", "-f", "concise")
    assert "ACME101" not in recommended.stdout
    strict = journeyctl(plugin_site, tmp_path, "lint", "car.yaml", "-f", "concise", "--preset", "strict")
    assert "car.yaml:3:1: ACME101 title 'BUYING A CAR' is in capitals" in strict.stdout.splitlines()
    (tmp_path / ".journeyctl.yaml").write_text("extend-select: [ACME]\nrules:\n  ACME101: {min-length: 40}\n")
    configured = journeyctl(plugin_site, tmp_path, "lint", "car.yaml", "-f", "concise")
    assert "ACME101" not in configured.stdout
    (tmp_path / ".journeyctl.yaml").write_text("rules:\n  ACME101: {min-lenght: 40}\n")
    wrong = journeyctl(plugin_site, tmp_path, "lint", "car.yaml")
    assert wrong.returncode == 2
    assert (
        ".journeyctl.yaml:2:13: error: rule ACME101 (shouting-title) has no option 'min-lenght'"
        in wrong.stderr
    )


def test_plugin_rule_is_listed_and_documented(plugin_site: Path, tmp_path: Path) -> None:
    listed = journeyctl(plugin_site, tmp_path, "rules")
    row = next(line for line in listed.stdout.splitlines() if line.startswith("ACME101"))
    assert row.split()[1:4] == ["shouting-title", "error", "no"]
    shown = journeyctl(plugin_site, tmp_path, "rules", "ACME101")
    assert shown.returncode == 0
    assert shown.stdout.startswith("# ACME101 shouting-title\n")
    assert "from plugin acme-journey-rules" in shown.stdout


def test_without_the_plugin_its_code_is_unknown(tmp_path: Path) -> None:
    (tmp_path / "car.yaml").write_text(MAP)
    result = journeyctl(tmp_path / "empty-site", tmp_path, "lint", "car.yaml", "--select", "ACME101")
    assert result.returncode == 2
    assert "unknown rule code, code prefix or name 'ACME101'" in result.stderr


def test_declarations_are_found_by_looking_at_directories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cheap scan that spares a plugin-less run importlib.metadata finds what it would find."""
    from journeyctl.lint.registry import plugin_declarations

    declares = tmp_path / "acme_rules-2.0.dist-info"
    declares.mkdir()
    (declares / "entry_points.txt").write_text('[journeyctl.rules]\nACME1 = "acme_rules.one"\n')
    other = tmp_path / "other-1.0.dist-info"
    other.mkdir()
    (other / "entry_points.txt").write_text("[console_scripts]\nother = other:main\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path), str(tmp_path / "missing")])
    assert plugin_declarations() == [(str(declares), (declares / "entry_points.txt").read_bytes())]
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing")])
    assert plugin_declarations() == []
    archive = tmp_path / "bundle.zip"
    archive.write_bytes(b"PK\x05\x06" + bytes(18))
    monkeypatch.setattr(sys, "path", [str(archive)])
    assert plugin_declarations() is None  # a zip may hold distributions: ask importlib.metadata
