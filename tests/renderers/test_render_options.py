"""Renderer options: declarations whose defaults, and values taken as they are, need no pydantic."""

from __future__ import annotations

import typing

import pydantic
import pytest

from journeyctl.plain_options import accept
from journeyctl.renderers import BUILTIN_RENDERERS, RendererOptions, get_renderer, parse_options

#: What ``-O key=value`` gives an option: text, or a list of texts for a list option; plus values
#: a caller of ``model_validate`` may pass, of the types the options declare.
TRIED: list[object] = [
    "",
    "true",
    "false",
    "True",
    "yes",
    "0",
    "1",
    "5",
    "40",
    "250",
    "1.5",
    "auto",
    "compact",
    "detailed",
    "A4",
    "a4",
    "letter",
    "stage",
    "step",
    "x",
    [],
    ["a"],
    ["a", "b"],
    True,
    False,
    1,
    40,
    1.0,
    None,
]


def _options() -> list[tuple[str, type[RendererOptions], str]]:
    found = []
    for name in BUILTIN_RENDERERS:
        options = get_renderer(name).Options
        for option in options._declared:
            found.append((name, options, option))
    return found


@pytest.mark.parametrize(
    ("format_name", "options", "name"), _options(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_plain_options_agree_with_pydantic(
    format_name: str, options: type[RendererOptions], name: str
) -> None:
    hints = typing.get_type_hints(options)
    for value in TRIED:
        data = {name: value}
        plain = accept(options._declared, hints, data, kebab=False)
        try:
            model = options.validator().model_validate(data)
        except pydantic.ValidationError:
            assert plain is None, (format_name, data)
            continue
        if plain is not None:
            expected = getattr(model, name)
            assert plain[name] == expected and type(plain[name]) is type(expected), (format_name, data)
    # Renderer options take their attribute names only: the command line turns kebab into snake.
    if "_" in name:
        assert accept(options._declared, hints, {name.replace("_", "-"): TRIED[0]}, kebab=False) is None


def test_every_builtin_renderer_declares_its_options() -> None:
    for name in BUILTIN_RENDERERS:
        options = get_renderer(name).Options
        assert issubclass(options, RendererOptions), name
        defaults = options()
        assert options.model_validate({}) == defaults


def test_text_from_the_command_line_is_read_as_before() -> None:
    html = get_renderer("html")
    options = parse_options(html, ["stages=a,b", "stages=c", "blueprint=false", "legend=no"])
    assert (options.stages, options.blueprint, options.legend) == (["a", "b", "c"], False, False)
    dot = get_renderer("dot")
    assert parse_options(dot, ["row-length=5", "layout=compact"]).row_length == 5
