"""The SVG document around a slide (``templates/slide.svg.j2``): title, text alternative, escaping."""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from journeyctl.renderers.slide_text import FONT_FAMILY

if TYPE_CHECKING:
    import jinja2


# XML 1.0 cannot carry C0 controls (but tab, LF, CR), lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def escape(text: str) -> str:
    """Map text for SVG character data or an attribute: escaped, unprintable characters as U+FFFD."""
    return html.escape(_NOT_XML.sub("\ufffd", text), quote=True)


@functools.cache
def _template() -> jinja2.Template:
    import jinja2

    from journeyctl.templating import bytecode_cache

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("journeyctl.renderers", "templates"),
        autoescape=True,  # the title and the description are map text
        bytecode_cache=bytecode_cache(),
        keep_trailing_newline=True,
    )
    return environment.get_template("slide.svg.j2")


def document(width: int, height: int, title: str, description: str, parts: Sequence[str]) -> str:
    """The SVG of one slide: ``parts`` are elements already escaped by the drawing code."""
    import markupsafe

    return _template().render(
        width=width,
        height=height,
        font_family=FONT_FAMILY,
        title=markupsafe.Markup(escape(" ".join(title.split()))),
        description=markupsafe.Markup(escape(description)),
        parts=[markupsafe.Markup(part) for part in parts],
    )
