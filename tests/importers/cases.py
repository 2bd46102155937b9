"""Import cases as data: each source file beside the exact maps and notices it must give.

``NAME.mmd`` / ``NAME.md`` / ``NAME.csv`` imports to ``NAME.yaml`` (or
``NAME.1.yaml``, ``NAME.2.yaml``... for a source holding several journeys) and
reports ``NAME.notices`` (``line:col: message``, one per line). A name starting
with ``clamp-`` is imported with ``--clamp``; one containing ``.grid`` or
``.long`` is forced to that CSV shape. Refresh with ``pytest --update-goldens``
and review the diff by eye.
"""

from __future__ import annotations

from pathlib import Path

from journeyctl.importers import get_importer, importer_for, parse_options
from journeyctl.importers.command import map_text

HERE = Path(__file__).resolve().parent
SOURCE_SUFFIXES = (".mmd", ".md", ".csv", ".tsv")


def sources(directory: str) -> list[Path]:
    return sorted(p for p in (HERE / directory).iterdir() if p.suffix in SOURCE_SUFFIXES)


def options_for(path: Path) -> dict[str, object]:
    options: dict[str, object] = {}
    if path.name.startswith("clamp-"):
        options["clamp"] = True
    for shape in ("grid", "long"):
        if f".{shape}." in path.name:
            options["shape"] = shape
    return options


def run_case(path: Path) -> tuple[dict[str, str], str]:
    """The files the import writes (golden name -> text) and its notices, for the source at ``path``."""
    importer = importer_for(path.name) if path.suffix != ".tsv" else get_importer("csv")
    options = parse_options(importer, options_for(path))
    maps = importer.import_source(path.read_text(encoding="utf-8-sig"), path.name, options)
    stem = path.name[: -len(path.suffix)]
    outputs = {}
    for number, imported in enumerate(maps, start=1):
        name = f"{stem}.yaml" if len(maps) == 1 else f"{stem}.{number}.yaml"
        outputs[name] = map_text(imported, importer.NAME)
    notices = "".join(
        f"{notice.location.line}:{notice.location.col}: {notice.message}\n"
        for imported in maps
        for notice in sorted(imported.notices, key=lambda n: n.location)
    )
    return outputs, notices


def check(path: Path, update: bool) -> None:
    """Compare an import with its goldens; rewrite them instead with --update-goldens."""
    outputs, notices = run_case(path)
    stem = path.name[: -len(path.suffix)]
    expected_files = {**outputs, f"{stem}.notices": notices}
    for name, text in expected_files.items():
        golden = path.with_name(name)
        if update or not golden.exists():
            golden.write_text(text, encoding="utf-8")
            if not update:
                raise AssertionError(f"golden file {golden} did not exist; wrote it: review it and rerun")
            continue
        assert text == golden.read_text(encoding="utf-8"), (
            f"import of {path.name} differs from {golden.name}; if intended, rerun with --update-goldens"
        )
    stale = {p.name for p in path.parent.glob(f"{stem}.*yaml")} - set(outputs)
    assert not stale, f"golden files no import wrote: {sorted(stale)}"
