"""Shared helpers for the rule tests: import rule modules, run one over map text."""

from __future__ import annotations

import importlib
import re
from types import ModuleType
from typing import Any

from journeyctl.lint.api import Violation
from journeyctl.loader import load_bytes
from journeyctl.rules import BUILTIN_RULES

FENCED_EXAMPLE = re.compile(r"^(Failing|Passing) example:\n\n```yaml\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def rule_module(code: str) -> ModuleType:
    return importlib.import_module(BUILTIN_RULES[code])


def run_rule(module: ModuleType, text: str, options: dict[str, Any] | None = None) -> list[Violation]:
    loaded = load_bytes(text.encode(), f"{module.CODE}.yaml")
    return list(module.check(loaded, module.Options.model_validate(options or {})))


def docstring_examples(module: ModuleType) -> dict[str, str]:
    """The Failing and Passing yaml blocks of a rule's docstring, by heading."""
    found: dict[str, str] = {}
    for heading, body in FENCED_EXAMPLE.findall(module.__doc__ or ""):
        assert heading not in found, f"{module.CODE}: two {heading} examples"
        found[heading] = body
    return found
