"""plain.py builds what pydantic builds, and only what pydantic accepts.

The loader builds valid maps with plain.py (no pydantic import) and leaves the
rest to pydantic. So the plain builders must never accept a document that
pydantic refuses, must give the same values (types included) when they accept,
and must accept the valid maps users write, or the fast path is never taken.
"""

from __future__ import annotations

import copy
import datetime
import decimal
import math
import sys
from pathlib import Path
from typing import Any

import pydantic
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from pydantic import BaseModel, ValidationError

from journeyctl import loader
from journeyctl.cli import run
from journeyctl.model import Journey, SharedDefinitions, plain, plaingen
from journeyctl.yamlsource import parse
from tests.conftest import EXAMPLES
from tests.hostile import mutations

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import make_corpus  # noqa: E402  (benchmarks/ is a directory of scripts, not a package)


def same(built: Any, model: Any, where: str = "") -> None:
    """``built`` (plain.py) holds what ``model`` (pydantic) holds, with the same types."""
    if isinstance(model, BaseModel):
        assert type(built).__name__ == type(model).__name__, where
        for name in type(model).model_fields:
            same(getattr(built, name), getattr(model, name), f"{where}.{name}")
        assert built._path == model._path and built._file == model._file, where
    elif isinstance(model, list):
        assert type(built) is list and len(built) == len(model), where
        for index, (a, b) in enumerate(zip(built, model, strict=True)):
            same(a, b, f"{where}[{index}]")
    elif isinstance(model, dict):
        assert type(built) is dict and list(built) == list(model), where
        for key in model:
            same(built[key], model[key], f"{where}[{key!r}]")
    else:
        assert type(built) is type(model), f"{where}: {type(built)} != {type(model)}"
        assert built == model or (isinstance(model, float) and math.isnan(model) and math.isnan(built)), where


def judge(document: Any, *, shared: bool = False) -> str:
    """'built' (and equal to pydantic's), 'left' to pydantic (which accepts it), or 'refused'."""
    model_class = SharedDefinitions if shared else Journey
    built = (plain.shared if shared else plain.journey)(copy.deepcopy(document))
    try:
        model = model_class.model_validate(document)
    except ValidationError:
        assert built is None, "plain.py accepted a document pydantic refuses"
        return "refused"
    if built is None:
        return "left"
    same(built, model)
    return "built"


def document_of(text: str) -> Any:
    try:
        document, _ = parse(text.encode("utf-8"), "case.yaml", max_size=None)
    except Exception:
        return None
    return document


def case_texts(name: str) -> list[tuple[str, str, bool]]:
    """(case, text, valid) of a cases file of tests/model or tests/loader."""
    cases = yaml.safe_load((ROOT / "tests" / name).read_text(encoding="utf-8"))
    return [
        (key, case["text"], not case.get("errors"))
        for key, case in cases.items()
        if isinstance(case, dict) and "text" in case
    ]


CASES = [*case_texts("model/cases.yaml"), *case_texts("loader/cases.yaml")]


def test_plain_py_is_what_the_generator_writes() -> None:
    assert plaingen.TARGET.read_text(encoding="utf-8") == plaingen.generate(), (
        "plain.py is out of date: run `python -m journeyctl.model.plaingen`"
    )


@pytest.mark.parametrize(("name", "text", "valid"), CASES, ids=[case[0] for case in CASES])
def test_cases_of_the_format(name: str, text: str, valid: bool) -> None:
    document = document_of(text)
    if document is None:
        pytest.skip("not YAML")
    verdict = judge(document)
    if verdict == "refused":
        return
    # A valid case of the format's own cases is built by plain.py: the fast path is the
    # usual one. (Errors found after the model, such as dangling references, are "valid"
    # to the model too.)
    assert verdict == "built", name


def test_every_example_and_corpus_map_is_built_plain(tmp_path: Path) -> None:
    assert make_corpus.main([str(tmp_path), "--maps", "40"]) == 0
    paths = [*EXAMPLES.glob("*.yaml"), *tmp_path.rglob("*.yaml")]
    assert len(paths) > 40
    for path in paths:
        document = document_of(path.read_text(encoding="utf-8"))
        assert judge(document) == "built", path
    shared = document_of((EXAMPLES / "shared" / "personas.yaml").read_text(encoding="utf-8"))
    assert judge(shared, shared=True) == "built"


