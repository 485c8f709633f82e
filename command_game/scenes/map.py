"""The map scene: the command post's live situation map over a running World.

Time: the world advances only in ``on_fixed_update`` (60 per second of real time), one
tick per fixed update at 1x, two at 2x, four at 4x, none when paused; an overlay pushed
over the scene (pause menu) stops updates altogether.

Input never touches the world: clicks and keys become ``Command``s (``scenes.orders``)
queued for the next ``world.step``. Keys come from ``command_game.controls`` (rebindable):
Space pause, ``-``/``=`` slower/faster (or the speed buttons), 1..9 recall a control
group, Ctrl+1..9 set it, arrows pan, PageUp/PageDown or the wheel zoom, order hotkeys
(M H P D E R B C T) order the selection to the target under the mouse, Esc pauses.
Left-click selects (shift adds), left-drag box-selects, right-click gives the default
order for what is under the cursor, Ctrl+right-click opens a menu of every order, and
right- or middle-drag pans.
"""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path
from typing import Any

import arcade
from pyglet.window import key, mouse

from command_game import controls, sound
from command_game import progress as campaign_progress
from command_game.i18n import pick, t
from command_game.level.io import load_level
from command_game.render import layout, ui_scale
from command_game.render.hud import SPEEDS, Hud, HudState, Notification
from command_game.render.map_cache import CachedMapView
from command_game.render.map_camera import MapCamera
from command_game.render.static_map import BACKGROUND, StaticMapLayer
from command_game.render.tooltip import Tooltip
from command_game.render.world_view import WorldView
from command_game.scenes import orders
from command_game.scenes.keyboard_focus import KeyboardFocus
from command_game.scenes.orders import ORDER_MENU, Selection, Target
from command_game.scenes.stack import Scene
from command_game.scenes.tutorial import Tutorial
from command_game.sim.commands import Command
from command_game.sim.world import World

log = logging.getLogger(__name__)

PAN_SPEED_PX = 700.0  # keyboard / edge pan, screen pixels per second
DRAG_PX = 6  # a press that moves farther than this is a drag, not a click
CLICK_RADIUS_PX = 14
NOTE_COLORS = {
    "incident_opened": (250, 140, 40, 255), "incident_revealed": (40, 170, 170, 255),
    "incident_escalated": (240, 60, 50, 255), "incident_resolved": (96, 196, 128, 255),
    "objective_met": (234, 180, 62, 255), "objective_failed": (226, 86, 76, 255),
    "riot": (240, 60, 50, 255), "command_rejected": (226, 86, 76, 255),
    "convoy_departed": (235, 225, 200, 255), "convoy_arrived": (96, 196, 128, 255),
    "unit_arrived": (120, 190, 255, 255), "mission_won": (96, 196, 128, 255),
    "mission_lost": (226, 86, 76, 255), "tension_crossed": (250, 140, 40, 255),
}


