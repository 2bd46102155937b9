"""Command-line habits users bring from ruff and yamllint, each through the installed ``journeyctl``.

Standard input as ``-``, one ``-o/--output``, ``--debug`` after the command,
``--color`` and ``NO_COLOR``, shell completion, help without the CLI library's
internals, "no such file" for a misspelt name, ``.gitignore`` in directory
walks, configuration per file, suppression prefixes and case, and a plugin
rule that raises named as the plugin's failure. Details live in the areas'
own tests (tests/test_walk.py, tests/lint/); these prove the installed command.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.lint.helpers import two_gaps_text
from tests.loader.test_loader_cases import BASE

JOURNEYCTL = str(Path(sys.executable).with_name("journeyctl"))
ANSI = "\x1b["
COMMANDS = (
    "validate",
    "schema",
    "diff",
    "lint",
    "rules",
    "render",
    "formats",
    "init",
    "new",
    "fmt",
    "preview",
    "import",
    "completion",
)
#: What typer writes when a command leaves help to it: type labels, braces, range types.
LIBRARY_INTERNALS = ("<list[", "<str>", "<int", "<path>", "<bool>", "<float", "range>", "{", "}", "[[")

#: A stage with neither touchpoints (JM101) nor steps (JM102).
BARE_MAP = "journeyctl: 1\nid: m\ntitle: M\nstages:\n  - id: s\n    name: S\n"


def journeyctl(
    *args: str,
    cwd: Path | None = None,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CI")}
    return subprocess.run(
        [JOURNEYCTL, *args],
        cwd=cwd,
        input=stdin if stdin is not None else "",
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty git repository (a ``.git`` directory is what journeyctl looks for)."""
    (tmp_path / ".git").mkdir()
    return tmp_path


# --- standard input -------------------------------------------------------------------------


def test_validate_reads_stdin_and_names_it(repo: Path) -> None:
    broken = BASE.replace("title: Mini", "titel: Mini")
    unnamed = journeyctl("validate", "-", cwd=repo, stdin=broken)
    assert unnamed.returncode == 1
    assert "<stdin>:3:1: error: unknown key 'titel' (did you mean 'title'?)" in unnamed.stderr
    named = journeyctl("validate", "-", "--stdin-filename", "maps/shop.yaml", cwd=repo, stdin=broken)
    assert "maps/shop.yaml:3:1: error: unknown key 'titel'" in named.stderr
    assert journeyctl("validate", "-", cwd=repo, stdin=BASE).returncode == 0


def test_lint_stdin_takes_the_configuration_of_its_filename(repo: Path) -> None:
    (repo / "strict").mkdir()
    (repo / "strict" / ".journeyctl.yaml").write_text("select: [JM102]\n")
    # --stdin-filename alone stands for '-', as in ruff.
    result = journeyctl(
        "lint", "--stdin-filename", "strict/new.yaml", "-f", "concise", cwd=repo, stdin=BARE_MAP
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        "strict/new.yaml:5:5: JM102 stage 's' has no steps; add what the customer does in it, in order"
    ]
    excluded = "select: [JM102]\nexclude: [drafts/]\n"
    (repo / "strict" / ".journeyctl.yaml").write_text(excluded)
    skipped = journeyctl(
        "lint", "-", "--stdin-filename", "strict/drafts/x.yaml", "--force-exclude", cwd=repo, stdin=BARE_MAP
    )
    assert (skipped.returncode, skipped.stdout) == (0, ""), skipped.stderr


