"""Inputs and golden-file helpers shared by the dot, mermaid and markdown renderer tests."""

from __future__ import annotations

from pathlib import Path

from journeyctl.loader import LoadedMap, load_file
from tests.conftest import EXAMPLES

HERE = Path(__file__).resolve().parent
MAPS = HERE / "maps"
GOLDENS = HERE / "goldens"
CHECKOUT = MAPS / "checkout.yaml"
HOSTILE = MAPS / "hostile.yaml"
#: Every field of the fidelity issue (personas per step, flow, funnel, durations, insights...).
FIDELITY = MAPS / "fidelity.yaml"

#: Every payload from the XSS acceptance criterion; hostile.yaml puts them in every kind of text field.
XSS_PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    '"><svg onload=alert(1)>',
)


def example_maps() -> list[Path]:
    """Journey maps in examples/ (shared files of personas and channels left out)."""
    if not EXAMPLES.is_dir():
        return []
    return sorted(p for p in EXAMPLES.rglob("*.y*ml") if b"\njourneyctl:" in b"\n" + p.read_bytes())


def golden_inputs() -> list[Path]:
    return [CHECKOUT, HOSTILE, FIDELITY, *example_maps()]


def case_id(path: Path) -> str:
    return path.stem


def load(path: Path) -> LoadedMap:
    return load_file(path)


def check_golden(name: str, actual: bytes, update: bool) -> None:
    """Compare ``actual`` with goldens/``name``; rewrite it instead with --update-goldens."""
    golden = GOLDENS / name
    if update or not golden.exists():
        GOLDENS.mkdir(exist_ok=True)
        golden.write_bytes(actual)
        if not update:
            raise AssertionError(f"golden file {golden} did not exist; wrote it: review it and rerun")
        return
    expected = golden.read_bytes()
    assert actual.decode("utf-8") == expected.decode("utf-8"), (
        f"output differs from {golden}; if the change is intended, rerun with --update-goldens "
        "and review the diff"
    )
