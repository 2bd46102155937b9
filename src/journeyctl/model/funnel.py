"""The funnel's drops: how many customers each entry loses before the next, from counts or drop-offs."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from journeyctl.model.journey import FunnelEntry, Journey


class FunnelDrop(NamedTuple):
    """Customers lost at one funnel entry: between it and the next entry (or after the last one).

    ``share`` is the percent of those reaching ``entry`` who do not reach
    ``following``: the entry's own `drop-off` when it states one (``stated``),
    else computed from the two counts. ``lost`` is a number of customers when
    the counts allow it. A negative share means more customers reach the next
    entry than this one (they enter the journey in between).
    """

    entry: FunnelEntry
    following: FunnelEntry | None
    share: float
    lost: int | None
    stated: bool


def funnel_drops(journey: Journey) -> list[FunnelDrop]:
    """Every drop the funnel states or its counts imply, in funnel order; [] without a funnel."""
    funnel = journey.funnel
    if funnel is None:
        return []
    drops: list[FunnelDrop] = []
    entries = funnel.entries
    for index, entry in enumerate(entries):
        following = entries[index + 1] if index + 1 < len(entries) else None
        if entry.drop_off is not None:
            # In whole numbers (thousandths of a percent): a huge count times a float overflows.
            lost = entry.count * round(entry.drop_off * 1000) // 100_000 if entry.count is not None else None
            drops.append(FunnelDrop(entry, following, entry.drop_off, lost, stated=True))
        elif following is not None and entry.count and following.count is not None:
            lost = entry.count - following.count
            drops.append(FunnelDrop(entry, following, 100 * lost / entry.count, lost, stated=False))
    return drops


def biggest_drop(journey: Journey) -> FunnelDrop | None:
    """The drop that loses the largest share of customers (the first of equals), or None."""
    drops = [drop for drop in funnel_drops(journey) if drop.share > 0]
    if not drops:
        return None
    return max(drops, key=lambda drop: drop.share)
