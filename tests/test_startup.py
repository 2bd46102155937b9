"""What start-up shortcuts must not change: parsing, help, conversion, exit codes, output.

``cli.click_command`` builds only the command a run names, ``cliparams`` converts
plain option values without pydantic, ``quickparse`` runs a plain ``lint`` or
``validate`` without typer, ``entry`` skips pydantic's plugin scan and the
interpreter's teardown. Each is checked against the slow path it replaces.
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

from journeyctl import commands, quickparse
from journeyctl.cli import app, click_command, run
from journeyctl.cliparams import PlainParam, handles, install
from tests.conftest import EXAMPLES

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
        import journeyctl.model.journey
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


# --- quickparse: lint and validate without typer ----------------------------------------------


def _reading(param: Any) -> str:
    """How quickparse must read a click option's value, from what typer declared."""
    if param.is_flag:
        return quickparse.FLAG
    if param.multiple:
        return quickparse.TEXTS
    if param.type_descriptor.annotation is int:
        return quickparse.POSITIVE if param.type_descriptor.parameter_info.min == 1 else quickparse.NUMBER
    assert param.type_descriptor.annotation is str, param.name  # a type quickparse would not know
    return quickparse.TEXT


@pytest.mark.parametrize("name", sorted(quickparse.OPTIONS))
def test_quickparse_knows_the_options_typer_declares(name: str) -> None:
    params = get_command(app).commands[name].params  # type: ignore[attr-defined]
    options = {
        spelling: (param.name, _reading(param))
        for param in params
        if param.param_type_name == "option"
        for spelling in (*param.opts, *param.secondary_opts)
    }
    assert quickparse.OPTIONS[name] == options
    assert quickparse.DEFAULTS[name] == {param.name: param.default for param in params}
    assert {param.name for param in params if param.required} == set(quickparse.REQUIRED.get(name, ()))
    arguments = [param for param in params if param.param_type_name == "argument"]
    assert [(p.name, p.nargs) for p in arguments] == [(quickparse.ARGUMENTS[name], -1)]
    # What quickparse does not do: environment variables, callbacks (but --debug's), eager options.
    for param in params:
        assert not param.envvar and not param.is_eager, param.name
        assert param.callback is None or param.name == "debug", param.name
        if param.param_type_name == "option" and param.type_descriptor.annotation is int:
            assert param.type_descriptor.parameter_info.max is None, param.name


#: Command lines quickparse reads; each must give the command the values typer gives it.
QUICK = [
    ["lint"],
    ["lint", "a.yaml"],
    ["lint", "-", "--stdin-filename", "maps/a.yaml"],
    ["lint", "--stdin-filename=maps/a.yaml"],
    ["lint", "a.yaml", "-f", "json", "b/", "--format", "sarif", "-q", "--quiet"],
    ["lint", "--select", "JM1,JM2", "--select", "stale-map", "--ignore=JM3", "--extend-select", "ALL"],
    ["lint", "--exclude", "*.yml", "--force-exclude", "--skip-non-maps", "--no-ignore", "x"],
    ["lint", "-j", "2", "--jobs=007", "--max-file-size", "0", "--max-file-size=100", "a"],
    ["lint", "-o", "-", "--output", "r.json", "--output-file", "old.json", "--statistics"],
    ["lint", "--config", "c.toml", "--isolated", "--preset", "strict", "--fail-on", "never"],
    ["lint", "--color", "always", "--no-cache", "--cache-dir", "", "--debug", "a.yaml"],
    ["lint", "--color=bogus", "--fail-on", "sometimes", "--format", "nonsense", ""],
    ["validate", "a.yaml", "b", "-"],
    ["validate", "-q", "--jobs", "1", "--no-ignore", "--max-file-size", "5", "--debug"],
    ["validate", "--stdin-filename", "-", "-"],
    ["validate"],
    ["diff"],
    ["diff", "a.yaml", "b.yaml"],
    ["diff", "HEAD~1", "-f", "json", "--fail-on=any", "-o", "r.json", "maps/"],
    ["diff", "--format", "md", "--output-file", "r.md", "--color", "never", "main...HEAD"],
    ["diff", "--git-driver", "a.yaml", "/tmp/x", "abc", "100644", "a.yaml", "def", "100644"],
    ["diff", "a", "b", "--max-file-size=0", "--debug"],
    ["render", "-f", "md", "a.yaml"],
    [
        "render",
        "a.yaml",
        "--format=html",
        "-o",
        "out.html",
        "-O",
        "layout=compact",
        "--option",
        "backstage=true",
    ],
    ["render", "maps/", "-f", "html", "-o", "site", "--group-by", "tag", "-j", "2", "-q", "--no-ignore"],
    ["render", "-", "--stdin-filename", "maps/a.yaml", "-f", "svg", "--stages", "a,b", "--max-file-size=0"],
    ["render", "-f", "bogus", "--group-by", "nonsense", "--debug"],
]

