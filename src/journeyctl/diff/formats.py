"""Printing a ``DiffReport``: ``text`` (a rich tree per map), ``markdown`` (a pull-request
comment, from ``templates/diff.md.j2``) and ``json`` (documented in ``docs/diff.md``).

Every format lists regressions before improvements before neutral changes and
is deterministic: no timestamps, a stable order.
"""

from __future__ import annotations

import datetime
import functools
import json
import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from journeyctl.diff.compare import (
    CLASSIFICATIONS,
    REGRESSION,
    Change,
    DiffReport,
    MapDiff,
    format_emotion,
)
from journeyctl.display import one_line, replace_surrogates, show_path

if TYPE_CHECKING:
    import jinja2
    from rich.console import Console
    from rich.text import Text

#: Version of the JSON output; bumped only for incompatible changes.
JSON_VERSION = 1
#: Format name -> canonical name (``md`` is an alias of ``markdown``).
FORMAT_NAMES = {"text": "text", "markdown": "markdown", "md": "markdown", "json": "json"}

_RANK = {name: index for index, name in enumerate(CLASSIFICATIONS)}
_MARKS = {"regression": "✗", "improvement": "✓", "neutral": "•"}
_STYLES = {"regression": "bold red", "improvement": "green", "neutral": "dim"}
_ENTITY_WORDS = {
    "map": "map",
    "journey": "journey",
    "persona": "persona",
    "channel": "channel",
    "stage": "stage",
    "touchpoint": "touchpoint",
    "step": "step",
    "pain-point": "pain point",
    "opportunity": "opportunity",
    "metric": "metric",
    "insight": "insight",
    "funnel": "funnel",
}


def ordered(changes: list[Change]) -> list[Change]:
    """Regressions first, then improvements, then neutral; otherwise in report order."""
    return sorted(changes, key=lambda change: _RANK[change.classification])


def plural(count: int, word: str) -> str:
    if count == 1:
        return f"1 {word}"
    return f"{count} {word}s" if not word.endswith("y") else f"{count} {word[:-1]}ies"


def counts_sentence(counts: dict[str, int]) -> str:
    return ", ".join(
        [
            plural(counts["regression"], "regression"),
            plural(counts["improvement"], "improvement"),
            f"{counts['neutral']} neutral",
        ]
    )


def emotion_change(map_diff: MapDiff) -> str:
    """``+0.5 -> +1`` (or ``unchanged +1``, ``-`` without emotions)."""
    old, new = map_diff.emotion_old, map_diff.emotion_new
    if old is None and new is None:
        return "-"
    if old == new:
        return f"{format_emotion(new)} (unchanged)"
    if old is None or new is None:
        return f"{format_emotion(old)} -> {format_emotion(new)}"
    return f"{format_emotion(old)} -> {format_emotion(new)} ({format_emotion(round(new - old, 3))})"


def describe(change: Change) -> str:
    """``step pays 'Pays with a card'`` : what a change is about."""
    word = _ENTITY_WORDS.get(change.entity, change.entity)
    if change.entity in ("map", "journey") or (change.entity == "funnel" and not change.path):
        return word
    if change.entity == "funnel":
        return f"funnel at {change.id}"
    return f"{word} {change.id}"


# --- text ---------------------------------------------------------------------------------


def _group_key(change: Change) -> str:
    if change.entity in ("persona", "channel", "insight", "funnel"):
        return change.entity
    if change.entity in ("map", "journey"):
        return change.entity
    return "stage:" + change.path[0]


_GROUP_ORDER = {"map": -1, "journey": 0, "persona": 1, "channel": 2, "insight": 2.5, "funnel": 2.7}


def _line(change: Change) -> Text:
    from rich.text import Text

    # Text, never markup: "[bold]" in a name is shown as written. one_line: one change, one line.
    text = Text()
    text.append(_MARKS[change.classification] + " ", style=_STYLES[change.classification])
    if change.entity != "map":  # a map's own changes hang from its root, which names it
        text.append(one_line(describe(change)), style="bold")
        if change.name and change.entity not in ("journey", "stage", "funnel"):
            text.append(f" {one_line(repr(change.name))}", style="italic")
        text.append(": ")
    text.append(
        one_line(change.message),
        style=_STYLES[change.classification] if change.classification != "neutral" else "",
    )
    return text


