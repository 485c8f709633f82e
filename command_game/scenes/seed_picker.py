"""The briefing's night row: which seed the mission will play, and how to change it.

Opening the briefing draws a new night; the player can type a seed to replay a night
(a friend's, or one from a debrief), take the daily night everyone plays today, or draw
another. The row shows the seed and its kind; the map scene gets both when the mission
starts, the debrief shows them, and the board ranks random and set seeds apart.
"""

from __future__ import annotations

import arcade
import arcade.gui
from arcade.gui import UIInputText, UILabel

from command_game import night_seed
from command_game.i18n import t
from command_game.scenes import ui


class SeedPicker:
    """Widgets and state; `seed` and `kind` are what Start plays."""

    def __init__(self, level_id: str, scale: float = 1.0) -> None:
        self.level_id = level_id
        self.random_seed = night_seed.draw_seed()
        self.seed, self.kind = self.random_seed, "random"
        s = scale
        self.caption = UILabel(text=t("night.label"), font_name=ui.FONT_DISPLAY,
                               font_size=round(12 * s), text_color=ui.GOLD)
        self.field = UIInputText(width=150 * s, height=36 * s, text="", font_name=ui.FONT_MONO,
                                 font_size=round(14 * s), text_color=ui.TEXT,
                                 caret_color=ui.GOLD)
        self._setting = False  # the picker itself is changing the field's text
        self.field.event("on_change")(lambda event: self._setting or self.typed(self.field.text))
        self.daily_button = ui.button(t("night.daily_button"), self.take_daily, width=150,
                                      height=36, scale=s)
        self.new_button = ui.button(t("night.new_button"), self.draw_new, width=130,
                                    height=36, scale=s)
        self.status = UILabel(text="", width=460 * s, font_size=round(11 * s),
                              font_name=ui.FONT_BODY, text_color=ui.TEXT_MUTED, align="center")
        self.row = ui.vertical(self.status, ui.horizontal(
            self.caption, self.field, self.daily_button, self.new_button, space=round(10 * s)),
            space=round(4 * s))
        self._show()

    @property
    def buttons(self) -> list[arcade.gui.UIFlatButton]:
        return [self.daily_button, self.new_button]

    def typed(self, text: str) -> None:
        """A typed seed plays that night; an empty field goes back to the drawn one."""
        if not text.strip():
            self.seed, self.kind = self.random_seed, "random"
            self.field.invalid = False
        else:
            try:
                self.seed, self.kind = night_seed.parse_seed(text), "set"
                self.field.invalid = False
            except ValueError as exc:
                self.seed, self.kind = self.random_seed, "random"
                self.field.invalid = True
                self.status.text = t("night.bad_seed", error=str(exc))
                return
        self._show()

    def take_daily(self) -> None:
        self.seed, self.kind = night_seed.daily_seed(self.level_id), "daily"
        self._set_field(str(self.seed))
        self._show()

    def draw_new(self) -> None:
        self.random_seed = night_seed.draw_seed()
        self.seed, self.kind = self.random_seed, "random"
        self._set_field("")
        self._show()

    def _set_field(self, text: str) -> None:
        self._setting = True
        try:
            self.field.text = text
        finally:
            self._setting = False
        self.field.invalid = False

    def _show(self) -> None:
        what = t(f"night.{self.kind}", day=night_seed.today().isoformat())
        self.status.text = f"{self.seed}  ·  {what}"

    def typing(self) -> bool:
        return self.field.active
