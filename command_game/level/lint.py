"""Semantic checks on a schema-valid level, one pass per concern (after OpenRA's Lint/).

A pass returns problems and never raises, so the editor can run every pass on a
half-built level and list all that is wrong at once. Errors make a level unplayable;
warnings are things an author probably did not mean.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

import networkx as nx
from shapely.geometry import Point as ShapelyPoint
from shapely.geometry import Polygon
from shapely.ops import unary_union
from shapely.validation import explain_validity

from command_game.level.gather import check_gather
from command_game.level.map_features import check_features
from command_game.level.models import HQ_TYPES, Level
from command_game.level.night_checks import check_cards, check_variation
from command_game.level.problems import LevelError, Problem

LintPass = Callable[[Level], Iterator[Problem]]


def _err(path: str, message: str, fix: str, ref: str | None = None) -> Problem:
    return Problem("error", path, message, fix, ref)


def _warn(path: str, message: str, fix: str, ref: str | None = None) -> Problem:
    return Problem("warning", path, message, fix, ref)


def check_duplicate_ids(level: Level) -> Iterator[Problem]:
    lists = {
        "districts": level.districts,
        "buildings": level.buildings,
        "roads.nodes": level.roads.nodes,
        "roads.edges": level.roads.edges,
        "offices": level.offices,
        "crowd_sources": level.crowd_sources,
        "units": level.units,
        "incidents": level.incidents,
        "triggers": level.triggers,
        "convoys": level.convoys,
        "objectives": level.objectives,
    }
    for name, items in lists.items():
        counts = Counter(item.id for item in items)
        seen: set[str] = set()
        for i, item in enumerate(items):
            if counts[item.id] > 1 and item.id in seen:
                yield _err(f"{name}[{i}].id", f"duplicate id '{item.id}' in {name}",
                           "give every entry of the list its own id", item.id)
            seen.add(item.id)


def check_references(level: Level) -> Iterator[Problem]:
    nodes = {n.id for n in level.roads.nodes}
    offices = {o.id: o for o in level.offices}
    convoys = {c.id for c in level.convoys}

    def node_ref(path: str, value: str, owner: str) -> Iterator[Problem]:
        if value not in nodes:
            yield _err(path, f"road node '{value}' does not exist",
                       "use the id of a node in roads.nodes", owner)

    def office_ref(path: str, value: str, owner: str) -> Iterator[Problem]:
        if value not in offices:
            yield _err(path, f"office '{value}' does not exist",
                       "use the id of an office in offices", owner)

    for i, e in enumerate(level.roads.edges):
        yield from node_ref(f"roads.edges[{i}].a", e.a, e.id)
        yield from node_ref(f"roads.edges[{i}].b", e.b, e.id)
        if e.a == e.b:
            yield _err(f"roads.edges[{i}]", f"edge '{e.id}' joins node '{e.a}' to itself",
                       "connect two different nodes", e.id)
    for i, o in enumerate(level.offices):
        yield from node_ref(f"offices[{i}].node", o.node, o.id)
    for i, s in enumerate(level.crowd_sources):
        yield from office_ref(f"crowd_sources[{i}].attractor", s.attractor, s.id)
    for i, u in enumerate(level.units):
        yield from office_ref(f"units[{i}].base", u.base, u.id)
        if u.base in offices and offices[u.base].type not in HQ_TYPES:
            yield _err(f"units[{i}].base", f"unit '{u.id}' is based at '{u.base}', "
                       f"a {offices[u.base].type} office", "base units at a polres or polsek",
                       u.id)
    for i, inc in enumerate(level.incidents):
        yield from office_ref(f"incidents[{i}].site", inc.site, inc.id)
    for i, t in enumerate(level.triggers):
        yield from office_ref(f"triggers[{i}].site", t.site, t.id)
    for i, c in enumerate(level.convoys):
        yield from office_ref(f"convoys[{i}].origin", c.origin, c.id)
        yield from office_ref(f"convoys[{i}].destination", c.destination, c.id)
    for i, ob in enumerate(level.objectives):
        if ob.kind == "escort_convoy" and ob.convoy not in convoys:
            yield _err(f"objectives[{i}].convoy", f"convoy '{ob.convoy}' does not exist",
                       "use the id of a convoy in convoys", ob.id)
        if ob.kind == "hold_site":
            yield from office_ref(f"objectives[{i}].site", ob.site, ob.id)


def road_graph(level: Level) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(n.id for n in level.roads.nodes)
    graph.add_edges_from((e.a, e.b) for e in level.roads.edges)
    return graph


def check_reachability(level: Level) -> Iterator[Problem]:
    graph = road_graph(level)
    hq_nodes = [o.node for o in level.offices if o.type in HQ_TYPES and o.node in graph]
    if not any(o.type in HQ_TYPES for o in level.offices):
        yield _err("offices", "no polres or polsek office", "add a police HQ for units to start at")
        return
    reachable: set[str] = set()
    for node in hq_nodes:
        reachable |= nx.node_connected_component(graph, node)
    for i, o in enumerate(level.offices):
        if o.node in graph and o.node not in reachable:
            yield _err(f"offices[{i}].node", f"office '{o.id}' cannot be reached by road "
                       "from any police HQ", "connect its road node to the network", o.id)


def check_polygons(level: Level) -> Iterator[Problem]:
    for name, items in (("districts", level.districts), ("buildings", level.buildings)):
        for i, item in enumerate(items):
            poly = Polygon(item.polygon)
            if not poly.is_valid:
                yield _err(f"{name}[{i}].polygon", f"polygon of '{item.id}' is not simple: "
                           f"{explain_validity(poly)}",
                           "reorder or move the points so no edges cross", item.id)
            elif poly.area < 1.0:
                yield _err(f"{name}[{i}].polygon", f"polygon of '{item.id}' has no area",
                           "spread its points apart", item.id)


def check_bounds(level: Level) -> Iterator[Problem]:
    w, h = level.map.width_m, level.map.height_m

    def inside(x: float, y: float) -> bool:
        return 0 <= x <= w and 0 <= y <= h

    fix = f"keep coordinates within 0..{w:g} (x) and 0..{h:g} (y)"
    for i, n in enumerate(level.roads.nodes):
        if not inside(n.x, n.y):
            yield _err(f"roads.nodes[{i}]", f"node '{n.id}' lies outside the map", fix, n.id)
    for i, o in enumerate(level.offices):
        if not inside(o.x, o.y):
            yield _err(f"offices[{i}]", f"office '{o.id}' lies outside the map", fix, o.id)
    for i, s in enumerate(level.crowd_sources):
        if not inside(s.x, s.y):
            yield _err(f"crowd_sources[{i}]", f"source '{s.id}' lies outside the map", fix, s.id)
    for name, items in (("districts", level.districts), ("buildings", level.buildings)):
        for i, item in enumerate(items):
            if not all(inside(x, y) for x, y in item.polygon):
                yield _err(f"{name}[{i}].polygon", f"'{item.id}' reaches outside the map",
                           fix, item.id)


def check_placement(level: Level) -> Iterator[Problem]:
    """Citizens spawned inside a building are stuck there, and an office inside one is an
    attractor the crowd can never reach."""
    valid = [Polygon(b.polygon) for b in level.buildings]
    blocked = unary_union([poly for poly in valid if poly.is_valid])
    if blocked.is_empty:
        return
    for i, s in enumerate(level.crowd_sources):
        if blocked.contains(ShapelyPoint(s.x, s.y)):
            yield _err(f"crowd_sources[{i}]", f"source '{s.id}' is inside a building, so "
                       "its citizens cannot walk out", "move it onto open ground", s.id)
    for i, o in enumerate(level.offices):
        if blocked.contains(ShapelyPoint(o.x, o.y)):
            yield _warn(f"offices[{i}]", f"office '{o.id}' is inside a building, so crowds "
                        "cannot reach it", "move it onto open ground by its road", o.id)


def check_objectives(level: Level) -> Iterator[Problem]:
    if level.objectives and all(ob.optional for ob in level.objectives):
        yield _err("objectives", "every objective is optional",
                   "make at least one objective required")
    unit_types = {u.type for u in level.units}
    for i, ob in enumerate(level.objectives):
        if ob.kind == "no_brimob" and "brimob" not in unit_types:
            yield _warn(f"objectives[{i}]", "no Brimob unit in the roster, so this is free",
                        "add a Brimob unit as a temptation, or drop the objective", ob.id)


def check_timing(level: Level) -> Iterator[Problem]:
    meta = level.meta
    if meta.par_time_s > meta.duration_s:
        yield _warn("meta.par_time_s", "par time is longer than the mission",
                    "set par_time_s at or below duration_s")
    for i, s in enumerate(level.crowd_sources):
        if s.end_s is not None and s.end_s <= s.start_s:
            yield _err(f"crowd_sources[{i}].end_s", f"source '{s.id}' ends before it starts",
                       "set end_s after start_s, or remove it", s.id)
    for i, inc in enumerate(level.incidents):
        if inc.at_s >= meta.duration_s:
            yield _warn(f"incidents[{i}].at_s", f"incident '{inc.id}' opens after the result "
                        "is read", "move at_s before meta.duration_s", inc.id)
    if any(inc.hidden for inc in level.incidents) and not any(
        u.type == "intelkam" for u in level.units
    ):
        yield _warn("incidents", "hidden incidents but no Intelkam unit to reveal them",
                    "add an Intelkam unit to the roster")


PASSES: tuple[LintPass, ...] = (
    check_duplicate_ids,
    check_references,
    check_reachability,
    check_polygons,
    check_bounds,
    check_placement,
    check_gather,
    check_features,
    check_objectives,
    check_timing,
    check_cards,
    check_variation,
)


def lint(level: Level) -> list[Problem]:
    return [problem for check in PASSES for problem in check(level)]


def require_playable(level: Level, file: str) -> Level:
    """The level if no pass finds an error; else LevelError with every error. What runs a
    level headless calls this: the world is only built from levels `levels validate`
    accepts (the schema's limits and these passes together keep them simulable)."""
    errors = [p for p in lint(level) if p.severity == "error"]
    if errors:
        raise LevelError(file, errors)
    return level
