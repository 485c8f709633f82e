"""The first-mission tutorial: on-map prompts that wait for the player to act.

Four steps, each finished only by doing what it asks:
  select    a unit becomes selected (click, roster, Tab)
  dispatch  a move, respond, hold, patrol or escort order is issued
  dialogue  a dialogue order is issued (the cooling-system patrol the reports praise)
  pause     the clock is paused while it was running

The tutorial is a helper object the map scene consults, not a scene: the map stays the
scene that gets input, and the tutorial only watches. The map scene calls
`on_commands(commands)` with every batch of Commands it queues, `update(scene, dt)`
each frame (selection and speed are read from the scene), `draw(width, height)` last,
and offers it key presses and clicks first (`on_key_press`, `on_mouse_press`) so the
skip key and the Skip box work. Finishing or skipping turns `show_tutorial` off in the
settings (the player can turn it back on there).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import arcade

from command_game import controls, settings
from command_game.i18n import t
from command_game.render import palette, ui_scale
from command_game.scenes import ui

STEPS: tuple[str, ...] = ("select", "dispatch", "dialogue", "pause")
DISPATCH_KINDS = frozenset({"move", "respond", "hold", "patrol", "escort"})
DONE_SHOWN_S = 8.0  # how long the closing line stays up
TOP_BAR = 46  # the HUD's top bar height (at 100%): the prompt sits under it,
PAUSED_BANNER = 28  # and under the paused banner there (the pause step must show it)
SIDE = 290  # the HUD's side panels (at 100%): the prompt stays between them if it can
HEIGHT = 96


def is_first_mission(level: Any) -> bool:
    from command_game.level.catalog import campaign

    levels = campaign()
    return bool(levels) and levels[0].level.meta.id == level.meta.id


class Tutorial:
    def __init__(self) -> None:
        self.step = 0
        self.state = "running"  # running, done, skipped
        self.closed_for_s = 0.0
        self.rect: arcade.Rect | None = None  # the prompt last drawn: tooltips keep off it
        self._selected_at_start: tuple[str, ...] = ()
        self._seen_running = False
        self._start_step: bool = True
        self._labels: dict[str, arcade.Text] = {}
        self._text_for: tuple[str, int, str, float] | None = None
        self.skip_box: tuple[float, float, float, float] | None = None
        self.pointer: tuple[float, float] | None = None  # screen point the step is about
        self._scene: Any = None  # the map scene, as last seen in update()
        self._time_s = 0.0

    @classmethod
    def for_level(cls, level: Any) -> Tutorial | None:
        """A tutorial for the first campaign mission while the player has it switched on."""
        if not settings.current().show_tutorial or not is_first_mission(level):
            return None
        return cls()

    @property
    def current(self) -> str | None:
        """The step waiting for the player, or None once finished or skipped."""
        return STEPS[self.step] if self.state == "running" else None

    @property
    def visible(self) -> bool:
        return self.state == "running" or self.closed_for_s < DONE_SHOWN_S

    # --- watching the player ------------------------------------------------------

    def on_commands(self, commands: Iterable[Any]) -> None:
        """The Commands the map scene just issued."""
        kinds = {c.kind for c in commands}
        wanted = {"dispatch": DISPATCH_KINDS, "dialogue": {"dialogue"}}.get(self.current or "")
        if wanted and kinds & wanted:
            self._advance()

    def update(self, scene: Any, delta_time: float = 0.0) -> None:
        """Reads the scene's selection and speed; counts down the closing line."""
        self._time_s += delta_time
        if self.state != "running":
            self.closed_for_s += delta_time
            return
        selected = tuple(scene.selection.ids)
        if self._start_step:
            self._start_step = False
            self._selected_at_start = selected
            self._seen_running = scene.speed != 0
        if self.current == "select" and selected and selected != self._selected_at_start:
            self._advance()
        elif self.current == "pause":
            if scene.speed != 0:
                self._seen_running = True
            elif self._seen_running:
                self._advance()
        self._scene = scene

    def _point_at(self, scene: Any) -> tuple[float, float] | None:
        """Where on screen the current step points: a unit to select, then the KPU office
        (the first mission's objective) to send it to and talk with its crowd."""
        camera = getattr(scene, "camera", None)
        if camera is None:
            return None
        world = scene.world
        if self.current == "select":  # the unit nearest the middle of the screen
            points = [camera.to_screen(u.x, u.y) for u in world.units.values()]
            cx, cy = scene.window.width / 2, scene.window.height / 2
            return min(points, key=lambda p: (p[0] - cx) ** 2 + (p[1] - cy) ** 2,
                       default=None)
        if self.current in ("dispatch", "dialogue"):
            site = next((s for s in world.sites.values() if s.type == "kpu"), None)
            return camera.to_screen(site.x, site.y) if site is not None else None
        return None

    def _advance(self) -> None:
        self.step += 1
        self._start_step = True
        if self.step >= len(STEPS):
            self._close("done")

    def skip(self) -> None:
        if self.state == "running":
            self._close("skipped")

    def _close(self, how: str) -> None:
        self.state, self.closed_for_s = how, 0.0
        if settings.current().show_tutorial:
            settings.update(show_tutorial=False)

    # --- input offered first ------------------------------------------------------

    def on_key_press(self, symbol: int, modifiers: int) -> bool:
        """True when the key was the skip key (the map should then ignore it)."""
        if self.state == "running" and controls.action_for(symbol, modifiers) == "skip_tutorial":
            self.skip()
            return True
        return False

    def on_mouse_press(self, x: float, y: float) -> bool:
        """True when the click hit the prompt's Skip box."""
        if self.state != "running" or self.skip_box is None:
            return False
        left, bottom, width, height = self.skip_box
        if left <= x <= left + width and bottom <= y <= bottom + height:
            self.skip()
            return True
        return False

    # --- drawing ------------------------------------------------------------------

    def prompt(self) -> str:
        """The line the player reads now."""
        name = controls.key_name
        if self.state == "skipped":
            return t("tutorial.skipped", hotkey=name("help"))
        if self.state == "done":
            return t("tutorial.done", hotkey=name("help"))
        return {
            "select": lambda: t("tutorial.select", hotkey=name("next_unit")),
            "dispatch": lambda: t("tutorial.dispatch", site=name("next_site"),
                                  move=name("order_move")),
            "dialogue": lambda: t("tutorial.dialogue", hotkey=name("order_dialogue")),
            "pause": lambda: t("tutorial.pause", hotkey=name("pause")),
        }[self.current]()

    def draw(self, width: float, height: float) -> None:
        self.rect = None  # where the prompt is: tooltips keep off it
        if not self.visible:
            return
        hud = ui_scale.effective()  # the HUD is laid out at this scale
        s = min(hud, 1.5)
        left, right = SIDE * hud, width - SIDE * hud
        if right - left < 480 * s:  # side panels too wide at this scale: overlap the right
            right = width - 20  # ones (incidents, objectives), never the unit roster the
        if right - left < 480 * s:  # first step asks to click in; at worst overlap both
            left, right = max(20, width / 2 - 320 * s), min(width - 20, width / 2 + 320 * s)
        top = height - (TOP_BAR + PAUSED_BANNER) * hud - 6
        self._refresh_labels(right - left, s)
        labels = self._labels
        tall = max(HEIGHT * s, 36 * s + labels["body"].content_height + 34 * s)
        rect = arcade.LRBT(left, right, top - tall, top)  # grows for a long (Indonesian) line
        self.rect = rect
        glow = palette.pulse(self._time_s, rate_hz=0.5, low=0.45)
        self.pointer = self._point_at(self._scene) if self._scene is not None else None
        if self.state == "running" and self.pointer is not None:  # under the prompt
            px, py = self.pointer
            arcade.draw_circle_outline(px, py, 26 + 6 * glow, (*ui.GOLD[:3], int(255 * glow)), 3)
        arcade.draw_rect_filled(rect, (14, 22, 38, 240))
        arcade.draw_rect_outline(rect, (*ui.GOLD[:3], int(255 * glow)), 2)
        ui.place(labels["head"], left + 16, round(top - 24 * s))
        ui.place(labels["body"], left + 16, round(top - 36 * s))
        for label in (labels["head"], labels["body"]):
            label.draw()
        if self.state == "running":
            self._draw_steps(right - 16, top - 20 * s)
            skip = labels["skip"]
            ui.place(skip, right - 16, round(rect.bottom + 10))
            skip.draw()
            self.skip_box = (right - 16 - skip.content_width - 6, rect.bottom + 4,
                             skip.content_width + 12, skip.content_height + 10)
            arcade.draw_lbwh_rectangle_outline(*self.skip_box, ui.TEXT_MUTED, 1)
        else:
            self.skip_box = None

    def _refresh_labels(self, width: float, scale: float) -> None:
        """Texts are rebuilt only when the step, state, language or scale changes."""
        from command_game.i18n import language

        key = (self.state, self.step, language(), scale)
        if key == self._text_for:
            return
        self._text_for = key
        head = t("tutorial.title")
        if self.state == "running":
            head = f"{head} · {t('tutorial.step', n=self.step + 1, total=len(STEPS))}"
        self._labels = {
            "head": ui.text(head.upper(), round(12 * scale), ui.GOLD, bold=True),
            "body": ui.text(self.prompt(), round(14 * scale), ui.TEXT, width=int(width - 110),
                            anchor_y="top"),
            "skip": ui.text(t("tutorial.skip", hotkey=controls.key_name("skip_tutorial")),
                            round(11 * scale), ui.TEXT_MUTED, anchor_x="right",
                            anchor_y="bottom"),
        }

    def _draw_steps(self, right: float, y: float) -> None:
        """One dot per step: filled when done, ringed for the current one."""
        for i in range(len(STEPS)):
            x = right - (len(STEPS) - 1 - i) * 18 - 6
            if i < self.step:
                arcade.draw_circle_filled(x, y, 6, ui.GOOD)
            elif i == self.step:
                arcade.draw_circle_outline(x, y, 6, ui.GOLD, 2)
            else:
                arcade.draw_circle_outline(x, y, 6, ui.TEXT_MUTED, 1)