def _labels(report: DiffReport) -> str:
    return f"{show_path(report.old_label)} -> {show_path(report.new_label)}"


def render_text(report: DiffReport, console: Console) -> None:
    """A tree per changed map on ``console`` and a one-line summary."""
    from rich.text import Text
    from rich.tree import Tree

    changed = [map_diff for map_diff in report.maps if map_diff.changes]
    if not changed:
        console.print(Text(f"No changes in journey maps ({_labels(report)})."))
        return
    for map_diff in changed:
        label = Text()
        label.append(show_path(map_diff.path), style="bold cyan")
        if map_diff.old_path and map_diff.new_path and map_diff.old_path != map_diff.new_path:
            label = Text()
            renamed = f"{show_path(map_diff.old_path)} -> {show_path(map_diff.new_path)}"
            label.append(renamed, style="bold cyan")
        label.append(f"  {one_line(repr(map_diff.title))} ({map_diff.status})")
        counts = map_diff.counts()
        label.append(f"  {counts_sentence(counts)}", style="red" if counts[REGRESSION] else "")
        label.append(f"  emotion {emotion_change(map_diff)}")
        tree = Tree(label)
        groups: dict[str, list[Change]] = {}
        stage_names: dict[str, str] = {}
        for change in map_diff.changes:
            key = _group_key(change)
            groups.setdefault(key, []).append(change)
            if change.entity == "stage" and change.name:
                stage_names.setdefault(key, change.name)
        for stage in map_diff.stages:
            stage_names.setdefault("stage:" + stage.id, stage.name)
        for key, changes in sorted(groups.items(), key=lambda item: _GROUP_ORDER.get(item[0], 3)):
            if key == "map":
                for change in changes:
                    tree.add(_line(change))
                continue
            if key.startswith("stage:"):
                heading = f"stage {key[6:]}"
                if stage_names.get(key):
                    heading += f" {one_line(repr(stage_names[key]))}"
            else:
                heading = {
                    "journey": "journey",
                    "persona": "personas",
                    "channel": "channels",
                    "insight": "insights",
                    "funnel": "funnel",
                }[key]
            branch = tree.add(Text(heading, style="bold"))
            for change in ordered(changes):
                branch.add(_line(change))
        console.print(tree)
    totals = report.counts()
    summary = f"{plural(len(changed), 'map')} changed ({_labels(report)}): {counts_sentence(totals)}."
    console.print(Text(summary))


# --- markdown -----------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")


def md_escape(value: Any) -> str:
    """User text made inert in markdown: no formatting, no HTML, no @mentions, one line."""
    text = one_line(str(value))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = text.replace("@", "@&#8203;")
    # Messages say "old -> new"; after escaping that is "-&gt;": show an arrow instead.
    return " ".join(text.split()).replace(" -&gt; ", " → ")


