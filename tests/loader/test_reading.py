"""What the loader and the directory walk read: regular files only, never past the size cap.

FIFOs would block an open or a read forever and /dev/zero never ends, so every test that
meets one runs under an alarm: a regression fails the test instead of hanging the suite.
"""

from __future__ import annotations

import os
import signal
import socket
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest

from journeyctl.errors import LoadError, MapInvalid, UsageError
from journeyctl.loader import load_bytes, load_file, read_file, read_head, read_journey_file
from journeyctl.walk import discover

MAP = "journeyctl: 1\nid: m\ntitle: M\nstages:\n  - {id: s, name: S}\n"


@contextmanager
def deadline(seconds: int = 5) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"still running after {seconds} s: a blocking open or an endless read")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def special_files(directory: Path) -> dict[str, Path]:
    """A FIFO, a link to /dev/zero, a socket and a link to a directory, all named *.yaml."""
    directory.mkdir(exist_ok=True)
    fifo = directory / "fifo.yaml"
    os.mkfifo(fifo)
    zero = directory / "zero.yaml"
    zero.symlink_to("/dev/zero")
    sock = directory / "socket.yaml"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock))
    server.close()
    (directory / "real").mkdir()
    folder = directory / "folder.yaml"
    folder.symlink_to(directory / "real", target_is_directory=True)
    return {"fifo": fifo, "zero": zero, "socket": sock, "folder": folder}


# --- reading one file -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("fifo", "is a FIFO (named pipe), not a regular file; journeyctl reads regular files only"),
        ("zero", "is a character device, not a regular file; journeyctl reads regular files only"),
        ("socket", "is a socket, not a regular file; journeyctl reads regular files only"),
        ("folder", "is a directory, not a journey map file"),
    ],
)
def test_a_special_file_is_refused_without_blocking(tmp_path: Path, kind: str, message: str) -> None:
    path = special_files(tmp_path)[kind]
    with deadline(), pytest.raises(LoadError) as info:
        read_file(path, max_size=1_000)
    assert info.value.message == f"{path}: {message}"


def test_a_symbolic_link_loop_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    with pytest.raises(LoadError, match="is a symbolic link loop"):
        read_file(tmp_path / "a.yaml")


def test_a_path_with_nul_is_refused() -> None:
    with pytest.raises(LoadError, match="a path cannot contain a NUL character"):
        read_file("maps/a\0.yaml")


def test_a_link_to_a_regular_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "real.yaml").write_text(MAP)
    (tmp_path / "link.yaml").symlink_to(tmp_path / "real.yaml")
    assert read_file(tmp_path / "link.yaml") == MAP.encode()


def test_the_size_cap_is_kept_while_reading(tmp_path: Path) -> None:
    # A sparse file: 2 GB that the disk does not hold, and that must not be read either.
    big = tmp_path / "big.yaml"
    with open(big, "wb") as handle:
        handle.write(MAP.encode())
        handle.truncate(2 * 1024**3)
    tracemalloc.start()
    try:
        with pytest.raises(LoadError) as info:
            read_file(big, max_size=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.message == (
        "file is 2,147,483,648 bytes, over the 1,000,000-byte limit; "
        "raise it with --max-file-size or JOURNEYCTL_MAX_FILE_SIZE"
    )
    assert peak < 3_000_000
    data, size = read_head(big, 1_000)
    assert len(data) == 1_001 and size == 2 * 1024**3


def test_a_file_over_the_cap_found_in_a_walk_is_skipped_unless_it_is_a_map(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text("data: [" + "1, " * 1_000 + "]\n")
    assert read_journey_file(other, max_size=100, skip_others=True) is None
    journey = tmp_path / "map.yaml"
    journey.write_text(MAP + "# " + "x" * 1_000 + "\n")
    with pytest.raises(LoadError, match="over the 100-byte limit"):
        read_journey_file(journey, max_size=100, skip_others=True)
    with pytest.raises(LoadError, match="over the 100-byte limit"):
        read_journey_file(other, max_size=100, skip_others=False)


def test_load_file_keeps_the_cap_it_is_given(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(MAP)
    with pytest.raises(LoadError, match="over the 10-byte limit"):
        load_file(path, max_size=10)
    assert load_file(path, max_size=None).journey.id == "m"


# --- the directory walk ---------------------------------------------------------------


def test_a_walk_reads_only_regular_files_and_links_to_them(tmp_path: Path) -> None:
    special_files(tmp_path)
    (tmp_path / "real.yaml").write_text(MAP)
    (tmp_path / "link.yaml").symlink_to(tmp_path / "real.yaml")
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "nowhere.yaml")
    with deadline():
        found = [Path(c.path).name for c in discover([str(tmp_path)])]
    # A dangling link stays, so that the loader says what is wrong with it.
    assert found == ["dangling.yaml", "link.yaml", "real.yaml"]


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("fifo", "is a FIFO (named pipe), not a regular file; journeyctl reads regular files only"),
        ("zero", "is a character device, not a regular file; journeyctl reads regular files only"),
        ("socket", "is a socket, not a regular file; journeyctl reads regular files only"),
    ],
)
def test_a_special_file_named_explicitly_is_a_usage_error(tmp_path: Path, kind: str, message: str) -> None:
    path = special_files(tmp_path)[kind]
    with deadline(), pytest.raises(UsageError) as info:
        discover([str(path)])
    assert info.value.message == f"{path}: {message}"


