"""Hostile documents never stop the server: each gives a diagnostic or nothing, and it keeps answering."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.server.conftest import Editor

pytestmark = pytest.mark.asyncio(loop_scope="module")

MAP = "maps/checkout.yaml"


async def still_answers(editor: Editor) -> None:
    """The server still serves a good map: its outline and a hover come back."""
    await editor.open(MAP)
    symbols = await editor.client.text_document_document_symbol_async(
        types.DocumentSymbolParams(editor.doc(MAP))
    )
    stages = [s.name for s in symbols or [] if s.kind == types.SymbolKind.Namespace]
    assert stages == ["Browse", "Pay", "After the purchase"]
    await editor.close(MAP)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("not-yaml.yaml", "journeyctl: 1\nstages: [unclosed\n  - {\n", "not closed"),
        ("tabs.yaml", "journeyctl: 1\n\tid: x\n", "tab"),
        ("binary.yaml", "\x00\x01\x02\ufffd\ufffdPK\x03\x04" * 200, None),
        ("binary-map.yaml", "journeyctl: 1\nid: \x00\x07\x1b\n", "not allowed in YAML text"),
        ("list.yaml", "journeyctl: 1\n- a\n", "expected the next key"),
        ("empty-stages.yaml", "journeyctl: 1\nid: x\ntitle: X\nstages: []\n", "stages"),
        ("deep.yaml", "journeyctl: 1\nid: " + "[" * 5000 + "]" * 5000 + "\n", "nested"),
        (
            "bomb.yaml",
            "journeyctl: 1\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
                f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
                for i in range(9)
            ),
            "alias",
        ),
    ],
)
async def test_a_hostile_document_gives_a_diagnostic_or_nothing(
    editor: Editor, name: str, text: str, expected: str | None
) -> None:
    diagnostics = await editor.open(f"maps/{name}", text)
    if expected is None:
        assert diagnostics == []
    else:
        assert diagnostics, name
        assert any(expected.lower() in d.message.lower() for d in diagnostics), diagnostics
        assert all(d.range.start.line >= 0 for d in diagnostics)
    # Completion and hover on the broken text answer too (with nothing, or something).
    position = types.Position(1, 3)
    await editor.client.text_document_completion_async(
        types.CompletionParams(editor.doc(f"maps/{name}"), position)
    )
    await editor.client.text_document_hover_async(types.HoverParams(editor.doc(f"maps/{name}"), position))
    await editor.close(f"maps/{name}")
    await still_answers(editor)


async def test_a_ten_megabyte_document_is_refused_with_the_size(editor: Editor) -> None:
    text = "journeyctl: 1\n" + "# padding padding padding padding padding padding padding\n" * 190_000
    assert len(text) > 10 * 1024 * 1024
    diagnostics = await editor.open("maps/huge.yaml", text)
    (refused,) = diagnostics
    assert "over the 10,485,760-byte limit" in refused.message
    await editor.close("maps/huge.yaml")
    await still_answers(editor)


async def test_an_include_outside_the_root_is_an_error_on_the_include(
    editor: Editor, workspace: Path
) -> None:
    outside = workspace.parent / "outside.yaml"
    outside.write_text("journeyctl-shared: 1\npersonas: [{ id: busy-parent, name: B, goals: [g] }]\n")
    text = (workspace / MAP).read_text().replace("../shared/people.yaml", "../../outside.yaml")
    diagnostics = await editor.open("maps/escape.yaml", text)
    outside_errors = [d for d in diagnostics if "outside the repository root" in d.message]
    assert len(outside_errors) == 1
    assert text.splitlines()[outside_errors[0].range.start.line].startswith("include:")
    await editor.close("maps/escape.yaml")
    await still_answers(editor)


async def test_a_document_that_is_no_journey_map_is_left_alone(editor: Editor) -> None:
    assert await editor.open("maps/compose.yaml", "services:\n  web: {image: nginx}\n") == []
    await editor.close("maps/compose.yaml")
