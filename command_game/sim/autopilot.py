"""A reference commander: plays a level with ordinary Commands, the way a sensible player
would (pre-emptive, not repressive). Tests use it to prove a level can be won.

Once a second it: answers every visible incident with the unit that would have it worked
off soonest (Siber remotely; a unit stationed at a quiet site may be taken off it), and
more hands when those sent would not finish before it escalates; holds the sites
objectives name, escorts convoys that need it, sends dialogue to tense crowds, stations
the remaining patrol and dialogue units where the crowds expected to press hardest are
heading (pre-emptive presence), keeps Intelkam watching for hidden threats while any are
left, and calls TNI and Brimob when a site is about to riot (tension 70; never Brimob
with a no_brimob objective), Brimob (Gegana) for packages and sabotage.
Tired units (fatigue past ``FATIGUE_WARN``) on a standing job are recalled to rest at base
and another takes their place; a resting unit is only used again once rested.
A mass (``MASS_PER_CALMER`` people and more, the finale's vigils) is held before it is
tense: one calmer more per as many people, a tired calmer relieved one for one, a Reskrim
standing by; a provocation stirs thousands there at once (docs/simulation.md, "Masses").
"""

from __future__ import annotations

import math

from command_game.sim import crowd_pressure, dispatch, event_cards, rules
from command_game.sim.commands import Command
from command_game.sim.state import IncidentState, SiteState, UnitState
from command_game.sim.world import World

DECIDE_EVERY = rules.TICK_RATE
PUBLIC_TYPES = ("kpu", "bawaslu", "ppk", "tps", "warehouse")
REST_UNTIL = 0.25  # a recalled unit works again once this rested
ROTATE_BELOW_TENSION = 50.0  # tired units are relieved only from sites calmer than this
FORCE_INCIDENTS = ("suspicious_package", "sabotage")  # Brimob (Gegana) is the right unit
EMERGENCY_TENSION = 70.0  # a site this tense gets TNI and Brimob
CALMERS = ("dialogis", "binluh", "samapta")  # the units that calm a crowd by standing with it
DRIVE_ESTIMATE_MPS = 10.0  # door to door across a town's roads, for choosing who goes
RELIEF_CALM = 10.0  # a unit may leave a station this calm for a tense crowd nobody stands with
RELIEF_SHARE = 0.5  # ... if the crowd it leaves feeds less than this share of the tense one's
MASS_PER_CALMER = 1200  # a tense crowd gets one more calming unit per this many people
MASS_EMERGENCY_TENSION = 50.0  # ... and TNI and Brimob already this tense


