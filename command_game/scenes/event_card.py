"""The event card overlay: a situation during the night and the commander's choice.

The map scene pushes it when the world says a card has come up (``event_card``); as an
overlay it stops the map's updates, so game time waits while the player reads. Choices
are buttons: click one, press its number (1, 2, 3), or move with the arrows and press
Enter. The choice becomes a ``choose_card`` Command queued on the map (so the replay
carries it), the overlay closes and the map notes what followed. Esc opens the pause menu
over the card; the card stays until it is answered.
"""

from __future__ import annotations

from typing import Any

import arcade
import arcade.gui

from command_game.i18n import pick, t
from command_game.level.cards import EventCard
from command_game.scenes import ui
from command_game.sim.commands import Command

PANEL_W, PANEL_H = 760, 470
CHOICE_H = 52
NUMBER_KEYS = (arcade.key.KEY_1, arcade.key.KEY_2, arcade.key.KEY_3)
NUMPAD_KEYS = (arcade.key.NUM_1, arcade.key.NUM_2, arcade.key.NUM_3)


class EventCardScene(ui.UIScene):
    overlay = True

    def __init__(self, mission: Any, card: EventCard) -> None:
        super().__init__()
        self.mission = mission
        self.card = card
        self.chosen: str | None = None
        self.scale = s = max(0.7, min(self.scale, (self.window.height - 40) / PANEL_H,
                                      (self.window.width - 40) / PANEL_W))
        self.buttons = [
            ui.button(f"{i}   {pick(choice.label)}", lambda c=choice.id: self.choose(c),
                      width=PANEL_W - 80, height=CHOICE_H, scale=s)
            for i, choice in enumerate(card.choices, 1)
        ]
        anchor = self.ui.add(arcade.gui.UIAnchorLayout())
        box = ui.vertical(*self.buttons, space=round(10 * s))
        anchor.add(box, anchor_x="center", anchor_y="center",
                   align_y=-(PANEL_H / 2 - 40) * s + self._choices_height() / 2)
        self.focus.set_buttons(self.buttons, index=0)
        world = mission.world
        site = world.sites.get(card.site or "")
        self.kicker = self.label(t("card.kicker", clock=world.clock_text()), 11, ui.TEXT_MUTED,
                                 font=ui.FONT_DISPLAY, anchor_y="center")
        self.title = self.label(pick(card.title), 22, ui.GOLD, font=ui.FONT_DISPLAY,
                                anchor_y="center")
        self.place = self.label(site.name if site else "", 12, ui.INFO)
        self.story = self.label(pick(card.text), 15, ui.TEXT, width=int((PANEL_W - 80) * s))
        self.hint = self.label(t("card.hint"), 11, ui.TEXT_MUTED, anchor_x="center")
        ui.fit_width(self.title, (PANEL_W - 60) * s)

    def _choices_height(self) -> float:
        s = self.scale
        n = len(self.buttons)
        return n * CHOICE_H * s + (n - 1) * round(10 * s)

    # --- drawing --------------------------------------------------------------------

    def panel(self) -> arcade.Rect:
        s = self.scale
        return arcade.XYWH(self.window.width / 2, self.window.height / 2, PANEL_W * s,
                           PANEL_H * s)

    def draw_background(self) -> None:
        """The paused night, dimmed; then the card."""
        self.clear(color=ui.BACKGROUND)
        self.draw_beneath()
        self.window.default_camera.use()
        w, h = self.window.width, self.window.height
        arcade.draw_lbwh_rectangle_filled(0, 0, w, h, ui.DIM_OVERLAY)
        s = self.scale
        panel = self.panel()
        ui.draw_panel(panel, header=40 * s)
        arcade.draw_lbwh_rectangle_filled(panel.left, panel.top - 3, panel.width, 3, ui.GOLD)
        left = panel.left + 40 * s
        ui.place(self.kicker, left, panel.top - 21 * s)
        ui.place(self.title, left, panel.top - 72 * s)
        ui.place(self.place, left, panel.top - 110 * s)
        ui.place(self.story, left, panel.top - 140 * s)
        ui.place(self.hint, w / 2, panel.bottom + 14 * s)
        for label in (self.kicker, self.title, self.place, self.story, self.hint):
            label.draw()

    def on_update(self, delta_time: float) -> None:
        """A card the world no longer waits on (its time ran out while the mission was
        stepped from elsewhere) gives way to the card now waiting, if any."""
        showing = self.mission.world.cards.showing
        if showing is self.card or self.chosen is not None:
            return
        self.chosen = ""
        if self.stack is not None and self.stack.top is self:
            if showing is None:
                self.stack.pop()
            else:
                self.stack.replace(EventCardScene(self.mission, showing))

    # --- input ----------------------------------------------------------------------

    def on_key(self, symbol: int, modifiers: int) -> bool | None:
        for keys in (NUMBER_KEYS, NUMPAD_KEYS):
            if symbol in keys[: len(self.card.choices)]:
                self.choose(self.card.choices[keys.index(symbol)].id)
                return True
        if symbol == arcade.key.ESCAPE:
            from command_game.scenes.pause import PauseScene

            if self.stack is not None:
                self.stack.push(PauseScene())
            return True
        return None

    def choose(self, choice_id: str) -> None:
        """Queues the answer on the map and closes the card (once)."""
        if self.chosen is not None or self.mission.world.cards.showing is not self.card:
            return
        self.chosen = choice_id
        world = self.mission.world
        self.mission.queue([Command(world.tick, "choose_card", target=self.card.id,
                                    choice=choice_id)])
        choice = self.card.choice(choice_id)
        self.mission.note(pick(choice.outcome))
        if self.stack is not None and self.stack.top is self:
            self.stack.pop()
