"""Which object is under the cursor, and which lie inside a selection box.

World metres throughout; the view converts the pick radius from pixels. Small things
on top win over large things beneath (a node on a road inside a district picks the node).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from shapely.geometry import Point as ShapelyPoint
from shapely.geometry import Polygon

from command_game.editor.document import Document, Ref

PICK_ORDER = ("offices", "crowd_sources", "nodes")


def point_of(item: dict | None) -> tuple[float, float] | None:
    """(x, y) of a point object, or None when a hand-edited file holds something else."""
    if not isinstance(item, dict):
        return None
    x, y = item.get("x"), item.get("y")
    if isinstance(x, (int, float)) and isinstance(y, (int, float)):
        return (float(x), float(y))
    return None


def polygon_of(item: dict | None) -> list[tuple[float, float]] | None:
    """The points of a polygon object, or None when they are not all (x, y) numbers."""
    pts = item.get("polygon") if isinstance(item, dict) else None
    if not isinstance(pts, list) or not pts:
        return None
    if not all(isinstance(p, (list, tuple)) and len(p) == 2
               and all(isinstance(v, (int, float)) for v in p) for p in pts):
        return None
    return [(float(p[0]), float(p[1])) for p in pts]


def _segment_distance(px: float, py: float, a: tuple[float, float],
                      b: tuple[float, float]) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def pick_vertex(doc: Document, x: float, y: float, radius: float,
                polygons: Iterable[Ref]) -> Ref | None:
    """A vertex of one of the given (selected) polygons."""
    for ref in polygons:
        for i, (vx, vy) in enumerate(polygon_of(doc.get(ref)) or []):
            if math.hypot(vx - x, vy - y) <= radius:
                return Ref(ref.collection, ref.id, i)
    return None


def pick_midpoint(doc: Document, x: float, y: float, radius: float,
                  polygons: Iterable[Ref]) -> tuple[Ref, int, tuple[float, float]] | None:
    """The middle of a selected polygon's side: where a new vertex can be pulled out."""
    for ref in polygons:
        pts = polygon_of(doc.get(ref)) or []
        for i, (ax, ay) in enumerate(pts):
            bx, by = pts[(i + 1) % len(pts)]
            mx, my = (ax + bx) / 2, (ay + by) / 2
            if math.hypot(mx - x, my - y) <= radius:
                return ref, i + 1, (mx, my)
    return None


def pick(doc: Document, x: float, y: float, radius: float, areas: bool = True) -> Ref | None:
    """The topmost object at (x, y): points, then roads, then buildings, then districts
    (``areas=False`` stops before the polygons, for a cheap hover on large maps)."""
    for name in PICK_ORDER:
        best = min(((math.hypot(p[0] - x, p[1] - y), i["id"]) for i in doc.items(name)
                    if (p := point_of(i)) is not None), default=None)
        if best is not None and best[0] <= radius * (1.6 if name == "offices" else 1.0):
            return Ref(name, best[1])
    nodes = _node_points(doc)
    for edge in reversed(doc.items("edges")):
        a, b = nodes.get(edge.get("a")), nodes.get(edge.get("b"))
        width = edge.get("width_m", 8)
        half = width / 2 if isinstance(width, (int, float)) else 4
        if a and b and _segment_distance(x, y, a, b) <= max(radius, half):
            return Ref("edges", edge["id"])
    if not areas:
        return None
    point = ShapelyPoint(x, y)
    for name in ("buildings", "districts"):
        for item in reversed(doc.items(name)):
            pts = polygon_of(item)
            if pts and len(pts) >= 3 and Polygon(pts).buffer(0).covers(point):
                return Ref(name, item["id"])
    return None


def in_box(doc: Document, x0: float, y0: float, x1: float, y1: float) -> list[Ref]:
    """Objects wholly inside the box (polygons: every vertex; edges: both ends)."""
    left, right = min(x0, x1), max(x0, x1)
    bottom, top = min(y0, y1), max(y0, y1)

    def inside(x: float, y: float) -> bool:
        return left <= x <= right and bottom <= y <= top

    found = [Ref(name, i["id"]) for name in PICK_ORDER for i in doc.items(name)
             if (p := point_of(i)) is not None and inside(*p)]
    nodes = _node_points(doc)
    found += [Ref("edges", e["id"]) for e in doc.items("edges")
              if e.get("a") in nodes and e.get("b") in nodes
              and inside(*nodes[e["a"]]) and inside(*nodes[e["b"]])]
    found += [Ref(name, i["id"]) for name in ("buildings", "districts") for i in doc.items(name)
              if (pts := polygon_of(i)) and all(inside(px, py) for px, py in pts)]
    return found


def _node_points(doc: Document) -> dict[str, tuple[float, float]]:
    return {n.get("id"): p for n in doc.items("nodes") if (p := point_of(n)) is not None}