def test_a_link_loop_named_explicitly_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "a.yaml")
    with pytest.raises(UsageError, match="is a symbolic link loop"):
        discover([str(tmp_path / "a.yaml")])


def test_a_directory_named_through_a_link_is_walked(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "m.yaml").write_text(MAP)
    (tmp_path / "maps").symlink_to(tmp_path / "real", target_is_directory=True)
    assert [c.path for c in discover([str(tmp_path / "maps")])] == [str(tmp_path / "maps" / "m.yaml")]


# --- includes --------------------------------------------------------------------------


def map_including(*paths: str) -> bytes:
    return (MAP.replace("title: M\n", f"title: M\ninclude: [{', '.join(paths)}]\n")).encode()


def include_errors(tmp_path: Path, *paths: str, root: Path | None = None) -> list[tuple[int, int, str]]:
    with deadline(), pytest.raises(MapInvalid) as info:
        load_bytes(map_including(*paths), str(tmp_path / "m.yaml"), root=root or tmp_path)
    return [(e.location.line, e.location.col, e.message) for e in info.value.errors if e.location]


def test_includes_that_are_not_regular_files_are_located_errors(tmp_path: Path) -> None:
    special_files(tmp_path / "shared")
    (tmp_path / "shared" / "loop.yaml").symlink_to(tmp_path / "shared" / "loop.yaml")
    errors = include_errors(
        tmp_path, "shared/fifo.yaml", "shared/socket.yaml", "shared/folder.yaml", "shared/loop.yaml"
    )
    reads_only = "not a regular file; journeyctl reads regular files only"
    assert errors == [
        (4, 11, f"cannot include 'shared/fifo.yaml': is a FIFO (named pipe), {reads_only}"),
        (4, 29, f"cannot include 'shared/socket.yaml': is a socket, {reads_only}"),
        (4, 49, "cannot include 'shared/folder.yaml': is a directory, not a journey map file"),
        (4, 69, "cannot include 'shared/loop.yaml': it is a symbolic link loop"),
    ]


def test_an_include_of_a_device_is_a_located_error(tmp_path: Path) -> None:
    # With the root at /, /dev/null is inside the "repository": only its kind refuses it.
    up = os.path.relpath("/dev/null", tmp_path)
    assert include_errors(tmp_path, up, root=Path("/")) == [
        (
            4,
            11,
            f"cannot include '{up}': is a character device, not a regular file; "
            "journeyctl reads regular files only",
        ),
    ]


def test_an_included_file_keeps_the_size_cap(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "people.yaml").write_text("journeyctl-shared: 1\n" + "# x\n" * 1_000)
    with pytest.raises(MapInvalid) as info:
        load_bytes(map_including("shared/people.yaml"), str(tmp_path / "m.yaml"), root=tmp_path, max_size=500)
    (error,) = info.value.errors
    assert error.message.startswith(
        "cannot include 'shared/people.yaml': file is 4,021 bytes, over the 500-byte"
    )
