"""Segments: a run cut at each split, for personal-best comparison and sum of best.

A speedrun's segments come in a fixed order. Here the order is the route of the reference
run (the personal best): its objectives in the order it met them, then the mission's end.
Another run that met the objectives in a different order has no comparable time for the
segments it took out of order, so those are left out rather than counted negative.

As in LiveSplit, an attempt that did not finish (a lost or abandoned mission: a reset)
still ran the segments it completed, so those count towards the best segments; a run that
won outside the category (say with Brimob, for Cooling%) does not count at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from command_game.speedrun.store import RunRecord

END = "__end__"  # the final segment: from the last objective to the mission's end


@dataclass(frozen=True)
class SegmentTimes:
    """One run's times along a route: cumulative ticks and per-segment ticks (or None)."""

    split_ticks: tuple[int | None, ...]
    segment_ticks: tuple[int | None, ...]


def route_of(run: RunRecord) -> tuple[str, ...]:
    return tuple(s.objective for s in run.splits) + (END,)


def times_along(run: RunRecord, route: Sequence[str]) -> SegmentTimes:
    met = {s.objective: s.tick for s in run.splits}
    cumulative = [run.game_ticks if name == END else met.get(name) for name in route]
    segments: list[int | None] = []
    previous: int | None = 0
    for tick in cumulative:
        if tick is None or previous is None or tick < previous:
            segments.append(None)
        else:
            segments.append(tick - previous)
        previous = tick
    return SegmentTimes(tuple(cumulative), tuple(segments))


def counted_segments(run: RunRecord, route: Sequence[str], category: str
                     ) -> tuple[int | None, ...] | None:
    """The segment times a run contributes to a category's splits, or None if none."""
    if category in run.categories:
        return times_along(run, route).segment_ticks
    if run.outcome == "won":
        return None  # finished, but outside this category's rules
    segments = times_along(run, route).segment_ticks
    return tuple(None if name == END else ticks for name, ticks in zip(route, segments,
                                                                        strict=True))


def best_segments(runs: Sequence[RunRecord], route: Sequence[str], category: str
                  ) -> tuple[int | None, ...]:
    """The fastest time any of the runs took on each segment of the route."""
    best: list[int | None] = [None] * len(route)
    for run in runs:
        for i, ticks in enumerate(counted_segments(run, route, category) or ()):
            if ticks is not None and (best[i] is None or ticks < best[i]):
                best[i] = ticks
    return tuple(best)


def sum_of_best(runs: Sequence[RunRecord], route: Sequence[str], category: str
                ) -> int | None:
    """Sum of best segments in ticks: the time a run with every best segment would get."""
    best = best_segments(runs, route, category)
    if not route or any(b is None for b in best):
        return None
    return sum(b for b in best if b is not None)
