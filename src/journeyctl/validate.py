"""``journeyctl validate``: check files against the format, collecting every error."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from journeyctl.errors import JourneyError, MapInvalid
from journeyctl.pool import parallel_map
from journeyctl.walk import Candidate, batch_gc, discover


@dataclass
class FileResult:
    """The outcome of checking one file: skipped (not a map), valid, or its errors."""

    path: str
    skipped: bool = False
    errors: list[JourneyError] = field(default_factory=list)


def check_candidate(candidate: Candidate, max_size: int | None) -> FileResult:
    from journeyctl.loader import is_shared_file, load_bytes, load_shared_bytes

    path = candidate.path
    try:
        data = candidate.read(max_size=max_size, skip_others=not candidate.explicit)
        if data is None:
            return FileResult(path, skipped=True)
        if is_shared_file(data) and b"\njourneyctl:" not in b"\n" + data:
            load_shared_bytes(data, path, max_size=max_size)
        else:
            load_bytes(data, path, max_size=max_size)
    except MapInvalid as exc:
        return FileResult(path, errors=exc.errors)
    except JourneyError as exc:
        return FileResult(path, errors=[exc])
    return FileResult(path)


class _Checker:
    """Checks one candidate; the pool's forked workers inherit it."""

    def __init__(self, max_size: int | None) -> None:
        self.max_size = max_size

    def __call__(self, candidate: Candidate) -> FileResult:
        return check_candidate(candidate, self.max_size)


def _build_models() -> None:
    """Import the loader and the plain models now, so that forked workers inherit them.

    Not pydantic: valid maps are built without it (plain.py), and a worker that meets an
    invalid map imports it then, as a serial run does.
    """
    import journeyctl.loader
    import journeyctl.model.plain  # noqa: F401


def _candidate_path(candidate: Candidate) -> str:
    return candidate.path


def validate_paths(
    paths: Sequence[str],
    *,
    max_size: int | None,
    jobs: int | None = None,
    excludes: Sequence[str] = (),
    stdin_filename: str | None = None,
    respect_gitignore: bool = True,
) -> Iterator[FileResult]:
    """Results for every candidate file under ``paths`` (``-``: standard input), in discovery order."""
    candidates = discover(paths, excludes, stdin_filename=stdin_filename, respect_gitignore=respect_gitignore)
    with batch_gc():
        yield from parallel_map(
            _Checker(max_size), candidates, jobs, prepare=_build_models, describe=_candidate_path
        )