#: Command lines typer must read: its help, its errors, or forms it reads in its own way.
TYPERS = [
    ["lint", "--help"],
    ["lint", "-h"],
    ["lint", "--bogus"],
    ["lint", "--selec", "JM1"],
    ["lint", "-j", "0"],
    ["lint", "-j", "x"],
    ["lint", "-j", "+2"],
    ["lint", "--jobs", "١"],
    ["lint", "-j2"],
    ["lint", "-qj", "2"],
    ["lint", "--max-file-size", "-1"],
    ["lint", "--config", "--isolated"],
    ["lint", "--config"],
    ["lint", "--quiet=yes"],
    ["lint", "-f=json"],
    ["lint", "--", "-a.yaml"],
    ["--debug", "lint", "a.yaml"],
    ["validate", "--format", "json", "a.yaml"],
    ["diff", "a.yaml", "--", "-b.yaml"],
    ["diff", "--", "a.yaml", "b.yaml"],
    ["diff", "--fail-on"],
    ["diff", "-h"],
    ["diff", "--git-driver=yes", "a", "b"],
    ["render", "a.yaml"],
    ["render", "-f"],
    ["render", "-f", "md", "-O"],
    ["render", "--help"],
    ["formats"],
    [],
]


def _values_given(args: list[str], way: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The values a way of running ``args`` gives the command's body (which records them)."""
    seen: dict[str, Any] = {}

    def record(**values: Any) -> int:
        seen.update(values, debug=commands.STATE["debug"])
        return 0

    monkeypatch.setattr(commands, args[0], record)
    assert way(args) == 0
    return seen


@pytest.mark.parametrize("args", QUICK, ids=" ".join)
def test_quickparse_gives_the_command_what_typer_gives_it(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert quickparse.parse(args) is not None
    quick = _values_given(args, quickparse.run, monkeypatch)
    assert quick == _values_given(args, run, monkeypatch)
    assert quick["debug"] == ("--debug" in args)


@pytest.mark.parametrize("args", TYPERS, ids=" ".join)
def test_quickparse_leaves_to_typer_what_typer_must_read(args: list[str]) -> None:
    assert quickparse.parse(args) is None
    assert quickparse.run(args) is None


def test_quickparse_leaves_completion_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(quickparse._COMPLETE_VAR, "bash_complete")
    assert quickparse.parse(["lint", "a.yaml"]) is None
    from journeyctl.completion import COMPLETE_VAR

    assert quickparse._COMPLETE_VAR == COMPLETE_VAR


def test_a_plain_lint_validate_and_render_import_no_typer(tmp_path: Any) -> None:
    journey = tmp_path / "a.yaml"
    journey.write_text("journeyctl: 1\nid: a\ntitle: A\nstages:\n  - id: s\n    name: S\n")
    result = _python(
        f"""
        import sys
        from journeyctl.entry import main
        path = {str(journey)!r}
        out = {str(tmp_path / "a.md")!r}
        codes = (
            main(["lint", "--no-cache", "-q", path]),
            main(["validate", "-q", path]),
            main(["render", path, "-f", "md", "-o", out]),
        )
        print(codes, sorted(name for name in sys.modules if name.split(".")[0] in ("typer", "click", "rich")))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "(1, 0, 0) []"
    assert (tmp_path / "a.md").read_text().startswith("# A")


def test_a_valid_map_is_linted_and_validated_without_pydantic(tmp_path: Any) -> None:
    """Valid maps are built by plain.py; pydantic is imported for a map that needs its errors."""
    valid = EXAMPLES / "retail-first-online-purchase.yaml"  # includes a shared file
    invalid = tmp_path / "bad.yaml"
    invalid.write_text("journeyctl: 1\nid: a\ntitle: A\nstages:\n  - id: s\n    name: S\n    colour: red\n")
    result = _python(
        f"""
        import sys
        from journeyctl.entry import main
        def pydantic_loaded():  # not the plugin loader's stand-in (entry.py), which has no file
            return sorted(
                name
                for name, module in sys.modules.items()
                if name.split(".")[0] in ("pydantic", "pydantic_core") and getattr(module, "__file__", None)
            )
        codes = main(["lint", "--no-cache", "-q", {str(valid)!r}]), main(["validate", "-q", {str(valid)!r}])
        print(codes, pydantic_loaded())
        print(main(["validate", {str(invalid)!r}]), "pydantic" in pydantic_loaded())
        """
    )
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()[-2:]
    assert first == "(0, 0) []"
    assert second == "1 True"
    assert "bad.yaml:7:5: " in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["lint", "--no-cache", "{map}"],
        ["lint", "--no-cache", "-f", "json", "{map}", "{bad}"],
        ["validate", "{map}", "{bad}"],
        ["validate", "{missing}"],
        ["lint", "--no-cache", "--config", "{missing}", "{map}"],
        ["diff", "{map}", "{other}", "--fail-on", "never"],
        ["diff", "{map}", "{other}", "-f", "json"],
        ["diff", "{map}", "{bad}"],
        ["diff", "{map}"],
        ["render", "{map}", "-f", "md"],
        ["render", "{map}", "-f", "mermaid", "-O", "bogus=1"],
        ["render", "{bad}", "-f", "html"],
        ["render", "{map}", "-f", "nonsense"],
    ],
    ids=" ".join,
)
def test_quick_and_typer_runs_print_the_same(args: list[str], tmp_path: Any, capfd: Any) -> None:
    from pathlib import Path

    examples = Path(__file__).parent.parent / "examples"
    good = next(examples.glob("*.yaml"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("journeyctl: 1\nid: Bad Id\ntitle: 3\nstages: {}\n")
    other = examples / "broadband-home-move-future.yaml"
    names = {"map": str(good), "other": str(other), "bad": str(bad), "missing": str(tmp_path / "none.yaml")}
    filled = [arg.format(**names) for arg in args]
    outcomes = []
    for way in (quickparse.run, run):
        code = way(filled)
        out, err = capfd.readouterr()
        outcomes.append((code, out, err))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] in (0, 1, 2)


def test_the_models_default_factories_are_python_functions() -> None:
    """pydantic reads each default factory's signature when it builds the models; a builtin such
    as ``list`` has none, and finding that out costs 13 times as much (28 M instructions in all)."""
    import types

    from journeyctl.model import journey

    models = [
        value
        for value in vars(journey).values()
        if isinstance(value, type) and hasattr(value, "model_fields")
    ]
    factories = [
        (model.__name__, name, field.default_factory)
        for model in models
        for name, field in model.model_fields.items()
        if field.default_factory is not None
    ]
    assert len(factories) >= 30
    assert all(isinstance(factory, types.FunctionType) for _, _, factory in factories), factories
