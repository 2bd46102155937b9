"""Nothing journeyctl writes loses data (issue 9, items 1-4), through the installed entry point.

Each reproducer of the issue runs as a real ``journeyctl`` process; each test
asserts the exit code, the message, that the inputs are byte-identical
afterwards and that no temporary file or staging directory is left behind.
"""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

from journeyctl.cli import run
from journeyctl.errors import OutputError
from tests.conftest import EXAMPLES

JOURNEYCTL = str(Path(sys.executable).with_name("journeyctl"))
RETAIL = EXAMPLES / "retail-first-online-purchase.yaml"
IS_ROOT = os.geteuid() == 0


def journeyctl(
    *args: str, cwd: Path, stdout: int | None = subprocess.PIPE, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [JOURNEYCTL, *args],
        cwd=cwd,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    return result


def in_process(
    args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    """Exit code and stderr of ``journeyctl ARGS`` run in this process (for the many variants)."""
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    code = run(args)
    return code, capsys.readouterr().err


def snapshot(root: Path) -> dict[str, object]:
    """Every entry below ``root`` (hidden ones too): bytes, mode and inode of files; links; others."""
    state: dict[str, object] = {}
    for path in sorted(root.rglob("*")):
        found = path.lstat()
        key = str(path.relative_to(root))
        if stat.S_ISLNK(found.st_mode):
            state[key] = ("link", os.readlink(path))
        elif stat.S_ISREG(found.st_mode):
            state[key] = ("file", path.read_bytes(), stat.S_IMODE(found.st_mode), found.st_ino)
        else:
            state[key] = (stat.S_IFMT(found.st_mode), found.st_rdev)
    return state


def leftovers(root: Path) -> list[str]:
    """Temporary files and staging directories (the manifest is not a leftover)."""
    return sorted(
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.name.startswith(".journeyctl-staging-") or path.name.endswith(".tmp")
    )


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A directory holding a copy of the retail map as ``a.yaml``."""
    shutil.copy(RETAIL, tmp_path / "a.yaml")
    return tmp_path


def changed_copy(work: Path) -> None:
    """``b.yaml``: the retail map with another title, so that a diff has something to report."""
    (work / "b.yaml").write_bytes(RETAIL.read_bytes().replace(b"title: ", b"title: Other ", 1))


def markdown_of_retail(cwd: Path) -> str:
    result = journeyctl("render", str(RETAIL), "-f", "md", cwd=cwd)
    assert result.returncode == 0
    return result.stdout


# --- item 1: devices, FIFOs, descriptors, links, read-only files ---------------------------


@pytest.mark.skipif(not IS_ROOT, reason="mknod needs root (the issue's reproducer runs as root)")
def test_a_device_node_named_as_output_is_streamed_into(work: Path) -> None:
    subprocess.run(["mknod", "null", "c", "1", "3"], cwd=work, check=True)
    result = journeyctl("render", "a.yaml", "-f", "md", "-o", "null", cwd=work)
    assert result.returncode == 0, result.stderr
    found = os.lstat(work / "null")
    assert stat.S_ISCHR(found.st_mode) and found.st_rdev == os.makedev(1, 3)
    assert sorted(os.listdir(work)) == ["a.yaml", "null"]
    assert (work / "a.yaml").read_bytes() == RETAIL.read_bytes()


def test_dev_stdout_dev_fd_and_process_substitution_stream(work: Path) -> None:
    expected = markdown_of_retail(work)
    to_pipe = journeyctl("render", "a.yaml", "-f", "md", "-o", "/dev/stdout", cwd=work)
    assert (to_pipe.returncode, to_pipe.stdout) == (0, expected)
    with open(work / "report.md", "w", encoding="utf-8") as handle:  # stdout is a file: written, not renamed
        inode = os.fstat(handle.fileno()).st_ino
        assert (
            journeyctl(
                "render", "a.yaml", "-f", "md", "-o", "/dev/stdout", cwd=work, stdout=handle
            ).returncode
            == 0
        )
    assert (work / "report.md").read_text(encoding="utf-8") == expected
    assert (work / "report.md").stat().st_ino == inode
    script = f"{JOURNEYCTL} render a.yaml -f md -o >(gzip > a.md.gz); status=$?; wait; exit $status"
    gzipped = subprocess.run(["bash", "-c", script], cwd=work, capture_output=True, text=True, timeout=60)
    assert gzipped.returncode == 0, gzipped.stderr
    assert gzip.decompress((work / "a.md.gz").read_bytes()).decode("utf-8") == expected
    assert sorted(os.listdir(work)) == ["a.md.gz", "a.yaml", "report.md"]


def test_a_fifo_named_as_output_is_streamed_into(work: Path) -> None:
    os.mkfifo(work / "fifo")
    with open(work / "received.md", "wb") as sink:
        reader = subprocess.Popen(["cat", "fifo"], cwd=work, stdout=sink)
        result = journeyctl("render", "a.yaml", "-f", "md", "-o", "fifo", cwd=work)
        reader.wait(timeout=30)
    assert result.returncode == 0, result.stderr
    assert (work / "received.md").read_text(encoding="utf-8") == markdown_of_retail(work)
    assert stat.S_ISFIFO(os.lstat(work / "fifo").st_mode)


def test_a_symlink_is_refused_and_neither_it_nor_its_target_changes(work: Path) -> None:
    (work / "real.md").write_text("mine\n", encoding="utf-8")
    (work / "link.md").symlink_to("real.md")
    before = snapshot(work)
    result = journeyctl("render", "a.yaml", "-f", "md", "-o", "link.md", cwd=work)
    assert result.returncode == 2
    assert result.stderr.startswith(
        "link.md: error: is a symbolic link (to real.md); "
        "journeyctl neither replaces links nor writes through them\n"
    )
    assert snapshot(work) == before


def test_a_read_only_file_is_refused_not_replaced(work: Path) -> None:
    (work / "frozen.md").write_text("keep me\n", encoding="utf-8")
    (work / "frozen.md").chmod(0o444)
    before = snapshot(work)
    result = journeyctl("render", "a.yaml", "-f", "md", "-o", "frozen.md", cwd=work)
    assert result.returncode == 2
    assert (
        "frozen.md: error: is read-only (mode 0444); journeyctl does not replace read-only files"
        in result.stderr
    )
    assert snapshot(work) == before


def test_a_replaced_output_keeps_its_mode(work: Path) -> None:
    (work / "shared.md").write_text("old\n", encoding="utf-8")
    (work / "shared.md").chmod(0o664)
    assert journeyctl("render", "a.yaml", "-f", "md", "-o", "shared.md", cwd=work).returncode == 0
    assert stat.S_IMODE((work / "shared.md").stat().st_mode) == 0o664
    assert sorted(os.listdir(work)) == ["a.yaml", "shared.md"]


# --- item 2: an output that is an input -------------------------------------------------------


def git_repository(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``root`` as a git repository with a.yaml committed and then edited (git's environment isolated)."""
    for name, value in {
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }.items():
        monkeypatch.setenv(name, value)
    for command in (["init", "-q"], ["add", "a.yaml"], ["commit", "-q", "-m", "v1"]):
        subprocess.run(["git", *command], cwd=root, check=True)
    text = (root / "a.yaml").read_text(encoding="utf-8")
    (root / "a.yaml").write_text(text.replace("title: ", "title: Edited ", 1), encoding="utf-8")


def inputs_and_links(work: Path) -> None:
    (work / "link.yaml").symlink_to("a.yaml")
    (work / "sub").mkdir()
    (work / "b.txt").write_bytes(RETAIL.read_bytes().replace(b"title: ", b"title: Other ", 1))
    (work / ".journeyctl.yaml").write_text("preset: recommended\n", encoding="utf-8")


def test_the_reproducers_of_an_output_that_is_an_input(work: Path) -> None:
    inputs_and_links(work)
    before = snapshot(work)
    for command in (
        ["render", "a.yaml", "-f", "md", "-o", "a.yaml"],
        ["lint", "a.yaml", "-f", "json", "-o", "a.yaml"],
        ["diff", "a.yaml", "b.txt", "-o", "b.txt"],
        ["schema", "-o", "a.yaml"],
    ):
        result = journeyctl(*command, cwd=work)
        assert result.returncode == 2, command
        assert result.stderr.split(": error: ")[0] == command[-1], result.stderr
        assert snapshot(work) == before, command


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["render", "a.yaml", "-f", "md", "-o", "a.yaml"], "a.yaml: error: is an input of this command;"),
        (["render", "a.yaml", "-f", "md", "-o", "./a.yaml"], "./a.yaml: error: is an input of this command;"),
        (
            ["render", "a.yaml", "-f", "md", "-o", "{work}/a.yaml"],
            "/a.yaml: error: is an input of this command;",
        ),
        (
            ["render", "a.yaml", "-f", "md", "-o", "link.yaml"],
            "link.yaml: error: is an input of this command (a.yaml);",
        ),
        (["render", "link.yaml", "-f", "md", "-o", "a.yaml"], "is an input of this command (link.yaml);"),
        (["render", "a.yaml", "-f", "html", "-o", "sub/../a.yaml"], "is an input of this command"),
        (["lint", "a.yaml", "-f", "json", "-o", "a.yaml"], "a.yaml: error: is an input of this command;"),
        (["lint", ".", "-o", "./a.yaml"], "./a.yaml: error: is an input of this command;"),
        (
            ["lint", "a.yaml", "-o", ".journeyctl.yaml"],
            ".journeyctl.yaml: error: is an input of this command;",
        ),
        (["diff", "a.yaml", "b.txt", "-o", "b.txt"], "b.txt: error: is an input of this command;"),
        (
            ["diff", "a.yaml", "b.txt", "-f", "json", "-o", "link.yaml"],
            "is an input of this command (a.yaml);",
        ),
        (["diff", "HEAD", "-o", "a.yaml"], "a.yaml: error: is an input of this command;"),
        (
            ["schema", "-o", "a.yaml"],
            "a.yaml: error: is a journey map (or shared file); journeyctl never writes",
        ),
        (["schema", "-o", "link.yaml"], "link.yaml: error: is a symbolic link (to a.yaml)"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else "-",
)
def test_an_output_that_is_an_input_is_refused(
    work: Path,
    command: list[str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inputs_and_links(work)
    if command[:2] == ["diff", "HEAD"]:
        git_repository(work, monkeypatch)
    before = snapshot(work)
    code, stderr = in_process([part.format(work=work) for part in command], work, monkeypatch, capsys)
    assert code == 2, stderr
    assert message in stderr
    assert snapshot(work) == before


def test_a_site_render_never_writes_over_a_map_in_its_input_directory(tmp_path: Path) -> None:
    from journeyctl.renderers.batch import check_outputs, plan

    maps = tmp_path / "maps"
    maps.mkdir()
    shutil.copy(RETAIL, maps / "a.yaml")
    yaml_renderer = types.SimpleNamespace(NAME="yaml-copy", EXTENSION=".yaml", BINARY=False)
    the_plan = plan([str(maps)], str(maps), yaml_renderer, stdout_isatty=False)  # type: ignore[arg-type]
    with pytest.raises(OutputError, match="in a folder of the maps being rendered"):
        check_outputs(the_plan, site_index=False)
    # Pages beside the maps are refused too (issue 9: nothing is written into an input
    # directory's folder of maps); a folder of its own below the maps is fine.
    html = types.SimpleNamespace(NAME="html", EXTENSION=".html", BINARY=False)
    with pytest.raises(OutputError, match="in a folder of the maps being rendered"):
        check_outputs(plan([str(maps)], str(maps), html, stdout_isatty=False), site_index=True)  # type: ignore[arg-type]
    site = plan([str(maps)], str(maps / "site"), html, stdout_isatty=False)  # type: ignore[arg-type]
    check_outputs(site, site_index=True)


# --- item 3: a directory render is all or nothing --------------------------------------------


def test_a_directory_in_the_way_of_a_page_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "site" / "retail-first-online-purchase.html").mkdir(parents=True)
    before = snapshot(tmp_path)
    result = journeyctl("render", str(EXAMPLES), "-f", "html", "-o", "site", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "site/retail-first-online-purchase.html: error: cannot write this output file: it is a directory\n"
    )
    assert snapshot(tmp_path) == before  # no page, no index, no staging directory


def test_a_failing_page_leaves_the_previous_site_exactly_as_it_was(tmp_path: Path) -> None:
    assert journeyctl("render", str(EXAMPLES), "-f", "html", "-o", "site", "-q", cwd=tmp_path).returncode == 0
    (tmp_path / "site" / "saas-trial-to-onboarding.html").chmod(0o444)
    (tmp_path / "site" / "CNAME").write_text("maps.example.com\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = journeyctl("render", str(EXAMPLES), "-f", "html", "-o", "site", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("site/saas-trial-to-onboarding.html: error: is read-only (mode 0444)")
    assert snapshot(tmp_path) == before  # every page, the index, the manifest and CNAME, inodes included


def test_a_killed_batch_leaves_whole_files_and_the_next_run_cleans_up(tmp_path: Path) -> None:
    maps = tmp_path / "maps"
    maps.mkdir()
    for index in range(80):
        shutil.copy(RETAIL, maps / f"map-{index:02d}.yaml")
    out = tmp_path / "out"
    out.mkdir()
    old = markdown_of_retail(tmp_path).encode("utf-8")
    for index in range(80):  # the previous run's pages
        (out / f"map-{index:02d}.md").write_bytes(old)
    option = ["-O", "heading-level=2"]
    new = journeyctl("render", str(RETAIL), "-f", "md", *option, cwd=tmp_path).stdout.encode("utf-8")
    assert new != old
    command = [JOURNEYCTL, "render", "maps", "-f", "md", *option, "-o", "out", "-q"]
    process = subprocess.Popen(command, cwd=tmp_path, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    killed = False
    while time.monotonic() < deadline and process.poll() is None:
        if any(out.glob(".journeyctl-staging-*/new/*")):  # it is writing the new pages
            process.send_signal(signal.SIGKILL)
            killed = True
            break
        time.sleep(0.0005)
    process.wait(timeout=60)
    assert killed, "the run ended before it could be killed while writing"
    assert leftovers(out), "a killed run leaves its staging directory"
    pages = sorted(out.glob("*.md"))
    assert len(pages) == 80
    assert {page.read_bytes() for page in pages} <= {old, new}  # each page whole, old or new
    again = journeyctl(*command[1:], cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert leftovers(out) == []
    assert {page.read_bytes() for page in out.glob("*.md")} == {new}


# --- item 4: failed writes are exit 2 with the path and the reason ---------------------------


def test_a_read_only_directory_is_exit_2(read_only_directory: Path) -> None:
    cwd = read_only_directory.parent
    shutil.copy(RETAIL, cwd / "a.yaml")
    result = journeyctl("render", "a.yaml", "-f", "md", "-o", "locked/a.md", cwd=cwd)
    assert result.returncode == 2
    assert result.stderr == "locked/a.md: error: cannot write: directory locked is not writable\n"
    site = journeyctl("render", str(EXAMPLES), "-f", "md", "-o", "locked", cwd=cwd)
    assert site.returncode == 2
    assert site.stderr == "locked: error: cannot write into it: the directory is not writable\n"
    assert sorted(os.listdir(read_only_directory)) == ["out.md"]


def test_the_reproducers_of_failed_writes(work: Path) -> None:
    (work / "afile").write_text("", encoding="utf-8")
    (work / "dir").mkdir()
    before = snapshot(work)
    for command, message in (
        (
            ["render", "a.yaml", "-f", "md", "-o", "afile/a.md"],
            "afile/a.md: error: cannot write: afile is a file, ",
        ),
        (["lint", "a.yaml", "-o", "dir"], "dir: error: cannot write: is a directory\n"),
        (
            ["render", "a.yaml", "-f", "md", "-o", "/dev/full"],
            "/dev/full: error: cannot write: no space left ",
        ),
    ):
        result = journeyctl(*command, cwd=work)
        assert result.returncode == 2, command
        assert result.stderr.startswith(message), result.stderr
    assert snapshot(work) == before


WRITING_COMMANDS = {
    "render": ["render", "a.yaml", "-f", "md", "-o", "{target}"],
    "lint": ["lint", "a.yaml", "-f", "json", "-o", "{target}"],
    "diff": ["diff", "a.yaml", "b.yaml", "-o", "{target}"],
    "schema": ["schema", "-o", "{target}"],
}
IMPOSSIBLE_TARGETS = {
    "parent-is-a-file": ("afile/out.txt", "cannot write: afile is a file, not a directory"),
    "grandparent-is-a-file": ("afile/deeper/out.txt", "cannot write: afile is a file, not a directory"),
    "directory": ("dir", "cannot write: is a directory"),
    "dev-full": ("/dev/full", "cannot write: no space left on device"),
}


@pytest.mark.parametrize(
    ("command", "target", "message"),
    [
        pytest.param(command, target, f"{target}: error: {message}\n", id=f"{name}-{case}")
        for name, command in WRITING_COMMANDS.items()
        for case, (target, message) in IMPOSSIBLE_TARGETS.items()
        # render -o DIR renders into the directory (docs/render.md): not an impossible target.
        if not (name == "render" and case == "directory")
    ],
)
def test_impossible_outputs_are_exit_2(
    work: Path,
    command: list[str],
    target: str,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (work / "afile").write_text("", encoding="utf-8")
    (work / "dir").mkdir()
    changed_copy(work)
    before = snapshot(work)
    code, stderr = in_process([part.format(target=target) for part in command], work, monkeypatch, capsys)
    assert (code, stderr) == (2, message)
    assert snapshot(work) == before


@pytest.mark.parametrize(
    "command",
    [
        ["render", "a.yaml", "-f", "md"],
        ["lint", "a.yaml"],
        ["diff", "a.yaml", "b.yaml", "-f", "json"],
        ["diff", "a.yaml", "b.yaml"],
        ["schema"],
        ["rules"],
    ],
    ids=lambda command: " ".join(command),
)
def test_stdout_on_a_full_disk_is_exit_2(work: Path, command: list[str]) -> None:
    changed_copy(work)
    with open("/dev/full", "w", encoding="utf-8") as full:
        result = journeyctl(*command, cwd=work, stdout=full.fileno())
    assert (result.returncode, result.stderr) == (
        2,
        "<stdout>: error: cannot write: no space left on device\n",
    )
    assert (work / "a.yaml").read_bytes() == RETAIL.read_bytes()
