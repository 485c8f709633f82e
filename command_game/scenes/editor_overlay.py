"""What the editor draws over the game's map: handles, selection, work in progress.

Drawn in world metres under the map camera, with sizes divided by the zoom so handles
stay the same size on screen. Editor levels hold tens to hundreds of objects, so
immediate-mode shapes are fast enough here (the map itself is the game's cached layer).
"""

from __future__ import annotations

import math
from typing import Any

import arcade

from command_game.editor.document import Document, Ref
from command_game.editor.picking import point_of, polygon_of
from command_game.scenes import ui

NODE = (232, 236, 244, 255)
NODE_LONE = (240, 120, 90, 255)
SELECTED = ui.GOLD
CROWD = (236, 132, 60, 255)
DRAFT = (120, 210, 255, 255)
GRID = (70, 92, 124, 40)
BOUNDARY = (92, 112, 138, 255)


def draw_grid(width_m: float, height_m: float, step: float, zoom: float) -> None:
    """The snap grid, coarsened until its lines are at least 16 px apart."""
    while step * zoom < 16:
        step *= 5
    xs = [i * step for i in range(int(width_m // step) + 1)]
    ys = [i * step for i in range(int(height_m // step) + 1)]
    lines = [p for x in xs for p in ((x, 0.0), (x, height_m))]
    lines += [p for y in ys for p in ((0.0, y), (width_m, y))]
    if lines:
        arcade.draw_lines(lines, GRID, 1 / zoom)


def draw_boundary(width_m: float, height_m: float, zoom: float) -> None:
    arcade.draw_lrbt_rectangle_outline(0, width_m, 0, height_m, BOUNDARY, 2 / zoom)


def draw_objects(doc: Document, zoom: float, selection: list[Ref]) -> None:
    """Road nodes, crowd sources (the map layer does not show them) and the selection."""
    px = 1 / zoom
    offices = {o.get("id"): point_of(o) for o in doc.items("offices")}
    for src in doc.items("crowd_sources"):
        here = point_of(src)
        if here is None:
            continue
        target = offices.get(src.get("attractor"))
        if target is not None:
            arcade.draw_line(*here, *target, (236, 132, 60, 90), 2 * px)
        arcade.draw_circle_filled(*here, 7 * px, CROWD)
        arcade.draw_circle_outline(*here, 11 * px, CROWD, 2 * px)
    linked = {e.get(k) for e in doc.items("edges") for k in ("a", "b")}
    for node in doc.items("nodes"):
        here = point_of(node)
        if here is not None:
            arcade.draw_circle_filled(*here, 4 * px, NODE if node.get("id") in linked
                                      else NODE_LONE)
    for ref in selection:
        _draw_selected(doc, ref, px)


def _draw_selected(doc: Document, ref: Ref, px: float) -> None:
    item = doc.get(ref)
    pts, here = polygon_of(item), point_of(item)
    if pts is not None:
        arcade.draw_polygon_outline(pts, SELECTED, 3 * px)
        for i, (x, y) in enumerate(pts):
            size = 9 if ref.vertex == i else 6
            arcade.draw_lbwh_rectangle_filled(x - size * px / 2, y - size * px / 2, size * px,
                                              size * px, SELECTED)
            nx, ny = pts[(i + 1) % len(pts)]
            arcade.draw_circle_outline((x + nx) / 2, (y + ny) / 2, 4 * px, SELECTED, 1.5 * px)
    elif ref.collection == "edges" and item is not None:
        nodes = {n.get("id"): point_of(n) for n in doc.items("nodes")}
        a, b = nodes.get(item.get("a")), nodes.get(item.get("b"))
        if a and b:
            arcade.draw_line(*a, *b, SELECTED, 4 * px)
    elif here is not None:
        arcade.draw_circle_outline(*here, 14 * px, SELECTED, 3 * px)
        if ref.collection == "offices":
            node = next((point_of(n) for n in doc.items("nodes")
                         if n.get("id") == item.get("node")), None)
            if node is not None:
                _dashed(*here, *node, px)


def _dashed(x0: float, y0: float, x1: float, y1: float, px: float) -> None:
    length = math.hypot(x1 - x0, y1 - y0)
    steps = max(1, int(length / (8 * px)))
    for i in range(0, steps, 2):
        a, b = i / steps, min(1.0, (i + 1) / steps)
        arcade.draw_line(x0 + (x1 - x0) * a, y0 + (y1 - y0) * a, x0 + (x1 - x0) * b,
                         y0 + (y1 - y0) * b, SELECTED, 2 * px)


def draw_in_progress(points: list[tuple[float, float]], cursor: tuple[float, float] | None,
                     zoom: float) -> None:
    """The polygon being drawn, with a rubber band to the cursor."""
    px = 1 / zoom
    chain = points + ([cursor] if cursor else [])
    if len(chain) >= 2:
        arcade.draw_line_strip(chain, DRAFT, 2 * px)
    for x, y in points:
        arcade.draw_circle_filled(x, y, 4 * px, DRAFT)
    if points:
        arcade.draw_circle_outline(points[0][0], points[0][1], 9 * px, DRAFT, 1.5 * px)


def draw_rubber_band(start: dict[str, Any] | None, cursor: tuple[float, float] | None,
                     zoom: float) -> None:
    here = point_of(start)
    if here is not None and cursor is not None:
        arcade.draw_line(*here, *cursor, DRAFT, 2 / zoom)


def draw_box(x0: float, y0: float, x1: float, y1: float, zoom: float) -> None:
    left, right, bottom, top = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
    arcade.draw_lrbt_rectangle_filled(left, right, bottom, top, (120, 210, 255, 30))
    arcade.draw_lrbt_rectangle_outline(left, right, bottom, top, DRAFT, 1.5 / zoom)
