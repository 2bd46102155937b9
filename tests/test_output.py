"""``journeyctl.output``: atomic files, special files, links, refusals, write failures, directory trees."""

from __future__ import annotations

import errno
import io
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from journeyctl import output
from journeyctl.errors import OutputError
from journeyctl.output import (
    check_tree,
    inspect_output,
    refuse_inputs,
    remove_leftovers,
    write_atomic,
    write_new,
    write_output,
    write_stdout,
    write_tree,
)

IS_ROOT = os.geteuid() == 0
MAP_TEXT = b"journeyctl: 1\nid: a\ntitle: A\nstages: []\n"


def umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def names(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir())


def dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# --- regular files --------------------------------------------------------------------------


def test_a_new_file_gets_the_umask_mode_and_no_temporary_is_left(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "out.md"
    write_output(target, b"hello\n")
    assert target.read_bytes() == b"hello\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask()
    assert names(target.parent) == ["out.md"]


def test_replacing_keeps_mode_and_owner(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_bytes(b"old\n")
    os.chmod(target, 0o640)
    if IS_ROOT:
        os.chown(target, 65534, 65534)
    write_output(target, b"new\n")
    found = target.stat()
    assert target.read_bytes() == b"new\n"
    assert stat.S_IMODE(found.st_mode) == 0o640
    if IS_ROOT:
        assert (found.st_uid, found.st_gid) == (65534, 65534)
    assert names(tmp_path) == ["out.md"]


def test_replacing_is_a_rename_so_a_reader_of_the_old_file_keeps_it(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_bytes(b"old\n")
    with open(target, "rb") as reader:
        write_output(target, b"new\n")
        assert reader.read() == b"old\n"
    assert target.read_bytes() == b"new\n"


def test_a_read_only_file_is_refused_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_bytes(b"keep\n")
    os.chmod(target, 0o444)
    with pytest.raises(OutputError, match=r"is read-only \(mode 0444\)") as caught:
        write_output(target, b"new\n")
    assert caught.value.path == str(target)
    assert target.read_bytes() == b"keep\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o444
    assert names(tmp_path) == ["out.md"]


def test_a_journey_map_is_never_written_over(tmp_path: Path) -> None:
    target = tmp_path / "map.yaml"
    target.write_bytes(b"# comment\n" + MAP_TEXT)
    with pytest.raises(OutputError, match="is a journey map"):
        write_output(target, b"{}\n")
    assert target.read_bytes() == b"# comment\n" + MAP_TEXT
    other = tmp_path / "ci.yaml"  # other YAML is an ordinary file
    other.write_bytes(b"on: push\n")
    write_output(other, b"on: pull_request\n")
    assert other.read_bytes() == b"on: pull_request\n"


@pytest.mark.parametrize(
    ("make", "output", "message"),
    [
        (
            lambda d: (d / "file").write_bytes(b""),
            "file/out.md",
            "cannot write: {d}/file is a file, not a directory",
        ),
        (
            lambda d: (d / "file").write_bytes(b""),
            "file/x/y.md",
            "cannot write: {d}/file is a file, not a directory",
        ),
        (lambda d: (d / "dir").mkdir(), "dir", "cannot write: is a directory"),
    ],
    ids=["parent-is-a-file", "grandparent-is-a-file", "target-is-a-directory"],
)
def test_impossible_targets_are_located_errors(
    tmp_path: Path, make: Callable[[Path], object], output: str, message: str
) -> None:
    make(tmp_path)
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    with pytest.raises(OutputError) as caught:
        write_output(tmp_path / output, b"x")
    assert caught.value.message == message.format(d=tmp_path)
    assert str(caught.value).startswith(f"{tmp_path / output}: ")
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before


def test_a_read_only_directory_is_a_located_error(
    read_only_directory: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(read_only_directory.parent)
    name = read_only_directory.name
    messages = []
    for target in (f"{name}/new.md", f"{name}/out.md"):
        with pytest.raises(OutputError) as caught:
            write_output(target, b"x")
        messages.append(str(caught.value))
    assert messages == [
        f"{name}/new.md: cannot write: directory {name} is not writable",
        f"{name}/out.md: cannot write: directory {name} is not writable, "
        "so the file cannot be replaced atomically",
    ]
    assert names(read_only_directory) == ["out.md"]
    assert (read_only_directory / "out.md").read_bytes() == b"old\n"


# --- special files --------------------------------------------------------------------------


def test_dev_full_is_no_space_left(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as caught:
        write_output("/dev/full", b"x" * 100_000)
    assert str(caught.value) == "/dev/full: cannot write: no space left on device"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


@pytest.mark.skipif(not IS_ROOT, reason="creating a device node needs root")
def test_a_device_node_is_streamed_into_not_replaced(tmp_path: Path) -> None:
    node = tmp_path / "null"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    assert inspect_output(node).kind == "stream"
    write_output(node, b"into the void\n")
    found = os.lstat(node)
    assert stat.S_ISCHR(found.st_mode) and found.st_rdev == os.makedev(1, 3)
    assert names(tmp_path) == ["null"]


def test_a_fifo_is_streamed_into(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    data = b"line\n" * 50_000  # more than a pipe buffer: several writes
    write_output(fifo, data)
    reader.join(timeout=10)
    assert received == [data]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_dev_fd_writes_into_the_open_descriptor() -> None:
    read_end, write_end = os.pipe()
    try:
        assert inspect_output(f"/dev/fd/{write_end}").kind == "descriptor"
        write_output(f"/dev/fd/{write_end}", b"through the pipe\n")
        os.close(write_end)
        assert os.read(read_end, 100) == b"through the pipe\n"
    finally:
        os.close(read_end)
        with pytest.raises(OSError):
            os.close(write_end)


def test_a_closed_descriptor_and_a_closed_pipe_are_located_errors() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        with pytest.raises(OutputError, match="the reader closed the pipe") as caught:
            write_output(f"/dev/fd/{write_end}", b"x")
        assert caught.value.path == f"/dev/fd/{write_end}"
    finally:
        os.close(write_end)
    with pytest.raises(OutputError, match=f"file descriptor {write_end} is not open"):
        write_output(f"/dev/fd/{write_end}", b"x")


def test_stdout_that_cannot_take_the_bytes_is_a_located_error(monkeypatch: pytest.MonkeyPatch) -> None:
    class FullBuffer(io.BytesIO):
        def write(self, data: Any) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    class FullStdout(io.StringIO):
        buffer = FullBuffer()

    monkeypatch.setattr(sys, "stdout", FullStdout())
    with pytest.raises(OutputError, match="no space left on device") as caught:
        write_stdout(b"x")
    assert caught.value.path == "<stdout>"


# --- symbolic links -------------------------------------------------------------------------


def test_a_link_to_a_file_is_refused_and_neither_is_changed(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_bytes(b"real\n")
    link = tmp_path / "link.md"
    link.symlink_to("real.md")
    with pytest.raises(OutputError, match=r"is a symbolic link \(to real.md\)"):
        write_output(link, b"new\n")
    assert os.readlink(link) == "real.md" and real.read_bytes() == b"real\n"


def test_a_dangling_link_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "missing" / "x.md")
    with pytest.raises(OutputError, match="which does not exist"):
        write_output(link, b"new\n")
    assert not (tmp_path / "missing").exists() and link.is_symlink()


def test_a_link_to_a_device_is_streamed_through(tmp_path: Path) -> None:
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    write_output(link, b"x")
    assert os.readlink(link) == "/dev/null"
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


# --- outputs that are inputs ----------------------------------------------------------------


def test_every_spelling_of_an_input_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_bytes(MAP_TEXT)
    (tmp_path / "link.yaml").symlink_to("a.yaml")
    os.link(tmp_path / "a.yaml", tmp_path / "hard.md")
    for spelling in ("a.yaml", "./a.yaml", str(tmp_path / "a.yaml"), "link.yaml", "hard.md", "sub/../a.yaml"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        with pytest.raises(OutputError, match="is an input of this command"):
            refuse_inputs([spelling], ["a.yaml"])
    refuse_inputs(["b.md", "-", "sub"], ["a.yaml"])  # absent, stdout, a directory: not inputs


def test_the_message_names_the_input_when_spelled_differently(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_bytes(MAP_TEXT)
    (tmp_path / "link.yaml").symlink_to("a.yaml")
    with pytest.raises(OutputError) as caught:
        refuse_inputs([tmp_path / "a.yaml"], [tmp_path / "link.yaml"])
    assert caught.value.message == (
        f"is an input of this command ({tmp_path / 'link.yaml'}); "
        "journeyctl never writes over a file it reads"
    )


# --- leftovers ------------------------------------------------------------------------------


def test_leftovers_of_dead_runs_are_removed_and_nothing_else(tmp_path: Path) -> None:
    dead = dead_pid()
    (tmp_path / f".a.html.journeyctl-{dead}-0a1b2c3d.tmp").write_bytes(b"half")
    (tmp_path / f".journeyctl-staging-{dead}-0a1b2c3d" / "new").mkdir(parents=True)
    (tmp_path / f".journeyctl-staging-{dead}-0a1b2c3d" / "new" / "a.html").write_bytes(b"half")
    live = f".b.html.journeyctl-{os.getpid()}-0a1b2c3d.tmp"  # a run in progress (this one)
    (tmp_path / live).write_bytes(b"in progress")
    keep = [".notes.tmp", "a.html", f".a.html.{dead}.tmp", f"journeyctl-staging-{dead}-00"]
    for name in keep:
        (tmp_path / name).write_bytes(b"user file")
    removed = remove_leftovers(tmp_path)
    assert sorted(removed) == sorted(
        [f".a.html.journeyctl-{dead}-0a1b2c3d.tmp", f".journeyctl-staging-{dead}-0a1b2c3d"]
    )
    assert names(tmp_path) == sorted([live, *keep])


def test_a_single_write_cleans_its_directory(tmp_path: Path) -> None:
    dead = dead_pid()
    (tmp_path / f".out.md.journeyctl-{dead}-00ff00ff.tmp").write_bytes(b"half")
    write_output(tmp_path / "out.md", b"whole\n")
    assert names(tmp_path) == ["out.md"]


# --- directory trees ------------------------------------------------------------------------


def tree_state(root: Path) -> dict[str, bytes | str]:
    """Every entry below ``root``: file bytes, or 'dir' / 'link -> x'."""
    state: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        key = str(path.relative_to(root))
        if path.is_symlink():
            state[key] = f"link -> {os.readlink(path)}"
        elif path.is_dir():
            state[key] = "dir"
        elif path.is_file():
            state[key] = path.read_bytes()
        else:
            state[key] = "special"  # a FIFO: reading it would wait for a writer
    return state


def test_a_tree_is_written_and_user_files_are_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "site"
    (out / "assets").mkdir(parents=True)
    (out / "assets" / "logo.svg").write_bytes(b"<svg/>")
    (out / "CNAME").write_bytes(b"maps.example.com\n")
    (out / "a.html").write_bytes(b"old a")
    os.chmod(out / "a.html", 0o600)
    written = write_tree(out, [("a.html", b"new a"), ("team/b.html", b"new b"), ("index.html", b"index")])
    assert written == [str(out / "a.html"), str(out / "team" / "b.html"), str(out / "index.html")]
    assert tree_state(out) == {
        "CNAME": b"maps.example.com\n",
        "a.html": b"new a",
        "assets": "dir",
        "assets/logo.svg": b"<svg/>",
        "index.html": b"index",
        "team": "dir",
        "team/b.html": b"new b",
    }
    assert stat.S_IMODE((out / "a.html").stat().st_mode) == 0o600
    assert stat.S_IMODE((out / "index.html").stat().st_mode) == 0o666 & ~umask()


def read_only_file(path: Path) -> None:
    path.write_bytes(b"x")
    path.chmod(0o444)


@pytest.mark.parametrize(
    ("prepare", "blocked", "message"),
    [
        (lambda out: (out / "a.html").mkdir(), "a.html", "cannot write this output file: it is a directory"),
        (lambda out: (out / "team").write_bytes(b"x"), "team", "is a file, where the directory for"),
        (
            lambda out: (out / "team").symlink_to("/etc"),
            "team",
            "is a symbolic link, where the directory for",
        ),
        (lambda out: (out / "a.html").symlink_to("/etc/passwd"), "a.html", "is a symbolic link;"),
        (lambda out: read_only_file(out / "a.html"), "a.html", "is read-only (mode 0444)"),
        (lambda out: os.mkfifo(out / "a.html"), "a.html", "it is not a regular file, a device or a FIFO"),
    ],
    ids=["dir-for-file", "file-for-dir", "link-for-dir", "link-for-file", "read-only", "fifo"],
)
def test_a_tree_with_something_in_the_way_changes_nothing(
    tmp_path: Path, prepare: Callable[[Path], object], blocked: str, message: str
) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_bytes(b"old index")
    prepare(out)
    before = tree_state(out)
    with pytest.raises(OutputError) as caught:
        write_tree(out, [("index.html", b"new"), ("a.html", b"new a"), ("team/b.html", b"new b")])
    assert caught.value.path == str(out / blocked)
    assert message in caught.value.message
    assert tree_state(out) == before


def test_a_fifo_in_a_tree_is_refused(tmp_path: Path) -> None:
    # A page is a file: streaming a site page into a FIFO could not be undone.
    (tmp_path / "a.html").unlink(missing_ok=True)
    os.mkfifo(tmp_path / "a.html")
    with pytest.raises(OutputError, match="not a regular file"):
        check_tree(tmp_path, ["a.html"])


class FailOn:
    """Replace ``os.<name>`` so that its ``nth`` call (counting those matching ``when``) fails."""

    def __init__(
        self, monkeypatch: pytest.MonkeyPatch, name: str, nth: int, code: int, when: Callable[..., bool]
    ) -> None:
        self.real = getattr(os, name)
        self.calls = 0
        self.nth, self.code, self.when = nth, code, when
        monkeypatch.setattr(output.os, name, self)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.when(*args):
            self.calls += 1
            if self.calls == self.nth:
                raise OSError(self.code, os.strerror(self.code))
        return self.real(*args, **kwargs)


def test_a_failure_while_staging_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "a.html").write_bytes(b"old a")
    before = tree_state(out)
    real_write_all = output._write_all
    calls: list[int] = []

    def fill_up_at_the_third(descriptor: int, data: bytes) -> None:
        calls.append(descriptor)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_write_all(descriptor, data)

    monkeypatch.setattr(output, "_write_all", fill_up_at_the_third)
    with pytest.raises(OutputError) as caught:
        write_tree(out, [("a.html", b"new a"), ("b.html", b"new b"), ("c/c.html", b"new c")])
    assert str(caught.value) == f"{out / 'c' / 'c.html'}: cannot write: no space left on device"
    assert caught.value.hint == f"nothing in {out} was changed"
    assert tree_state(out) == before


def test_a_failure_while_staging_removes_the_directory_it_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    FailOn(monkeypatch, "fsync", 1, errno.EIO, lambda fd: True)
    with pytest.raises(OutputError, match="input/output error"):
        write_tree(tmp_path / "new" / "site", [("a.html", b"a")])
    assert names(tmp_path) == []


def test_a_failed_move_puts_every_earlier_file_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "a.html").write_bytes(b"old a")
    (out / "c.html").write_bytes(b"old c")
    before = tree_state(out)
    staged = os.sep + "new" + os.sep
    FailOn(monkeypatch, "replace", 3, errno.EIO, lambda source, target: staged in str(source))
    with pytest.raises(OutputError) as caught:
        write_tree(out, [("a.html", b"new a"), ("sub/b.html", b"new b"), ("c.html", b"new c")])
    assert caught.value.path == str(out / "c.html")
    assert caught.value.hint == f"nothing in {out} was changed"
    assert tree_state(out) == before  # a.html restored, sub/b.html and sub/ removed


def test_a_tree_cleans_leftovers_of_a_killed_run(tmp_path: Path) -> None:
    dead = dead_pid()
    (tmp_path / f".journeyctl-staging-{dead}-abcdef01" / "new").mkdir(parents=True)
    write_tree(tmp_path, [("a.html", b"a")])
    assert names(tmp_path) == ["a.html"]


def test_tree_paths_must_stay_inside(tmp_path: Path) -> None:
    for bad in ("../x.html", "/etc/x", "a//b", "./a"):
        with pytest.raises(ValueError, match="not a plain relative path"):
            check_tree(tmp_path, [bad])


def test_write_atomic_replaces_a_map_for_the_commands_that_write_maps(tmp_path: Path) -> None:
    target = tmp_path / "map.yaml"
    target.write_bytes(MAP_TEXT)
    target.chmod(0o640)
    write_atomic(target, MAP_TEXT.replace(b"title: A", b"title: B"))
    assert target.read_bytes() == MAP_TEXT.replace(b"title: A", b"title: B")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    link = tmp_path / "link.yaml"
    link.symlink_to("map.yaml")
    with pytest.raises(OutputError, match="symbolic link"):  # links stay refused
        write_atomic(link, MAP_TEXT)


def test_write_new_never_replaces_anything(tmp_path: Path) -> None:
    target = tmp_path / "new" / "map.yaml"
    assert write_new(target, MAP_TEXT) is True
    assert target.read_bytes() == MAP_TEXT
    assert write_new(target, b"other") is False
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    assert write_new(tmp_path / "dangling", b"other") is False
    assert target.read_bytes() == MAP_TEXT and not (tmp_path / "nowhere").exists()
    assert names(target.parent) == ["map.yaml"]
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(OutputError, match="is a file, not a directory"):
        write_new(tmp_path / "file" / "map.yaml", MAP_TEXT)
