"""``journeyctl render`` and ``journeyctl formats``: outputs, directory mode, errors, atomicity, plugins."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict

import journeyctl.renderers as registry
from journeyctl.cli import run
from journeyctl.errors import UsageError
from journeyctl.renderers import (
    BUILTIN_ALIASES,
    BUILTIN_RENDERERS,
    RendererOptions,
    get_renderer,
    parse_options,
)
from tests.renderers.rendercases import CHECKOUT, HOSTILE

INVALID_MAP = (
    "journeyctl: 1\nid: bad\ntitle: Bad\nstages:\n  - id: s\n    name: S\n    steps:\n"
    "      - {id: a, action: A, emotion: 7}\n"
)


def maps_tree(root: Path) -> Path:
    """maps/ with a nested map, a shared file, and unrelated YAML."""
    (root / "maps" / "retail").mkdir(parents=True)
    shutil.copy(CHECKOUT, root / "maps" / "checkout.yaml")
    shutil.copy(HOSTILE, root / "maps" / "retail" / "hostile.yml")
    (root / "maps" / "shared.yaml").write_text("journeyctl-shared: 1\npersonas: []\n")
    (root / "maps" / "ci.yaml").write_text("on: push\n")
    return root / "maps"


def test_one_map_to_stdout_by_default(capsysbinary: Any) -> None:
    assert run(["render", str(CHECKOUT), "--format", "mermaid"]) == 0
    assert capsysbinary.readouterr().out.startswith(b"journey\n    title Buying a bike online\n")


def test_dash_is_stdout(capsysbinary: Any) -> None:
    assert run(["render", str(CHECKOUT), "-f", "md", "-o", "-"]) == 0
    assert capsysbinary.readouterr().out.startswith(b"# Buying a bike online\n")


def test_one_map_to_a_file_and_into_an_existing_directory(tmp_path: Path) -> None:
    assert run(["render", str(CHECKOUT), "-f", "markdown", "-o", str(tmp_path / "x.md")]) == 0
    assert (tmp_path / "x.md").read_text().startswith("# Buying a bike online")
    assert run(["render", str(CHECKOUT), "-f", "dot", "-o", str(tmp_path)]) == 0
    assert (tmp_path / "checkout.dot").read_text().startswith("digraph journey")


def test_directory_mirrors_paths_and_skips_non_maps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    maps = maps_tree(tmp_path)
    out = tmp_path / "out"
    assert run(["render", str(maps), "-f", "md", "-o", str(out)]) == 0
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == [".journeyctl-manifest.json", "checkout.md", os.path.join("retail", "hostile.md")]
    manifest = json.loads((out / ".journeyctl-manifest.json").read_text(encoding="utf-8"))
    # Each entry has the digest of the bytes written: a later run tells its pages from edited ones.
    assert manifest == {
        "journeyctl-manifest": 1,
        "files": {
            name: {"format": "md", "sha256": hashlib.sha256((out / name).read_bytes()).hexdigest()}
            for name in ("checkout.md", "retail/hostile.md")
        },
    }
    assert "Rendered 2 maps to" in capsys.readouterr().err


def test_several_files_land_at_the_top_of_the_directory(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(["render", str(CHECKOUT), str(HOSTILE), "-f", "mermaid", "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        ".journeyctl-manifest.json",
        "checkout.mmd",
        "hostile.mmd",
    ]


def test_two_maps_that_would_collide_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(CHECKOUT, tmp_path / "a" / "same.yaml")
    shutil.copy(CHECKOUT, tmp_path / "b" / "same.yaml")
    out = tmp_path / "out"
    code = run(
        [
            "render",
            str(tmp_path / "a" / "same.yaml"),
            str(tmp_path / "b" / "same.yaml"),
            "-f",
            "md",
            "-o",
            str(out),
        ]
    )
    assert code == 2
    assert "would both render to" in capsys.readouterr().err
    assert not out.exists()


def test_an_invalid_map_writes_nothing_at_all(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    maps = maps_tree(tmp_path)
    (maps / "zz-bad.yaml").write_text(INVALID_MAP)
    out = tmp_path / "out"
    assert run(["render", str(maps), "-f", "md", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "zz-bad.yaml:8:" in err  # located at the bad value
    assert "Nothing written: 1 of 3 maps could not be rendered." in err
    assert not out.exists()


def test_a_failing_render_leaves_no_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "x.md"
    target.write_text("previous content\n")
    assert run(["render", str(CHECKOUT), "-f", "md", "--stages", "nope", "-o", str(target)]) == 2
    assert "unknown stage 'nope'" in capsys.readouterr().err
    assert target.read_text() == "previous content\n"  # untouched, and no temporary file left
    assert [p.name for p in tmp_path.iterdir()] == ["x.md"]


def test_unknown_format_suggests_the_closest(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["render", str(CHECKOUT), "-f", "mermiad"]) == 2
    assert "unknown format 'mermiad' (did you mean 'mermaid'?)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("layuot=compact", "format 'dot' has no option 'layuot' (did you mean 'layout'?)"),
        ("layout=tiny", "invalid option for format 'dot': layout:"),
        ("wrap=many", "invalid option for format 'dot': wrap:"),
        ("no-equals", "--option takes KEY=VALUE"),
    ],
)
def test_bad_options_are_usage_errors(option: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["render", str(CHECKOUT), "-f", "dot", "-O", option]) == 2
    assert message in capsys.readouterr().err


def test_parse_options_kebab_case_lists_and_booleans() -> None:
    options: Any = parse_options(
        get_renderer("flow-svg"), ["row-length=5", "stages=a,b", "stages=c", "backstage=true"]
    )
    assert (options.row_length, options.stages, options.backstage) == (5, ["a", "b", "c"], True)


def test_binary_output_to_a_terminal_is_refused(tmp_path: Path) -> None:
    from journeyctl.renderers.batch import plan

    with pytest.raises(UsageError, match="binary and stdout is a terminal"):
        plan([str(CHECKOUT)], None, get_renderer("png"), stdout_isatty=True)
    assert plan([str(CHECKOUT)], None, get_renderer("png"), stdout_isatty=False).to_stdout


def test_several_maps_need_an_output_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    maps = maps_tree(tmp_path)
    assert run(["render", str(maps), "-f", "md"]) == 2
    assert "needs an output directory" in capsys.readouterr().err
    (tmp_path / "file").write_text("")
    assert run(["render", str(maps), "-f", "md", "-o", str(tmp_path / "file")]) == 2
    assert "is not a directory" in capsys.readouterr().err


def test_formats_lists_every_builtin(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["formats"]) == 0
    out = capsys.readouterr().out
    for name in ("html", "md", "mermaid", "dot", "svg", "png", "pdf", "flow-svg", "flow-png", "flow-pdf"):
        assert f"\n{name} " in out
    assert "Graphviz (dot)" in out
    assert run(["formats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_name = {item["name"]: item for item in data["formats"]}
    assert by_name["md"]["aliases"] == ["markdown"] and by_name["md"]["extension"] == ".md"
    assert by_name["flow-svg"]["requires"] == ["dot"] and by_name["dot"]["requires"] == []
    assert by_name["svg"]["requires"] == [] and by_name["svg"]["aliases"] == ["slide"]
    assert by_name["png"]["binary"] is True
    assert {"name": "layout", "type": "auto|detailed|compact", "default": "auto"}.items() <= {
        **next(o for o in by_name["dot"]["options"] if o["name"] == "layout")
    }.items()


def test_builtin_modules_declare_what_the_registry_says() -> None:
    for name, module_path in BUILTIN_RENDERERS.items():
        renderer = get_renderer(name)
        assert name == renderer.NAME, module_path
        assert renderer.EXTENSION.startswith(".")
        assert issubclass(renderer.Options, RendererOptions)
        assert renderer.Options.validator().model_config.get("extra") == "forbid", name
    for alias, name in BUILTIN_ALIASES.items():
        assert alias in get_renderer(name).ALIASES, alias


class FakeEntryPoint:
    def __init__(self, name: str, target: object) -> None:
        self.name, self.value, self._target = name, f"fake_plugin:{name}", target

    def load(self) -> object:
        if isinstance(self._target, Exception):
            raise self._target
        return self._target


def plugin_module() -> types.ModuleType:
    module = types.ModuleType("fake_plugin")

    class Options(BaseModel):
        model_config = ConfigDict(extra="forbid")
        shout: bool = False

    def render(loaded: Any, options: Options) -> bytes:
        title = loaded.journey.title.upper() if options.shout else loaded.journey.title
        return f"TITLE {title}\n".encode()

    module.__dict__.update(
        NAME="title",
        ALIASES=("heading",),
        EXTENSION=".txt",
        DESCRIPTION="Just the title",
        BINARY=False,
        Options=Options,
        render=render,
    )
    return module


def test_entry_point_plugins_are_found_by_name_and_alias(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    points = [FakeEntryPoint("title", plugin_module()), FakeEntryPoint("md", object())]
    monkeypatch.setattr(registry, "_entry_points", lambda: points)
    assert run(["render", str(CHECKOUT), "-f", "heading", "-O", "shout=true"]) == 0
    assert capsys.readouterr().out == "TITLE BUYING A BIKE ONLINE\n"
    assert run(["formats"]) == 0
    assert "\ntitle " in capsys.readouterr().out  # listed; the clashing "md" plugin is ignored


def test_broken_plugins_are_reported_not_crashed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    points = [FakeEntryPoint("boom", ImportError("no module named x")), FakeEntryPoint("half", object())]
    monkeypatch.setattr(registry, "_entry_points", lambda: points)
    assert run(["render", str(CHECKOUT), "-f", "boom"]) == 2
    assert "cannot load renderer plugin 'boom'" in capsys.readouterr().err
    assert run(["render", str(CHECKOUT), "-f", "half"]) == 2
    assert "is not a journeyctl renderer: it lacks NAME" in capsys.readouterr().err


def test_real_entry_point_renders_a_directory_in_parallel(tmp_path: Path) -> None:
    maps = tmp_path / "maps"
    maps.mkdir()
    for index in range(20):  # enough for the process pool to be used
        shutil.copy(CHECKOUT, maps / f"map-{index:02d}.yaml")
    out = tmp_path / "out"
    journeyctl = Path(sys.executable).parent / "journeyctl"
    result = subprocess.run(
        [str(journeyctl), "render", str(maps), "-f", "md", "-o", str(out), "--jobs", "2"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    outputs = sorted(out.glob("*.md"))
    assert len(outputs) == 20 and sorted(out.iterdir()) == [out / ".journeyctl-manifest.json", *outputs]
    assert len({path.read_bytes() for path in outputs}) == 1
