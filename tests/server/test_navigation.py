"""Completion, hover, definition, references and the outline, through a real LSP client."""

from __future__ import annotations

import pytest
from lsprotocol import types

from tests.server.conftest import Editor, position_of

pytestmark = pytest.mark.asyncio(loop_scope="module")

MAP = "maps/checkout.yaml"
SHARED = "shared/people.yaml"


async def complete(editor: Editor, name: str, text: str, position: types.Position) -> dict[str, str | None]:
    """Labels and details offered at ``position`` once the editor holds ``text``."""
    await editor.change(name, text)
    result = await editor.client.text_document_completion_async(
        types.CompletionParams(editor.doc(name), position)
    )
    items = result.items if isinstance(result, types.CompletionList) else (result or [])
    return {item.label: item.detail for item in items}


# Each case: what replaces a line of the map, where the cursor is (after `marker`), what must be offered.
COMPLETIONS = [
    pytest.param(
        ("persona: busy-parent", "persona: "),
        "persona: ",
        {"busy-parent": "Busy parent"},
        id="persona-from-shared-file",
    ),
    pytest.param(
        ("persona: busy-parent", "persona: bu"),
        "persona: bu",
        {"busy-parent": "Busy parent"},
        id="persona-typed",
    ),
    pytest.param(
        ("touchpoints: [home-page]", "touchpoints: [home-page, ]"),
        "touchpoints: [home-page, ",
        {"home-page": "Home page", "pay-page": "Payment page", "email": "Order email"},
        id="touchpoint-in-flow-list",
    ),
    pytest.param(
        ("touchpoints: [home-page]", "touchpoints: [ho"),
        "touchpoints: [ho",
        {"home-page": "Home page"},
        id="touchpoint-unclosed-list",
    ),
    pytest.param(
        ("channel: web, owner: Web team", "channel: , owner: Web team"),
        "channel: ",
        {"web": "Web shop", "store": "High street store"},
        id="channel",
    ),
    pytest.param(
        ("addresses: [slow-3ds]", "addresses: []"), "addresses: [", {"slow-3ds": "pain point"}, id="addresses"
    ),
    pytest.param(
        ("phase: purchase", "phase: "),
        "phase: ",
        {"before-purchase": "phase", "purchase": "phase", "after-purchase": "phase"},
        id="phase",
    ),
    pytest.param(
        ("severity: high", "severity: "),
        "severity: ",
        {"low": None, "high": None, "critical": None},
        id="enum",
    ),
]


@pytest.mark.parametrize(("edit", "marker", "expected"), COMPLETIONS)
async def test_completion_offers_the_ids_of_the_referenced_kind(
    editor: Editor, edit: tuple[str, str], marker: str, expected: dict[str, str | None]
) -> None:
    await editor.open(MAP)
    text = editor.text(MAP).replace(edit[0], edit[1], 1)
    offered = await complete(editor, MAP, text, position_of(text, marker, len(marker)))
    for label, detail in expected.items():
        assert label in offered, (label, offered)
        if detail is not None and detail not in ("phase", "pain point"):
            assert offered[label] == detail
    await editor.close(MAP)


async def test_completion_in_a_block_list_item_and_of_keys(editor: Editor) -> None:
    await editor.open(MAP)
    text = editor.text(MAP).replace(
        "        persona: busy-parent\n        touchpoints: [pay-page]",
        "        personas:\n          - \n        touchpoints: [pay-page]",
    )
    marker = "personas:\n          - "
    assert "busy-parent" in await complete(editor, MAP, text, position_of(text, marker, len(marker)))
    # A new key in a step: the step's fields not yet written, with their descriptions.
    text = editor.text(MAP).replace("        emotion: -1\n", "        emotion: -1\n        th\n")
    offered = await complete(editor, MAP, text, position_of(text, "        th\n", len("        th")))
    assert "thinking" in offered and "action" not in offered and "emotions" in offered
    await editor.close(MAP)