class Autopilot:
    """Issues commands for a World; ``commands(world)`` is called before every step."""

    def __init__(self, world: World) -> None:
        self.level = world.level
        self.no_brimob = any(o.kind == "no_brimob" and not o.optional  # required only
                             for o in self.level.objectives)
        self.hold_sites = [(o.site, o.hold_s) for o in self.level.objectives
                           if o.kind == "hold_site"]
        self.escorts = [o.convoy for o in self.level.objectives if o.kind == "escort_convoy"]
        self.busy: dict[str, str] = {}  # unit id -> what it was sent for
        self.sent: dict[str, tuple[str, str | None]] = {}  # unit id -> (order, target) given
        self.resting: set[str] = set()  # recalled to rest until fatigue < REST_UNTIL
        self.relief: dict[str, str] = {}  # tired unit at a mass -> the unit sent to relieve it

    def commands(self, world: World) -> list[Command]:
        if world.tick % DECIDE_EVERY:
            return []
        self._forget_finished(world)
        out: list[Command] = self._rotate(world)
        for decide in (self._escort, self._incidents, self._hold, self._calm, self._station,
                       self._watch, self._scout, self._emergency, event_cards.policy_commands):
            out += decide(world)
        return out

    # --- bookkeeping -------------------------------------------------------------------------
    def _forget_finished(self, world: World) -> None:
        for uid, job in list(self.busy.items()):
            kind, _, ref = job.partition(":")
            if job_over(world, job) or self._taken(world, uid):
                del self.busy[uid]
            elif kind == "hold" and ref in self._held(world):
                self.busy[uid] = f"station:{ref}"  # done: it stays, but may be re-tasked

    def _taken(self, world: World, uid: str) -> bool:
        """The unit is no longer doing what it was sent for: an event card committed it
        elsewhere. Its job is forgotten, so it is re-tasked once it can be ordered again."""
        unit, sent = world.units.get(uid), self.sent.get(uid)
        if unit is None or sent is None:
            return False
        kind, target = sent
        return unit.order != kind or (kind not in ("patrol", "escort") and unit.target != target)

    def _held(self, world: World) -> set[str]:
        """Sites whose hold objectives are all met."""
        holds = [o for o in world.objectives if o.kind == "hold_site"]
        return {o.spec.site for o in holds} - {o.spec.site for o in holds
                                               if o.status != "met"}

    def _rotate(self, world: World) -> list[Command]:
        """Recall tired units from standing jobs (a hold objective not yet met excepted:
        leaving it would reset its clock); let rested ones work again."""
        out = []
        for uid in sorted(self.resting):
            if world.units[uid].fatigue < REST_UNTIL:
                self.resting.discard(uid)
        pending_holds = {o.spec.site for o in world.objectives
                         if o.kind == "hold_site" and o.status == "pending"}
        for uid, job in sorted(self.busy.items()):
            kind, _, ref = job.partition(":")
            unit = world.units.get(uid)
            if unit is None or unit.fatigue < rules.FATIGUE_WARN \
                    or kind not in ("hold", "station", "calm", "scout", "watch"):
                continue
            if kind == "hold" and ref in pending_holds:
                continue
            if ref in world.sites and world.sites[ref].tension >= ROTATE_BELOW_TENSION:
                continue  # nobody walks away from a site about to boil over
            leave, relief = self._relieved(world, unit, ref)
            out += relief
            if not leave:
                continue
            del self.busy[uid]
            self.resting.add(uid)
            out.append(Command(world.tick, "recall", (uid,)))
        return out

    def _at_mass(self, world: World, site_id: str) -> bool:
        """A mass stands, or is expected, at the site (``MASS_PER_CALMER`` people and more)."""
        site = world.sites.get(site_id)
        return site is not None and max(site.crowd, self._expected(world, math.inf).get(
            site_id, 0)) >= MASS_PER_CALMER

    def _relieved(self, world: World, unit: UnitState, site_id: str) -> tuple[bool, list[Command]]:
        """A tired calmer leaves a mass only once the relief it called for stands there:
        recalled at once, it would leave thousands to whatever stirs them next, and the
        units posted there together tire together. Returns (may leave, the relief's order)."""
        if unit.type not in CALMERS or not self._at_mass(world, site_id):
            return True, []
        relief = world.units.get(self.relief.get(unit.id, ""))
        if relief is not None and self.busy.get(relief.id) == f"station:{site_id}":
            arrived = relief.site_id == site_id and relief.state in ("on_site", "dialogue")
            if arrived:
                del self.relief[unit.id]
            return arrived, []
        site = world.sites[site_id]
        talk = unit.type in ("dialogis", "binluh")
        fresh = (talk and self._free(world, ("dialogis", "binluh"))) or self._free(world, CALMERS)
        relief = _nearest(fresh, site.x, site.y)
        if relief is None:
            self.relief.pop(unit.id, None)
            return False, []  # nobody to take over: it stays, tired
        self.relief[unit.id] = relief.id
        kind = "dialogue" if relief.type in ("dialogis", "binluh") else "hold"
        return False, [self._order(world, kind, relief, site_id, f"station:{site_id}")]

    def _free(self, world: World, types: tuple[str, ...] | None = None) -> list[UnitState]:
        units = [u for u in world.units.values() if u.available and u.id not in self.busy
                 and u.id not in self.resting and (types is None or u.type in types)]
        if self.no_brimob:
            units = [u for u in units if u.type != "brimob"]
        return units

    def _order(self, world: World, kind: str, unit: UnitState, target: str, job: str
               ) -> Command:
        self.busy[unit.id] = job
        self.sent[unit.id] = (kind, target)
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
            within = self._reinforce_within(world, inc)
            cmd = None if within <= 0.0 else self._answer(world, inc, within)
            if cmd is not None:
                out.append(cmd)
        return out

    def _reinforce_within(self, world: World, inc: IncidentState) -> float:
        """How soon another unit must get to an incident to be worth sending (0: it has
        enough hands). Too few until one unit is sent per severity point, or the units
        sent and the resolvers already standing at its site together work it off in about
        ``INCIDENT_WORK_S`` (rate x strength >= severity), so a Samapta company holding a
        TPS deals with the clash there and nobody crosses the map for it. Then, up to
        twice that many units, more help that arrives before it escalates, while those
        sent would not finish by then."""
        rates = rules.RESOLVERS[inc.type]
        sent = [world.units[uid] for uid, job in self.busy.items()
                if job == f"incident:{inc.id}" and uid in world.units]
        here = [u for u in world.units.values() if u not in sent and u.site_id == inc.site
                and u.state in ("on_site", "dialogue") and rates.get(u.type, 0.0) > 0.0]
        power = sum(rates.get(u.type, 0.0) * dispatch.strength(u) for u in sent + here)
        if len(sent) < inc.severity and power < inc.severity:
            return math.inf
        if len(sent) >= 2 * inc.severity:
            return 0.0
        site = world.sites[inc.site]
        arrive = max((_drive_s(u, site) for u in sent if u.site_id != inc.site), default=0.0)
        left_s = (inc.escalates_at_tick - world.tick) / rules.TICK_RATE
        in_time = arrive + _work_left_s(inc) / max(power, 1e-6) <= left_s
        return 0.0 if in_time else left_s

    def _answer(self, world: World, inc: IncidentState, within: float = math.inf
                ) -> Command | None:
        """The unit that would have the incident worked off soonest, free or standing guard
        at a quiet site, among those that get there within ``within`` seconds: its drive
        there (straight line at ``DRIVE_ESTIMATE_MPS``; Siber works remotely) plus the
        work left at its rate and strength. A strong team next door beats the best type
        across the map."""
        rates = rules.RESOLVERS[inc.type]
        force = () if inc.type in FORCE_INCIDENTS and not self.no_brimob else ("brimob",)
        types = tuple(t for t in rates if t not in (*force, "tni"))
        site = world.sites[inc.site]

        def finish(u: UnitState) -> tuple[float, str]:
            power = max(1e-6, rates[u.type] * dispatch.strength(u))
            return _drive_s(u, site) + _work_left_s(inc) / power, u.id
        pool = [u for u in self._free(world, types) + self._stationed(world, types)
                + self._watching(world, types) if _drive_s(u, site) < within]
        unit = min(pool, key=finish, default=None)
        if unit is None:
            return None
        kind = "cyber_response" if unit.type == "siber" else "respond"
        return self._order(world, kind, unit, inc.id, f"incident:{inc.id}")

    def _stationed(self, world: World, types: tuple[str, ...]) -> list[UnitState]:
        """Units only standing guard at a quiet site: the first to re-task."""
        quiet = [u for u in world.units.values() if u.type in types and u.available
                 and self.busy.get(u.id, "").startswith("station:")
                 and _quiet(world.sites[self.busy[u.id].partition(":")[2]])]
        return [u for u in quiet if not (self.no_brimob and u.type == "brimob")]

    def _watching(self, world: World, types: tuple[str, ...]) -> list[UnitState]:
        """Units standing by at a mass for what may break out there (``_watch``)."""
        return [u for u in world.units.values() if u.type in types and u.available
                and self.busy.get(u.id, "").startswith("watch:")]

    def _watch(self, world: World) -> list[Command]:
        """A free Reskrim team stands by at the biggest mass expected (``MASS_PER_CALMER``
        people and more): a provocateur working thousands is caught in seconds, not after
        a drive across town through the crowd. It answers any incident from there."""
        expected = self._expected(world)
        masses = [sid for sid in self._crowd_targets(world)
                  if expected[sid] >= MASS_PER_CALMER]
        if not masses or any(j.startswith("watch:") for j in self.busy.values()):
            return []
        site = world.sites[masses[0]]
        unit = _nearest(self._free(world, ("reskrim",)), site.x, site.y)
        if unit is None:
            return []
        return [self._order(world, "hold", unit, site.id, f"watch:{site.id}")]

    def _relief(self, world: World, tense: SiteState) -> list[UnitState]:
        """Calming units stationed at a calm site whose crowd feeds, and will feed, less
        than half the tension the tense site's does (``crowd_pressure.crowd_feed``)."""
        need = crowd_pressure.crowd_feed(tense) * RELIEF_SHARE
        out = []
        for u in self._stationed(world, CALMERS):
            site = world.sites[self.busy[u.id].partition(":")[2]]
            feed = max(crowd_pressure.crowd_feed(site), self._source_feed(site.id))
            if site.tension < RELIEF_CALM and feed < need:
                out.append(u)
        return out

    def _station(self, world: World) -> list[Command]:
        """Pre-emptive presence: free patrol/dialogue units go where crowds are heading,
        the crowd expected to press hardest (its size and its mood) first, one unit per
        site; then a mass (``MASS_PER_CALMER`` expected and more) gets one more per as
        many people (one company's presence does not calm thousands, and a provocation
        stirs them all), a dialogue team first while none stands with it."""
        out = []
        with_it = self._with(world)
        expected = self._expected(world)
        pressing = self._pressing_crowds(world)
        for site_id in pressing + [s for s in pressing
                                   if expected.get(s, 0) >= MASS_PER_CALMER]:
            want = 1 if with_it.get(site_id, 0) == 0 else _calmers_for(expected.get(site_id, 0))
            if with_it.get(site_id, 0) >= want:
                continue
            site = world.sites[site_id]
            mass = expected.get(site_id, 0) >= MASS_PER_CALMER
            talkers = self._free(world, ("dialogis", "binluh")) \
                if mass and not self._talking(world, site_id) else []
            unit = _nearest(talkers or self._free(world, CALMERS), site.x, site.y)
            if unit is None:
                break
            kind = "dialogue" if unit.type in ("dialogis", "binluh") else "hold"
            out.append(self._order(world, kind, unit, site_id, f"station:{site_id}"))
            with_it[site_id] = with_it.get(site_id, 0) + 1
        return out

    def _with(self, world: World) -> dict[str, int]:
        """Per site, the units holding it, stationed or sent to calm it."""
        out: dict[str, int] = {}
        for uid, job in self.busy.items():
            kind, _, ref = job.partition(":")
            if kind in ("hold", "station", "calm") and uid in world.units:
                out[ref] = out.get(ref, 0) + 1
        return out

    def _talking(self, world: World, site_id: str) -> bool:
        """A dialogue team (dialogis, binluh) holds, is stationed at or calms the site."""
        return any(job.partition(":")[2] == site_id and uid in world.units
                   and world.units[uid].type in ("dialogis", "binluh")
                   and job.partition(":")[0] in ("hold", "station", "calm")
                   for uid, job in self.busy.items())

    def _pressing_crowds(self, world: World, soon_s: float = 90.0) -> list[str]:
        """Sites crowds head for within soon_s, the hardest pressing first
        (``_source_feed``)."""
        soon = world.time_s + soon_s
        sites = {src.attractor for src in self.level.crowd_sources
                 if src.start_s <= soon and src.attractor in world.sites}
        return sorted(sites, key=lambda sid: (-self._source_feed(sid, soon), sid))

    def _source_feed(self, site_id: str, by_s: float = math.inf) -> float:
        """The tension a site's crowd will feed as the level's sources (started by by_s)
        tell it (``crowd_pressure.feed``: head count with diminishing returns x
        mood): an agitated 250 outweighs a calm 300, and a crowd a unit has calmed still
        counts as what it will be again without it."""
        srcs = [s for s in self.level.crowd_sources
                if s.attractor == site_id and s.start_s <= by_s]
        size = sum(_people(s) for s in srcs)
        mood = sum(s.max_agents * s.agitation + (s.gathered or 0) * _gathered_mood(s)
                   for s in srcs)
        return crowd_pressure.feed(size, mood / size) if size else 0.0

    def _expected(self, world: World, soon_s: float = 90.0) -> dict[str, int]:
        """People the level's sources (started within soon_s) send to each site, with those
        already gathered there."""
        soon = world.time_s + soon_s
        expected: dict[str, int] = {}
        for src in self.level.crowd_sources:
            if src.start_s <= soon and src.attractor in world.sites:
                expected[src.attractor] = expected.get(src.attractor, 0) + _people(src)
        return expected

    def _crowd_targets(self, world: World, soon_s: float = 90.0) -> list[str]:
        expected = self._expected(world, soon_s)
        return sorted(expected, key=lambda sid: (-expected[sid], sid))

    def _hold(self, world: World) -> list[Command]:
        out = []
        held = self._held(world)
        for site_id, _ in self.hold_sites:
            if site_id in held or any(j == f"hold:{site_id}" for j in self.busy.values()):
                continue
            site = world.sites[site_id]
            unit = None
            for types in (("samapta",), ("dialogis", "binluh"), ("reskrim",)):
                unit = unit or _nearest(self._free(world, types), site.x, site.y)
            if unit is not None:
                out.append(self._order(world, "hold", unit, site_id, f"hold:{site_id}"))
        return out

    def _calm(self, world: World) -> list[Command]:
        """Tense crowds get a dialogue team or Samapta; a tense crowd nobody stands with
        gets one taken off a calm site whose crowd presses far less, when none is free.
        A mass (``MASS_PER_CALMER`` people and more) gets one more calmer per as many
        people, dialogue teams first: one company's presence does not calm thousands."""
        out = []
        tense = sorted((s for s in world.sites.values()
                        if s.type in PUBLIC_TYPES and s.tension >= 25.0 and s.crowd > 10),
                       key=lambda s: -s.tension)
        for site in tense:
            with_it = sum(j in (f"calm:{site.id}", f"hold:{site.id}", f"station:{site.id}")
                          for j in self.busy.values())
            if with_it >= 1 + site.crowd // MASS_PER_CALMER and site.tension < 70.0:
                continue
            mass = with_it and site.crowd >= MASS_PER_CALMER
            talkers = self._free(world, ("dialogis", "binluh")) if mass else []
            unit = _nearest(talkers or self._free(world, CALMERS), site.x, site.y)
            if unit is None and not with_it:
                unit = _nearest(self._relief(world, site), site.x, site.y)
            if unit is None:
                continue
            kind = "dialogue" if unit.type in ("dialogis", "binluh") else "hold"
            out.append(self._order(world, kind, unit, site.id, f"calm:{site.id}"))
        return out

    def _scout(self, world: World) -> list[Command]:
        """Intelkam patrols the public offices nearest next from where each team stands.
        The first team keeps watch over the suspects, the places the intelligence (the
        level as written: a hidden threat's site and its candidates) points to; with
        more teams, the second watches the two offices the biggest crowds head for (the
        likeliest targets) and the others tour them all."""
        if not _threats_left(world):
            return []  # nothing left to find: the teams are free for other work
        teams = sorted(u.id for u in world.units.values() if u.type == "intelkam")
        suspects, crowds = _suspects(world), tuple(self._crowd_targets(world, math.inf)[:2])
        watches = [suspects] if len(suspects) >= 2 else []
        if len(teams) >= 2 and len(crowds) == 2:
            watches.append(crowds)
        out = []
        for unit in self._free(world, ("intelkam",)):
            rank = teams.index(unit.id)
            route = watches[rank] if rank < len(watches) else tuple(_tour(world, unit))
            if route:
                self.busy[unit.id] = "scout"
                self.sent[unit.id] = ("patrol", None)
                out.append(Command(world.tick, "patrol", (unit.id,), route=route))
        return out

    def _emergency(self, world: World) -> list[Command]:
        out = []
        for site in world.sites.values():
            mass = site.crowd >= MASS_PER_CALMER  # thousands go from 50 to 100 in seconds
            if site.tension < (MASS_EMERGENCY_TENSION if mass else EMERGENCY_TENSION):
                continue
            if world.tni_calls_left > 0 and not any(
                    j == f"tni:{site.id}" for j in self.busy.values()):
                self.busy[f"tni_call_{world.tni_calls_left}"] = f"tni:{site.id}"
                out.append(Command(world.tick, "call_tni", target=site.id))
            if not self.no_brimob and not any(j == f"riot:{site.id}"
                                              for j in self.busy.values()):
                unit = _nearest(self._free(world, ("brimob",)), site.x, site.y)
                if unit is not None:
                    out.append(self._order(world, "hold", unit, site.id, f"riot:{site.id}"))
        return out