class MapScene(Scene):
    shows_cards = True  # event cards open their overlay (a replay's answers are recorded)

    def __init__(self, level: Any, level_path: str | Path | None = None, seed: int = 0,
                 on_finish: Any = None, seed_kind: str = "set") -> None:
        super().__init__()
        if isinstance(level, (str, Path)):
            level_path, level = level, load_level(level)
        self.level = level
        self.level_path = str(level_path) if level_path is not None else None
        self.seed = seed
        self.seed_kind = seed_kind  # random, set or daily (night_seed.KINDS)
        self.on_finish = on_finish
        self.world = World.from_level(level, seed=seed,
                                      reputation=campaign_progress.campaign_reputation(level))
        self.static_layer = StaticMapLayer(level)
        self.map_view = CachedMapView(self.static_layer, BACKGROUND)
        self.world_view = WorldView(level)
        width, height = self.window.get_size()
        self.camera = MapCamera(level.map.width_m, level.map.height_m, (0, 0, width, height))
        self.hud = Hud(level, self.static_layer, width, height)
        self.fit_view()
        self.selection = Selection()
        self.pending: list[Command] = []
        self.speed = 1
        self._last_speed = 1
        self.real_time_s = 0.0
        self.real_splits: list[tuple[str, float]] = []  # objective, real_time_s when met
        self.notifications: list[Notification] = []
        self.targeting: str | None = None
        self.menu: tuple[float, float, tuple[str, ...]] | None = None
        self._menu_target: Target | None = None
        self._press: tuple[float, float, int, int] | None = None  # x, y, button, modifiers
        self._drag_box: tuple[float, float, float, float] | None = None
        self._mouse = (-1.0, -1.0)
        self._mouse_inside = False
        self._keys_held: set[str] = set()
        self.focus = KeyboardFocus()
        self.tutorial = Tutorial.for_level(level)
        self.tooltip = Tooltip()  # what the HUD element under the mouse does
        self.show_heat = False
        self.finished = False
        self.ticks_last_update = 0
        self.frame_ms = 0.0

    # -- time ------------------------------------------------------------------------

    def set_speed(self, speed: int) -> None:
        if speed not in SPEEDS:
            raise ValueError(f"speed must be one of {SPEEDS}")
        if speed:
            self._last_speed = speed
        self.speed = speed

    def toggle_pause(self) -> None:
        self.set_speed(0 if self.speed else self._last_speed)

    def step_speed(self, direction: int) -> None:
        i = SPEEDS.index(self.speed) + direction
        self.set_speed(SPEEDS[max(0, min(len(SPEEDS) - 1, i))])

    def on_fixed_update(self, delta_time: float) -> None:
        """Advances the world by ``speed`` ticks: 60 fixed updates make 1 s of game time at 1x."""
        self.ticks_last_update = 0
        if self.finished:
            return
        for _ in range(self.speed):
            events = self.world.step(self.pending)
            self.pending = []
            self.ticks_last_update += 1
            self._on_events(events)
            if self._card_waiting(events):
                return
            if self.world.finished:
                self._finish()
                return

    def on_update(self, delta_time: float) -> None:
        self.real_time_s += delta_time
        if self.tutorial is not None:
            self.tutorial.update(self, delta_time)
        dx = dy = 0.0
        held = self._keys_held
        dx += ("pan_right" in held) - ("pan_left" in held)
        dy += ("pan_up" in held) - ("pan_down" in held)
        if self._mouse_inside and self._press is None:
            ex, ey = controls.edge_scroll(*self._mouse, self.window.width, self.window.height)
            dx, dy = dx + ex, dy + ey
        if dx or dy:
            step = PAN_SPEED_PX * delta_time
            self.camera.pan_pixels(-dx * step, -dy * step)

    def queue(self, commands: list[Command]) -> None:
        """Commands go to the world at the start of its next tick."""
        self.pending.extend(commands)
        if commands:
            sound.play("order")
            if self.tutorial is not None:
                self.tutorial.on_commands(commands)

    # -- events from the world ----------------------------------------------------------

    def _on_events(self, events: list[Any]) -> None:
        if not events:
            return
        sound.play_for_events(events)
        for event in events:
            if event.kind == "objective_met":
                self.real_splits.append((event.subject, self.real_time_s))
            text = self._describe(event)
            if text:
                color = NOTE_COLORS.get(event.kind, (200, 200, 200, 255))
                self.notifications.append(Notification(text, color, self.real_time_s))
        del self.notifications[:-20]

    def _card_waiting(self, events: list[Any]) -> bool:
        """An event card came up: its overlay stops game time until it is answered."""
        if not self.shows_cards or self.stack is None or self.stack.top is not self \
                or self.world.cards.showing is None \
                or not any(e.kind == "event_card" for e in events):
            return False
        from command_game.scenes.event_card import EventCardScene

        self.stack.push(EventCardScene(self, self.world.cards.showing))
        return True

    def note(self, text: str) -> None:
        self.notifications.append(Notification(text, NOTE_COLORS["objective_met"],
                                               self.real_time_s))

    def _describe(self, event: Any) -> str | None:
        """A notification line for an event the player should notice, else None."""
        if event.kind in ("unit_dispatched", "unit_rerouted", "event_card", "card_chosen"):
            return None
        if event.kind == "tension_crossed" and (event.value or 0) < 75:
            return None
        names = {**{s.id: s.name for s in self.world.sites.values()},
                 **{u.id: u.name for u in self.world.units.values()}}
        incident = next((i for i in self.world.incidents if i.id == event.subject), None)
        objective = next((o for o in self.world.objectives if o.id == event.subject), None)
        values = {
            "subject": names.get(event.subject or "", event.subject or ""),
            "site": names.get(event.site or "", event.site or ""),
            "type": t(f"map.incident.{incident.type}") if incident else "",
            "objective": pick(objective.title) if objective else "",
            "value": f"{event.value:.0f}" if event.value is not None else "",
            "detail": event.detail,
        }
        return t(f"map.event.{event.kind}", **values)

    def _finish(self) -> None:
        """The mission ended: hand the world to whoever asked, else record and debrief."""
        self.finished = True
        if self.on_finish is not None:
            self.on_finish(self.world)
            return
        previous_best = _personal_best(self.level.meta.id)
        run = _record(self.level_path, self.level, self.world, self.real_time_s,
                      self.real_splits, self.seed_kind)
        from command_game.scenes.debrief import DebriefScene

        if self.stack is not None:
            self.stack.replace(DebriefScene(self.world, self.level_path, self.real_time_s,
                                            previous_best=previous_best, run=run,
                                            real_splits=self.real_splits,
                                            seed_kind=self.seed_kind))

    # -- drawing ----------------------------------------------------------------------

    def on_resize(self, width: int, height: int) -> None:
        self.camera.set_viewport((0, 0, width, height))
        self.hud.resize(width, height)
        self.fit_view()

    def fit_view(self) -> None:
        """Shows the whole map in the part of the window no HUD panel covers, so every
        site starts in view (at the HUD's current scale)."""
        width, height = self.window.get_size()
        self.hud.set_scale(ui_scale.effective(width, height))
        left, bottom, right, top = self.hud.map_area()
        self.camera.fit(inset=(left, bottom, width - right, height - top))

    def on_draw(self) -> None:
        started = time.perf_counter()
        if abs(ui_scale.effective(*self.window.get_size()) - self.hud.scale) > 1e-6:
            self.fit_view()  # back from Settings with another UI scale
        hover = self._hover_target()
        if self.hud.hits_stale():  # lay the panels out first (the map draws over this pass)
            with layout.paused():
                self.hud.draw(self.world, self._hud_state())
        self.static_layer.covered = self.hud.covered()  # map labels keep off the panels
        self.map_view.draw(self.camera)  # the static map; stands in for the clear
        with self.camera.activate(), layout.scaled(1.0, "world"):
            if self.show_heat:
                self.world_view.draw_heat(self.world)
            focus = self.focus.target(self.world)
            self.world_view.draw(self.world, self.camera, self.selection.ids,
                                 self.real_time_s, hover or focus)
            self._draw_queued()
        self.static_layer.draw_labels(self.camera.camera)
        with layout.scaled(1.0, "world"):
            self.world_view.draw_name_tag(self.world, self._hover_unit())
        self.window.default_camera.use()
        self.hud.draw(self.world, self._hud_state())
        if self._drag_box is not None:
            self._draw_drag_box()
        if self.tutorial is not None and self.menu is None:  # an open order menu is on top
            self.tutorial.draw(self.window.width, self.window.height)
        hit = self.hud.hit(*self._mouse) if self._mouse_inside else None
        prompt = self.tutorial.rect if self.tutorial is not None else None
        self.tooltip.draw(hit, self.world, self._mouse, self.real_time_s, self.window.get_size(),
                          avoid=prompt)
        self.frame_ms = (time.perf_counter() - started) * 1000

    def _draw_queued(self) -> None:
        """Orders waiting for the clock (given while paused): a dashed gold line from each
        unit to where it was sent, so the order visibly took (one draw call)."""
        dash = 10 / self.camera.zoom
        points: list[tuple[float, float]] = []
        for command in self.pending:
            end = self._command_point(command)
            for unit_id in command.unit_ids if end is not None else ():
                unit = self.world.units.get(unit_id)
                if unit is not None:
                    points += _dashes(unit.x, unit.y, *end, dash)
        if points:
            arcade.draw_lines(points, (234, 180, 62, 230), 2.5 / self.camera.zoom)

    def _command_point(self, command: Command) -> tuple[float, float] | None:
        if command.point is not None:
            return command.point
        target = command.target or (command.route[-1] if command.route else None)
        if target in self.world.sites:
            site = self.world.sites[target]
            return site.x, site.y
        incident = next((i for i in self.world.incidents if i.id == target), None)
        if incident is not None:
            return incident.x, incident.y
        node = next((n for n in self.level.roads.nodes if n.id == target), None)
        return (node.x, node.y) if node is not None else None

    def _hud_state(self) -> HudState:
        return HudState(
            speed=self.speed, selected=tuple(self.selection.ids),
            groups=dict(self.selection.groups), real_time_s=self.real_time_s,
            targeting=self.targeting, menu=self.menu, notifications=self.notifications,
            camera_rect=self.camera.visible_rect(), mouse=self._mouse,
            queued=tuple(u for c in self.pending for u in c.unit_ids),
        )

    def _draw_drag_box(self) -> None:
        x0, y0, x1, y1 = self._drag_box
        shapes = self.hud.shapes
        shapes.clear()
        left, bottom = min(x0, x1), min(y0, y1)
        width, height = abs(x1 - x0), abs(y1 - y0)
        shapes.rect(left, bottom, width, height, (120, 190, 255, 40))
        shapes.rect_outline(left, bottom, width, height, 1, (170, 220, 255, 220))
        shapes.draw()

    def _hover_unit(self) -> str | None:
        if not self._mouse_inside or self.hud.hit(*self._mouse) is not None:
            return None
        wx, wy = self.camera.to_world(*self._mouse)
        return orders.unit_at(self.world, wx, wy, self.click_radius_m() * 1.3)

    def _hover_target(self) -> Target | None:
        if not self.selection.ids or not self._mouse_inside:
            return None
        if self.hud.hit(*self._mouse) is not None:
            return None
        target = self.target_at(*self._mouse)
        return None if target.kind == "point" else target

    # -- input: mouse ------------------------------------------------------------------

    def click_radius_m(self) -> float:
        return CLICK_RADIUS_PX / self.camera.zoom

    def target_at(self, x: float, y: float) -> Target:
        wx, wy = self.camera.to_world(x, y)
        return orders.pick_target(self.world, wx, wy, self.click_radius_m())

    def on_mouse_motion(self, x: int, y: int, dx: int, dy: int) -> None:
        self._mouse = (float(x), float(y))
        self._mouse_inside = True

    def on_mouse_enter(self, x: int, y: int) -> None:
        self._mouse_inside = True

    def on_mouse_leave(self, x: int, y: int) -> None:
        self._mouse_inside = False

    def on_mouse_scroll(self, x: int, y: int, scroll_x: float, scroll_y: float) -> None:
        hit = self.hud.hit(x, y)
        if hit is None or hit.kind == "minimap":
            self.camera.zoom_at(x, y, 1.15 ** scroll_y)
        elif hit.kind in ("roster", "unit"):
            self.hud.scroll_roster(-round(scroll_y))

    def on_mouse_press(self, x: int, y: int, button: int, modifiers: int) -> None:
        self._mouse = (float(x), float(y))
        if self.tutorial is not None and self.tutorial.on_mouse_press(x, y):
            self._press = None
            return
        self._press = (float(x), float(y), button, modifiers)

    def on_mouse_drag(self, x: int, y: int, dx: int, dy: int, buttons: int,
                      modifiers: int) -> None:
        self._mouse = (float(x), float(y))
        if self._press is None:
            return
        px, py, button, _ = self._press
        moved = abs(x - px) + abs(y - py) > DRAG_PX
        start = self.hud.hit(px, py)
        if button == mouse.LEFT and start is not None and start.kind == "minimap":
            self.camera.centre_on(*self.hud.minimap_to_world(x, y))  # drag the view box
            self._press = (px, py, -2, 0)  # a minimap drag: the release is no click
            return
        if button == -2:
            self.camera.centre_on(*self.hud.minimap_to_world(x, y))
            return
        if button == -1 or (button in (mouse.RIGHT, mouse.MIDDLE) and moved):
            self.camera.pan_pixels(dx, dy)
            self._press = (px, py, -1, 0)  # a pan now: the release gives no order
        elif button == mouse.LEFT and moved and self.hud.hit(px, py) is None:
            self._drag_box = (px, py, float(x), float(y))

    def on_mouse_release(self, x: int, y: int, button: int, modifiers: int) -> None:
        press, self._press = self._press, None
        box, self._drag_box = self._drag_box, None
        if press is None or press[2] in (-1, -2):
            return
        shift = bool(modifiers & key.MOD_SHIFT)
        if box is not None:
            x0, y0 = self.camera.to_world(box[0], box[1])
            x1, y1 = self.camera.to_world(x, y)
            self.selection.box(orders.units_in_box(self.world, x0, y0, x1, y1), add=shift)
            return
        if button == mouse.LEFT:
            self.left_click(x, y, shift)
        elif button == mouse.RIGHT:
            self.right_click(x, y, bool(modifiers & key.MOD_CTRL))

    def left_click(self, x: float, y: float, shift: bool = False) -> None:
        hit = self.hud.hit(x, y)
        if self.menu is not None:
            menu_target, self.menu, self._menu_target = self._menu_target, None, None
            if hit is not None and hit.kind == "menu":
                self.order(hit.value, menu_target)
            return
        if hit is not None:
            self._hud_click(hit, x, y, shift)
            return
        if self.targeting is not None:
            kind, self.targeting = self.targeting, None
            self.order(kind, self.target_at(x, y))
            return
        wx, wy = self.camera.to_world(x, y)
        self.selection.click(orders.unit_at(self.world, wx, wy, self.click_radius_m() * 1.3),
                             add=shift)

    def right_click(self, x: float, y: float, menu: bool = False) -> None:
        self.targeting = None
        if self.menu is not None:
            self.menu = None
            return
        if self.hud.hit(x, y) is not None:
            return
        target = self.target_at(x, y)
        if menu:
            offered = tuple(k for k in ORDER_MENU[target.kind]  # as the order bar does
                            if k != "call_tni" or self.level.tni_backup_calls > 0)
            self.menu = (x, y, offered)
            self._menu_target = target
            return
        if self.selection.ids:
            self.order(orders.default_order(target), target)

    def _hud_click(self, hit: Any, x: float, y: float, shift: bool) -> None:
        if hit.kind == "speed":
            self.set_speed(hit.value)
        elif hit.kind == "collapse":
            self.hud.toggle(hit.value)
        elif hit.kind == "unit":
            self.selection.click(hit.value, add=shift)
        elif hit.kind == "incident":
            incident = next(i for i in self.world.incidents if i.id == hit.value)
            self.camera.centre_on(incident.x, incident.y)
        elif hit.kind == "minimap":
            self.camera.centre_on(*self.hud.minimap_to_world(x, y))
        elif hit.kind == "order":
            if hit.value in orders.UNTARGETED:
                self.order(hit.value, None)
            else:
                self.targeting = None if self.targeting == hit.value else hit.value

    def order(self, kind: str, target: Target | None) -> list[Command]:
        """Turns an order on a target into Commands for the selected units and queues them."""
        commands = orders.orders_for(self.world, kind, target, self.selection.ids)
        if not commands:
            self.notifications.append(Notification(
                t("map.note.cannot_order", order=t(f"map.order.{kind}")),
                (226, 86, 76, 255), self.real_time_s))
        self.queue(commands)
        return commands

    # -- input: keys ---------------------------------------------------------------------

    def on_key_press(self, symbol: int, modifiers: int) -> None:
        if symbol == key.ESCAPE:
            self._escape()
            return
        if self.tutorial is not None and self.tutorial.on_key_press(symbol, modifiers):
            return
        action = controls.action_for(symbol, modifiers) or _plus_minus(symbol, modifiers)
        if action is None:
            return
        if action.startswith("pan_"):
            self._keys_held.add(action)
        else:
            self.do_action(action)

    def on_key_release(self, symbol: int, modifiers: int) -> None:
        action = controls.action_for(symbol, modifiers) or controls.action_for(symbol, 0)
        if action is not None:
            self._keys_held.discard(action)

    def _escape(self) -> None:
        if self.menu is not None or self.targeting is not None:
            self.menu, self.targeting = None, None
            return
        from command_game.scenes.pause import PauseScene

        # a mission someone else started (the editor's play-test) quits back to them
        quit_to = None if self.on_finish is None else (lambda: self.on_finish(self.world))
        if self.stack is not None:
            self.stack.push(PauseScene(quit_to=quit_to))

    def do_action(self, action: str) -> None:
        """One named action from controls (keyboard); shared with tests and the help."""
        simple = {
            "pause": self.toggle_pause,
            "speed_down": lambda: self.step_speed(-1),
            "speed_up": lambda: self.step_speed(1),
            "zoom_in": lambda: self.camera.zoom_at(self.window.width / 2,
                                                   self.window.height / 2, 1.25),
            "zoom_out": lambda: self.camera.zoom_at(self.window.width / 2,
                                                    self.window.height / 2, 0.8),
            "center_selection": self._centre_selection,
            "select_all": lambda: self.selection.set(self.world.units),
            "deselect": self.selection.clear,
            "next_unit": lambda: self._cycle_unit(1),
            "prev_unit": lambda: self._cycle_unit(-1),
            "next_incident": lambda: self._centre(self.focus.cycle_incident(
                self.world, 1, self._mouse)),
            "prev_incident": lambda: self._centre(self.focus.cycle_incident(
                self.world, -1, self._mouse)),
            "next_site": lambda: self._centre(self.focus.cycle_site(self.world, 1, self._mouse)),
            "prev_site": lambda: self._centre(self.focus.cycle_site(self.world, -1, self._mouse)),
            "help": self._help,
            "toggle_heatmap": self._toggle_heat,
        }
        if action in simple:
            simple[action]()
        elif action.startswith("group_set_"):
            self.selection.set_group(int(action.removeprefix("group_set_")))
        elif action.startswith("group_"):
            if self.selection.recall_group(int(action.removeprefix("group_")), self.world.units):
                self._centre_selection()
        elif action.startswith("order_"):
            self._order_hotkey(controls.ORDER_KINDS[action])

    def _order_hotkey(self, kind: str) -> None:
        """An order key orders the selection to what is under the mouse (or, off the map,
        waits for a click on the target)."""
        if kind in orders.UNTARGETED:
            self.order(kind, None)
            return
        target = self.focus.target(self.world, self._mouse)
        over_map = self._mouse_inside and self.hud.hit(*self._mouse) is None
        if target is None and over_map:
            target = self.target_at(*self._mouse)
        if target is not None and target.kind == "point" and over_map \
                and kind not in ("move", "cordon", "exit_route"):
            target = self._nearest_node(target.point) or target  # P on a road: its node
        if target is not None and kind in ORDER_MENU[target.kind]:
            self.order(kind, target)
        else:
            self.targeting = kind

    def _nearest_node(self, point: tuple[float, float]) -> Target | None:
        """The road node nearest a point on the map, if one is within a few clicks' reach."""
        reach = self.click_radius_m() * 4
        best = min(self.level.roads.nodes, default=None,
                   key=lambda n: (n.x - point[0]) ** 2 + (n.y - point[1]) ** 2)
        if best is None or (best.x - point[0]) ** 2 + (best.y - point[1]) ** 2 > reach ** 2:
            return None
        return Target("node", best.id, (best.x, best.y))

    def _centre_selection(self) -> None:
        units = [self.world.units[u] for u in self.selection.ids if u in self.world.units]
        if units:
            self.camera.centre_on(sum(u.x for u in units) / len(units),
                                  sum(u.y for u in units) / len(units))

    def _cycle_unit(self, step: int) -> None:
        current = self.selection.ids[0] if self.selection.ids else None
        unit_id = controls.cycle(list(self.world.units), current, step)
        if unit_id is not None:
            self.selection.set([unit_id])
            self._centre_selection()

    def _centre(self, point: tuple[float, float] | None) -> None:
        if point is not None:
            self.camera.centre_on(*point)

    def _help(self) -> None:
        from command_game.scenes.help import HelpScene

        if self.stack is not None:
            self.stack.push(HelpScene())

    def _toggle_heat(self) -> None:
        self.show_heat = not self.show_heat


