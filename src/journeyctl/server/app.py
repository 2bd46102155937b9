"""``journeyctl server``: the language server over stdio, on pygls.

This module only speaks the protocol: it keeps the workspace's texts in step
with the editor, debounces checks while the user types, publishes
diagnostics, and routes each request to ``features``. Every handler catches
what a hostile document could raise, so one bad file never stops the server
answering for the others.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer

from journeyctl import __version__
from journeyctl.server import features
from journeyctl.server.convert import Lines, diagnostic
from journeyctl.server.workspace import Checked, Workspace, real

#: Seconds between the last keystroke and the check: long enough to skip the
#: checks of a word being typed, short enough to feel immediate.
DEBOUNCE_SECONDS = 0.15

_log = logging.getLogger("journeyctl.server")
Handler = TypeVar("Handler", bound=Callable[..., Any])


def uri_to_path(uri: str) -> str:
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


def path_to_uri(path: str) -> str:
    from pathlib import Path

    return Path(path).as_uri()


class JourneyServer(LanguageServer):
    """The server and its state: one ``Workspace``, and the pending debounced checks."""

    def __init__(self) -> None:
        super().__init__("journeyctl", __version__)
        self._workspace: Workspace | None = None
        self.pending: dict[str, asyncio.TimerHandle] = {}
        #: Server time of the last check of each file, in seconds (for benchmarks and logs).
        self.timings: dict[str, float] = {}

    @property
    def journeys(self) -> Workspace:
        if self._workspace is None:
            roots = [uri_to_path(folder.uri) for folder in self.workspace.folders.values()]
            if not roots and self.workspace.root_path:
                roots = [self.workspace.root_path]
            self._workspace = Workspace(roots)
        return self._workspace

    def sync(self, uri: str) -> str:
        """The workspace's copy of the editor's text; returns the file's path."""
        path = uri_to_path(uri)
        document = self.workspace.get_text_document(uri)
        self.journeys.open(path, document.source)
        return path

    def publish(self, uri: str) -> None:
        """Check a file and publish its diagnostics; then re-check the open maps that include it."""
        path = uri_to_path(uri)
        if real(path) not in self.journeys.texts:
            return
        checked = self._check(uri, path)
        if checked is None:
            return
        for includer in self.journeys.includers(path):
            self._check(path_to_uri(includer), includer)

    def _check(self, uri: str, path: str) -> Checked | None:
        started = time.perf_counter()
        try:
            checked = self.journeys.check(path)
            published = diagnostics_of(checked, self.journeys.texts.get(real(path), ""))
        except Exception:  # a bug must not stop the server: log it, keep answering
            _log.exception("checking %s failed", path)
            return None
        self.timings[real(path)] = time.perf_counter() - started
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=published))
        return checked

    def schedule(self, uri: str) -> None:
        handle = self.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        loop = asyncio.get_event_loop()
        self.pending[uri] = loop.call_later(DEBOUNCE_SECONDS, self._run_pending, uri)

    def _run_pending(self, uri: str) -> None:
        self.pending.pop(uri, None)
        self.publish(uri)


def diagnostics_of(checked: Checked, text: str) -> list[types.Diagnostic]:
    """A check's findings as diagnostics; those in included files point at the include."""
    import os

    lines = Lines(text)
    source = checked.source if checked.source is not None and checked.source.text == text else None
    result = []
    for finding in checked.findings:
        if finding.location.path == checked.path:
            result.append(diagnostic(finding, source, lines))
            continue
        # An error in a shared file this map includes: shown on the include, saying where.
        where = _include_span(checked, finding.location.path)
        item = diagnostic(finding, None, lines)
        item.message = f"{finding.location}: {item.message}"
        item.range = (
            lines.range(where)
            if where is not None
            else types.Range(types.Position(0, 0), types.Position(0, 0))
        )
        item.related_information = None
        if os.path.isabs(finding.location.path):
            item.related_information = [
                types.DiagnosticRelatedInformation(
                    types.Location(
                        path_to_uri(finding.location.path),
                        types.Range(
                            types.Position(
                                max(finding.location.line - 1, 0), max(finding.location.col - 1, 0)
                            ),
                            types.Position(
                                max(finding.location.line - 1, 0), max(finding.location.col - 1, 0)
                            ),
                        ),
                    ),
                    finding.message,
                )
            ]
        result.append(item)
    return result


def _include_span(checked: Checked, path: str) -> Any:
    """Where the map's ``include`` names ``path`` (or the ``include`` key), if written."""
    import os

    source = checked.source
    if source is None:
        return None
    for number, include in enumerate(checked.include_texts):
        target = os.path.normpath(os.path.join(os.path.dirname(checked.path), include))
        if os.path.realpath(target) in (os.path.realpath(path), path) or target.endswith(os.sep + path):
            return source.span(("include", number))
    return source.span(("include",), key=True)


server = JourneyServer()


def _guarded(handler: Handler) -> Handler:
    """Answer nothing (and log) when a handler fails on a document, rather than fail the request.

    A bug met on one hostile document must not leave an editor showing errors on every keystroke.
    """

    def guarded(ls: JourneyServer, params: Any) -> Any:
        try:
            return handler(ls, params)
        except JsonRpcException:
            raise
        except Exception:
            _log.exception("%s failed", handler.__name__)
            return None

    guarded.__name__ = handler.__name__
    return cast("Handler", guarded)


#: What a change on disk can change: maps and shared files, and the configurations that judge them.
WATCHED = ("**/*.yaml", "**/*.yml", "**/pyproject.toml")


