"""Rename and code actions through a real LSP client: the edits are applied and the map re-checked."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from tests.server.conftest import Editor, position_of

pytestmark = pytest.mark.asyncio(loop_scope="module")

MAP = "maps/checkout.yaml"
SHARED = "shared/people.yaml"


def apply(text: str, edits: Sequence[types.TextEdit]) -> str:
    """``text`` with the edits made, as an editor makes them (all positions refer to the old text)."""
    lines = text.splitlines(keepends=True)

    def offset(position: types.Position) -> int:
        return sum(len(line) for line in lines[: position.line]) + position.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


async def test_rename_a_shared_persona_across_the_shared_file_and_its_maps(editor: Editor) -> None:
    other = "maps/returns.yaml"
    second = (editor.root / MAP).read_text().replace("id: checkout", "id: returns", 1)
    (editor.root / other).write_text(second)
    await editor.open(other)
    await editor.open(MAP)
    text = editor.text(MAP)
    prepared = await editor.client.text_document_prepare_rename_async(
        types.PrepareRenameParams(editor.doc(MAP), position_of(text, "persona: busy-parent", 12))
    )
    start = position_of(text, "persona: busy-parent", 9)
    assert prepared == types.Range(start, types.Position(start.line, start.character + len("busy-parent")))
    result = await editor.client.text_document_rename_async(
        types.RenameParams(editor.doc(MAP), position_of(text, "persona: busy-parent", 12), "rushed-parent")
    )
    assert result is not None and result.changes is not None
    assert set(result.changes) == {editor.uri(MAP), editor.uri(other), editor.uri(SHARED)}
    assert len(result.changes[editor.uri(MAP)]) == 4
    assert len(result.changes[editor.uri(SHARED)]) == 1
    renamed = apply(text, result.changes[editor.uri(MAP)])
    assert renamed == text.replace("busy-parent", "rushed-parent")
    shared = (editor.root / SHARED).read_text()
    assert apply(shared, result.changes[editor.uri(SHARED)]) == shared.replace("busy-parent", "rushed-parent")
    await editor.close(other)
    await editor.close(MAP)
    (editor.root / other).unlink()


@pytest.mark.parametrize(
    ("needle", "offset", "new", "refusal"),
    [
        ("touchpoints: [home-page]", 15, "pay-page", "a touchpoint with id 'pay-page' already exists"),
        ("id: slow-3ds", 5, "Slow 3DS", "is not an id"),
    ],
)
async def test_rename_refuses_a_collision_or_a_name_that_is_no_id(
    editor: Editor, needle: str, offset: int, new: str, refusal: str
) -> None:
    await editor.open(MAP)
    text = editor.text(MAP)
    with pytest.raises(JsonRpcException, match=refusal):
        await editor.client.text_document_rename_async(
            types.RenameParams(editor.doc(MAP), position_of(text, needle, offset), new)
        )
    await editor.close(MAP)


async def actions_for(
    editor: Editor, name: str, diagnostic: types.Diagnostic
) -> dict[str, list[types.TextEdit]]:
    found = await editor.client.text_document_code_action_async(
        types.CodeActionParams(editor.doc(name), diagnostic.range, types.CodeActionContext([diagnostic]))
    )
    actions = {}
    for action in found or []:
        assert isinstance(action, types.CodeAction) and action.edit and action.edit.changes
        actions[action.title] = list(action.edit.changes[editor.uri(name)])
    return actions


async def test_suppression_actions_silence_the_finding_on_the_line_or_in_the_file(editor: Editor) -> None:
    (finding,) = await editor.open(MAP)
    assert finding.code == "JM701"
    actions = await actions_for(editor, MAP, finding)
    text = editor.text(MAP)
    on_line = apply(text, actions["Suppress JM701 on this line"])
    assert "channels:  # journeyctl: disable=JM701\n" in on_line
    assert await editor.change(MAP, on_line) == []
    in_file = apply(text, actions["Suppress JM701 in this file"])
    assert in_file.startswith("# journeyctl: disable-file=JM701\njourneyctl: 1\n")
    assert await editor.change(MAP, in_file) == []
    await editor.close(MAP)


async def test_did_you_mean_actions_write_the_suggestion(editor: Editor) -> None:
    await editor.open(MAP)
    text = editor.text(MAP)
    for typo, right in (
        ("persona: busy-parnet", "persona: busy-parent"),
        ("phase: purchse", "phase: purchase"),
    ):
        original = right
        broken = text.replace(original, typo, 1)
        diagnostics = await editor.change(MAP, broken)
        wrong = next(d for d in diagnostics if "did you mean" in d.message)
        actions = await actions_for(editor, MAP, wrong)
        fix = next(edits for title, edits in actions.items() if title.startswith("Change to"))
        assert apply(broken, fix) == text
    await editor.close(MAP)


async def test_an_opportunity_stub_for_a_pain_point_without_one(editor: Editor) -> None:
    await editor.open(MAP)
    text = editor.text(MAP)
    start = text.index("    opportunities:\n")
    end = text.index("  - id: after\n")
    without = text[:start] + text[end:]
    diagnostics = await editor.change(MAP, without)
    (missing,) = [d for d in diagnostics if d.code == "JM201"]
    actions = await actions_for(editor, MAP, missing)
    stubbed = apply(without, actions["Add an opportunity that addresses this pain point"])
    assert "    opportunities:\n      - id: slow-3ds-fix\n" in stubbed
    assert "        addresses: [slow-3ds]\n" in stubbed
    after = await editor.change(MAP, stubbed)
    assert not [d for d in after if d.code in ("JM201", "JM000")], after
    await editor.close(MAP)


async def test_an_opportunity_stub_joins_the_stage_s_opportunities(editor: Editor) -> None:
    await editor.open(MAP)
    text = editor.text(MAP)
    second = (
        "      - id: no-paypal\n"
        "        description: No PayPal\n"
        "        severity: low\n"
        "        owner: Payments\n"
    )
    with_second = text.replace("    opportunities:\n", second + "    opportunities:\n", 1)
    diagnostics = await editor.change(MAP, with_second)
    (missing,) = [d for d in diagnostics if d.code == "JM201"]
    actions = await actions_for(editor, MAP, missing)
    stubbed = apply(with_second, actions["Add an opportunity that addresses this pain point"])
    assert "        owner: Payments\n      - id: no-paypal-fix\n" in stubbed
    after = await editor.change(MAP, stubbed)
    assert not [d for d in after if d.code in ("JM201", "JM000")], after
    await editor.close(MAP)
