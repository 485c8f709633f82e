"""Edits an author makes, each built as an undoable EditAction from the current document.

Builders never touch the document: they read it and return the steps; Document.apply
does them. An edit that makes no sense (an edge from a node to itself, deleting nothing)
returns an empty action, which the document ignores.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any

from command_game.editor import cards as card_edits
from command_game.editor.document import (
    COLLECTIONS,
    Document,
    EditAction,
    Insert,
    Ref,
    Remove,
    SetValue,
)
from command_game.level.models import HQ_TYPES

#: Collections whose objects sit at one point (x, y).
POINT_COLLECTIONS = ("nodes", "offices", "crowd_sources")
#: Collections whose objects are polygons.
POLYGON_COLLECTIONS = ("districts", "buildings")

ID_PREFIX = {
    "districts": "district", "buildings": "building", "nodes": "node", "edges": "road",
    "offices": "office", "crowd_sources": "crowd", "units": "unit", "incidents": "incident",
    "triggers": "trigger", "convoys": "convoy", "objectives": "objective",
}

OBJECTIVE_DEFAULTS: dict[str, dict[str, Any]] = {
    "hold_site": {"hold_s": 120.0},
    "resolve_incidents": {},
    "keep_index_above": {"threshold": 60.0},
    "no_brimob": {},
    "no_riot": {},
    "escort_convoy": {},
}
OBJECTIVE_TITLES: dict[str, tuple[str, str]] = {
    "hold_site": ("Hold the site", "Jaga lokasi"),
    "resolve_incidents": ("Resolve every incident", "Tuntaskan semua insiden"),
    "keep_index_above": ("Keep the kamtibmas index above 60", "Jaga indeks kamtibmas di atas 60"),
    "no_brimob": ("Do not deploy Brimob", "Jangan kerahkan Brimob"),
    "no_riot": ("Prevent a riot", "Cegah kerusuhan"),
    "escort_convoy": ("Escort the logistics convoy", "Kawal konvoi logistik"),
}


def snap(value: float, grid: float | None) -> float:
    """Rounds to the grid when snapping is on, else to 10 cm so files stay tidy."""
    if grid:
        return round(round(value / grid) * grid, 3)
    return round(value, 1)


def snap_point(x: float, y: float, grid: float | None) -> tuple[float, float]:
    return snap(x, grid), snap(y, grid)


def unique_id(doc: Document, prefix: str, taken: set[str] | None = None) -> str:
    """prefix_N, unused in every collection (so a problem's ref names one object)."""
    used = {r.id for r in doc.all_refs()} | (taken or set())
    n = 1
    while f"{prefix}_{n}" in used:
        n += 1
    return f"{prefix}_{n}"


def _path(collection: str) -> tuple[str, ...]:
    return COLLECTIONS[collection]


def add_object(doc: Document, collection: str, item: dict[str, Any], label: str) -> EditAction:
    index = len(doc.items(collection))
    return EditAction(label, [Insert(_path(collection), index, item)])


# creating things ---------------------------------------------------------------
def add_polygon(doc: Document, collection: str, points: list[tuple[float, float]],
                name: str | None = None) -> EditAction:
    if collection not in POLYGON_COLLECTIONS or len(points) < 3:
        return EditAction("")
    obj_id = unique_id(doc, ID_PREFIX[collection])
    item: dict[str, Any] = {"id": obj_id}
    if collection == "districts":
        item["name"] = name or obj_id.replace("_", " ").title()
    item["polygon"] = [[float(x), float(y)] for x, y in points]
    return add_object(doc, collection, item, f"add {obj_id}")


def add_node(doc: Document, x: float, y: float) -> EditAction:
    obj_id = unique_id(doc, "node")
    return add_object(doc, "nodes", {"id": obj_id, "x": float(x), "y": float(y)},
                      f"add {obj_id}")


def add_edge(doc: Document, a: str, b: str) -> EditAction:
    nodes = set(doc.ids("nodes"))
    if a == b or a not in nodes or b not in nodes:
        return EditAction("")
    if any({e["a"], e["b"]} == {a, b} for e in doc.items("edges")):
        return EditAction("")
    obj_id = unique_id(doc, "road")
    item = {"id": obj_id, "a": a, "b": b, "speed_kmh": 40.0, "width_m": 8.0}
    return add_object(doc, "edges", item, f"add {obj_id}")


def nearest(doc: Document, collection: str, x: float, y: float,
            where: Any = None) -> dict[str, Any] | None:
    best, best_d = None, math.inf
    for item in doc.items(collection):
        if where is not None and not where(item):
            continue
        d = math.hypot(item["x"] - x, item["y"] - y)
        if d < best_d:
            best, best_d = item, d
    return best


def add_office(doc: Document, office_type: str, x: float, y: float) -> EditAction:
    """An office linked to the nearest road node (relink it in the property panel)."""
    obj_id = unique_id(doc, office_type)
    node = nearest(doc, "nodes", x, y)
    count = sum(1 for o in doc.items("offices") if o.get("type") == office_type) + 1
    item = {"id": obj_id, "type": office_type, "name": f"{office_type.upper()} {count}",
            "node": node["id"] if node else "", "x": float(x), "y": float(y), "radius_m": 25.0}
    return add_object(doc, "offices", item, f"add {obj_id}")


def add_crowd_source(doc: Document, x: float, y: float) -> EditAction:
    """A crowd that walks to the nearest office that is not a police HQ."""
    target = nearest(doc, "offices", x, y, lambda o: o.get("type") not in HQ_TYPES)
    target = target or nearest(doc, "offices", x, y)
    obj_id = unique_id(doc, "crowd")
    item = {"id": obj_id, "x": float(x), "y": float(y),
            "attractor": target["id"] if target else "", "rate_per_min": 30.0,
            "start_s": 0.0, "max_agents": 150, "agitation": 0.2}
    return add_object(doc, "crowd_sources", item, f"add {obj_id}")


def add_unit(doc: Document, unit_type: str = "samapta", base: str | None = None) -> EditAction:
    if base is None:
        hq = next((o for o in doc.items("offices") if o.get("type") in HQ_TYPES), None)
        base = hq["id"] if hq else ""
    obj_id = unique_id(doc, unit_type)
    count = sum(1 for u in doc.items("units") if u.get("type") == unit_type) + 1
    item = {"id": obj_id, "type": unit_type, "name": f"{unit_type.title()} {count}",
            "base": base, "personnel": 10, "available_s": 0.0}
    return add_object(doc, "units", item, f"add {obj_id}")


def add_incident(doc: Document, site: str, at_s: float = 60.0,
                 incident_type: str = "protest") -> EditAction:
    obj_id = unique_id(doc, incident_type)
    item = {"id": obj_id, "at_s": float(at_s), "type": incident_type, "site": site,
            "severity": 2, "escalation_s": 180.0, "hidden": False}
    return add_object(doc, "incidents", item, f"add {obj_id}")


def add_objective(doc: Document, kind: str) -> EditAction:
    en, id_ = OBJECTIVE_TITLES[kind]
    obj_id = unique_id(doc, kind.split("_")[0])
    item: dict[str, Any] = {"id": obj_id, "title": {"en": en, "id": id_}, "optional": False,
                            "kind": kind, **OBJECTIVE_DEFAULTS[kind]}
    if kind == "hold_site":
        site = next((o for o in doc.items("offices") if o.get("type") not in HQ_TYPES), None)
        item["site"] = site["id"] if site else ""
    if kind == "escort_convoy":
        convoy = doc.items("convoys")
        item["convoy"] = convoy[0]["id"] if convoy else ""
    return add_object(doc, "objectives", item, f"add {obj_id}")


# changing things ---------------------------------------------------------------
def set_value(doc: Document, path: tuple[str | int, ...], value: Any,
              label: str | None = None) -> EditAction:
    """Sets one field anywhere (property panel, metadata); typing in a field merges."""
    parent = doc.data
    for part in path[:-1]:
        parent = parent[part]
    key = path[-1]
    old = parent[key] if isinstance(parent, list) else parent.get(key)
    if old == value:
        return EditAction("")
    return EditAction(label or f"set {'.'.join(map(str, path))}",
                      [SetValue(tuple(path), copy.deepcopy(old), copy.deepcopy(value))],
                      merge_key="set:" + "/".join(map(str, path)))


def object_path(doc: Document, ref: Ref) -> tuple[str | int, ...] | None:
    i = doc.index_of(ref.collection, ref.id)
    return None if i is None else (*COLLECTIONS[ref.collection], i)


def set_field(doc: Document, ref: Ref, key: str | tuple[str, ...], value: Any) -> EditAction:
    base = object_path(doc, ref)
    if base is None:
        return EditAction("")
    keys = (key,) if isinstance(key, str) else tuple(key)
    if keys == ("id",):
        return rename(doc, ref, str(value))
    return set_value(doc, (*base, *keys), value, f"set {ref.id}.{'.'.join(keys)}")


#: Fields that hold the id of an object in another collection.
REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "nodes": (("edges", "a"), ("edges", "b"), ("offices", "node")),
    "offices": (("crowd_sources", "attractor"), ("units", "base"), ("incidents", "site"),
                ("triggers", "site"), ("convoys", "origin"), ("convoys", "destination"),
                ("objectives", "site")),
    "convoys": (("objectives", "convoy"),),
}


