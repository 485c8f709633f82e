"""The crowd tick, in two cases, each beside the bare ``space.step`` of the same bodies
measured inside the same run:

- *packed* (the game's real case, issue 11): 6,000 and 10,000 citizens massed at four
  offices at 2-4 persons per m2 (``benchmarks/packed.py``), pressing toward the front;
- *spread*: 1,000 and 10,000 citizens walking to the four offices across a 600 x 600 m
  city of blocks, also beside the ORCA library ``pyrvo`` stepping the same scenario (same
  start points, same preferred velocities from the same flow fields, the same buildings
  as obstacles).

Then the peak memory of a process holding a 10,000-citizen world, and the flow-field
setup time and memory of every shipped level.

Targets: crowd tick <= 1.5x the bare step (packed and spread) and faster than pyrvo; peak
memory < 400 MB. Times are CPU time of this process (``time.process_time``), so other
programs competing for the cores inflate them less, but a shared CPU (caches, turbo)
still makes them noisy: compare ratios, not milliseconds.
"""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np

SPREAD_SIZES = (1000, 10000)
PACKED_SIZES = (6000, 10000)
WARMUP, TICKS = 20, 60
OFFICES = ((100.0, 100.0), (500.0, 100.0), (100.0, 500.0), (500.0, 500.0))


def city_level():
    """A 600 x 600 m grid: 5 x 5 blocks of 80 m with 40 m streets, four offices."""
    from command_game.level.io import parse_level

    blocks = [{"id": f"b{i}{j}", "polygon": [[40 + 120 * i, 40 + 120 * j],
                                              [120 + 120 * i, 40 + 120 * j],
                                              [120 + 120 * i, 120 + 120 * j],
                                              [40 + 120 * i, 120 + 120 * j]]}
              for i in range(5) for j in range(5)]
    nodes = [{"id": f"n{i}{j}", "x": 20.0 + 120 * i, "y": 20.0 + 120 * j}
             for i in range(6) for j in range(6)]
    edges = [{"id": f"h{i}{j}", "a": f"n{i}{j}", "b": f"n{i + 1}{j}"}
             for i in range(5) for j in range(6)]
    edges += [{"id": f"v{i}{j}", "a": f"n{i}{j}", "b": f"n{i}{j + 1}"}
              for i in range(6) for j in range(5)]
    offices = [{"id": f"kpu_{k}", "type": "kpu", "name": f"KPU {k}", "node": "n00",
                "x": x + 30.0, "y": y + 30.0, "radius_m": 15.0}
               for k, (x, y) in enumerate(OFFICES)]
    offices.append({"id": "polres", "type": "polres", "name": "Polres", "node": "n00",
                    "x": 10.0, "y": 10.0})
    return parse_level({
        "meta": {"id": "bench_city", "title": {"en": "Bench", "id": "Bench"},
                 "briefing": {"en": "Bench", "id": "Bench"}, "region": "Bench",
                 "phase": "counting", "par_time_s": 60.0, "duration_s": 600.0},
        "map": {"width_m": 600.0, "height_m": 600.0, "grid_m": 4.0},
        "buildings": blocks, "roads": {"nodes": nodes, "edges": edges}, "offices": offices,
        "units": [{"id": "s1", "type": "samapta", "name": "S1", "base": "polres"}],
        "objectives": [{"id": "o", "kind": "no_riot", "title": {"en": "o", "id": "o"}}],
    }, "<bench>")


def start_points(fields, n: int, rng) -> np.ndarray:
    """n points on free cells, spread over the whole city."""
    free = np.flatnonzero(fields.free.ravel())
    cells = rng.choice(free, n)
    row, col = np.divmod(cells, fields.cols)
    jitter = rng.uniform(0.1, 0.9, (n, 2)) * fields.cell
    return np.column_stack([col * fields.cell, row * fields.cell]) + jitter


def build_world(n: int, seed: int = 0):
    """The spread case: n citizens scattered over the city, each bound for an office."""
    from command_game.level.gather import gather_area
    from command_game.sim.world import World

    world = World.from_level(city_level(), seed=seed)
    rng = np.random.default_rng(seed)
    goals = [world.crowd.add_goal(gather_area(o)) for o in world.level.offices
             if o.type == "kpu"]
    xy = start_points(world.fields, n, rng)
    which = rng.integers(0, len(goals), n)
    for g in range(len(goals)):
        sel = which == g
        world.crowd.spawn(xy[sel], goals[g], goals[g], 0, 0.3, world.rng)
    world.crowd.update_density()
    return world


def crowd_tick(world) -> tuple[float, float]:
    """Seconds per crowd tick and per bare space.step inside it (same bodies, same run)."""
    from command_game.sim import rules

    crowd = world.crowd
    real_step = crowd.space.step
    spent = [0.0]

    def timed_step(dt: float) -> None:
        t0 = time.process_time()
        real_step(dt)
        spent[0] += time.process_time() - t0

    crowd.space.step = timed_step
    for i in range(WARMUP + TICKS):
        if i == WARMUP:
            spent[0] = 0.0
            started = time.process_time()
        crowd.tick(world.rng, i)
        if i % rules.SLOW_EVERY == 0:
            crowd.spread_agitation(rules.SLOW_DT)
    total = time.process_time() - started
    return total / TICKS, spent[0] / TICKS


