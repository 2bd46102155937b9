"""Server time of `journeyctl server`'s work, measured in its own process (not over the protocol).

    python benchmarks/server_bench.py diagnostics MAP [--edits N]
    python benchmarks/server_bench.py completion MAP [--requests N]
    python benchmarks/server_bench.py memory DIRECTORY
    python benchmarks/server_bench.py lsp MAP [--edits N] -- SERVER COMMAND...

``diagnostics`` opens MAP, then makes N edits (a step's action changed, one
word each time) and times what the server does for each one once its debounce
fires: the check (loader, lint rules, project rules over the workspace) and the
diagnostics built from it. ``completion`` times completion of a step's
persona. ``memory`` opens every map under DIRECTORY as an editor would (each
checked once, all kept open) and reports the peak resident memory.
``lsp`` drives any language server over stdio as an editor would (the map
opened with the schema's ``yaml-language-server`` modeline, then N edits) and
times each open and edit until the diagnostics arrive, protocol and debounce
included: the like-for-like comparison of ``journeyctl server`` with
yaml-language-server's schema-only validation.
Each prints one line, ``server time: median X ms (max Y ms) ...``, which
``benchmarks/run.py`` shows in its table beside the wall time of the run.
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import sys
import time
from pathlib import Path

from journeyctl.server.app import diagnostics_of
from journeyctl.server.features import complete
from journeyctl.server.workspace import Workspace, real
from journeyctl.walk import discover

_ACTION = re.compile(r"^(\s+action: )(.*)$", re.MULTILINE)
_PERSONA = re.compile(r"^(\s+persona: )(\S+)$", re.MULTILINE)


def _workspace(path: Path) -> Workspace:
    # The map's directory is the workspace, as an editor opened on the repository would have it.
    return Workspace([str(path.parent)])


def _report(label: str, times: list[float], cpu: list[float], extra: str = "") -> None:
    # CPU time beside wall time: on a shared machine the wall time counts other processes' turns.
    median = statistics.median(times) * 1000
    print(
        f"server time: median {median:.1f} ms (max {max(times) * 1000:.1f} ms, "
        f"CPU {statistics.median(cpu) * 1000:.1f} ms) {label}{extra}"
    )


def bench_diagnostics(path: Path, edits: int) -> None:
    workspace = _workspace(path)
    text = path.read_text(encoding="utf-8")
    workspace.open(str(path), text)
    diagnostics_of(workspace.check(str(path)), text)  # the open: models and rules built once
    matches = list(_ACTION.finditer(text))
    times: list[float] = []
    cpu: list[float] = []
    for number in range(edits):
        match = matches[number * 7 % len(matches)]
        edited = text[: match.start(2)] + f"Edit {number} " + text[match.start(2) :]
        workspace.open(str(path), edited)
        started, cpu_started = time.perf_counter(), time.process_time()
        checked = workspace.check(str(path))
        diagnostics_of(checked, edited)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    findings = f", {len(checked.findings)} findings"
    _report(f"diagnostics after an edit, {len(text):,} bytes", times, cpu, findings)


def bench_completion(path: Path, requests: int) -> None:
    workspace = _workspace(path)
    text = path.read_text(encoding="utf-8")
    workspace.open(str(path), text)
    workspace.check(str(path))
    matches = list(_PERSONA.finditer(text))
    if not matches:
        sys.exit(f"{path}: no step with a persona to complete")
    times: list[float] = []
    cpu: list[float] = []
    offered = 0
    for number in range(requests):
        match = matches[number * 7 % len(matches)]
        # The persona's value typed up to its first letter, as the request comes while typing.
        edited = text[: match.start(2) + 1] + text[match.end(2) :]
        workspace.open(str(path), edited)
        line = edited.count("\n", 0, match.start(2))
        col = match.start(2) + 1 - (edited.rfind("\n", 0, match.start(2)) + 1)
        started, cpu_started = time.perf_counter(), time.process_time()
        offered = len(complete(workspace, str(path), (line, col)))
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    _report(f"completion of a persona, {len(text):,} bytes", times, cpu, f", {offered} ids offered")


def bench_memory(directory: Path) -> None:
    workspace = Workspace([str(directory)])
    paths = [real(c.path) for c in discover([str(directory)])]
    started = time.perf_counter()
    # A workspace of this many maps with 20 of them open (the editor's tabs): the others are
    # read for the cross-map rules on the first check.
    for path in paths[:20]:
        workspace.open(path, Path(path).read_text(encoding="utf-8"))
        workspace.check(path)
    seconds = time.perf_counter() - started
    workspace_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The worst case: every map open at once.
    for path in paths[20:]:
        workspace.open(path, Path(path).read_text(encoding="utf-8"))
        workspace.check(path)
    all_open_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"server memory: peak {workspace_mb:.0f} MB for a workspace of {len(paths):,} maps, 20 open "
        f"({seconds:.1f} s to the first diagnostics); {all_open_mb:.0f} MB with all of them open"
    )


def bench_lsp(path: Path, edits: int, command: list[str]) -> None:
    import asyncio

    asyncio.run(_lsp(path, edits, command))


async def _lsp(path: Path, edits: int, command: list[str]) -> None:
    import asyncio

    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    schema = (Path(__file__).resolve().parent.parent / "schemas" / "journey.schema.json").as_uri()
    text = f"# yaml-language-server: $schema={schema}\n" + path.read_text(encoding="utf-8")
    client = LanguageClient("server-bench", "1")
    arrived = asyncio.Event()
    received: list[int] = []

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params: types.PublishDiagnosticsParams) -> None:
        received.append(len(params.diagnostics))
        arrived.set()

    @client.feature(types.WORKSPACE_CONFIGURATION)
    def configuration(params: types.ConfigurationParams) -> list[object]:
        # yaml-language-server asks for its settings: schema validation on, nothing else.
        return [{"validate": True, "schemaStore": {"enable": False}} for _ in params.items]

    await client.start_io(*command)
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(
                workspace=types.WorkspaceClientCapabilities(configuration=True)
            ),
            root_uri=path.parent.as_uri(),
        )
    )
    client.initialized(types.InitializedParams())
    uri = path.as_uri()

    async def until_diagnostics(send: object) -> float:
        arrived.clear()
        started = time.perf_counter()
        assert callable(send)
        send()
        await asyncio.wait_for(arrived.wait(), 60)
        return time.perf_counter() - started

    opened = await until_diagnostics(
        lambda: client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "yaml", 1, text))
        )
    )
    matches = list(_ACTION.finditer(text))
    times = []
    for number in range(edits):
        match = matches[number * 7 % len(matches)]
        edited = text[: match.start(2)] + f"Edit {number} " + text[match.start(2) :]
        change = types.TextDocumentContentChangeWholeDocument(edited)
        params = types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=number + 2), [change]
        )
        times.append(await until_diagnostics(lambda params=params: client.text_document_did_change(params)))
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    print(
        f"server time over the protocol: open {opened * 1000:.0f} ms, edits median "
        f"{statistics.median(times) * 1000:.0f} ms (max {max(times) * 1000:.0f} ms), "
        f"{received[-1]} diagnostics, {len(text):,} bytes, {Path(command[0]).name}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("diagnostics", "completion", "memory", "lsp"))
    parser.add_argument("path", type=Path)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50)
    argv = sys.argv[1:]
    # For lsp, the server's command line follows `--`.
    command = argv[argv.index("--") + 1 :] if "--" in argv else []
    args = parser.parse_args(argv[: argv.index("--")] if "--" in argv else argv)
    if args.what == "diagnostics":
        bench_diagnostics(args.path.resolve(), args.edits)
    elif args.what == "completion":
        bench_completion(args.path.resolve(), args.requests)
    elif args.what == "memory":
        bench_memory(args.path.resolve())
    else:
        bench_lsp(args.path.resolve(), args.edits, command)


if __name__ == "__main__":
    main()