async def test_hover_shows_the_entity_a_reference_names(editor: Editor) -> None:
    await editor.open(MAP)
    text = editor.text(MAP)
    hover = await editor.client.text_document_hover_async(
        types.HoverParams(editor.doc(MAP), position_of(text, "persona: busy-parent", 12))
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "**persona** `busy-parent`: Busy parent" in hover.contents.value
    assert "Shops on the phone between school runs." in hover.contents.value
    assert "people.yaml:3" in hover.contents.value
    await editor.close(MAP)


async def test_hover_on_a_key_shows_the_field_description(editor: Editor) -> None:
    await editor.open(MAP)
    text = editor.text(MAP)
    hover = await editor.client.text_document_hover_async(
        types.HoverParams(editor.doc(MAP), position_of(text, "severity:", 2))
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value.startswith("**severity**: ")
    start = position_of(text, "severity:")
    assert hover.range == types.Range(start, types.Position(start.line, start.character + len("severity")))
    await editor.close(MAP)


async def test_hover_on_a_suppressed_rule_shows_its_documentation(editor: Editor) -> None:
    await editor.open(MAP)
    text = editor.text(MAP).replace("channels:\n", "channels:  # journeyctl: disable=JM701 -- one shop\n", 1)
    await editor.change(MAP, text)
    hover = await editor.client.text_document_hover_async(
        types.HoverParams(editor.doc(MAP), position_of(text, "JM701", 2))
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "JM701" in hover.contents.value and "single-channel-journey" in hover.contents.value
    await editor.close(MAP)


async def test_definition_jumps_to_the_id_in_the_shared_file(editor: Editor) -> None:
    await editor.open(MAP)
    text = editor.text(MAP)
    found = await editor.client.text_document_definition_async(
        types.DefinitionParams(editor.doc(MAP), position_of(text, "persona: busy-parent", 12))
    )
    assert isinstance(found, types.Location)
    assert found.uri == editor.uri(SHARED)
    shared = (editor.root / SHARED).read_text()
    start = position_of(shared, "busy-parent")
    assert found.range == types.Range(start, types.Position(start.line, start.character + len("busy-parent")))
    # And within the map: a touchpoint reference to its definition.
    found = await editor.client.text_document_definition_async(
        types.DefinitionParams(editor.doc(MAP), position_of(text, "touchpoints: [pay-page]", 15))
    )
    assert isinstance(found, types.Location) and found.uri == editor.uri(MAP)
    assert found.range.start == position_of(text, "pay-page")
    await editor.close(MAP)


async def test_references_of_a_touchpoint_and_of_a_shared_persona(editor: Editor) -> None:
    await editor.open(MAP)
    text = editor.text(MAP)
    found = await editor.client.text_document_references_async(
        types.ReferenceParams(
            text_document=editor.doc(MAP),
            position=position_of(text, "pay-page"),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert found is not None
    starts = sorted((loc.range.start.line, loc.range.start.character) for loc in found)
    expected = sorted(
        (p.line, p.character)
        for p in [position_of(text, "pay-page", 0, n) for n in range(text.count("pay-page"))]
    )
    assert starts == expected and len(starts) == 3
    people = await editor.client.text_document_references_async(
        types.ReferenceParams(
            text_document=editor.doc(MAP),
            position=position_of(text, "persona: busy-parent", 12),
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert people is not None
    assert {loc.uri for loc in people} == {editor.uri(MAP)}
    assert len(people) == 4
    await editor.close(MAP)


async def test_the_outline_is_stages_with_their_steps_and_pain_points(editor: Editor) -> None:
    await editor.open(MAP)
    symbols = await editor.client.text_document_document_symbol_async(
        types.DocumentSymbolParams(editor.doc(MAP))
    )
    assert symbols is not None
    stages = [
        s for s in symbols if isinstance(s, types.DocumentSymbol) and s.kind == types.SymbolKind.Namespace
    ]
    pay = next(s for s in stages if s.name == "Pay")
    assert [(c.name, c.detail) for c in pay.children or []] == [
        ("Payment page", "touchpoint pay-page"),
        ("Pays by card", "step pays"),
        ("slow-3ds", "pain point slow-3ds"),
        ("faster-3ds", "opportunity faster-3ds"),
    ]
    await editor.close(MAP)


async def test_a_future_map_completes_from_its_baseline(editor: Editor) -> None:
    """``resolves`` offers the baseline's pain points, ``dropped-stages`` its stages."""
    baseline = editor.root / "maps" / "today.yaml"
    baseline.write_text(
        "journeyctl: 1\nid: today\ntitle: Today\nstages:\n"
        "  - id: queue\n    name: Queue at the counter\n"
        "    pain-points:\n      - {id: long-queue, description: Long queue}\n"
        "  - id: pay\n    name: Pay\n"
        "    pain-points:\n      - {id: card-refused, description: Card refused}\n"
    )
    editor.changed_on_disk(("maps/today.yaml", types.FileChangeType.Created))
    future = "maps/tomorrow.yaml"
    text = (
        "journeyctl: 1\nid: tomorrow\ntitle: Tomorrow\nstate: future\nbaseline: today\n"
        "dropped-stages: [q]\nstages:\n  - id: pay\n    name: Pay\n"
        "    opportunities:\n      - {id: wallet, description: Pay by phone, resolves: [c]}\n"
    )
    await editor.open(future, text)
    stages = await complete(
        editor, future, text, position_of(text, "dropped-stages: [q", len("dropped-stages: [q"))
    )
    assert stages == {
        "queue": "Queue at the counter, in the baseline today",
        "pay": "Pay, in the baseline today",
    }
    marker = "resolves: [c"
    pain_points = await complete(editor, future, text, position_of(text, marker, len(marker)))
    assert pain_points == {
        "long-queue": "pain point, in the baseline today",
        "card-refused": "pain point, in the baseline today",
    }
    # Without a baseline the workspace holds, nothing is made up.
    orphan = text.replace("baseline: today", "baseline: nowhere")
    assert await complete(editor, future, orphan, position_of(orphan, marker, len(marker))) == {}
    await editor.close(future)
    baseline.unlink()
    editor.changed_on_disk(("maps/today.yaml", types.FileChangeType.Deleted))
