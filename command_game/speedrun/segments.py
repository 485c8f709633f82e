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

Time = int | float  # ticks of game time, or real seconds
END = "__end__"  # the final segment: from the last objective to the mission's end


@dataclass(frozen=True)
class SegmentTimes:
    """One run's times along a route: cumulative ticks and per-segment ticks (or None)."""

    split_ticks: tuple[int | None, ...]
    segment_ticks: tuple[int | None, ...]


@dataclass(frozen=True)
class RealSegmentTimes:
    """The same in real seconds: known per split only where the run recorded them (runs
    from before real splits have the mission's end only)."""

    split_s: tuple[float | None, ...]
    segment_s: tuple[float | None, ...]


def route_of(run: RunRecord) -> tuple[str, ...]:
    return tuple(s.objective for s in run.splits) + (END,)


def _cut(cumulative: Sequence[Time | None]) -> tuple[Time | None, ...]:
    """Segment lengths from cumulative times; unknown or out-of-order ones are None."""
    segments: list[Time | None] = []
    previous: Time | None = 0
    for time in cumulative:
        if time is None or previous is None or time < previous:
            segments.append(None)
        else:
            segments.append(time - previous)
        previous = time
    return tuple(segments)


def times_along(run: RunRecord, route: Sequence[str]) -> SegmentTimes:
    met = {s.objective: s.tick for s in run.splits}
    cumulative = tuple(run.game_ticks if name == END else met.get(name) for name in route)
    return SegmentTimes(cumulative, _cut(cumulative))


def real_times_along(run: RunRecord, route: Sequence[str]) -> RealSegmentTimes:
    met = dict(run.real_splits)
    cumulative = tuple(run.real_time_s if name == END else met.get(name) for name in route)
    return RealSegmentTimes(cumulative, _cut(cumulative))


def counted_segments(run: RunRecord, route: Sequence[str], category: str,
                     real: bool = False) -> tuple[Time | None, ...] | None:
    """The segment times a run contributes to a category's splits, or None if none: in
    ticks, or in real seconds with real=True."""
    if category not in run.categories and run.outcome == "won":
        return None  # finished, but outside this category's rules
    segments = real_times_along(run, route).segment_s if real \
        else times_along(run, route).segment_ticks
    if category in run.categories:
        return segments
    return tuple(None if name == END else time for name, time in zip(route, segments,
                                                                      strict=True))


def best_segments(runs: Sequence[RunRecord], route: Sequence[str], category: str,
                  real: bool = False) -> tuple[Time | None, ...]:
    """The fastest time any of the runs took on each segment of the route (ticks, or real
    seconds with real=True: each clock has its own best, as LiveSplit keeps them)."""
    best: list[Time | None] = [None] * len(route)
    for run in runs:
        for i, time in enumerate(counted_segments(run, route, category, real) or ()):
            if time is not None and (best[i] is None or time < best[i]):
                best[i] = time
    return tuple(best)


def sum_of_best(runs: Sequence[RunRecord], route: Sequence[str], category: str,
                real: bool = False) -> Time | None:
    """Sum of best segments in ticks (or real seconds): the time a run with every best
    segment would get; None while some segment has no time."""
    best = best_segments(runs, route, category, real)
    if not route or any(b is None for b in best):
        return None
    return sum(b for b in best if b is not None)
