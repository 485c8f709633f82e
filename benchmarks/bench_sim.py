"""Headless simulation speed of the shipped levels as a multiple of real time (target >=
30x): the reference autopilot plays each campaign level but the finale (bench_verify
plays that one, against its own target), up to ``GAME_SECONDS_CAP`` of game time so
``make bench`` stays short; world setup (flow fields) is timed apart. Reported on CPU
time of this process and on the wall clock (noisy on a shared CPU)."""

from __future__ import annotations

import time

TARGET_X = 30.0
GAME_SECONDS_CAP = 150.0
MEASURED_ELSEWHERE = ("nusantara",)  # bench_verify: the finale headless and verified


def main() -> None:
    from command_game.level.catalog import campaign
    from command_game.sim.autopilot import play
    from command_game.sim.world import TICK_RATE, World

    for entry in campaign():
        if entry.level_id in MEASURED_ELSEWHERE:
            continue
        if entry.level is None:
            print(f"sim_{entry.path.stem}: cannot load ({entry.error})")
            continue
        level = entry.level
        started = time.perf_counter()
        world = World.from_level(level, seed=0)
        setup = time.perf_counter() - started
        cap = round(min(level.meta.duration_s, GAME_SECONDS_CAP) * TICK_RATE)
        started, cpu_started = time.perf_counter(), time.process_time()
        play(world, max_ticks=cap)
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        print(f"sim_{level.meta.id}: {world.time_s:.0f} s of game in {wall:.1f} s wall, "
              f"{cpu:.1f} s CPU (setup {setup:.2f} s, {world.crowd.count} citizens at the "
              f"end, outcome {world.outcome})")
        print(f"sim_{level.meta.id}_cpu / real_time = {world.time_s / cpu:.1f}x  "
              f"(target >= {TARGET_X:.0f}x)")
        print(f"sim_{level.meta.id}_wall / real_time = {world.time_s / wall:.1f}x  "
              "(wall clock, includes waiting for a busy CPU)", flush=True)


if __name__ == "__main__":
    main()