def _dashes(x0: float, y0: float, x1: float, y1: float,
            dash: float) -> list[tuple[float, float]]:
    """Start and end points of every other ``dash``-long piece of a line."""
    steps = max(1, int(math.hypot(x1 - x0, y1 - y0) / dash))
    points = []
    for i in range(0, steps, 2):
        a, b = i / steps, min(1.0, (i + 1) / steps)
        points += [(x0 + (x1 - x0) * a, y0 + (y1 - y0) * a),
                   (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)]
    return points


def _plus_minus(symbol: int, modifiers: int) -> str | None:
    """'+' typed as Shift+= or on the number pad also speeds up, when no binding took it."""
    if symbol in (key.PLUS, key.NUM_ADD) or (symbol == key.EQUAL and modifiers & key.MOD_SHIFT):
        return "speed_up"
    return None


def _personal_best(level_id: str) -> Any:
    """The personal best before this run (record_finished_run replaces it)."""
    try:
        from command_game import progress

        return progress.load_progress().best(level_id)
    except Exception as exc:  # a broken progress file must not stop the debrief
        log.warning("could not read the personal best: %s", exc)
        return None


def _record(level_path: str | None, level: Any, world: World, real_time_s: float,
            real_splits: list[tuple[str, float]], seed_kind: str = "set") -> Any:
    """Records the run; a failing disk or board must not take the debrief down with it."""
    from command_game.night_seed import board_kind
    from command_game.speedrun.record import record_finished_run

    try:
        return record_finished_run(level_path, level, world, real_time_s,
                                   real_splits=real_splits, seed_kind=board_kind(seed_kind))
    except Exception:
        log.exception("run not recorded: the speedrun record failed")
        return None
