"""What start-up shortcuts must not change: parsing, help, conversion, exit codes, output.

``cli.click_command`` builds only the command a run names, ``cliparams`` converts
plain option values without pydantic, ``entry`` skips pydantic's plugin scan and
the interpreter's teardown. Each is checked against the slow path it replaces.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import textwrap
from typing import Any

import pytest
import typer
from typer._click import Context
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param
from typer.main import get_command

from journeyctl.cli import app, click_command
from journeyctl.cliparams import PlainParam, handles, install

COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]

#: Values click may hand to a parameter's conversion, for each annotation journeyctl uses.
SAMPLES: dict[str, list[Any]] = {
    "str": ["x", "", "12", "a b", "-"],
    "bool": [True, False, "true", "0", "yes"],
    "int": ["3", "0", "007", "1", "-1", "+2", " 4", "x", "", "1.5", "١٢", 5, 0],
    "list[str]": [(), ("a",), ("a", "b,c"), ["x"]],
    "Path": ["out.json", "", "-", "a b/", "/", "no/such/dir/x", "."],
}


def _annotation_name(annotation: Any) -> str:
    return getattr(annotation, "__name__", None) if isinstance(annotation, type) else str(annotation)  # type: ignore[return-value]


def _outcome(runtime: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        return "value", runtime.coerce(value, param=param, ctx=ctx)
    except BadParameter as exc:
        return "error", exc.format_message()


def _plain_parameters() -> list[tuple[str, Any]]:
    group = get_command(app)
    found = [("(app)", param) for param in group.params]
    for name in COMMANDS:
        found += [(name, param) for param in group.commands[name].params]  # type: ignore[attr-defined]
    return [(name, param) for name, param in found if handles(param.type_descriptor)]


@pytest.mark.parametrize(("command", "param"), _plain_parameters(), ids=lambda p: getattr(p, "name", p))
def test_plain_conversion_equals_typers(command: str, param: Any) -> None:
    descriptor = param.type_descriptor
    plain = PlainParam(
        parameter_info=descriptor.parameter_info, annotation=descriptor.annotation, descriptor=descriptor
    )
    typers = build_runtime_param(descriptor)
    ctx = Context(get_command(app))
    for value in [None, *SAMPLES[_annotation_name(descriptor.annotation)]]:
        assert _outcome(plain, value, param, ctx) == _outcome(typers, value, param, ctx), (command, value)


def test_every_parameter_of_lint_and_validate_is_converted_without_pydantic() -> None:
    for name in ("lint", "validate"):
        command = click_command([name])
        subcommand = command.commands[name]
        assert all(isinstance(p._runtime_param, PlainParam) for p in subcommand.params), name


def test_every_parameter_of_journeyctls_commands_is_converted_without_pydantic() -> None:
    group = get_command(app)
    install(group)
    for name in COMMANDS:
        for param in group.commands[name].params:  # type: ignore[attr-defined]
            assert isinstance(param._runtime_param, PlainParam), (name, param.name)


def test_install_leaves_other_annotations_to_typer() -> None:
    other = typer.Typer()

    @other.command()
    def pick(level: float = 0.5, when: typer.FileText | None = None) -> None:
        """A command with annotations cliparams does not know."""

    command = get_command(other)
    install(command)
    left = {p.name: p._runtime_param for p in command.params if p.name in ("level", "when")}
    assert left == {"level": None, "when": None}


def _run(command: Any, args: list[str]) -> tuple[int | str | None, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            command.main(args=args, prog_name="journeyctl", standalone_mode=True)
            code: int | str | None = 0
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", COMMANDS)
def test_a_one_command_group_helps_and_fails_like_the_full_group(name: str) -> None:
    for args in ([name, "--help"], [name, "--no-such-option"], ["--debug", name, "-h"]):
        assert _run(click_command(args), args) == _run(get_command(app), args), args


def test_without_a_known_command_the_group_has_every_command() -> None:
    for args in ([], ["--help"], ["lnt"], ["--debug"]):
        assert sorted(click_command(args).commands) == COMMANDS  # type: ignore[attr-defined]
    assert _run(click_command(["lnt"]), ["lnt"]) == _run(get_command(app), ["lnt"])


def test_a_one_command_group_parses_options_like_the_full_group() -> None:
    args = ["-j", "2", "--select", "JM1,JM2", "--select", "stale-map", "--statistics", "a.yaml", "b"]
    one = click_command(["lint", *args]).commands["lint"].make_context("lint", list(args))
    full = get_command(app).commands["lint"].make_context("lint", list(args))  # type: ignore[attr-defined]
    assert one.params == full.params
    assert one.params["jobs"] == 2 and one.params["paths"] == ["a.yaml", "b"]


def _python(code: str, **env: str | None) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter; ``env`` sets variables (None: removes one)."""
    import os

    environment = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env={name: value for name, value in environment.items() if value is not None},
        check=False,
    )


def test_models_work_without_pydantics_plugin_loader(tmp_path: Any) -> None:
    result = _python(
        """
        import sys
        from journeyctl.entry import skip_pydantic_plugin_scan
        skip_pydantic_plugin_scan()
        from journeyctl.model import Journey
        journey = Journey.model_validate(
            {"journeyctl": 1, "id": "a", "title": "A", "stages": [{"id": "s", "name": "S"}]}
        )
        assert journey.stages[0].id == "s"
        assert "importlib.metadata" not in sys.modules, "pydantic scanned for plugins"
        from pydantic.plugin._loader import PYDANTIC_ENTRY_POINT_GROUP  # the real module, on demand
        print(PYDANTIC_ENTRY_POINT_GROUP)
        """,
        PYDANTIC_DISABLE_PLUGINS=None,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "pydantic\n"


def test_plugins_enabled_by_the_user_keep_pydantics_loader() -> None:
    result = _python(
        """
        import sys
        from journeyctl.entry import skip_pydantic_plugin_scan
        skip_pydantic_plugin_scan()
        import journeyctl.model
        print("importlib.metadata" in sys.modules)
        """,
        PYDANTIC_DISABLE_PLUGINS="some-plugin",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "True\n"


def test_exit_now_runs_exit_handlers_and_flushes_output() -> None:
    result = _python(
        """
        import atexit, sys
        from journeyctl.entry import exit_now
        atexit.register(lambda: print("exit handler ran"))
        sys.stdout.write("buffered output\\n")
        sys.stderr.write("an error line\\n")
        exit_now(3)
        """
    )
    assert result.returncode == 3
    assert result.stdout == "buffered output\nexit handler ran\n"
    assert result.stderr == "an error line\n"


def test_exit_now_waits_for_a_running_thread() -> None:
    result = _python(
        """
        import threading, time
        from journeyctl.entry import exit_now
        def work():
            time.sleep(0.2)
            print("thread finished")
        threading.Thread(target=work).start()
        exit_now(1)
        """
    )
    assert result.returncode == 1
    assert result.stdout == "thread finished\n"


def test_version_imports_nothing_but_the_package() -> None:
    result = _python(
        """
        import sys
        before = set(sys.modules)
        from journeyctl.entry import main
        main(["--version"])
        print(sorted(set(sys.modules) - before))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "['__future__', 'journeyctl', 'journeyctl.entry']"
