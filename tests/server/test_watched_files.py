"""Files changed on disk by another program (a pull, a checkout, a formatter) while maps are open.

The server asks the editor to watch maps and configurations; when told that files changed,
it reads them again and checks every open map again, so a shared file, a configuration or
another map with the same id changed on disk shows at once, not at the next save.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.server.conftest import REGISTRATIONS, Editor

pytestmark = pytest.mark.asyncio(loop_scope="module")

MAP = "maps/checkout.yaml"
SHARED = "shared/people.yaml"
Changed, Created, Deleted = (
    types.FileChangeType.Changed,
    types.FileChangeType.Created,
    types.FileChangeType.Deleted,
)


def codes(diagnostics: list[types.Diagnostic]) -> list[str | int | None]:
    return sorted(str(d.code) for d in diagnostics)


async def test_the_server_asks_the_editor_to_watch_maps_and_configurations(editor: Editor) -> None:
    await editor.open(MAP)  # the server has been initialized and has asked
    (registration,) = REGISTRATIONS[types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    options = registration.register_options
    assert isinstance(options, dict)  # the client keeps the options as they came over the wire
    patterns = [watcher["globPattern"] for watcher in options["watchers"]]
    assert patterns == ["**/*.yaml", "**/*.yml", "**/pyproject.toml"]
    await editor.close(MAP)


async def test_a_shared_file_changed_on_disk_rechecks_the_maps_that_include_it(
    editor: Editor, workspace: Path
) -> None:
    assert codes(await editor.open(MAP)) == ["JM701"]
    shared = workspace / SHARED
    original = shared.read_text()
    shared.write_text(original.replace("id: busy-parent", "id: busy-parents"))
    editor.changed_on_disk((SHARED, Changed))
    unknown = await editor.diagnostics(
        MAP, until=lambda found: any("busy-parent'" in d.message for d in found)
    )
    assert len([d for d in unknown if "unknown persona 'busy-parent'" in d.message]) == 4
    shared.write_text(original)
    editor.changed_on_disk((SHARED, Changed))
    assert codes(await editor.diagnostics(MAP, until=lambda found: len(found) == 1)) == ["JM701"]
    await editor.close(MAP)


async def test_a_map_added_on_disk_is_seen_by_the_cross_map_rules(editor: Editor, workspace: Path) -> None:
    assert codes(await editor.open(MAP)) == ["JM701"]
    # A copy walked before the open map (as lint walks: by name), so the open map is the second
    # with the id, the one duplicate-map-id reports.
    twin = workspace / "maps" / "a-copy.yaml"
    twin.write_text((workspace / MAP).read_text())
    editor.changed_on_disk(("maps/a-copy.yaml", Created))
    found = await editor.diagnostics(MAP, until=lambda found: len(found) > 1)
    (duplicate,) = [d for d in found if d.code != "JM701"]
    assert "'checkout'" in duplicate.message and "a-copy.yaml" in duplicate.message
    twin.unlink()
    editor.changed_on_disk(("maps/a-copy.yaml", Deleted))
    assert codes(await editor.diagnostics(MAP, until=lambda found: len(found) == 1)) == ["JM701"]
    await editor.close(MAP)


async def test_a_configuration_changed_on_disk_applies_at_once(editor: Editor, workspace: Path) -> None:
    assert codes(await editor.open(MAP)) == ["JM701"]
    configuration = workspace / ".journeyctl.yaml"
    configuration.write_text("ignore: [JM701]\n")
    editor.changed_on_disk((".journeyctl.yaml", Created))
    assert await editor.diagnostics(MAP, until=lambda found: not found) == []
    configuration.unlink()
    editor.changed_on_disk((".journeyctl.yaml", Deleted))
    assert codes(await editor.diagnostics(MAP, until=lambda found: bool(found))) == ["JM701"]
    await editor.close(MAP)


async def test_an_open_map_keeps_its_unsaved_text_when_its_file_changes_on_disk(
    editor: Editor, workspace: Path
) -> None:
    await editor.open(MAP)
    unsaved = editor.text(MAP).replace("emotion: 1", "emotion: 7", 1)
    assert any("emotion" in d.message for d in await editor.change(MAP, unsaved))
    path = workspace / MAP
    original = path.read_text()
    path.write_text(original.replace("title: Checkout", "title: Checkout on disk"))
    editor.client.diagnostics.pop(editor.uri(MAP), None)
    editor.changed_on_disk((MAP, Changed))
    assert any("emotion" in d.message for d in await editor.diagnostics(MAP))  # still the editor's text
    path.write_text(original)
    await editor.close(MAP)
