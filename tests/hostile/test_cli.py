"""The hostile-input contract through the installed ``journeyctl``, in a subprocess under limits.

Slower than the in-process layer (a run costs a start-up), so CI tries tens of
inputs: mutated maps through every command, hostile file trees (special
files, symlink loops, includes that reach out, hostile file names, outputs
that are inputs, hostile configuration, the issue's worst shapes), and a batch
of hostile maps through the process pool. The
contract each run keeps is in ``sandbox.py``.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from .contract import excerpt
from .mutations import ROOT, SHARED_PATH, Mutation, apply, bases, examples, hostile_names, mutations
from .payloads import INJECTIONS, RAW_SCALARS
from .sandbox import Expect, check_run, run_journeyctl, snapshot

RETAIL = ROOT / "examples" / "retail-first-online-purchase.yaml"
_counter = itertools.count()


def fresh(root: Path) -> Path:
    """An empty sandbox directory for one input."""
    path = root / f"case-{next(_counter):05d}"
    path.mkdir()
    return path


def run_and_check(sandbox: Path, args: list[str], expect: Expect | None = None) -> int:
    expect = expect or Expect()
    before = snapshot(sandbox)
    run = run_journeyctl(args, sandbox)
    check_run(run, sandbox, before, expect)
    return run.status


def write_map(directory: Path, name: str, data: bytes, *, shared: bool = True) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if shared:
        (directory / "shared").mkdir(exist_ok=True)
        shutil.copyfile(SHARED_PATH, directory / "shared" / "personas.yaml")
    return path


# --- mutated maps through every command -------------------------------------------------------

#: (arguments, stdout format to parse, whether it writes ``{out}``); ``{map}`` is the hostile
#: map, ``{base}`` the example it was made from.
COMMANDS: tuple[tuple[tuple[str, ...], str | None, bool], ...] = (
    (("validate", "{map}"), None, False),
    (("lint", "--isolated", "-f", "json", "{map}"), "json", False),
    (("lint", "--isolated", "-f", "sarif", "{map}"), "json", False),
    (("lint", "--isolated", "-f", "junit", "{map}"), "junit", False),
    (("lint", "--isolated", "-f", "github", "{map}"), None, False),
    (("lint", "--isolated", "{map}"), None, False),
    (("render", "{map}", "-f", "html", "-o", "{out}"), None, True),
    (("render", "{map}", "-f", "md", "-o", "{out}"), None, True),
    (("render", "{map}", "-f", "mermaid"), None, False),
    (("render", "{map}", "-f", "dot", "-o", "{out}"), None, True),
    (("render", "{map}", "-f", "svg", "-o", "{out}"), None, True),
    (("diff", "{base}", "{map}", "-f", "json"), "json", False),
    (("diff", "{base}", "{map}"), None, False),
    (("diff", "{map}", "{base}", "-f", "md", "-o", "{out}"), None, True),
)


@settings(max_examples=examples(0.3))
@given(st.one_of(mutations(), mutations(keep_valid=True)), st.integers(0, len(COMMANDS) - 1))
def test_mutated_map_through_the_cli(hostile_root: Path, mutation: Mutation, command: int) -> None:
    base, data = apply(mutation)
    sandbox = fresh(hostile_root)
    map_path = write_map(sandbox / "maps", "map.yaml", data)
    write_map(sandbox / "maps", "base.yaml", base.text.encode("utf-8"))
    arguments, stdout_format, writes = COMMANDS[command]
    out = sandbox / "out" / "result.out"
    args = [a.format(map="maps/map.yaml", base="maps/base.yaml", out="out/result.out") for a in arguments]
    note(f"journeyctl {' '.join(args)}\ninput:\n{excerpt(data)}")
    expect = Expect(outputs=[out.parent] if writes else [], stdout_format=stdout_format, names=["map.yaml"])
    run_and_check(sandbox, args, expect)
    assert map_path.exists()


@settings(max_examples=examples(0.1))
@given(
    hostile_names(directories=True), hostile_names(directories=True), st.sampled_from(("text", "md", "json"))
)
def test_hostile_file_names_through_diff(hostile_root: Path, old: str, new: str, output_format: str) -> None:
    """``diff`` prints file names: as written, one line, never as rich markup."""
    if old == new:
        new = "other-" + new
    sandbox = fresh(hostile_root)
    text = RETAIL.read_bytes()
    write_map(sandbox, old, text, shared=False)
    write_map(sandbox, new, text.replace(b"emotion: 1\n", b"emotion: -2\n", 1), shared=False)
    args = ["diff", f"./{old}", f"./{new}", "-f", output_format]
    before = snapshot(sandbox)
    run = run_journeyctl(args, sandbox)
    check_run(run, sandbox, before, Expect(stdout_format="json" if output_format == "json" else None))
    assert run.status == 1, run.describe()  # the emotion drop is a regression


# --- hostile file trees -----------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    args: tuple[str, ...]
    expect: Expect


Builder = Callable[[Path], list[Command]]


def _map_with_include(include: str) -> bytes:
    text = RETAIL.read_text(encoding="utf-8")
    return text.replace("\npersonas:\n", f"\ninclude: [{include}]\npersonas:\n", 1).encode("utf-8")


def _special_files_in_walk(sandbox: Path) -> list[Command]:
    maps = sandbox / "maps"
    write_map(maps, "ok.yaml", RETAIL.read_bytes(), shared=False)
    (maps / "zero.yaml").symlink_to("/dev/zero")
    (maps / "urandom.yml").symlink_to("/dev/urandom")
    os.mkfifo(maps / "pipe.yaml")
    (maps / "dir.yaml").mkdir()
    (maps / "loop.yaml").symlink_to("loop.yaml")
    (maps / "dangling.yaml").symlink_to("nowhere.yaml")
    names = ["zero.yaml", "pipe.yaml", "loop.yaml", "dangling.yaml", "urandom.yml"]
    return [
        Command(("validate", "maps"), Expect(names=names)),
        Command(("lint", "--isolated", "-f", "json", "maps"), Expect(stdout_format="json", names=names)),
        Command(
            ("render", "maps", "-f", "md", "-o", "site"), Expect(outputs=[sandbox / "site"], names=names)
        ),
    ]


def _special_files_named(sandbox: Path) -> list[Command]:
    (sandbox / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(sandbox / "pipe.yaml")
    (sandbox / "loop.yaml").symlink_to("loop.yaml")
    commands = []
    for name in ("zero.yaml", "pipe.yaml", "loop.yaml", "/dev/zero", "/dev/stdin"):
        commands.append(Command(("validate", name), Expect(names=[name])))
    commands.append(Command(("render", "zero.yaml", "-f", "md"), Expect(names=["zero.yaml"])))
    commands.append(Command(("diff", "pipe.yaml", "zero.yaml"), Expect(names=["pipe.yaml", "zero.yaml"])))
    return commands


def _include_tricks(sandbox: Path) -> list[Command]:
    (sandbox / ".git").mkdir()  # the repository root, which includes may not leave
    shared = sandbox / "maps" / "shared"
    shared.mkdir(parents=True)
    shutil.copyfile(SHARED_PATH, shared / "personas.yaml")
    os.mkfifo(shared / "pipe.yaml")
    (shared / "a.yaml").symlink_to("b.yaml")
    (shared / "b.yaml").symlink_to("a.yaml")
    (shared / "zero.yaml").symlink_to("/dev/zero")
    (shared / "out.yaml").symlink_to("/etc/passwd")
    (shared / "big.yaml").write_bytes(b"journeyctl-shared: 1\n# " + b"x" * (11 * 1024 * 1024) + b"\n")
    includes = {
        "fifo": "shared/pipe.yaml",
        "loop": "shared/a.yaml",
        "zero": "shared/zero.yaml",
        "outside": "shared/out.yaml",
        "parent": "../../../../../../etc/passwd",
        "absolute": "/etc/passwd",
        "home": "~/.bashrc",
        "nul": '"shared/personas\\0.yaml"',
        "directory": "shared",
        "self": "inc-self.yaml",
        "big": "shared/big.yaml",
        "dotdot": "shared/../shared/../../maps/shared/personas.yaml",
        "empty": '""',
        "newline": '"shared/\\npersonas.yaml"',
    }
    commands = []
    for name, include in includes.items():
        (sandbox / "maps" / f"inc-{name}.yaml").write_bytes(_map_with_include(include))
        commands.append(Command(("validate", f"maps/inc-{name}.yaml"), Expect(names=[f"inc-{name}.yaml"])))
    return commands


def _hostile_names_in_walk(sandbox: Path) -> list[Command]:
    maps = sandbox / "maps"
    maps.mkdir()
    text = RETAIL.read_bytes().replace(b"owner: ", b"ownr: ", 1)  # one error per map, to print its name
    names = ["[bold]x.yaml", "x[/y].yaml", "a\nb.yaml", "-rf.yaml", "%0A::error::.yaml", "a,b:c.yaml"]
    names += ["\x1b[31mred.yaml", "$(id).yaml", "日本.yaml", "\u202eevil.yaml", "tab\t.yaml", " .yaml"]
    for name in [*names, os.fsdecode(b"\xff\xfe-not-utf8.yaml")]:
        write_map(maps, name, text, shared=False)
    commands = [Command(("validate", "maps"), Expect())]
    for output_format in ("text", "concise", "github", "json", "sarif", "junit"):
        parse = {"json": "json", "sarif": "json", "junit": "junit"}.get(output_format)
        commands.append(
            Command(("lint", "--isolated", "-f", output_format, "maps"), Expect(stdout_format=parse))
        )
    commands.append(
        Command(("render", "maps", "-f", "html", "-o", "site"), Expect(outputs=[sandbox / "site"]))
    )
    return commands


def _outputs_onto_inputs(sandbox: Path) -> list[Command]:
    write_map(sandbox, "a.yaml", RETAIL.read_bytes(), shared=False)
    write_map(
        sandbox, "b.yaml", RETAIL.read_bytes().replace(b"emotion: 1\n", b"emotion: 2\n", 1), shared=False
    )
    (sandbox / "link.yaml").symlink_to("a.yaml")
    names = ["a.yaml", "link.yaml", "b.yaml"]
    return [
        Command(("render", "a.yaml", "-f", "md", "-o", "a.yaml"), Expect(names=names)),
        Command(("render", "a.yaml", "-f", "md", "-o", "./a.yaml"), Expect(names=names)),
        Command(("render", "a.yaml", "-f", "md", "-o", str(sandbox / "a.yaml")), Expect(names=names)),
        Command(("render", "a.yaml", "-f", "md", "-o", "link.yaml"), Expect(names=names)),
        Command(("lint", "--isolated", "a.yaml", "-o", "a.yaml"), Expect(names=names)),
        Command(("diff", "a.yaml", "b.yaml", "-o", "b.yaml"), Expect(names=names)),
        Command(("render", ".", "-f", "html", "-o", "."), Expect(names=[*names, "."])),
    ]


def _worst_cases(sandbox: Path) -> list[Command]:
    """Small files that cost much: the issue's quadratic and blow-up shapes, at moderate sizes."""
    head = "journeyctl: 1\nid: w\ntitle: W\nstages:\n"
    cases = {
        "unknown-keys": head + "  - id: a\n    name: A\n" + "".join(f"    k{i}: 1\n" for i in range(20_000)),
        "dangling": head
        + "  - id: a\n    name: A\n    steps:\n"
        + "".join(f"      - {{id: s{i}, action: A, touchpoints: [t{i}]}}\n" for i in range(3_000)),
        "duplicate-ids": head + "".join(f"  - {{id: a, name: A{i}}}\n" for i in range(5_000)),
        "aliased-title": "journeyctl: 1\nid: w\ntitle: &t "
        + "t" * 1_000_000
        + "\nstages:\n"
        + "".join(f"  - {{id: s{i}, name: *t}}\n" for i in range(3_000)),
        "merge-keys": "journeyctl: 1\nid: w\ntitle: W\nx: &m {"
        + ", ".join(f"k{i}: 1" for i in range(5_000))
        + "}\nstages:\n  - {id: a, name: A, <<: *m}\n",
        "deep-flow": head + "  - id: a\n    name: " + "[" * 900 + "]" * 900 + "\n",
        "deep-block": head + "  - id: a\n    name: A\n    x:\n" + "- " * 900 + "x\n",
        "suppressions": head
        + "  - id: a\n    name: A\n"
        + "".join(f"    # journeyctl: disable=JM10{i % 10}\n" for i in range(8_000)),
        "long-word-title": "journeyctl: 1\nid: w\ntitle: "
        + "w" * 3_000_000
        + "\nstages:\n  - {id: a, name: A}\n",
        "big-int": head
        + "  - id: a\n    name: A\n    steps:\n      - {id: s, action: A, emotion: "
        + "9" * 5000
        + "}\n",
        "non-finite": head
        + "  - id: a\n    name: A\n    metrics:\n      - {id: m, name: M, value: .nan, target: .inf}\n",
    }
    commands = []
    for name, text in cases.items():
        (sandbox / f"{name}.yaml").write_text(text, encoding="utf-8")
        expect = Expect(names=[f"{name}.yaml"])
        commands.append(Command(("validate", f"{name}.yaml"), expect))
        if name in ("aliased-title", "long-word-title", "non-finite"):
            commands.append(
                Command(
                    ("render", f"{name}.yaml", "-f", "dot", "-o", "out.dot"),
                    Expect([sandbox / "out.dot"], names=[f"{name}.yaml"]),
                )
            )
            commands.append(
                Command(
                    ("render", f"{name}.yaml", "-f", "html", "-o", "out.html"),
                    Expect([sandbox / "out.html"], names=[f"{name}.yaml"]),
                )
            )
        if name == "suppressions":
            commands.append(Command(("lint", "--isolated", f"{name}.yaml"), expect))
    return commands


