"""The command post's heads-up display over the map.

Top bar: election-night clock, kamtibmas index with its trend, public trust, speed
buttons and the speedrun timer. Left: the unit roster. Right: the incident queue and
the objective checklist with splits. Bottom: selected units' order buttons, the event
notifications and the minimap with the camera's rectangle.

Drawing builds one triangle batch and one label batch per frame (labels change only
when their text does). Every clickable thing registers a hit box while drawing, so
``hit(x, y)`` answers with what a click at that pixel means, matching what is on screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import arcade

from command_game.controls import ACTIONS, key_name
from command_game.i18n import pick, t
from command_game.render import layout, ui_scale
from command_game.render.gpu import Triangles
from command_game.render.map_camera import MapCamera
from command_game.render.text_pool import TextPool
from command_game.render.world_view import (
    SEVERITY_COLORS,
    STATE_COLORS,
    UNIT_ICONS,
)
from command_game.speedrun.timing import format_time

PANEL = (16, 25, 42, 255)  # opaque: drawn without blending (see Triangles.draw)
PANEL_EDGE = (48, 72, 110, 255)
HEADER = (24, 40, 68, 255)
GOLD = (234, 180, 62, 255)
TEXT = (228, 234, 244, 255)
MUTED = (140, 158, 186, 255)
GOOD = (96, 196, 128, 255)
BAD = (226, 86, 76, 255)
ROW_HOVER = (36, 58, 94, 255)
ROW_SELECTED = (52, 84, 140, 255)

TOP_H = 46
SIDE_W = 280
ROW_H = 34
ORDERS_TOP = 84  # the order buttons' panel reaches this high
ORDER_KINDS = ("move", "hold", "patrol", "dialogue", "escort", "respond", "recall")
SPEEDS = (0, 1, 2, 4)
BUTTON_HITS = ("speed", "order", "menu", "unit", "incident")  # what a click can press


@dataclass
class Hit:
    kind: str  # speed, unit, incident, order, menu, minimap, panel, stat, objective
    value: Any = None


@dataclass
class Notification:
    text: str
    color: tuple[int, int, int, int]
    born_s: float


@dataclass
class HudState:
    """What the scene tells the HUD beyond the world itself."""

    speed: int = 1
    selected: Sequence[str] = ()
    groups: dict[int, tuple[str, ...]] = field(default_factory=dict)
    real_time_s: float = 0.0
    targeting: str | None = None  # an order waiting for a target click
    menu: tuple[float, float, Sequence[str]] | None = None  # context menu at (x, y)
    notifications: Sequence[Notification] = ()
    camera_rect: tuple[float, float, float, float] = (0, 0, 0, 0)
    mouse: tuple[float, float] = (-1, -1)


def clock_mm_ss(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class Hud:
    def __init__(self, level: Any, static_layer: Any, width: int, height: int) -> None:
        self.level = level
        self.static_layer = static_layer
        self.shapes = Triangles()  # opaque panels, rows, bars and marks
        self.fading = Triangles()  # translucent: notifications as they fade
        self.minimap_shapes = Triangles()
        self.text = TextPool()
        self.hits: list[tuple[tuple[float, float, float, float], Hit]] = []
        self.scale = 1.0
        self.roster_scroll = 0  # first unit row shown when the roster is longer than fits
        self.camera = arcade.Camera2D()
        self.resize(width, height)

    # -- layout --------------------------------------------------------------------

    def resize(self, width: int, height: int) -> None:
        """Lays the HUD out in interface units: window pixels divided by the interface
        scale (a player setting), drawn through a camera that scales them back up."""
        self.pixel_size = (width, height)
        scale = self.scale
        self.width, self.height = width / scale, height / scale
        self.camera.viewport = arcade.LBWH(0, 0, width, height)
        self.camera.projection_data.rect = arcade.LRBT(-self.width / 2, self.width / 2,
                                                       -self.height / 2, self.height / 2)
        self.camera.position = (self.width / 2, self.height / 2)
        w, h = self.level.map.width_m, self.level.map.height_m
        mm_w = 230
        mm_h = int(min(190, mm_w * h / w))
        self.minimap_rect = (self.width - mm_w - 10, 10, mm_w, mm_h)
        pixels = tuple(round(v * scale) for v in self.minimap_rect)
        self.minimap = MapCamera(w, h, pixels)
        self.minimap.camera.zoom = min(pixels[2] / w, pixels[3] / h)

    def set_scale(self, scale: float) -> None:
        if abs(scale - self.scale) > 1e-6:
            self.scale = scale
            self.resize(*self.pixel_size)

    def hit(self, x: float, y: float) -> Hit | None:
        """What a click at window pixel (x, y) means; the topmost box wins."""
        x, y = x / self.scale, y / self.scale
        for (left, bottom, width, height), hit in reversed(self.hits):
            if left <= x <= left + width and bottom <= y <= bottom + height:
                return hit
        return None

    def scroll_roster(self, rows: int) -> None:
        self.roster_scroll = max(0, self.roster_scroll + rows)

    def minimap_to_world(self, x: float, y: float) -> tuple[float, float]:
        return self.minimap.to_world(x, y)

    # -- drawing -------------------------------------------------------------------

    def draw(self, world: Any, state: HudState) -> None:
        self.set_scale(ui_scale.effective(*self.pixel_size))
        state.mouse = (state.mouse[0] / self.scale, state.mouse[1] / self.scale)
        with self.camera.activate(), layout.scaled(self.scale, "hud"):
            self._draw(world, state)
        self._minimap(world, state)

    def _draw(self, world: Any, state: HudState) -> None:
        self.hits = []
        self.shapes.clear()
        self.fading.clear()
        self.minimap_shapes.clear()
        self.text.begin()
        self._top_bar(world, state)
        self._roster(world, state)
        bottom = self._incidents(world, state)
        self._objectives(world, state, bottom)
        self._orders(state)
        self._notifications(state)
        self._minimap_frame()
        if state.menu is not None:
            self._menu(state)
        self.shapes.draw(blend=False)
        self.fading.draw()
        self.text.end()
        self.text.draw()

    def _box(self, rect: tuple[float, float, float, float], hit: Hit,
             color: Sequence[int] | None = None) -> None:
        if color is not None:
            self.shapes.rect(*rect, color)
        self.hits.append((rect, hit))
        if hit.kind in BUTTON_HITS:
            layout.record_button(*rect)

    def _panel(self, left: float, bottom: float, width: float, height: float,
               title: str | None = None, key: str = "", hit: Hit | None = None) -> None:
        self._box((left, bottom, width, height), hit or Hit("panel"), PANEL)
        layout.record_panel(left, bottom, width, height)
        self.shapes.rect_outline(left, bottom, width, height, 1, PANEL_EDGE)
        if title:
            self.shapes.rect(left + 1, bottom + height - 24, width - 2, 23, HEADER)
            self.text.put(f"{key}:title", title.upper(), left + 10, bottom + height - 17,
                          GOLD, size=10, bold=True)

    def _top_bar(self, world: Any, state: HudState) -> None:
        w, h = self.width, self.height
        self._panel(0, h - TOP_H, w, TOP_H)
        y = h - TOP_H / 2
        self.text.put("clock:label", t("map.hud.clock"), 14, y + 8, MUTED, size=8)
        self.text.put("clock", world.clock_text(), 14, y - 12, TEXT, size=16, bold=True,
                      mono=True)
        index = world.kamtibmas_index
        trend = _trend(world.history.index)
        index_color = GOOD if index >= 70 else GOLD if index >= 45 else BAD
        self.text.put("index:label", t("map.hud.index"), 150, y + 8, MUTED, size=8)
        self.text.put("index", f"{index:5.1f}", 150, y - 12, index_color, size=16, bold=True,
                      mono=True)
        trend_color = GOOD if trend >= 0 else BAD
        self._trend_arrow(226, y - 6, trend, trend_color)
        self.text.put("index:trend", f"{trend:+.1f}/10s", 236, y - 10, trend_color, size=10)
        self.text.put("trust:label", t("map.hud.trust"), 320, y + 8, MUTED, size=8)
        self.text.put("trust", f"{world.trust:5.1f}", 320, y - 12,
                      GOOD if world.trust >= 60 else BAD, size=16, bold=True, mono=True)
        for stat, left, width in (("clock", 0, 140), ("index", 140, 170), ("trust", 310, 120),
                                  ("timer", w - 300, 290)):
            self._box((left, h - TOP_H, width, TOP_H), Hit("stat", stat))  # for tooltips
        self._speed_buttons(state, w / 2 - 40, h - TOP_H + 8)
        self.text.put("timer:label", t("map.hud.timer"), w - 290, y + 8, MUTED, size=8)
        self.text.put("timer", format_time(world.time_s), w - 290, y - 12, GOLD, size=16,
                      bold=True, mono=True)
        par = self.level.meta.par_time_s
        self.text.put("timer:par", t("map.hud.par", time=format_time(par)), w - 150, y + 8,
                      MUTED, size=8)
        left = self.level.meta.duration_s - world.time_s
        self.text.put("timer:left", t("map.hud.until_result", time=clock_mm_ss(left)),
                      w - 150, y - 10, TEXT, size=10)

    def _trend_arrow(self, x: float, y: float, trend: float, color: Sequence[int]) -> None:
        """Up, down or level: drawn, since the bundled fonts lack arrow glyphs."""
        if trend > 0.5:
            self.shapes.polygon([(x - 5, y - 4), (x + 5, y - 4), (x, y + 5)], color)
        elif trend < -0.5:
            self.shapes.polygon([(x - 5, y + 4), (x, y - 5), (x + 5, y + 4)], color)
        else:
            self.shapes.polygon([(x - 4, y - 5), (x + 5, y), (x - 4, y + 5)], color)

    def _speed_buttons(self, state: HudState, left: float, bottom: float) -> None:
        labels = {0: "II", 1: "1x", 2: "2x", 4: "4x"}
        for i, speed in enumerate(SPEEDS):
            rect = (left + i * 46, bottom, 42, TOP_H - 16)
            active = state.speed == speed
            self._box(rect, Hit("speed", speed), GOLD if active else HEADER)
            self.text.put(f"speed:{speed}", labels[speed], rect[0] + 21, rect[1] + 15,
                          (12, 20, 36, 255) if active else TEXT, size=11, bold=True,
                          anchor_x="center", anchor_y="center")
        if state.speed == 0:
            self.text.put("speed:paused", t("map.hud.paused"), left + 190, bottom + 10, GOLD,
                          size=11, bold=True)

    def _roster(self, world: Any, state: HudState) -> None:
        every = list(world.units.values())
        top = self.height - TOP_H - 8
        fits = max(1, int((top - ORDERS_TOP - 8 - 30) // ROW_H))  # rows above the orders
        self.roster_scroll = max(0, min(self.roster_scroll, len(every) - fits))
        units = every[self.roster_scroll:self.roster_scroll + fits]
        height = 30 + ROW_H * len(units)
        title = t("map.hud.units")
        if len(every) > fits:
            title = t("map.hud.units_scroll", first=self.roster_scroll + 1,
                      last=self.roster_scroll + len(units), n=len(every))
        self._panel(8, top - height, SIDE_W, height, title, "roster", Hit("roster"))
        selected = set(state.selected)
        for i, unit in enumerate(units):
            y = top - 28 - (i + 1) * ROW_H
            rect = (10, y, SIDE_W - 4, ROW_H - 2)
            hover = rect[0] <= state.mouse[0] <= rect[0] + rect[2] and \
                rect[1] <= state.mouse[1] <= rect[1] + rect[3]
            color = ROW_SELECTED if unit.id in selected else ROW_HOVER if hover else None
            self._box(rect, Hit("unit", unit.id), color)
            shape, icon_color, letter = UNIT_ICONS.get(unit.type, UNIT_ICONS["samapta"])
            self.shapes.circle(28, y + ROW_H / 2, 11, icon_color if unit.available
                               else (70, 74, 84, 255))
            self.text.put(f"unit:{unit.id}:letter", letter, 28, y + ROW_H / 2, TEXT, size=10,
                          bold=True, anchor_x="center", anchor_y="center")
            self.text.put(f"unit:{unit.id}:name", unit.name, 46, y + 18, TEXT, size=10,
                          bold=True)
            group = next((n for n, ids in sorted(state.groups.items()) if unit.id in ids), None)
            if group is not None:
                self.text.put(f"unit:{unit.id}:group", str(group), SIDE_W - 8, y + 18, GOLD,
                              size=10, bold=True, anchor_x="right")
            status = t(f"map.state.{unit.state}") if unit.available else t("map.state.later")
            self.text.put(f"unit:{unit.id}:state", status, 46, y + 4,
                          STATE_COLORS.get(unit.state, MUTED), size=8)
            self.text.put(f"unit:{unit.id}:personnel",
                          t("map.hud.personnel", n=unit.personnel), 136, y + 4, MUTED, size=8)
            self.shapes.rect(222, y + 6, 50, 5, (40, 48, 64, 255))
            fatigue_color = GOOD if unit.fatigue < 0.5 else GOLD if unit.fatigue < 0.8 else BAD
            self.shapes.rect(222, y + 6, 50 * min(1.0, unit.fatigue), 5, fatigue_color)

    def _incidents(self, world: Any, state: HudState) -> float:
        live = [i for i in world.incidents if i.visible]
        live.sort(key=lambda i: (i.status != "escalated", i.escalates_at_tick))
        rows = live[:6]
        top = self.height - TOP_H - 8
        height = 30 + max(1, len(rows)) * 40
        left = self.width - SIDE_W - 8
        self._panel(left, top - height, SIDE_W, height,
                    t("map.hud.incidents", n=len(live)), "incidents")
        if not rows:
            self.text.put("inc:none", t("map.hud.no_incidents"), left + 12, top - 50, MUTED,
                          size=10)
        for i, inc in enumerate(rows):
            y = top - 28 - (i + 1) * 40
            rect = (left + 2, y, SIDE_W - 4, 38)
            self._box(rect, Hit("incident", inc.id), (30, 22, 26, 255)
                      if inc.status == "escalated" else None)
            color = SEVERITY_COLORS.get(inc.severity, BAD)
            self.shapes.rect(left + 4, y + 3, 5, 32, color)
            site = world.sites.get(inc.site)
            self.text.put(f"inc:{inc.id}:type", t(f"map.incident.{inc.type}"), left + 16,
                          y + 22, TEXT, size=10, bold=True)
            name = site.name if site else inc.site
            name = name if len(name) <= 26 else name[:25] + "\u2026"  # room for the countdown
            self.text.put(f"inc:{inc.id}:site", name, left + 16, y + 6, MUTED, size=8)
            self.text.put(f"inc:{inc.id}:sev", "\u25cf" * inc.severity, left + SIDE_W - 12,
                          y + 22, color, size=9, anchor_x="right")
            if inc.status == "escalated":
                countdown, countdown_color = t("map.hud.escalated"), BAD
            else:
                left_s = (inc.escalates_at_tick - world.tick) / 60
                countdown = t("map.hud.escalates_in", time=clock_mm_ss(left_s))
                countdown_color = BAD if left_s < 30 else GOLD
            self.text.put(f"inc:{inc.id}:timer", countdown, left + SIDE_W - 12, y + 6,
                          countdown_color, size=8, anchor_x="right")
        return top - height

    def _objectives(self, world: Any, state: HudState, top: float) -> None:
        objectives = world.objectives
        top -= 8
        height = 30 + 30 * len(objectives)
        left = self.width - SIDE_W - 8
        self._panel(left, top - height, SIDE_W, height, t("map.hud.objectives"), "obj")
        for i, obj in enumerate(objectives):
            y = top - 28 - (i + 1) * 30
            self._box((left + 2, y, SIDE_W - 4, 28), Hit("objective", obj.id))  # tooltip
            status_mark(self.shapes, left + 18, y + 14, obj.status)
            title = pick(obj.title) + (f" ({t('map.hud.optional')})" if obj.optional else "")
            room = 30 if obj.met_tick is not None else 40  # leave room for the split
            if len(title) > room:
                title = title[:room - 1] + "\u2026"
            self.text.put(f"obj:{obj.id}:title", title, left + 32, y + 10,
                          TEXT if obj.status != "failed" else MUTED, size=9)
            if obj.met_tick is not None:
                self.text.put(f"obj:{obj.id}:split", format_time(obj.met_tick / 60),
                              left + SIDE_W - 10, y + 10, GOOD, size=9, mono=True,
                              anchor_x="right")

    def _orders(self, state: HudState) -> None:
        if not state.selected:
            self.text.put("orders:hint", t("map.hud.hint_select"), SIDE_W + 24, 18, MUTED,
                          size=9)
            return
        left, bottom = 8, 10
        width = 8 + len(ORDER_KINDS) * 84
        self._panel(left, bottom, width, 64)
        self.text.put("orders:count", t("map.hud.selected", n=len(state.selected)),
                      left + 8, bottom + 50, GOLD, size=9, bold=True)
        for i, kind in enumerate(ORDER_KINDS):
            rect = (left + 6 + i * 84, bottom + 6, 80, 36)
            active = state.targeting == kind
            self._box(rect, Hit("order", kind), GOLD if active else HEADER)
            self.shapes.rect_outline(*rect, 1, PANEL_EDGE)
            fg = (12, 20, 36, 255) if active else TEXT
            self.text.put(f"order:{kind}", t(f"map.order.{kind}"), rect[0] + 40, rect[1] + 22,
                          fg, size=9, bold=True, anchor_x="center", anchor_y="center")
            self.text.put(f"order:{kind}:key", key_name(f"order_{kind}"), rect[0] + 40,
                          rect[1] + 8, fg if active else MUTED, size=8, anchor_x="center",
                          anchor_y="center")
        hint = t("map.hud.hint_target") if state.targeting else t("map.hud.hint_orders")
        self.text.put("orders:hint", hint, left + width + 12, bottom + 10, MUTED, size=9)

    def _notifications(self, state: HudState) -> None:
        recent = [n for n in state.notifications if state.real_time_s - n.born_s < 8.0][-5:]
        x = self.width / 2
        for i, note in enumerate(reversed(recent)):
            age = state.real_time_s - note.born_s
            alpha = 1.0 if age < 6 else max(0.0, (8.0 - age) / 2.0)
            y = 96 + i * 24
            color = (*note.color[:3], int(255 * alpha))
            self.fading.rect(x - 230, y - 4, 460, 21, (10, 16, 28, int(200 * alpha)))
            self.fading.rect(x - 230, y - 4, 4, 21, color)
            self.text.put(f"note:{i}", note.text, x - 218, y + 2, (*TEXT[:3], int(255 * alpha)),
                          size=10)

    def _menu(self, state: HudState) -> None:
        x, y, kinds = state.menu
        width, row = 170, 26
        height = row * len(kinds) + 8
        top = min(y, self.height - TOP_H - 4)
        left = min(x, self.width - width - 4)
        self._panel(left, top - height, width, height)
        for i, kind in enumerate(kinds):
            rect = (left + 4, top - 4 - (i + 1) * row, width - 8, row - 2)
            hover = rect[0] <= state.mouse[0] <= rect[0] + rect[2] and \
                rect[1] <= state.mouse[1] <= rect[1] + rect[3]
            self._box(rect, Hit("menu", kind), ROW_HOVER if hover else None)
            label = t(f"map.order.{kind}") + ("  \u2605" if i == 0 else "")
            self.text.put(f"menu:{i}", label, rect[0] + 8, rect[1] + 7, TEXT, size=10,
                          bold=i == 0)
            if f"order_{kind}" in ACTIONS:
                self.text.put(f"menu:{i}:key", key_name(f"order_{kind}"),
                              rect[0] + rect[2] - 8, rect[1] + 7, MUTED, size=9,
                              anchor_x="right")

    def _minimap_frame(self) -> None:
        left, bottom, width, height = self.minimap_rect
        self._box((left - 4, bottom - 4, width + 8, height + 8), Hit("panel"), PANEL)
        self._box((left, bottom, width, height), Hit("minimap"))
        self.shapes.rect_outline(left - 4, bottom - 4, width + 8, height + 8, 1, PANEL_EDGE)

    def _minimap(self, world: Any, state: HudState) -> None:
        """The whole map small, with the crowd as a heat of dots and the camera's view."""
        with self.minimap.activate():
            if self.static_layer.shape is not None:
                self.static_layer.shape.draw()
            for inc in world.incidents:
                if inc.visible:
                    r = self.level.map.width_m / 60
                    self.minimap_shapes.circle(inc.x, inc.y, r,
                                               SEVERITY_COLORS.get(inc.severity, BAD))
            for unit in world.units.values():
                r = self.level.map.width_m / 110
                self.minimap_shapes.circle(unit.x, unit.y, r, (120, 190, 255, 255), 8)
            left, bottom, right, top = state.camera_rect
            z = self.minimap.zoom
            self.minimap_shapes.rect_outline(left, bottom, right - left, top - bottom,
                                             1.5 / z, (255, 255, 255, 230))
            self.minimap_shapes.draw()


def status_mark(shapes: Triangles, cx: float, cy: float, status: str, r: float = 7) -> None:
    """An objective's state as a drawn mark (the bundled fonts lack check-mark glyphs):
    a hollow ring while pending, a green tick when met, a red cross when failed."""
    if status == "met":
        shapes.circle(cx, cy, r, GOOD)
        shapes.polyline([(cx - r * 0.5, cy), (cx - r * 0.1, cy - r * 0.45),
                         (cx + r * 0.55, cy + r * 0.45)], r * 0.28, (12, 20, 36, 255))
    elif status == "failed":
        shapes.circle(cx, cy, r, BAD)
        d = r * 0.45
        shapes.line(cx - d, cy - d, cx + d, cy + d, r * 0.28, (12, 20, 36, 255))
        shapes.line(cx - d, cy + d, cx + d, cy - d, r * 0.28, (12, 20, 36, 255))
    else:
        shapes.ring(cx, cy, r * 0.85, r * 0.3, MUTED, segments=20)


def _trend(index_history: Sequence[float]) -> float:
    """Change of the index over the last ten seconds of game time."""
    if len(index_history) < 2:
        return 0.0
    return float(index_history[-1] - index_history[max(0, len(index_history) - 11)])
