"""Generate a deterministic corpus of realistic journey maps for the benchmarks.

    python benchmarks/make_corpus.py OUT --maps 1000 [--stages S] [--steps K] [--seed X]
    python benchmarks/make_corpus.py OUT --maps 1 --stages 500 --steps 5      # the ~1 MB map
    python benchmarks/make_corpus.py NEW.yaml --mutate-from OLD.yaml --edits 300 [--seed X]

Maps are written as ``OUT/<domain>/<map-id>.yaml`` with ``OUT/MANIFEST.json``
listing the files, the parameters and which maps carry deliberate lint defects
(20% by default, ``--defect-share``). The same arguments give byte-identical
files: all randomness comes from ``random.Random(seed)``, lists are walked in
order, and nothing reads the clock.

Maps are valid (``journeyctl validate`` passes) and, except the defective ones,
meant to lint clean under the recommended preset: every stage has goals,
touchpoints and steps; every touchpoint, channel and persona is used; every
negative emotion has a pain point on that step, every pain point an
opportunity; metrics meet their targets; owners are set. Files are also clean
under yamllint's default configuration so that its timing is not inflated by
printing warnings.

With ``--mutate-from``, OUT is a file: the second version of a map with
``--edits`` scattered semantic edits (emotions, texts, owners, metric values,
steps moved, reordered, added and removed, pain points and opportunities added
and dropped), for the diff benchmark.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import random
import re
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus_text as text

GENERATOR_VERSION = 2
DEFAULT_SEED = 20240601
DEFAULT_DEFECT_SHARE = 0.2
REVIEWED_DATES = ("2026-08-04", "2026-08-19", "2026-09-02", "2026-09-15", "2026-10-01", "2026-10-20")
WIDTH = 80

Node = dict[str, Any]

# ---------------------------------------------------------------------------------------------
# Text helpers


#: Words left out of ids made from sentences, so ids read like names ("compares-prices-lamp").
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "for",
        "to",
        "on",
        "in",
        "at",
        "by",
        "with",
        "and",
        "or",
        "is",
        "are",
        "be",
        "it",
        "its",
        "this",
        "that",
        "their",
        "they",
        "them",
        "from",
        "as",
        "about",
        "into",
        "after",
        "before",
        "while",
        "than",
        "so",
        "not",
        "no",
    ]
)


def slugify(words: str, limit: int = 40) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "item"


class Ids:
    """Hands out slugs unique per entity kind across one map, as the format requires."""

    def __init__(self) -> None:
        self.used: dict[str, set[str]] = {}

    def new(self, kind: str, words: str, limit: int = 40) -> str:
        used = self.used.setdefault(kind, set())
        base = slugify(words, limit)
        candidate, number = base, 2
        while candidate in used:
            candidate = f"{base}-{number}"
            number += 1
        used.add(candidate)
        return candidate


class Filler:
    """Fills template slots with one map's domain nouns."""

    def __init__(self, domain: text.Domain, company: str, rng: random.Random) -> None:
        self.domain = domain
        self.company = company
        self.rng = rng

    def __call__(self, template: str, **extra: str) -> str:
        values = {
            "company": self.company,
            "product": self.domain.product,
            "item": self.rng.choice(self.domain.items),
            "place": self.rng.choice(self.domain.places),
            "verb": self.rng.choice(text.VERBS),
            "channel_name": "the website",
        }
        values.update(extra)
        result = template.format(**values)
        return result[0].upper() + result[1:]


def stable_pick(options: tuple[str, ...], key: str) -> str:
    """A choice that depends only on ``key``, so re-emitting a map keeps its comments."""
    return options[zlib.crc32(key.encode("utf-8")) % len(options)]


def stable_hit(key: str, one_in: int) -> bool:
    return zlib.crc32(("c:" + key).encode("utf-8")) % one_in == 0


# ---------------------------------------------------------------------------------------------
# Map generation


