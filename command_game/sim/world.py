"""The World: one headless election night, advanced one fixed tick (1/60 s) at a time.

Input -> Command -> ``World.step`` -> Events. Everything random comes from one seeded
numpy Generator, nothing reads the wall clock and nothing iterates an unordered set, so
the same level, seed and commands give the same ``state_hash`` at every tick in any
process. The rules and their numbers are in ``rules.py`` and ``docs/simulation.md``.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence

import numpy as np
import shapely

from command_game.level.gather import gather_area
from command_game.level.models import HQ_TYPES, Level
from command_game.sim import (
    dispatch,
    dispersal,
    event_cards,
    gathering,
    incidents,
    objectives,
    rules,
    scenario,
    trust,
)
from command_game.sim.commands import Command
from command_game.sim.cordon import Cordons
from command_game.sim.crowd import Crowd
from command_game.sim.events import Event
from command_game.sim.exit_route import ExitRoutes
from command_game.sim.flowfield import flow_fields
from command_game.sim.loss_reasons import Evidence, LossReason, loss_reasons
from command_game.sim.roads import RoadNetwork
from command_game.sim.state import (
    ConvoyState,
    History,
    IncidentState,
    ObjectiveState,
    Score,
    SiteState,
    UnitState,
)
from command_game.sim.unit_bodies import UnitBodies

TICK_RATE = rules.TICK_RATE


class World:
    """All gameplay state of one mission. Views read it; only ``step`` changes it."""

    def __init__(self, level: Level, seed: int = 0, reputation: float | None = None) -> None:
        self.seed = int(seed)
        self.base_level = level  # as written; self.level is the night this seed plays
        self.level = level = scenario.vary(level, self.seed)
        self.rng = np.random.default_rng(self.seed)
        self.tick = 0
        self.outcome: str | None = None
        self.end_reason = ""
        self.kamtibmas_index = 100.0
        self.trust = trust.start(reputation)  # the Polres's reputation from the campaign
        self.start_trust = self.trust
        self.brimob_used = False
        self.tni_calls_left = level.tni_backup_calls
        self.command_log: list[Command] = []
        self.history = History()
        self.incidents: list[IncidentState] = []
        self.response_s: list[float] = []  # per resolved incident: seconds from seen to done
        self.events: list[Event] = []
        self.evidence = Evidence()  # what the debrief's "why lost" needs (read-only)
        self.loss_reasons: list[LossReason] = []  # filled when the night is lost
        fields = flow_fields(level)
        self.fields = fields
        self.crowd = Crowd(fields, level.map.width_m, level.map.height_m,
                           [b.polygon for b in level.buildings])
        self.unit_bodies = UnitBodies(self.crowd.space)
        self.cordons = Cordons(self.crowd.space)
        self.exits = ExitRoutes()
        self.roads = RoadNetwork(level, fields.cell, fields.rows, fields.cols)
        self.sites = {o.id: SiteState(o.id, o.type, o.name, o.x, o.y, o.radius_m, o.node,
                                      _district_of(level, o.x, o.y)) for o in level.offices}
        self.units: dict[str, UnitState] = {}
        for spec in level.units:
            base = self.sites.get(spec.base) or self._first_hq()
            dispatch.add_unit(self, spec.id, spec.type, spec.name, base.id, spec.personnel,
                              round(spec.available_s * TICK_RATE))
        self._scripted = sorted(level.incidents, key=lambda s: (s.at_s, s.id))
        self._triggers_fired: list[str] = []
        self.convoys = {c.id: _convoy_state(level, c) for c in level.convoys}
        self.objectives = [ObjectiveState(o.id, o.kind, o.optional, o.title, spec=o)
                           for o in level.objectives]
        self._sources = []
        for i, src in enumerate(level.crowd_sources):
            site = self.sites.get(src.attractor)
            if site is None:
                continue
            goal = self.crowd.add_goal(gather_area(level.office(src.attractor)))
            home = self.crowd.add_goal(shapely.Point(src.x, src.y).buffer(rules.HOME_RADIUS_M))
            self._sources.append([i, src, goal, home, 0.0, 0])  # .., spawn credit, spawned
        gathering.gather(self)
        self.history.tension = {s: [] for s in self.sites}
        self.cards = event_cards.Deck.for_level(level)
        self.crowd.update_density()

    @classmethod
    def from_level(cls, level: Level, seed: int = 0, reputation: float | None = None) -> World:
        return cls(level, seed, reputation)

    # --- time ----------------------------------------------------------------------------
    @property
    def time_s(self) -> float:
        return self.tick / TICK_RATE

    @property
    def finished(self) -> bool:
        return self.outcome is not None

    def clock_text(self) -> str:
        """Election-night time of day, from the level's start clock."""
        hh, mm = (int(p) for p in self.level.meta.start_clock.split(":"))
        total = (hh * 3600 + mm * 60 + int(self.time_s)) % 86400
        return f"{total // 3600:02d}:{total // 60 % 60:02d}:{total % 60:02d}"

    # --- the tick ------------------------------------------------------------------------
    def step(self, commands: Sequence[Command] = ()) -> list[Event]:
        """Advance one tick: apply commands, move units and crowd, then (at 10 Hz) the
        slower systems: incidents, tension, objectives. Returns this tick's events."""
        self.events = []
        if self.finished:
            return self.events
        for command in commands:
            self.command_log.append(command)
            dispatch.apply(self, command)
        physics = self.tick % rules.PHYSICS_EVERY == 0  # units move only when the space steps
        if physics:
            dispatch.drive_units(self)
        self.cordons.update(self)
        self.crowd.tick(self.rng, self.tick)
        if physics:
            dispatch.sync_units(self)
        dispatch.move_convoys(self, rules.DT)
        self.tick += 1
        if self.tick % rules.SLOW_EVERY == 0:
            self._slow_update(rules.SLOW_DT)
        if self.tick % TICK_RATE == 0:
            self._record_history()
        return self.events

    def _slow_update(self, dt: float) -> None:
        self.crowd.spread_agitation(dt)
        incidents.open_scripted(self)
        event_cards.update(self, dt)
        dispatch.update_units(self, dt)
        incidents.update(self, dt)
        incidents.update_sites(self, dt)
        incidents.update_index(self)
        if self.tick % TICK_RATE == 0:
            dispatch.replan(self)
        self.evidence.note(self, dt)
        objectives.update(self)
        self.exits.update(self, dt)
        dispersal.update(self, dt)  # changes the population: last, after all that reads it
        self._spawn(dt)

    def emit(self, kind: str, subject: str | None = None, site: str | None = None,
             value: float | None = None, detail: str = "") -> None:
        self.events.append(Event(self.tick, kind, subject, site, value, detail))

    # --- crowd upkeep ----------------------------------------------------------------------
    def _spawn(self, dt: float) -> None:
        t = self.time_s
        for entry in self._sources:
            _, src, goal, home, credit, spawned = entry
            if t < src.start_s or (src.end_s is not None and t >= src.end_s):
                continue
            credit += src.rate_per_min / 60.0 * dt
            n = min(int(credit), src.max_agents - spawned)
            if n > 0:
                xy = np.array([src.x, src.y]) + self.rng.normal(
                    0.0, rules.SPAWN_JITTER_M, (n, 2))
                free = self.fields.free.ravel()[self.fields.cell_index(xy)]
                xy[~free] = (src.x, src.y)
                xy[~free] += self.rng.uniform(-0.5, 0.5, (int((~free).sum()), 2))
                self.crowd.spawn(xy, goal, home, entry[0], src.agitation, self.rng)
                credit -= n
                spawned += n
            entry[4], entry[5] = credit, spawned

    # --- queries for the view ----------------------------------------------------------------
    def crowd_positions(self) -> np.ndarray:
        return self.crowd.pos

    def crowd_agitation(self) -> np.ndarray:
        return self.crowd.agitation

    def crowd_radii(self) -> np.ndarray:
        """Each citizen's body radius in metres, in the order of crowd_positions()."""
        return self.crowd.radius

    def crowd_headings(self) -> np.ndarray:
        """Where each citizen faces, radians counter-clockwise from +x (map east)."""
        return self.crowd.heading

    def density_grid(self) -> tuple[np.ndarray, float]:
        f = self.fields
        return self.crowd.counts.reshape(f.rows, f.cols), f.cell

    def agitation_grid(self) -> tuple[np.ndarray, float]:
        return self.crowd.agitation_grid(), self.fields.cell

    def score(self) -> Score:
        return objectives.score(self)

    def state_hash(self) -> str:
        """Digest of the gameplay state: replays compare it to detect divergence."""
        h = hashlib.sha256()
        h.update(f"{self.tick}|{self.outcome}|{self.trust!r}|{self.kamtibmas_index!r}|"
                 f"{self.brimob_used}|{self.tni_calls_left}".encode())
        crowd = self.crowd
        for arr in (crowd.pos, crowd.vel, crowd.agitation, crowd.going_home):
            h.update(np.ascontiguousarray(arr).tobytes())
        for u in self.units.values():
            h.update(u.summary().encode())
            if u.body_id:
                h.update(self.unit_bodies.summary(u.body_id).encode())
        for inc in self.incidents:
            h.update(inc.summary().encode())
        for s in self.sites.values():
            h.update(f"{s.id}:{s.tension!r}:{s.held_s!r}:{s.crush_s!r}".encode())
        for o in self.objectives:
            h.update(f"{o.id}:{o.status}".encode())
        h.update(self.cordons.summary().encode())
        h.update(self.exits.summary().encode())
        for c in self.convoys.values():
            h.update(f"{c.id}:{c.status}:{c.x!r}:{c.y!r}:{c.escort}".encode())
        h.update(self.cards.digest().encode())
        return h.hexdigest()

    # --- helpers -----------------------------------------------------------------------------
    def _first_hq(self) -> SiteState:
        hqs = [s for s in self.sites.values() if s.type in HQ_TYPES]
        return hqs[0] if hqs else next(iter(self.sites.values()))

    def end(self, outcome: str, reason: str) -> None:
        if self.outcome is None:
            self.outcome = outcome
            self.end_reason = reason
            self.loss_reasons = loss_reasons(self)
            self.emit("mission_won" if outcome == "won" else "mission_lost", detail=reason)

    def _record_history(self) -> None:
        self.history.index.append(round(self.kamtibmas_index, 3))
        self.history.trust.append(round(self.trust, 3))
        for sid, site in self.sites.items():
            self.history.tension[sid].append(round(site.tension, 3))
        if self.tick % (10 * TICK_RATE) == 0:
            grid, _ = self.density_grid()
            self.history.density.append((self.tick, grid.astype(np.uint16)))


def _district_of(level: Level, x: float, y: float) -> str | None:
    for d in level.districts:
        poly = shapely.Polygon(d.polygon)
        if poly.is_valid and shapely.contains_xy(poly, x, y):
            return d.id
    return None


def _convoy_state(level: Level, spec) -> ConvoyState:
    origin = next((o for o in level.offices if o.id == spec.origin), level.offices[0])
    return ConvoyState(spec.id, spec.origin, spec.destination, origin.x, origin.y,
                       depart_tick=math.floor(spec.depart_s * TICK_RATE),
                       speed_mps=spec.speed_kmh / 3.6)
