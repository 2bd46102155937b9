"""A plain command line of ``lint``, ``validate``, ``diff`` or ``render``, parsed and run without typer.

Importing typer and building the command costs ~25 ms, a third of a cached
lint of one map and a sixth of an uncached one, which is what pre-commit, an
editor's save, git's diff driver and an editor's preview pay on every run. For the commands such
tools run, a command line made only of forms that click reads in one way —
paths, ``-``, ``--name value``, ``--name=value``, ``-x value``, flags — is read
here and the command's body (commands.py) runs with exactly the values typer
would give it.
Anything else returns None and typer parses the line as always: ``--help``,
an unknown or misspelt option, a missing value, a value typer must check or
word the error for (``-j 0``, ``-j x``, a value starting with ``-``), ``--``
(after which diff's arguments are paths whatever they look like),
bundled short options, options before the command, the shell asking for
completions.

typer stays the definition of the CLI: ``OPTIONS`` below is that definition
reduced to what parsing needs, and tests/test_startup.py fails when it differs
from what cli.py declares (names, flags, repeatable, numbers, defaults), and
checks that both ways give the command the same values for a set of command
lines. An option added to cli.py and not here only makes its command lines
take the typer way.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

#: How an option's value is read: a flag (True when given), one text (the last one given wins),
#: a number of at least ``1`` or ``0``, or a text per occurrence.
FLAG, TEXT, NUMBER, POSITIVE, TEXTS = "flag", "text", "number", "positive", "texts"

#: Per command: option spelling -> (parameter, how its value is read). ``--debug`` is every command's.
OPTIONS: dict[str, dict[str, tuple[str, str]]] = {
    "validate": {
        "--stdin-filename": ("stdin_filename", TEXT),
        "--no-ignore": ("no_ignore", FLAG),
        "--max-file-size": ("max_file_size", NUMBER),
        "--jobs": ("jobs", POSITIVE),
        "-j": ("jobs", POSITIVE),
        "--quiet": ("quiet", FLAG),
        "-q": ("quiet", FLAG),
        "--debug": ("debug", FLAG),
    },
    "lint": {
        "--config": ("config", TEXT),
        "--isolated": ("isolated", FLAG),
        "--preset": ("preset", TEXT),
        "--select": ("select", TEXTS),
        "--extend-select": ("extend_select", TEXTS),
        "--ignore": ("ignore", TEXTS),
        "--exclude": ("exclude", TEXTS),
        "--format": ("output_format", TEXT),
        "-f": ("output_format", TEXT),
        "--output": ("output", TEXT),
        "-o": ("output", TEXT),
        "--output-file": ("output_file", TEXT),
        "--statistics": ("statistics", FLAG),
        "--fail-on": ("fail_on", TEXT),
        "--color": ("color", TEXT),
        "--jobs": ("jobs", POSITIVE),
        "-j": ("jobs", POSITIVE),
        "--max-file-size": ("max_file_size", NUMBER),
        "--force-exclude": ("force_exclude", FLAG),
        "--skip-non-maps": ("skip_non_maps", FLAG),
        "--quiet": ("quiet", FLAG),
        "-q": ("quiet", FLAG),
        "--stdin-filename": ("stdin_filename", TEXT),
        "--no-ignore": ("no_ignore", FLAG),
        "--no-cache": ("no_cache", FLAG),
        "--cache-dir": ("cache_dir", TEXT),
        "--debug": ("debug", FLAG),
    },
    "diff": {
        "--format": ("output_format", TEXT),
        "-f": ("output_format", TEXT),
        "--fail-on": ("fail_on", TEXT),
        "--output": ("output", TEXT),
        "-o": ("output", TEXT),
        "--output-file": ("output_file", TEXT),
        "--color": ("color", TEXT),
        "--git-driver": ("git_driver", FLAG),
        "--max-file-size": ("max_file_size", NUMBER),
        "--debug": ("debug", FLAG),
    },
    "render": {
        "--format": ("output_format", TEXT),
        "-f": ("output_format", TEXT),
        "--output": ("output", TEXT),
        "-o": ("output", TEXT),
        "--option": ("option", TEXTS),
        "-O": ("option", TEXTS),
        "--stages": ("stages", TEXT),
        "--group-by": ("group_by", TEXT),
        "--stdin-filename": ("stdin_filename", TEXT),
        "--no-ignore": ("no_ignore", FLAG),
        "--max-file-size": ("max_file_size", NUMBER),
        "--jobs": ("jobs", POSITIVE),
        "-j": ("jobs", POSITIVE),
        "--quiet": ("quiet", FLAG),
        "-q": ("quiet", FLAG),
        "--debug": ("debug", FLAG),
    },
}

#: Per command: the parameter that takes the command line's other words (paths, revisions).
ARGUMENTS = {"validate": "paths", "lint": "paths", "diff": "arguments", "render": "paths"}

#: Per command: the options a command line must give (without one, typer says so).
REQUIRED = {"render": ("output_format",)}

#: Per command: the value of each parameter that the command line does not give (typer's defaults).
DEFAULTS: dict[str, dict[str, Any]] = {
    "validate": {
        "paths": None,
        "stdin_filename": None,
        "no_ignore": False,
        "max_file_size": None,
        "jobs": None,
        "quiet": False,
        "debug": False,
    },
    "lint": {
        "paths": None,
        "config": None,
        "isolated": False,
        "preset": None,
        "select": None,
        "extend_select": None,
        "ignore": None,
        "exclude": None,
        "output_format": "text",
        "output": None,
        "output_file": None,
        "statistics": False,
        "fail_on": None,
        "color": "auto",
        "jobs": None,
        "max_file_size": None,
        "force_exclude": False,
        "skip_non_maps": False,
        "quiet": False,
        "stdin_filename": None,
        "no_ignore": False,
        "no_cache": False,
        "cache_dir": None,
        "debug": False,
    },
    "diff": {
        "arguments": None,
        "output_format": "text",
        "fail_on": "regression",
        "output": None,
        "output_file": None,
        "color": "auto",
        "git_driver": False,
        "max_file_size": None,
        "debug": False,
    },
    "render": {
        "output_format": None,
        "paths": None,
        "output": None,
        "option": None,
        "stages": None,
        "group_by": "folder",
        "stdin_filename": None,
        "no_ignore": False,
        "max_file_size": None,
        "jobs": None,
        "quiet": False,
        "debug": False,
    },
}

#: The shell asks for completions through this variable (completion.COMPLETE_VAR; not imported,
#: to keep this module's imports to the standard library).
_COMPLETE_VAR = "_JOURNEYCTL_COMPLETE"


def parse(args: list[str]) -> tuple[str, dict[str, Any]] | None:
    """The command and the values of its parameters, or None when typer must read ``args``."""
    if not args or args[0] not in OPTIONS or os.environ.get(_COMPLETE_VAR):
        return None
    command = args[0]
    options = OPTIONS[command]
    values = dict(DEFAULTS[command])
    words: list[str] = []
    rest = iter(args[1:])
    for arg in rest:
        if arg == "-" or not arg.startswith("-"):
            words.append(arg)
            continue
        name, equals, attached = arg.partition("=")
        if not name.startswith("--"):
            name, equals = arg, ""  # ``-x=v`` is the value ``=v`` to click: typer's business
        if name not in options:
            return None
        parameter, kind = options[name]
        if kind == FLAG:
            if equals:
                return None  # ``--quiet=yes``: typer's error
            values[parameter] = True
            continue
        following = attached if equals else next(rest, None)
        if following is None or (not equals and following.startswith("-") and following != "-"):
            return None  # no value, or one that click may read as an option
        value = following
        if kind == TEXTS:
            values[parameter] = [*(values[parameter] or []), value]
        elif kind == TEXT:
            values[parameter] = value
        elif value.isascii() and value.isdigit() and (kind == NUMBER or int(value) >= 1):
            values[parameter] = int(value)
        else:
            return None  # typer says what is wrong with the number
    values[ARGUMENTS[command]] = words or None
    if any(values[parameter] is None for parameter in REQUIRED.get(command, ())):
        return None  # typer says which option is missing
    return command, values


def run(args: list[str]) -> int | None:
    """Run a plain ``lint``, ``validate``, ``diff`` or ``render`` command line; its exit code, or
    None to let typer run it."""
    parsed = parse(args)
    if parsed is None:
        return None
    from journeyctl import commands

    command, values = parsed
    commands.STATE["debug"] = values.pop("debug")
    if command == "diff":
        values["forced_paths"] = 0  # no ``--`` on a line read here
    body: Callable[..., int] = getattr(commands, command)
    return commands.guarded(lambda: _as_typer_runs(body, values))


def _as_typer_runs(body: Callable[..., int], values: dict[str, Any]) -> int:
    """Call the command's body, and end as typer's ``main`` ends the same exceptions."""
    import errno
    import sys

    try:
        return body(**values)
    except KeyboardInterrupt:
        return 130
    except EOFError:
        sys.stderr.write("\nAborted!\n")
        return 1
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        # The reader went away; stdout is closed to further complaints, as click's PacifyFlushWrapper does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