#: Values in one field of a valid map, chosen where Python's and pydantic's readings could
#: part: numbers and their types, bounds, booleans as numbers, text that is nearly a date,
#: a slug or a duration, and values pydantic converts (which plain.py must leave to it).
EDGE_VALUES: list[tuple[tuple[str | int, ...], Any]] = [
    (("journeyctl",), 1.0),
    (("journeyctl",), True),
    (("journeyctl",), "1"),
    (("id",), "with-newline\n"),
    (("id",), "x" * 80),
    (("id",), "x" * 81),
    (("id",), "Capital"),
    (("id",), "ü-umlaut"),
    (("id",), ""),
    (("title",), ""),
    (("title",), 5),
    (("reviewed",), "2026-02-30"),
    (("reviewed",), "2026-1-1"),
    (("reviewed",), "２０２６-01-01"),
    (("reviewed",), "2026-01-01T00:00:00"),
    (("reviewed",), "2026-01-01\n"),
    (("reviewed",), datetime.date(2026, 1, 1)),
    (("reviewed",), 20260101),
    (("state",), "Future"),
    (("tags",), "one"),
    (("tags",), ["a", None]),
    (("tags",), ("a",)),
    (("stages",), []),
    (("stages", 0, "steps", 0, "emotion"), True),
    (("stages", 0, "steps", 0, "emotion"), 2.0),
    (("stages", 0, "steps", 0, "emotion"), 3),
    (("stages", 0, "steps", 0, "emotion"), -2),
    (("stages", 0, "steps", 0, "emotion"), "1"),
    (("stages", 0, "steps", 0, "emotions"), {"x": 1}),
    (("stages", 0, "steps", 0, "emotions"), {1: 1}),
    (("stages", 0, "steps", 0, "duration"), "1h30m"),
    (("stages", 0, "steps", 0, "duration"), "90x"),
    (("stages", 0, "steps", 0, "duration"), "2-5d"),
    (("stages", 0, "steps", 0, "wait"), 10),
    (("stages", 0, "steps", 0, "moment-of-truth"), 1),
    (("stages", 0, "steps", 0, "moment-of-truth"), "yes"),
    (("stages", 0, "steps", 0, "kind"), "failure"),
    (("stages", 0, "metrics"), [{"id": "m", "name": "M", "value": 5, "target": 2**53 + 1}]),
    (("stages", 0, "metrics"), [{"id": "m", "name": "M", "value": 5, "target": 2**53}]),
    (("stages", 0, "metrics"), [{"id": "m", "name": "M", "value": 1e308, "target": -0.0}]),
    (("stages", 0, "metrics"), [{"id": "m", "name": "M", "value": 10**400}]),
    (("stages", 0, "metrics"), [{"id": "m", "name": "M", "value": float("nan")}]),
    (("stages", 0, "metrics"), [{"id": "m", "name": "M", "value": float("inf")}]),
    (("stages", 0, "metrics"), [{"id": "m", "name": "M", "value": True}]),
    (("stages", 0, "metrics"), [{"id": "m", "name": "M", "value": "5"}]),
    (("stages", 0, "metrics"), [{"id": "m", "name": "M", "count": 10**15}]),
    (("stages", 0, "metrics"), [{"id": "m", "name": "M", "count": 10**15 + 1}]),
    (("stages", 0, "metrics"), [{"id": "m", "name": "M", "count": 2.0}]),
    (("stages", 0, "metrics"), [{"id": "m", "name": "M", "as-of": "2026-09-30"}]),
    (("funnel",), {"entries": [{"stage": "a", "count": 10}, {"stage": "b", "drop-off": 5}]}),
    (("funnel",), {"entries": [{"stage": "a", "drop-off": True}, {"stage": "b", "drop-off": 5}]}),
    (("funnel",), {"entries": [{"stage": "a", "drop-off": 100.5}, {"stage": "b", "drop-off": 5}]}),
    (("funnel",), {"entries": [{"stage": "a", "drop-off": "5"}, {"stage": "b", "drop-off": 5}]}),
    (("funnel",), {"entries": [{"stage": "a", "drop-off": 5}]}),
    (("funnel",), {"entries": [{"stage": "a"}, {"stage": "b", "drop-off": 5}]}),
    (("insights",), [{"id": "i", "kind": "survey", "source": "S", "url": "https://x.example/a b"}]),
    (("insights",), [{"id": "i", "kind": "survey", "source": "S", "url": "https://x.example/ab"}]),
    (("insights",), [{"id": "i", "kind": "survey", "source": "S", "url": "ftp://x.example"}]),
    (("insights",), [{"id": "i", "kind": "survey", "source": "S", "date": "2026-13-01"}]),
]