def rename(doc: Document, ref: Ref, new_id: str) -> EditAction:
    """Renames an object and every reference to it, as one edit."""
    base = object_path(doc, ref)
    if base is None or not new_id or new_id == ref.id or doc.find(new_id) is not None:
        return EditAction("")
    steps: list[Any] = [SetValue((*base, "id"), ref.id, new_id)]
    for collection, key in REFERENCES.get(ref.collection, ()):
        for i, item in enumerate(doc.items(collection)):
            if item.get(key) == ref.id:
                steps.append(SetValue((*COLLECTIONS[collection], i, key), ref.id, new_id))
    steps += card_edits.renamed(doc, ref.collection, ref.id, new_id)  # cards, variation
    return EditAction(f"rename {ref.id} to {new_id}", steps)


def _moved(points: list[list[float]], dx: float, dy: float) -> list[list[float]]:
    return [[round(x + dx, 3), round(y + dy, 3)] for x, y in points]


def move(doc: Document, refs: list[Ref], dx: float, dy: float) -> EditAction:
    """Moves objects and vertices by (dx, dy); a vertex of a moved polygon moves once."""
    if dx == 0 and dy == 0:
        return EditAction("")
    steps: list[Any] = []
    whole = {(r.collection, r.id) for r in refs if r.vertex is None}
    for ref in dict.fromkeys(refs):
        base = object_path(doc, ref)
        if base is None:
            continue
        item = doc.get(ref)
        if not _numeric_geometry(item):
            continue  # a hand-edited file's bad value: the problem list names it
        if ref.collection in POLYGON_COLLECTIONS:
            if ref.vertex is None:
                steps.append(SetValue((*base, "polygon"), item["polygon"],
                                      _moved(item["polygon"], dx, dy)))
            elif (ref.collection, ref.id) not in whole and ref.vertex < len(item["polygon"]):
                old = item["polygon"][ref.vertex]
                steps.append(SetValue((*base, "polygon", ref.vertex), old,
                                      _moved([old], dx, dy)[0]))
        elif ref.collection in POINT_COLLECTIONS:
            steps.append(SetValue((*base, "x"), item["x"], round(item["x"] + dx, 3)))
            steps.append(SetValue((*base, "y"), item["y"], round(item["y"] + dy, 3)))
    label = f"move {refs[0].id}" if len(refs) == 1 else f"move {len(refs)} objects"
    return EditAction(label if steps else "", steps)


