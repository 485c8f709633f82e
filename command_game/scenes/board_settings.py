"""The online board's two settings, typed in: the board URL and the player name.

Reached from the Settings screen. Empty URL (the default) means the game stays offline.
Save checks the URL's form and stores both through `settings.update`; Test asks the board's
/healthz in the background and says what it answered.
"""

from __future__ import annotations

import arcade
import arcade.gui
from arcade.gui import UIInputText, UILabel

from command_game import settings
from command_game.i18n import t
from command_game.online.background import Background
from command_game.online.client import BoardClient, BoardClientError
from command_game.scenes import ui

FIELD_W = 520


def url_problem(url: str) -> str | None:
    """None for an empty URL (offline) or an http(s) one; else what to fix."""
    url = url.strip()
    if url and not url.startswith(("http://", "https://")):
        return t("online.settings.bad_url")
    return None


class BoardSettingsScene(ui.UIScene):
    def __init__(self) -> None:
        super().__init__()
        s = settings.current()
        self.title_bar = ui.TitleBar(t("online.settings.title"), t("online.settings.subtitle"))
        self.url_field = self._field(s.board_url)
        self.name_field = self._field(s.player_name)
        self.message = ui.text("", 13, ui.TEXT)
        self.hint = ui.text(t("online.settings.hint"), 11, ui.TEXT_MUTED)
        self.call: Background | None = None
        save = ui.button(t("online.settings.save"), self.save, width=200)
        test = ui.button(t("online.settings.test"), self.test, width=200)
        back = ui.button(t("settings.back"), self.go_back, width=200, style=ui.STYLE_PRIMARY)
        column = ui.vertical(self._row("online.settings.board_url", self.url_field),
                             self._row("online.settings.player_name", self.name_field),
                             ui.horizontal(save, test, back), space=18)
        anchor = self.ui.add(arcade.gui.UIAnchorLayout())
        anchor.add(column, anchor_x="center", anchor_y="center")
        self.focus.set_buttons([save, test, back])

    def _field(self, value: str) -> UIInputText:
        """A one-line field whose text sits in the middle (pyglet lays text from the top of
        the box, so the padding makes the box one line high inside the border)."""
        field = UIInputText(width=FIELD_W, height=36, text=value, font_name=ui.FONT_BODY,
                            font_size=14, text_color=ui.TEXT, caret_color=ui.GOLD)
        return field.with_padding(top=5, bottom=5, left=6, right=6)

    def _row(self, key: str, field: UIInputText) -> arcade.gui.UIBoxLayout:
        label = UILabel(text=t(key), width=180, font_name=ui.FONT_BODY, font_size=14,
                        text_color=ui.TEXT)
        label.size_hint_min = (180, label.height)  # both fields start at the same x
        return ui.horizontal(label, field, space=12)

    def say(self, text: str, color=ui.TEXT) -> None:
        self.message = ui.text(text, 13, color)

    def save(self) -> bool:
        url, name = self.url_field.text.strip(), self.name_field.text.strip()
        problem = url_problem(url)
        if problem:
            self.say(problem, ui.BAD)
            return False
        try:
            settings.update(board_url=url, player_name=name)
        except (ValueError, OSError) as exc:
            self.say(str(exc), ui.BAD)
            return False
        self.say(t("online.settings.saved"), ui.GOOD)
        return True

    def test(self) -> None:
        if not self.save() or not settings.current().board_url:
            return
        client = BoardClient(settings.current().board_url, timeout=4.0)
        self.call = Background(client.health)
        self.say(t("online.global.loading"))

    def _poll(self) -> None:
        call = self.call
        if call is None or not call.done:
            return
        self.call = None
        if call.error is not None:
            reason = call.error.message if isinstance(call.error, BoardClientError) \
                else str(call.error)
            self.say(t("online.global.offline", reason=reason), ui.BAD)
        else:
            self.say(t("online.settings.ok", **call.value), ui.GOOD)

    def on_update(self, delta_time: float) -> None:
        self._poll()

    def draw_content(self) -> None:
        self._poll()
        ui.place(self.message, 48, 110)
        ui.clip_to_width(self.message, self.window.width - 96)
        self.message.draw()
        ui.place(self.hint, 48, 24)
        self.hint.draw()

    def on_key(self, symbol: int, modifiers: int) -> bool | None:
        typing = self.url_field.active or self.name_field.active
        if symbol == arcade.key.ESCAPE:
            if typing:
                self.url_field.deactivate()
                self.name_field.deactivate()
            else:
                self.go_back()
            return True
        if symbol in (arcade.key.ENTER, arcade.key.RETURN) and typing:
            self.save()
            return True
        return None if not typing else True
