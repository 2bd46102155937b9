"""Shared helpers for the lint tests: fixture maps, configuration from text, running the engine."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from journeyctl.config import ConfigDocument, LintConfig, Overrides, build_lint_config
from journeyctl.lint.api import Finding
from journeyctl.lint.engine import lint_map
from journeyctl.loader import load_bytes

HERE = Path(__file__).resolve().parent
MAPS = HERE / "maps"


def two_gaps_text() -> str:
    """The acceptance map, reviewed today (so that stale-map stays quiet on any day)."""
    text = (MAPS / "two-gaps.yaml").read_text(encoding="utf-8")
    return re.sub(r"^reviewed: .*$", f"reviewed: {datetime.date.today().isoformat()}", text, flags=re.M)


def line_of(text: str, needle: str) -> int:
    """1-based number of the only line containing ``needle``."""
    lines = [number for number, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(lines) == 1, f"{needle!r} is on lines {lines}"
    return lines[0]


def config_from_yaml(
    text: str, path: str = ".journeyctl.yaml", overrides: Overrides | None = None
) -> LintConfig:
    from journeyctl.config import _read_yaml

    document: ConfigDocument = _read_yaml(text.encode("utf-8"), path)
    return build_lint_config(document, overrides)


def lint_text(text: str, config: LintConfig | None = None, path: str = "map.yaml") -> list[Finding]:
    return lint_map(load_bytes(text.encode("utf-8"), path), config)


def codes_at(findings: list[Finding]) -> list[tuple[str, int, int]]:
    return [(f.code, f.location.line, f.location.col) for f in findings]
