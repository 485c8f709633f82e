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


def _door_distance(gap_m: float, wall_m: float = 10.0) -> tuple[float, float]:
    """A wall ``wall_m`` thick across most of a 2 x 1.5 km map (a lattice of 1.4 m) with
    one gap of gap_m off the lattice's nodes (none: 0); the walking distance from 100 m
    before the gap to a goal 100 m behind the wall, and the lattice spacing."""
    from command_game.sim.flowfield import build_fields

    y0 = 700.3  # the gap: 700.3 .. 700.3 + gap_m, nowhere near a node row in particular
    level = sandbox_level(
        map={"width_m": 2000.0, "height_m": 1500.0, "grid_m": 5.0},
        buildings=[{"id": "south", "polygon": [[1000, 100], [1000 + wall_m, 100],
                                               [1000 + wall_m, y0], [1000, y0]]},
                   {"id": "north", "polygon": [[1000, y0 + gap_m], [1000 + wall_m, y0 + gap_m],
                                               [1000 + wall_m, 1400], [1000, 1400]]}])
    fields = build_fields(level)
    mid = y0 + gap_m / 2
    goal = fields.goal(shapely.Point(1000.0 + wall_m + 100.0, mid).buffer(5.0))
    dist, _, _ = fields.sample(goal.distance, np.zeros(1, np.int64), np.array([[900.0, mid]]))
    return float(dist[0]), fields.spacing


def test_a_door_is_open_wherever_it_falls_in_the_lattice_and_a_crack_is_not():
    door, spacing = _door_distance(0.8)
    assert spacing > 1.0  # the door is narrower than the lattice
    assert abs(door - 205.0) < 0.03 * 205.0  # straight through: 210 m less the 5 m disc
    crack, _ = _door_distance(0.4)  # no body fits: the way round the wall's end
    assert crack > 2.0 * 600.0


def test_a_wall_thinner_than_the_lattice_shrinking_stays_a_wall_with_its_door_open():
    """A 2 m wall on a 1.4 m lattice would vanish from the field if shrunk like a
    building (the finale's crowd walked into such a wall all night); it stays a wall, and
    a 0.8 m door in it stays open."""
    around, spacing = _door_distance(0.0, wall_m=2.0)
    assert 2.0 * rules.WALK.erode_factor * spacing > 2.0  # the shrinking takes a 2 m wall
    assert around > 2.0 * 600.0  # round the wall's end, not through it
    door, _ = _door_distance(0.8, wall_m=2.0)
    assert abs(door - 197.0) < 0.03 * 197.0  # straight through: 202 m less the 5 m disc


def test_the_kept_neighbour_lists_are_the_nearest_and_follow_people_who_leave():
    """massing's neighbour lists (sim/neighbours.py), searched every few ticks: right
    after a search they are each one's nearest others within reach, as a brute-force
    search finds them; after some people leave and the crowd's rows are renumbered they
    still name the same people, and those who left are gone from them."""
    from command_game.sim.neighbours import Neighbours

    rng = np.random.default_rng(4)
    pos = rng.uniform(0.0, 12.0, (300, 2))
    who = np.arange(0, 300, 3)
    lists = Neighbours(10)
    near, dist, _, _ = lists.nearest(pos, who, 1.5)
    d = np.hypot(*(pos[who, None, :] - pos[None, :, :]).transpose(2, 0, 1))
    d[np.arange(len(who)), who] = np.inf
    for row in range(len(who)):
        expected = [j for j in np.argsort(d[row])[:10] if d[row, j] <= 1.5]
        assert sorted(near[row][near[row] < len(pos)].tolist()) == sorted(expected)
    leaving = np.zeros(len(pos), bool)
    leaving[rng.choice(len(pos), 60, replace=False)] = True
    kept = np.flatnonzero(~leaving)
    before = {int(i): set(near[r][near[r] < len(pos)].tolist()) for r, i in enumerate(who)}
    lists.renumber(kept, len(pos))
    stayed = np.flatnonzero(np.isin(kept, who))  # new rows of those asked before
    near2, _, _, _ = lists.nearest(pos[kept], stayed, 1.5)  # not a search tick: kept lists
    for r, i in enumerate(stayed):
        now = {int(kept[j]) for j in near2[r] if j < len(kept)}
        assert now == before[int(kept[i])] - set(np.flatnonzero(leaving).tolist())


def test_the_batch_rows_follow_spawns_removals_unit_bodies_and_cordons():
    """The crowd keeps its citizens' rows in the space's body order through spawns without
    reading every body id (Crowd._map_rows); removals, unit bodies added or removed and
    static shapes coming and going must leave the rows right. ``verify_rows`` checks
    them against a full read of every body id at each use; people taken out reorder the
    citizens; the velocity write leaves every other body's velocity as it was."""
    import pymunk

    level = sandbox_level(crowd_sources=[
        {"id": "barat", "x": 100.0, "y": 150.0, "attractor": "kpu", "rate_per_min": 900.0,
         "max_agents": 200, "agitation": 0.3},
        {"id": "timur", "x": 262.0, "y": 150.0, "attractor": "bawaslu", "rate_per_min": 600.0,
         "max_agents": 150, "agitation": 0.2}])
    world = World.from_level(level)
    crowd = world.crowd
    crowd.verify_rows = True
    rng = np.random.default_rng(3)
    added = []
    reordered = False
    for step in range(12):
        run_until(world, 1.5)
        if step % 3 == 1:  # a unit body (and its control body) joins the space
            added.append(world.unit_bodies.add(150.0 + step, 150.0, 4))
        if step % 4 == 3 and added:  # one leaves it again
            unit = world.unit_bodies._units.pop(added.pop(0))
            world.crowd.space.remove(unit.body, *unit.body.shapes, unit.control, unit.joint)
        if step % 3 == 2:  # a cordon-like wall comes and goes
            wall = pymunk.Segment(crowd.space.static_body, (50, 50), (60, 50), 0.3)
            crowd.space.add(wall)
            run_until(world, 0.2)
            crowd.space.remove(wall)
        if crowd.count > 20 and step % 2:
            gone = np.zeros(crowd.count, bool)
            gone[rng.choice(crowd.count, 12, replace=False)] = True
            crowd.remove(gone)
        reordered |= bool(np.any(np.diff(crowd.citizen_id) < 0))
        crowd._map_rows()  # checks the rows (verify_rows)
        held = [(b, tuple(b.velocity)) for b in crowd.space.bodies if b not in set(crowd.bodies)]
        crowd._write_velocities()
        assert all(tuple(b.velocity) == v for b, v in held)
        assert np.array_equal([tuple(b.velocity) for b in crowd.bodies], crowd.vel)
    assert reordered and crowd.count > 100
    assert np.array_equal([tuple(b.position) for b in crowd.bodies], crowd.pos)
