"""The catalogue of hand-writing mistakes (mistakes.yaml): its cases, and docs/format.md's section.

The section "Common mistakes" of docs/format.md is generated from the catalogue, so the
messages the docs show are the messages journeyctl gives. ``python -m tests.loader.mistakes
--write`` refreshes it; the test suite fails when it is stale.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CATALOGUE = HERE / "mistakes.yaml"
GUIDE = HERE.parent.parent / "docs" / "format.md"
BEGIN = "<!-- BEGIN COMMON MISTAKES -->"
END = "<!-- END COMMON MISTAKES -->"
COMMAND = ".venv/bin/python -m tests.loader.mistakes --write"


@dataclass(frozen=True)
class Mistake:
    """One slip: the file it makes and what journeyctl must say about it."""

    name: str
    title: str
    data: bytes
    valid: bool
    at: tuple[int, int] | None
    key: str | None
    message: str | None
    hint: str | None


def base_text() -> str:
    cases = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
    return str(cases["valid"]["text"])


def mistakes() -> list[Mistake]:
    base = base_text()
    raw: dict[str, Any] = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    result: list[Mistake] = []
    for name, case in raw.items():
        text = base
        for old, new in case.get("replace", {}).items():
            assert old in text, f"{name}: replacement target {old!r} not in the base map"
            text = text.replace(old, new, 1)
        if case.get("crlf"):
            text = text.replace("\n", "\r\n")
        data = text.encode("utf-8")
        if case.get("bom"):
            data = b"\xef\xbb\xbf" + data
        at = case.get("at")
        result.append(
            Mistake(
                name=name,
                title=case["title"],
                data=data,
                valid=bool(case.get("valid")),
                at=(int(at[0]), int(at[1])) if at else None,
                key=case.get("key"),
                message=case.get("message"),
                hint=case.get("hint"),
            )
        )
    return result


def _written(mistake: Mistake) -> str:
    """The lines up to the one the error is on, as the author wrote them (for the docs)."""
    lines = mistake.data.decode("utf-8-sig").splitlines()
    line = mistake.at[0] if mistake.at else len(lines)
    return "\n".join(lines[max(0, line - 3) : line])


def section_markdown() -> str:
    """The "Common mistakes" section: each slip, what journeyctl says and the fix."""
    parts = [
        f"Generated from `tests/loader/mistakes.yaml`, where each entry is a test; run `{COMMAND}` "
        "after changing messages. Positions are those of the catalogue's test map.",
    ]
    for mistake in mistakes():
        if mistake.valid:
            parts.append(f"### {mistake.title}\n\nNot a mistake: journeyctl reads such a file as intended.")
            continue
        assert mistake.at is not None
        line, col = mistake.at
        where = f" (at {mistake.key})" if mistake.key else ""
        output = f"map.yaml:{line}:{col}: error: {mistake.message}{where}"
        if mistake.hint:
            output += f"\n  hint: {mistake.hint}"
        parts.append(f"### {mistake.title}\n\n```yaml\n{_written(mistake)}\n```\n\n```\n{output}\n```")
    return "\n\n".join(parts) + "\n"


def replace_section(document: str, section: str) -> str:
    start, end = document.find(BEGIN), document.find(END)
    if start < 0 or end < start:
        raise ValueError(f"no '{BEGIN}' ... '{END}' block")
    return f"{document[: start + len(BEGIN)]}\n\n{section}\n{document[end:]}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.loader.mistakes")
    parser.add_argument("--write", action="store_true", help="Rewrite the section in docs/format.md.")
    args = parser.parse_args(argv)
    if not args.write:
        sys.stdout.write(section_markdown())
        return 0
    current = GUIDE.read_text(encoding="utf-8")
    GUIDE.write_text(replace_section(current, section_markdown()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
