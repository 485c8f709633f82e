"""The speedrun tests' shared run: the autopilot's win of the small sprint level, and its
replay sealed with the checkpoints a verification makes (what a finished run on the board
looks like). Built once per test module that asks for it."""

from __future__ import annotations

from command_game.level.io import load_level
from command_game.sim.autopilot import play
from command_game.sim.world import World
from command_game.speedrun.record import replay_from_world
from command_game.speedrun.replay import encode
from command_game.speedrun.verify import simulate
from tests.conftest import REPO

SPRINT = REPO / "tests" / "data" / "speedrun_sprint.json"


def sprint_win(seed: int = 3) -> World:
    """The autopilot plays the sprint level to its win."""
    world = World.from_level(load_level(SPRINT), seed=seed)
    play(world, max_ticks=6000)
    assert world.outcome == "won" and len(world.objectives) >= 2
    return world


def sealed_bytes(world: World, real_time_s: float = 41.5, player: str = "Rani",
                 **extra) -> bytes:
    """The world's replay, verified and sealed with the verification's checkpoints."""
    replay = replay_from_world(world.level, world, real_time_s, player, **extra)
    verdict = simulate(replay, world.level, "sealed")
    assert verdict.valid, verdict.message
    return encode(replay.model_copy(update={"checkpoints": list(verdict.checkpoints)}))
