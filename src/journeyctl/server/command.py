"""``journeyctl server``: starts the language server, or says which extra it needs."""

from __future__ import annotations

from journeyctl.errors import UsageError


def run_server() -> int:
    """Serve the editor on stdio; a missing ``server`` extra is a usage error (exit 2)."""
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        raise UsageError(
            "journeyctl server needs the language server libraries: pip install 'journeyctl[server]'"
        ) from None
    from journeyctl.server.app import run

    return run()
