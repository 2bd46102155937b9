"""The lint cache: reused only when nothing it depends on changed, never trusted when damaged.

Each test lints a copy of the examples (maps that include a shared file, a map
with findings, an invalid map) through the CLI in this process, and counts the
files answered from the cache. The output must be byte for byte what a run
without the cache prints, in every format.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from journeyctl.cli import run
from journeyctl.lint import cache as lint_cache
from journeyctl.lint.engine import FileReport
from journeyctl.lint.formats import FORMATS
from journeyctl.walk import Candidate

from .helpers import two_gaps_text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
INVALID = "journeyctl: 1\nid: broken\ntitle: Broken\nstages:\n  - id: s\n    name: S\n    colour: red\n"
CONFIG = "rules:\n  stale-map: {max-age-days: 36500}\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository of maps, the working directory, with the cache on in a directory of its own."""
    root = tmp_path / "project"
    shutil.copytree(EXAMPLES, root / "maps")
    (root / "maps" / "two-gaps.yaml").write_text(two_gaps_text(), encoding="utf-8")
    (root / "maps" / "broken.yaml").write_text(INVALID, encoding="utf-8")
    (root / ".journeyctl.yaml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.delenv("JOURNEYCTL_NO_CACHE", raising=False)
    monkeypatch.setenv("JOURNEYCTL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_COLOR", "1")
    return root


class Lint:
    """Runs ``journeyctl lint`` in this process; remembers how many files the cache answered."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys
        self.hits: list[int] = []
        split = lint_cache.split

        def counting_split(
            cache: lint_cache.LintCache, scopes: lint_cache.CachedScopes, candidates: list[Candidate]
        ) -> tuple[dict[int, FileReport], list[Candidate]]:
            hits, misses = split(cache, scopes, candidates)
            self.hits.append(len(hits))
            return hits, misses

        monkeypatch.setattr(lint_cache, "split", counting_split)

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = run(["lint", "-j", "1", *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    @property
    def last_hits(self) -> int:
        return self.hits[-1] if self.hits else 0


@pytest.fixture
def lint(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Lint:
    return Lint(monkeypatch, capsys)


MAPS = 7  # five examples, two-gaps, broken (the shared file is linted too: 8 files)
CACHEABLE = 7  # every file but the invalid one


def test_a_second_run_is_answered_from_the_cache_with_the_same_output(project: Path, lint: Lint) -> None:
    first = lint("maps")
    assert lint.last_hits == 0
    second = lint("maps")
    assert lint.last_hits == CACHEABLE
    assert second == first
    assert first[0] == 1 and "JM000" in first[1] and "JM101" in first[1]


@pytest.mark.parametrize("output_format", FORMATS)
def test_output_with_and_without_the_cache_is_identical(
    project: Path, lint: Lint, output_format: str
) -> None:
    args = ("maps", "--format", output_format, "--statistics")
    uncached = lint(*args, "--no-cache")
    filling = lint(*args)
    cached = lint(*args)
    assert lint.hits == [0, CACHEABLE]  # --no-cache does not even look
    assert filling == uncached
    assert cached == uncached


def test_output_file_is_identical_from_the_cache(project: Path, lint: Lint) -> None:
    lint("maps", "-f", "json", "-o", "uncached.json", "--no-cache")
    lint("maps", "-f", "json", "-o", "filling.json")
    lint("maps", "-f", "json", "-o", "cached.json")
    assert lint.last_hits == CACHEABLE
    expected = (project / "uncached.json").read_bytes()
    assert (project / "cached.json").read_bytes() == expected == (project / "filling.json").read_bytes()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edited_map_is_linted_again(project: Path, lint: Lint) -> None:
    lint("maps")
    _edit(project / "maps" / "two-gaps.yaml", "owner: Grocery e-commerce team\n", "")
    code, out, _ = lint("maps")
    assert lint.last_hits == CACHEABLE - 1
    assert "map-without-owner" in out
    assert (code, out) == lint("maps", "--no-cache")[:2]


def test_an_edited_include_relints_the_maps_that_include_it(project: Path, lint: Lint) -> None:
    lint("maps")
    including = [p for p in (project / "maps").glob("*.yaml") if "include: [shared/" in p.read_text()]
    assert len(including) == 2
    shared = project / "maps" / "shared" / "personas.yaml"
    shared.write_text(shared.read_text(encoding="utf-8") + "\n# reviewed again\n", encoding="utf-8")
    lint("maps")
    assert lint.last_hits == CACHEABLE - len(including) - 1  # and the shared file itself
    _edit(shared, "journeyctl-shared: 1", "journeyctl-shared: 2")
    code, out, _ = lint("maps")
    assert out.count("JM000") > 1  # the maps that include it now fail to load
    assert (code, out) == lint("maps", "--no-cache")[:2]


def test_a_removed_include_is_noticed(project: Path, lint: Lint) -> None:
    lint("maps")
    (project / "maps" / "shared" / "personas.yaml").unlink()
    code, out, _ = lint("maps")
    assert lint.last_hits == CACHEABLE - 1 - 2  # the shared file is gone, the two maps including it miss
    assert "cannot include 'shared/personas.yaml'" in out
    assert (code, out) == lint("maps", "--no-cache")[:2]


def test_an_edited_configuration_relints_everything(project: Path, lint: Lint) -> None:
    lint("maps")
    (project / ".journeyctl.yaml").write_text(CONFIG + "ignore: [JM101]\n", encoding="utf-8")
    code, out, _ = lint("maps")
    assert lint.last_hits == 0
    assert "JM101" not in out
    assert (code, out) == lint("maps", "--no-cache")[:2]


@pytest.mark.parametrize(
    "options", [["--select", "JM1"], ["--ignore", "JM201"], ["--fail-on", "error"], ["--isolated"]]
)
def test_options_that_change_findings_or_the_verdict_have_their_own_entries(
    project: Path, lint: Lint, options: list[str]
) -> None:
    lint("maps")
    code, out, _ = lint("maps", *options)
    assert lint.last_hits == 0
    assert (code, out) == lint("maps", *options, "--no-cache")[:2]
    lint("maps", *options)
    assert lint.last_hits == CACHEABLE


def test_another_plugin_set_relints_everything(
    project: Path, lint: Lint, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journeyctl.lint import registry

    lint("maps")
    monkeypatch.setattr(
        registry, "plugin_declarations", lambda: [("/site/acme_rules-2.0.dist-info", b"[journeyctl.rules]")]
    )
    monkeypatch.setattr(registry, "plugin_rules", lambda: iter(()))  # the declared plugin is not real
    lint("maps")
    assert lint.last_hits == 0


@pytest.mark.parametrize(
    "change",
    [
        ("__version__", "99.0.0"),
        ("package_fingerprint", lambda: [("journeyctl/rules/stale_map.py", 1, 2)]),
        ("today", lambda: "2099-01-01"),
    ],
    ids=["journeyctl-version", "journeyctl-source", "date"],
)
def test_another_journeyctl_or_another_day_relints_everything(
    project: Path, lint: Lint, monkeypatch: pytest.MonkeyPatch, change: tuple[str, object]
) -> None:
    lint("maps")
    monkeypatch.setattr(lint_cache, *change)
    lint("maps")
    assert lint.last_hits == 0
    lint("maps")
    assert lint.last_hits == CACHEABLE


def _entries(project: Path) -> list[Path]:
    return sorted(
        (Path(os.environ["JOURNEYCTL_CACHE_DIR"]) / f"lint-v{lint_cache.CACHE_FORMAT}" / "files").glob(
            "*/*.json"
        )
    )


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda data: data[: len(data) // 2],
    "empty": lambda data: b"",
    "garbage": lambda data: bytes(range(256)) * 4,
    "checksum-mismatch": lambda data: data.replace(b'"date":"', b'"date":"1', 1),
    "valid-json-wrong-shape": lambda data: _with_checksum(b'{"key": 1, "findings": "none"}'),
    "findings-of-the-wrong-type": lambda data: _with_checksum(
        data.partition(b"\n")[2].replace(b'"findings":[', b'"findings":[[1,2,3,4,5,6,7,8],', 1)
    ),
    "facts-of-the-wrong-shape": lambda data: _with_checksum(
        data.partition(b"\n")[2]
        .replace(b'"map":[', b'"map":[1,', 1)
        .replace(b'"shared":[', b'"shared":[1,', 1)
    ),
}


def _with_checksum(body: bytes) -> bytes:
    return lint_cache.digest_bytes(body).encode() + b"\n" + body


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_entry_is_ignored_and_rewritten(project: Path, lint: Lint, damage: str) -> None:
    expected = lint("maps")
    entries = _entries(project)
    assert len(entries) == CACHEABLE
    for entry in entries:
        entry.write_bytes(DAMAGE[damage](entry.read_bytes()))
    assert lint("maps") == expected
    assert lint.last_hits == 0
    assert lint("maps") == expected
    assert lint.last_hits == CACHEABLE


def test_a_damaged_scope_entry_is_ignored(project: Path, lint: Lint) -> None:
    expected = lint("maps")
    scopes = sorted(
        (Path(os.environ["JOURNEYCTL_CACHE_DIR"]) / f"lint-v{lint_cache.CACHE_FORMAT}" / "scope").glob(
            "*/*.json"
        )
    )
    assert len(scopes) == 1
    scopes[0].write_bytes(_with_checksum(b'{"root": 3}'))
    assert lint("maps") == expected


def test_no_cache_writes_nothing_and_the_environment_can_turn_it_off(
    project: Path, lint: Lint, monkeypatch: pytest.MonkeyPatch
) -> None:
    lint("maps", "--no-cache")
    assert not Path(os.environ["JOURNEYCTL_CACHE_DIR"]).exists()
    monkeypatch.setenv("JOURNEYCTL_NO_CACHE", "1")
    lint("maps")
    assert not Path(os.environ["JOURNEYCTL_CACHE_DIR"]).exists()
    assert lint.hits == []


def test_the_cache_directory_follows_xdg_and_the_option(
    project: Path, lint: Lint, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("JOURNEYCTL_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    lint("maps")
    assert (
        len(
            list(
                (tmp_path / "xdg" / "journeyctl" / f"lint-v{lint_cache.CACHE_FORMAT}" / "files").glob(
                    "*/*.json"
                )
            )
        )
        == CACHEABLE
    )
    lint("maps", "--cache-dir", ".journeyctl_cache")
    assert lint.last_hits == 0
    assert (
        len(
            list(
                (project / ".journeyctl_cache" / f"lint-v{lint_cache.CACHE_FORMAT}" / "files").glob(
                    "*/*.json"
                )
            )
        )
        == CACHEABLE
    )


def test_a_cache_that_cannot_be_written_is_no_obstacle(project: Path, lint: Lint) -> None:
    blocked = project / "not-a-directory"
    blocked.write_text("a file where the cache directory would go\n")
    expected = lint("maps", "--no-cache")
    assert lint("maps", "--cache-dir", str(blocked)) == expected
    assert lint("maps", "--cache-dir", str(blocked)) == expected
    assert lint.hits == [0, 0]


def test_writes_leave_no_temporary_files(project: Path, lint: Lint) -> None:
    lint("maps")
    lint("maps", "--select", "JM1")
    cache_dir = Path(os.environ["JOURNEYCTL_CACHE_DIR"])
    assert [p for p in cache_dir.rglob("*") if p.is_file() and p.suffix != ".json"] == []


def test_a_cached_run_imports_neither_pydantic_nor_yaml(project: Path) -> None:
    """What makes a cached run of one map cost little more than starting Python."""
    script = Path(sys.executable).with_name("journeyctl")
    probe = (
        "import sys, runpy; sys.argv = ['journeyctl', 'lint', 'maps/two-gaps.yaml'];"
        "from journeyctl.entry import main; code = main(sys.argv[1:]);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'yaml', 'rich', 'jinja2')))"
    )
    assert script.exists()
    env = {key: value for key, value in os.environ.items() if key != "JOURNEYCTL_NO_CACHE"}
    first = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=False
    )
    assert "'yaml'" in first.stdout, first.stderr  # linted: the maps are read
    assert "'pydantic'" not in first.stdout, first.stderr  # valid maps are built without it
    second = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=False
    )
    assert second.stdout.splitlines()[-1] == "['pydantic.plugin._loader']", second.stderr  # the stand-in only


def test_files_over_the_size_cap_or_not_regular_are_left_to_the_engine(project: Path, lint: Lint) -> None:
    """The cache never reads what the loader would refuse to read: a file over the cap, a FIFO."""
    sizes = sorted((p.stat().st_size, p.name) for p in (project / "maps").rglob("*.yaml"))
    (largest, name), (second, _) = sizes[-1], sizes[-2]
    assert largest > second
    cap = str(largest - 1)
    expected = lint("maps", "--max-file-size", cap, "--no-cache")
    assert [line for line in expected[1].splitlines() if "JM000" in line and "limit" in line] != []
    assert name in expected[1]
    assert lint("maps", "--max-file-size", cap) == expected
    assert lint("maps", "--max-file-size", cap) == expected
    assert lint.last_hits == CACHEABLE - 1  # the file over the cap is linted (and refused) each time
    fifo = project / "maps" / "pipe.yaml"
    os.mkfifo(fifo)
    cache = lint_cache.LintCache(Path(os.environ["JOURNEYCTL_CACHE_DIR"]), "key", "2026-01-01")
    assert cache._read_file(str(fifo)) is None  # returns at once: a FIFO is never opened for reading


class _Stdin:
    """Standard input holding ``data``, as read_stdin reads it."""

    def __init__(self, data: bytes) -> None:
        import io

        self.buffer = io.BytesIO(data)

    def isatty(self) -> bool:
        return False


def test_standard_input_is_never_answered_with_the_file_of_its_name(
    project: Path, lint: Lint, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor lints its unsaved buffer as the file it will become: the buffer is what counts."""
    target = project / "maps" / "two-gaps.yaml"
    lint(str(target.relative_to(project)))  # the file on disk, cached
    buffer = target.read_text(encoding="utf-8").replace("owner: Grocery e-commerce team\n", "")
    args = ("-", "--stdin-filename", "maps/two-gaps.yaml")
    monkeypatch.setattr(sys, "stdin", _Stdin(buffer.encode()))
    expected = lint(*args, "--no-cache")
    assert "map-without-owner" in expected[1]
    for _ in range(2):
        monkeypatch.setattr(sys, "stdin", _Stdin(buffer.encode()))
        assert lint(*args) == expected
    assert lint.last_hits == 1  # the buffer's own entry, the second time


def test_each_directory_is_judged_by_its_own_configuration(project: Path, lint: Lint) -> None:
    """A configuration nearer a file governs it; editing, adding or removing one re-lints its files."""
    legacy = project / "maps" / "legacy"
    legacy.mkdir()
    shutil.move(project / "maps" / "two-gaps.yaml", legacy / "two-gaps.yaml")
    formats = ("text", "json", "sarif")
    expected = {f: lint("maps", "-f", f, "--no-cache") for f in formats}
    for f in formats:
        assert lint("maps", "-f", f) == expected[f]
    assert lint("maps", "-f", "sarif") == expected["sarif"]
    assert lint.last_hits == CACHEABLE
    # A configuration of its own for legacy/: only the map there is linted again.
    (legacy / ".journeyctl.yaml").write_text(CONFIG + "ignore: [JM101]\nfail-on: error\n", encoding="utf-8")
    changed = {f: lint("maps", "-f", f, "--no-cache") for f in formats}
    assert "JM101" not in changed["text"][1] and changed["text"] != expected["text"]
    for f in formats:
        assert lint("maps", "-f", f) == changed[f]
    # The new file is walked too (and skipped: it is no map), so one more file is cached.
    assert lint.hits[-len(formats)] == CACHEABLE - 1 and lint.last_hits == CACHEABLE + 1
    # Edited: again only legacy/'s map (and the configuration file itself).
    (legacy / ".journeyctl.yaml").write_text(CONFIG + "fail-on: error\n", encoding="utf-8")
    assert lint("maps") == lint("maps", "--no-cache")
    assert lint.hits[-1] == CACHEABLE + 1 - 2
    # Removed: the project's configuration governs it again, as it did at first (still cached).
    (legacy / ".journeyctl.yaml").unlink()
    for f in formats:
        assert lint("maps", "-f", f) == expected[f]
    assert lint.last_hits == CACHEABLE


def test_file_names_that_are_not_utf8_are_cached_as_they_are(project: Path, lint: Lint) -> None:
    """A name with bytes that are not UTF-8 (a surrogate escape in Python) is a key like any other."""
    odd = os.fsdecode(b"maps/caf\xe9-\xff.yaml")
    shutil.copyfile(project / "maps" / "two-gaps.yaml", odd)
    expected = lint("maps", "-f", "json", "--no-cache")
    assert lint("maps", "-f", "json") == expected
    assert lint("maps", "-f", "json") == expected
    assert lint.last_hits == CACHEABLE + 1


@pytest.mark.parametrize("kind", ["directory", "fifo"])
def test_a_configuration_that_is_no_regular_file_is_refused_not_read(
    project: Path, lint: Lint, kind: str
) -> None:
    target = project / "odd.yaml"
    if kind == "directory":
        target.mkdir()
    else:
        os.mkfifo(target)
    code, _, err = lint("maps", "--config", "odd.yaml")  # returns at once: nothing blocks on the FIFO
    assert code == 2 and "odd.yaml" in err and "cannot read configuration file" in err


def test_project_rules_see_cached_files_as_they_see_fresh_ones(project: Path, lint: Lint) -> None:
    # A map id used twice and a future map's baseline are found from each file's facts,
    # which the cache keeps beside its findings.
    shutil.copy(project / "maps" / "retail-first-online-purchase.yaml", project / "maps" / "copy.yaml")
    first = lint("maps")
    assert "JM902" in first[1]
    second = lint("maps")
    assert lint.last_hits == CACHEABLE + 1
    assert second == first


def test_a_baseline_found_beyond_the_run_is_looked_up_again_every_run(project: Path, lint: Lint) -> None:
    # Linting the future map alone finds its baseline in the repository: a file the run
    # did not read, so the project findings are never kept for the next run.
    future = "maps/broadband-home-move-future.yaml"
    assert lint(future)[0] == 0
    baseline = project / "maps" / "broadband-home-move-current.yaml"
    baseline.write_text(
        baseline.read_text(encoding="utf-8").replace(
            "id: broadband-home-move-current", "id: broadband-home-move-before", 1
        ),
        encoding="utf-8",
    )
    code, out, _ = lint(future)
    assert lint.last_hits == 1
    assert code == 1 and "broadband-home-move-current" in out, out


def test_project_findings_follow_a_changed_file_in_the_run(project: Path, lint: Lint) -> None:
    copy = project / "maps" / "copy.yaml"
    shutil.copy(project / "maps" / "retail-first-online-purchase.yaml", copy)
    assert "JM902" in lint("maps")[1]
    copy.write_text(
        copy.read_text(encoding="utf-8").replace("id: retail-first-online-purchase", "id: retail-copy", 1),
        encoding="utf-8",
    )
    assert "JM902" not in lint("maps")[1]
