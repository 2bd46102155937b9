"""The catalogue of hand-writing mistakes: each slip's exact position, message and hint."""

from __future__ import annotations

import pytest

from journeyctl.errors import MapInvalid
from journeyctl.loader import load_bytes
from tests.loader.mistakes import COMMAND, GUIDE, Mistake, mistakes, replace_section, section_markdown

CATALOGUE = mistakes()


def test_the_catalogue_holds_at_least_twenty_mistakes() -> None:
    assert len([m for m in CATALOGUE if not m.valid]) >= 20


@pytest.mark.parametrize("mistake", CATALOGUE, ids=lambda m: m.name)
def test_mistake(mistake: Mistake) -> None:
    try:
        load_bytes(mistake.data, "t.yaml")
    except MapInvalid as invalid:
        assert not mistake.valid, f"expected valid, got {[str(e) for e in invalid.errors]}"
        assert len(invalid.errors) == 1, [str(e) for e in invalid.errors]
        error = invalid.errors[0]
        assert error.location is not None
        assert (error.location.line, error.location.col) == mistake.at, str(error)
        assert error.message == mistake.message
        assert error.hint == mistake.hint
        assert error.key_path == mistake.key
    else:
        assert mistake.valid, "the mistake loaded without an error"


@pytest.mark.parametrize("mistake", [m for m in CATALOGUE if not m.valid], ids=lambda m: m.name)
def test_messages_lead_with_the_authors_words(mistake: Mistake) -> None:
    """The parser's words never lead a message, and no message repeats its line."""
    assert mistake.message is not None and mistake.hint, "every mistake names its fix"
    assert not mistake.message.startswith("YAML syntax error")
    assert "while parsing" not in mistake.message and "while scanning" not in mistake.message
    assert "at line" not in mistake.message
    assert "Input should" not in mistake.message


def test_the_guide_shows_the_catalogue() -> None:
    current = GUIDE.read_text(encoding="utf-8")
    assert current == replace_section(current, section_markdown()), (
        f"docs/format.md's 'Common mistakes' section is out of date with the catalogue; run `{COMMAND}`"
    )
