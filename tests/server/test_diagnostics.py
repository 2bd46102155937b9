"""Diagnostics through a real LSP client: ranges, codes, severities, edits, saves, configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.server.conftest import Editor, position_of

pytestmark = pytest.mark.asyncio(loop_scope="module")

MAP = "maps/checkout.yaml"


def by_code(diagnostics: list[types.Diagnostic], code: str) -> list[types.Diagnostic]:
    return [d for d in diagnostics if d.code == code]


async def test_open_shows_lint_findings_with_severity_and_rule_link(editor: Editor) -> None:
    diagnostics = await editor.open(MAP)
    assert [d.code for d in diagnostics] == ["JM701"]
    (single,) = diagnostics
    assert single.severity == types.DiagnosticSeverity.Information
    assert single.source == "journeyctl"
    assert single.code_description is not None
    assert single.code_description.href.endswith("docs/rules.md#jm701-single-channel-journey")
    # The finding is about the `channels` key: the range covers the key, not one character.
    text = editor.text(MAP)
    start = position_of(text, "channels:")
    assert single.range == types.Range(start, types.Position(start.line, start.character + len("channels")))
    await editor.close(MAP)


async def test_typing_an_error_shows_it_at_the_value_and_fixing_it_clears_it(editor: Editor) -> None:
    await editor.open(MAP)
    text = editor.text(MAP)
    broken = text.replace("persona: busy-parent", "persona: busy-parnet", 1)
    diagnostics = await editor.change(MAP, broken)
    (error,) = by_code(diagnostics, "JM000")
    assert error.severity == types.DiagnosticSeverity.Error
    assert "unknown persona 'busy-parnet' (did you mean 'busy-parent'?)" in error.message
    start = position_of(broken, "busy-parnet")
    assert error.range == types.Range(start, types.Position(start.line, start.character + len("busy-parnet")))
    fixed = await editor.change(MAP, text)
    assert by_code(fixed, "JM000") == []
    await editor.close(MAP)


async def test_unsaved_text_is_checked_not_the_disk(editor: Editor, workspace: Path) -> None:
    on_disk = (workspace / MAP).read_text()
    unsaved = on_disk.replace("title: Checkout", "title: ''")
    diagnostics = await editor.open(MAP, unsaved)
    (error,) = by_code(diagnostics, "JM000")
    assert "title" in error.message
    assert (workspace / MAP).read_text() == on_disk
    await editor.close(MAP)


async def test_a_key_error_covers_the_key(editor: Editor) -> None:
    await editor.open(MAP)
    broken = editor.text(MAP).replace("owner: Web team\n", "ownr: Web team\n", 1)
    diagnostics = await editor.change(MAP, broken)
    (error,) = by_code(diagnostics, "JM000")
    assert "did you mean 'owner'" in error.message
    start = position_of(broken, "ownr")
    assert error.range == types.Range(start, types.Position(start.line, start.character + 4))
    await editor.close(MAP)


async def test_save_checks_again_with_the_disk_as_it_is_now(editor: Editor, workspace: Path) -> None:
    # A shared file changed on disk (by git, another editor) while the map stays open: the
    # map's save reads it again.
    shared = workspace / "shared" / "people.yaml"
    original = shared.read_text()
    assert by_code(await editor.open(MAP), "JM000") == []
    shared.write_text(original.replace("id: busy-parent", "id: busy-parents"))
    try:
        diagnostics = await editor.save(MAP)
        assert len([d for d in diagnostics if "unknown persona 'busy-parent'" in d.message]) == 4
    finally:
        shared.write_text(original)
    assert by_code(await editor.save(MAP), "JM000") == []
    await editor.close(MAP)


async def test_each_file_gets_the_configuration_lint_would_use(editor: Editor, workspace: Path) -> None:
    quiet = workspace / "quiet"
    quiet.mkdir()
    (quiet / ".journeyctl.yaml").write_text("ignore: [JM701]\n")
    # A configuration file marks a repository root too, so this map defines its own people.
    inline = (
        "personas: [{ id: busy-parent, name: Busy parent, goals: [Order] }]\n"
        "channels:\n  - { id: web, name: Web shop, kind: web }\n"
    )
    text = (workspace / MAP).read_text().replace("id: checkout", "id: quiet", 1)
    text = text.replace("include: [../shared/people.yaml]\nchannels:\n", inline)
    (quiet / "map.yaml").write_text(text)
    assert await editor.open("quiet/map.yaml") == []
    # The same map where no configuration says otherwise: the finding the file above ignores.
    (workspace / "maps" / "loud.yaml").write_text(text.replace("id: quiet", "id: loud"))
    assert [d.code for d in await editor.open("maps/loud.yaml")] == ["JM701"]
    await editor.close("maps/loud.yaml")
    (workspace / "maps" / "loud.yaml").unlink()
    await editor.close("quiet/map.yaml")


async def test_editing_a_shared_file_rechecks_the_maps_that_include_it(editor: Editor) -> None:
    await editor.open(MAP)
    shared = "shared/people.yaml"
    assert await editor.open(shared) == []
    text = editor.text(shared)
    editor.client.diagnostics.pop(editor.uri(MAP), None)
    await editor.change(shared, text.replace("id: busy-parent", "id: busy-parents"))
    diagnostics = await editor.diagnostics(MAP)
    unknown = [d for d in diagnostics if "unknown persona 'busy-parent'" in d.message]
    assert len(unknown) == 4
    editor.client.diagnostics.pop(editor.uri(MAP), None)
    await editor.change(shared, text)
    assert by_code(await editor.diagnostics(MAP), "JM000") == []
    await editor.close(shared)
    await editor.close(MAP)


async def test_an_error_in_an_included_file_shows_on_the_include(editor: Editor) -> None:
    shared = "shared/people.yaml"
    await editor.open(shared)
    await editor.change(shared, editor.text(shared).replace("kind: web", "kind: webb"))
    editor.client.diagnostics.pop(editor.uri(MAP), None)
    diagnostics = await editor.open(MAP)
    included = [d for d in diagnostics if "webb" in d.message]
    assert included, diagnostics
    text = editor.text(MAP)
    assert included[0].range.start == position_of(text, "../shared/people.yaml")
    assert included[0].message.startswith("shared/people.yaml:")
    await editor.change(shared, editor.text(shared).replace("kind: webb", "kind: web"))
    await editor.close(shared)
    await editor.close(MAP)


async def test_cross_map_rules_see_the_other_maps_of_the_workspace(editor: Editor, workspace: Path) -> None:
    # Another map on disk with the same id: duplicate-map-id needs the workspace, not one file.
    twin = workspace / "maps" / "twin.yaml"
    twin.write_text((workspace / MAP).read_text())
    text = (workspace / MAP).read_text()
    diagnostics = await editor.open("maps/twin.yaml", text)
    codes = {d.code for d in diagnostics}
    assert any(d.message.count("checkout") for d in diagnostics if d.code != "JM701"), diagnostics
    assert codes - {"JM701"}
    await editor.close("maps/twin.yaml")
    twin.unlink()
