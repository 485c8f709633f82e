"""The crowd is physical: free walking about 1.3 m/s, slower in a dense crowd; it walks
around buildings; it reaches its attractor."""

from __future__ import annotations

import numpy as np
import shapely

from command_game.sim import rules
from command_game.sim.sandbox import sandbox_level
from command_game.sim.world import World
from tests.test_sim_world import run_until


def _walkers(n: int, side_m: float, seed: int = 0) -> tuple[World, float]:
    """n citizens packed into a square on the open street x 236..294 heading north to the
    polsek; returns the world and their mean northward speed over two seconds."""
    world = World.from_level(sandbox_level(), seed=seed)
    goal = world.crowd.add_goal(shapely.Point(262.0, 290.0).buffer(5.0))
    rng = np.random.default_rng(seed)
    xy = np.column_stack([rng.uniform(265 - side_m / 2, 265 + side_m / 2, n),
                          rng.uniform(150.0, 150.0 + side_m, n)])
    world.crowd.spawn(xy, goal, goal, 0, 0.0)
    run_until(world, 1.0)  # get going
    y0 = world.crowd_positions()[:, 1].copy()
    run_until(world, 2.0)
    return world, float(np.mean(world.crowd_positions()[:, 1] - y0) / 2.0)


def test_free_walking_speed_is_about_1_3_m_per_s():
    _, speed = _walkers(10, 20.0)
    assert abs(speed - rules.FREE_WALK_MPS) < 0.15


def test_speed_falls_with_density():
    speeds = []
    for n in (10, 150, 400):  # in 10 x 10 m: 0.1, 1.5 and 4 persons per m2
        _, speed = _walkers(n, 10.0)
        speeds.append(speed)
    assert speeds[0] > 1.1
    assert speeds[0] > speeds[1] > speeds[2]
    assert speeds[2] < 0.5 * speeds[0]


def test_crowd_walks_around_buildings_to_its_site():
    level = sandbox_level(crowd_sources=[
        {"id": "warga", "x": 100.0, "y": 150.0, "attractor": "kpu", "rate_per_min": 600.0,
         "max_agents": 40, "agitation": 0.3}])  # restless enough to stay, not go home
    world = World.from_level(level)
    free = world.fields.free
    run_until(world, 150.0)
    pos = world.crowd_positions()
    assert len(pos) == 40
    cells = world.fields.cell_index(pos)
    assert free.ravel()[cells].mean() > 0.97  # nobody walked through a block
    near = np.hypot(pos[:, 0] - 262.0, pos[:, 1] - 138.0) < 40.0
    assert near.mean() > 0.9
    assert world.sites["kpu"].crowd >= 36


def test_units_push_through_the_crowd():
    level = sandbox_level(crowd_sources=[
        {"id": "warga", "x": 262.0, "y": 150.0, "attractor": "kpu", "rate_per_min": 6000.0,
         "max_agents": 300, "agitation": 0.0}])
    world = World.from_level(level)
    run_until(world, 20.0)
    from command_game.sim.commands import Command

    run_until(world, 60.0, {world.tick: [Command(world.tick, "hold", ("samapta_1",), "kpu")]})
    unit = world.units["samapta_1"]
    assert unit.state == "on_site"
    # nobody stands inside the vehicle
    d = np.hypot(world.crowd_positions()[:, 0] - unit.x, world.crowd_positions()[:, 1] - unit.y)
    assert d.min() > rules.UNIT_RADIUS_M


def test_a_crowd_at_its_site_stands_as_a_mass_facing_the_office():
    """600 citizens reaching the KPU fill the ground around it at standing density,
    densest at the front and thinning outward (not a ring on the site disc's rim), and
    face the office."""
    level = sandbox_level(crowd_sources=[
        {"id": "warga", "x": 262.0, "y": 200.0, "attractor": "kpu", "rate_per_min": 1200.0,
         "max_agents": 600, "agitation": 0.3}])
    world = World.from_level(level, seed=4)
    run_until(world, 150.0)
    pos = world.crowd_positions()
    site = world.sites["kpu"]
    r = np.hypot(pos[:, 0] - site.x, pos[:, 1] - site.y)

    def density(a: float, b: float) -> float:
        return float(((r >= a) & (r < b)).sum() / (np.pi * (b * b - a * a)))

    assert len(pos) == 600 and site.crowd >= 590
    assert 1.8 <= density(0.0, 5.0) <= 3.8  # the front: a tight standing crowd
    assert density(0.0, 5.0) > density(10.0, 15.0) > density(17.0, 20.0)  # thinning
    assert np.percentile(r, 90) < 16.0  # a mass, well inside the 20 m disc
    facing = np.cos(world.crowd_headings() - np.arctan2(site.y - pos[:, 1], site.x - pos[:, 0]))
    assert np.median(facing[r > 3.0]) > 0.7
