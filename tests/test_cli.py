"""The installed ``journeyctl`` entry point: exit codes, messages, no tracebacks, fast start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from journeyctl import __version__
from tests.conftest import ROOT
from tests.loader.test_loader_cases import BASE

JOURNEYCTL = str(Path(sys.executable).with_name("journeyctl"))


def run(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [JOURNEYCTL, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=60, check=False
    )


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def test_version_is_fast_and_imports_nothing_heavy() -> None:
    code = (
        "import sys; from journeyctl.entry import main; main(['--version']); "
        "heavy = {'pydantic', 'typer', 'jinja2', 'graphviz', 'rich', 'yaml', 'ruamel'} & "
        "{m.split('.')[0] for m in sys.modules}; print(sorted(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == [f"journeyctl {__version__}", "[]"]
    assert run("--version").stdout.startswith("journeyctl ")


def test_python_dash_m_works() -> None:
    result = subprocess.run([sys.executable, "-m", "journeyctl", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("journeyctl ")


def test_validate_valid_file_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(BASE)
    result = run("validate", str(path))
    assert result.returncode == 0, result.stderr
    assert "1 file valid" in result.stderr


def test_bogus_key_appended_to_example_is_located(tmp_path: Path) -> None:
    example = sorted((ROOT / "examples").glob("*.yaml"))[0]
    text = example.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    target = tmp_path / example.name
    target.write_text(text + "bogus_key: 1\n", encoding="utf-8")
    last_line = len((text + "bogus_key: 1\n").splitlines())
    result = run("validate", str(target))
    assert result.returncode == 1
    assert f"{target}:{last_line}:1: error: unknown key 'bogus_key'" in result.stderr
    assert_no_traceback(result)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "syntax",
            BASE.replace("touchpoints: [site]", "touchpoints: [site"),
            ":14:22: error: found a list opened with '[' that is not closed with ']'",
        ),
        (
            "duplicate-id",
            BASE + "      - id: pays\n        action: Again\n",
            ":16:13: error: duplicate step id 'pays'",
        ),
        (
            "dangling",
            BASE.replace("touchpoints: [site]", "touchpoints: [sight]"),
            ":14:23: error: unknown touchpoint 'sight' (did you mean 'site'?)",
        ),
        (
            "billion-laughs",
            "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(9)
            ),
            ":4:40: error: YAML aliases expand this document",
        ),
    ],
)
def test_invalid_maps_exit_1_with_located_errors(tmp_path: Path, name: str, text: str, expected: str) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    result = run("validate", str(path))
    assert result.returncode == 1
    assert f"{path}{expected}" in result.stderr
    assert "Found 1 error in 1 of 1 file." in result.stderr
    assert_no_traceback(result)


def test_directory_walk_skips_other_yaml(tmp_path: Path) -> None:
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "a.yaml").write_text(BASE)
    (tmp_path / "maps" / "ci.yml").write_text("on: push\n")
    (tmp_path / "maps" / ".hidden").mkdir()
    (tmp_path / "maps" / ".hidden" / "b.yaml").write_text("journeyctl: 1\n")
    result = run("validate", str(tmp_path / "maps"))
    assert result.returncode == 0, result.stderr
    assert "1 file valid" in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = run("validate", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2
    assert f"error: {tmp_path / 'nope.yaml'}: no such file or directory" in missing.stderr
    bad_option = run("validate", "--no-such-option", str(tmp_path))
    assert bad_option.returncode == 2
    assert "No such option" in bad_option.stderr
    no_args = run("validate")
    assert no_args.returncode == 2
    empty_dir = run("validate", str(tmp_path))
    assert empty_dir.returncode == 2 and "no journey map files found" in empty_dir.stderr
    for result in (missing, bad_option, no_args, empty_dir):
        assert_no_traceback(result)


def test_max_file_size_option_and_environment(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(BASE)
    small = run("validate", "--max-file-size", "50", str(path))
    assert small.returncode == 1 and "over the 50-byte limit" in small.stderr
    env = {**os.environ, "JOURNEYCTL_MAX_FILE_SIZE": "50"}
    assert run("validate", str(path), env=env).returncode == 1
    assert run("validate", "--max-file-size", "0", str(path), env=env).returncode == 0


def test_schema_command_prints_the_checked_in_schema() -> None:
    result = run("schema")
    assert result.returncode == 0
    assert result.stdout == (ROOT / "schemas" / "journey.schema.json").read_text(encoding="utf-8")