def phase_plan(stages: int, rng: random.Random) -> list[str]:
    """Phases for ``stages`` stages in journey order, each phase present when there is room."""
    if stages == 1:
        return ["after-purchase"]
    if stages == 2:
        return ["purchase", "after-purchase"]
    before = max(1, round(stages * rng.uniform(0.25, 0.4)))
    purchase = max(1, round(stages * rng.uniform(0.15, 0.25)))
    after = max(1, stages - before - purchase)
    plan = ["before-purchase"] * before + ["purchase"] * purchase + ["after-purchase"] * after
    return plan[:stages]


def emotion_walk(count: int, rng: random.Random) -> list[int]:
    """A plausible emotion curve: mostly neutral to positive, no jump of more than two points."""
    values: list[int] = []
    for _ in range(count):
        value = rng.choices((-2, -1, 0, 1, 2), weights=(2, 8, 32, 38, 20))[0]
        if values:
            value = max(values[-1] - 2, min(values[-1] + 2, value))
        values.append(value)
    return values


def action_key(action: str) -> str:
    """An action as the duplicate-step-action rule compares them: case, spacing, end punctuation."""
    return " ".join(action.casefold().split()).rstrip(".!?;: ")


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def content_words(sentence: str, count: int) -> str:
    words = [w for w in re.split(r"[^A-Za-z0-9]+", sentence.lower()) if w and w not in STOPWORDS]
    return " ".join(words[:count])


