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
    parts, untime = _time_parts(world)
    started, wall_started = time.process_time(), time.perf_counter()
    while not world.finished and world.tick < cap:
        world.step(commander.commands(world))
        peak = max(peak, world.crowd.count)
    played = time.process_time() - started
    untime()
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
    parts["batch read"] -= physics[0]  # _step_and_read holds the step
    parts["other"] = played - physics[0] - sum(parts.values())
    print("finale_split (CPU of the play): space.step "
          f"{physics[0] / played:.0%}, " + ", ".join(
              f"{name} {seconds / played:.0%}" for name, seconds in parts.items()),
          flush=True)

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


_PARTS = {  # what the finale's time is spent on, by the methods that spend it
    "crowd steering": [("crowd", "update_density"), ("crowd", "steer"),
                       ("crowd", "_write_velocities")],
    "batch read": [("crowd", "_step_and_read")],
    "units": [("dispatch", "drive_units"), ("dispatch", "sync_units")],
    "rules at 10 Hz": [("world", "_slow_update")],
}


def _time_parts(world):
    """CPU seconds spent from now on in each of ``_PARTS`` (a dict read at the end), by
    timing the World's and its Crowd's own methods and the dispatch functions it calls;
    and the function that puts them back (the verification after must run untimed)."""
    from command_game.sim import dispatch

    owners = {"crowd": world.crowd, "world": world, "dispatch": dispatch}
    spent, originals = dict.fromkeys(_PARTS, 0.0), []
    for part, methods in _PARTS.items():
        for owner, name in methods:
            target = owners[owner]
            originals.append((target, name, target.__dict__.get(name)))
            setattr(target, name, _timed(getattr(target, name), spent, part))

    def untime() -> None:
        for target, name, original in originals:
            if original is None:
                delattr(target, name)  # the instance falls back to its class's method
            else:
                setattr(target, name, original)
    return spent, untime


def _timed(function, spent: dict[str, float], part: str):
    def timed(*args, **kwargs):
        t0 = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[part] += time.process_time() - t0
    return timed


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
