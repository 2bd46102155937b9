"""The hostile-input contract in process: thousands of mutated maps through load, lint, render and diff.

Fast enough for CI (an input takes milliseconds); ``--hypothesis-profile=long``
tries a hundred times as many. Each test says which inputs it draws; the
contract itself is in ``contract.py``.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from journeyctl.errors import LoadError
from journeyctl.loader import LoadedMap
from journeyctl.location import Location

from . import contract
from .contract import (
    ContractBroken,
    check_diff,
    check_lint,
    check_load,
    check_render,
    check_site_index,
    excerpt,
    lint_config,
    within_budget,
)
from .mutations import (
    ROOT,
    Base,
    Mutation,
    apply,
    bases,
    dump,
    examples,
    expand_fragment,
    hostile_names,
    mutations,
    raw_fragments,
    shared_base,
    with_every_text,
)
from .payloads import INJECTIONS, SUPPRESSIONS

SHARED = ROOT / "examples" / "shared" / "personas.yaml"
EVERY_RULE = lint_config(every_rule=True)


def includes(shared: bytes | None = None) -> dict[Path, bytes]:
    return {SHARED: SHARED.read_bytes() if shared is None else shared}


def full_pipeline(data: bytes, path: str, shared: bytes | None = None) -> LoadedMap | None:
    """Load, then for a map that loads: lint, every text renderer, the site index."""
    if currently_in_test_context():
        note(f"input ({path}):\n{excerpt(data)}")
    loaded = check_load(data, path, root=ROOT, includes=includes(shared))
    if loaded is None:
        return None
    check_lint(loaded, EVERY_RULE)
    check_render(loaded)
    check_site_index(loaded)
    return loaded


def base_loaded(index: int) -> LoadedMap:
    base = bases()[index]
    loaded = check_load(base.text.encode("utf-8"), str(ROOT / base.path), root=ROOT, includes=includes())
    assert loaded is not None, f"base map {base.path} does not load"
    return loaded


@settings(max_examples=examples(3))
@given(mutations())
def test_mutated_map_keeps_the_contract(mutation: Mutation) -> None:
    """Any mutation: most make an invalid map, which must fail with located errors only."""
    check_mutation(mutation)


@settings(max_examples=examples(2))
@given(mutations(keep_valid=True))
def test_hostile_text_in_a_valid_map_keeps_the_contract(mutation: Mutation) -> None:
    """Mutations that keep the map valid, so hostile text reaches lint, every renderer and diff."""
    check_mutation(mutation)


def check_mutation(mutation: Mutation) -> None:
    base, data = apply(mutation)

    def checks() -> None:
        loaded = full_pipeline(data, str(ROOT / base.path))
        if loaded is not None:
            check_diff(base_loaded(mutation.base), loaded, base.path, base.path)

    within_budget(checks, data)


@settings(max_examples=examples(2))
@given(mutations(max_tree=4, max_text=1), st.integers(0, 1))
def test_mutated_shared_file_keeps_the_contract(mutation: Mutation, which: int) -> None:
    """The broadband maps include shared/personas.yaml: hostile there, everything that uses it must cope."""
    _, shared = apply(mutation, shared_base())
    index = [b.name for b in bases()].index(
        ("broadband-home-move-current", "broadband-home-move-future")[which]
    )
    base = bases()[index]
    note(f"shared file:\n{excerpt(shared)}")
    within_budget(lambda: full_pipeline(base.text.encode("utf-8"), str(ROOT / base.path), shared), shared)


@settings(max_examples=examples(1))
@given(mutations(keep_valid=True, text_ops=False), st.sampled_from(SUPPRESSIONS), st.integers(0, 2**16))
def test_line_ends_do_not_change_findings(mutation: Mutation, comment: str, where: int) -> None:
    """YAML reads LF, CRLF and CR line ends alike; so must every finding and suppression."""
    from journeyctl.lint.engine import lint_map

    base, data = apply(mutation)
    lines = data.split(b"\n")
    lines[where % len(lines)] += b"  " + comment.encode()
    data = b"\n".join(lines)
    note(f"input:\n{excerpt(data)}")
    found = {}
    for name, end in (("LF", b"\n"), ("CRLF", b"\r\n"), ("CR", b"\r")):
        loaded = check_load(data.replace(b"\n", end), str(ROOT / base.path), root=ROOT, includes=includes())
        if loaded is None:
            return
        found[name] = [(f.location.line, f.location.col, f.code) for f in lint_map(loaded, EVERY_RULE)]
    for name in ("CRLF", "CR"):
        if found[name] != found["LF"]:
            differ = sorted(set(found[name]) ^ set(found["LF"]))[:4]
            raise ContractBroken(f"{name} line ends change the findings (line, col, code): {differ}")


@settings(max_examples=examples(2))
@given(st.integers(0, len(bases()) - 1), mutations(text_ops=False), mutations(text_ops=False))
def test_diff_of_two_mutations(index: int, first: Mutation, second: Mutation) -> None:
    """Two hostile versions of one map (moved, reordered, renamed, retyped) diff both ways."""
    base = bases()[index]
    _, old_data = apply(Mutation(index, first.tree))
    _, new_data = apply(Mutation(index, second.tree))
    path = str(ROOT / base.path)
    note(f"old:\n{excerpt(old_data)}\nnew:\n{excerpt(new_data)}")
    old = check_load(old_data, path, root=ROOT, includes=includes())
    new = check_load(new_data, path, root=ROOT, includes=includes())
    if old is not None and new is not None:
        check_diff(old, new)
        check_diff(new, old)


#: A small valid map with one place for a raw YAML fragment; each field is a different path
#: through the scalar resolver, the model and the renderers.
_SLOTS = {
    "emotion": "      - {{id: s, action: Act, emotion: {raw}}}\n",
    "value": "    metrics:\n      - {{id: m, name: M, value: {raw}, target: 5}}\n",
    "target": "    metrics:\n      - {{id: m, name: M, value: 1, target: {raw}}}\n",
    "action": "      - {{id: s, action: {raw}}}\n",
    "touchpoints": "      - {{id: s, action: Act, touchpoints: {raw}}}\n",
    "key": "      - {{id: s, action: Act, {raw}: 1}}\n",
    "block-value": "      - id: s\n        action: Act\n        feeling: {raw}\n",
    "block-key": "      - id: s\n        action: Act\n        {raw}: x\n",
    "item": "      - {raw}\n",
}


def small_map(slot: str, raw: str) -> bytes:
    head = "journeyctl: 1\nid: small\ntitle: Small\nstages:\n  - id: a\n    name: A\n"
    body = _SLOTS[slot].format(raw=raw)
    steps = "" if slot in ("value", "target") else "    steps:\n"
    return (head + steps + body).encode("utf-8")


@settings(max_examples=examples(5))
@given(st.sampled_from(sorted(_SLOTS)), raw_fragments)
def test_raw_yaml_in_every_position(slot: str, raw: str) -> None:
    """Numbers YAML grammars disagree about, tags, aliases, deep nesting: a map or a located error."""
    data = small_map(slot, expand_fragment(raw, 6))
    within_budget(lambda: full_pipeline(data, "small.yaml"), data)


@pytest.mark.parametrize("payload", INJECTIONS, ids=[f"payload{i:03d}" for i in range(len(INJECTIONS))])
def test_payload_in_every_text_field(payload: str) -> None:
    """Each payload replaces every free-text value of a map at once, then mixes into each."""
    index = INJECTIONS.index(payload) % len(bases())
    base = bases()[index]
    path = str(ROOT / base.path)
    for make in (lambda _old: payload, lambda old: f"{old} {payload} {old}"):
        data = dump(with_every_text(base.document, make)).encode("utf-8")
        loaded = full_pipeline(data, path)
        if loaded is not None:
            check_diff(base_loaded(index), loaded)


@settings(max_examples=examples(1))
@given(hostile_names(directories=True), hostile_names(directories=True))
def test_hostile_file_names_in_every_output(old_name: str, new_name: str) -> None:
    """A map's file name is user text too: lint and diff formats escape it and keep one item a line."""
    base = next(b for b in bases() if b.name == "retail-first-online-purchase")  # no include to find
    data = base.text.encode("utf-8").replace(b"owner: ", b"ownr: ", 1)  # an error: JM000 with the name
    changed = base.text.encode("utf-8").replace(b"emotion: 1\n", b"emotion: -2\n", 1)
    for name, text in ((old_name, data), (new_name, changed)):
        path = str(ROOT / "examples" / name)
        loaded = check_load(text, path, root=ROOT, includes=includes())
        if loaded is not None:
            check_lint(loaded, EVERY_RULE)
    old = check_load(
        base.text.encode("utf-8"), str(ROOT / "examples" / old_name), root=ROOT, includes=includes()
    )
    new = check_load(changed, str(ROOT / "examples" / new_name), root=ROOT, includes=includes())
    assert old is not None and new is not None
    check_diff(old, new, old_name, new_name)


