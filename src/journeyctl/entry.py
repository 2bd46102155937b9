"""The ``journeyctl`` console script, and what it does before and after the CLI runs.

``journeyctl --version`` answers from here without importing typer, pydantic or
anything else heavy, so that it costs little more than starting Python; a plain
``lint``, ``validate``, ``diff`` or ``render`` command line runs without typer
(quickparse.py). Every command gets pydantic's plugin scan switched off before
pydantic is imported, and the console script leaves without tearing the
interpreter down.
"""

from __future__ import annotations

import os
import sys

# Not ``from typing import ...``: importing typing costs ~5 ms, a third of `--version`.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn

#: pydantic's values of PYDANTIC_DISABLE_PLUGINS that turn every plugin off.
_ALL_PLUGINS_OFF = ("__all__", "1", "true")
_PLUGIN_LOADER = "pydantic.plugin._loader"


def main(argv: list[str] | None = None) -> int:
    """Run journeyctl with ``argv`` (default: the command line); returns the exit code."""
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        from journeyctl import __version__

        sys.stdout.write(f"journeyctl {__version__}\n")
        return 0
    skip_pydantic_plugin_scan()
    from journeyctl import quickparse

    code = quickparse.run(args)
    if code is not None:  # a plain command line of a quick command, run without typer
        return code
    from journeyctl.cli import run

    return run(args)


def console_main() -> NoReturn:
    """The console script (and ``python -m journeyctl``): run, then exit as fast as is safe."""
    exit_now(main())


def skip_pydantic_plugin_scan() -> None:
    """Tell pydantic that journeyctl uses no pydantic plugins, and spare it looking for them.

    pydantic looks for plugins through every installed distribution's entry points
    when it builds its first model; PYDANTIC_DISABLE_PLUGINS turns the search off,
    but the module that does it still imports ``importlib.metadata`` (and with it
    ``email``, ~14 ms of a ~120 ms one-map run) only to return no plugins. When
    plugins are off, a stand-in with the one function pydantic calls,
    ``get_plugins()``, answers instead; any other name is served by the real
    module, imported then. A user who enables plugins explicitly gets pydantic's
    own loader.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] not in _ALL_PLUGINS_OFF or _PLUGIN_LOADER in sys.modules:
        return
    import types

    stand_in = types.ModuleType(_PLUGIN_LOADER, "journeyctl's stand-in: pydantic plugins are disabled.")

    def get_plugins() -> tuple[()]:
        return ()

    def real_attribute(name: str) -> object:
        import importlib

        if name.startswith("__"):  # the import system asks for __path__ and such
            raise AttributeError(name)
        if sys.modules.get(_PLUGIN_LOADER) is stand_in:
            del sys.modules[_PLUGIN_LOADER]
        return getattr(importlib.import_module(_PLUGIN_LOADER), name)

    stand_in.get_plugins = get_plugins  # type: ignore[attr-defined]
    stand_in.__getattr__ = real_attribute  # type: ignore[method-assign]
    sys.modules[_PLUGIN_LOADER] = stand_in


def exit_now(code: int) -> NoReturn:
    """Exit with ``code`` without the interpreter's teardown, when that is safe.

    Tearing down the modules of a lint run (pydantic, typer, the models) takes
    ~15 ms, a tenth of a one-map run, and frees memory the kernel frees anyway.
    What teardown does that matters is done here first: the ``atexit`` handlers
    run (multiprocessing's among them) and stdout and stderr are flushed. When a
    non-daemon thread is still running, or flushing fails (a closed pipe), the
    ordinary exit path takes over, so nothing is lost or reported differently.
    """
    threading = sys.modules.get("threading")
    if threading is not None and any(
        not thread.daemon for thread in threading.enumerate() if thread is not threading.main_thread()
    ):
        sys.exit(code)
    import atexit

    run_exit_functions = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_functions is None:  # pragma: no cover - not CPython
        sys.exit(code)
    run_exit_functions()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code)
