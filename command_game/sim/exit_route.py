"""Exit routes: a unit opens a way out of a packed site and directs people along it.

The order names an office (whose crowd is let out) and a point (where the way leads out:
a side street, a car park). Once the unit stands at the point, the calmer part of the
site's crowd sets off toward it, a share a second that grows with the unit's strength and
the public's trust (people follow police directions they trust). They walk there through
the physics, on their own flow field to a disc at the point, and leave the map when they
reach it, so the site thins out as fast as the way carries people: a narrow way past a
cordon drains a crowd slowly, an open square quickly. The route closes when the unit
gets another order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shapely

from command_game.sim import rules, trust

if TYPE_CHECKING:
    from command_game.sim.world import World

EXIT_GOAL_M = 6.0  # people who reach this close to the exit point have left
EXIT_AGITATION = 0.6  # citizens calmer than this take an open way out
EXIT_SHARE_PER_S = 0.02  # of the willing crowd, per second, for a unit of strength 1


class ExitRoutes:
    """The routes open now, by unit id (insertion order: deterministic)."""

    def __init__(self) -> None:
        self._open: dict[str, tuple[str, int, tuple[float, float]]] = {}

    def update(self, world: World, dt: float) -> None:
        """Open the routes of units that reached their point, close those of units that
        left, and send willing citizens of each open route's site along it."""
        from command_game.sim import dispatch

        for uid in [u for u in self._open if world.units[u].state != "exit_route"]:
            site, _, _ = self._open.pop(uid)
            world.emit("exit_closed", subject=uid, site=site)
        crowd = world.crowd
        for unit in world.units.values():
            if unit.state == "exit_route" and unit.id not in self._open:
                point = unit.point or (unit.x, unit.y)
                goal = crowd.add_goal(shapely.Point(point).buffer(EXIT_GOAL_M))
                self._open[unit.id] = (unit.target, goal, (float(point[0]), float(point[1])))
                world.emit("exit_opened", subject=unit.id, site=unit.target)
        if not crowd.count:
            return
        for uid, (site_id, goal, _) in self._open.items():
            site = world.sites[site_id]
            here = ~crowd.going_home & crowd.near(site.x, site.y,
                                                  site.radius_m * rules.CROWD_NEAR_FACTOR)
            willing = here & (crowd.agitation < EXIT_AGITATION)
            if not willing.any():
                continue
            share = EXIT_SHARE_PER_S * dispatch.strength(world.units[uid]) \
                * trust.dialogue_factor(world)
            leaving = willing & (world.rng.random(crowd.count) < share * dt)
            if leaving.any():
                crowd.home_goal[leaving] = goal
                crowd.going_home |= leaving

    def points(self) -> list[tuple[float, float]]:
        """For the view: where each open route leads out."""
        return [point for _, _, point in self._open.values()]

    def summary(self) -> str:
        return ";".join(f"{uid}:{site}:{goal}" for uid, (site, goal, _) in self._open.items())
