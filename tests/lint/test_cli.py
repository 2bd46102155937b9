"""``journeyctl lint`` and ``journeyctl rules`` through the CLI: exit codes, files, colour, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from journeyctl.cli import run
from journeyctl.lint.registry import get_registry

from .helpers import two_gaps_text

ANSI = "\x1b["


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with the acceptance map in maps/ and the working directory at its root."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "two-gaps.yaml").write_text(two_gaps_text(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "FORCE_COLOR", "CI", "JOURNEYCTL_MAX_FILE_SIZE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(["lint", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("args", "exit_code"),
    [
        pytest.param(["maps"], 1, id="findings-fail-by-default"),
        pytest.param(["--select", "JM102", "maps"], 0, id="clean-selection"),
        pytest.param(["--fail-on", "error", "maps"], 0, id="warnings-below-error-threshold"),
        pytest.param(["--fail-on", "never", "maps"], 0, id="never-fails"),
        pytest.param(["--ignore", "JM101,pain-point-without-opportunity", "maps"], 0, id="ignored"),
        pytest.param(["--select", "JM101", "--extend-select", "JM201", "maps"], 1, id="extend-select"),
        pytest.param(["--format", "yaml", "maps"], 2, id="unknown-format"),
        pytest.param(["--fail-on", "sometimes", "maps"], 2, id="unknown-fail-on"),
        pytest.param(["--select", "JM9999", "maps"], 2, id="unknown-rule"),
        pytest.param(["--color", "rainbow", "maps"], 2, id="unknown-colour"),
        pytest.param(["--preset", "lenient", "maps"], 2, id="unknown-preset"),
        pytest.param(["maps", "no-such-dir"], 2, id="missing-path"),
    ],
)
def test_exit_codes(
    project: Path, capsys: pytest.CaptureFixture[str], args: list[str], exit_code: int
) -> None:
    code, out, err = lint(capsys, *args)
    assert code == exit_code, out + err
    if exit_code == 2:
        assert "error:" in err and "Traceback" not in err


def test_text_output_and_summary(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = lint(capsys, "maps")
    assert code == 1
    assert out.splitlines()[0] == "maps/two-gaps.yaml"
    assert "42:5" in out and "JM101" in out and "[stage-without-touchpoints]" in out
    assert "hint: list them under `touchpoints:`" in out
    assert out.rstrip().endswith("Found 2 findings (2 warnings) in 1 of 1 file.")
    assert ANSI not in out  # not a terminal
    assert err == ""


def test_statistics(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = lint(capsys, "maps", "--statistics", "--format", "concise")
    assert out.splitlines()[-2:] == [
        "1\tJM101\twarning\tstage-without-touchpoints",
        "1\tJM201\twarning\tpain-point-without-opportunity",
    ]


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        ([], {}, False),
        (["--color", "always"], {}, True),
        (["--color", "always"], {"NO_COLOR": "1"}, True),
        ([], {"FORCE_COLOR": "1"}, True),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
        ([], {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
    ],
)
def test_colour(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    env: dict[str, str],
    coloured: bool,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    _, out, _ = lint(capsys, "maps", *args)
    assert (ANSI in out) is coloured


def test_output_file_is_written_and_stdout_stays_empty(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = lint(capsys, "maps", "-f", "sarif", "-o", "reports/lint.sarif")
    assert code == 1
    assert out == ""
    assert err == "Found 2 findings (2 warnings) in 1 of 1 file.\n"
    document = json.loads((project / "reports" / "lint.sarif").read_text())
    assert len(document["runs"][0]["results"]) == 2
    assert [p.name for p in (project / "reports").iterdir()] == ["lint.sarif"]  # no temporary left behind
    code, out, err = lint(capsys, "maps", "-o", "report.txt", "--quiet")
    assert (out, err) == ("", "")
    assert "maps/two-gaps.yaml" in (project / "report.txt").read_text()


def test_config_is_discovered_and_its_errors_are_located(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / ".journeyctl.yaml").write_text("ignore: [JM101]\nfail-on: error\n")
    code, out, _ = lint(capsys, "maps", "-f", "concise")
    assert code == 0 and "JM101" not in out and "JM201" in out
    code, _, _ = lint(capsys, "maps", "--isolated")
    assert code == 1
    (project / ".journeyctl.yaml").write_text("ignore: [JM101]\nrules:\n  stale-map: {max-age-dayz: 3}\n")
    code, out, err = lint(capsys, "maps")
    assert code == 2
    assert err.startswith(".journeyctl.yaml:3:15: error: rule JM504 (stale-map) has no option 'max-age-dayz'")
    code, _, err = lint(capsys, "maps", "--config", "other.yaml")
    assert code == 2 and "other.yaml does not exist" in err


def test_no_maps_is_a_usage_error_unless_skipping_non_maps(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "ci.yml").write_text("on: push\n")
    (project / "empty").mkdir()
    code, _, err = lint(capsys, "empty")
    assert code == 2 and "no journey map files found in empty" in err
    # pre-commit passes every YAML file it sees; the non-maps are skipped and that is fine.
    code, out, _ = lint(capsys, "--skip-non-maps", "ci.yml")
    assert code == 0 and "No findings in 0 files." in out
    code, _, _ = lint(capsys, "--skip-non-maps", "ci.yml", "maps/two-gaps.yaml")
    assert code == 1


def test_rules_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["rules"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["Code", "Name", "Severity", "Recommended", "Summary"]
    registry = get_registry()
    assert [line.split()[0] for line in lines[1:]] == registry.codes
    row = next(line for line in lines if line.startswith("JM101"))
    assert row.split()[1:4] == ["stage-without-touchpoints", "warning", "yes"]
    assert "A stage with no touchpoints" in row
    assert run(["rules", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [item["code"] for item in data] == registry.codes


def test_rules_markdown_is_the_whole_reference(capsys: pytest.CaptureFixture[str]) -> None:
    from journeyctl.lint.docs import builtin_markdown

    assert run(["rules", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Lint rules\n")
    # With no plugin installed, it is exactly docs/rules.md.
    if all(rule.origin == "journeyctl" for rule in get_registry()):
        assert out == builtin_markdown()


@pytest.mark.parametrize("name", ["JM101", "jm101", "stage-without-touchpoints"])
def test_rules_shows_one_rule(capsys: pytest.CaptureFixture[str], name: str) -> None:
    assert run(["rules", name]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# JM101 stage-without-touchpoints\n")
    assert "Failing example:" in out and "```yaml" in out


def test_rules_unknown_name_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["rules", "stage-without-touchpoint"]) == 2
    assert "did you mean 'stage-without-touchpoints'?" in capsys.readouterr().err


def test_the_installed_command(project: Path) -> None:
    """The real console script in a subprocess: exit code, output, GitHub annotations."""
    script = Path(sys.executable).with_name("journeyctl")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    result = subprocess.run(
        [str(script), "lint", "maps", "--format", "github"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0].startswith(
        "::warning file=maps/two-gaps.yaml,line=42,col=5,title=JM101 stage-without-touchpoints::"
    )
    assert result.stderr == "Found 2 findings (2 warnings) in 1 of 1 file.\n"


def test_progress_bar_only_on_a_terminal_for_long_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    from journeyctl.lint.command import PROGRESS_THRESHOLD, LintOptions, _progress

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert _progress(PROGRESS_THRESHOLD * 10, LintOptions()) is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert _progress(PROGRESS_THRESHOLD - 1, LintOptions()) is None
    assert _progress(PROGRESS_THRESHOLD, LintOptions(quiet=True)) is None
    progress = _progress(PROGRESS_THRESHOLD, LintOptions())
    assert progress is not None
    progress[0].stop()
    monkeypatch.setenv("CI", "true")
    assert _progress(PROGRESS_THRESHOLD, LintOptions()) is None
