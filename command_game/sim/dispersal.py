"""Going home: calm citizens at a calm site drift home on their own, and a dialogue team
that has won a crowd's ear leads part of it home (through the physics: they walk their
flow field home and leave the world when they get there)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from command_game.sim import rules, trust

if TYPE_CHECKING:
    from command_game.sim.world import World


def update(world: World, dt: float) -> None:
    """Citizens who reached home leave; calm ones at calm sites, and those a dialogue team
    persuades, set off home. Changes the population: run last in the slow update."""
    crowd = world.crowd
    if not crowd.count:
        return
    crowd.remove(crowd.arrived_home)
    staying = ~crowd.going_home
    leaders = _leading_home(world)
    for entry in world._sources:
        site = world.sites[entry[1].attractor]
        here = staying & (crowd.source == entry[0]) & crowd.near(site.x, site.y,
                                                                   site.radius_m * 1.5)
        if not here.any():
            continue
        # a vigil waits for the result: calm is no reason to leave
        chance = rules.DISPERSE_CHANCE if site.tension < 30.0 and not entry[1].vigil \
            else 0.0
        willing = here & (crowd.agitation < rules.DISPERSE_AGITATION)
        lead = leaders.get(site.id, 0.0) * (rules.VIGIL_LEAD_HOME if entry[1].vigil else 1.0)
        if lead > 0.0:
            # a dialogue team talks people home: the calmer half of the crowd listens
            willing = here & (crowd.agitation < rules.LEAD_HOME_AGITATION)
            chance = max(chance, lead)
        if chance <= 0.0 or not willing.any():
            continue
        leaving = willing & (world.rng.random(crowd.count) < chance * dt)
        if leaving.any():
            crowd.ensure_goal(entry[3])
            crowd.going_home |= leaving


def _leading_home(world: World) -> dict[str, float]:
    """Per site: chance per second per listener of being led home, from the dialogue
    teams there once their dialogue has ramped up (trust makes people listen)."""
    from command_game.sim import dispatch, incidents

    out: dict[str, float] = {}
    for unit in world.units.values():
        role = rules.ROLES[unit.type]
        if unit.state != "dialogue" or unit.site_id is None or role.lead_home <= 0.0:
            continue
        ramp = incidents.dialogue_ramp(unit)
        if ramp <= 0.0:
            continue
        rate = role.lead_home * ramp * dispatch.strength(unit) * trust.dialogue_factor(world)
        out[unit.site_id] = out.get(unit.site_id, 0.0) + rate
    return out
