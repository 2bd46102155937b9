"""Configuration: discovery, pyproject.toml, presets and selection, and located errors (cases as data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from journeyctl.config import (
    ConfigResolver,
    LintConfig,
    Overrides,
    build_lint_config,
    find_config,
    glob_match,
    load_lint_config,
    read_config,
)
from journeyctl.errors import ConfigError
from journeyctl.lint.registry import get_registry

from .helpers import HERE, config_from_yaml

ERROR_CASES: list[dict[str, Any]] = yaml.safe_load((HERE / "cases" / "config-errors.yaml").read_text())


@pytest.mark.parametrize("case", ERROR_CASES, ids=[case["name"] for case in ERROR_CASES])
def test_an_invalid_config_is_a_located_error(case: dict[str, Any]) -> None:
    with pytest.raises(ConfigError) as info:
        config_from_yaml(case["config"], path="conf/.journeyctl.yaml")
    error = info.value
    assert case["message"] in error.message
    assert error.location is not None
    assert (error.location.path, error.location.line, error.location.col) == (
        "conf/.journeyctl.yaml",
        *case["at"],
    )


def test_presets() -> None:
    registry = get_registry()
    recommended = LintConfig.recommended().codes
    strict = build_lint_config(None, Overrides(preset="strict")).codes
    rule_codes = {rule.code for rule in registry if not rule.is_engine_rule}
    assert strict == rule_codes
    not_recommended = {rule.code for rule in registry if not rule.recommended}
    assert not_recommended, "some rule is expected to stay out of the recommended preset"
    assert recommended == rule_codes - not_recommended
    assert LintConfig.recommended().engine_severity == {"JM000": "error", "JM001": "warning"}


def test_selectors_resolve_codes_prefixes_names_and_all() -> None:
    registry = get_registry()
    assert registry.select("JM101") == ["JM101"]
    assert registry.select("jm101") == ["JM101"]
    assert registry.select("stage-without-touchpoints") == ["JM101"]
    assert registry.select("JM10") == [code for code in registry.codes if code.startswith("JM10")]
    assert registry.select("ALL") == registry.codes
    assert registry.select("nothing-like-this") == []


def test_select_replaces_the_preset_and_extend_select_adds() -> None:
    config = config_from_yaml("select: [JM101]\nextend-select: [JM106]\nignore: []\n")
    assert config.codes == {"JM101", "JM106"}
    assert config.engine_severity == {"JM000": "error"}  # JM001 is not selected
    cli = config_from_yaml("select: [JM101]\n", overrides=Overrides(select=["JM2"]))
    assert cli.codes == {code for code in get_registry().codes if code.startswith("JM2")}
    preset = config_from_yaml("select: [JM101]\n", overrides=Overrides(preset="strict"))
    assert len(preset.codes) > 10


def test_rule_options_reach_the_rule() -> None:
    config = config_from_yaml("rules:\n  stale-map: {max-age-days: 30, severity: error}\n  JM701: error\n")
    by_code = {rule.code: rule for rule in config.rules}
    assert by_code["JM504"].severity == "error"
    assert by_code["JM504"].options.max_age_days == 30  # type: ignore[attr-defined]
    assert by_code["JM701"].severity == "error"


def test_command_line_errors_name_the_option() -> None:
    with pytest.raises(ConfigError, match=r"--select: unknown rule code, code prefix or name 'JM99'"):
        build_lint_config(None, Overrides(select=["JM99"]))


def test_config_is_found_walking_up_and_stops_at_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "maps" / "deep").mkdir(parents=True)
    assert find_config(repo / "maps" / "deep") is None
    (tmp_path / ".journeyctl.yaml").write_text("preset: strict\n")
    assert find_config(repo / "maps" / "deep") is None, "a config above the repository root is not used"
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_config(repo / "maps") is None, "a pyproject.toml without [tool.journeyctl] is skipped"
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n\n[tool.journeyctl]\npreset = 'strict'\n")
    assert find_config(repo / "maps" / "deep") == repo / "pyproject.toml"
    (repo / "maps" / ".journeyctl.yaml").write_text("select: [JM1]\n")
    assert find_config(repo / "maps" / "deep") == repo / "maps" / ".journeyctl.yaml"


def test_pyproject_table(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        "[project]\nname = 'maps'\n\n[tool.journeyctl]\nselect = ['JM1']\nfail-on = 'error'\n\n"
        "[tool.journeyctl.per-file-ignores]\n'legacy/*' = ['JM101']\n\n"
        "[tool.journeyctl.rules.stale-map]\nmax-age-days = 90\n"
    )
    config = load_lint_config(pyproject)
    assert config.fail_on == "error"
    assert all(code.startswith("JM1") for code in config.codes)
    assert config.per_file_ignores == (("legacy/*", frozenset({"JM101"})),)
    # root may be shown relative to the working directory (as paths are in messages): compare places.
    assert Path(config.root).resolve() == tmp_path.resolve()


@pytest.mark.parametrize(
    ("toml", "at", "message"),
    [
        ("[tool.journeyctl]\nselect = ['JM1']\nselekt = []\n", (3, 1), "unknown configuration key 'selekt'"),
        ("[tool.journeyctl.rules.stale-map]\nmax-age-days = 'x'\n", (2, 1), "option 'max-age-days'"),
        ("[tool.journeyctl]\nrules = { JM101 = 'loud' }\n", (2, 1), "severity of rule JM101"),
        ("[tool.journeyctl]\nselect = [\n", (3, 1), "invalid TOML"),
    ],
)
def test_pyproject_errors_are_located(tmp_path: Path, toml: str, at: tuple[int, int], message: str) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[project]\nname = 'maps'\n\n" + toml)
    with pytest.raises(ConfigError) as info:
        load_lint_config(pyproject)
    assert message in info.value.message
    location = info.value.location
    assert location is not None and (location.line - 3, location.col) == at


def test_explicit_config_that_does_not_exist() -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        read_config("no/such/.journeyctl.yaml")


@pytest.mark.parametrize(
    ("path", "pattern", "matches"),
    [
        ("maps/legacy/a.yaml", "maps/legacy/*", True),
        ("maps/legacy/a.yaml", "maps/legacy", True),
        ("maps/legacy/a.yaml", "maps/legacy/", True),
        ("maps/legacy/a.yaml", "legacy/*", False),
        ("maps/legacy/a.yaml", "**/legacy/*", True),
        ("legacy/a.yaml", "**/legacy/*", True),
        ("maps/legacy/a.yaml", "a.yaml", True),
        ("maps/legacy/a.yaml", "*.yml", False),
        ("maps/legacy/a.yaml", "./maps/*/a.yaml", True),
        ("maps/a.yaml", "maps/*.yaml", True),
    ],
)
def test_glob_match(path: str, pattern: str, matches: bool) -> None:
    assert glob_match(path, pattern) is matches


def test_engine_rules_can_be_configured_but_invalid_map_stays_an_error() -> None:
    config = config_from_yaml("rules:\n  unused-suppression: error\n  JM000: {severity: error}\n")
    assert config.engine_severity == {"JM000": "error", "JM001": "error"}
    ignored = config_from_yaml("ignore: [JM0]\n")
    assert ignored.engine_severity == {"JM000": "error"}


def test_each_file_gets_the_configuration_nearest_above_it(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".journeyctl.yaml").write_text("select: [JM101]\n")
    (tmp_path / "app" / "deep").mkdir(parents=True)
    (tmp_path / "app" / ".journeyctl.yaml").write_text("select: [JM102]\nfail-on: error\n")
    (tmp_path / "web").mkdir()
    resolver = ConfigResolver(Overrides(ignore=["JM102"]))
    top = resolver.for_path(str(tmp_path / "a.yaml"))
    app = resolver.for_path(str(tmp_path / "app" / "deep" / "b.yaml"))
    assert top.codes == {"JM101"}
    assert app.codes == frozenset()  # the command line's --ignore applies under every configuration
    assert app.fail_on == "error"
    assert resolver.for_path(str(tmp_path / "web" / "c.yaml")) is top  # built once, shared
    assert resolver.for_path(str(tmp_path / "app" / "d.yaml")) is app
    assert resolver.configs() == [top, app]


def test_config_and_isolated_give_every_file_one_configuration(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / ".journeyctl.yaml").write_text("select: [JM102]\n")
    named = tmp_path / "named.yaml"
    named.write_text("select: [JM103]\n")
    explicit = ConfigResolver(config_path=named)
    assert explicit.for_path(str(tmp_path / "app" / "m.yaml")).codes == {"JM103"}
    isolated = ConfigResolver(isolated=True)
    assert isolated.for_path(str(tmp_path / "app" / "m.yaml")).source is None
