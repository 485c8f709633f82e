"""The help overlay (F1): every action with the key it has right now.

It reads `controls.bindings()` when it opens, so a key the player rebound shows as
rebound. It lies over the scene beneath (the map stays visible, frozen) and closes with
its own key or Esc. All text is laid out once into one batch.
"""

from __future__ import annotations

import arcade
import pyglet

from command_game import controls
from command_game.i18n import t
from command_game.render import layout, ui_scale
from command_game.scenes import ui
from command_game.scenes.stack import Scene

#: What each column lists: categories of actions, or the mouse and the fixed keys.
COLUMNS: tuple[tuple[str, ...], ...] = (
    ("camera", "time", "interface", "mouse"),
    ("selection", "orders"),
    ("groups", "group_assign"),
)
MOUSE = (("controls.mouse.left", "controls.mouse.select"),
         ("controls.mouse.drag", "controls.mouse.box"),
         ("controls.mouse.right", "controls.mouse.order"),
         ("controls.mouse.wheel", "controls.mouse.zoom"))
LINE = 21
COLUMN_WIDTH = 380
KEY_WIDTH = 126
TALLEST = 22  # lines in the longest column, headings and gaps included
CHROME = 190  # the panel's title band, footer lines and margins, at 100 %


class HelpScene(Scene):
    overlay = True

    def __init__(self) -> None:
        super().__init__()
        ui.load_fonts()
        self.batch = pyglet.graphics.Batch()
        self.labels: list[arcade.Text] = []
        self.keys_shown: dict[str, str] = {}  # action -> key text on screen, for tests
        self._laid_out_for: tuple[int, int] | None = None
        self.scale = 1.0
        self.header = 92.0

    def on_enter(self) -> None:
        self._lay_out()

    def _text(self, value: str, x: float, y: float, size: float = 12, color=ui.TEXT,
              bold: bool = False, font=ui.FONT_BODY, anchor_x: str = "left") -> arcade.Text:
        label = arcade.Text(value, round(x), round(y), color, round(size * self.scale),
                            font_name=font, bold=bold, anchor_x=anchor_x, batch=self.batch)
        self.labels.append(label)
        return label

    def _fit_scale(self, width: float, height: float) -> float:
        """The player's interface scale, as far as the window has room for all of it."""
        room = min((width - 120) / (len(COLUMNS) * COLUMN_WIDTH),
                   (height - 60) / (TALLEST * LINE + CHROME))
        return max(0.6, min(ui_scale.effective(width, height), room))

    def _lay_out(self) -> None:
        """Places every line for the current window size, scale, bindings and language."""
        self.batch = pyglet.graphics.Batch()
        self.labels, self.keys_shown = [], {}
        w, h = self.window.width, self.window.height
        self.scale = s = self._fit_scale(w, h)
        self.panel = arcade.XYWH(w / 2, h / 2, min(w - 60, len(COLUMNS) * COLUMN_WIDTH * s + 60),
                                 min(h - 60, (TALLEST * LINE + CHROME) * s))
        p = self.panel
        self.header = 92 * s
        self._text(t("help.title"), p.left + 28, p.top - 44 * s, 22, ui.GOLD,
                   font=ui.FONT_DISPLAY)
        self._text(t("help.subtitle"), p.left + 30, p.top - 70 * s, 12, ui.TEXT_MUTED)
        self._text(t("help.keyboard_play"), p.left + 30, p.bottom + 44 * s, 12, ui.TEXT)
        self._text(t("help.close", hotkey=controls.key_name("help")), p.right - 28,
                   p.bottom + 18 * s, 11, ui.TEXT_MUTED, anchor_x="right")
        left = p.left + 30
        for column in COLUMNS:
            y = p.top - 110 * s
            for section in column:
                y = self._section(section, left, y) - 10 * s
            left += COLUMN_WIDTH * s
        self._laid_out_for = (w, h)

    def _section(self, section: str, x: float, y: float) -> float:
        s = self.scale
        title = t("help.mouse") if section == "mouse" else t(f"controls.category.{section}")
        self._text(title.upper(), x, y, 12, ui.GOLD, bold=True)
        y -= (LINE + 2) * s
        if section == "mouse":
            rows = [(t(k), t(v)) for k, v in MOUSE]
        else:
            bindings = controls.bindings()
            rows = []
            for name, action in controls.ACTIONS.items():
                if action.category == section:
                    self.keys_shown[name] = controls.display_name(bindings[name])
                    rows.append((self.keys_shown[name], t(action.label_key)))
            if section == "interface":
                rows.append(("Esc", t("controls.fixed.escape")))
        for key_text, label in rows:
            self._text(key_text, x, y, 12, ui.GOLD_DIM if section == "mouse" else ui.INFO,
                       bold=True, font=ui.FONT_MONO)
            self._text(label, x + KEY_WIDTH * s, y, 12)
            y -= LINE * s
        return y

    def on_draw(self) -> None:
        self.draw_beneath()
        if self._laid_out_for != (self.window.width, self.window.height):
            self._lay_out()
        arcade.draw_lbwh_rectangle_filled(0, 0, self.window.width, self.window.height,
                                          ui.DIM_OVERLAY)
        if layout.active() is not None:
            layout.active().cover()  # the scene beneath is dimmed, not read
        arcade.draw_rect_filled(self.panel, ui.BACKGROUND)  # the list must not show through
        ui.draw_panel(self.panel, header=self.header)
        self.batch.draw()
        layout.record_texts(self.labels)

    def on_key_press(self, symbol: int, modifiers: int) -> bool:
        if symbol == arcade.key.ESCAPE or controls.action_for(symbol, modifiers) == "help":
            self.close()
        return True

    def on_mouse_press(self, x: int, y: int, button: int, modifiers: int) -> bool:
        self.close()
        return True

    def close(self) -> None:
        if self.stack is not None:
            self.stack.pop()
