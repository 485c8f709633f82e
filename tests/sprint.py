"""The speedrun tests' shared run: the autopilot's win of the small sprint level, and its
replay sealed with the checkpoints a verification makes (what a finished run on the board
looks like). Built once per test module that asks for it."""

from __future__ import annotations

from command_game.level.io import load_level
from command_game.sim.autopilot import Autopilot, play
from command_game.sim.commands import Command
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


def sprint_win_with_patrol(seed: int = 3) -> World:
    """The autopilot's win, with Binluh sent at the start on a four-stop patrol it is still
    walking when the run ends (a run whose orders hold stops not yet reached)."""
    world = World.from_level(load_level(SPRINT), seed=seed)
    pilot = Autopilot(world)
    patrol = Command(0, "patrol", ("binluh_1",),
                     route=("n_pantai_kuala_s", "n_condong", "n_roban", "n_tugu"))
    while not world.finished and world.tick < 6000:
        commands = list(pilot.commands(world))
        world.step([patrol, *commands] if world.tick == 0 else commands)
    assert world.outcome == "won"
    return world


def sealed_bytes(world: World, real_time_s: float = 41.5, player: str = "Rani",
                 **extra) -> bytes:
    """The world's replay, verified and sealed with the verification's checkpoints."""
    replay = replay_from_world(world.level, world, real_time_s, player, **extra)
    verdict = simulate(replay, world.level, "sealed")
    assert verdict.valid, verdict.message
    return encode(replay.model_copy(update={"checkpoints": list(verdict.checkpoints)}))
