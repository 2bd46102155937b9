"""The journey map format as pydantic models, and its JSON Schema.

The names below come from ``journey.py`` when first used, not when the package is
imported: the loader builds valid maps with ``plain.py`` and imports pydantic (and
the models) only for a map that needs it, and importing ``journeyctl.model.plain``
imports this package first.
"""

from __future__ import annotations

import typing

if typing.TYPE_CHECKING:
    from journeyctl.model.journey import (
        EMOTION_LABELS,
        EMOTION_MAX,
        EMOTION_MIN,
        FORMAT_VERSION,
        KNOWN_PHASES,
        Channel,
        Entity,
        Funnel,
        FunnelEntry,
        Insight,
        Journey,
        Metric,
        Opportunity,
        PainPoint,
        Persona,
        SharedDefinitions,
        Stage,
        Step,
        Touchpoint,
        dump,
        emotion_to_mermaid,
    )

__all__ = [
    "EMOTION_LABELS",
    "EMOTION_MAX",
    "EMOTION_MIN",
    "FORMAT_VERSION",
    "KNOWN_PHASES",
    "Channel",
    "Entity",
    "Funnel",
    "FunnelEntry",
    "Insight",
    "Journey",
    "Metric",
    "Opportunity",
    "PainPoint",
    "Persona",
    "SharedDefinitions",
    "Stage",
    "Step",
    "Touchpoint",
    "dump",
    "emotion_to_mermaid",
]


def __getattr__(name: str) -> typing.Any:
    if name in __all__:
        from journeyctl.model import journey

        value = getattr(journey, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