def _calmers_for(people: int) -> int:
    """Calming units a crowd this big needs: one, and one more per MASS_PER_CALMER."""
    return 1 + people // MASS_PER_CALMER


def _people(src) -> int:
    """Everyone a crowd source brings: its walkers and those gathered from the start."""
    return src.max_agents + (src.gathered or 0)


def _gathered_mood(src) -> float:
    return src.agitation if src.gathered_agitation is None else src.gathered_agitation


def _quiet(site: SiteState) -> bool:
    """A site a unit standing there may be taken from: calm, and no mass stands there."""
    return site.tension < 40.0 and site.crowd < MASS_PER_CALMER


def _drive_s(unit: UnitState, site: SiteState) -> float:
    """A rough drive time to a site, for choosing who goes (Siber works remotely)."""
    if not rules.ROLES[unit.type].travels:
        return 0.0
    return math.hypot(unit.x - site.x, unit.y - site.y) / DRIVE_ESTIMATE_MPS


def _work_left_s(inc: IncidentState) -> float:
    """Seconds of work left on an incident for a unit of rate x strength 1."""
    return rules.INCIDENT_WORK_S * inc.severity * (1.0 - inc.progress)


def _threats_left(world: World) -> bool:
    """A hidden threat of the script has not opened yet or is still active."""
    hidden = [spec.id for spec in world.level.incidents if spec.hidden]
    done = {i.id for i in world.incidents if not i.active}
    return any(h not in done for h in hidden)