def _hostile_configuration(sandbox: Path) -> list[Command]:
    """The lint configuration is in the pull request too: found by the walk up, or named."""
    write_map(sandbox, "a.yaml", RETAIL.read_bytes(), shared=False)
    os.mkfifo(sandbox / ".journeyctl.yaml")  # found from the working directory
    configs = sandbox / "cfg"
    configs.mkdir()
    os.mkfifo(configs / "fifo.yaml")
    (configs / "zero.yaml").symlink_to("/dev/zero")
    (configs / "loop.yaml").symlink_to("loop.yaml")
    (configs / "dir.yaml").mkdir()
    texts = {
        "number.yaml": "rules: {stale-map: {max-age-days: 1__}}\n",
        "escape.yaml": 'select: ["\\e[31mJM1\\e[0m"]\n',
        "newline.yaml": 'ignore: ["JM1\\nfake.yaml:1:1: error: spoofed"]\n',
        "deep.yaml": "rules: " + "[" * 900 + "]" * 900 + "\n",
        "alias.yaml": "x: &a [" + ",".join(["1"] * 100) + "]\nselect: [" + ",".join(["*a"] * 5000) + "]\n",
        "glob.yaml": 'exclude: ["[", "**/[!", "\\0"]\nper-file-ignores: {"[": [JM1]}\n',
        "bad.toml": "[tool.journeyctl]\nselect = [\n",
        "pyproject.toml": '[tool.journeyctl]\nselect = ["\\u001b[2J"]\n',
    }
    for name, text in texts.items():
        (configs / name).write_text(text, encoding="utf-8")
    names = [".journeyctl.yaml", *texts, "fifo.yaml", "zero.yaml", "loop.yaml", "dir.yaml"]
    commands = [Command(("lint", "a.yaml"), Expect(names=names))]
    for name in ["fifo.yaml", "zero.yaml", "loop.yaml", "dir.yaml", *texts]:
        commands.append(Command(("lint", "--config", f"cfg/{name}", "a.yaml"), Expect(names=names)))
    return commands