@pytest.fixture(scope="session")
def graphviz() -> str:
    import shutil

    from tests.conftest import require_tool

    return require_tool("Graphviz dot", shutil.which("dot"))


@settings(max_examples=examples(0.3))
@given(mutations(keep_valid=True, text_ops=False))
def test_graphviz_lays_out_every_valid_map(graphviz: str, mutation: Mutation) -> None:
    """DOT built from hostile text is grammatical: Graphviz lays it out and writes well-formed SVG."""
    base, data = apply(mutation)
    loaded = check_load(data, str(ROOT / base.path), root=ROOT, includes=includes())
    if loaded is None:
        return
    note(f"input:\n{excerpt(data)}")
    check_render(loaded, ("svg",))


def test_the_contract_catches_what_it_promises() -> None:
    """The checks are not vacuous: each refuses an output that breaks it."""
    with pytest.raises(ValueError, match="NaN"):
        contract.strict_json('{"a": NaN}')
    with pytest.raises(ContractBroken, match="outside"):
        contract.check_error(LoadError("x", Location("x.yaml", 9, 1)), {"x.yaml": "a\n"})
    with pytest.raises(ContractBroken, match="escaped"):
        contract.check_error(RecursionError("deep"), {})
    with pytest.raises(ContractBroken, match="script"):
        contract.check_html("<p><script>x</script></p>", "html")
    with pytest.raises(ContractBroken, match="grammar"):
        contract.check_mermaid("journey\n    title a\nb: 5\n")
    with pytest.raises(ContractBroken, match="tags"):
        contract.check_markdown("text <img src=x>\n")


