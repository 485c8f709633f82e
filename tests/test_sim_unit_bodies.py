"""Unit bodies are pulled by a limited force: a crowd in the way slows them, a packed
crowd nearly stops a small team, and a big formation pushes through where it cannot."""

from __future__ import annotations

import numpy as np
import shapely

from command_game.sim import dispatch, rules
from command_game.sim.commands import Command
from command_game.sim.sandbox import sandbox_level, unit
from command_game.sim.world import World


def _walk_through(personnel: int, density: float, seconds: float = 12.0) -> float:
    """A unit walks 1.5 m/s east along the street into a block of standing citizens;
    returns its progress ratio."""
    world = World(sandbox_level(), 0)
    side = 8.0
    n = int(density * (2 * side) ** 2)
    if n:
        rng = np.random.default_rng(1)
        xy = np.column_stack([rng.uniform(100 - side, 100 + side, n),
                              rng.uniform(40 - side, 40 + side, n)])
        goal = world.crowd.add_goal(shapely.Point(100, 40).buffer(side))
        world.crowd.spawn(xy, goal, goal, 0, 0.0)
    body = world.unit_bodies.add(88.0, 40.0, personnel)
    for tick in range(round(seconds * rules.TICK_RATE)):
        world.unit_bodies.command(body, rules.FOOT_MPS, 0.0)
        world.crowd.tick(world.rng, tick)
        world.unit_bodies.after_step(rules.DT)
    return world.unit_bodies.progress_ratio(body)


def test_a_crowd_slows_a_unit_and_a_formation_pushes_harder():
    # 4 /m2: denser than a calm mass stands (sim/massing.py). People standing near a unit
    # make way and yield to its shove (massing.make_way), so a formation parts a mass
    # that each of them would otherwise hold like a wall (session 3 measured 0.10 here).
    free = _walk_through(4, 0.0)
    small = _walk_through(4, 4.0)
    big = _walk_through(60, 4.0)
    assert free > 0.97
    assert small < 0.5, "a packed crowd nearly stops a four-person team"
    assert big > small + 0.2, "sixty officers push through where four cannot"


def test_progress_ratio_reaches_the_cli_record_and_is_one_on_empty_roads():
    level = sandbox_level(units=[unit("s", "samapta", personnel=12)])
    world = World(level, 0)
    world.step([Command(0, "hold", ("s",), "kpu")])
    while world.units["s"].state == "moving" and world.tick < 120 * rules.TICK_RATE:
        world.step()
    assert world.units["s"].state == "on_site"
    assert dispatch.progress_ratios(world)["s"] > 0.9
