"""Built-in renderers, one module each; ``BUILTIN_RENDERERS`` maps name to module."""

from __future__ import annotations

#: Format name -> dotted module path. Third-party renderers come through the
#: ``journeyctl.renderers`` entry-point group instead.
BUILTIN_RENDERERS: dict[str, str] = {
    "html": "journeyctl.renderers.html",
}
