"""Replay verification speed on a shipped level, as a multiple of real time (target >= 30x).

The reference autopilot plays the first campaign level to its end; its replay is then
verified the way `command-game verify` does (fresh World, commands by tick, a state hash
every second of game time). The figure is in-game seconds verified per wall-clock second.
"""

from __future__ import annotations

import time

TARGET_X = 30.0


def main() -> None:
    from command_game.level.catalog import campaign
    from command_game.sim.autopilot import play
    from command_game.sim.world import World
    from command_game.speedrun.record import replay_from_world
    from command_game.speedrun.replay import decode, encode
    from command_game.speedrun.verify import simulate

    entry = campaign()[0]
    world = World.from_level(entry.level, seed=0)
    play(world)
    replay = decode(encode(replay_from_world(entry.level, world, 0.0, "bench")))
    started, cpu_started = time.perf_counter(), time.process_time()
    verdict = simulate(replay, entry.level, str(entry.path))
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    if not verdict.valid:
        raise SystemExit(f"bench_verify: the autopilot's own replay did not verify: "
                         f"{verdict.message}")
    bare = _bare_replay_s(World, entry.level, replay)
    game_s = replay.final_tick / 60
    print(f"verify_{entry.level_id} game_time {game_s:.1f} s / wall_time {wall:.2f} s "
          f"= {game_s / wall:.1f}x (target >= {TARGET_X:.0f}x; includes world setup; "
          f"{replay.final_tick} ticks, {len(replay.command_list())} commands, "
          f"{len(encode(replay))} bytes)")
    print(f"verify_{entry.level_id} game_time / cpu_time {cpu:.2f} s = {game_s / cpu:.1f}x "
          f"(the same on a core of its own; wall time suffers when the machine is shared)")
    print(f"verify_{entry.level_id} / bare_step_same_commands = {wall / bare:.2f}x "
          f"(what checking costs over just stepping the world)")


def _bare_replay_s(world_type, level, replay) -> float:
    """The same commands stepped with no hashing or comparing: the floor for verifying."""
    by_tick: dict[int, list] = {}
    for cmd in replay.command_list():
        by_tick.setdefault(cmd.tick, []).append(cmd)
    started = time.perf_counter()
    world = world_type.from_level(level, seed=replay.seed)
    while world.tick < replay.final_tick and not world.finished:
        world.step(by_tick.get(world.tick, ()))
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
