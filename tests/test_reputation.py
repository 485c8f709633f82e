"""The Polres's reputation: a campaign night's end trust carries into the next night's
start, replays carry the start trust, and verification re-runs with it."""

from __future__ import annotations

from command_game.progress import Progress, reputation_after
from command_game.sim import rules
from command_game.sim.autopilot import play
from command_game.sim.sandbox import sandbox_level
from command_game.sim.world import World
from command_game.speedrun.record import replay_from_world
from command_game.speedrun.replay import decode, encode
from command_game.speedrun.verify import simulate


def test_a_forceful_night_lowers_the_next_nights_start():
    progress = Progress()
    progress.record_run("a", won=True, time_s=100.0, end_trust=35.0)
    assert progress.reputation == reputation_after(None, 35.0) < rules.START_TRUST
    world = World(sandbox_level(), 0, reputation=progress.reputation)
    assert world.trust == progress.reputation
    progress.record_run("b", won=True, time_s=100.0)  # not a campaign night: unchanged
    assert progress.reputation == reputation_after(None, 35.0)


def test_replay_carries_the_start_trust_and_verifies_with_it():
    level = sandbox_level(meta={"duration_s": 15.0})
    world = play(World(level, 0, reputation=40.0), pilot=False)
    replay = decode(encode(replay_from_world(level, world, 1.0, "p")))
    assert replay.start_trust == 40.0
    assert simulate(replay, level, "r").valid
    forged = replay.model_copy(update={"start_trust": 90.0})
    assert not simulate(forged, level, "r").valid
    default = decode(encode(replay_from_world(level, play(World(level, 0), pilot=False),
                                              1.0, "p")))
    assert default.start_trust is None