#: The configuration of docs/lint.md: every setting a project may write.
CONFIG_YAML = """\
preset: recommended
select: [JM1, JM2, stale-map]
extend-select: [step-without-touchpoint]
ignore: [JM105]
fail-on: warning
exclude:
  - drafts/
  - "**/archive/*.yaml"
per-file-ignores:
  "legacy/*.yaml": [JM5, stale-map]
rules:
  stale-map:
    severity: error
    max-age-days: 90
  single-channel-journey:
    min-channels: 2
  JM602: warning
"""
CONFIG_TOML = """\
[tool.journeyctl]
select = ["JM1", "JM2", "stale-map"]
ignore = ["JM105"]
fail-on = "warning"
exclude = ["drafts/"]

[tool.journeyctl.per-file-ignores]
"legacy/*.yaml" = ["JM5", "stale-map"]

[tool.journeyctl.rules.stale-map]
severity = "error"
max-age-days = 90
"""


@functools.cache
def _plain_config() -> object:
    from journeyctl.yamlsource import parse

    return parse(CONFIG_YAML.encode("utf-8"), ".journeyctl.yaml")[0]


@settings(max_examples=examples(2))
@given(mutations(max_tree=3, max_text=1), st.booleans())
def test_hostile_configuration(hostile_root: Path, mutation: Mutation, toml: bool) -> None:
    """A pull request can change the lint configuration too: a located ConfigError, or a working lint."""
    from journeyctl.config import build_lint_config, read_config

    if toml:  # text operations only: a YAML dump of the tree would not be TOML
        _, data = apply(Mutation(0, (), mutation.text), Base("toml", "pyproject.toml", CONFIG_TOML, None))
        path = hostile_root / "config" / "pyproject.toml"
    else:
        _, data = apply(mutation, Base("yaml", ".journeyctl.yaml", CONFIG_YAML, _plain_config()))
        path = hostile_root / "config" / ".journeyctl.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    note(f"{path.name}:\n{excerpt(data)}")
    text = data.decode("utf-8", "replace")
    texts = {str(path): text, os.path.relpath(path): text}

    def checks() -> None:
        try:
            config = build_lint_config(read_config(path))
        except Exception as error:
            contract.check_error(error, texts)
            return
        check_lint(base_loaded(3), config)

    within_budget(checks, data, "reading the configuration and linting with it")