def test_render_and_fmt_read_stdin_and_write_stdout(repo: Path) -> None:
    rendered = journeyctl("render", "-", "-f", "mermaid", cwd=repo, stdin=BASE)
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stdout.startswith("journey\n    title Mini\n")
    messy = BASE.replace("id: mini\ntitle: Mini\n", "title: Mini\nid: mini\n")
    formatted = journeyctl("fmt", "-", cwd=repo, stdin=messy)
    assert (formatted.returncode, formatted.stderr) == (0, "")
    assert formatted.stdout.startswith("journeyctl: 1\nid: mini\ntitle: Mini\n")
    assert journeyctl("fmt", "-", cwd=repo, stdin=formatted.stdout).stdout == formatted.stdout
    assert [path.name for path in repo.iterdir()] == [".git"]  # nothing written
    check = journeyctl("fmt", "--check", "-", "--stdin-filename", "m.yaml", cwd=repo, stdin=messy)
    assert (check.returncode, check.stdout) == (1, "Would reformat: m.yaml\n")
    broken = journeyctl("fmt", "-", cwd=repo, stdin="journeyctl: 1\nid: [\n")
    assert broken.returncode == 2 and broken.stdout == ""  # an editor keeps its buffer


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "-", "a.yaml"], "'-' (standard input) is one map: give it alone"),
        (["lint", "a.yaml", "--stdin-filename", "b.yaml"], "--stdin-filename names standard input"),
        (["render", "-f", "md"], "give journey map files or directories to render ('-' reads"),
    ],
)
def test_stdin_mistakes_are_usage_errors(repo: Path, args: list[str], message: str) -> None:
    (repo / "a.yaml").write_text(BASE)
    result = journeyctl(*args, cwd=repo, stdin=BASE)
    assert result.returncode == 2
    assert message in result.stderr


# --- -o/--output, --debug, --color ------------------------------------------------------------


@pytest.mark.parametrize("command", ["lint", "diff"])
def test_output_is_spelt_one_way_and_the_old_spelling_still_works(repo: Path, command: str) -> None:
    (repo / "a.yaml").write_text(BASE)
    (repo / "b.yaml").write_text(BASE.replace("title: Mini", "title: Maxi"))
    inputs = ["a.yaml"] if command == "lint" else ["a.yaml", "b.yaml"]
    new = journeyctl(command, *inputs, "-f", "json", "--output", "new.json", cwd=repo)
    old = journeyctl(command, *inputs, "-f", "json", "--output-file", "old.json", cwd=repo)
    assert new.returncode == old.returncode, new.stderr + old.stderr
    assert (repo / "new.json").read_text() == (repo / "old.json").read_text() != ""
    assert "--output-file is deprecated; use -o/--output" in old.stderr
    assert "deprecated" not in new.stderr
    assert "--output-file" not in journeyctl(command, "--help").stdout  # hidden
    both = journeyctl(command, *inputs, "-o", "x", "--output-file", "y", cwd=repo)
    assert both.returncode == 2 and "give it once" in both.stderr


def test_every_command_that_colours_has_color_and_no_color_beats_force_color(repo: Path) -> None:
    (repo / "a.yaml").write_text(two_gaps_text())
    (repo / "b.yaml").write_text(two_gaps_text().replace("Ordering groceries", "Buying groceries"))
    runs = {"lint": ["lint", "a.yaml"], "rules": ["rules"], "diff": ["diff", "a.yaml", "b.yaml"]}
    for name, args in runs.items():
        assert ANSI in journeyctl(*args, "--color", "always", cwd=repo).stdout, name
        assert ANSI in journeyctl(*args, cwd=repo, env={"FORCE_COLOR": "1"}).stdout, name
        both = journeyctl(*args, cwd=repo, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
        assert both.stdout and ANSI not in both.stdout, name  # no colour, and no bold either


# --- a plugin rule that raises, and --debug after the command ---------------------------------

CRASHING_RULE = '''
"""A rule that divides by zero."""

CODE = "ACME900"
NAME = "always-crashes"


def check(loaded, options):
    yield 1 / 0
'''


@pytest.fixture
def crashing_plugin(tmp_path: Path) -> Path:
    """A distribution on PYTHONPATH (its dist-info written by hand) whose one rule raises."""
    site = tmp_path / "site"
    (site / "acme_crash").mkdir(parents=True)
    (site / "acme_crash" / "__init__.py").write_text("")
    (site / "acme_crash" / "boom.py").write_text(CRASHING_RULE)
    info = site / "acme_crash-2.0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-crash\nVersion: 2.0.1\n")
    (info / "entry_points.txt").write_text("[journeyctl.rules]\nACME900 = acme_crash.boom\n")
    return site