def pyrvo_tick(n: int) -> tuple[float, float]:
    """Seconds per ORCA tick (preferred velocities in, positions out, as a game needs) and
    per bare do_step, for the same start points, goals and buildings."""
    import pyrvo

    from command_game.sim import rules

    world = build_world(n)
    crowd, fields = world.crowd, world.fields
    walk = rules.PEOPLE.speed_mean_mps
    sim = pyrvo.RVOSimulator(rules.DT, 2.0, 10, 2.0, 2.0, rules.PEOPLE.radius_mean_m,
                             walk * 1.5)
    for x, y in crowd.pos.tolist():
        sim.add_agent((x, y))
    for b in world.level.buildings:
        sim.add_obstacle([(x, y) for x, y in b.polygon])
    sim.process_obstacles()
    pos = crowd.pos.copy()
    step_time = 0.0
    for i in range(WARMUP + TICKS):
        if i == WARMUP:
            step_time = 0.0
            started = time.process_time()
        cells = fields.cell_index(pos)
        pref = np.empty_like(pos)
        for g in np.unique(crowd.goal).tolist():
            sel = crowd.goal == g
            pref[sel] = crowd.goal_direction(g, cells[sel]) * walk
        for k, (vx, vy) in enumerate(pref.tolist()):
            sim.set_agent_pref_velocity(k, (vx, vy))
        t0 = time.process_time()
        sim.do_step()
        step_time += time.process_time() - t0
        for k in range(n):
            pos[k] = sim.get_agent_position(k).to_tuple()
    total = time.process_time() - started
    return total / TICKS, step_time / TICKS


MEMORY_SCRIPT = """
import resource
from benchmarks.bench_crowd import build_world
world = build_world(10000)
for _ in range(120):
    world.step(())
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0)
"""


def peak_memory_mb() -> float:
    """Peak resident memory (MB) of a fresh process that builds and runs a 10,000-citizen
    world for two seconds of game time."""
    out = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT], capture_output=True,
                         text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def field_setup() -> None:
    """Per shipped level: seconds to build the walking grid and every goal's field (the
    world's setup, almost all of it fields), and the memory that setup allocates (peak
    while building, and what stays), traced by tracemalloc (numpy reports to it)."""
    import tracemalloc

    from command_game.level.catalog import campaign
    from command_game.sim.world import World

    for entry in campaign():
        if entry.level is None:
            continue
        tracemalloc.start()
        started = time.process_time()
        world = World.from_level(entry.level, seed=0)
        seconds = time.process_time() - started
        kept, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        m = entry.level.map
        print(f"fields_{entry.level_id}: setup {seconds:.2f} s CPU, {kept / 2**20:.0f} MB "
              f"kept, {peak / 2**20:.0f} MB peak ({m.width_m:.0f} x {m.height_m:.0f} m, "
              f"{len(entry.level.offices)} offices, {len(entry.level.crowd_sources)} "
              "sources)", flush=True)
        del world


def main() -> None:
    from benchmarks.packed import describe, packed_world

    for n in PACKED_SIZES:
        world = packed_world(n)
        print(f"packed_{n}: {describe(world)}")
        tick, step = crowd_tick(world)
        print(f"packed_crowd_tick_{n} = {tick * 1e3:.2f} ms; packed_bare_step_{n} = "
              f"{step * 1e3:.2f} ms")
        print(f"packed_crowd_tick_{n} / packed_bare_step_{n} = {tick / step:.2f}x  "
              "(target <= 1.5x)", flush=True)
    for n in SPREAD_SIZES:
        tick, step = crowd_tick(build_world(n))
        orca, orca_step = pyrvo_tick(n)
        print(f"crowd_tick_{n} = {tick * 1e3:.2f} ms; bare_step_{n} = {step * 1e3:.2f} ms; "
              f"pyrvo_tick_{n} = {orca * 1e3:.2f} ms (do_step {orca_step * 1e3:.2f} ms)")
        print(f"crowd_tick_{n} / bare_step_{n} = {tick / step:.2f}x  (target <= 1.5x)")
        print(f"crowd_tick_{n} / pyrvo_tick_{n} = {tick / orca:.2f}x  (target < 1x)")
        print(f"crowd_tick_{n} / pyrvo_do_step_{n} = {tick / orca_step:.2f}x", flush=True)
    mb = peak_memory_mb()
    print(f"peak_rss_world_10000 = {mb:.0f} MB")
    print(f"peak_rss_world_10000 / 400 MB = {mb / 400.0:.2f}x  (target < 1x)", flush=True)
    field_setup()


if __name__ == "__main__":
    main()