@server.feature(types.INITIALIZED)
@_guarded
def initialized(ls: JourneyServer, params: types.InitializedParams) -> None:
    """Ask the editor to say when watched files change on disk (a pull, a formatter, a checkout)."""
    capabilities = ls.client_capabilities.workspace
    watched = capabilities.did_change_watched_files if capabilities is not None else None
    if watched is None or not watched.dynamic_registration:
        return  # the editor cannot be asked: it may send the notification anyway, which is handled
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED]
    )
    registration = types.Registration(
        id="journeyctl-watched-files",
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=options,
    )

    def registered(future: Any) -> None:
        if future.exception() is not None:  # the editor refused: files are re-read on open and save
            _log.warning("the editor did not register the file watchers: %s", future.exception())

    ls.client_register_capability(types.RegistrationParams([registration])).add_done_callback(registered)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
@_guarded
def did_change_watched_files(ls: JourneyServer, params: types.DidChangeWatchedFilesParams) -> None:
    """Files changed on disk: what the workspace knew of them is read again, and every open map is
    checked again (a shared file, a baseline, a configuration or a map with the same id may be
    among them). An open document keeps the editor's text."""
    changes = [
        (uri_to_path(change.uri), change.type == types.FileChangeType.Deleted) for change in params.changes
    ]
    if not changes:
        return
    ls.journeys.files_changed(changes)
    for path in sorted(ls.journeys.texts):  # every open file once (publish would add includers)
        uri = path_to_uri(path)
        handle = ls.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        ls._check(uri, path)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
@_guarded
def did_open(ls: JourneyServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.sync(params.text_document.uri)
    ls.publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
@_guarded
def did_change(ls: JourneyServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.sync(params.text_document.uri)
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
@_guarded
def did_save(ls: JourneyServer, params: types.DidSaveTextDocumentParams) -> None:
    path = ls.sync(params.text_document.uri)
    ls.journeys.saved(path)
    handle = ls.pending.pop(params.text_document.uri, None)
    if handle is not None:
        handle.cancel()
    ls.publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
@_guarded
def did_close(ls: JourneyServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    handle = ls.pending.pop(uri, None)
    if handle is not None:
        handle.cancel()
    ls.journeys.close(uri_to_path(uri))
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


def _position(ls: JourneyServer, uri: str, position: types.Position) -> tuple[str, tuple[int, int]]:
    path = ls.sync(uri)
    return path, Lines(ls.journeys.texts.get(real(path), "")).from_lsp(position)


def _lines_of(ls: JourneyServer, path: str) -> Lines:
    text = ls.journeys.texts.get(real(path))
    if text is None:
        try:
            text = ls.journeys.read(path).decode("utf-8", "replace")
        except Exception:
            text = ""
    return Lines(text)


@server.feature(
    types.TEXT_DOCUMENT_COMPLETION,
    types.CompletionOptions(trigger_characters=[" ", ":", "[", ",", "-"]),
)
@_guarded
def completion(ls: JourneyServer, params: types.CompletionParams) -> types.CompletionList | None:
    path, position = _position(ls, params.text_document.uri, params.position)
    items = features.complete(ls.journeys, path, position)
    return types.CompletionList(is_incomplete=False, items=items)


@server.feature(types.TEXT_DOCUMENT_HOVER)
@_guarded
def hover(ls: JourneyServer, params: types.HoverParams) -> types.Hover | None:
    path, position = _position(ls, params.text_document.uri, params.position)
    return features.hover(ls.journeys, path, position)


def _location(ls: JourneyServer, place: features.Place) -> types.Location:
    return types.Location(path_to_uri(place.path), _lines_of(ls, place.path).range(place.span))


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
@_guarded
def definition(ls: JourneyServer, params: types.DefinitionParams) -> types.Location | None:
    path, position = _position(ls, params.text_document.uri, params.position)
    place = features.definition(ls.journeys, path, position)
    return _location(ls, place) if place is not None else None


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
@_guarded
def references(ls: JourneyServer, params: types.ReferenceParams) -> list[types.Location] | None:
    path, position = _position(ls, params.text_document.uri, params.position)
    places = features.references(ls.journeys, path, position, declaration=params.context.include_declaration)
    return [_location(ls, place) for place in places]


@server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
@_guarded
def prepare_rename(ls: JourneyServer, params: types.PrepareRenameParams) -> types.Range | None:
    path, position = _position(ls, params.text_document.uri, params.position)
    span = features.prepare_rename(ls.journeys, path, position)
    return _lines_of(ls, path).range(span) if span is not None else None


@server.feature(types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))
@_guarded
def rename(ls: JourneyServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
    path, position = _position(ls, params.text_document.uri, params.position)
    try:
        spans = features.rename(ls.journeys, path, position, params.new_name)
    except features.RenameRefused as refused:
        raise JsonRpcException(code=types.ErrorCodes.InvalidParams, message=str(refused)) from None
    changes = {
        path_to_uri(file): [
            types.TextEdit(_lines_of(ls, file).range(span), params.new_name) for span in found
        ]
        for file, found in spans.items()
    }
    return types.WorkspaceEdit(changes=changes)


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
@_guarded
def code_action(ls: JourneyServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    path = ls.sync(params.text_document.uri)
    return features.code_actions(ls.journeys, path, params.context.diagnostics, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
@_guarded
def document_symbol(
    ls: JourneyServer, params: types.DocumentSymbolParams
) -> list[types.DocumentSymbol] | None:
    path = ls.sync(params.text_document.uri)
    return features.symbols(ls.journeys, path)


def run() -> int:
    """Serve over stdin and stdout until the client says exit; returns the exit code."""
    import os
    import sys

    server.start_io()
    # pygls closes stdout when the client says exit; the CLI's last flush must not fail on it.
    if sys.stdout.closed:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until the process ends
    return 0