def _numeric_geometry(item: dict[str, Any] | None) -> bool:
    if not isinstance(item, dict):
        return False
    values = [item[k] for k in ("x", "y") if k in item]
    values += [v for p in item.get("polygon", []) for v in (p if isinstance(p, list) else [p])]
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def insert_vertex(doc: Document, ref: Ref, index: int, point: tuple[float, float]) -> EditAction:
    base = object_path(doc, ref)
    if base is None or ref.collection not in POLYGON_COLLECTIONS:
        return EditAction("")
    return EditAction(f"add a point to {ref.id}",
                      [Insert((*base, "polygon"), index, [float(point[0]), float(point[1])])])


def delete(doc: Document, refs: list[Ref]) -> EditAction:
    """Deletes objects (a road node takes its edges with it) and polygon vertices.

    A polygon keeps at least three points; references from other objects to a deleted
    one are left for the live validation to point out, as OpenRA's lint does.
    """
    doomed: dict[str, set[int]] = {}
    vertices: dict[tuple[str, str], set[int]] = {}
    for ref in refs:
        i = doc.index_of(ref.collection, ref.id)
        if i is None:
            continue
        if ref.vertex is None:
            doomed.setdefault(ref.collection, set()).add(i)
            if ref.collection == "nodes":
                for j, e in enumerate(doc.items("edges")):
                    if ref.id in (e.get("a"), e.get("b")):
                        doomed.setdefault("edges", set()).add(j)
        else:
            vertices.setdefault((ref.collection, ref.id), set()).add(ref.vertex)
    steps: list[Any] = []
    for (collection, obj_id), which in vertices.items():
        i = doc.index_of(collection, obj_id)
        if i in doomed.get(collection, set()):
            continue
        polygon = doc.items(collection)[i]["polygon"]
        keep = len(polygon) - len(which)
        for v in sorted(which, reverse=True):
            if keep < 3:
                break
            if v < len(polygon):
                steps.append(Remove((*COLLECTIONS[collection], i, "polygon"), v, polygon[v]))
    for collection, indices in doomed.items():
        items = doc.items(collection)
        for i in sorted(indices, reverse=True):
            steps.append(Remove(COLLECTIONS[collection], i, items[i]))
    count = sum(len(v) for v in doomed.values()) + len(vertices)
    return EditAction(f"delete {count} object(s)" if steps else "", steps)


# copy and paste ---------------------------------------------------------------
@dataclass(frozen=True)
class Clipboard:
    items: tuple[tuple[str, dict[str, Any]], ...]

    def __bool__(self) -> bool:
        return bool(self.items)