BASE = {
    "journeyctl": 1,
    "id": "edge",
    "title": "Edge",
    "stages": [
        {"id": "a", "name": "A", "steps": [{"id": "s", "action": "Does", "emotion": 1}]},
        {"id": "b", "name": "B"},
    ],
}


@pytest.mark.parametrize(("where", "value"), EDGE_VALUES, ids=[f"{w}={v!r}"[:60] for w, v in EDGE_VALUES])
def test_edge_values(where: tuple[str | int, ...], value: Any) -> None:
    document = copy.deepcopy(BASE)
    parent: Any = document
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = value
    judge(document)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(mutations.mutations(keep_valid=True))
def test_mutated_maps_mostly_valid(mutation: mutations.Mutation) -> None:
    _, data = mutations.apply(mutation)
    document = document_of(data.decode("utf-8", errors="replace"))
    if isinstance(document, dict):
        judge(document)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(mutations.mutations())
def test_mutated_maps(mutation: mutations.Mutation) -> None:
    _, data = mutations.apply(mutation)
    document = document_of(data.decode("utf-8", errors="replace"))
    if isinstance(document, dict):
        judge(document)


@pytest.mark.parametrize(
    "argv",
    [
        ["lint", "--format", "json", "--no-cache", "-j", "1", "--select", "ALL"],
        ["validate"],
        ["render", "-f", "markdown"],
    ],
    ids=["lint", "validate", "render"],
)
def test_output_is_the_same_with_pydantic_models(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = sorted(str(p) for p in EXAMPLES.glob("*.yaml"))
    outputs = []
    for plain_builds in (True, False):
        monkeypatch.setattr(loader, "_PLAIN_BUILDS", plain_builds)
        for path in paths:
            code = run([*argv, path])
            out, err = capsys.readouterr()
            outputs.append((plain_builds, path, code, out, err))
    half = len(outputs) // 2
    assert [o[1:] for o in outputs[:half]] == [o[1:] for o in outputs[half:]]


def _model_with(**namespace: Any) -> type[BaseModel]:
    """A model like the format's (kebab-case keys, unknown keys refused, placed by the loader)."""
    from journeyctl.model.journey import Entity

    return type("Odd", (Entity,), {"__module__": __name__, **namespace})


@pytest.mark.parametrize(
    ("namespace", "complaint"),
    [
        ({"__annotations__": {"amount": decimal.Decimal}}, "Odd.amount: the type"),
        ({"__annotations__": {"code": str}, "code": pydantic.Field(pattern=r"[a-z]+")}, "anchored"),
        ({"__annotations__": {"code": str}, "code": pydantic.Field(pattern=r"^a$|^b$")}, "anchored"),
        ({"__annotations__": {"n": int}}, "whole numbers must be strict"),
        ({"__annotations__": {"x": float}, "x": pydantic.Field(0, strict=True)}, "infinity and NaN"),
        ({"__annotations__": {"tags": set[str]}}, "is not understood"),
        (
            {
                "__annotations__": {"name": str},
                "_shout": pydantic.field_validator("name")(lambda cls, v: v.upper()),
            },
            "field validators are not understood",
        ),
        (
            {"_check": pydantic.model_validator(mode="after")(lambda self: self)},
            "a model validator without a plain counterpart",
        ),
    ],
    ids=[
        "decimal",
        "unanchored-pattern",
        "alternation",
        "lax-int",
        "float-with-nan",
        "set",
        "field-validator",
        "model-validator",
    ],
)
def test_the_generator_stops_on_what_it_does_not_understand(
    namespace: dict[str, Any], complaint: str
) -> None:
    model = _model_with(**namespace)
    with pytest.raises(SystemExit) as stopped:
        plaingen._model(plaingen._Writer(), model)
    assert complaint in str(stopped.value)
