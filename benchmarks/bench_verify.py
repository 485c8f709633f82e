"""The finale, headless and verified, as multiples of real time (targets >= 15x each).

The reference autopilot plays the finale (``levels/05_nusantara.json``, 6,000+ citizens
at its peak) for its first ``FINALE_GAME_S`` seconds of game time, by when some 6,000 are
on the map; its replay is then verified the way `command-game verify` does (fresh World
and its setup, commands by tick, a state hash every second of game time). The ratio of
the two says what checking costs over playing the same commands.

Reported on CPU time of this process and on the wall clock; the CPU is shared on the
machines this runs on, so both are noisy (the wall clock more so).
"""

from __future__ import annotations

import time

TARGET_X = 15.0
FINALE_GAME_S = 200.0
FINALE = "nusantara"


def main() -> None:
    from benchmarks.packed import describe
    from command_game.level.catalog import campaign
    from command_game.sim.autopilot import Autopilot
    from command_game.sim.world import TICK_RATE, World
    from command_game.speedrun.record import replay_from_world
    from command_game.speedrun.replay import decode, encode
    from command_game.speedrun.verify import simulate

    entry = next(e for e in campaign() if e.level_id == FINALE)
    level = entry.level
    started = time.process_time()
    world = World.from_level(level, seed=0)
    setup = time.process_time() - started
    commander, peak = Autopilot(world), 0
    cap = round(FINALE_GAME_S * TICK_RATE)
    physics = _time_physics(world.crowd.space)
    started, wall_started = time.process_time(), time.perf_counter()
    while not world.finished and world.tick < cap:
        world.step(commander.commands(world))
        peak = max(peak, world.crowd.count)
    played = time.process_time() - started
    wall = time.perf_counter() - wall_started
    game_s = world.time_s
    print(f"finale_headless: {game_s:.0f} s of game, peak {peak} citizens, {played:.1f} s "
          f"CPU, {wall:.1f} s wall, setup {setup:.2f} s CPU")
    print(f"finale_headless_cpu / real_time = {game_s / played:.1f}x  "
          f"(target >= {TARGET_X:.0f}x)")
    print(f"finale_headless_wall / real_time = {game_s / wall:.1f}x  (wall clock, includes "
          "waiting for a busy CPU)")
    print(f"finale_at_{game_s:.0f}s: {describe(world)}  (contacts are the physics' cost)")
    print(f"finale_physics_cpu / finale_headless_cpu = {physics[0] / played:.2f}  (the bare "
          f"space.step alone: {physics[0]:.1f} s CPU; it caps the finale at "
          f"{game_s / physics[0]:.1f}x real time)", flush=True)

    replay = decode(encode(replay_from_world(level, world, wall, "bench")))
    started, wall_started = time.process_time(), time.perf_counter()
    verdict = simulate(replay, level, str(entry.path))
    cpu = time.process_time() - started
    wall = time.perf_counter() - wall_started
    if not verdict.valid:
        raise SystemExit(f"bench_verify: the autopilot's own replay did not verify: "
                         f"{verdict.message}")
    print(f"verify_{FINALE}: {game_s:.0f} s of game in {cpu:.1f} s CPU, {wall:.1f} s wall "
          f"(world setup included; {replay.final_tick} ticks, "
          f"{len(replay.command_list())} commands, {len(encode(replay))} bytes)")
    print(f"verify_{FINALE}_cpu / real_time = {game_s / cpu:.1f}x  (target >= {TARGET_X:.0f}x)")
    print(f"verify_{FINALE}_wall / real_time = {game_s / wall:.1f}x  (wall clock)")
    print(f"verify_{FINALE}_cpu / (finale_headless_cpu + setup) = "
          f"{cpu / (played + setup):.2f}x (what checking costs over playing the same "
          "commands)", flush=True)


def _time_physics(space) -> list[float]:
    """CPU seconds spent in the space's own step from now on (a list read at the end)."""
    real_step, spent = space.step, [0.0]

    def timed_step(dt: float) -> None:
        t0 = time.process_time()
        real_step(dt)
        spent[0] += time.process_time() - t0

    space.step = timed_step
    return spent


if __name__ == "__main__":
    main()
