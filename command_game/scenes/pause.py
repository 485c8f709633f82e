"""The pause menu: an overlay over the mission, which stays visible, dimmed and frozen.

The map beneath gets no updates while the overlay is on top (the scene stack gives
updates to the top scene only), so game time really stops.

    PauseScene()                       restart rebuilds the scene beneath from its own
                                       level, level_path, seed and on_finish (MapScene's
                                       constructor arguments)
    PauseScene(restart=callable)       restart calls `restart()` after the pause menu
                                       has closed (the mission scene is on top again)
    PauseScene(quit_to=callable)       "Quit" calls `quit_to()` instead of going back to
                                       the title screen (e.g. an editor play-test)
"""

from __future__ import annotations

from collections.abc import Callable

import arcade
import arcade.gui

from command_game.i18n import pick, t
from command_game.render import layout
from command_game.scenes import ui

PANEL_W, PANEL_H = 420, 420


class PauseScene(ui.UIScene):
    overlay = True

    def __init__(
        self,
        restart: Callable[[], object] | None = None,
        quit_to: Callable[[], object] | None = None,
    ) -> None:
        super().__init__()
        self._restart = restart
        self._quit_to = quit_to
        # the panel grows with the UI scale as far as the window lets it
        self.scale = s = max(0.75, min(self.scale, (self.window.height - 40) / PANEL_H))
        self.buttons = [
            ui.button(t("pause.resume"), self.resume, style=ui.STYLE_PRIMARY, scale=s),
            ui.button(t("title.settings"), self.open_settings, scale=s),
            ui.button(t("pause.restart"), self.restart, scale=s),
            ui.button(t("pause.quit" if quit_to is None else "pause.quit_mission"),
                      self.quit_to_title, style=ui.STYLE_DANGER, scale=s),
        ]
        anchor = self.ui.add(arcade.gui.UIAnchorLayout())
        anchor.add(ui.vertical(*self.buttons, space=round(14 * s)), anchor_x="center",
                   anchor_y="center", align_y=-36 * s)
        self.focus.set_buttons(self.buttons, index=0)
        self.heading = self.label(t("pause.title"), 30, ui.GOLD, font=ui.FONT_DISPLAY,
                                  anchor_x="center", anchor_y="center")
        self.detail = self.label("", 13, ui.TEXT_MUTED, anchor_x="center", anchor_y="center")
        self.hint = self.label(t("pause.hint"), 11, ui.TEXT_MUTED, anchor_x="center")

    def on_enter(self) -> None:
        self.detail.text = self._mission_line()
        ui.fit_width(self.detail, PANEL_W * self.scale - 40)
        restartable = self._restart is not None or hasattr(self._below(), "level")
        self.buttons[2].disabled = not restartable

    def _mission_line(self) -> str:
        """The mission under the overlay and its election-night clock, when it has them."""
        below = self._below()
        level = getattr(below, "level", None)
        world = getattr(below, "world", None)
        if level is None:
            return ""
        title = pick(level.meta.title)
        return f"{title}  ·  {world.clock_text()}" if world is not None else title

    def _below(self):
        scenes = self.stack.scenes if self.stack is not None else ()
        return scenes[-2] if len(scenes) >= 2 and scenes[-1] is self else None

    # --- drawing --------------------------------------------------------------------

    def draw_background(self) -> None:
        """The frozen mission, dimmed; then the menu panel."""
        self.clear(color=ui.BACKGROUND)
        self.draw_beneath()
        self.window.default_camera.use()  # the mission beneath drew under its map camera
        w, h = self.window.width, self.window.height
        arcade.draw_lbwh_rectangle_filled(0, 0, w, h, ui.DIM_OVERLAY)
        if layout.active() is not None:
            layout.active().cover()  # the mission beneath is dimmed, not read
        s = self.scale
        panel = arcade.XYWH(w / 2, h / 2, PANEL_W * s, PANEL_H * s)
        ui.draw_panel(panel, header=96 * s)
        arcade.draw_lbwh_rectangle_filled(panel.left, panel.top - 3, panel.width, 3, ui.GOLD)
        ui.place(self.heading, w / 2, panel.top - 36 * s)
        ui.place(self.detail, w / 2, panel.top - 78 * s)
        ui.place(self.hint, w / 2, panel.bottom + 22 * s)
        for label in (self.heading, self.detail, self.hint):
            label.draw()

    def relocalized(self) -> PauseScene:
        return PauseScene(restart=self._restart, quit_to=self._quit_to)

    # --- actions --------------------------------------------------------------------

    def resume(self) -> None:
        if self.stack is not None and self.stack.top is self:
            self.stack.pop()

    def open_settings(self) -> None:
        from command_game.scenes.settings import SettingsScene

        self.stack.push(SettingsScene())

    def restart(self) -> None:
        """Closes the menu and starts the mission beneath again from tick 0."""
        stack = self.stack
        if stack is None:
            return
        stack.pop()
        if self._restart is not None:
            self._restart()
            return
        mission = stack.top
        stack.replace(type(mission)(mission.level, mission.level_path, seed=mission.seed,
                                    on_finish=mission.on_finish))

    def quit_to_title(self) -> None:
        if self._quit_to is not None:
            self.stack.pop()
            self._quit_to()
            return
        from command_game.scenes.title import TitleScene

        self.stack.reset(TitleScene())

    def on_key(self, symbol: int, modifiers: int) -> bool | None:
        if symbol == arcade.key.ESCAPE:
            self.resume()
            return True
        return None