def md_code(value: Any) -> str:
    """An id or path as inline code (backticks inside are doubled around)."""
    text = " ".join(one_line(str(value)).split())
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}" if fence == "`" else f"{fence} {text} {fence}"


def md_cell_code(value: Any) -> str:
    """``md_code`` for a table cell: a ``|`` in a file name would end the cell (GFM reads ``\\|``)."""
    return md_code(value).replace("|", "\\|")


def _map_sort_key(map_diff: MapDiff) -> tuple[int, str]:
    return (-map_diff.counts()[REGRESSION], map_diff.path)


@functools.cache
def markdown_environment() -> jinja2.Environment:
    """The jinja2 environment of the pull-request comment (built once: an environment is full of cycles)."""
    import jinja2

    from journeyctl.templating import bytecode_cache

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("journeyctl.diff", "templates"),
        bytecode_cache=bytecode_cache(),
        autoescape=False,  # markdown, not HTML: user text is escaped by md_escape
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["md"] = md_escape
    environment.filters["code"] = md_code
    environment.filters["cell_code"] = md_cell_code
    environment.filters["emotion"] = format_emotion
    environment.globals["entity_word"] = lambda change: _ENTITY_WORDS.get(change.entity, change.entity)
    return environment


def render_markdown(report: DiffReport) -> str:
    """A pull-request comment: a summary table, then each map's changes, regressions first."""
    template = markdown_environment().get_template("diff.md.j2")
    changed = sorted((m for m in report.maps if m.changes), key=_map_sort_key)
    maps = []
    for map_diff in changed:
        changes = ordered(map_diff.changes)
        by_class = {name: [c for c in changes if c.classification == name] for name in CLASSIFICATIONS}
        stage_rows = [stage for stage in map_diff.stages if stage.old != stage.new]
        persona_rows = [persona for persona in map_diff.personas if persona.old != persona.new]
        maps.append(
            {
                "diff": map_diff,
                "counts": map_diff.counts(),
                "emotion": emotion_change(map_diff),
                "regressions": by_class["regression"],
                "improvements": by_class["improvement"],
                "neutral": by_class["neutral"],
                "stage_rows": stage_rows,
                "persona_rows": persona_rows,
            }
        )
    text = template.render(
        report=report,
        maps=maps,
        totals=report.counts(),
        describe=describe,
        delta=_delta,
        unchanged=len(report.maps) - len(changed),
    )
    return re.sub(r"\n{3,}", "\n\n", text)


def _delta(old: float | None, new: float | None) -> str:
    if old is None or new is None or old == new:
        return ""
    arrow = "▲" if new > old else "▼"
    return f"{arrow} {format_emotion(round(new - old, 3))}"


# --- json ---------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        # JSON has no NaN or infinity (JSON.parse, jq and Go refuse them): said in words.
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    return value


def change_to_json(change: Change) -> dict[str, Any]:
    return {
        "kind": change.kind,
        "entity": change.entity,
        "id": change.id or None,
        "path": list(change.path),
        "field": change.field,
        "old": _jsonable(change.old),
        "new": _jsonable(change.new),
        "classification": change.classification,
        "name": change.name,
        "message": change.message,
    }


def report_to_json(report: DiffReport) -> dict[str, Any]:
    """The report as the documented JSON structure (``version`` 1)."""
    totals = report.counts()
    return {
        "version": JSON_VERSION,
        "old": report.old_label,
        "new": report.new_label,
        "summary": {
            "maps": len(report.maps),
            "changed_maps": sum(1 for m in report.maps if m.changes),
            **totals,
        },
        "maps": [
            {
                "id": map_diff.map_id,
                "title": map_diff.title,
                "status": map_diff.status,
                "old_path": map_diff.old_path,
                "new_path": map_diff.new_path,
                "counts": map_diff.counts(),
                "emotion": {
                    "old": map_diff.emotion_old,
                    "new": map_diff.emotion_new,
                    "stages": [
                        {"id": stage.id, "name": stage.name, "old": stage.old, "new": stage.new}
                        for stage in map_diff.stages
                    ],
                    "personas": [
                        {"id": persona.id, "name": persona.name, "old": persona.old, "new": persona.new}
                        for persona in map_diff.personas
                    ],
                },
                "changes": [change_to_json(change) for change in ordered(map_diff.changes)],
            }
            for map_diff in report.maps
        ],
    }


def render_json(report: DiffReport) -> str:
    """Strict JSON: no NaN or Infinity, valid UTF-8 (a file name that is not UTF-8 gets U+FFFD)."""
    text = json.dumps(report_to_json(report), indent=2, ensure_ascii=False, allow_nan=False)
    return replace_surrogates(text) + "\n"


#: Canonical format name -> function rendering a report to a string (text goes through rich).
RENDERERS: dict[str, Callable[[DiffReport], str]] = {
    "markdown": render_markdown,
    "json": render_json,
}
