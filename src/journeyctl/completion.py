"""Shell completion for bash, zsh and fish: the scripts, where they go, and the values they offer.

The scripts are typer's: each asks ``journeyctl`` itself what fits where the
cursor is (``_JOURNEYCTL_COMPLETE=complete_bash`` and the words typed so far
in the environment), so commands, options and the values below are always
those of the installed version. ``journeyctl completion SHELL`` prints the
script; ``--install`` writes it where the shell looks for completions of its
own accord (bash-completion's and fish's user directories), or, for zsh, to
``~/.zfunc`` with the one line to add to ``~/.zshrc``. No shell start-up file
is edited.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from journeyctl.errors import UsageError

PROG_NAME = "journeyctl"
#: The environment variable through which the shell asks for completions.
COMPLETE_VAR = "_JOURNEYCTL_COMPLETE"
SHELLS = ("bash", "zsh", "fish")
EXIT_OK = 0


def check_shell(shell: str) -> str:
    if shell not in SHELLS:
        import difflib

        message = f"unknown shell {shell!r}; choose bash, zsh or fish"
        close = difflib.get_close_matches(shell, SHELLS, n=1)
        raise UsageError(message + (f" (did you mean '{close[0]}'?)" if close else ""))
    return shell


def completion_script(shell: str) -> str:
    """The completion script of ``shell``, ending in a newline."""
    from typer._completion_shared import get_completion_script

    script = get_completion_script(prog_name=PROG_NAME, complete_var=COMPLETE_VAR, shell=check_shell(shell))
    return script.rstrip("\n") + "\n"


def install_path(shell: str, environ: dict[str, str] | None = None) -> Path:
    """Where ``--install`` writes the script of ``shell`` (honouring XDG_DATA_HOME, XDG_CONFIG_HOME)."""
    env = os.environ if environ is None else environ
    home = Path(env.get("HOME") or Path.home())
    data = Path(env.get("XDG_DATA_HOME") or home / ".local" / "share")
    config = Path(env.get("XDG_CONFIG_HOME") or home / ".config")
    if check_shell(shell) == "bash":
        # bash-completion (>= 2.8) loads completions on demand from here.
        return data / "bash-completion" / "completions" / PROG_NAME
    if shell == "fish":
        return config / "fish" / "completions" / f"{PROG_NAME}.fish"
    return home / ".zfunc" / f"_{PROG_NAME}"


def run_completion(shell: str, *, install: bool = False) -> int:
    """Print the script of ``shell``, or install it and say where (and what else to do for zsh)."""
    script = completion_script(shell)
    if not install:
        sys.stdout.write(script)
        return EXIT_OK
    from journeyctl.output import write_atomic

    path = install_path(shell)
    write_atomic(path, script.encode("utf-8"))
    sys.stderr.write(f"Installed {shell} completion in {path}; it takes effect in new shells.\n")
    if shell == "bash":
        sys.stderr.write("It needs the bash-completion package (installed by default on most systems).\n")
    elif shell == "zsh":
        sys.stderr.write(
            "Add this line to ~/.zshrc, before any other compinit, if it is not there yet:\n"
            "  fpath=(~/.zfunc $fpath); autoload -Uz compinit && compinit\n"
        )
    return EXIT_OK


def prepare() -> None:
    """Register typer's completion classes when the shell is asking for completions.

    typer registers them only when it adds its own ``--install-completion``
    options, which journeyctl does not (it has this command instead).
    """
    if os.environ.get(COMPLETE_VAR):
        from typer._completion_classes import completion_init

        completion_init()


# --- values offered after an option -------------------------------------------------------


def shells() -> list[str]:
    return list(SHELLS)


def colors() -> list[tuple[str, str]]:
    return [
        ("auto", "on a terminal, unless NO_COLOR is set"),
        ("always", "also in pipes and files"),
        ("never", "no colour at all"),
    ]


def lint_formats() -> list[str]:
    from journeyctl.lint.formats import FORMATS

    return list(FORMATS)


def diff_formats() -> list[str]:
    return ["text", "markdown", "json"]


def render_formats() -> list[str]:
    """Built-in format names and plugins' entry-point names (nothing imported)."""
    from journeyctl.renderers import BUILTIN_RENDERERS, _entry_points

    return [*BUILTIN_RENDERERS, *(entry_point.name for entry_point in _entry_points())]


def presets() -> list[str]:
    from journeyctl.config import PRESETS

    return list(PRESETS)


def fail_on_levels() -> list[str]:
    from journeyctl.config import FAIL_ON_CHOICES

    return list(FAIL_ON_CHOICES)


def diff_fail_on() -> list[str]:
    return ["regression", "any", "never"]


def templates() -> list[tuple[str, str]]:
    from journeyctl.scaffold.new_map import MAP_TEMPLATES

    return [(template.name, template.description) for template in MAP_TEMPLATES]


def rule_codes() -> list[tuple[str, str]]:
    from journeyctl.lint.registry import get_registry

    return [(rule.code, rule.summary) for rule in get_registry()]