def copy_selection(doc: Document, refs: list[Ref]) -> Clipboard:
    """Copies whole objects; edges between copied road nodes come along."""
    chosen = {(r.collection, r.id) for r in refs}
    nodes = {obj_id for c, obj_id in chosen if c == "nodes"}
    for e in doc.items("edges"):
        if e.get("a") in nodes and e.get("b") in nodes:
            chosen.add(("edges", e["id"]))
    items = [(name, copy.deepcopy(item)) for name in COLLECTIONS for item in doc.items(name)
             if (name, item.get("id")) in chosen]
    return Clipboard(tuple(items))


def paste(doc: Document, clip: Clipboard, dx: float, dy: float) -> tuple[EditAction, list[Ref]]:
    """Pastes copies with fresh ids, offset by (dx, dy); links among them follow along."""
    taken: set[str] = set()
    renamed: dict[str, str] = {}
    for collection, item in clip.items:
        new_id = unique_id(doc, ID_PREFIX[collection], taken)
        taken.add(new_id)
        renamed[item["id"]] = new_id
    steps: list[Any] = []
    refs: list[Ref] = []
    counts = {name: len(doc.items(name)) for name in COLLECTIONS}
    for collection, original in clip.items:
        item = copy.deepcopy(original)
        item["id"] = renamed[original["id"]]
        if collection == "edges":
            if item["a"] not in renamed or item["b"] not in renamed:
                continue
            item["a"], item["b"] = renamed[item["a"]], renamed[item["b"]]
        for key in ("node", "attractor", "base", "site"):
            if key in item and item[key] in renamed:
                item[key] = renamed[item[key]]
        if "polygon" in item:
            item["polygon"] = _moved(item["polygon"], dx, dy)
        if "x" in item and "y" in item:
            item["x"], item["y"] = round(item["x"] + dx, 3), round(item["y"] + dy, 3)
        steps.append(Insert(COLLECTIONS[collection], counts[collection], item))
        counts[collection] += 1
        refs.append(Ref(collection, item["id"]))
    return EditAction(f"paste {len(refs)} object(s)" if steps else "", steps), refs


def add_trigger(doc: Document, site: str, tension: float = 70.0) -> EditAction:
    obj_id = unique_id(doc, "trigger")
    item = {"id": obj_id, "site": site, "tension": float(tension), "type": "clash",
            "severity": 2, "escalation_s": 180.0}
    return add_object(doc, "triggers", item, f"add {obj_id}")


def add_convoy(doc: Document) -> EditAction:
    """A convoy from the first warehouse (or any office) to the first KPU office."""
    offices = doc.items("offices")
    origin = next((o for o in offices if o.get("type") == "warehouse"), None)
    destination = next((o for o in offices if o.get("type") == "kpu"), None)
    origin = origin or (offices[0] if offices else None)
    destination = destination or (offices[-1] if offices else None)
    obj_id = unique_id(doc, "convoy")
    item = {"id": obj_id, "origin": origin["id"] if origin else "",
            "destination": destination["id"] if destination else "", "depart_s": 30.0,
            "speed_kmh": 30.0}
    return add_object(doc, "convoys", item, f"add {obj_id}")


def replace_content(doc: Document, data: dict[str, Any], label: str) -> EditAction:
    """Takes over another level's content (a Tiled import) as one undoable edit; the
    metadata the import does not set are kept."""
    new = copy.deepcopy(data)
    new["meta"] = {**doc.data.get("meta", {}), **data.get("meta", {})}
    steps: list[Any] = [SetValue((key,), doc.data.get(key), new.get(key))
                        for key in dict.fromkeys([*doc.data, *new])
                        if doc.data.get(key) != new.get(key)]
    return EditAction(label if steps else "", steps)


def split_edge(doc: Document, edge_id: str, x: float, y: float) -> tuple[EditAction, str]:
    """A new road node on an edge, splitting it in two that keep its speed and width."""
    i = doc.index_of("edges", edge_id)
    if i is None:
        return EditAction(""), ""
    edge = doc.items("edges")[i]
    node_id = unique_id(doc, "node")
    first = unique_id(doc, "road", {node_id})
    second = unique_id(doc, "road", {node_id, first})
    nodes = len(doc.items("nodes"))
    halves = [{**edge, "id": first, "b": node_id}, {**edge, "id": second, "a": node_id}]
    steps: list[Any] = [Insert(COLLECTIONS["nodes"], nodes, {"id": node_id, "x": float(x),
                                                            "y": float(y)}),
                        Remove(COLLECTIONS["edges"], i, edge),
                        Insert(COLLECTIONS["edges"], i, halves[0]),
                        Insert(COLLECTIONS["edges"], i + 1, halves[1])]
    return EditAction(f"split {edge_id}", steps), node_id