def make_map(index: int, rng: random.Random, stages: int | None, steps: int | None) -> tuple[str, Node]:
    """One journey map as plain data in the format's key order; returns (domain name, map)."""
    domain = text.DOMAINS[index % len(text.DOMAINS)]
    company = rng.choice(domain.companies)
    fill = Filler(domain, company, rng)
    ids = Ids()
    journey_name = rng.choice(domain.journeys)
    stage_count = stages if stages is not None else rng.randint(4, 8)

    persona_count = min(len(domain.personas), rng.randint(2, 4))
    personas: list[Node] = []
    for name, role, description, goals, quote in rng.sample(domain.personas, persona_count):
        persona: Node = {
            "id": ids.new("persona", name),
            "name": name,
            "role": role,
            "description": description,
            "goals": list(goals),
        }
        if rng.random() < 0.4:
            persona["quote"] = quote
        personas.append(persona)

    touchpoint_counts = [rng.choices((2, 3), weights=(65, 35))[0] for _ in range(stage_count)]
    channel_count = min(len(domain.channels), rng.randint(4, 8), sum(touchpoint_counts))
    channel_specs = rng.sample(domain.channels, channel_count)
    channels: list[Node] = []
    for channel_id, channel_name, kind in channel_specs:
        channels.append({"id": ids.new("channel", channel_id), "name": channel_name, "kind": kind})

    map_id = ids.new("map", f"{domain.name} {journey_name} {index + 1:04d}", limit=80)
    journey: Node = {
        "journeyctl": 1,
        "id": map_id,
        "title": f"{journey_name} at {company}",
        "summary": fill(
            rng.choice(text.SUMMARIES),
            persona=personas[0]["name"].lower(),
            journey_lower=journey_name.lower(),
        ),
        "state": "current",
        "owner": rng.choice(domain.teams),
        "reviewed": rng.choice(REVIEWED_DATES),
        "tags": [domain.name, *sorted(rng.sample(text.TAGS, rng.randint(1, 2)))],
        "personas": personas,
        "channels": channels,
        "stages": [],
    }

    plan = phase_plan(stage_count, rng)
    touchpoint_number = 0
    persona_cursor = 0
    actions_used: set[str] = set()
    for s, phase in enumerate(plan):
        stage_name = rng.choice(text.STAGES[phase])
        if stage_count > 20:  # the large map repeats stage names; number them to stay readable
            stage_name = f"{stage_name} {s + 1}"
        stage: Node = {
            "id": ids.new("stage", stage_name),
            "name": stage_name,
            "phase": phase,
        }
        if rng.random() < 0.35:
            stage["description"] = fill(rng.choice(text.STAGE_DESCRIPTIONS), channel_name=channels[0]["name"])
        stage["goals"] = [fill(g) for g in rng.sample(text.STAGE_GOALS[phase], rng.choice((1, 1, 1, 2)))]
        touchpoints: list[Node] = []
        for _ in range(touchpoint_counts[s]):
            # The first touchpoints take each channel in turn so that every channel is used.
            channel = (
                channels[touchpoint_number % len(channels)]
                if touchpoint_number < len(channels)
                else rng.choice(channels)
            )
            touchpoint_number += 1
            name = fill(rng.choice(text.TOUCHPOINT_NAMES))
            touchpoint: Node = {
                "id": ids.new("touchpoint", name),
                "name": name,
                "channel": channel["id"],
                "owner": rng.choice(domain.teams),
            }
            if rng.random() < 0.15:
                touchpoint["moment-of-truth"] = True
            if rng.random() < 0.1:
                touchpoint["description"] = rng.choice(text.TOUCHPOINT_DESCRIPTIONS)
            touchpoints.append(touchpoint)
        stage["touchpoints"] = touchpoints

        step_count = steps if steps is not None else rng.randint(3, 5)
        emotions = emotion_walk(step_count, rng)
        stage_steps: list[Node] = []
        for k in range(step_count):
            action = ""
            for _ in range(20):
                template = rng.choice(text.ACTIONS[phase])
                action = fill(template, channel_name=rng.choice(channels)["name"])
                if rng.random() < 0.15:
                    action += rng.choice(text.ACTION_QUALIFIERS)
                if action_key(action) not in actions_used:
                    break
            if action_key(action) in actions_used:
                # A large map runs out of distinct sentences. Say where the repeat happens, as
                # the duplicate-step-action rule asks of a real map, so large maps lint clean.
                base, number = f"{action} in {stage_name.lower()}", 2
                action = base
                while action_key(action) in actions_used:
                    action, number = f"{base}, for the {ordinal(number)} time", number + 1
            actions_used.add(action_key(action))
            emotion = emotions[k]
            used = [touchpoints[k % len(touchpoints)]["id"]]
            if rng.random() < 0.15:
                extra = rng.choice(touchpoints)["id"]
                if extra not in used:
                    used.append(extra)
            step: Node = {"id": ids.new("step", content_words(action, 3), limit=24), "action": action}
            if persona_cursor < len(personas):  # every persona takes at least one step
                step["persona"] = personas[persona_cursor]["id"]
                persona_cursor += 1
            elif rng.random() < 0.3:
                step["persona"] = rng.choice(personas)["id"]
            step["touchpoints"] = used
            if rng.random() < 0.2:
                thoughts = [t for e, t in text.THOUGHTS if abs(e - emotion) <= 1]
                step["thinking"] = fill(rng.choice(thoughts))
            if rng.random() < 0.6:
                step["feeling"] = rng.choice(text.FEELINGS[emotion])
            step["emotion"] = emotion
            if rng.random() < 0.1:
                step["frontstage"] = [rng.choice(text.FRONTSTAGE)]
            if rng.random() < 0.12:
                step["backstage"] = rng.sample(text.BACKSTAGE, rng.randint(1, 2))
            if rng.random() < 0.1:
                step["support"] = rng.sample(domain.support_systems, rng.randint(1, 2))
            stage_steps.append(step)
        stage["steps"] = stage_steps

        pain_points: list[Node] = []
        for step in stage_steps:
            negative = step["emotion"] < 0
            if not negative and rng.random() > 0.03:
                continue
            description = fill(rng.choice(text.PAINS))
            severity = {-2: "high", -1: "medium"}.get(step["emotion"], "low")
            pain: Node = {
                "id": ids.new("pain", content_words(description, 3)),
                "description": description,
                "severity": severity,
                "touchpoint": step["touchpoints"][0],
                "step": step["id"],
                "owner": rng.choice(domain.teams),
            }
            if rng.random() < 0.25:
                pain["evidence"] = rng.choice(text.EVIDENCE)
            pain_points.append(pain)
        if pain_points:
            stage["pain-points"] = pain_points
            opportunities: list[Node] = []
            for pain in pain_points:
                if opportunities and rng.random() < 0.2:  # one idea sometimes fixes two problems
                    opportunities[-1]["addresses"].append(pain["id"])
                    continue
                description = fill(rng.choice(text.OPPORTUNITIES))
                opportunity: Node = {
                    "id": ids.new("opportunity", content_words(description, 3)),
                    "description": description,
                    "addresses": [pain["id"]],
                    "owner": rng.choice(domain.teams),
                }
                if rng.random() < 0.4:
                    opportunity["impact"] = rng.choice(("low", "medium", "high"))
                    opportunity["effort"] = rng.choice(("low", "medium", "high"))
                opportunity["status"] = rng.choice(("idea", "planned", "in-progress"))
                opportunities.append(opportunity)
            stage["opportunities"] = opportunities

        metrics: list[Node] = []
        for name, unit, better, low, high in rng.sample(
            text.METRICS, rng.choices((0, 1, 2), weights=(3, 6, 1))[0]
        ):
            target = round(rng.uniform(low, high), 1)
            margin = round(abs(target) * rng.uniform(0.0, 0.15), 1)
            value = target + margin if better == "higher" else target - margin
            metric: Node = {
                "id": ids.new("metric", content_words(name, 2)),
                "name": name,
                "value": round(value, 1),
                "target": target,
                "unit": unit,
            }
            if better == "lower":
                metric["better"] = "lower"
            if rng.random() < 0.35:
                metric["source"] = rng.choice(text.METRIC_SOURCES)
            metrics.append(metric)
        if metrics:
            stage["metrics"] = metrics
        journey["stages"].append(stage)
    return domain.name, journey


