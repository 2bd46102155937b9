"""The ``journeyctl`` console script.

``journeyctl --version`` answers from here without importing typer, pydantic or
anything else heavy, so that it costs little more than starting Python.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        from journeyctl import __version__

        sys.stdout.write(f"journeyctl {__version__}\n")
        return 0
    import os

    # pydantic looks for its own plugins through every installed distribution's
    # entry points at import (~20 ms, a tenth of a one-map run); journeyctl uses none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from journeyctl.cli import run

    return run(args)