@pytest.mark.parametrize("debug_args", [[], ["--debug", "lint"], ["lint", "--debug"]])
def test_a_plugin_rule_that_raises_is_the_plugins_failure(
    repo: Path, crashing_plugin: Path, debug_args: list[str]
) -> None:
    (repo / "m.yaml").write_text(BASE)
    args = debug_args or ["lint"]
    result = journeyctl(
        *args, "m.yaml", "--select", "ACME900", cwd=repo, env={"PYTHONPATH": str(crashing_plugin)}
    )
    assert result.returncode == 3
    assert (
        "journeyctl: rule ACME900 (always-crashes) from plugin acme-crash 2.0.1 failed on m.yaml: "
        "ZeroDivisionError: division by zero\n"
        "This is a bug in the plugin acme-crash, not in journeyctl" in result.stderr
    )
    assert "--ignore ACME900 skips the rule" in result.stderr
    assert "bug in journeyctl" not in result.stderr
    # The traceback, with --debug before or after the command, ends in the plugin's line.
    assert ("Traceback" in result.stderr) is bool(debug_args)
    if debug_args:
        assert "yield 1 / 0" in result.stderr


# --- shell completion --------------------------------------------------------------------------


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_and_installs_each_shell(tmp_path: Path, shell: str) -> None:
    printed = journeyctl("completion", shell)
    assert printed.returncode == 0
    assert "_JOURNEYCTL_COMPLETE=complete_" + shell in printed.stdout
    home = tmp_path / "home"
    env = {"HOME": str(home), "XDG_DATA_HOME": "", "XDG_CONFIG_HOME": ""}
    installed = journeyctl("completion", shell, "--install", env=env)
    assert installed.returncode == 0, installed.stderr
    where = {
        "bash": home / ".local/share/bash-completion/completions/journeyctl",
        "zsh": home / ".zfunc/_journeyctl",
        "fish": home / ".config/fish/completions/journeyctl.fish",
    }[shell]
    assert where.read_text() == printed.stdout
    assert str(where) in installed.stderr
    assert journeyctl("completion", "tcsh").returncode == 2


def test_bash_completes_commands_options_and_values_for_real(tmp_path: Path) -> None:
    script = journeyctl("completion", "bash").stdout
    (tmp_path / "completion.bash").write_text(script)

    def complete(line: str) -> list[str]:
        words = line.split(" ")
        program = (
            f"source {tmp_path / 'completion.bash'}\n"
            f"COMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}\n"
            "_journeyctl_completion journeyctl\n"
            'printf "%s\\n" "${COMPREPLY[@]}"\n'
        )
        env = {**os.environ, "PATH": f"{Path(JOURNEYCTL).parent}{os.pathsep}{os.environ['PATH']}"}
        bash = shutil.which("bash")
        assert bash is not None
        result = subprocess.run(
            [bash, "--norc", "--noprofile", "-c", program],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        return result.stdout.split()

    assert complete("journeyctl li") == ["lint"]
    assert complete("journeyctl lint --form") == ["--format"]
    assert complete("journeyctl lint --format s") == ["sarif"]
    assert complete("journeyctl render -f m") == ["md", "mermaid"]
    assert complete("journeyctl new s") == ["saas-onboarding", "support-case"]


def test_zsh_and_fish_are_answered_with_descriptions() -> None:
    zsh = journeyctl(
        env={"_JOURNEYCTL_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "journeyctl lint --color a"}
    )
    assert zsh.stdout.splitlines() == [
        '_arguments \'*: :(("auto":"on a terminal, unless NO_COLOR is set"',
        '"always":"also in pipes and files"))\'',
    ]
    fish = journeyctl(
        env={
            "_JOURNEYCTL_COMPLETE": "complete_fish",
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
            "_TYPER_COMPLETE_ARGS": "journeyctl completion ",
        }
    )
    assert fish.stdout.split() == ["bash", "zsh", "fish"]


# --- help text -----------------------------------------------------------------------------


def test_help_shows_no_library_internals() -> None:
    for command in ("", *COMMANDS):
        result = journeyctl(*([command] if command else []), "--help")
        assert result.returncode == 0, command
        leaked = [text for text in LIBRARY_INTERNALS if text in result.stdout]
        assert not leaked, f"journeyctl {command} --help shows {leaked}:\n{result.stdout}"
    usage = journeyctl("lint", "--help").stdout.splitlines()[0]
    assert usage == "Usage: journeyctl lint [OPTIONS] [PATH]..."
    assert journeyctl("validate", "--help").stdout.startswith(
        "Usage: journeyctl validate [OPTIONS] [PATH]..."
    )
    assert journeyctl("preview", "--help").stdout.startswith("Usage: journeyctl preview [OPTIONS] PATH\n")


# --- a misspelt file name ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["lint"],
        ["render", "-f", "md"],
        ["render", "-f", "html", "-o", "site"],
        ["fmt"],
        ["fmt", "--check"],
        ["preview", "--port", "0"],
        ["import"],
    ],
)
def test_a_misspelt_file_says_no_such_file(repo: Path, args: list[str]) -> None:
    (repo / "checkout.yaml").write_text(BASE)
    result = journeyctl(*args, "chekout.yaml", cwd=repo)
    assert result.returncode == 2
    assert result.stderr.splitlines()[:2] == [
        "error: chekout.yaml: no such file or directory",
        "  hint: did you mean checkout.yaml?",
    ]