# ---------------------------------------------------------------------------------------------
# Deliberate defects, each one a gap that a lint rule of the recommended preset reports


def defect_stage_without_touchpoints(journey: Node, rng: random.Random, ids: Ids) -> None:
    stage = rng.choice(journey["stages"])
    removed = {t["id"] for t in stage.pop("touchpoints", [])}
    for step in stage["steps"]:
        step["touchpoints"] = [t for t in step.get("touchpoints", []) if t not in removed]
        if not step["touchpoints"]:
            del step["touchpoints"]
    for pain in stage.get("pain-points", []):
        if pain.get("touchpoint") in removed:
            del pain["touchpoint"]


def defect_pain_point_without_opportunity(journey: Node, rng: random.Random, ids: Ids) -> None:
    stage = rng.choice(journey["stages"])
    step = rng.choice(stage["steps"])
    description = "Customers cannot find out who to contact when this goes wrong"
    stage.setdefault("pain-points", []).append(
        {
            "id": ids.new("pain", "no contact route"),
            "description": description,
            "severity": "medium",
            "step": step["id"],
            "owner": journey["owner"],
        }
    )


def defect_unused_persona(journey: Node, rng: random.Random, ids: Ids) -> None:
    journey["personas"].append(
        {
            "id": ids.new("persona", "occasional visitor"),
            "name": "Occasional visitor",
            "description": "Added in a workshop; no step uses this persona yet.",
            "goals": ["Get in and out quickly"],
        }
    )


def defect_step_without_emotion(journey: Node, rng: random.Random, ids: Ids) -> None:
    stage = rng.choice(journey["stages"])
    candidates = [s for s in stage["steps"] if s.get("emotion", 0) >= 0] or stage["steps"]
    step = rng.choice(candidates)
    step.pop("emotion", None)
    step.pop("feeling", None)


def defect_opportunity_without_pain_point(journey: Node, rng: random.Random, ids: Ids) -> None:
    stage = rng.choice(journey["stages"])
    stage.setdefault("opportunities", []).append(
        {
            "id": ids.new("opportunity", "chatbot everywhere"),
            "description": "Add a chatbot to every page",
            "owner": journey["owner"],
            "status": "idea",
        }
    )


