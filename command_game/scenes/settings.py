"""The settings screen: every option on one page, applied at once and saved.

Left panel: language, volumes, fullscreen and window size, interface scale, crowd
palette (with a live calm-to-agitated strip), reduced flashing, edge scrolling, the
tutorial. Right panel: the key bindings of one group of actions at a time; clicking a
key waits for the new one and reports a conflict instead of silently stealing the key
(pressing the same key again swaps the two actions).

Every line is a row the keyboard and a gamepad can reach (up/down choose, left/right
change, enter select, Esc back), and every control is a button the mouse can click.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import arcade
import arcade.gui
import numpy as np
from arcade.gui import UIFlatButton, UILabel

from command_game import controls, settings, sound
from command_game.i18n import LANGUAGES, t
from command_game.render import palette, ui_scale
from command_game.scenes import ui

ROW_HEIGHT = 36
ROW_SPACE = 6
COLUMN_WIDTH = 484  # a row at 100%: label, arrows and value
MARGIN = 48
BACK_Y = 78  # the Back button's bottom: room under it for a two-line message and the hint
STRIP = 40  # the palette strip under the first column
#: A widget in a column and the index of its keyboard row (None for a heading).
Item = tuple[arcade.gui.UIWidget, int | None]


def _scaled(style: dict[str, Any], scale: float) -> dict[str, Any]:
    """The house button style at the interface scale, in the plain body font: key names
    and percentages must read exactly (the display font draws '%' and 'x' oddly)."""
    return {state: replace(s, font_size=round(s.font_size * scale), font_name=ui.FONT_BODY)
            for state, s in style.items()}


def _column(rows: Sequence[arcade.gui.UIWidget]) -> arcade.gui.UIBoxLayout:
    box = arcade.gui.UIBoxLayout(vertical=True, space_between=ROW_SPACE, align="left")
    for row in rows:
        box.add(row)
    return box


class Row:
    """One line of the list: what the keyboard focuses, changes (left/right) and selects."""

    def __init__(self, main: UIFlatButton, adjust: Callable[[int], None] | None = None,
                 activate: Callable[[], None] | None = None) -> None:
        self.main = main  # the button that shows the keyboard focus
        self._adjust, self._activate = adjust, activate

    def adjust(self, step: int) -> None:
        if self._adjust is not None:
            self._adjust(step)

    def activate(self) -> None:
        if self._activate is not None:
            self._activate()
        else:
            self.adjust(1)


class SettingsScene(ui.UIScene):
    def __init__(self) -> None:
        super().__init__()
        self.category = controls.CATEGORIES[0]
        self.capturing: str | None = None  # the action waiting for its new key
        self.pending_swap: tuple[str, controls.Binding] | None = None
        self.rows: list[Row] = []
        self.focus_index = 0
        self.message = ui.text("", 13, ui.TEXT, width=1100, anchor_x="center", align="center",
                               anchor_y="bottom")
        self.hint = ui.text("", 11, ui.TEXT_MUTED, anchor_x="center")
        self._palette_labels = (ui.text("", 11, ui.TEXT_MUTED), ui.text("", 11, ui.TEXT_MUTED,
                                                                        anchor_x="right"))
        self.value_buttons: dict[str, UIFlatButton] = {}
        self.key_buttons: dict[str, UIFlatButton] = {}
        self.arrows: dict[str, tuple[UIFlatButton, UIFlatButton]] = {}
        self.boxes: list[arcade.gui.UIBoxLayout] = []
        self._general: list[Item] = []  # the first column's rows, kept across key groups
        self._general_names: list[str] = []
        self._general_count = 0  # keyboard rows of the first column
        self.page: str | None = None  # "general" or "keys" when one column shows at a time
        self.offsets: list[int] = []  # first row shown, per column
        self.more: list[tuple[bool, bool]] = []  # rows hidden above / below, per column
        self._shown: set[int] = set()
        self._build()
        notice = settings.current().notice_text()
        if notice:
            self.say(notice, ui.BAD)
        elif self._scale_note():
            self.say(self._scale_note(), ui.GOLD)

    # --- building -------------------------------------------------------------------

    def _build(self, keep_general: bool = False) -> None:
        self._tabs: arcade.gui.UIBoxLayout | None = None
        self.tab_buttons: dict[str, UIFlatButton] = {}
        self._build_rows(keep_general)

    def _build_rows(self, keep_general: bool) -> None:
        """(Re)builds the widgets: on entry, after the language or scale changes, and when
        the focus moves to a row scrolled out of view. ``keep_general``: only the key
        group changed, so the first column's widgets are kept (making them is slow)."""
        self.ui.clear()
        general = self._general if keep_general and self._general else None
        if general is None:
            self.rows, self.value_buttons, self.key_buttons, self.arrows = [], {}, {}, {}
        else:
            count = sum(1 for _, row in general if row is not None)
            names = self._general_names
            self.rows = self.rows[:count]
            self.value_buttons = {n: b for n, b in self.value_buttons.items() if n in names}
            self.arrows = {n: a for n, a in self.arrows.items() if n in names}
            self.key_buttons = {}
        self.title_bar = ui.TitleBar(t("settings.title"), t("settings.subtitle"))
        self.scale = s = ui_scale.effective()  # this screen follows it at once
        self._style = _scaled(ui.STYLE_DEFAULT, s)
        self._label_font = round(13 * s)
        if general is None:
            general = self._general = self._general_rows()
            self._general_names = list(self.value_buttons)
            self._general_count = len(self.rows)
        keys = self._key_rows()
        back = self._button(t("settings.back"), self.go_back, 200, style=_scaled(
            ui.STYLE_PRIMARY, s))
        self.rows.append(Row(back, activate=self.go_back))
        self.focus_index = min(self.focus_index, len(self.rows) - 1)
        side_by_side = 2 * COLUMN_WIDTH * s + 3 * MARGIN <= self.window.width
        top = -ui.TitleBar.HEIGHT - 24 * s
        if side_by_side:
            columns = [general, keys]
            self.page = None
        else:  # one column at a time, under two tabs: the key bindings never vanish below
            in_keys = {row for _, row in keys if row is not None}
            in_general = {row for _, row in general if row is not None}
            if self.focus_index in in_keys:
                self.page = "keys"
            elif self.focus_index in in_general:
                self.page = "general"
            self.page = self.page or "general"
            columns = [general if self.page == "general" else keys]
            self._add_tabs(top)
            top -= (ROW_HEIGHT + 14) * s
        back_top = BACK_Y + ROW_HEIGHT * s + 12
        strip = 0 if self.page == "keys" else STRIP * s  # the palette strip: general only
        room = self.window.height + top - back_top - 18 - strip + ROW_SPACE * s
        fit = max(3, int(room // ((ROW_HEIGHT + ROW_SPACE) * s)))
        self.offsets = (self.offsets + [0, 0])[:len(columns)]
        self.boxes, self.more, self._shown = [], [], set()
        for i, column in enumerate(columns):
            self.boxes.append(_column(self._visible(i, column, fit)))
        anchor = self.ui.add(arcade.gui.UIAnchorLayout())
        anchor.add(self.boxes[0], anchor_x="left", align_x=MARGIN, anchor_y="top", align_y=top)
        if self._tabs is not None:
            anchor.add(self._tabs, anchor_x="left", align_x=MARGIN - 18,
                       anchor_y="top", align_y=top + (ROW_HEIGHT + 14) * s)
        if side_by_side:
            anchor.add(self.boxes[1], anchor_x="right", align_x=-MARGIN, anchor_y="top",
                       align_y=top)
        anchor.add(back, anchor_x="center", anchor_y="bottom", align_y=BACK_Y)
        self._shown.add(len(self.rows) - 1)
        self.hint.text = t("settings.hint")
        small = min(s, 1.4)  # the lines under the panels must still fit across the window
        for label, size in ((self.message, 13), (self.hint, 11), *(
                (lab, 11) for lab in self._palette_labels)):
            label.font_size = round(size * small)
        self._palette_labels[0].text = t("settings.palette.calm")
        self._palette_labels[1].text = t("settings.palette.agitated")
        self._show_focus()

    def _add_tabs(self, top: float) -> None:
        """General | Keys: which column a narrow window (or a big UI) shows."""
        def show(page: str) -> None:
            self.page = page
            items = self._general if page == "general" else None
            first = next((row for _, row in items if row is not None), 0) if items else \
                self._general_count
            self.focus_index = first
            self._build(keep_general=True)

        self.tab_buttons = {
            page: self._button(t(f"settings.section.{page}"), lambda p=page: show(p), 240,
                               style=_scaled(ui.STYLE_PRIMARY if page == self.page
                                             else ui.STYLE_DEFAULT, self.scale))
            for page in ("general", "keys")}
        self._tabs = ui.horizontal(*self.tab_buttons.values(), space=round(6 * self.scale))

    @property
    def general_box(self) -> arcade.gui.UIBoxLayout | None:
        """The column with the general settings, when it is on screen."""
        return self.boxes[0] if self.page != "keys" else None

    @property
    def keys_box(self) -> arcade.gui.UIBoxLayout:
        return self.boxes[-1]

    def _visible(self, column: int, items: list[Item], fit: int) -> list[arcade.gui.UIWidget]:
        """The slice of a column that fits, scrolled so the focused row is in it."""
        offset = self.offsets[column]
        rows = [row for _, row in items]
        if self.focus_index in rows:
            at = rows.index(self.focus_index)
            offset = min(offset, at) if at < offset + fit else at - fit + 1
        offset = max(0, min(offset, len(items) - fit))
        self.offsets[column] = offset
        shown = items[offset:offset + fit]
        self._shown.update(row for _, row in shown if row is not None)
        self.more.append((offset > 0, offset + fit < len(items)))
        return [widget for widget, _ in shown]

    def _button(self, text: str, on_click: Callable[[], object], width: float,
                style: dict[str, Any] | None = None) -> UIFlatButton:
        return ui.button(text, on_click, width=width * self.scale,
                         height=ROW_HEIGHT * self.scale, style=style or self._style)

    def _label(self, text: str, width: float) -> UILabel:
        label = UILabel(text=text, width=width * self.scale, font_name=ui.FONT_BODY,
                        font_size=self._label_font, text_color=ui.TEXT)
        label.size_hint_min = (width * self.scale, label.height)
        return label

    def _choice(self, name: str, label: str, choices: Sequence[tuple[Any, str]],
                value: Any) -> Item:
        """A row that steps through choices: [label] [<] [value] [>]."""
        values = [v for v, _ in choices]
        index = values.index(value) if value in values else 0

        def adjust(step: int) -> None:
            nonlocal index
            index = (index + step) % len(values)
            middle.text = choices[index][1]
            self.change(name, values[index])

        row_number = len(self.rows)
        middle = self._button(choices[index][1], lambda: self._click(row_number, 1, 1), 190)
        less = self._button("<", lambda: self._click(row_number, -1, 0), 36)
        more = self._button(">", lambda: self._click(row_number, 1, 2), 36)
        box = ui.horizontal(self._label(label, 210), less, middle, more, space=4)
        self.rows.append(Row(middle, adjust=adjust))
        self.value_buttons[name] = middle
        self.arrows[name] = (less, more)
        return box, row_number

    def _general_rows(self) -> list[Item]:
        s = settings.current()
        on_off = [(True, t("settings.on")), (False, t("settings.off"))]
        percent = [(v / 100, f"{v}%") for v in range(0, 101, 10)]
        sizes = [size for size in settings.WINDOW_SIZES if _fits_screen(self.window, size)]
        if s.window_size not in sizes:  # the current one stays, whatever it is
            sizes.append(s.window_size)
        return [
            self._section(t("settings.section.general")),
            self._choice("language", t("settings.language"), list(LANGUAGES.items()),
                         s.language),
            self._choice("master_volume", t("settings.master_volume"), percent,
                         round(s.master_volume, 1)),
            self._choice("effects_volume", t("settings.effects_volume"), percent,
                         round(s.effects_volume, 1)),
            self._choice("music_volume", t("settings.music_volume"), percent,
                         round(s.music_volume, 1)),
            self._choice("fullscreen", t("settings.fullscreen"), on_off, s.fullscreen),
            self._choice("window_size", t("settings.window_size"),
                         [(size, f"{size[0]} x {size[1]}") for size in sizes], s.window_size),
            self._choice("ui_scale", t("settings.ui_scale"),
                         [(v, f"{v}%") for v in settings.UI_SCALES], s.ui_scale),
            self._choice("palette", t("settings.palette"),
                         [(p, t(f"settings.palette.{p}")) for p in palette.PALETTES], s.palette),
            self._choice("reduced_flashing", t("settings.reduced_flashing"), on_off,
                         s.reduced_flashing),
            self._choice("edge_scrolling", t("settings.edge_scrolling"), on_off,
                         s.edge_scrolling),
            self._choice("show_tutorial", t("settings.show_tutorial"), on_off, s.show_tutorial),
            self._board_row(),
        ]

    def _board_row(self) -> Item:
        """The online board's URL and player name are typed on their own screen."""
        from command_game.scenes.board_settings import BoardSettingsScene

        row = len(self.rows)
        button = self._button(t("online.settings.open"), lambda: self._click(row, 0), 440)
        self.rows.append(Row(button, activate=lambda: self.stack.push(BoardSettingsScene())))
        self.value_buttons["board_url"] = self.value_buttons["player_name"] = button
        return button, row

    def _section(self, title: str) -> Item:
        return UILabel(text=title.upper(), font_name=ui.FONT_BODY, bold=True,
                       font_size=round(14 * self.scale), text_color=ui.GOLD,
                       height=ROW_HEIGHT * self.scale), None

    def _key_rows(self) -> list[Item]:
        categories = [(c, t(f"controls.category.{c}")) for c in controls.CATEGORIES]
        rows: list[Item] = [
            self._section(t("settings.section.keys")),
            self._choice("category", t("settings.category"), categories, self.category),
        ]
        for name, action in controls.ACTIONS.items():
            if action.category != self.category:
                continue
            row_number = len(self.rows)
            key_button = self._button(controls.key_name(name),
                                      lambda r=row_number: self._click(r, 0), 150)
            box = ui.horizontal(self._label(t(action.label_key), 316), key_button, space=4)
            self.rows.append(Row(key_button,
                                 activate=lambda a=name: self.start_capture(a)))
            self.key_buttons[name] = key_button
            rows.append((box, row_number))
        reset_row = len(self.rows)
        reset = self._button(t("settings.reset_keys"), lambda: self._click(reset_row, 0), 200)
        self.rows.append(Row(reset, activate=self.reset_keys))
        rows.append((reset, reset_row))
        return rows

    # --- changing settings ----------------------------------------------------------

    def change(self, name: str, value: Any) -> None:
        """Applies and saves one setting; the key group only changes this screen."""
        if name == "category":
            self.category = value
            if self.page is not None:  # one column at a time: the keys' one, on the group row
                self.page, self.focus_index = "keys", self._general_count
            self._build(keep_general=True)
            return
        if not self._save(**{name: value}):
            return
        if name in ("master_volume", "effects_volume"):
            sound.play("order")  # hear the new level at once
        if name in ("language", "ui_scale", "window_size", "fullscreen"):
            self._build()
        self.say(self._scale_note() or t("settings.saved"), ui.TEXT_MUTED)

    def _scale_note(self) -> str:
        """Says so when this window cannot hold the chosen UI scale and a smaller one is
        used (200 % on 1280x720)."""
        w, h = self.window.get_size()
        if not ui_scale.capped(w, h):
            return ""
        return t("settings.scale_capped", chosen=settings.current().ui_scale,
                 used=round(ui_scale.effective(w, h) * 100), width=w, height=h)

    def _save(self, **changes: Any) -> bool:
        """Applies and saves; a disk that refuses the file is reported, not a crash (the
        change still applies for this session)."""
        sized = {"window_size", "fullscreen"} & set(changes)  # else a window the player
        try:  # resized by its border keeps its size when the volume or language changes
            settings.update(window=self.window if sized else None, **changes)
        except OSError as exc:
            self.say(t("settings.save_failed", reason=str(exc)), ui.BAD)
            return False
        return True

    def _click(self, row: int, step: int, part: int | None = None) -> None:
        """A mouse click on a row's control: focus the row, then change or select it.

        A change that rebuilds the screen at another size (the UI scale) moves the
        pointer onto the same control again, so a second click changes the same row
        rather than whatever came to lie under the cursor."""
        self.focus_index = row
        self._show_focus()
        before = self.rows[row].main
        name = next((n for n, b in self.value_buttons.items() if b is before), None)
        if step:
            self.rows[row].adjust(step)
        else:
            self.rows[row].activate()
        if name is not None and part is not None and self.value_buttons.get(name) is not before:
            self._follow_pointer(name, part)

    def _follow_pointer(self, name: str, part: int) -> None:
        """Puts the mouse pointer on the control just clicked, after a rebuild moved it
        (part 0: <, 1: the value, 2: >)."""
        self.ui.execute_layout()
        less, more = self.arrows[name]
        target = (less, self.value_buttons[name], more)[part]
        if target.rect.width:
            x, y = target.rect.center
            self.window.set_mouse_position(int(x), int(y))

    def start_capture(self, action: str) -> None:
        self.capturing, self.pending_swap = action, None
        for row in self.rows:  # a focused button would take Space as a click, not a key
            row.main.focused = False
        self.say(t("settings.press_key", action=t(controls.ACTIONS[action].label_key)), ui.GOLD)

    def capture_key(self, symbol: int, modifiers: int) -> None:
        """The key pressed while an action waits for one."""
        action = self.capturing
        assert action is not None
        if symbol == controls.ESCAPE:
            self.capturing = self.pending_swap = None
            self._show_focus()
            self.say(t("settings.capture_cancelled"), ui.TEXT_MUTED)
            return
        binding = controls.normalise(symbol, modifiers)
        try:
            controls.check_bindable(binding)
        except controls.BindingError as exc:
            self.say(t("settings.cannot_bind", reason=str(exc)), ui.BAD)
            return
        other = controls.conflict(action, binding)
        swap = self.pending_swap == (action, binding)
        if other is not None and not swap:
            self.pending_swap = (action, binding)
            self.say(t("settings.conflict", hotkey=str(binding),
                       other=t(controls.ACTIONS[other].label_key)), ui.BAD)
            return
        old = controls.key_name(action)
        controls.rebind(action, binding, swap=swap)
        self.capturing = self.pending_swap = None
        self._show_focus()
        self._save(key_bindings=controls.overrides())
        self._refresh_keys()
        label = t(controls.ACTIONS[action].label_key)
        if other is not None:
            self.say(t("settings.swapped", action=label, hotkey=str(binding), old=old,
                       other=t(controls.ACTIONS[other].label_key)), ui.GOOD)
        else:
            self.say(t("settings.rebound", action=label, hotkey=str(binding)), ui.GOOD)

    def reset_keys(self) -> None:
        controls.reset_bindings()
        self._save(key_bindings={})
        self.capturing = self.pending_swap = None
        self._show_focus()
        self._refresh_keys()
        self.say(t("settings.keys_reset"), ui.GOOD)

    def _refresh_keys(self) -> None:
        for name, button in self.key_buttons.items():
            button.text = controls.key_name(name)

    def say(self, text: str, color=ui.TEXT) -> None:
        self.message.text = text
        self.message.color = color

    # --- input ----------------------------------------------------------------------

    def on_key(self, symbol: int, modifiers: int) -> bool | None:
        if self.capturing is not None:
            self.capture_key(symbol, modifiers)
            return True
        key = arcade.key
        if symbol == key.ESCAPE:
            self.go_back()
        elif symbol in (key.UP, key.DOWN) or (symbol == key.TAB):
            back = symbol == key.UP or (symbol == key.TAB and modifiers & key.MOD_SHIFT)
            self.focus_index = (self.focus_index + (-1 if back else 1)) % len(self.rows)
            self._show_focus()
        elif symbol in (key.LEFT, key.RIGHT):
            self.rows[self.focus_index].adjust(-1 if symbol == key.LEFT else 1)
        elif symbol in (key.ENTER, key.NUM_ENTER):  # Space: arcade.gui clicks the focused
            self.rows[self.focus_index].activate()
        else:
            return None
        return True

    def on_resize(self, width: int, height: int) -> None:
        """A new window size: re-fit the rows (and how many a column shows)."""
        super().on_resize(width, height)
        self._build()

    def on_mouse_scroll(self, x: int, y: int, scroll_x: float, scroll_y: float) -> bool:
        """The wheel walks the rows (and so scrolls a list too long for the window)."""
        if scroll_y:
            self.focus_index = (self.focus_index + (1 if scroll_y < 0 else -1)) % len(self.rows)
            self._show_focus()
        return True

    def _show_focus(self) -> None:
        if self._shown and self.focus_index not in self._shown:
            self._build()  # scrolls the focused row into view
            return
        for i, row in enumerate(self.rows):
            row.main.focused = i == self.focus_index

    # --- drawing --------------------------------------------------------------------

    def draw_content(self) -> None:
        self.ui.execute_layout()
        for i, box in enumerate(self.boxes):
            if not box.rect.width:
                continue
            r, s = box.rect, self.scale
            strip = STRIP * s if box is self.general_box else 0
            ui.draw_panel(arcade.LRBT(r.left - 18, r.right + 18, r.bottom - 24 - strip,
                                      r.top + 14))
            above, below = self.more[i]
            if above:
                _arrow(r.right + 4, r.top + 2, 1)
            if below:  # under the last row, above the palette strip and its labels
                _arrow(r.right + 4, r.bottom - 8, -1)

    def draw_over(self) -> None:
        self._draw_palette_strip()
        w = self.window.width
        ui.place(self.message, w / 2, 34)  # grows upward: a long notice takes two lines
        ui.place(self.hint, w / 2, 16)
        self.message.draw()
        self.hint.draw()

    def _draw_palette_strip(self) -> None:
        """Calm-to-agitated colours under the current palette, so a change shows at once."""
        if self.general_box is None or not self.general_box.rect.width:
            return
        r = self.general_box.rect
        steps = 32
        colors = palette.agitation_colors(np.linspace(0.0, 1.0, steps))
        width = r.width / steps
        bottom = r.bottom - 34 * self.scale
        for i, color in enumerate(colors):
            arcade.draw_lbwh_rectangle_filled(r.left + i * width, bottom, width + 1,
                                              14 * self.scale, tuple(int(c) for c in color))
        calm, agitated = self._palette_labels
        ui.place(calm, r.left, bottom - 14 * self.scale)
        ui.place(agitated, r.right, bottom - 14 * self.scale)
        calm.draw()
        agitated.draw()


def _fits_screen(window: Any, size: tuple[int, int]) -> bool:
    """A window size is offered only if the screen can show all of it."""
    try:
        screen = window.screen if window is not None else None
    except Exception:  # no display information: offer every size
        screen = None
    return screen is None or (size[0] <= screen.width and size[1] <= screen.height)


def _arrow(x: float, y: float, direction: int) -> None:
    """A small gold triangle: more rows above (1) or below (-1) than fit."""
    arcade.draw_triangle_filled(x - 6, y, x + 6, y, x, y + 8 * direction, ui.GOLD)