def _suspects(world: World) -> tuple[str, ...]:
    """Where hidden threats may be, as the level is written (not where this night put
    them): each hidden incident's site and its variation candidates, nearest-next from
    the first."""
    level = world.base_level
    rules_by_id = {v.incident: v.sites for v in (level.variation.incidents
                                                  if level.variation else [])}
    sites: list[str] = []
    for inc in level.incidents:
        if inc.hidden:
            sites += [inc.site, *rules_by_id.get(inc.id, [])]
    sites = [s for s in dict.fromkeys(sites) if s in world.sites]
    if len(sites) == 1:  # one place: watch it and the public office nearest it
        here = world.sites[sites[0]]
        others = [s for s in world.sites.values() if s.type in PUBLIC_TYPES and s.id != here.id]
        near = min(others, key=lambda s: (math.hypot(s.x - here.x, s.y - here.y), s.id),
                   default=None)
        sites += [near.id] if near is not None else []
    return tuple(sites)


def _tour(world: World, unit: UnitState) -> list[str]:
    """The public offices in nearest-next order from the unit."""
    left = [s for s in world.sites.values() if s.type in PUBLIC_TYPES]
    x, y, tour = unit.x, unit.y, []
    while left:
        site = min(left, key=lambda s: (math.hypot(s.x - x, s.y - y), s.id))
        left.remove(site)
        tour.append(site.id)
        x, y = site.x, site.y
    return tour


def job_over(world: World, job: str) -> bool:
    """A unit's incident job ends when the incident does, an escort when its convoy is
    in or lost; other jobs (holds, stations) end only when the commander says so."""
    kind, _, ref = job.partition(":")
    if kind == "incident":
        inc = next((i for i in world.incidents if i.id == ref), None)
        return inc is None or not inc.active
    if kind == "scout":
        return not _threats_left(world)
    if kind == "escort":
        convoy = world.convoys.get(ref)
        return convoy is None or convoy.status in ("arrived", "disrupted")
    return False


def _nearest(units: list[UnitState], x: float, y: float) -> UnitState | None:
    return min(units, key=lambda u: (math.hypot(u.x - x, u.y - y), u.id), default=None)


def play(world: World, max_ticks: int | None = None, pilot: bool = True) -> World:
    """Run the world to its end (or max_ticks) with the autopilot, or with no orders."""
    commander = Autopilot(world) if pilot else None
    limit = max_ticks if max_ticks is not None else math.inf
    while not world.finished and world.tick < limit:
        world.step(commander.commands(world) if commander else ())
    return world