def defect_pain_point_without_owner(journey: Node, rng: random.Random, ids: Ids) -> None:
    pains = [p for stage in journey["stages"] for p in stage.get("pain-points", [])]
    if not pains:
        defect_pain_point_without_opportunity(journey, rng, ids)
        pains = [p for stage in journey["stages"] for p in stage.get("pain-points", [])]
    rng.choice(pains).pop("owner", None)


DEFECTS: dict[str, Callable[[Node, random.Random, Ids], None]] = {
    "stage-without-touchpoints": defect_stage_without_touchpoints,
    "pain-point-without-opportunity": defect_pain_point_without_opportunity,
    "unused-persona": defect_unused_persona,
    "step-without-emotion": defect_step_without_emotion,
    "opportunity-without-pain-point": defect_opportunity_without_pain_point,
    "pain-point-without-owner": defect_pain_point_without_owner,
}


def ids_of(journey: Node) -> Ids:
    """The ids already used in a map, so that additions stay unique."""
    ids = Ids()
    ids.used["persona"] = {p["id"] for p in journey.get("personas", [])}
    ids.used["channel"] = {c["id"] for c in journey.get("channels", [])}
    ids.used["stage"] = {s["id"] for s in journey["stages"]}
    for kind, key in (
        ("touchpoint", "touchpoints"),
        ("step", "steps"),
        ("pain", "pain-points"),
        ("opportunity", "opportunities"),
        ("metric", "metrics"),
    ):
        ids.used[kind] = {item["id"] for stage in journey["stages"] for item in stage.get(key, [])}
    return ids


# ---------------------------------------------------------------------------------------------
# YAML emission (by hand, to control layout and comments; yamllint-clean by default config)

