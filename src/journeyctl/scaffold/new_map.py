"""``journeyctl new``: a new journey map from a template, with its title, id, stages and personas.

A template (``templates/maps/*.yaml``) is a small valid map holding what is
generic about a kind of journey: stages with phases and customer goals,
typical touchpoints on their channels, typical steps. It leaves out what only
a team's research can say (how each step feels, who owns each touchpoint,
what the personas want, who keeps the map, when it was last checked), so that
``journeyctl lint`` on the new map lists exactly those gaps, each with its hint.

Templates keep every reference inside its stage, so that choosing some of
their stages with ``--stage`` still gives a valid map.
"""

from __future__ import annotations

import copy
import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from journeyctl.errors import UsageError
from journeyctl.fmt import dump_map
from journeyctl.scaffold import TEMPLATES

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
SLUG_MAX = 80


@dataclass(frozen=True)
class MapTemplate:
    """A template of ``journeyctl new``: its name, what it is for, and its file."""

    name: str
    description: str
    file: str


MAP_TEMPLATES: tuple[MapTemplate, ...] = (
    MapTemplate(
        "blank", "Three empty stages (before, during and after the purchase) to fill in", "blank.yaml"
    ),
    MapTemplate(
        "retail-purchase",
        "Buying online: discover, buy, receive, return; one persona, web, email and courier",
        "retail-purchase.yaml",
    ),
    MapTemplate(
        "saas-onboarding",
        "A software trial: sign up, set up, first value, subscribe, adopt; an admin and a team member",
        "saas-onboarding.yaml",
    ),
    MapTemplate(
        "support-case",
        "After the purchase: notice a problem, contact support, resolution; help centre, chat, phone, email",
        "support-case.yaml",
    ),
)


@dataclass(frozen=True)
class NewMapRequest:
    """What the user asked for; empty values keep the template's."""

    template: str = "blank"
    title: str | None = None
    map_id: str | None = None
    stages: Sequence[str] = ()
    personas: Sequence[str] = ()


def get_template(name: str) -> MapTemplate:
    """The template called ``name``; a UsageError naming the closest one otherwise."""
    for template in MAP_TEMPLATES:
        if template.name == name:
            return template
    names = [template.name for template in MAP_TEMPLATES]
    # A prefix ('retail') is the likeliest slip; difflib finds the typos.
    close = [n for n in names if name and n.startswith(name)] or difflib.get_close_matches(name, names, n=1)
    suggestion = f" (did you mean '{close[0]}'?)" if close else ""
    raise UsageError(
        f"unknown template '{name}'{suggestion}; templates: {', '.join(names)} (journeyctl new --list)"
    )


def load_template(template: MapTemplate) -> dict[str, Any]:
    """The template's map as plain data."""
    import yaml

    data: dict[str, Any] = yaml.safe_load((TEMPLATES / "maps" / template.file).read_text(encoding="utf-8"))
    return data


def slugify(text: str) -> str:
    """An id from a name: ``"Trial user (EU)"`` -> ``"trial-user-eu"``; empty when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-")


def _slug_for(name: str, what: str) -> str:
    slug = slugify(name)
    if not slug:
        raise UsageError(f"cannot make an id from {what} {name!r}: use letters or digits in it")
    return slug


def _unique(slugs: Iterable[str]) -> list[str]:
    """The slugs with repeats numbered (``a``, ``a-2``), since ids are unique per kind."""
    seen: set[str] = set()
    result = []
    for slug in slugs:
        candidate, number = slug, 2
        while candidate in seen:
            suffix = f"-{number}"
            candidate = slug[: SLUG_MAX - len(suffix)] + suffix
            number += 1
        seen.add(candidate)
        result.append(candidate)
    return result


def _nonempty(value: str, option: str) -> str:
    text = value.strip()
    if not text:
        raise UsageError(f"{option} must not be empty")
    return text


def build_map(request: NewMapRequest) -> dict[str, Any]:
    """The new map as plain data, in the template's key order."""
    template = get_template(request.template)
    data = load_template(template)
    if request.title is not None:
        data["title"] = _nonempty(request.title, "--title")
    if request.map_id is not None:
        if not SLUG.match(request.map_id) or len(request.map_id) > SLUG_MAX:
            raise UsageError(
                f"--id {request.map_id!r} is not an id: lowercase letters, digits, '-' and '_', "
                f"starting with a letter or digit, at most {SLUG_MAX} characters"
            )
        data["id"] = request.map_id
    elif request.title is not None:
        data["id"] = _slug_for(data["title"], "the title")
    if request.stages:
        data["stages"] = _chosen_stages(data["stages"], [_nonempty(s, "--stage") for s in request.stages])
        _drop_unused_channels(data)
    if request.personas:
        _replace_personas(data, [_nonempty(p, "--persona") for p in request.personas])
    return data


def _chosen_stages(template_stages: list[dict[str, Any]], names: list[str]) -> list[dict[str, Any]]:
    """A stage per name: the template's stage of that name or id (renamed), else an empty one."""
    by_key: dict[str, dict[str, Any]] = {}
    for stage in template_stages:
        by_key[stage["id"]] = stage
        by_key[str(stage["name"]).casefold()] = stage
    used: set[str] = set()
    stages = []
    for name, slug in zip(names, _unique(_slug_for(n, "the stage") for n in names), strict=True):
        match = by_key.get(name.casefold()) or by_key.get(slugify(name))
        if match is not None and match["id"] not in used:
            used.add(match["id"])
            stage = copy.deepcopy(match)
            stage["name"] = name
            stages.append(stage)
        else:
            stages.append({"id": slug, "name": name})
    # A new stage's id may equal a kept template stage's: number the later one.
    for stage, unique in zip(stages, _unique(stage["id"] for stage in stages), strict=True):
        stage["id"] = unique
    return stages


def _drop_unused_channels(data: dict[str, Any]) -> None:
    used = {tp["channel"] for stage in data["stages"] for tp in stage.get("touchpoints", [])}
    channels = [channel for channel in data.get("channels", []) if channel["id"] in used]
    if channels:
        data["channels"] = channels
    else:
        data.pop("channels", None)


def _replace_personas(data: dict[str, Any], names: list[str]) -> None:
    """The given personas in place of the template's; the template's i-th persona's steps go to the i-th."""
    ids = _unique(_slug_for(name, "the persona") for name in names)
    old_ids = [persona["id"] for persona in data.get("personas", [])]
    renamed = {old: ids[min(index, len(ids) - 1)] for index, old in enumerate(old_ids)}
    personas = [{"id": persona_id, "name": name} for persona_id, name in zip(ids, names, strict=True)]
    if "personas" in data:
        data["personas"] = personas
    else:
        # Where the format puts personas: after the map's metadata, before channels and stages.
        rebuilt: dict[str, Any] = {}
        for key, value in data.items():
            if key in ("channels", "stages") and "personas" not in rebuilt:
                rebuilt["personas"] = personas
            rebuilt[key] = value
        data.clear()
        data.update(rebuilt)
    for stage in data["stages"]:
        for step in stage.get("steps", []):
            if step.get("persona") in renamed:
                step["persona"] = renamed[step["persona"]]


def map_text(data: dict[str, Any], *, template: str, schema: str | None = None) -> str:
    """The new map's file text: a header saying where it came from and what to do next, then the map."""
    lines = []
    if schema is not None:
        lines.append(f"yaml-language-server: $schema={schema}")
    lines.append(f"Made with `journeyctl new {template}`: `journeyctl lint` on this file lists")
    lines.append("what is left to fill in (emotions, owners, goals, review date...), each with a hint.")
    return dump_map(data, header="\n".join(lines))
