"""Cordons: a unit holding a line across a street. The line is a real segment in the
crowd's pymunk space, so citizens cannot cross it: they pile up against it (its density
counts toward a crush) or find another way round. The unit stands on its line, tiring
faster (``fatigue.py``); the line goes when the unit gets another order.

A cordon order names an office (the side the line protects) and a point: the line is
centred on the point, square to the way from the point to the office, one metre per
officer long (within CORDON_MIN_M..CORDON_MAX_M).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pymunk

from command_game.sim import rules
from command_game.sim.crowd import CITIZEN_CAT, WALL_CAT

if TYPE_CHECKING:
    from command_game.sim.state import UnitState
    from command_game.sim.world import World

Line = tuple[tuple[float, float], tuple[float, float]]


def line_for(site_xy: tuple[float, float], point: tuple[float, float], personnel: int
             ) -> Line:
    """The line a unit of this size holds at the point, facing the office."""
    length = min(rules.CORDON_MAX_M, max(rules.CORDON_MIN_M,
                                         rules.CORDON_M_PER_OFFICER * personnel))
    dx, dy = site_xy[0] - point[0], site_xy[1] - point[1]
    d = math.hypot(dx, dy)
    ux, uy = (dx / d, dy / d) if d > 1e-9 else (0.0, 1.0)
    half = length / 2.0
    px, py = -uy * half, ux * half  # square to the way to the office
    return (point[0] - px, point[1] - py), (point[0] + px, point[1] + py)


class Cordons:
    """The lines held now, by unit id (insertion order: deterministic)."""

    def __init__(self, space: pymunk.Space) -> None:
        self.space = space
        self._held: dict[str, tuple[pymunk.Segment, Line]] = {}

    def update(self, world: World) -> None:
        """Raise the line of each unit that has reached its cordon point; drop the lines of
        units that left them."""
        for uid in [u for u in self._held if world.units[u].state != "cordon"]:
            shape, _ = self._held.pop(uid)
            self.space.remove(shape)
            world.emit("cordon_lifted", subject=uid)
        for unit in world.units.values():
            if unit.state == "cordon" and unit.id not in self._held:
                self._raise(world, unit)

    def _raise(self, world: World, unit: UnitState) -> None:
        site = world.sites[unit.target]
        point = unit.point or (unit.x, unit.y)
        line = line_for((site.x, site.y), point, unit.personnel)
        shape = pymunk.Segment(self.space.static_body, line[0], line[1], rules.CORDON_RADIUS_M)
        shape.friction = 0.0
        shape.filter = pymunk.ShapeFilter(categories=WALL_CAT, mask=CITIZEN_CAT)
        self.space.add(shape)
        self._held[unit.id] = (shape, line)
        world.emit("cordon_raised", subject=unit.id, site=site.id)

    def lines(self) -> list[Line]:
        """For the view: every line held now."""
        return [line for _, line in self._held.values()]

    def summary(self) -> str:
        return ";".join(f"{uid}:{a[0]:.3f},{a[1]:.3f},{b[0]:.3f},{b[1]:.3f}"
                        for uid, (_, (a, b)) in self._held.items())
