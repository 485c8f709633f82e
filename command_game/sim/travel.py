"""How long a new player's first orders take: every unit sent to the level's main office
the moment it may leave, timed from dispatch to arrival through the World API (issue 13,
item 11: a first trip should not take more than about a minute of game time). Printed by
``command-game balance --travel``; ``tests/test_campaign.py`` holds the campaign to it."""

from __future__ import annotations

import math

from command_game.sim import rules
from command_game.sim.commands import Command
from command_game.sim.world import TICK_RATE, World

TRAVEL_LIMIT_S = 300.0  # a trip not done by then is reported as not arrived


def main_office(level) -> str:
    """The site of the level's first required hold: where a new player's first orders go
    (the briefing asks for it first)."""
    return next(o.site for o in level.objectives if o.kind == "hold_site" and not o.optional)


def travel_times(level, seed: int = 0) -> list[dict]:
    """Every travelling unit ordered to hold the main office on the first tick it may
    leave (at once, or at its ``available_s``), in one world with the level's crowd and
    script running and no other orders: per unit the game time from its
    ``unit_dispatched`` to its ``unit_arrived`` there. Officers on foot at the end, the
    crowd in the way and the other units converging on the office all count, as they
    would for a player who sends everyone there. A unit an event card or anything else
    sends elsewhere before it arrives is reported as ``diverted``. Brimob stays home on a
    night that forbids it (its first order would lose the night)."""
    world = World.from_level(level, seed=seed)
    site = main_office(level)
    office = world.sites[site]
    no_force = any(o.kind == "no_brimob" for o in level.objectives)
    units = [u for u in world.units.values() if rules.ROLES[u.type].travels
             and not (no_force and u.type == "brimob")]
    start = {u.id: (u.x, u.y) for u in units}
    ordered: set[str] = set()
    sent: dict[str, float] = {}
    arrived: dict[str, float] = {}
    diverted: set[str] = set()
    while (len(arrived) + len(diverted) < len(units) and world.time_s < TRAVEL_LIMIT_S
           and not world.finished):
        orders = [Command(world.tick, "hold", (u.id,), site) for u in units
                  if u.id not in ordered and u.available]
        ordered.update(c.unit_ids[0] for c in orders)
        for ev in world.step(orders):
            if ev.subject not in start or ev.subject in arrived:
                continue
            if ev.kind == "unit_dispatched":
                if ev.site == site and ev.subject not in sent:
                    sent[ev.subject] = ev.tick / TICK_RATE
                else:
                    diverted.add(ev.subject)
            elif ev.kind == "unit_arrived" and ev.site == site and ev.subject not in diverted:
                arrived[ev.subject] = ev.tick / TICK_RATE
    rows = []
    for u in units:
        x, y = start[u.id]
        trip = arrived[u.id] - sent[u.id] if u.id in arrived else None
        rows.append({
            "level": level.meta.id, "office": site, "unit": u.id, "type": u.type,
            "personnel": u.personnel, "base": u.base,
            "straight_m": round(math.hypot(office.x - x, office.y - y)),
            "sent_s": sent.get(u.id), "trip_s": None if trip is None else round(trip, 1),
            "status": ("diverted" if u.id in diverted else "arrived" if trip is not None
                       else "not arrived"),
        })
    return rows