# --- .gitignore, configuration per file -----------------------------------------------------------


def test_directory_walks_honour_nested_gitignore_files_and_negation(repo: Path) -> None:
    for name in ("maps/a.yaml", "maps/generated/g.yaml", "maps/b.draft.yaml", "maps/keep/c.draft.yaml"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(BASE)
    (repo / ".gitignore").write_text("generated/\n*.draft.yaml\n")
    (repo / "maps" / "keep" / ".gitignore").write_text("!*.draft.yaml\n")
    assert journeyctl("validate", "maps", cwd=repo).stderr == "All 2 files valid.\n"
    assert journeyctl("validate", "--no-ignore", "maps", cwd=repo).stderr == "All 4 files valid.\n"
    # A directory asked for by name is walked though it is ignored; a file named is always checked.
    assert journeyctl("validate", "maps/generated", cwd=repo).stderr == "1 file valid.\n"
    assert journeyctl("validate", "maps/b.draft.yaml", cwd=repo).stderr == "1 file valid.\n"


def test_two_subprojects_are_each_linted_with_their_own_configuration(repo: Path) -> None:
    for project, config in (("web", "select: [JM101]\n"), ("app", "select: [JM102]\nfail-on: never\n")):
        (repo / project).mkdir()
        (repo / project / ".journeyctl.yaml").write_text(config)
        (repo / project / "m.yaml").write_text(BARE_MAP)
    result = journeyctl("lint", "-f", "concise", cwd=repo)
    assert result.stdout.splitlines() == [
        "app/m.yaml:5:5: JM102 stage 's' has no steps; add what the customer does in it, in order",
        "web/m.yaml:5:5: JM101 stage 's' has no touchpoints; "
        "add the places where the customer meets you in it",
    ]
    assert result.returncode == 1  # web's finding fails under web's fail-on
    assert journeyctl("lint", "app", cwd=repo).returncode == 0  # app's never fails


# --- suppression comments -----------------------------------------------------------------------


def test_suppressions_take_code_prefixes_and_any_case(repo: Path) -> None:
    commented = BARE_MAP.replace("  - id: s\n", "  - id: s  # JOURNEYCTL: DISABLE=JM1\n")
    (repo / "m.yaml").write_text(commented)
    result = journeyctl("lint", "m.yaml", "--select", "JM101,JM102,JM001", "-f", "concise", cwd=repo)
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr
