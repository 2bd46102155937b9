"""``journeyctl diff`` arguments that are not one of its documented forms: a usage error, in a
repository or not (``diff DIR FILE`` used to compare HEAD with the working tree and exit 0).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.diff.test_hostile_input import NEW, OLD, journeyctl


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(params=["in a repository", "outside one"])
def place(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "a.yaml").write_bytes(OLD.read_bytes())
    (tmp_path / "maps" / "b.yaml").write_bytes(NEW.read_bytes())
    (tmp_path / "maps" / "c.yaml").write_bytes(NEW.read_bytes())
    if request.param == "in a repository":
        git(tmp_path, "init", "-q")
        git(tmp_path, "add", ".")
        git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "maps")
    return tmp_path


@pytest.mark.parametrize(
    ("arguments", "given"),
    [
        (["maps", "maps/a.yaml"], "1 directory and 1 file"),
        (["maps/a.yaml", "maps"], "1 file and 1 directory"),
        (["maps/a.yaml", "maps/b.yaml", "maps/c.yaml"], "3 files"),
        (["maps/a.yaml"], "1 file"),
        (["maps", "maps"], "2 directories"),
        (["--", "maps/a.yaml"], "1 file"),
    ],
)
def test_arguments_that_are_not_a_form_are_a_usage_error(
    place: Path, arguments: list[str], given: str
) -> None:
    result = journeyctl("diff", *arguments, cwd=place)
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 2, result.stdout
    assert f"error: journeyctl diff was given {given} and no revision, which is not one of" in stderr
    assert "hint: the forms are: OLD.yaml NEW.yaml (two files); no arguments" in stderr
    assert result.stdout == b""


def test_the_documented_forms_still_work(place: Path) -> None:
    two_files = journeyctl("diff", "maps/a.yaml", "maps/b.yaml", cwd=place)
    assert two_files.returncode == 1
    if (place / ".git").exists():
        assert journeyctl("diff", cwd=place).returncode == 0
        assert journeyctl("diff", "HEAD", "--", "maps", cwd=place).returncode == 0
