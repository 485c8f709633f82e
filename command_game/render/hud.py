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
from command_game.render.text_pool import FONT, Label, TextPool
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
#: The order bar: the orders given by clicking a target, the police line and the way out
#: (#13) among them. Siber's response joins it while a Siber unit is selected, the TNI
#: call while the night has calls (``order_kinds``).
ORDER_KINDS = ("move", "hold", "patrol", "dialogue", "escort", "respond", "cordon",
               "exit_route", "recall")
SPLIT_W = 68  # an objective's split time ("1:57.200" in 9 pt mono) and a gap before it
ORDER_PAD = 10  # units round a button's label; spare room widens every button alike
SPEEDS = (0, 1, 2, 4)
COLLAPSIBLE = ("roster", "incidents", "obj")  # panels a header click folds away
BUTTON_HITS = ("speed", "order", "menu", "unit", "incident")  # what a click can press


#: The order bar's short names for orders whose menu names are long.
ORDER_LABELS = {"cyber_response": "map.order_bar.cyber_response",
                "call_tni": "map.order_bar.call_tni"}


def order_kinds(world: Any, selected: Sequence[str]) -> list[str]:
    """The order bar's buttons for this selection: Siber's response after Respond while
    a Siber unit is among it, the TNI call before Recall while the level has calls."""
    kinds = list(ORDER_KINDS)
    if any(world.units[u].type == "siber" for u in selected if u in world.units):
        kinds.insert(kinds.index("respond") + 1, "cyber_response")
    if world.level.tni_backup_calls > 0:
        kinds.insert(kinds.index("recall"), "call_tni")
    return kinds


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
    banner: str = ""  # instead of the order hints (the replay viewer's REPLAY line)
    queued: Sequence[str] = ()  # units with an order waiting for the clock (paused)


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
        self.menu_shapes = Triangles()  # the Ctrl+right-click menu, drawn over the rest
        self.menu_text = TextPool()
        self.hits: list[tuple[tuple[float, float, float, float], Hit]] = []
        self.scale = 1.0
        self.roster_scroll = 0  # first unit row shown when the roster is longer than fits
        self.collapsed: set[str] = set()  # panels folded to their header by the player
        self._title_widths: dict[tuple[str, float], float] = {}
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
        mm_w = SIDE_W - 40
        mm_h = int(min(190, self.height * 0.28, mm_w * h / w))
        mm_w = int(min(mm_w, mm_h * w / h))
        self.minimap_rect = (self.width - mm_w - 10, 10, mm_w, mm_h)
        pixels = tuple(round(v * scale) for v in self.minimap_rect)
        self.minimap = MapCamera(w, h, pixels)
        self.minimap.camera.position = (w / 2, h / 2)
        self.minimap.camera.zoom = min(pixels[2] / w, pixels[3] / h)

    def covered(self) -> tuple[tuple[float, float, float, float], ...]:
        """(left, bottom, right, top) window pixels of the HUD's panels, last drawn."""
        s = self.scale
        return tuple((x * s, y * s, (x + w) * s, (y + h) * s)
                     for (x, y, w, h), hit in self.hits if hit.kind in ("panel", "roster"))

    def map_area(self) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) window pixels of the map that no panel covers: the
        camera fits the map into it, so every site starts in view."""
        s = self.scale
        return ((SIDE_W + 16) * s, (ORDERS_TOP + 6 + 2 * 24) * s, (self.width - SIDE_W - 16) * s,
                (self.height - TOP_H - 30) * s)

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
        with self.camera.activate(), layout.scaled(self.scale, "hud"), \
                ui_scale.pixel_grid(self.scale):
            self._draw(world, state)
        self._minimap(world, state)
        self._hits_for = (self.scale, tuple(self.pixel_size))

    def hits_stale(self) -> bool:
        """The panel boxes (``covered``, ``hit``) were laid out at another scale or size,
        or not yet: the first frame, or the frame after a scale change."""
        return getattr(self, "_hits_for", None) != (self.scale, tuple(self.pixel_size))

    def _draw(self, world: Any, state: HudState) -> None:
        self.hits = []
        self.shapes.clear()
        self.fading.clear()
        self.minimap_shapes.clear()
        self.text.begin()
        self._top_bar(world, state)
        self._roster(world, state)
        fits, heights = self._right_column(world)
        bottom = self._incidents(world, state, fits)
        bottom = self._objectives(world, state, bottom, heights)
        self._orders(world, state)
        self._notifications(state, bottom)
        self._minimap_frame()
        self.menu_shapes.clear()
        self.menu_text.begin()
        if state.menu is not None:
            self._menu(state)
        self.shapes.draw(blend=False)
        self.fading.draw()
        self.text.end()
        self.text.draw()
        self.menu_text.end()
        if state.menu is not None:  # over everything, the HUD's texts too
            layout.occlude(*self._menu_rect)
            layout.record_panel(*self._menu_rect)
            for rect in self._menu_buttons:
                layout.record_button(*rect)
            self.menu_shapes.draw(blend=False)
            self.menu_text.draw()

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
                          GOLD, size=10, bold=True, clip=width - 40)
            if key in COLLAPSIBLE:  # the header folds the panel away (a triangle says so)
                x, y = left + width - 16, bottom + height - 12
                folded = key in self.collapsed
                points = [(x - 4, y + 5), (x + 4, y), (x - 4, y - 5)] if folded else \
                    [(x - 5, y + 3), (x + 5, y + 3), (x, y - 4)]
                self.shapes.polygon(points, GOLD)
                self.hits.append(((left, bottom + height - 24, width, 24), Hit("collapse", key)))

    def toggle(self, key: str) -> None:
        """Folds a panel down to its header, or opens it again."""
        self.collapsed ^= {key}

    def _top_bar(self, world: Any, state: HudState) -> None:
        """Clock, index and trust flow from the left, the speedrun timer from the right,
        each block as wide as its text in this language; the speed buttons take the
        middle of what is left."""
        w, h = self.width, self.height
        self._panel(0, h - TOP_H, w, TOP_H)
        y = h - TOP_H / 2
        x = 14.0
        index = world.kamtibmas_index
        trend = _trend(world.history.index)
        index_color = GOOD if index >= 70 else GOLD if index >= 45 else BAD
        trend_color = GOOD if trend >= 0 else BAD
        for stat, label, value, color in (
                ("clock", t("map.hud.clock"), world.clock_text(), TEXT),
                ("index", t("map.hud.index"), f"{index:5.1f}", index_color),
                ("trust", t("map.hud.trust"), f"{world.trust:5.1f}", GOOD
                 if world.trust >= 60 else BAD)):
            top = self.text.put(f"{stat}:label", label, x, y + 8, MUTED, size=8)
            big = self.text.put(stat, value, x, y - 12, color, size=16, bold=True, mono=True)
            width = max(top.content_width, big.content_width)
            if stat == "index":
                self._trend_arrow(x + big.content_width + 8, y - 6, trend, trend_color)
                arrow = self.text.put("index:trend", f"{trend:+.1f}/10s",
                                      x + big.content_width + 18, y - 10, trend_color, size=10)
                width = max(width, big.content_width + 18 + arrow.content_width)
            self._box((x - 8, h - TOP_H, width + 16, TOP_H), Hit("stat", stat))  # tooltips
            x += width + 22
        right = w - 14.0
        par = self.text.put("timer:par", t("map.hud.par", time=format_time(
            self.level.meta.par_time_s)), right, y + 8, MUTED, size=8, anchor_x="right")
        left_s = self.level.meta.duration_s - world.time_s
        until = self.text.put("timer:left", t("map.hud.until_result",
                                              time=clock_mm_ss(left_s)),
                              right, y - 10, TEXT, size=10, anchor_x="right")
        right -= max(par.content_width, until.content_width) + 18
        timer = self.text.put("timer", format_time(world.time_s), right, y - 12, GOLD, size=16,
                              bold=True, mono=True, anchor_x="right")
        self.text.put("timer:label", t("map.hud.timer"), right - timer.content_width, y + 8,
                      MUTED, size=8)
        timer_left = right - max(timer.content_width, 80)
        self._box((timer_left - 8, h - TOP_H, w - timer_left + 8, TOP_H), Hit("stat", "timer"))
        room = timer_left - 16 - x
        button_w = max(26.0, min(42.0, (room - 12) / 4))
        self._speed_buttons(state, x + (room - 4 * button_w - 12) / 2, h - TOP_H + 8, button_w)

    def _trend_arrow(self, x: float, y: float, trend: float, color: Sequence[int]) -> None:
        """Up, down or level: drawn, since the bundled fonts lack arrow glyphs."""
        if trend > 0.5:
            self.shapes.polygon([(x - 5, y - 4), (x + 5, y - 4), (x, y + 5)], color)
        elif trend < -0.5:
            self.shapes.polygon([(x - 5, y + 4), (x, y - 5), (x + 5, y + 4)], color)
        else:
            self.shapes.polygon([(x - 4, y - 5), (x + 5, y), (x - 4, y + 5)], color)

    def _speed_buttons(self, state: HudState, left: float, bottom: float,
                       width: float = 42) -> None:
        labels = {0: "II", 1: "1x", 2: "2x", 4: "4x"}
        for i, speed in enumerate(SPEEDS):
            rect = (left + i * (width + 4), bottom, width, TOP_H - 16)
            active = state.speed == speed
            self._box(rect, Hit("speed", speed), GOLD if active else HEADER)
            self.text.put(f"speed:{speed}", labels[speed], rect[0] + width / 2, rect[1] + 15,
                          (12, 20, 36, 255) if active else TEXT, size=11, bold=True,
                          anchor_x="center", anchor_y="center")
        if state.speed == 0:  # a banner under the bar, where the eye is: not beside it
            label = self.text.put("speed:paused", t("map.hud.paused"), self.width / 2,
                                  self.height - TOP_H - 15, (12, 20, 36, 255), size=11,
                                  bold=True, anchor_x="center", anchor_y="center")
            pad = label.content_width / 2 + 14
            self.shapes.rect(self.width / 2 - pad, self.height - TOP_H - 26, 2 * pad, 24, GOLD)
            layout.record_panel(self.width / 2 - pad, self.height - TOP_H - 26, 2 * pad, 24)

    def _roster(self, world: Any, state: HudState) -> None:
        every = list(world.units.values())
        top = self.height - TOP_H - 8
        fits = max(1, int((top - ORDERS_TOP - 8 - 30) // ROW_H))  # rows above the orders
        self.roster_scroll = max(0, min(self.roster_scroll, len(every) - fits))
        units = every[self.roster_scroll:self.roster_scroll + fits]
        if "roster" in self.collapsed:
            units = []
        height = 30 + ROW_H * len(units) if units else 26
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
                          bold=True, clip=SIDE_W - 46 - 22)
            group = next((n for n, ids in sorted(state.groups.items()) if unit.id in ids), None)
            if group is not None:
                self.text.put(f"unit:{unit.id}:group", str(group), SIDE_W - 8, y + 18, GOLD,
                              size=10, bold=True, anchor_x="right")
            status = t(f"map.state.{unit.state}") if unit.available else t("map.state.later")
            color = STATE_COLORS.get(unit.state, MUTED)
            if unit.id in state.queued:  # given while paused: it starts with the clock
                status, color = t("map.state.queued"), GOLD
            self.text.put(f"unit:{unit.id}:state", status, 46, y + 4, color, size=8, clip=84)
            self.text.put(f"unit:{unit.id}:personnel",
                          t("map.hud.personnel", n=unit.personnel), 136, y + 4, MUTED, size=8,
                          clip=80)
            self.shapes.rect(222, y + 6, 50, 5, (40, 48, 64, 255))
            fatigue_color = GOOD if unit.fatigue < 0.5 else GOLD if unit.fatigue < 0.8 else BAD
            self.shapes.rect(222, y + 6, 50 * min(1.0, unit.fatigue), 5, fatigue_color)

    def _right_column(self, world: Any) -> tuple[int, list[float]]:
        """How many incident rows and what objective row heights fit between the top bar
        and the minimap: objectives wrap onto two lines where the column has room."""
        room = self.height - TOP_H - 8 - (self.minimap_rect[1] + self.minimap_rect[3] + 12)
        objectives = world.objectives
        heights = [22.0] * len(objectives)
        live = sum(1 for i in world.incidents if i.visible)
        incidents = max(1, min(6, live, int((room - 8 - 30 - 30 - sum(heights)) // 40)))
        spare = room - 8 - (30 + 40 * incidents) - (30 + sum(heights))
        for i, obj in enumerate(objectives):
            if spare >= 14 and self._title_width(obj) > self._objective_width(obj):
                heights[i] += 14
                spare -= 14
        return incidents, heights

    def _title_width(self, obj: Any) -> float:
        """The objective's title as wide as the panel draws it (9 pt at this scale, in
        units), measured once per title and scale: a row wraps only when it must."""
        title = _objective_title(obj)
        key = (title, self.scale)
        if key not in self._title_widths:
            label = Label(title, 0, 0, font_size=9, font_name=FONT)
            label.rescale(self.scale)
            self._title_widths[key] = label.content_width
        return self._title_widths[key]

    def _objective_width(self, obj: Any) -> float:
        return SIDE_W - 42 - (SPLIT_W if obj.met_tick is not None else 0)

    def _incidents(self, world: Any, state: HudState, fits: int) -> float:
        live = [i for i in world.incidents if i.visible]
        live.sort(key=lambda i: (i.status != "escalated", i.escalates_at_tick))
        rows = live[:fits] if "incidents" not in self.collapsed else []
        top = self.height - TOP_H - 8
        height = 30 + max(1, len(rows)) * 40 if "incidents" not in self.collapsed else 26
        left = self.width - SIDE_W - 8
        self._panel(left, top - height, SIDE_W, height,
                    t("map.hud.incidents", n=len(live)), "incidents")
        if not rows and "incidents" not in self.collapsed:
            self.text.put("inc:none", t("map.hud.no_incidents"), left + 12, top - 34, MUTED,
                          size=9, width=SIDE_W - 24, anchor_y="top")
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
            for k in range(inc.severity):  # drawn: the fonts' bullet sits off the baseline
                self.shapes.circle(left + SIDE_W - 16 - 10 * k, y + 27, 3.5, color)
            if inc.status == "escalated":
                countdown, countdown_color = t("map.hud.escalated"), BAD
            else:
                left_s = (inc.escalates_at_tick - world.tick) / 60
                countdown = t("map.hud.escalates_in", time=clock_mm_ss(left_s))
                countdown_color = BAD if left_s < 30 else GOLD
            timer = self.text.put(f"inc:{inc.id}:timer", countdown, left + SIDE_W - 12, y + 6,
                                  countdown_color, size=8, anchor_x="right")
            self.text.put(f"inc:{inc.id}:site", site.name if site else inc.site, left + 16,
                          y + 6, MUTED, size=8, clip=SIDE_W - 36 - timer.content_width)
        return top - height

    def _objectives(self, world: Any, state: HudState, top: float,
                    heights: list[float]) -> float:
        objectives = world.objectives if "obj" not in self.collapsed else []
        heights = heights[:len(objectives)]
        top -= 8
        height = 30 + sum(heights) if objectives else 26
        left = self.width - SIDE_W - 8
        self._panel(left, top - height, SIDE_W, height, t("map.hud.objectives"), "obj")
        y = top - 28
        for obj, row_h in zip(objectives, heights, strict=True):
            y -= row_h
            self._box((left + 2, y, SIDE_W - 4, row_h - 2), Hit("objective", obj.id))
            status_mark(self.shapes, left + 18, y + row_h - 11, obj.status)
            title = _objective_title(obj)
            color = TEXT if obj.status != "failed" else MUTED
            width = self._objective_width(obj)
            if row_h > 22:  # room for a second line: wrap rather than cut
                self.text.put(f"obj:{obj.id}:wrap", title, left + 32, y + row_h - 5, color,
                              size=9, width=int(width), anchor_y="top")
            else:
                self.text.put(f"obj:{obj.id}:title", title, left + 32, y + 7, color, size=9,
                              clip=width)
            if obj.met_tick is not None:
                self.text.put(f"obj:{obj.id}:split", format_time(obj.met_tick / 60),
                              left + SIDE_W - 10, y + row_h - 15, GOOD, size=9, mono=True,
                              anchor_x="right")
        return top - height

    def _orders(self, world: Any, state: HudState) -> None:
        room = self.minimap_rect[0] - 24
        if state.banner:
            self.text.put("orders:banner", state.banner, 14, ORDERS_TOP - 6, GOLD, size=10,
                          bold=True, clip=room)
        elif not state.selected:
            self.text.put("orders:hint", t("map.hud.hint_select"), 14, ORDERS_TOP - 6, MUTED,
                          size=9, clip=room)
        if not state.selected:
            return
        kinds = order_kinds(world, state.selected)
        labels = [self.text.put(f"order:{kind}", t(ORDER_LABELS.get(kind, f"map.order.{kind}")),
                                0, 0, TEXT, size=9, bold=True, anchor_x="center",
                                anchor_y="center") for kind in kinds]
        # each button as wide as its label, the spare room shared out (eleven fit 850 units)
        needs = [max(40.0, label.content_width + ORDER_PAD) for label in labels]
        spare = max(0.0, room - 12 - 4 * len(kinds) - sum(needs)) / len(kinds)
        widths = [min(80.0, need + spare) for need in needs]
        left, bottom = 8, 10
        self._panel(left, bottom, 8 + sum(widths) + 4 * len(kinds), 64)
        self.text.put("orders:count", t("map.hud.selected", n=len(state.selected)),
                      left + 8, bottom + 50, GOLD, size=9, bold=True)
        x = left + 6
        for kind, label, width in zip(kinds, labels, widths, strict=True):
            rect = (x, bottom + 6, width, 36)
            x += width + 4
            active = state.targeting == kind
            self._box(rect, Hit("order", kind), GOLD if active else HEADER)
            self.shapes.rect_outline(*rect, 1, PANEL_EDGE)
            fg = (12, 20, 36, 255) if active else TEXT
            self.text.put(f"order:{kind}", label.text, rect[0] + rect[2] / 2, rect[1] + 22,
                          fg, size=9, bold=True, anchor_x="center", anchor_y="center")
            key = key_name(f"order_{kind}")
            if kind == "call_tni":  # the calls the night has left
                key = f"{key} \u00b7 {world.tni_calls_left}"
            self.text.put(f"order:{kind}:key", key, rect[0] + rect[2] / 2,
                          rect[1] + 8, fg if active else MUTED, size=8, anchor_x="center",
                          anchor_y="center")
        hint = t("map.hud.hint_target") if state.targeting else t("map.hud.hint_orders")
        if not state.banner:
            self.text.put("orders:hint", hint, 14, ORDERS_TOP - 6, MUTED, size=9, clip=room)

    def _notifications(self, state: HudState, column_bottom: float) -> None:
        """The latest events, off the map: in the right column under the objectives when
        it has room (two lines each), else along the bottom edge of the map area."""
        recent = [n for n in state.notifications if state.real_time_s - n.born_s < 8.0][-4:]
        room = column_bottom - 8 - (self.minimap_rect[1] + self.minimap_rect[3] + 8)
        in_column = room >= 38  # the newest that fit there whole beat two cut lines
        if not in_column:
            recent = recent[-2:]  # the two rows the map area leaves free above the orders
        if in_column:
            x, width, step, y = self.width - SIDE_W - 8, SIDE_W, 0, 0.0
        else:
            x, width, step, y = SIDE_W + 16, min(460.0, self.width - 2 * SIDE_W - 32), 24, \
                ORDERS_TOP + 10
        floor = self.minimap_rect[1] + self.minimap_rect[3] + 8
        top = column_bottom - 8
        for i, note in enumerate(reversed(recent)):
            age = state.real_time_s - note.born_s
            alpha = 1.0 if age < 6 else max(0.0, (8.0 - age) / 2.0)
            color = (*note.color[:3], int(255 * alpha))
            text_color = (*TEXT[:3], int(255 * alpha))
            if in_column:  # each as tall as its wrapped text, while the column has room
                label = self.text.put(f"note:{i}:wrap", note.text, x + 12, top - 5,
                                      text_color, size=9, width=int(width - 20),
                                      anchor_y="top")
                height = label.content_height + 10
                if top - height < floor:
                    label.visible = False
                    break
                self.fading.rect(x, top - height, width, height, (10, 16, 28, int(220 * alpha)))
                self.fading.rect(x, top - height, 4, height, color)
                top -= height + 4
            else:
                bottom = y + i * step
                layout.record_panel(x, bottom - 4, width, 21)
                self.fading.rect(x, bottom - 4, width, 21, (10, 16, 28, int(200 * alpha)))
                self.fading.rect(x, bottom - 4, 4, 21, color)
                self.text.put(f"note:{i}", note.text, x + 12, bottom + 2, text_color, size=10,
                              clip=width - 20)

    def _menu(self, state: HudState) -> None:
        x, y, kinds = state.menu
        width, row = 170, 26
        height = row * len(kinds) + 8
        top = min(max(y, height + ORDERS_TOP + 4), self.height - TOP_H - 4)
        left = max(4, min(x, self.width - width - 4))
        self._menu_rect = (left, top - height, width, height)
        self._menu_buttons = []
        self.hits.append((self._menu_rect, Hit("panel")))
        self.menu_shapes.rect(*self._menu_rect, PANEL)
        self.menu_shapes.rect_outline(*self._menu_rect, 1, PANEL_EDGE)
        for i, kind in enumerate(kinds):
            rect = (left + 4, top - 4 - (i + 1) * row, width - 8, row - 2)
            hover = rect[0] <= state.mouse[0] <= rect[0] + rect[2] and \
                rect[1] <= state.mouse[1] <= rect[1] + rect[3]
            self.hits.append((rect, Hit("menu", kind)))
            self._menu_buttons.append(rect)
            if hover:
                self.menu_shapes.rect(*rect, ROW_HOVER)
            self.menu_text.put(f"menu:{i}", t(f"map.order.{kind}"), rect[0] + 8, rect[1] + 7,
                               GOLD if i == 0 else TEXT, size=10, bold=i == 0)  # the default
            if f"order_{kind}" in ACTIONS:
                self.menu_text.put(f"menu:{i}:key", key_name(f"order_{kind}"),
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


def _objective_title(obj: Any) -> str:
    return pick(obj.title) + (f" ({t('map.hud.optional')})" if obj.optional else "")


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
