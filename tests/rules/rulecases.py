"""Shared helpers for the rule tests: import rule modules, run one over map text."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from types import ModuleType
from typing import Any

from journeyctl.lint.api import Violation
from journeyctl.loader import LoadedMap, load_bytes
from journeyctl.rules import BUILTIN_RULES

FENCED_EXAMPLE = re.compile(r"^(Failing|Passing) example:\n\n```yaml\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def rule_module(code: str) -> ModuleType:
    return importlib.import_module(BUILTIN_RULES[code])


def load_map(code: str, text: str, shared: dict[str, str] | None = None) -> LoadedMap:
    """Map text named ``<CODE>.yaml``; ``shared`` holds the files it includes, served from memory."""
    root = Path.cwd()
    files = {(root / name).resolve(): body.encode() for name, body in (shared or {}).items()}

    def read_include(path: Path) -> bytes:
        return files[path]

    return load_bytes(text.encode(), f"{code}.yaml", read_include=read_include, root=root)


def run_rule(
    module: ModuleType,
    text: str,
    options: dict[str, Any] | None = None,
    shared: dict[str, str] | None = None,
) -> list[Violation]:
    """Findings of one rule over map text, with its options as written in configuration."""
    loaded = load_map(module.CODE, text, shared)
    return list(module.check(loaded, module.Options.model_validate(options or {})))


def docstring_examples(module: ModuleType) -> dict[str, str]:
    """The Failing and Passing yaml blocks of a rule's docstring, by heading."""
    found: dict[str, str] = {}
    for heading, body in FENCED_EXAMPLE.findall(module.__doc__ or ""):
        assert heading not in found, f"{module.CODE}: two {heading} examples"
        found[heading] = body
    return found
