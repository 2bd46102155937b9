"""How journeyctl's commands print their help: in click's conventions, not typer's internals.

typer (0.2x) labels every argument with its Python type (``paths... <list[str]>``,
``PATH <str>``) and writes required arguments in braces on the usage line
(``{paths}...``); options without a metavar show ``<int range>`` or ``<path>``.
Those are the library's words, not the user's. Every journeyctl command uses
:class:`Command`, which writes arguments as ``PATH...`` and ``[PATH]...`` (the
convention of click, git and POSIX usage lines) with no type label; options
get an explicit metavar where they are declared in cli.py.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperCommand


def _bare_name(param: Any) -> str:
    return str(param.metavar) if param.metavar is not None else str(param.name or "").upper()


def argument_name(param: Any) -> str:
    """``PATH`` from the metavar (else the name, upper-cased), with ``...`` when it takes several."""
    name = _bare_name(param)
    return f"{name}..." if param.nargs != 1 else name


def usage_piece(param: Any) -> str:
    """The argument on the usage line: ``PATH...`` when required, ``[PATH]...`` when not."""
    name = _bare_name(param)
    if not param.required:
        name = f"[{name}]"
    return f"{name}..." if param.nargs != 1 else name


class Command(TyperCommand):
    """A typer command whose usage line and argument list read as click's do."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                pieces.append(usage_piece(param))
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                arguments.append((argument_name(param), record[1]))
            elif param.param_type_name == "option":
                options.append(record)
        if arguments:
            with formatter.section("Arguments"):
                formatter.write_dl(arguments)
        if options:
            with formatter.section("Options"):
                formatter.write_dl(options)
