"""The game's real crowd case for the benchmarks: citizens massed at their sites.

``packed_world(n)`` is bench_crowd's 600 x 600 m city of blocks with four KPU offices,
each with ``n / 4`` citizens standing round it on a hexagonal lattice at 2, 3, 3 and 4
persons per m2 (the standing densities of a crowd at an office's front), all bound for
that office: they press toward it as a gathered crowd does, which is where the contacts,
and so the cost, are. Bodies of 0.2 m radius on a lattice of 2-4 persons per m2 do not
touch yet, so the world first runs ``SETTLE_S`` of game time: the crowd presses in, packs
densest at the front, and the benchmark measures that settled state.
"""

from __future__ import annotations

import math

import numpy as np
import shapely

DENSITIES = (2.0, 3.0, 3.0, 4.0)  # persons per m2 at the four offices
AGITATION = 0.3
SETTLE_S = 10.0


def hex_lattice(cx: float, cy: float, density: float, count: int) -> np.ndarray:
    """At least the ``count`` points of a hexagonal lattice of the given density (persons
    per m2) nearest to (cx, cy), nearest first (slice off what you need)."""
    spacing = math.sqrt(2.0 / (math.sqrt(3.0) * density))
    reach = math.sqrt(count / (math.pi * density)) * 1.6 + 2 * spacing
    rows = int(reach / (spacing * math.sqrt(3) / 2)) + 1
    cols = int(reach / spacing) + 1
    j, i = np.mgrid[-rows:rows + 1, -cols:cols + 1]
    x = (i + 0.5 * (j % 2)) * spacing
    y = j * spacing * math.sqrt(3) / 2
    pts = np.column_stack([x.ravel(), y.ravel()])
    order = np.argsort(np.hypot(pts[:, 0], pts[:, 1]), kind="stable")
    return pts[order] + (cx, cy)


def packed_world(n: int, seed: int = 0):
    """A World of bench_crowd's city with ``n`` citizens massed at its four offices."""
    from benchmarks.bench_crowd import city_level
    from command_game.sim.world import World

    return pack(World.from_level(city_level(), seed=seed), n)


def pack(world, n: int):
    """Masses ``n`` citizens at the world's KPU offices (see the module docstring); returns
    the world."""
    from command_game.level.gather import gather_area
    from command_game.sim import rules

    crowd, fields = world.crowd, world.fields
    blocks = shapely.union_all([shapely.Polygon(b.polygon) for b in world.level.buildings])
    offices = [o for o in world.level.offices if o.type == "kpu"]
    per_site = np.full(len(offices), n // len(offices))
    per_site[: n % len(offices)] += 1
    for office, density, count in zip(offices, DENSITIES, per_site.tolist(), strict=True):
        goal = crowd.add_goal(gather_area(office))
        points = hex_lattice(office.x, office.y, density, count * 3)
        open_ground = fields.free.ravel()[fields.cell_index(points)]
        open_ground &= ~shapely.contains_xy(blocks, points[:, 0], points[:, 1])
        points = points[open_ground][:count]
        crowd.spawn(points, goal, goal, 0, AGITATION, world.rng)
    crowd.update_density()
    for _ in range(round(SETTLE_S * rules.TICK_RATE)):
        world.step(())
    return world


def describe(world) -> str:
    """What the packed crowd is like: its densities and how many bodies touch."""
    crowd = world.crowd
    touching = [0]

    def count(_arbiter) -> None:
        touching[0] += 1

    for body in crowd.bodies:
        body.each_arbiter(count)
    rho = crowd.local_density
    return (f"{crowd.count} citizens, local density mean {rho.mean():.1f} / 90th "
            f"percentile {np.percentile(rho, 90):.1f} persons/m2, "
            f"{touching[0] // 2} contacts")
