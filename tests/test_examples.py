"""The maps in examples/ are the showcase: they must validate, lint clean, carry the
schema modeline, and between them use every key of the format."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from journeyctl.loader import is_shared_file, load_file, load_shared_bytes, read_file
from journeyctl.model import Journey, SharedDefinitions
from journeyctl.walk import is_journey_text
from journeyctl.yamlsource import parse

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SCHEMA = ROOT / "schemas" / "journey.schema.json"
EXAMPLE_FILES = sorted(EXAMPLES.rglob("*.yaml"))
MAP_FILES = [path for path in EXAMPLE_FILES if not is_shared_file(path.read_bytes())]
SHARED_FILES = [path for path in EXAMPLE_FILES if is_shared_file(path.read_bytes())]
#: The date the examples were last reviewed against; lint's stale-map rule is
#: checked at this date so the suite does not start failing as time passes.
REVIEW_DATE = datetime.date(2026, 11, 25)


def _ids(paths: list[Path]) -> list[str]:
    return [str(path.relative_to(EXAMPLES)) for path in paths]


def journeyctl_command() -> list[str]:
    """The installed console script, next to the running interpreter."""
    script = Path(sys.executable).with_name("journeyctl")
    if script.exists():
        return [str(script)]
    found = shutil.which("journeyctl")
    if found is None:
        pytest.fail("the journeyctl console script is not installed (pip install -e .)")
    return [found]


def run_journeyctl(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("JOURNEYCTL_MAX_FILE_SIZE", None)
    return subprocess.run(
        [*journeyctl_command(), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_the_examples_the_brief_promises_exist() -> None:
    names = {path.name for path in MAP_FILES}
    assert {
        "retail-first-online-purchase.yaml",
        "saas-trial-to-onboarding.yaml",
        "bank-card-fraud-support.yaml",
        "broadband-home-move-current.yaml",
        "broadband-home-move-future.yaml",
    } <= names
    assert [path.relative_to(EXAMPLES).as_posix() for path in SHARED_FILES] == ["shared/personas.yaml"]


def test_validate_accepts_the_examples_directory_through_the_entry_point() -> None:
    result = run_journeyctl("validate", "examples/")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"All {len(EXAMPLE_FILES)} files valid."
    assert "Traceback" not in result.stderr


def test_lint_finds_nothing_in_the_examples_with_every_rule_on() -> None:
    # stale-map depends on today's date; it is checked at a fixed date below.
    options = "--isolated --preset strict --ignore stale-map --fail-on info --format concise"
    result = run_journeyctl("lint", *options.split(), "examples/")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("path", MAP_FILES, ids=_ids(MAP_FILES))
def test_each_map_loads_in_process_and_its_id_is_its_file_name(path: Path) -> None:
    loaded = load_file(path)
    assert loaded.journey.id == path.stem
    assert loaded.journey.reviewed is not None
    assert datetime.date(2026, 8, 1) <= loaded.journey.reviewed <= REVIEW_DATE


@pytest.mark.parametrize("path", MAP_FILES, ids=_ids(MAP_FILES))
def test_each_map_is_not_stale_at_the_review_date(path: Path) -> None:
    from journeyctl.rules import stale_map

    violations = list(stale_map.check(load_file(path), stale_map.Options(today=REVIEW_DATE)))
    assert violations == []


@pytest.mark.parametrize("path", SHARED_FILES, ids=_ids(SHARED_FILES))
def test_each_shared_file_loads_in_process_and_is_included(path: Path) -> None:
    shared, _ = load_shared_bytes(read_file(path), str(path))
    assert shared.personas and shared.channels
    including = [
        map_path
        for map_path in MAP_FILES
        if path.resolve()
        in {(map_path.parent / entry).resolve() for entry in load_file(map_path).journey.include}
    ]
    assert len(including) >= 2, f"{path} should be included by at least two maps"


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=_ids(EXAMPLE_FILES))
def test_each_example_starts_with_the_schema_modeline(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    schema = os.path.relpath(SCHEMA, path.parent).replace(os.sep, "/")
    assert first_line == f"# yaml-language-server: $schema={schema}"
    assert is_journey_text(path.read_bytes())


def test_the_future_map_pairs_with_its_current_map() -> None:
    maps = {path.stem: load_file(path).journey for path in MAP_FILES}
    future = maps["broadband-home-move-future"]
    assert future.state == "future"
    assert future.baseline in maps
    current = maps[future.baseline]
    assert current.state == "current"
    # The same stages but the ones it says it drops, and enough surviving steps for diff
    # to show emotion changes.
    assert future.dropped_stages
    assert [stage.id for stage in future.stages] == [
        stage.id for stage in current.stages if stage.id not in future.dropped_stages
    ]
    current_steps = {step.id: step for _, step in current.iter_steps()}
    surviving = [step for _, step in future.iter_steps() if step.id in current_steps]
    assert len(surviving) >= 5
    assert all((step.emotion or 0) >= (current_steps[step.id].emotion or 0) for step in surviving)
    assert {o.status for _, o in future.iter_opportunities()} >= {"done", "planned"}


def test_emotions_use_the_whole_scale() -> None:
    emotions = {step.emotion for path in MAP_FILES for _, step in load_file(path).journey.iter_steps()}
    assert emotions == {-2, -1, 0, 1, 2}


# --- every key of the format appears in some example ----------------------------------


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds (directly, in a list, or optionally), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        model = _model_of(arg)
        if model is not None:
            return model
    return None


def format_keys(model: type[BaseModel]) -> set[tuple[str, str]]:
    """(model name, YAML key) for every field of ``model`` and the models inside it."""
    keys: set[tuple[str, str]] = set()
    pending = [model]
    seen: set[type[BaseModel]] = set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        for name, field in current.model_fields.items():
            keys.add((current.__name__, field.alias or name))
            inner = _model_of(field.annotation)
            if inner is not None:
                pending.append(inner)
    return keys


def used_keys(document: Any, model: type[BaseModel]) -> Iterator[tuple[str, str]]:
    """(model name, key) for every key written in ``document``, read as ``model``."""
    if not isinstance(document, dict):
        return
    fields = {field.alias or name: field for name, field in model.model_fields.items()}
    for key, value in document.items():
        yield model.__name__, str(key)
        field = fields.get(str(key))
        inner = _model_of(field.annotation) if field is not None else None
        if inner is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            yield from used_keys(item, inner)


def test_every_key_of_the_format_appears_in_an_example() -> None:
    expected = format_keys(Journey) | format_keys(SharedDefinitions)
    used: set[tuple[str, str]] = set()
    for path in EXAMPLE_FILES:
        data = path.read_bytes()
        document, _ = parse(data, str(path))
        used |= set(used_keys(document, SharedDefinitions if is_shared_file(data) else Journey))
    missing = sorted(expected - used)
    assert not missing, "keys no example uses: " + ", ".join(f"{m}.{k}" for m, k in missing)
    # Sanity check of the walk itself: nested keys are attributed to their model.
    assert ("Stage", "moment-of-truth") not in used
    assert ("Touchpoint", "moment-of-truth") in used
    assert ("Insight", "url") in used and ("Step", "insights") in used
