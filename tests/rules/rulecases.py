"""Shared helpers for the rule tests: import rule modules, run one over map text."""

from __future__ import annotations

import importlib
import os
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
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


def is_project_rule(module: ModuleType) -> bool:
    return getattr(module, "SCOPE", "map") == "project"


def run_rule(
    module: ModuleType,
    text: str,
    options: dict[str, Any] | None = None,
    shared: dict[str, str] | None = None,
) -> list[Violation]:
    """Findings of one rule over map text, with its options as written in configuration.

    For a project rule, ``text`` holds several files as YAML documents separated
    by ``---``, each starting with a ``# path`` comment (as the rules' docstring
    examples do).
    """
    if is_project_rule(module):
        return run_project_rule(module, split_files(text), options=options)
    loaded = load_map(module.CODE, text, shared)
    return list(module.check(loaded, module.Options.model_validate(options or {})))


def split_files(text: str) -> dict[str, str]:
    """``# maps/a.yaml`` + body, ``---``, ... -> {path: body}."""
    files: dict[str, str] = {}
    for document in text.split("\n---\n"):
        first, _, body = document.strip("\n").partition("\n")
        assert first.startswith("# "), f"a file of a project rule example starts with '# <path>': {first!r}"
        files[first[2:].strip()] = body + "\n"
    return files


@contextmanager
def inside(directory: Path) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(before)


def project_of(files: Mapping[str, str], run: Sequence[str] | None = None) -> Any:
    """The Project a run over ``run`` (default: every file) sees; call inside the files' directory."""
    from journeyctl.lint.project import Project, map_facts, shared_facts
    from journeyctl.loader import is_shared_file, load_file, load_shared_bytes

    facts: list[Any] = []
    for path in run if run is not None else sorted(files):
        data = Path(path).read_bytes()
        if is_shared_file(data):
            shared, source = load_shared_bytes(data, path)
            facts.append(shared_facts(shared, source, path))
        else:
            facts.append(map_facts(load_file(path)))
    return Project.of(facts)


def run_project_rule(
    module: ModuleType,
    files: Mapping[str, str],
    run: Sequence[str] | None = None,
    options: dict[str, Any] | None = None,
) -> list[Violation]:
    """Findings of a project rule over files written to a fresh directory (the repository)."""
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        (root / ".journeyctl.yaml").write_text("preset: recommended\n")  # marks the repository root
        for name, body in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(body, encoding="utf-8")
        with inside(root):
            project = project_of(files, run)
            return list(module.check(project, module.Options.model_validate(options or {})))


def docstring_examples(module: ModuleType) -> dict[str, str]:
    """The Failing and Passing yaml blocks of a rule's docstring, by heading."""
    found: dict[str, str] = {}
    for heading, body in FENCED_EXAMPLE.findall(module.__doc__ or ""):
        assert heading not in found, f"{module.CODE}: two {heading} examples"
        found[heading] = body
    return found
