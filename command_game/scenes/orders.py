"""Input -> Command: what the player pointed at, what is selected, and which order it means.

The map scene turns clicks and keys into calls here and sends the returned ``Command``s
to the world; nothing here touches the world's state, it only reads it. Kept free of
arcade so the rules (what a right-click on an incident means, which units a box picks,
control groups) are tested without a window.

Keys (defaults from ``command_game.controls``): 1..9 recall a control group and
Ctrl+1..9 sets it; speed is Space (pause), ``-`` and ``=`` (slower / faster) or the
speed buttons, so the number row is free for groups.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from command_game.sim.commands import Command

TargetKind = Literal["incident", "office", "convoy", "node", "point"]

#: Orders offered by the context menu for each kind of target, the default first.
ORDER_MENU: dict[str, tuple[str, ...]] = {
    "incident": ("respond", "dialogue", "hold", "move", "patrol", "cyber_response", "call_tni"),
    "office": ("hold", "dialogue", "patrol", "move", "call_tni"),
    "convoy": ("escort", "move"),
    "node": ("move", "patrol"),
    "point": ("move", "cordon", "exit_route"),
}
#: Orders that need no target at all.
UNTARGETED = ("recall",)
#: Incident types the Siber unit answers remotely.
CYBER_INCIDENTS = ("hoax", "hacking")
LIVE_INCIDENT = ("open", "escalated")


@dataclass(frozen=True)
class Target:
    """Something on the map an order can point at."""

    kind: TargetKind
    id: str | None
    point: tuple[float, float]
    site: str | None = None  # the office an incident or office target stands for


def _dist(ax: float, ay: float, bx: float, by: float) -> float:
    return math.hypot(ax - bx, ay - by)


def pick_target(world: Any, x: float, y: float, radius_m: float) -> Target:
    """The most specific thing under a map point: incident, convoy, office, road node,
    else the point itself. ``radius_m`` is the click tolerance in metres."""
    for inc in world.incidents:
        if inc.status in LIVE_INCIDENT and _dist(inc.x, inc.y, x, y) <= radius_m * 1.5:
            return Target("incident", inc.id, (inc.x, inc.y), inc.site)
    for convoy in world.convoys.values():
        if convoy.status in ("waiting", "moving") and _dist(convoy.x, convoy.y, x, y) <= radius_m:
            return Target("convoy", convoy.id, (convoy.x, convoy.y))
    for site in world.sites.values():
        office = world.level.office(site.id)
        if _dist(site.x, site.y, x, y) <= max(radius_m, office.radius_m):
            return Target("office", site.id, (site.x, site.y), site.id)
    for node in world.level.roads.nodes:
        if _dist(node.x, node.y, x, y) <= radius_m:
            return Target("node", node.id, (node.x, node.y))
    return Target("point", None, (x, y))


def unit_at(world: Any, x: float, y: float, radius_m: float) -> str | None:
    """The nearest unit within ``radius_m`` of a map point."""
    best, best_d = None, radius_m
    for unit in world.units.values():
        d = _dist(unit.x, unit.y, x, y)
        if d <= best_d:
            best, best_d = unit.id, d
    return best


def units_in_box(world: Any, x0: float, y0: float, x1: float, y1: float) -> list[str]:
    """Units inside a drag box (any corner order), in roster order."""
    left, right = sorted((x0, x1))
    bottom, top = sorted((y0, y1))
    return [u.id for u in world.units.values()
            if left <= u.x <= right and bottom <= u.y <= top]


def default_order(target: Target) -> str:
    return ORDER_MENU[target.kind][0]


def nearest_node(world: Any, x: float, y: float) -> str:
    return min(world.level.roads.nodes, key=lambda n: _dist(n.x, n.y, x, y)).id


def orders_for(world: Any, kind: str, target: Target | None,
               unit_ids: Sequence[str]) -> list[Command]:
    """The Commands an order means for the selected units. Empty when it cannot apply
    (an escort order on an office, a respond order on an empty road); the scene then
    tells the player why instead of sending something the world would reject."""
    tick = world.tick
    units = [world.units[u] for u in unit_ids if u in world.units]
    if kind == "call_tni":
        site = target.site if target is not None else None
        return [Command(tick, "call_tni", (), target=site)] if site else []
    if not units:
        return []
    if kind in UNTARGETED:
        return [Command(tick, kind, tuple(u.id for u in units))]
    if target is None:
        return []
    if kind == "respond" and target.kind == "incident":
        return _respond(world, tick, units, target)
    if kind == "cyber_response":
        siber = tuple(u.id for u in units if u.type == "siber")
        if siber and target.kind == "incident":
            return [Command(tick, "cyber_response", siber, target=target.id)]
        return []
    movers = tuple(u.id for u in units if u.type != "siber")
    if not movers:
        return []
    if kind == "move":
        if target.kind in ("office", "node"):
            return [Command(tick, "move", movers, target=target.id)]
        if target.kind == "incident":
            return [Command(tick, "move", movers, target=target.site)]
        return [Command(tick, "move", movers, point=target.point)]
    if kind in ("hold", "dialogue"):
        return [Command(tick, kind, movers, target=target.site)] if target.site else []
    if kind == "patrol":
        goal = target.site or (target.id if target.kind == "node" else None)
        if goal is None:
            goal = nearest_node(world, *target.point)
        first = world.units[movers[0]]
        start = nearest_node(world, first.x, first.y)
        return [Command(tick, "patrol", movers, route=(start, goal))] if start != goal else []
    if kind in ("cordon", "exit_route") and target.kind == "point":  # the nearest office's
        office = min(world.sites.values(), key=lambda s: _dist(s.x, s.y, *target.point))
        return [Command(tick, kind, movers, target=office.id, point=target.point)]
    if kind == "escort" and target.kind == "convoy":
        return [Command(tick, "escort", movers, target=target.id)]
    return []


def _respond(world: Any, tick: int, units: list[Any], target: Target) -> list[Command]:
    """Siber answers hoaxes and hacking remotely; everyone else travels to respond."""
    incident = next((i for i in world.incidents if i.id == target.id), None)
    cyber = incident is not None and incident.type in CYBER_INCIDENTS
    siber = tuple(u.id for u in units if u.type == "siber")
    others = tuple(u.id for u in units if u.type != "siber")
    commands = []
    if cyber and siber:
        commands.append(Command(tick, "cyber_response", siber, target=target.id))
    if others:
        commands.append(Command(tick, "respond", others, target=target.id))
    return commands


class Selection:
    """The selected units and the nine control groups."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.groups: dict[int, tuple[str, ...]] = {}

    def __contains__(self, unit_id: str) -> bool:
        return unit_id in self.ids

    def __len__(self) -> int:
        return len(self.ids)

    def click(self, unit_id: str | None, add: bool = False) -> None:
        """A click on a unit selects it; shift-click toggles it; a click on nothing clears."""
        if not add:
            self.ids = [unit_id] if unit_id else []
        elif unit_id in self.ids:
            self.ids.remove(unit_id)
        elif unit_id:
            self.ids.append(unit_id)

    def box(self, unit_ids: Iterable[str], add: bool = False) -> None:
        picked = list(unit_ids)
        self.ids = (self.ids + [u for u in picked if u not in self.ids]) if add else picked

    def set(self, unit_ids: Iterable[str]) -> None:
        self.ids = list(dict.fromkeys(unit_ids))

    def clear(self) -> None:
        self.ids = []

    def set_group(self, number: int) -> None:
        self.groups[number] = tuple(self.ids)

    def recall_group(self, number: int, existing: Iterable[str]) -> bool:
        """Selects a group's units that still exist; False when the group is empty."""
        alive = set(existing)
        members = [u for u in self.groups.get(number, ()) if u in alive]
        if members:
            self.ids = members
        return bool(members)

    def group_of(self, unit_id: str) -> int | None:
        return next((n for n, ids in sorted(self.groups.items()) if unit_id in ids), None)
