"""A verified run's profile for its web page: the score breakdown and tension over time.

Verification (speedrun.verify) decides whether a run is real and says nothing else; the
page also wants what the debrief shows, so after a run verifies the worker steps the
replay's commands once more and reads the world's own history. Only verified runs get a
profile, so this never runs on a forged replay.
"""

from __future__ import annotations

from typing import Any

from command_game.level.models import Level
from command_game.speedrun.replay import ReplayData

MAX_POINTS = 600  # samples kept per series: a chart, not a data dump


def profile_run(replay: ReplayData, level: Level) -> dict[str, Any]:
    from command_game.sim.world import World

    world = World.from_level(level, seed=replay.seed)
    by_tick: dict[int, list] = {}
    for cmd in replay.command_list():
        by_tick.setdefault(cmd.tick, []).append(cmd)
    while world.tick < replay.final_tick and not world.finished:
        world.step(by_tick.get(world.tick, ()))
    score = world.score()
    tension = world.history.tension
    peak = [max(values) for values in zip(*tension.values(), strict=False)] if tension else []
    return {"score": score.total, "breakdown": list(score.breakdown.items()),  # in order
            "index": _thin(world.history.index), "peak_tension": _thin(peak),
            "seconds_per_sample": _step(len(world.history.index))}


def _step(n: int) -> int:
    return max(1, -(-n // MAX_POINTS))


def _thin(values: list[float]) -> list[float]:
    return [round(float(v), 2) for v in values[::_step(len(values))]]
