"""The editor's mouse and its tools: select/move/box, polygons, roads, offices, crowds,
incidents. A mixin of EditorScene: every click that changes the level becomes one edit
(a drag is one edit however long it lasts)."""

from __future__ import annotations

import time
from typing import Any

import arcade

from command_game.editor import edits, picking
from command_game.editor.document import Ref
from command_game.i18n import t


class ToolsMixin:
    """Mouse input on the map, per tool (the scene's ``tool``)."""

    def on_mouse_motion(self, x: int, y: int, dx: int, dy: int) -> None:
        self.cursor = self.world(x, y) if self.in_map(x, y) and self.camera else None
        self.hover = None if self.cursor is None else picking.pick(
            self.doc, *self.cursor, self.pick_radius(), areas=False)

    def on_mouse_scroll(self, x: int, y: int, scroll_x: float, scroll_y: float) -> None:
        if self.camera is not None and self.in_map(x, y):
            self.camera.zoom_at(x, y, 1.15 ** scroll_y)

    def on_mouse_press(self, x: int, y: int, button: int, modifiers: int) -> None:
        if not self.in_map(x, y) or self.camera is None or self.dialog is not None:
            return
        self.form.stop_typing()
        if button in (arcade.MOUSE_BUTTON_MIDDLE, arcade.MOUSE_BUTTON_RIGHT):
            if button == arcade.MOUSE_BUTTON_RIGHT and (self.pending or self.road_from):
                self.finish_polygon() if self.pending else setattr(self, "road_from", None)
                return
            self.drag = {"kind": "pan"}
            return
        wx, wy = self.world(x, y)
        self.cursor = (wx, wy)
        getattr(self, f"_press_{self.tool}")(wx, wy, modifiers)

    def on_mouse_drag(self, x: int, y: int, dx: int, dy: int, buttons: int,
                      modifiers: int) -> None:
        if self.drag is None or self.camera is None:
            return
        if self.drag["kind"] == "pan":
            self.camera.pan_pixels(dx, dy)
            return
        wx, wy = self.world(x, y)
        self.cursor = (wx, wy)
        if self.drag["kind"] == "box":
            self.drag["end"] = (wx, wy)
        elif self.drag["kind"] == "move":
            self._drag_move(wx, wy)

    def on_mouse_release(self, x: int, y: int, button: int, modifiers: int) -> None:
        drag, self.drag = self.drag, None
        if drag is None or drag["kind"] != "box" or self.camera is None:
            return
        x0, y0 = drag["start"]
        x1, y1 = drag.get("end", drag["start"])
        if max(abs(x1 - x0), abs(y1 - y0)) <= self.pick_radius():  # a click, not a box
            found = [drag["click"]] if drag["click"] is not None else []
        else:
            found = picking.in_box(self.doc, x0, y0, x1, y1)
        self.select(list(dict.fromkeys(self.selection + found)) if drag["add"] else found)

    def _drag_move(self, wx: float, wy: float) -> None:
        """Moves the grabbed things so the grabbed point follows the (snapped) cursor;
        the whole drag undoes as one edit."""
        gx, gy = self.drag["grab"]
        tx, ty = self.snap(wx + self.drag["offset"][0], wy + self.drag["offset"][1])
        action = edits.move(self.doc, self.drag["refs"], tx - gx, ty - gy)
        action.merge_key = self.drag["merge"]
        if self.apply(action):
            self.drag["grab"] = (tx, ty)

    def _start_move(self, refs: list[Ref], wx: float, wy: float, anchor: tuple[float, float]):
        self.drag = {"kind": "move", "refs": refs, "grab": anchor,
                     "offset": (anchor[0] - wx, anchor[1] - wy),
                     "merge": f"drag:{time.monotonic_ns()}"}

    # --- tools --------------------------------------------------------------------------
    def _selected_polygons(self) -> list[Ref]:
        return [Ref(r.collection, r.id) for r in self.selection
                if r.collection in edits.POLYGON_COLLECTIONS]

    def _press_select(self, wx: float, wy: float, modifiers: int) -> None:
        radius = self.pick_radius()
        polygons = self._selected_polygons()
        vertex = picking.pick_vertex(self.doc, wx, wy, radius, polygons)
        if vertex is not None:
            self.selection = [vertex]
            point = picking.polygon_of(self.doc.get(vertex))[vertex.vertex]
            self._start_move([vertex], wx, wy, point)
            return
        mid = picking.pick_midpoint(self.doc, wx, wy, radius, polygons)
        if mid is not None:
            ref, index, point = mid
            if self.apply(edits.insert_vertex(self.doc, ref, index, self.snap(*point))):
                vertex = Ref(ref.collection, ref.id, index)
                self.selection = [vertex]
                self._start_move([vertex], wx, wy, self.snap(*point))
            return
        hit = picking.pick(self.doc, wx, wy, radius)
        shift = modifiers & arcade.key.MOD_SHIFT
        if hit is None or (hit.collection == "districts" and hit not in self.selection):
            # districts cover the map: dragging on one draws a box, a click selects it
            self.drag = {"kind": "box", "start": (wx, wy), "add": bool(shift), "click": hit}
            return
        if shift:
            chosen = [r for r in self.selection if r != hit] if hit in self.selection else \
                [*self.selection, hit]
            self.select(chosen)
            return
        if hit not in self.selection:
            self.select([hit])
        self._start_move(list(self.selection), wx, wy, self._anchor_of(hit, wx, wy))

    def _anchor_of(self, ref: Ref, wx: float, wy: float) -> tuple[float, float]:
        return anchor_point(self.doc.get(ref)) or self.snap(wx, wy)

    def _press_district(self, wx: float, wy: float, modifiers: int) -> None:
        self._polygon_click("districts", wx, wy)

    def _press_building(self, wx: float, wy: float, modifiers: int) -> None:
        self._polygon_click("buildings", wx, wy)

    def _polygon_click(self, collection: str, wx: float, wy: float) -> None:
        point = self.snap(wx, wy)
        if len(self.pending) >= 3:
            fx, fy = self.pending[0]
            if abs(fx - wx) <= self.pick_radius() and abs(fy - wy) <= self.pick_radius():
                self.finish_polygon()
                return
        if not self.pending or point != self.pending[-1]:
            self.pending.append(point)

    def finish_polygon(self) -> None:
        if self.tool not in ("district", "building") or len(self.pending) < 3:
            return
        collection = "districts" if self.tool == "district" else "buildings"
        action = edits.add_polygon(self.doc, collection, self.pending)
        self.pending = []
        self.add_and_select(action)

    def _press_road(self, wx: float, wy: float, modifiers: int) -> None:
        """Click empty ground: a node (joined to the last one); click a node: join it;
        click a road: a junction splitting it."""
        hit = picking.pick(self.doc, wx, wy, self.pick_radius())
        if hit is not None and hit.collection == "nodes":
            node = hit.id
        elif hit is not None and hit.collection == "edges":  # a junction on the road
            action, node = edits.split_edge(self.doc, hit.id, *self.snap(wx, wy))
            if not self.apply(action):
                return
        else:
            action = edits.add_node(self.doc, *self.snap(wx, wy))
            if not self.apply(action):
                return
            node = action.steps[0].value["id"]
        if self.road_from is not None and self.road_from != node:
            self.apply(edits.add_edge(self.doc, self.road_from, node))
        self.road_from = node
        self.select([Ref("nodes", node)])

    def _press_office(self, wx: float, wy: float, modifiers: int) -> None:
        self.add_and_select(edits.add_office(self.doc, self.office_type, *self.snap(wx, wy)))

    def _press_crowd(self, wx: float, wy: float, modifiers: int) -> None:
        self.add_and_select(edits.add_crowd_source(self.doc, *self.snap(wx, wy)))

    def _press_incident(self, wx: float, wy: float, modifiers: int) -> None:
        hit = picking.pick(self.doc, wx, wy, self.pick_radius())
        if hit is None or hit.collection != "offices":
            self.say(t("editor.hint.incident"))
            return
        self.add_and_select(edits.add_incident(self.doc, hit.id))


def anchor_point(item: dict[str, Any] | None) -> tuple[float, float] | None:
    """Where an object is grabbed: its point, or its polygon's first corner."""
    polygon = picking.polygon_of(item)
    return picking.point_of(item) or (polygon[0] if polygon else None)
