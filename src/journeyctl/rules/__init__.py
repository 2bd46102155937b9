"""Built-in lint rules, one module each; ``BUILTIN_RULES`` maps code to module."""

from __future__ import annotations

#: Rule code -> dotted module path. Third-party rules come through the
#: ``journeyctl.rules`` entry-point group instead.
BUILTIN_RULES: dict[str, str] = {}
