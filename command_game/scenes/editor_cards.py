"""The editor's card page: a level's event cards and variation block, written as JSON.

Opened from the editor's Script tab. The list on the left holds the variation block and
every card; the selected one shows as JSON text on the right. Apply checks the text
against the level models and writes it as one undoable edit (``editor/cards.py``); a
problem names the field and the fix and changes nothing. Add makes a card to start from,
Delete removes the selected one, Undo takes back the last edit, Esc or Back returns.
"""

from __future__ import annotations

from typing import Any

import arcade
from arcade.gui import UIInputText, UIManager

from command_game.editor import cards as card_edits
from command_game.i18n import t
from command_game.render import layout, ui_scale
from command_game.scenes import ui
from command_game.scenes.editor_panel import (
    STYLE_ACTIVE,
    WidgetGroup,
    clip_text,
    fit_scale,
    flat,
    label,
)
from command_game.scenes.stack import Scene

LIST_W = 260  # interface units, like every size here
VARIATION = -1  # the list entry of the variation block


class EditorCardsScene(Scene):
    def __init__(self, editor: Any) -> None:
        super().__init__()
        ui.load_fonts()
        self.editor = editor
        self.ui = UIManager()
        self.index = 0 if card_edits.cards(self.doc) else VARIATION
        self.message = ""
        self._list = WidgetGroup(self.ui)
        self._fixed = WidgetGroup(self.ui)
        self.s = fit_scale(*self.window.get_size())
        self.title = ui.text(t("editor.cards.title"), 16, ui.GOLD, font=ui.FONT_DISPLAY)
        self.status = ui.text("", 11, ui.TEXT_MUTED,
                              width=int(self.window.width / self.s - LIST_W - 60))
        self._build()

    @property
    def doc(self):
        return self.editor.doc

    # --- widgets --------------------------------------------------------------------
    def _build(self) -> None:
        """The text area, its buttons and the list, in interface units of ``s`` pixels."""
        s = self.s
        w, h = self.window.width / s, self.window.height / s
        text = self.area.text if hasattr(self, "area") else self._text()
        self._fixed.clear()
        left = 20 + LIST_W + 20
        self.area = self._fixed.add(UIInputText(
            x=left * s, y=96 * s, width=(w - left - 20) * s, height=(h - 96 - 70) * s,
            text=text, font_name=ui.FONT_MONO, font_size=11 * s, text_color=ui.TEXT,
            caret_color=ui.GOLD, multiline=True))
        buttons = (("editor.cards.apply", self.apply), ("editor.cards.undo", self.undo),
                   ("editor.cards.back", self.back))
        for i, (key, action) in enumerate(buttons):
            self._fixed.add(flat(t(key), action, left + i * 180, 20, 170, 32, scale=s))
        self._fixed.add(flat(t("editor.cards.add"), self.add, 20, 60, LIST_W, 28, scale=s))
        self._fixed.add(flat(t("editor.cards.delete"), self.delete, 20, 24, LIST_W, 28,
                             scale=s))
        self._build_list()

    def _build_list(self) -> None:
        self._list.clear()
        s = self.s
        top = self.window.height / s - 70 - 28
        room = max(1, int((top - 100) // 30))  # down to the Add and Delete buttons
        y = top
        entries = [(VARIATION, t("editor.cards.variation"))] + [
            (i, f"{c.get('id')} · {c.get('at_s', 0):g}s")
            for i, c in enumerate(card_edits.cards(self.doc))]
        for index, text in entries[:room]:
            style = None if index != self.index else STYLE_ACTIVE
            self._list.add(flat(clip_text(text, LIST_W - 14, s), lambda index=index:
                                self.show(index), 20, y, LIST_W, 26, style=style, scale=s))
            y -= 30
        self._list.add(label(t("editor.cards.count", count=len(entries) - 1), 20, y - 4,
                             LIST_W, 11, scale=s))

    def _text(self) -> str:
        if self.index == VARIATION or self.index >= len(card_edits.cards(self.doc)):
            self.index = VARIATION
            return card_edits.variation_text(self.doc)
        return card_edits.card_text(self.doc, self.index)

    # --- actions --------------------------------------------------------------------
    def show(self, index: int) -> None:
        self.index = index
        self.area.text = self._text()
        self.area.invalid = False
        self._build_list()

    def apply(self) -> bool:
        """Writes the text as the selected card (or the variation block) if it is valid."""
        if self.index == VARIATION:
            action, errors = card_edits.set_variation(self.doc, self.area.text)
        else:
            action, errors = card_edits.set_card(self.doc, self.index, self.area.text)
        self.area.invalid = bool(errors)
        if errors:
            self.say("  ·  ".join(errors[:3]))
            return False
        if self.editor.apply(action):
            self.say(t("editor.cards.applied", what=action.label))
            self._build_list()
        return True

    def add(self) -> None:
        if self.editor.apply(card_edits.add_card(self.doc)):
            self.show(len(card_edits.cards(self.doc)) - 1)

    def delete(self) -> None:
        if self.index != VARIATION and self.editor.apply(
                card_edits.delete_card(self.doc, self.index)):
            self.show(min(self.index, len(card_edits.cards(self.doc)) - 1))

    def undo(self) -> None:
        self.editor.undo()
        self.show(self.index)

    def back(self) -> None:
        if self.stack is not None and self.stack.top is self:
            self.stack.pop()

    def say(self, text: str) -> None:
        self.message = text
        self.status.text = text

    # --- scene ----------------------------------------------------------------------
    def on_show_view(self) -> None:
        self.ui.enable()

    def on_hide_view(self) -> None:
        self.ui.disable()

    def on_resize(self, width: int, height: int) -> None:
        self.s = fit_scale(width, height)
        self.status.width = int(width / self.s - LIST_W - 60)
        self._build()

    def on_draw(self) -> None:
        if abs(fit_scale(*self.window.get_size()) - self.s) > 1e-6:
            self.on_resize(*self.window.get_size())
        self.clear(color=ui.BACKGROUND)
        w, h = self.window.get_size()
        with ui_scale.camera(self.s, w, h).activate(), layout.scaled(self.s, "editor"), \
                ui_scale.pixel_grid(self.s):
            ui.place(self.title, 20, h / self.s - 40)
            self.title.draw()
            ui.place(self.status, 20 + LIST_W + 20, 84)
            self.status.draw()
        self.window.default_camera.use()
        self.ui.draw()
        ui.record_widgets(self.ui)

    def on_key_press(self, symbol: int, modifiers: int) -> bool | None:
        ctrl = modifiers & (arcade.key.MOD_CTRL | arcade.key.MOD_COMMAND)
        if ctrl and symbol in (arcade.key.ENTER, arcade.key.RETURN, arcade.key.S):
            self.apply()
            return True
        if symbol == arcade.key.ESCAPE:
            if self.area.active:
                self.area.deactivate()
            else:
                self.back()
            return True
        if self.area.active:
            return None
        if ctrl and symbol == arcade.key.Z:
            self.undo()
            return True
        return None
