"""Assembling a journey map from what an importer read: ids from names, one place for the format's rules.

Importers say what they found (a stage named "Go to work", a step taken by
"Me" and "Cat" with emotion +2, a touchpoint called "Website") and the builder
turns it into the format's plain data: slugged, unique ids (names kept as
written), personas and touchpoints defined once and referenced by id, keys in
the format's spelling. What the format can and cannot hold is decided here
only, so a format change (several personas per step, say) is a change to this
module, not to every importer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from journeyctl.importers import Notice
from journeyctl.location import Location

#: Longest id the builder makes (the format allows 80); cut at a word boundary.
MAX_ID_LENGTH = 60
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_LIST_MARKER = re.compile(r"^\s*(?:[-*•·▪◦]|\d+[.)])\s+")


def id_text(text: str) -> str:
    """What a step's id is made from: its action's first line, without a list marker.

    A spreadsheet cell often holds a numbered list of actions ("1. Receives the welcome email
    / 2. Sets up the laptop..."); its id is then the first action's, not "1-receives-...-2-sets".
    """
    first = next((line for line in text.split("\n") if line.strip()), text)
    return _LIST_MARKER.sub("", first)


def slug(text: str, fallback: str) -> str:
    """A format id for ``text``: ASCII, lowercase, words joined by '-'; ``fallback`` if nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(words) > MAX_ID_LENGTH:
        cut = words[:MAX_ID_LENGTH]
        words = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return words or fallback


class IdPool:
    """Unique ids of one kind: ``checkout``, then ``checkout-2``, ``checkout-3``..."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, text: str, fallback: str) -> str:
        base = slug(text, fallback)
        ident, number = base, 1
        while ident in self.taken:
            number += 1
            ident = f"{base}-{number}"
        self.taken.add(ident)
        return ident


@dataclass
class StageDraft:
    """A stage being built: its own keys, and its lists filled as the importer reads."""

    data: dict[str, Any]
    steps: list[dict[str, Any]] = field(default_factory=list)
    touchpoints: list[dict[str, Any]] = field(default_factory=list)
    pain_points: list[dict[str, Any]] = field(default_factory=list)
    opportunities: list[dict[str, Any]] = field(default_factory=list)


#: Channel names that say their kind (compared as slugs); any other name is of kind "other".
CHANNEL_KINDS = {
    **{kind: kind for kind in ("web", "app", "email", "sms", "social", "chat", "phone", "post", "partner")},
    "website": "web",
    "online": "web",
    "mobile-app": "app",
    "e-mail": "email",
    "text": "sms",
    "text-message": "sms",
    "text-messages": "sms",
    "live-chat": "chat",
    "call": "phone",
    "phone-call": "phone",
    "call-centre": "phone",
    "call-center": "phone",
    "store": "physical",
    "shop": "physical",
    "in-store": "physical",
    "in-person": "physical",
    "branch": "physical",
    "letter": "post",
    "mail": "post",
    "instagram": "social",
    "facebook": "social",
    "social-media": "social",
    "advert": "advertising",
    "ads": "advertising",
    "advertising": "advertising",
}

#: Placeholder channel for touchpoints whose source names no channel (the format requires one).
UNASSIGNED_CHANNEL = {"id": "unassigned", "name": "Channel not recorded yet", "kind": "other"}


class MapBuilder:
    """Collects stages, steps, personas and the rest; ``data()`` is the map's plain data."""

    def __init__(self, *, title: str, id_hint: str, summary: str | None = None) -> None:
        self.title = title.strip() or id_hint
        self.id_hint = id_hint
        self.summary = summary.strip() if summary and summary.strip() else None
        #: The map's own id, when the source names it (made a slug); else one is made of the title.
        self.ident: str | None = None
        #: The map's id, title and summary as a source gave them (first one wins), by attribute.
        self.taken_about: dict[str, str] = {}
        self.notices: list[Notice] = []
        self._personas: dict[str, str] = {}  # name -> id
        self._persona_ids = IdPool()
        self._stage_ids = IdPool()
        self._step_ids = IdPool()
        self._touchpoint_ids = IdPool()
        self._pain_point_ids = IdPool()
        self._opportunity_ids = IdPool()
        self._touchpoints: dict[str, str] = {}  # name (case-folded) -> id
        self._channels: dict[str, dict[str, Any]] = {}
        self._stages: list[StageDraft] = []
        self._step_actors: dict[str, tuple[list[str], Location]] = {}

    def notice(self, location: Location, message: str) -> None:
        self.notices.append(Notice(location, message))

    def persona(self, name: str) -> str:
        """The id of the persona called ``name`` (created on first use; the name is kept as written)."""
        name = " ".join(name.split())
        if name not in self._personas:
            self._personas[name] = self._persona_ids.claim(name, f"persona-{len(self._personas) + 1}")
        return self._personas[name]

    def channel(self, name: str) -> str:
        """The id of the channel called ``name``; its kind from its name ("Website": web), else other."""
        key = name.strip().casefold()
        if key not in self._channels:
            ident = slug(name, f"channel-{len(self._channels) + 1}")
            while any(c["id"] == ident for c in self._channels.values()):
                ident += "-2"
            kind = CHANNEL_KINDS.get(slug(name, ""), "other")
            self._channels[key] = {"id": ident, "name": name.strip(), "kind": kind}
        return str(self._channels[key]["id"])

    def stage(self, name: str, *, ident: str | None = None, phase: str | None = None) -> StageDraft:
        """A new stage (repeated names get their own ids)."""
        stage_id = self._stage_ids.claim(ident or name, f"stage-{len(self._stages) + 1}")
        data: dict[str, Any] = {"id": stage_id, "name": name.strip() or stage_id}
        if phase:
            data["phase"] = slug(phase, phase)
        stage = StageDraft(data)
        self._stages.append(stage)
        return stage

    def goal(self, stage: StageDraft, text: str) -> None:
        goals = stage.data.setdefault("goals", [])
        if text.strip() and text.strip() not in goals:
            goals.append(text.strip())

    def step(
        self,
        stage: StageDraft,
        action: str,
        *,
        where: Location,
        ident: str | None = None,
        personas: list[str] | None = None,
        emotion: int | None = None,
        thinking: str | None = None,
        feeling: str | None = None,
        touchpoints: list[str] | None = None,
        channel: str | None = None,
        blueprint: dict[str, list[str]] | None = None,
        emotions: dict[str, int] | None = None,
        details: dict[str, Any] | None = None,
    ) -> str:
        """Add a step; returns its id.

        ``personas`` are persona names, ``touchpoints`` touchpoint names (on
        ``channel`` when given), ``blueprint`` the frontstage/backstage/support lanes,
        ``emotions`` each persona's own score by persona name, ``details`` other
        keys of the step in the format's spelling (``kind``, ``duration``...).
        """
        step_id = self._step_ids.claim(
            ident or id_text(action), f"step-{sum(len(s.steps) for s in self._stages) + 1}"
        )
        step: dict[str, Any] = {"id": step_id, "action": action.strip()}
        names = [" ".join(name.split()) for name in personas or [] if name.strip()]
        ids = list(dict.fromkeys(self.persona(name) for name in names))
        self._step_actors[step_id] = (ids, where)  # resolved in data(), once every persona is known
        if thinking and thinking.strip():
            step["thinking"] = thinking.strip()
        if feeling and feeling.strip():
            step["feeling"] = feeling.strip()
        if emotion is not None:
            step["emotion"] = emotion
        refs = [self.touchpoint(stage, name, channel=channel) for name in touchpoints or [] if name.strip()]
        if refs:
            step["touchpoints"] = list(dict.fromkeys(refs))
        for lane, items in (blueprint or {}).items():
            if items:
                step[lane] = items
        if emotions:
            step["emotions"] = {self.persona(name): value for name, value in emotions.items()}
        step.update(
            {key: value for key, value in (details or {}).items() if value not in (None, "", [], False)}
        )
        stage.steps.append(step)
        return step_id

    def touchpoint(self, stage: StageDraft, name: str, *, channel: str | None = None) -> str:
        """The id of the touchpoint called ``name``: defined in the first stage that uses it."""
        key = " ".join(name.split()).casefold()
        if key not in self._touchpoints:
            ident = self._touchpoint_ids.claim(name, f"touchpoint-{len(self._touchpoints) + 1}")
            channel_id = self.channel(channel) if channel and channel.strip() else UNASSIGNED_CHANNEL["id"]
            stage.touchpoints.append({"id": ident, "name": " ".join(name.split()), "channel": channel_id})
            self._touchpoints[key] = ident
        return self._touchpoints[key]

    def pain_point(
        self, stage: StageDraft, description: str, *, step: str | None = None, severity: str | None = None
    ) -> str:
        ident = self._pain_point_ids.claim(description, f"pain-point-{len(self._pain_point_ids.taken) + 1}")
        item: dict[str, Any] = {"id": ident, "description": description.strip()}
        if severity is not None:
            item["severity"] = severity
        if step is not None:
            item["step"] = step
        stage.pain_points.append(item)
        return ident

    def opportunity(self, stage: StageDraft, description: str, *, addresses: list[str] | None = None) -> str:
        ident = self._opportunity_ids.claim(
            description, f"opportunity-{len(self._opportunity_ids.taken) + 1}"
        )
        item: dict[str, Any] = {"id": ident, "description": description.strip()}
        if addresses:
            item["addresses"] = list(addresses)
        stage.opportunities.append(item)
        return ident

    def _step_personas(self, step: dict[str, Any]) -> dict[str, Any]:
        """``persona`` for one actor, ``personas`` for several, nothing for every persona of the map.

        Naming every persona, in the map's order, is what leaving them out
        means, and the exports write such a step that way; in another order
        they are kept as written, so that the step reads back the same.
        """
        ids, _ = self._step_actors[step["id"]]
        if not ids or (len(ids) > 1 and ids == list(self._personas.values())):
            return step
        if len(ids) == 1:
            return {**step, "persona": ids[0]}
        return {**step, "personas": ids}

    def data(self) -> dict[str, Any]:
        """The map as plain data (keys in any order: fmt puts them in the canonical one)."""
        map_id = slug(self.ident or self.title, slug(self.title, slug(self.id_hint, "imported-journey")))
        journey: dict[str, Any] = {"journeyctl": 1, "id": map_id, "title": self.title}
        if self.summary:
            journey["summary"] = self.summary
        if self._personas:
            journey["personas"] = [{"id": ident, "name": name} for name, ident in self._personas.items()]
        channels = list(self._channels.values())
        uses_unassigned = any(
            t["channel"] == UNASSIGNED_CHANNEL["id"] for stage in self._stages for t in stage.touchpoints
        )
        if uses_unassigned:
            channels.append(dict(UNASSIGNED_CHANNEL))
        if channels:
            journey["channels"] = channels
        stages = []
        for stage in self._stages:
            item = dict(stage.data)
            steps = [self._step_personas(step) for step in stage.steps]
            for key, values in (
                ("touchpoints", stage.touchpoints),
                ("steps", steps),
                ("pain-points", stage.pain_points),
                ("opportunities", stage.opportunities),
            ):
                if values:
                    item[key] = values
            stages.append(item)
        journey["stages"] = stages
        return journey
