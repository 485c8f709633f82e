"""The title screen: the way into every part of the game.

Play leads to the level select; the editor, leaderboard and settings scenes are imported
only when their button is clicked, so the title never pays for (or breaks on) a screen
the player does not open.
"""

from __future__ import annotations

import arcade
import arcade.gui

from command_game import __version__
from command_game.i18n import pick, t
from command_game.level.catalog import campaign
from command_game.render import palette
from command_game.render.preview import MapPreview
from command_game.scenes import ui

PULSE_S = 2.4  # seconds for one ring to spread and fade
BUTTON_COLUMN_H = 5 * 48 + 4 * 14  # the five buttons and their gaps at 100%


class TitleScene(ui.UIScene):
    def __init__(self) -> None:
        super().__init__()
        # the buttons grow with the UI scale as far as a short window lets them
        fits = (self.window.height - 270 - 40) / BUTTON_COLUMN_H
        self.button_scale = bs = max(0.75, min(self.scale, fits))
        self.buttons = {
            "play": ui.button(t("title.play"), self.open_level_select, style=ui.STYLE_PRIMARY,
                              scale=bs),
            "editor": ui.button(t("title.editor"), self.open_editor, scale=bs),
            "leaderboard": ui.button(t("title.leaderboard"), self.open_leaderboard, scale=bs),
            "settings": ui.button(t("title.settings"), self.open_settings, scale=bs),
            "quit": ui.button(t("title.quit"), self.quit, style=ui.STYLE_DANGER, scale=bs),
        }
        self.anchor = self.ui.add(arcade.gui.UIAnchorLayout())
        self.column = ui.vertical(*self.buttons.values(), space=round(14 * bs))
        self._tall: bool | None = None
        self.clock_s = 0.0  # drives the pulses on the situation board
        self.focus.set_buttons(list(self.buttons.values()), index=0)
        self.name = ui.text(t("game.title").upper(), 66, ui.GOLD, font=ui.FONT_DISPLAY)
        self.subtitle = ui.text(t("game.subtitle"), 22, ui.TEXT, font=ui.FONT_DISPLAY)
        self.tagline = self.label(t("title.tagline"), 14, ui.TEXT_MUTED, width=470)
        self.footer = self.label(t("title.footer", version=__version__), 11, ui.TEXT_MUTED)
        self.settings_notice = _settings_notice()
        self._tonight = self._first_campaign_level()

    def _first_campaign_level(self):
        """The opening level, shown on the situation board beside the menu."""
        levels = campaign()
        if not levels:
            return None
        level = levels[0].level
        header = ui.text(t("title.tonight"), 12, ui.GOLD, font=ui.FONT_DISPLAY,
                         anchor_y="center")
        caption = ui.text(pick(level.meta.title), 15, ui.TEXT, bold=True)
        region = ui.text(level.meta.region, 12, ui.TEXT_MUTED)
        ui.fit_width(caption, 560)
        return MapPreview(level), header, caption, region

    # --- drawing --------------------------------------------------------------------

    def _place_buttons(self, height: float) -> None:
        """Under the tagline when the window is tall enough; else where the tagline was."""
        below_tagline = 290 + self.tagline.content_height
        tall = height - below_tagline - BUTTON_COLUMN_H * self.button_scale >= 40
        if tall == self._tall:
            return
        self._tall = tall
        if self.column.parent is not None:
            self.anchor.remove(self.column)
        self.anchor.add(self.column, anchor_x="left", align_x=120, anchor_y="top",
                        align_y=-below_tagline if tall else -270)

    def draw_content(self) -> None:
        w, h = self.window.width, self.window.height
        self._place_buttons(h)
        ui.draw_badge(150, h - 150, 44)
        ui.place(self.name, 210, h - 176)
        ui.place(self.subtitle, 214, h - 232)
        ui.place(self.tagline, 122, h - 276)
        self.name.draw()
        self.subtitle.draw()
        if self._tall:  # on a short window the buttons need the tagline's place
            self.tagline.draw()
        arcade.draw_lbwh_rectangle_filled(122, h - 250, 420, 3, ui.GOLD)
        ui.place(self.footer, 24, 18)
        self.footer.draw()
        if self.settings_notice is not None:
            ui.place(self.settings_notice, 24, 58)
            self.settings_notice.draw()
        if self._tonight is not None:
            self._draw_situation_board(w, h)

    def _draw_situation_board(self, w: float, h: float) -> None:
        preview, header, caption, region = self._tonight
        panel_w = min(620.0, w - 70 - (120 + 300 * self.button_scale + 50))
        if panel_w < 280 or h < 600:
            return
        rect = arcade.LBWH(w - panel_w - 70, 90, panel_w, h - 90 - 290)
        ui.draw_panel(rect, header=34)
        ui.place(header, rect.left + 16, rect.top - 17)
        header.draw()
        map_rect = arcade.LBWH(rect.left + 12, rect.bottom + 64, rect.width - 24,
                               rect.height - 34 - 76)
        preview.draw(map_rect)
        self._draw_pulses(preview)
        ui.place(caption, rect.left + 16, rect.bottom + 38)
        ui.place(region, rect.left + 16, rect.bottom + 16)
        caption.draw()
        region.draw()

    def _draw_pulses(self, preview: MapPreview) -> None:
        """Rings spreading from the KPU and Bawaslu offices: where tonight's crowds are."""
        for office in preview.level.offices:
            if office.type not in ("kpu", "bawaslu"):
                continue
            x, y = preview.to_screen(office.x, office.y)
            if palette.reduced_flashing():  # a steady ring instead of moving ones
                arcade.draw_circle_outline(x, y, 20, (*ui.GOLD[:3], 160), 2)
                continue
            for phase in (0.0, 0.5):
                age = (self.clock_s / PULSE_S + phase) % 1.0
                alpha = int(200 * (1.0 - age))
                arcade.draw_circle_outline(x, y, 8 + 34 * age, (*ui.GOLD[:3], alpha), 2)

    def on_update(self, delta_time: float) -> None:
        self.clock_s += delta_time

    def relocalized(self) -> TitleScene:
        return TitleScene()

    # --- actions --------------------------------------------------------------------

    def open_level_select(self) -> None:
        from command_game.scenes.level_select import LevelSelectScene

        self.stack.push(LevelSelectScene())

    def open_editor(self) -> None:
        from command_game.scenes.editor import EditorScene

        self.stack.push(EditorScene())

    def open_leaderboard(self) -> None:
        from command_game.scenes.leaderboard import LeaderboardScene

        self.stack.push(LeaderboardScene())

    def open_settings(self) -> None:
        from command_game.scenes.settings import SettingsScene

        self.stack.push(SettingsScene())

    def quit(self) -> None:
        self.window.close()

    def on_key(self, symbol: int, modifiers: int) -> bool | None:
        if symbol == arcade.key.ESCAPE:
            self.quit()
            return True
        return None


def _settings_notice() -> arcade.Text | None:
    """Says so when the settings file could not be used and defaults replaced it."""
    from command_game import settings

    notice = settings.current().notice_text()
    return ui.text(notice, 11, ui.BAD, width=1100) if notice else None