SCENARIOS: dict[str, Builder] = {
    "hostile-configuration": _hostile_configuration,
    "special-files-in-a-walk": _special_files_in_walk,
    "special-files-named": _special_files_named,
    "include-tricks": _include_tricks,
    "hostile-names-in-a-walk": _hostile_names_in_walk,
    "outputs-onto-inputs": _outputs_onto_inputs,
    "worst-cases": _worst_cases,
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_hostile_file_tree(hostile_root: Path, scenario: str) -> None:
    """Every command of the scenario keeps the contract, each in a fresh copy of the tree.

    All commands run; their failures are reported together.
    """
    build = SCENARIOS[scenario]
    count = len(build(fresh(hostile_root)))
    failures = []
    for index in range(count):
        sandbox = fresh(hostile_root)
        command = build(sandbox)[index]
        try:
            run_and_check(sandbox, list(command.args), command.expect)
        except AssertionError as exc:
            failures.append(f"--- {' '.join(command.args)!r}\n{exc}")
    assert not failures, f"{len(failures)} of {count} command(s) broke the contract:\n" + "\n".join(failures)


def test_batch_of_hostile_maps_through_the_pool(hostile_root: Path) -> None:
    """Forty hostile maps in one run across two workers: the same report as one worker, in bounds."""
    sandbox = fresh(hostile_root)
    maps = sandbox / "maps"
    for index in range(40):
        operations = (
            ("text", index * 7919, INJECTIONS[index % len(INJECTIONS)]),
            ("raw", index * 104729, RAW_SCALARS[index % len(RAW_SCALARS)])
            if index % 4 == 0
            else ("reorder", index, index),
        )
        write_map(maps, f"map-{index:02d}.yaml", apply(Mutation(index % len(bases()), tree=operations))[1])
    reports = []
    for jobs in ("1", "2"):
        before = snapshot(sandbox)
        run = run_journeyctl(["lint", "--isolated", "-f", "json", "-j", jobs, "maps"], sandbox)
        check_run(run, sandbox, before, Expect(stdout_format="json", maps=40))
        reports.append(run.stdout)
    assert reports[0] == reports[1], "lint -j 1 and -j 2 disagree"
    run_and_check(sandbox, ["validate", "-j", "2", "maps"], Expect(maps=40))
