"""What the leaderboard screen shows for one level and category, computed headless.

The top runs, the player's personal best with its rank and splits, the sum of best
segments along the personal best's route, and how many runs still wait for (or failed)
verification, so the screen only draws and the numbers are testable without a window.
"""

from __future__ import annotations

from dataclasses import dataclass

from command_game.speedrun.segments import (
    best_segments,
    real_times_along,
    route_of,
    sum_of_best,
    times_along,
)
from command_game.speedrun.store import Leaderboard, RunRecord, clean_player


@dataclass(frozen=True)
class SegmentLine:
    name: str  # objective id, or segments.END
    pb_split_ticks: int | None  # the personal best's cumulative time at this split
    best_ticks: int | None  # the fastest this segment was ever done
    pb_real_s: float | None = None  # the same two on the player's clock (real time)
    best_real_s: float | None = None


@dataclass(frozen=True)
class BoardSummary:
    level_id: str
    category: str
    top: tuple[RunRecord, ...]
    personal_best: RunRecord | None
    personal_rank: int | None
    segments: tuple[SegmentLine, ...]
    sum_of_best_ticks: int | None
    pending: int
    invalid: int
    other_versions: int  # verified runs on an earlier (or later) version of the level
    attempts: int  # the player's finished missions on this version of the level
    completed: int  # of those, the ones that count in this category
    sum_of_best_real_s: float | None = None


def summarize(board: Leaderboard, level_id: str, category: str, player: str,
              limit: int = 10, digest: str | None = None,
              seed_kind: str | None = None) -> BoardSummary:
    """`digest`: rank only runs on this version of the level (times on an edited level
    are not comparable); None ranks every version together. `seed_kind`: only
    random-seed or only set-seed runs (they rank apart); None ranks them together."""
    ranked = board.board(level_id, category, digest=digest, seed_kind=seed_kind)
    player = clean_player(player)
    mine = [r for r in ranked if r.player == player]
    pb = mine[0] if mine else None
    rank = ranked.index(pb) + 1 if pb else None
    segments: tuple[SegmentLine, ...] = ()
    sob = sob_real = None
    if pb is not None:
        route = route_of(pb)
        verified = board.runs(level_id, player=player, status="valid", digest=digest)
        best = best_segments(verified, route, category)
        best_real = best_segments(verified, route, category, real=True)
        pb_times, pb_real = times_along(pb, route), real_times_along(pb, route)
        segments = tuple(SegmentLine(name, pb_times.split_ticks[i], best[i],
                                     pb_real.split_s[i], best_real[i])
                         for i, name in enumerate(route))
        sob = sum_of_best(verified, route, category)
        sob_real = sum_of_best(verified, route, category, real=True)
    others = board.runs(level_id, digest=digest)
    every_version = board.board(level_id, category, seed_kind=seed_kind)
    return BoardSummary(
        level_id=level_id, category=category, top=tuple(ranked[:limit]), personal_best=pb,
        personal_rank=rank, segments=segments, sum_of_best_ticks=sob,
        pending=sum(r.status == "pending" for r in others),
        invalid=sum(r.status == "invalid" for r in others),
        other_versions=len(every_version) - len(ranked),
        attempts=sum(r.player == player for r in others),
        completed=len(mine), sum_of_best_real_s=sob_real,
    )
