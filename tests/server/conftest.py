"""An editor for the server's end-to-end tests: a real LSP client over stdio (pytest-lsp).

One server process per test module, started as an editor starts it
(``python -m journeyctl server``), on a copy of ``workspace/`` (a repository
with maps and a shared file); each test opens, edits and saves documents
through the protocol and waits for what the server publishes.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

HERE = Path(__file__).parent
SERVER = [sys.executable, "-m", "journeyctl", "server"]


def position_of(text: str, needle: str, offset: int = 0, occurrence: int = 0) -> types.Position:
    """The position ``offset`` characters into the ``occurrence``-th ``needle`` of ``text``."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index)
    return types.Position(line, index - (text.rfind("\n", 0, index) + 1))


class Editor:
    """What an editor does with documents: open, type, save, close; and what it is shown."""

    def __init__(self, client: LanguageClient, root: Path) -> None:
        self.client = client
        self.root = root
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}

    def uri(self, name: str) -> str:
        return (self.root / name).as_uri()

    async def open(self, name: str, text: str | None = None) -> list[types.Diagnostic]:
        uri = self.uri(name)
        text = (self.root / name).read_text(encoding="utf-8") if text is None else text
        self.client.diagnostics.pop(uri, None)
        self.versions[uri] = 1
        self.texts[uri] = text
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "yaml", 1, text))
        )
        return await self.diagnostics(name)

    async def change(self, name: str, text: str) -> list[types.Diagnostic]:
        uri = self.uri(name)
        self.client.diagnostics.pop(uri, None)
        self.versions[uri] += 1
        self.texts[uri] = text
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                [types.TextDocumentContentChangeWholeDocument(text)],
            )
        )
        return await self.diagnostics(name)

    async def save(self, name: str) -> list[types.Diagnostic]:
        uri = self.uri(name)
        self.client.diagnostics.pop(uri, None)
        (self.root / name).write_text(self.texts[uri], encoding="utf-8")
        self.client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri)))
        return await self.diagnostics(name)

    def changed_on_disk(self, *changes: tuple[str, types.FileChangeType]) -> None:
        """Say that files changed on disk, as an editor's file watcher does."""
        events = [types.FileEvent(self.uri(name), kind) for name, kind in changes]
        self.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(events))

    async def close(self, name: str) -> None:
        """Close a document, and wait for the server to clear its diagnostics.

        The server answers in order, so once the clearing has arrived nothing it published
        for the document before can be taken for the answer to what a next test does.
        """
        uri = self.uri(name)
        self.client.diagnostics.pop(uri, None)
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri))
        )
        await self.diagnostics(name, until=lambda found: not found)

    async def diagnostics(
        self, name: str, until: Callable[[Sequence[types.Diagnostic]], bool] | None = None
    ) -> list[types.Diagnostic]:
        """The next diagnostics published for ``name`` (that satisfy ``until``), within 20 s."""
        uri = self.uri(name)
        for _ in range(400):
            found = self.client.diagnostics.get(uri)
            if found is not None and (until is None or until(found)):
                return list(found)
            await asyncio.sleep(0.05)
        raise AssertionError(f"no diagnostics for {name} (last: {self.client.diagnostics.get(uri)})")

    def text(self, name: str) -> str:
        return self.texts[self.uri(name)]

    def doc(self, name: str) -> types.TextDocumentIdentifier:
        return types.TextDocumentIdentifier(self.uri(name))


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(HERE / "workspace", root, dirs_exist_ok=True)
    (root / ".git").mkdir()  # the repository root, as includes and configurations find it
    return root


#: The capabilities the server registered with each test module's editor, by method.
REGISTRATIONS: dict[str, list[types.Registration]] = {}


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient, workspace: Path) -> AsyncIterator[None]:
    REGISTRATIONS.clear()

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(client: LanguageClient, params: types.RegistrationParams) -> None:
        for registration in params.registrations:
            REGISTRATIONS.setdefault(registration.method, []).append(registration)

    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=workspace.as_uri(),
            workspace_folders=[types.WorkspaceFolder(workspace.as_uri(), "repo")],
        )
    )
    yield
    await lsp_client.shutdown_session()


@pytest.fixture(scope="module")
def editor(client: LanguageClient, workspace: Path) -> Editor:
    return Editor(client, workspace)
