"""The wheel carries every data file the package reads (templates, scaffold files), and one version.

The wheel is built from a copy of the sources with the project's own build
backend (no isolation, no network: the test extra has setuptools and wheel).
``scripts/check-user-install.sh`` goes further: the standard isolated build,
and a pipx install as a non-root user.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from journeyctl import __version__
from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "journeyctl"


def test_wheel_has_every_package_data_file(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    build = ["wheel", "--no-deps", "--no-build-isolation", "-q", "-w", "out", "./source"]
    subprocess.run(
        [sys.executable, "-m", "pip", *build],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "out").glob("journeyctl-*.whl")
    assert wheel.name == f"journeyctl-{__version__}-py3-none-any.whl"
    names = set(zipfile.ZipFile(wheel).namelist())
    data = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix != ".py" and "__pycache__" not in path.parts
    ]
    assert "scaffold/templates/project/workflow.yml" in data and "renderers/templates/html.html.j2" in data
    assert [name for name in data if f"journeyctl/{name}" not in names] == []


def test_the_version_is_written_in_one_place() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject
    assert 'version = { attr = "journeyctl.__version__" }' in pyproject
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
