"""A reference commander: plays a level with ordinary Commands, the way a sensible player
would (pre-emptive, not repressive). Tests use it to prove a level can be won.

Once a second it: answers every visible incident with the best free unit for it (Siber
remotely; a unit stationed at a quiet site is taken off it when nobody else can go),
holds the sites objectives name, escorts convoys that need it, sends dialogue to tense
crowds, stations the remaining patrol and dialogue units where the biggest crowds are
heading (pre-emptive presence), keeps Intelkam patrolling the public offices, and calls
TNI or Brimob only when a site is about to riot (never Brimob with a no_brimob objective).
"""

from __future__ import annotations

import math

from command_game.sim import event_cards, rules
from command_game.sim.commands import Command
from command_game.sim.state import IncidentState, UnitState
from command_game.sim.world import World

DECIDE_EVERY = rules.TICK_RATE
PUBLIC_TYPES = ("kpu", "bawaslu", "ppk", "tps", "warehouse")


class Autopilot:
    """Issues commands for a World; ``commands(world)`` is called before every step."""

    def __init__(self, world: World) -> None:
        self.level = world.level
        self.no_brimob = any(o.kind == "no_brimob" for o in self.level.objectives)
        self.hold_sites = [(o.site, o.hold_s) for o in self.level.objectives
                           if o.kind == "hold_site"]
        self.escorts = [o.convoy for o in self.level.objectives if o.kind == "escort_convoy"]
        self.busy: dict[str, str] = {}  # unit id -> what it was sent for

    def commands(self, world: World) -> list[Command]:
        if world.tick % DECIDE_EVERY:
            return []
        self._forget_finished(world)
        out: list[Command] = []
        for decide in (self._escort, self._incidents, self._hold, self._calm, self._station,
                       self._scout, self._emergency, event_cards.policy_commands):
            out += decide(world)
        return out

    # --- bookkeeping -------------------------------------------------------------------------
    def _forget_finished(self, world: World) -> None:
        for uid, job in list(self.busy.items()):
            kind, _, ref = job.partition(":")
            if kind == "incident":
                inc = next((i for i in world.incidents if i.id == ref), None)
                if inc is None or not inc.active:
                    del self.busy[uid]
            elif kind == "escort":
                convoy = world.convoys.get(ref)
                if convoy is None or convoy.status in ("arrived", "disrupted"):
                    del self.busy[uid]

    def _free(self, world: World, types: tuple[str, ...] | None = None) -> list[UnitState]:
        units = [u for u in world.units.values() if u.available and u.id not in self.busy
                 and (types is None or u.type in types)]
        if self.no_brimob:
            units = [u for u in units if u.type != "brimob"]
        return units

    def _order(self, world: World, kind: str, unit: UnitState, target: str, job: str
               ) -> Command:
        self.busy[unit.id] = job
        return Command(world.tick, kind, (unit.id,), target)

    # --- decisions ---------------------------------------------------------------------------
    def _escort(self, world: World) -> list[Command]:
        out = []
        for cid in self.escorts:
            convoy = world.convoys.get(cid)
            if convoy is None or convoy.status != "waiting" or convoy.escort \
                    or any(j == f"escort:{cid}" for j in self.busy.values()):
                continue
            if world.tick < convoy.depart_tick - 120 * rules.TICK_RATE:
                continue
            unit = _nearest(self._free(world, ("lantas",)) or self._free(
                world, ("samapta", "reskrim", "intelkam")), convoy.x, convoy.y)
            if unit is not None:
                out.append(self._order(world, "escort", unit, cid, f"escort:{cid}"))
        return out

    def _incidents(self, world: World) -> list[Command]:
        out = []
        open_ = sorted((i for i in world.incidents if i.visible),
                       key=lambda i: (-i.severity, i.escalates_at_tick, i.id))
        for inc in open_:
            if self._assigned(inc) >= (2 if inc.severity >= 2 else 1):
                continue
            cmd = self._answer(world, inc)
            if cmd is not None:
                out.append(cmd)
        return out

    def _assigned(self, inc: IncidentState) -> int:
        return sum(1 for j in self.busy.values() if j == f"incident:{inc.id}")

    def _answer(self, world: World, inc: IncidentState) -> Command | None:
        rates = rules.RESOLVERS[inc.type]
        ranked = sorted(((rate, t) for t, rate in rates.items()
                         if t not in ("brimob", "tni")), reverse=True)
        site = world.sites[inc.site]
        for pool in (self._free, self._stationed):
            for _, utype in ranked:
                unit = _nearest(pool(world, (utype,)), site.x, site.y)
                if unit is None:
                    continue
                if utype == "siber":
                    return self._order(world, "cyber_response", unit, inc.id,
                                       f"incident:{inc.id}")
                return self._order(world, "respond", unit, inc.id, f"incident:{inc.id}")
        return None

    def _stationed(self, world: World, types: tuple[str, ...]) -> list[UnitState]:
        """Units only standing guard at a quiet site: the first to re-task."""
        quiet = [u for u in world.units.values() if u.type in types and u.available
                 and self.busy.get(u.id, "").startswith("station:")
                 and world.sites[self.busy[u.id].partition(":")[2]].tension < 40.0]
        return [u for u in quiet if not (self.no_brimob and u.type == "brimob")]

    def _station(self, world: World) -> list[Command]:
        """Pre-emptive presence: free patrol/dialogue units go where crowds are heading,
        biggest expected crowd first, one unit per site."""
        out = []
        covered = {j.partition(":")[2] for j in self.busy.values()
                   if j.split(":")[0] in ("hold", "station", "calm")}
        for site_id in self._crowd_targets(world):
            if site_id in covered:
                continue
            site = world.sites[site_id]
            unit = _nearest(self._free(world, ("samapta", "binluh", "dialogis")), site.x,
                            site.y)
            if unit is None:
                break
            kind = "dialogue" if unit.type in ("dialogis", "binluh") else "hold"
            out.append(self._order(world, kind, unit, site_id, f"station:{site_id}"))
        return out

    def _crowd_targets(self, world: World) -> list[str]:
        soon = world.time_s + 90.0
        expected: dict[str, int] = {}
        for src in self.level.crowd_sources:
            if src.start_s <= soon and src.attractor in world.sites:
                expected[src.attractor] = expected.get(src.attractor, 0) + src.max_agents
        return sorted(expected, key=lambda sid: (-expected[sid], sid))

    def _hold(self, world: World) -> list[Command]:
        out = []
        for site_id, _ in self.hold_sites:
            if any(j == f"hold:{site_id}" for j in self.busy.values()):
                continue
            site = world.sites[site_id]
            unit = _nearest(self._free(world, ("samapta", "dialogis", "binluh", "reskrim")),
                            site.x, site.y)
            if unit is not None:
                out.append(self._order(world, "hold", unit, site_id, f"hold:{site_id}"))
        return out

    def _calm(self, world: World) -> list[Command]:
        out = []
        tense = sorted((s for s in world.sites.values()
                        if s.type in PUBLIC_TYPES and s.tension >= 25.0 and s.crowd > 10),
                       key=lambda s: -s.tension)
        for site in tense:
            if any(j in (f"calm:{site.id}", f"hold:{site.id}", f"station:{site.id}")
                   for j in self.busy.values()) \
                    and site.tension < 70.0:
                continue
            unit = _nearest(self._free(world, ("dialogis", "binluh", "samapta")), site.x,
                            site.y)
            if unit is None:
                break
            kind = "dialogue" if unit.type in ("dialogis", "binluh") else "hold"
            out.append(self._order(world, kind, unit, site.id, f"calm:{site.id}"))
        return out

    def _scout(self, world: World) -> list[Command]:
        route = tuple(s.id for s in world.sites.values() if s.type in PUBLIC_TYPES)
        out = []
        for unit in self._free(world, ("intelkam",)):
            if route:
                self.busy[unit.id] = "scout"
                out.append(Command(world.tick, "patrol", (unit.id,), route=route))
        return out

    def _emergency(self, world: World) -> list[Command]:
        out = []
        for site in world.sites.values():
            if site.tension < 90.0:
                continue
            if world.tni_calls_left > 0 and not any(
                    j == f"tni:{site.id}" for j in self.busy.values()):
                self.busy[f"tni_call_{world.tni_calls_left}"] = f"tni:{site.id}"
                out.append(Command(world.tick, "call_tni", target=site.id))
            elif not self.no_brimob:
                unit = _nearest(self._free(world, ("brimob",)), site.x, site.y)
                if unit is not None:
                    out.append(self._order(world, "hold", unit, site.id, f"riot:{site.id}"))
        return out


def _nearest(units: list[UnitState], x: float, y: float) -> UnitState | None:
    return min(units, key=lambda u: (math.hypot(u.x - x, u.y - y), u.id), default=None)


def play(world: World, max_ticks: int | None = None, pilot: bool = True) -> World:
    """Run the world to its end (or max_ticks) with the autopilot, or with no orders."""
    commander = Autopilot(world) if pilot else None
    limit = max_ticks if max_ticks is not None else math.inf
    while not world.finished and world.tick < limit:
        world.step(commander.commands(world) if commander else ())
    return world
