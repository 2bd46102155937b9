"""Loader behaviour that is not a single text in, errors out: bytes, sizes, includes, locations."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeyctl.errors import LoadError, MapInvalid
from journeyctl.loader import load_bytes, load_file
from journeyctl.location import Location

MINI = """\
journeyctl: 1
id: mini
title: Mini
{include}personas:
  - id: local
    name: Local
    goals: [Be quick]
channels:
  - {{id: web, name: Web, kind: web}}
stages:
  - id: buy
    name: Buy
    touchpoints:
      - {{id: site, name: Site, channel: web}}
    steps:
      - id: pays
        action: Pays
        persona: {persona}
        touchpoints: [site]
        emotion: 1
"""

SHARED = """\
journeyctl-shared: 1
personas:
  - id: parent
    name: Busy parent
    goals: [Find a gift fast]
channels:
  - {id: phone, name: Phone, kind: phone}
"""


def errors_of(data: bytes, path: str = "t.yaml") -> list[tuple[int, int, str]]:
    with pytest.raises(MapInvalid) as info:
        load_bytes(data, path)
    return [(e.location.line, e.location.col, e.message) for e in info.value.errors if e.location]


def test_non_utf8_byte_is_located() -> None:
    data = MINI.format(include="", persona="local").encode().replace(b"title: Mini", b"title: Mi\xe9ni")
    assert errors_of(data) == [
        (3, 10, "file is not valid UTF-8: byte 0xe9 cannot be decoded; save the file as UTF-8")
    ]


def test_utf8_bom_is_accepted() -> None:
    loaded = load_bytes(b"\xef\xbb\xbf" + MINI.format(include="", persona="local").encode(), "t.yaml")
    assert loaded.journey.title == "Mini"


def test_size_cap_and_override() -> None:
    data = MINI.format(include="", persona="local").encode()
    with pytest.raises(MapInvalid) as info:
        load_bytes(data, "t.yaml", max_size=100)
    assert "over the 100-byte limit" in info.value.errors[0].message
    assert "--max-file-size" in info.value.errors[0].message
    assert load_bytes(data, "t.yaml", max_size=None).journey.id == "mini"


def test_entities_know_where_they_were_written() -> None:
    loaded = load_bytes(MINI.format(include="", persona="local").encode(), "t.yaml")
    stage = loaded.journey.stages[0]
    step = stage.steps[0]
    assert loaded.locate(stage) == Location("t.yaml", 11, 5)
    assert loaded.locate(step) == Location("t.yaml", 16, 9)
    assert loaded.locate(step, "emotion") == Location("t.yaml", 20, 9)
    assert loaded.locate_value(step, "touchpoints", 0) == Location("t.yaml", 19, 23)


def write_repo(tmp_path: Path, include: str, persona: str = "parent") -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "people.yaml").write_text(SHARED)
    (tmp_path / "maps").mkdir()
    target = tmp_path / "maps" / "m.yaml"
    target.write_text(MINI.format(include=f"include: [{include}]\n", persona=persona))
    return target


def test_include_brings_shared_personas_and_channels(tmp_path: Path) -> None:
    loaded = load_file(write_repo(tmp_path, "../shared/people.yaml"))
    assert [p.id for p in loaded.journey.personas] == ["parent", "local"]
    assert [c.id for c in loaded.journey.channels] == ["phone", "web"]
    shared_persona = loaded.journey.personas[0]
    location = loaded.locate(shared_persona)
    assert location.path.endswith("people.yaml") and location.line == 3


def test_include_outside_repository_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(SHARED)
    repo = tmp_path / "repo"
    repo.mkdir()
    target = write_repo(repo, "../../outside.yaml")
    with pytest.raises(MapInvalid) as info:
        load_file(target)
    messages = [str(e) for e in info.value.errors]
    assert any("outside the repository root" in m and ":4:11:" in m for m in messages), messages


def test_missing_include_is_located(tmp_path: Path) -> None:
    target = write_repo(tmp_path, "../shared/nope.yaml")
    with pytest.raises(MapInvalid) as info:
        load_file(target)
    first = info.value.errors[0]
    assert first.location is not None and first.location.line == 4
    assert "cannot include '../shared/nope.yaml'" in first.message and "no such file" in first.message


def test_errors_in_included_file_point_into_it(tmp_path: Path) -> None:
    target = write_repo(tmp_path, "../shared/people.yaml")
    (tmp_path / "shared" / "people.yaml").write_text(SHARED.replace("kind: phone", "kind: fax"))
    with pytest.raises(MapInvalid) as info:
        load_file(target)
    error = info.value.errors[0]
    assert error.location is not None
    assert error.location.path.endswith("shared/people.yaml") and error.location.line == 7


def test_duplicate_between_include_and_map(tmp_path: Path) -> None:
    target = write_repo(tmp_path, "../shared/people.yaml", persona="local")
    (tmp_path / "shared" / "people.yaml").write_text(SHARED.replace("id: parent", "id: local"))
    with pytest.raises(MapInvalid) as info:
        load_file(target, max_size=None)
    (error,) = info.value.errors
    assert "duplicate persona id 'local'" in error.message
    assert error.location is not None and error.location.path.endswith("m.yaml")


def test_missing_file_is_a_load_error(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no such file"):
        load_file(tmp_path / "absent.yaml")
