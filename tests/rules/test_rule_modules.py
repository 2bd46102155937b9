"""Every built-in rule module keeps the rule API and documents itself with examples that are true."""

from __future__ import annotations

import datetime
import pkgutil
import re

import pytest

import journeyctl.rules
from journeyctl.lint.api import SEVERITIES, RuleOptions
from journeyctl.rules import BUILTIN_RULES
from journeyctl.rules import stale_map as stale_map_rule

from .rulecases import docstring_examples, rule_module, run_rule

CODES = sorted(BUILTIN_RULES)
#: The docstring examples are read on this date (the stale-map example's review is recent then).
DOCS_TODAY = datetime.date(2026, 11, 25)


def test_builtin_rules_match_the_modules_present() -> None:
    present = {
        f"journeyctl.rules.{info.name}"
        for info in pkgutil.iter_modules(journeyctl.rules.__path__)
        if not info.name.startswith("_")
    }
    assert set(BUILTIN_RULES.values()) == present


def test_codes_and_names_are_unique_and_well_formed() -> None:
    names: dict[str, str] = {}
    for code in CODES:
        module = rule_module(code)
        assert code == module.CODE, f"{BUILTIN_RULES[code]} says CODE={module.CODE}"
        # JM000-JM099 belong to the engine (invalid map, unused suppression).
        assert re.fullmatch(r"JM[1-9][0-9]{2}", code), code
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", module.NAME), module.NAME
        assert module.NAME not in names, f"{code} and {names.get(module.NAME)} share {module.NAME}"
        names[module.NAME] = code
    # Acceptance tests elsewhere look these names up.
    assert {"stage-without-touchpoints", "pain-point-without-opportunity"} <= set(names)


@pytest.mark.parametrize("code", CODES)
def test_rule_module_api(code: str) -> None:
    module = rule_module(code)
    assert module.SEVERITY in SEVERITIES
    assert isinstance(getattr(module, "RECOMMENDED", True), bool)
    assert issubclass(module.Options, RuleOptions)
    module.Options()  # every option has a default
    assert callable(module.check)


@pytest.mark.parametrize("code", CODES)
def test_docstring_documents_why_and_options(code: str) -> None:
    module = rule_module(code)
    doc = module.__doc__ or ""
    summary = doc.splitlines()[0] if doc else ""
    assert summary.strip() and len(summary) <= 110, f"{code}: summary line missing or too long"
    assert "Why it matters:" in doc
    assert "Options:" in doc
    for name, field in module.Options.validator().model_fields.items():
        option = field.alias or name.replace("_", "-")
        assert f"`{option}`" in doc, f"{code}: option {option} is not documented"
    if not module.Options.validator().model_fields:
        assert "Options: none." in doc


@pytest.mark.parametrize("code", CODES)
def test_docstring_examples_fail_and_pass(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stale_map_rule, "clock", lambda: DOCS_TODAY)
    module = rule_module(code)
    examples = docstring_examples(module)
    assert set(examples) == {"Failing", "Passing"}, f"{code}: needs one Failing and one Passing example"
    assert run_rule(module, examples["Failing"]), f"{code}: the Failing example yields nothing"
    assert run_rule(module, examples["Passing"]) == [], f"{code}: the Passing example yields findings"
