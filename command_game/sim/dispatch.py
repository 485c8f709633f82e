"""Dispatch: turning commands into unit orders and routes, and driving units and convoys
over the road graph. Units are pymunk bodies pulled by a limited force (``unit_bodies.py``):
they drive to the road node that serves their destination, their officers walk the last
stretch, and the crowd in their way slows them."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from command_game.level.models import HQ_TYPES
from command_game.sim import event_cards, fatigue, rules, trust
from command_game.sim.commands import Command
from command_game.sim.state import ConvoyState, UnitState
from command_game.sim.unit_bodies import push_force

if TYPE_CHECKING:
    from command_game.sim.world import World

WORKING_STATES = ("on_site", "dialogue", "idle", "patrolling", "cordon", "exit_route")
DRIVE_IN = "~"  # route node marker: off the road, still in the vehicle (see _plan)


def add_unit(world: World, uid: str, utype: str, name: str, base: str, personnel: int,
             available_tick: int) -> UnitState:
    site = world.sites[base]
    unit = UnitState(uid, utype, name, site.x, site.y, base, personnel,
                     available_from_tick=available_tick)
    if rules.ROLES[utype].travels:
        unit.body_id = world.unit_bodies.add(site.x, site.y, personnel)
    world.units[uid] = unit
    _refresh_available(world, unit)
    return unit


def strength(unit: UnitState) -> float:
    """How much a unit's work counts: more people help (with diminishing returns), tired
    people less."""
    return math.sqrt(unit.personnel / 10.0) * fatigue.work_factor(unit)


# --- commands -----------------------------------------------------------------------------
def apply(world: World, cmd: Command) -> None:
    if cmd.kind == "call_tni":
        _call_tni(world, cmd)
        return
    if cmd.kind == "choose_card":
        event_cards.choose(world, cmd)
        return
    if not cmd.unit_ids:
        world.emit("command_rejected", detail=f"{cmd.kind}: no units")
        return
    for uid in cmd.unit_ids:
        unit = world.units.get(uid)
        reason = _refusal(world, cmd, unit)
        if reason:
            world.emit("command_rejected", subject=uid, detail=f"{cmd.kind}: {reason}")
            continue
        _ORDERS[cmd.kind](world, unit, cmd)
        if unit.type == "brimob" and cmd.kind != "recall":
            world.brimob_used = True
            trust.lose(world, rules.BRIMOB_TRUST_COST, "force")


def _refusal(world: World, cmd: Command, unit: UnitState | None) -> str:
    if unit is None:
        return "unknown unit"
    if world.tick < unit.available_from_tick:
        return "not available yet"
    if cmd.kind == "cyber_response":
        if unit.type != "siber":
            return "only Siber answers remotely"
        if world.tick < unit.cooldown_until_tick:
            return "cooling down"
        inc = _incident(world, cmd.target)
        if inc is None or not inc.visible or inc.type not in rules.REMOTE_INCIDENTS:
            return "target is not an open hoax or hacking incident"
        return ""
    if not rules.ROLES[unit.type].travels and cmd.kind != "recall":
        return "this unit works remotely"
    if cmd.kind in ("move", "hold", "dialogue"):
        if cmd.kind == "move" and cmd.point is not None:
            return ""
        if cmd.target not in world.sites and not (cmd.kind == "move"
                                                  and cmd.target in world.roads.nodes):
            return "unknown target"
    if cmd.kind == "patrol" and (not cmd.route or any(
            r not in world.sites and r not in world.roads.nodes for r in cmd.route)):
        return "patrol needs a route of offices or road nodes"
    if cmd.kind == "cordon" and (cmd.point is None or cmd.target not in world.sites):
        return "cordon needs an office to face and a point for the line"
    if cmd.kind == "exit_route" and (cmd.point is None or cmd.target not in world.sites):
        return "exit route needs the office whose crowd leaves and a point to lead it to"
    if cmd.kind == "escort" and cmd.target not in world.convoys:
        return "unknown convoy"
    if cmd.kind == "respond":
        inc = _incident(world, cmd.target)
        if inc is None or not inc.visible:
            return "no such open incident"
    return ""


def _incident(world: World, iid: str | None):
    return next((i for i in world.incidents if i.id == iid), None)


def _order_move(world: World, unit: UnitState, cmd: Command) -> None:
    if cmd.point is not None:
        node = world.roads.nearest_node(*cmd.point)
        _send(world, unit, node, cmd.point, "idle", "move", None)
    elif cmd.target in world.sites:
        site = world.sites[cmd.target]
        _send(world, unit, site.node, (site.x, site.y), "on_site", "move", site.id)
    else:
        _send(world, unit, cmd.target, None, "idle", "move", cmd.target)


def _order_site(world: World, unit: UnitState, cmd: Command) -> None:
    site = world.sites[cmd.target]
    final = "dialogue" if cmd.kind == "dialogue" else "on_site"
    _send(world, unit, site.node, (site.x, site.y), final, cmd.kind, site.id)


def _order_cordon(world: World, unit: UnitState, cmd: Command) -> None:
    node = world.roads.nearest_node(*cmd.point)
    _send(world, unit, node, cmd.point, "cordon", "cordon", cmd.target)


def _order_exit(world: World, unit: UnitState, cmd: Command) -> None:
    node = world.roads.nearest_node(*cmd.point)
    _send(world, unit, node, cmd.point, "exit_route", "exit_route", cmd.target)


def _order_patrol(world: World, unit: UnitState, cmd: Command) -> None:
    unit.patrol = tuple(cmd.route)
    unit.patrol_next = 0
    _next_patrol_leg(world, unit)


def _next_patrol_leg(world: World, unit: UnitState) -> None:
    stop = unit.patrol[unit.patrol_next % len(unit.patrol)]
    unit.patrol_next = (unit.patrol_next + 1) % len(unit.patrol)
    if stop in world.sites:
        site = world.sites[stop]
        _send(world, unit, site.node, (site.x, site.y), "patrolling", "patrol", stop, quiet=True)
    else:
        _send(world, unit, stop, None, "patrolling", "patrol", stop, quiet=True)
    unit.state = "patrolling"


def _order_escort(world: World, unit: UnitState, cmd: Command) -> None:
    convoy = world.convoys[cmd.target]
    node = world.roads.nearest_node(convoy.x, convoy.y)
    _send(world, unit, node, (convoy.x, convoy.y), "escorting", "escort", convoy.id)


def _order_respond(world: World, unit: UnitState, cmd: Command) -> None:
    inc = _incident(world, cmd.target)
    site = world.sites[inc.site]
    _send(world, unit, site.node, (site.x, site.y), "on_site", "respond", inc.id)


def _order_recall(world: World, unit: UnitState, cmd: Command) -> None:
    site = world.sites[unit.base]
    if not rules.ROLES[unit.type].travels:
        unit.state, unit.target, unit.order = "idle", None, "idle"
        return
    _send(world, unit, site.node, (site.x, site.y), "idle", "recall", site.id)
    unit.state = "returning"


def _order_cyber(world: World, unit: UnitState, cmd: Command) -> None:
    unit.state, unit.order, unit.target = "on_site", "cyber_response", cmd.target
    world.emit("unit_dispatched", subject=unit.id, detail=f"cyber_response:{cmd.target}")


def _call_tni(world: World, cmd: Command) -> None:
    if world.tni_calls_left <= 0:
        world.emit("command_rejected", detail="call_tni: no TNI backup calls left")
        return
    if cmd.target not in world.sites:
        world.emit("command_rejected", detail="call_tni: unknown target")
        return
    world.tni_calls_left -= 1
    n = sum(1 for u in world.units.values() if u.id.startswith("tni_backup_")) + 1
    base = next((s for s in world.sites.values() if s.type in HQ_TYPES),
                next(iter(world.sites.values())))
    unit = add_unit(world, f"tni_backup_{n}", "tni", f"TNI {n}", base.id, rules.TNI_PERSONNEL,
                    world.tick)
    _order_site(world, unit, Command(world.tick, "hold", (unit.id,), cmd.target))


_ORDERS = {
    "move": _order_move, "hold": _order_site, "dialogue": _order_site, "patrol": _order_patrol,
    "escort": _order_escort, "respond": _order_respond, "recall": _order_recall,
    "cyber_response": _order_cyber, "cordon": _order_cordon, "exit_route": _order_exit,
}


# --- routes -------------------------------------------------------------------------------
def _send(world: World, unit: UnitState, node: str, point, final: str, order: str,
          target: str | None, quiet: bool = False) -> None:
    unit.order, unit.target, unit.final_state, unit.destination = order, target, final, node
    unit.dest_site = next((s.id for s in world.sites.values()
                           if point is not None and (s.x, s.y) == tuple(point)), None)
    unit.site_s = 0.0
    _plan(world, unit, node, point)
    unit.state = "moving"
    if not quiet:
        world.emit("unit_dispatched", subject=unit.id, site=target if target in world.sites
                   else None, detail=f"{order}:{target}")


def _plan(world: World, unit: UnitState, node: str, point) -> None:
    roads = world.roads
    start = roads.nearest_node(unit.x, unit.y)
    path = roads.path(start, node) or [start]
    if len(path) >= 2:
        (x0, y0), (x1, y1) = roads.nodes[path[0]], roads.nodes[path[1]]
        if math.hypot(x1 - unit.x, y1 - unit.y) < math.hypot(x1 - x0, y1 - y0):
            path = path[1:]  # already past the first node, on the road to the second
    unit.route = [roads.nodes[n] for n in path]
    unit.route_nodes = list(path)
    unit.point = point
    if point is not None:
        px, py = float(point[0]), float(point[1])
        nx_, ny_ = unit.route[-1] if unit.route else (unit.x, unit.y)
        gap = math.hypot(px - nx_, py - ny_)
        if gap > rules.PARK_M:  # drive in off the road, park PARK_M short of the point
            k = 1.0 - rules.PARK_M / gap
            unit.route.append((nx_ + (px - nx_) * k, ny_ + (py - ny_) * k))
            unit.route_nodes.append(DRIVE_IN)
        unit.route.append((px, py))
        unit.route_nodes.append("")


def on_foot(unit: UnitState) -> bool:
    """The vehicle drives off the road toward the office or map point and parks PARK_M
    short of it; the officers walk the rest."""
    return bool(unit.route_nodes) and not unit.route_nodes[0] and unit.order != "escort"


def _leg_speed(world: World, unit: UnitState) -> float:
    role_mps = rules.ROLES[unit.type].speed_kmh / 3.6
    tired = fatigue.speed_factor(unit)
    nodes = unit.route_nodes
    if on_foot(unit):
        return rules.FOOT_MPS * tired
    if nodes and nodes[0] == DRIVE_IN:
        return min(role_mps, rules.OFFROAD_MPS) * tired
    if nodes and nodes[0] and unit.prev_node and unit.prev_node != nodes[0]:
        a, b = unit.prev_node, nodes[0]
        if world.roads.graph.has_edge(a, b):
            road = world.roads.edge_speed(a, b, unit.destination) * rules.SIREN_FACTOR
            return min(role_mps, road) * tired
    return role_mps * tired


def drive_units(world: World) -> None:
    """Command each unit body's velocity toward its next waypoint (or its convoy); the
    body follows with the force its officers can push with."""
    bodies = world.unit_bodies
    for unit in world.units.values():
        if not unit.body_id:
            continue
        vx = vy = 0.0
        if unit.state == "escorting":
            convoy = world.convoys.get(unit.target or "")
            if convoy is not None and convoy.status in ("waiting", "moving"):
                dx, dy = convoy.x - unit.x, convoy.y - unit.y
                gain = min(1.0, math.hypot(dx, dy) / 8.0)
                vx, vy = _toward(dx, dy, 20.0 * gain)
        elif unit.route and unit.state in ("moving", "returning", "patrolling"):
            tx, ty = unit.route[0]
            dx, dy = tx - unit.x, ty - unit.y
            dist = math.hypot(dx, dy)
            if dist < rules.ARRIVE_M or _close_enough(world, unit, dist):
                _pass_waypoint(world, unit)
            else:
                speed = min(_leg_speed(world, unit), dist * 4.0, _braking(unit, dist))
                vx, vy = _toward(dx, dy, speed)
        bodies.command(unit.body_id, vx, vy)
        bodies.set_force(unit.body_id, _force(world, unit))


def _braking(unit: UnitState, dist: float) -> float:
    """Slow enough to stop at the last road node (or the parking place) before the
    officers get out: v^2 = v_next^2 + 2 a d."""
    nodes = unit.route_nodes
    after = nodes[1] if len(nodes) > 1 else None
    if after == "":
        slow = rules.FOOT_MPS
    elif after == DRIVE_IN:
        slow = rules.OFFROAD_MPS
    else:
        return math.inf
    return math.sqrt(slow * slow + 2.0 * rules.BRAKE_MPS2 * dist)


def _force(world: World, unit: UnitState) -> float:
    """Officers push with their numbers (tired ones less); a vehicle adds its engine,
    and its brakes while it is still rolling faster than a walk."""
    push = push_force(unit.personnel) * fatigue.work_factor(unit)
    rolling = math.hypot(*world.unit_bodies.velocity(unit.body_id)) > 2.0 * rules.FOOT_MPS
    return push if on_foot(unit) and not rolling else push + rules.VEHICLE_DRIVE_N


def _toward(dx: float, dy: float, speed: float) -> tuple[float, float]:
    d = math.hypot(dx, dy)
    return (dx / d * speed, dy / d * speed) if d > 1e-9 else (0.0, 0.0)


def _close_enough(world: World, unit: UnitState, dist: float) -> bool:
    """At the last waypoint of an office, inside the site's disc is close enough: the
    officers stand at the crowd rather than dig into its packed core."""
    if len(unit.route) != 1 or unit.dest_site is None:
        return False
    if math.hypot(*world.unit_bodies.velocity(unit.body_id)) > 2.0 * rules.FOOT_MPS:
        return False  # still braking out of the drive: not standing there yet
    radius = world.sites[unit.dest_site].radius_m
    return dist < max(rules.ARRIVE_M, rules.ARRIVE_SITE_SHARE * radius)


def _pass_waypoint(world: World, unit: UnitState) -> None:
    unit.route.pop(0)
    node = unit.route_nodes.pop(0) if unit.route_nodes else ""
    if node and node != DRIVE_IN:
        unit.prev_node = node
    if unit.route:
        return
    if unit.order == "patrol" and unit.patrol:
        _next_patrol_leg(world, unit)
        return
    unit.state = unit.final_state
    if unit.order == "escort":
        unit.state = "moving"  # keep closing in until within escort range
        convoy = world.convoys.get(unit.target or "")
        if convoy is not None:
            unit.route = [(convoy.x, convoy.y)]
            unit.route_nodes = [""]
        return
    world.emit("unit_arrived", subject=unit.id, site=unit.target if unit.target in world.sites
               else None, detail=unit.order)


def sync_units(world: World) -> None:
    """Read unit positions back from the physics step (call once per step)."""
    bodies = world.unit_bodies
    bodies.after_step(rules.DT * rules.PHYSICS_EVERY)
    for unit in world.units.values():
        if unit.body_id:
            unit.x, unit.y = bodies.position(unit.body_id)


def progress_ratios(world: World) -> dict[str, float | None]:
    """Per travelling unit: distance made over distance commanded (1.0: nothing slowed
    it; lower: the crowd or the roads held it back)."""
    ratios = {}
    for unit in world.units.values():
        ratio = world.unit_bodies.progress_ratio(unit.body_id) if unit.body_id else None
        if ratio is not None:
            ratios[unit.id] = round(ratio, 3)
    return ratios


def replan(world: World) -> None:
    """Once a second: a moving unit whose road ahead is blocked or congested re-plans."""
    roads = world.roads
    counts = world.crowd.counts
    for eid in roads.update_density(counts, world.fields.cell):
        world.emit("tension_crossed", subject=eid, value=rules.CONGESTED_DENSITY,
                   detail="road_congested")
    for unit in world.units.values():
        if unit.state not in ("moving", "returning", "patrolling") or not unit.destination:
            continue
        nodes = [n for n in unit.route_nodes if n and n != DRIVE_IN]
        if not any(roads.is_bad(a, b) for a, b in zip(nodes, nodes[1:], strict=False)
                   if roads.graph.has_edge(a, b)):
            continue
        old = list(unit.route_nodes)
        state = unit.state
        _plan(world, unit, unit.destination, unit.point)
        unit.state = state
        if unit.route_nodes != old:
            world.emit("unit_rerouted", subject=unit.id, detail=unit.destination)
    for convoy in world.convoys.values():
        if convoy.status == "moving" and any(
                roads.is_bad(a, b) for a, b in zip(convoy.route_nodes, convoy.route_nodes[1:],
                                                   strict=False)
                if a and b and roads.graph.has_edge(a, b)):
            _plan_convoy(world, convoy)


# --- slow unit upkeep ------------------------------------------------------------------------
def unit_site(world: World, unit: UnitState):
    """The office a unit is working at, if it stands at one."""
    if unit.state not in WORKING_STATES and unit.state != "escorting":
        return None
    best, best_d = None, math.inf
    for site in world.sites.values():
        d = math.hypot(site.x - unit.x, site.y - unit.y)
        if d <= site.radius_m + rules.ON_SITE_MARGIN_M and d < best_d:
            best, best_d = site, d
    return best


def update_units(world: World, dt: float) -> None:
    """Fatigue, availability, escort pick-up and the time each unit has spent on site."""
    for unit in world.units.values():
        _refresh_available(world, unit)
        site = unit_site(world, unit)
        unit.site_id = site.id if site else None
        fatigue.update(world, unit, site, dt)
        unit.site_s = unit.site_s + dt if site is not None else 0.0
        if unit.order == "escort" and unit.state == "moving":
            convoy = world.convoys.get(unit.target or "")
            if convoy is not None and math.hypot(convoy.x - unit.x, convoy.y - unit.y) \
                    <= rules.ESCORT_RANGE_M:
                unit.state, unit.route, unit.route_nodes = "escorting", [], []
                if convoy.escort is None:
                    convoy.escort = unit.id
                world.emit("unit_arrived", subject=unit.id, detail=f"escort:{convoy.id}")
        if unit.type == "brimob" and site is not None and site.crowd > 20:
            trust.lose(world, rules.BRIMOB_TRUST_DRAIN * dt, "force")


def _refresh_available(world: World, unit: UnitState) -> None:
    unit.available = world.tick >= unit.available_from_tick and (
        world.tick >= unit.cooldown_until_tick)


# --- convoys ---------------------------------------------------------------------------------
def _plan_convoy(world: World, convoy: ConvoyState) -> None:
    roads = world.roads
    dest = world.sites[convoy.destination]
    start = roads.nearest_node(convoy.x, convoy.y)
    path = roads.path(start, dest.node) or [start]
    convoy.route = [roads.nodes[n] for n in path] + [(dest.x, dest.y)]
    convoy.route_nodes = list(path) + [""]


def move_convoys(world: World, dt: float) -> None:
    for convoy in world.convoys.values():
        if convoy.status == "waiting":
            _maybe_depart(world, convoy)
        elif convoy.status == "moving":
            _drive_convoy(world, convoy, dt)


def _maybe_depart(world: World, convoy: ConvoyState) -> None:
    if world.tick < convoy.depart_tick:
        return
    waited = world.tick - convoy.depart_tick
    if convoy.escort is None and waited < rules.CONVOY_WAIT_FOR_ESCORT_S * rules.TICK_RATE:
        return
    convoy.status = "moving"
    _plan_convoy(world, convoy)
    world.emit("convoy_departed", subject=convoy.id, site=convoy.origin,
               detail="escorted" if convoy.escort else "unescorted")


def _drive_convoy(world: World, convoy: ConvoyState, dt: float) -> None:
    escort = world.units.get(convoy.escort or "")
    if escort is not None and escort.state != "escorting":
        convoy.escort, escort = None, None
    speed = convoy.speed_mps * (1.2 if escort is not None and escort.type == "lantas" else 1.0)
    if escort is not None and math.hypot(escort.x - convoy.x, escort.y - convoy.y) > 30.0:
        speed *= 0.3  # wait for the escort to catch up
    if _hazard(world, convoy, escort, dt):
        return
    travel = speed * dt / (1.0 + rules.DENSITY_SLOWDOWN * _convoy_crowd(world, convoy))
    while travel > 0 and convoy.route:
        tx, ty = convoy.route[0]
        d = math.hypot(tx - convoy.x, ty - convoy.y)
        if d <= travel:
            convoy.x, convoy.y = tx, ty
            convoy.route.pop(0)
            convoy.route_nodes.pop(0)
            travel -= d
        else:
            convoy.x += (tx - convoy.x) / d * travel
            convoy.y += (ty - convoy.y) / d * travel
            travel = 0.0
    if not convoy.route:
        convoy.status = "arrived"
        world.emit("convoy_arrived", subject=convoy.id, site=convoy.destination)
        if escort is not None:
            escort.state, escort.order = "on_site", "hold"
            escort.target = convoy.destination


def _convoy_crowd(world: World, convoy: ConvoyState) -> float:
    """Persons/m2 on the road the convoy is driving (0 off the road graph)."""
    nodes = [n for n in convoy.route_nodes[:1] if n]
    if not nodes:
        return 0.0
    here = world.roads.nearest_node(convoy.x, convoy.y)
    if here == nodes[0] or not world.roads.graph.has_edge(here, nodes[0]):
        return 0.0
    return world.roads.density(here, nodes[0])


def _hazard(world: World, convoy: ConvoyState, escort: UnitState | None, dt: float) -> bool:
    """A convoy may be stopped on the road (a disruption incident opens): unescorted it
    is at risk all the way; any escort cuts that, Lantas to nothing; and a crowd packed
    on its road puts even an escorted convoy at risk."""
    if escort is None:
        factor = 1.0
    else:
        factor = rules.ESCORT_HAZARD_FACTOR.get(escort.type, rules.OTHER_ESCORT_HAZARD_FACTOR)
    crowd = max(0.0, _convoy_crowd(world, convoy) - rules.COMFORT_DENSITY)
    risk = rules.CONVOY_HAZARD_PER_S * factor + rules.CONVOY_CROWD_HAZARD_PER_S * crowd * (
        0.5 if escort is not None else 1.0)
    if risk <= 0.0:
        return False
    if world.rng.random() >= risk * dt:
        return False
    from command_game.sim import incidents

    convoy.status = "disrupted"
    site = min(world.sites.values(), key=lambda s: (s.x - convoy.x) ** 2 + (s.y - convoy.y) ** 2)
    incidents.open_incident(world, f"{convoy.id}_disrupted", "convoy_disruption", site.id,
                            2, 180.0, hidden=False)
    world.emit("convoy_disrupted", subject=convoy.id, site=site.id)
    return True
