"""Incidents, site tension and the kamtibmas index (updated at 10 Hz).

An incident opens from the level's script or when a site's tension crosses a trigger.
The right unit types on site work it off; without them it escalates when its timer runs
out and fails when it runs out again. A hidden one (a planted package, a planned
sabotage) only Intelkam can find: if its timer runs out unseen, it has happened, and
fails at once.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from command_game.sim import crowd_pressure, dispatch, rules, trust
from command_game.sim.state import IncidentState

if TYPE_CHECKING:
    from command_game.sim.world import World


def open_scripted(world: World) -> None:
    while world._scripted and world._scripted[0].at_s * rules.TICK_RATE <= world.tick:
        s = world._scripted.pop(0)
        if s.site in world.sites:
            open_incident(world, s.id, s.type, s.site, s.severity, s.escalation_s, s.hidden)


def open_incident(world: World, iid: str, itype: str, site_id: str, severity: int,
                  escalation_s: float, hidden: bool) -> IncidentState:
    site = world.sites[site_id]
    ticks = max(1, round(escalation_s * rules.TICK_RATE))
    inc = IncidentState(iid, itype, site_id, severity, "hidden" if hidden else "open",
                        opened_tick=world.tick, escalates_at_tick=world.tick + ticks,
                        x=site.x, y=site.y, escalation_ticks=ticks)
    world.incidents.append(inc)
    if not hidden:
        _show(world, inc, "incident_opened")
    return inc


def _show(world: World, inc: IncidentState, kind: str) -> None:
    inc.revealed_tick = world.tick if inc.revealed_tick is None else inc.revealed_tick
    if inc.type in rules.ROAD_BLOCKING_INCIDENTS and inc.blocked_edge is None:
        edges = world.roads.edges_at(world.sites[inc.site].node)
        if edges:
            inc.blocked_edge = edges[0]
            world.roads.block(inc.blocked_edge)
    world.emit(kind, subject=inc.id, site=inc.site, value=float(inc.severity), detail=inc.type)


def _close(world: World, inc: IncidentState, status: str) -> None:
    inc.status = status
    if inc.blocked_edge is not None:
        world.roads.unblock(inc.blocked_edge)
        inc.blocked_edge = None


def update(world: World, dt: float) -> None:
    """Reveal, work off, escalate or fail every active incident."""
    for inc in world.incidents:
        if not inc.active:
            continue
        if inc.status == "hidden" and _intelkam_near(world, inc):
            inc.status = "open"
            _show(world, inc, "incident_revealed")
        if inc.visible:
            rate = _work_rate(world, inc) * trust.work_factor(world, inc.type)
            inc.progress += dt * rate / (rules.INCIDENT_WORK_S * inc.severity)
            if inc.progress >= 1.0:
                _resolve(world, inc)
                continue
        if world.tick >= inc.escalates_at_tick:
            _escalate(world, inc)


def _intelkam_near(world: World, inc: IncidentState) -> bool:
    return any(u.type == "intelkam" and math.hypot(u.x - inc.x, u.y - inc.y)
               <= rules.REVEAL_RADIUS_M for u in world.units.values())


def _work_rate(world: World, inc: IncidentState) -> float:
    rates = rules.RESOLVERS[inc.type]
    total = 0.0
    for unit in world.units.values():
        rate = rates.get(unit.type, 0.0)
        if rate <= 0.0:
            continue
        if unit.type == "siber":
            if unit.state == "on_site" and unit.target == inc.id:
                total += rate * dispatch.strength(unit)
        elif unit.site_id == inc.site and unit.state in ("on_site", "dialogue", "idle"):
            total += rate * dispatch.strength(unit)
    return total


def _resolve(world: World, inc: IncidentState) -> None:
    _close(world, inc, "resolved")
    inc.resolved_tick = world.tick
    seen = inc.revealed_tick if inc.revealed_tick is not None else inc.opened_tick
    world.response_s.append((world.tick - seen) / rules.TICK_RATE)
    world.emit("incident_resolved", subject=inc.id, site=inc.site, detail=inc.type)
    trust.gain(world, rules.TRUST_PER_RESOLVED)
    for unit in world.units.values():
        if unit.type == "siber" and unit.target == inc.id and unit.state == "on_site":
            unit.state, unit.order, unit.target = "idle", "idle", None
            unit.cooldown_until_tick = world.tick + round(rules.SIBER_COOLDOWN_S * rules.TICK_RATE)
            unit.available = False


def _escalate(world: World, inc: IncidentState) -> None:
    site = world.sites[inc.site]
    if inc.status == "open":
        inc.status = "escalated"
        inc.severity = min(3, inc.severity + 1)
        inc.escalates_at_tick = world.tick + inc.escalation_ticks
        site.tension = min(100.0, site.tension + rules.ESCALATION_TENSION * inc.severity)
        _show(world, inc, "incident_escalated")
        return
    if inc.status == "hidden":  # nobody found it in time: it happened
        inc.severity = min(3, inc.severity + 1)
        _show(world, inc, "incident_opened")
        world.emit("incident_escalated", subject=inc.id, site=inc.site,
                   value=float(inc.severity), detail="unseen")
    _close(world, inc, "failed")
    site.tension = min(100.0, site.tension + rules.FAILURE_TENSION)
    trust.lose(world, rules.FAILURE_TRUST, "failure")
    world.emit("incident_failed", subject=inc.id, site=inc.site, detail=inc.type)


# --- sites --------------------------------------------------------------------------------
def dialogue_ramp(unit) -> float:
    start, full = rules.DIALOGUE_RAMP_S
    return min(1.0, max(0.0, (unit.site_s - start) / (full - start)))


def update_sites(world: World, dt: float) -> None:
    """Tension per site: fed by the crowd's size, mood and packing and by visible
    incidents, slowed by Binluh in the district, taken down by units on site; the crowd
    there is stirred by tension and incidents and calmed by units nearby."""
    crowd = world.crowd
    growth = {sid: 0.0 for sid in world.sites}
    for inc in world.incidents:
        if inc.visible:
            growth[inc.site] += rules.INCIDENT_TENSION * inc.severity
            _stir(world, inc, dt)
    calm_districts = [world.sites[u.site_id].district for u in world.units.values()
                      if u.type == "binluh" and u.site_id is not None
                      and u.state in ("on_site", "dialogue", "patrolling")]
    for site in world.sites.values():
        near = crowd.near(site.x, site.y, site.radius_m * rules.CROWD_NEAR_FACTOR) \
            if crowd.count else np.zeros(0, bool)
        crowd_pressure.measure(world, site, near)
        if site.crowd:
            crowd.agitation[near] += dt * rules.AGITATION_FROM_TENSION * site.tension / 100.0 \
                * trust.agitation_factor(world)
        feed = growth[site.id] + crowd_pressure.crowd_feed(site)
        if site.district is not None and site.district in calm_districts:
            feed *= rules.BINLUH_GROWTH_FACTOR
        _set_tension(world, site, site.tension + dt * (feed - _calming(world, site)
                                                      - rules.TENSION_RELAX))
        _riot_clock(world, site, dt)
        crowd_pressure.crush_clock(world, site, dt)
        _hold_clock(world, site, dt)
        _triggers(world, site)
    _calm_crowd(world, dt)


def _calming(world: World, site) -> float:
    total = 0.0
    for unit in world.units.values():
        if unit.site_id != site.id or unit.state not in dispatch.WORKING_STATES:
            continue
        role = rules.ROLES[unit.type]
        power = role.presence * (0.5 if unit.state == "patrolling" else 1.0)
        if unit.state == "dialogue":
            power += role.dialogue * dialogue_ramp(unit) * trust.dialogue_factor(world)
        total += power * dispatch.strength(unit)
    return total


def _stir(world: World, inc: IncidentState, dt: float) -> None:
    crowd = world.crowd
    if not crowd.count:
        return
    rate, radius = rules.INCIDENT_AGITATION[inc.type]
    add = dt * rate * inc.severity * trust.agitation_factor(world)
    if radius is None:  # a hoax or hack online: it spreads further the longer it stands
        age = (world.tick - inc.opened_tick) / max(1, inc.escalation_ticks)
        crowd.agitation += dt * rate * inc.severity * trust.hoax_factor(world) * (1.0 + age)
    else:
        crowd.agitation[crowd.near(inc.x, inc.y, radius)] += add


def _calm_crowd(world: World, dt: float) -> None:
    crowd = world.crowd
    if not crowd.count:
        return
    for unit in world.units.values():
        role = rules.ROLES[unit.type]
        if role.calm <= 0.0 or unit.state not in dispatch.WORKING_STATES + ("escorting",):
            continue
        calm = role.calm
        if unit.state == "dialogue":
            calm += 0.03 * role.dialogue * dialogue_ramp(unit) * trust.dialogue_factor(world)
        radius = rules.CALM_RADIUS_M
        site = world.sites[unit.site_id] if unit.site_id is not None else None
        if site is not None:
            radius = max(radius, site.radius_m * rules.CROWD_NEAR_FACTOR)
            near = crowd.near(site.x, site.y, radius)
        else:
            near = crowd.near(unit.x, unit.y, radius)
        if role.provokes_below > 0.0 and near.any() \
                and float(crowd.agitation[near].mean()) < role.provokes_below:
            calm = -rules.PROVOKE_AGITATION  # riot police over a peaceful crowd: it bristles
        crowd.agitation[near] -= dt * calm * dispatch.strength(unit)
    np.maximum(crowd.agitation, 0.0, out=crowd.agitation)
    np.minimum(crowd.agitation, 1.0, out=crowd.agitation)


def _set_tension(world: World, site, value: float) -> None:
    old, new = site.tension, min(100.0, max(0.0, float(value)))
    site.tension = new
    for thr in rules.TENSION_THRESHOLDS:
        if old < thr <= new:
            world.emit("tension_crossed", subject=site.id, site=site.id, value=thr, detail="up")
        elif new < thr <= old:
            world.emit("tension_crossed", subject=site.id, site=site.id, value=thr,
                       detail="down")


def _riot_clock(world: World, site, dt: float) -> None:
    site.at_max_s = site.at_max_s + dt if site.tension >= 100.0 else 0.0
    if site.at_max_s >= rules.RIOT_AFTER_S and not site.rioted:
        site.rioted = True
        trust.lose(world, rules.RIOT_TRUST, "riot")
        world.emit("riot", subject=site.id, site=site.id, value=site.tension)


def _hold_clock(world: World, site, dt: float) -> None:
    held = any(u.site_id == site.id and u.state in ("on_site", "dialogue", "cordon")
               for u in world.units.values() if rules.ROLES[u.type].travels)
    site.held_s = site.held_s + dt if held else 0.0


def _triggers(world: World, site) -> None:
    for trig in world.level.triggers:
        if trig.site == site.id and trig.id not in world._triggers_fired \
                and site.tension >= trig.tension:
            world._triggers_fired.append(trig.id)
            open_incident(world, trig.id, trig.type, site.id, trig.severity, trig.escalation_s,
                          hidden=False)


def update_index(world: World) -> None:
    """Kamtibmas index: 100 minus the weighted mean and the worst of the public sites'
    tension (half each), minus visible unresolved incidents."""
    weights, values = [], []
    for site in world.sites.values():
        w = rules.SITE_WEIGHT.get(site.type, 0.0)
        if w > 0:
            weights.append(w)
            values.append(site.tension)
    if values:
        mean = float(np.average(values, weights=weights))
        pressure = 0.5 * mean + 0.5 * max(values)
    else:
        pressure = 0.0
    open_sev = sum(i.severity for i in world.incidents if i.visible)
    world.kamtibmas_index = float(np.clip(
        100.0 - pressure - rules.INDEX_INCIDENT_PENALTY * open_sev, 0.0, 100.0))