_PLAIN = re.compile(r"[A-Za-z0-9(][A-Za-z0-9 ,.'()/?!%&+_-]*\Z")
_RESERVED = re.compile(
    r"(?i)(y|n|yes|no|on|off|true|false|null|~)\Z|[-+]?[0-9.][0-9_.:eE+-]*\Z|0x|0o|[-+]?\.(inf|nan)\Z"
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")


def scalar(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if _DATE.match(text):  # plain, as people write dates; the loader reads it as text
        return text
    if _PLAIN.match(text) and not _RESERVED.match(text) and " #" not in text and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def wrap(words: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in words.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return lines


def emit_value(lines: list[str], prefix: str, value: Any, indent: int, comment: str = "") -> None:
    """``prefix`` (``key:`` or ``-``) and a scalar, folded over lines when it is long."""
    rendered = scalar(value)
    line = f"{prefix} {rendered}"
    if comment:
        line += f"  # {comment}"
    if len(line) <= WIDTH or not isinstance(value, str):
        lines.append(line)
        return
    lines.append(f"{prefix} >-")
    pad = " " * (indent + 2)
    lines.extend(pad + part for part in wrap(value, WIDTH - indent - 2))


def flow_mapping(item: Node) -> str:
    return "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in item.items()) + "}"


def emit_mapping(
    lines: list[str],
    node: Node,
    indent: int,
    first_prefix: str | None = None,
    comments: Callable[[Node, str], str] | None = None,
) -> None:
    pad = " " * indent
    for number, (key, value) in enumerate(node.items()):
        lead = first_prefix if number == 0 and first_prefix is not None else pad
        comment = comments(node, key) if comments else ""
        if isinstance(value, list):
            if not value:
                continue
            if all(isinstance(v, str) and _SLUG.match(v) for v in value):
                flow = f"{lead}{key}: [{', '.join(value)}]"
                if len(flow) <= WIDTH:
                    lines.append(flow)
                    continue
            lines.append(f"{lead}{key}:")
            for item in value:
                if isinstance(item, dict):
                    emit_item(lines, key, item, indent + 2, comments)
                else:
                    emit_value(lines, f"{pad}  -", item, indent + 2)
        elif isinstance(value, dict):
            lines.append(f"{lead}{key}:")
            emit_mapping(lines, value, indent + 2, comments=comments)
        else:
            emit_value(lines, f"{lead}{key}:", value, indent, comment)


def emit_item(
    lines: list[str], key: str, item: Node, indent: int, comments: Callable[[Node, str], str] | None
) -> None:
    pad = " " * indent
    if key == "channels":  # short records read best on one line, as in the format's examples
        flow = f"{pad}- {flow_mapping(item)}"
        if len(flow) <= WIDTH:
            lines.append(flow)
            return
    emit_mapping(lines, item, indent + 2, first_prefix=f"{pad}- ", comments=comments)


def inline_comment(node: Node, key: str) -> str:
    ident = str(node.get("id", ""))
    if key == "emotion" and stable_hit(ident, 6):
        return stable_pick(text.INLINE_COMMENTS, ident)
    if key == "value" and stable_hit(ident, 4):
        return stable_pick(text.INLINE_COMMENTS, ident + "v")
    return ""


def emit_map(journey: Node) -> str:
    """The map as YAML text; a function of the data only (so re-emitting is lossless)."""
    lines = [
        f"# {journey['title']}",
        f"# Owner: {journey.get('owner', 'unassigned')}. Reviewed with the team at every quarterly",
        "# journey review; raise changes as a pull request.",
        "---",
    ]
    top = {k: v for k, v in journey.items() if k not in ("personas", "channels", "stages")}
    emit_mapping(lines, top, 0)
    for section in ("personas", "channels"):
        if journey.get(section):
            lines.append("")
            emit_mapping(lines, {section: journey[section]}, 0)
    lines.append("")
    lines.append("stages:")
    total = len(journey["stages"])
    for number, stage in enumerate(journey["stages"], 1):
        if number > 1:
            lines.append("")
        phase = stage.get("phase", "no phase")
        lines.append(f"  # Stage {number} of {total}: {stage['name']} ({phase})")
        emit_mapping(lines, stage, 4, first_prefix="  - ", comments=inline_comment)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Corpus and mutation


def generator_fingerprint() -> str:
    """Changes whenever this generator or its word lists change, so stale corpora are rebuilt."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in ("make_corpus.py", "corpus_text.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def make_corpus(
    out: Path,
    maps: int,
    stages: int | None,
    steps: int | None,
    seed: int,
    defect_share: float = DEFAULT_DEFECT_SHARE,
) -> dict[str, Any]:
    """Write the maps and MANIFEST.json under ``out``; returns the manifest."""
    rng = random.Random(seed)
    defect_count = round(maps * defect_share)
    defective = set(rng.sample(range(maps), defect_count))
    files: list[str] = []
    defects: dict[str, list[str]] = {}
    total_bytes = 0
    for index in range(maps):
        map_rng = random.Random(f"{seed}:{index}")
        domain, journey = make_map(index, map_rng, stages, steps)
        relative = f"{domain}/{journey['id']}.yaml"
        if index in defective:
            kinds = sorted(map_rng.sample(sorted(DEFECTS), map_rng.randint(1, 3)))
            ids = ids_of(journey)
            for kind in kinds:
                DEFECTS[kind](journey, map_rng, ids)
            defects[relative] = kinds
        data = emit_map(journey).encode("utf-8")
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        files.append(relative)
        total_bytes += len(data)
    manifest: dict[str, Any] = {
        "generator": GENERATOR_VERSION,
        "fingerprint": generator_fingerprint(),
        "parameters": {
            "maps": maps,
            "stages": stages,
            "steps": steps,
            "seed": seed,
            "defect_share": defect_share,
        },
        "maps": maps,
        "total_bytes": total_bytes,
        "average_bytes": round(total_bytes / maps) if maps else 0,
        "maps_with_defects": len(defects),
        "files": files,
        "defects": defects,
    }
    (out / "MANIFEST.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def load_generated(path: Path) -> Node:
    """A generated map back as plain data (dates as text), through the project's loader rules."""
    from journeyctl.yamlsource import parse

    document, _ = parse(path.read_bytes(), str(path), max_size=None)
    if not isinstance(document, dict):
        raise SystemExit(f"{path}: not a journey map")
    return document


def all_steps(journey: Node) -> Iterator[tuple[Node, Node]]:
    for stage in journey["stages"]:
        for step in stage.get("steps", []):
            yield stage, step


def mutate(journey: Node, edits: int, rng: random.Random) -> list[str]:
    """Apply ``edits`` scattered semantic edits in place; returns their kinds, in order."""
    ids = ids_of(journey)
    domain = next((d for d in text.DOMAINS if d.name in journey.get("tags", [])), text.DOMAINS[0])
    fill = Filler(domain, journey["title"].split(" at ")[-1], rng)
    done: list[str] = []

    def change_emotion() -> None:
        _, step = rng.choice(list(all_steps(journey)))
        old = step.get("emotion", 0)
        move = rng.choice((-1, 1))
        step["emotion"] = old + move if -2 <= old + move <= 2 else old - move

    def change_action() -> None:
        _, step = rng.choice(list(all_steps(journey)))
        step["action"] = step["action"] + rng.choice((" again", " on a tablet", " with help"))

    def rename_stage() -> None:
        stage = rng.choice(journey["stages"])
        stage["name"] = stage["name"] + " (revised)"

    def change_metric() -> None:
        stage = rng.choice([s for s in journey["stages"] if s.get("metrics")])
        metric = rng.choice(stage["metrics"])
        metric["value"] = round(metric["value"] * rng.uniform(0.8, 1.2), 1)

    def change_owner() -> None:
        stage = rng.choice(journey["stages"])
        touchpoint = rng.choice(stage["touchpoints"]) if stage.get("touchpoints") else None
        if touchpoint is not None:
            touchpoint["owner"] = rng.choice(domain.teams)

    def move_step() -> None:
        source, target = rng.sample(journey["stages"], 2)
        if len(source.get("steps", [])) > 1:
            step = source["steps"].pop(rng.randrange(len(source["steps"])))
            target.setdefault("steps", []).insert(rng.randrange(len(target["steps"]) + 1), step)

    def reorder_steps() -> None:
        stage = rng.choice(journey["stages"])
        if len(stage.get("steps", [])) > 1:
            a, b = rng.sample(range(len(stage["steps"])), 2)
            stage["steps"][a], stage["steps"][b] = stage["steps"][b], stage["steps"][a]

    def add_pain_point() -> None:
        stage, step = rng.choice(list(all_steps(journey)))
        description = fill(rng.choice(text.PAINS))
        pain = {
            "id": ids.new("pain", content_words(description, 3)),
            "description": description,
            "severity": rng.choice(("low", "medium", "high")),
            "step": step["id"],
            "owner": rng.choice(domain.teams),
        }
        stage.setdefault("pain-points", []).append(pain)
        if rng.random() < 0.6:
            idea = fill(rng.choice(text.OPPORTUNITIES))
            stage.setdefault("opportunities", []).append(
                {
                    "id": ids.new("opportunity", content_words(idea, 3)),
                    "description": idea,
                    "addresses": [pain["id"]],
                    "owner": rng.choice(domain.teams),
                    "status": "idea",
                }
            )

    def drop_opportunity() -> None:
        stages = [s for s in journey["stages"] if s.get("opportunities")]
        if stages:
            stage = rng.choice(stages)
            stage["opportunities"].pop(rng.randrange(len(stage["opportunities"])))
            if not stage["opportunities"]:
                del stage["opportunities"]

    def resolve_pain_point() -> None:
        stages = [s for s in journey["stages"] if s.get("pain-points")]
        if not stages:
            return
        stage = rng.choice(stages)
        pain = stage["pain-points"].pop(rng.randrange(len(stage["pain-points"])))
        for other in journey["stages"]:
            for opportunity in other.get("opportunities", []):
                if pain["id"] in opportunity.get("addresses", []):
                    opportunity["addresses"].remove(pain["id"])
                    opportunity["status"] = "done"
        if not stage["pain-points"]:
            del stage["pain-points"]

    def add_step() -> None:
        stage = rng.choice(journey["stages"])
        phase = stage.get("phase", "after-purchase")
        action = fill(rng.choice(text.ACTIONS.get(phase, text.ACTIONS["after-purchase"])))
        step: Node = {"id": ids.new("step", "new " + content_words(action, 2)), "action": action}
        if stage.get("touchpoints"):
            step["touchpoints"] = [rng.choice(stage["touchpoints"])["id"]]
        step["emotion"] = rng.choice((0, 1))
        stage.setdefault("steps", []).insert(rng.randrange(len(stage.get("steps", [])) + 1), step)

    def remove_step() -> None:
        stage = rng.choice([s for s in journey["stages"] if len(s.get("steps", [])) > 1])
        step = stage["steps"].pop(rng.randrange(len(stage["steps"])))
        for other in journey["stages"]:
            for pain in other.get("pain-points", []):
                if pain.get("step") == step["id"]:
                    del pain["step"]

    operations: tuple[tuple[Callable[[], None], int], ...] = (
        (change_emotion, 8),
        (change_action, 4),
        (rename_stage, 2),
        (change_metric, 4),
        (change_owner, 3),
        (move_step, 2),
        (reorder_steps, 2),
        (add_pain_point, 3),
        (drop_opportunity, 1),
        (resolve_pain_point, 1),
        (add_step, 2),
        (remove_step, 1),
    )
    functions = [op for op, _ in operations]
    weights = [w for _, w in operations]
    for _ in range(edits):
        operation = rng.choices(functions, weights=weights)[0]
        operation()
        done.append(operation.__name__)
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="output directory (or file, with --mutate-from)")
    parser.add_argument("--maps", type=int, default=1000, help="number of maps (default 1000)")
    parser.add_argument("--stages", type=int, help="stages per map (default: 4 to 8 at random)")
    parser.add_argument("--steps", type=int, help="steps per stage (default: 3 to 5 at random)")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--defect-share",
        type=float,
        default=DEFAULT_DEFECT_SHARE,
        help="share of maps given lint defects (default 0.2)",
    )
    parser.add_argument(
        "--mutate-from",
        type=Path,
        metavar="FILE",
        help="write a second version of FILE with --edits scattered edits to OUT",
    )
    parser.add_argument("--edits", type=int, default=300, help="edits for --mutate-from (default 300)")
    args = parser.parse_args(argv)
    if args.mutate_from is not None:
        journey = load_generated(args.mutate_from)
        original = emit_map(journey)
        if original != args.mutate_from.read_text(encoding="utf-8"):
            print(
                f"note: {args.mutate_from} is not byte-identical when re-emitted; "
                "the diff will also show layout changes",
                file=sys.stderr,
            )
        changed = copy.deepcopy(journey)
        kinds = mutate(changed, args.edits, random.Random(args.seed))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(emit_map(changed), encoding="utf-8")
        summary = {kind: kinds.count(kind) for kind in sorted(set(kinds))}
        print(f"wrote {args.out}: {len(kinds)} edits {json.dumps(summary)}")
        return 0
    if (
        args.maps < 1
        or (args.stages is not None and args.stages < 1)
        or (args.steps is not None and args.steps < 1)
    ):
        parser.error("--maps, --stages and --steps must be at least 1")
    args.out.mkdir(parents=True, exist_ok=True)
    manifest = make_corpus(args.out, args.maps, args.stages, args.steps, args.seed, args.defect_share)
    print(
        f"wrote {manifest['maps']} maps to {args.out} ({manifest['total_bytes']:,} bytes, "
        f"average {manifest['average_bytes']:,}; {manifest['maps_with_defects']} with defects)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
