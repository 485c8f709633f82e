"""The shared look of the menus: a dark navy command post with police-gold accents.

Every menu screen (title, level select, briefing, pause, settings, leaderboard, ...)
uses these colours, fonts and button styles so the game reads as one product. Fonts come
from arcade's bundled resources, so the menus look the same on every machine.

`UIScene` is a Scene with an `arcade.gui.UIManager` that is enabled only while the scene
is the window's current view (so a covered scene's buttons never take clicks) and a
`FocusRing` that lets the keyboard walk the buttons (up/down/tab, enter/space).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace

import arcade
import arcade.gui
from arcade.gui import UIFlatButton, UIManager, UIOnClickEvent
from arcade.shape_list import ShapeElementList, create_rectangle_filled

from command_game import i18n
from command_game.render import layout
from command_game.render.text_pool import Label, fit_ellipsis
from command_game.scenes.stack import Scene

# --- colours -------------------------------------------------------------------------

BACKGROUND = (10, 18, 33, 255)
BACKGROUND_GRID = (22, 36, 60, 255)
PANEL = (17, 29, 50, 235)
PANEL_HEADER = (24, 40, 68, 255)
PANEL_BORDER = (48, 72, 110, 255)
GOLD = (234, 180, 62, 255)
GOLD_DIM = (150, 116, 48, 255)
TEXT = (228, 234, 244, 255)
TEXT_MUTED = (140, 158, 186, 255)
TEXT_DARK = (12, 20, 36, 255)
GOOD = (96, 196, 128, 255)
BAD = (226, 86, 76, 255)
INFO = (96, 178, 232, 255)
DIM_OVERLAY = (6, 10, 20, 190)

# --- fonts ---------------------------------------------------------------------------

FONT_DISPLAY = ("Kenney Mini Square", "Liberation Sans")  # K and X stay legible
FONT_BODY = ("Liberation Sans", "Arial")
FONT_MONO = ("Liberation Mono", "Courier")

_fonts_loaded = False


def load_fonts() -> None:
    """Loads arcade's bundled Kenney and Liberation fonts once per process."""
    global _fonts_loaded
    if not _fonts_loaded:
        arcade.resources.load_liberation_fonts()
        arcade.resources.load_kenney_fonts()
        _fonts_loaded = True


# --- buttons -------------------------------------------------------------------------

_Style = UIFlatButton.UIStyle


def _button_style(bg, fg, border, hover_bg, hover_fg, size: int) -> dict[str, _Style]:
    return {
        "normal": _Style(font_name=FONT_DISPLAY, font_size=size, font_color=fg, bg=bg,
                         border=border, border_width=1),
        "hover": _Style(font_name=FONT_DISPLAY, font_size=size, font_color=hover_fg,
                        bg=hover_bg, border=GOLD, border_width=2),
        "press": _Style(font_name=FONT_DISPLAY, font_size=size, font_color=TEXT_DARK, bg=GOLD,
                        border=GOLD, border_width=2),
        "disabled": _Style(font_name=FONT_DISPLAY, font_size=size, font_color=(92, 104, 126),
                           bg=(20, 28, 44), border=(36, 48, 70), border_width=1),
    }


STYLE_DEFAULT = _button_style((26, 42, 70), TEXT, PANEL_BORDER, (38, 60, 98), TEXT, 14)
STYLE_PRIMARY = _button_style(GOLD_DIM, TEXT, GOLD, GOLD, TEXT_DARK, 14)
STYLE_DANGER = _button_style((70, 30, 34), TEXT, (130, 56, 56), (110, 40, 44), TEXT, 14)
#: Rows of a list (level select): the scene draws the row's text itself, over the button.
STYLE_ROW = _button_style((20, 33, 56), TEXT, (36, 54, 84), (32, 52, 88), TEXT, 12)
STYLE_ROW_SELECTED = _button_style((44, 66, 104), TEXT, GOLD, (52, 76, 118), TEXT, 12)
#: A panel's tabs (the briefing's situation / objectives on a short window): the header
#: band's colours, the chosen one in gold.
STYLE_TAB = _button_style(PANEL_HEADER[:3], TEXT_MUTED, PANEL_BORDER, (38, 60, 98), TEXT, 12)
STYLE_TAB_ON = _button_style(PANEL_HEADER[:3], GOLD, GOLD, (38, 60, 98), GOLD, 12)


def scaled_style(style: dict[str, _Style], scale: float) -> dict[str, _Style]:
    """A button style with its font at the interface scale."""
    return {state: replace(s, font_size=round(s.font_size * scale)) for state, s in style.items()}


def button(
    text: str,
    on_click: Callable[[], object],
    *,
    width: float = 300,
    height: float = 48,
    style: dict[str, _Style] | None = None,
    scale: float = 1.0,
) -> UIFlatButton:
    """A menu button that calls `on_click()` when clicked (mouse, space or enter);
    `scale` (the player's UI scale) grows its size and font together."""
    widget = UIFlatButton(text=text, width=width * scale, height=height * scale,
                          style=scaled_style(style or STYLE_DEFAULT, scale))

    @widget.event("on_click")
    def _clicked(event: UIOnClickEvent) -> None:
        on_click()

    return widget


def mark_chosen(buttons: dict[str, UIFlatButton], chosen: str | None,
                on: dict[str, _Style], off: dict[str, _Style], scale: float = 1.0) -> None:
    """A row of tabs or switches: the chosen one in style ``on``, the others ``off``."""
    for key, widget in buttons.items():
        widget.style = scaled_style(on if key == chosen else off, scale)
        widget.trigger_full_render()


def click(widget: UIFlatButton) -> None:
    """Clicks a button from the keyboard, the way a mouse release would."""
    if widget.disabled:
        return
    widget.dispatch_event(
        "on_click",
        UIOnClickEvent(source=widget, x=int(widget.center_x), y=int(widget.center_y),
                       button=arcade.MOUSE_BUTTON_LEFT, modifiers=0),
    )


class FocusRing:
    """Keyboard navigation over a screen's buttons: up/down (or tab) move, enter clicks.

    The focused button shows its hover style (arcade.gui renders `focused` as hover).
    """

    NEXT = (arcade.key.DOWN, arcade.key.TAB)
    PREVIOUS = (arcade.key.UP,)
    ACTIVATE = (arcade.key.ENTER, arcade.key.RETURN, arcade.key.NUM_ENTER)

    def __init__(self) -> None:
        self.buttons: list[UIFlatButton] = []
        self.index: int | None = None

    def set_buttons(self, buttons: Sequence[UIFlatButton], index: int | None = None) -> None:
        self._set_focus(None)
        self.buttons = list(buttons)
        self._set_focus(index)

    @property
    def focused(self) -> UIFlatButton | None:
        return None if self.index is None else self.buttons[self.index]

    def on_key_press(self, symbol: int, modifiers: int) -> bool:
        """Returns True when the key was a navigation key and was used."""
        if not self.buttons:
            return False
        if symbol in self.NEXT or symbol in self.PREVIOUS:
            step = -1 if symbol in self.PREVIOUS or modifiers & arcade.key.MOD_SHIFT else 1
            self._move(step)
            return True
        if symbol in self.ACTIVATE and self.focused is not None:
            click(self.focused)
            return True
        return False

    def _move(self, step: int) -> None:
        enabled = [i for i, b in enumerate(self.buttons) if not b.disabled]
        if not enabled:
            return
        if self.index not in enabled:
            self._set_focus(enabled[0] if step > 0 else enabled[-1])
            return
        pos = enabled.index(self.index)
        self._set_focus(enabled[(pos + step) % len(enabled)])

    def _set_focus(self, index: int | None) -> None:
        if self.focused is not None:
            self.focused.focused = False
        self.index = index
        if self.focused is not None:
            self.focused.focused = True


# --- drawing helpers -----------------------------------------------------------------


def text(
    value: str = "",
    size: float = 14,
    color=TEXT,
    *,
    font=FONT_BODY,
    bold: bool = False,
    width: int | None = None,
    anchor_x: str = "left",
    anchor_y: str = "baseline",
    align: str = "left",
) -> arcade.Text:
    """An arcade.Text in the house style; multiline when a width is given."""
    return Label(
        value, 0, 0, color, size, width=width or 0, align=align, font_name=font, bold=bold,
        anchor_x=anchor_x, anchor_y=anchor_y, multiline=width is not None,
    )


def place(label: arcade.Text, x: float, y: float) -> None:
    """Moves a Text only when its position changed (moving re-lays out the glyphs).

    Whole pixels (of the scale being drawn at, ``ui_scale.pixel_grid``): at some
    fractional positions the glyphs lose their lowest rows.
    """
    from command_game.render import ui_scale

    x, y = ui_scale.snap(x), ui_scale.snap(y)
    if label.x != x or label.y != y:
        label.position = (x, y)


_backdrops: dict[tuple[int, int], ShapeElementList] = {}


def draw_backdrop(width: float, height: float, spacing: int = 48) -> None:
    """The command post's map table: navy with a faint grid.

    The grid is one buffer of thin quads built once per window size, rather than line
    geometry sent again every frame (measured here on Mesa llvmpipe: 41 ms -> 17 ms)."""
    key = (int(width), int(height))
    if key not in _backdrops:
        grid = ShapeElementList()  # on the cleared background: filling it again is costly
        for x in range(0, key[0] + 1, spacing):
            grid.append(create_rectangle_filled(x, height / 2, 1, height, BACKGROUND_GRID))
        for y in range(0, key[1] + 1, spacing):
            grid.append(create_rectangle_filled(width / 2, y, width, 1, BACKGROUND_GRID))
        _backdrops.clear()  # one window: only the current size is worth keeping
        _backdrops[key] = grid
    _backdrops[key].draw()


def draw_panel(rect: arcade.Rect, header: float = 0) -> None:
    """A raised panel; `header` pixels at its top get a darker band."""
    layout.record_panel(rect.left, rect.bottom, rect.width, rect.height)
    arcade.draw_rect_filled(rect, PANEL)
    if header:
        arcade.draw_lbwh_rectangle_filled(rect.left, rect.top - header, rect.width, header,
                                          PANEL_HEADER)
        arcade.draw_line(rect.left, rect.top - header, rect.right, rect.top - header,
                         GOLD_DIM, 1)
    arcade.draw_rect_outline(rect, PANEL_BORDER, 1)


class TitleBar:
    """The band across the top of a menu screen: a badge, a title and a subtitle."""

    HEIGHT = 88

    def __init__(self, title: str, subtitle: str = "") -> None:
        self.title = text(title, 26, TEXT, font=FONT_DISPLAY, anchor_y="center")
        self.subtitle = text(subtitle, 13, TEXT_MUTED, anchor_y="center")

    def set(self, title: str, subtitle: str = "") -> None:
        if self.title.text != title:
            self.title.text = title
        if self.subtitle.text != subtitle:
            self.subtitle.text = subtitle

    def draw(self, width: float, height: float) -> None:
        fit_width(self.title, width - 96 - 40, smallest=16)
        top = height
        layout.record_panel(0, top - self.HEIGHT, width, self.HEIGHT, "title")
        arcade.draw_lbwh_rectangle_filled(0, top - self.HEIGHT, width, self.HEIGHT, PANEL_HEADER)
        arcade.draw_lbwh_rectangle_filled(0, top - self.HEIGHT - 3, width, 3, GOLD)
        draw_badge(52, top - self.HEIGHT / 2, 26)
        mid = top - self.HEIGHT / 2
        if self.subtitle.text:
            place(self.title, 96, mid + 12)
            place(self.subtitle, 98, mid - 20)
            self.subtitle.draw()
        else:
            place(self.title, 96, mid)
        self.title.draw()


def fit_width(label: arcade.Text, width: float, smallest: float = 9) -> None:
    """Shrinks a one-line Text's font until it fits `width` pixels (long level titles)."""
    while label.content_width > width and label.font_size > smallest:
        label.font_size -= 1


def run_key(symbol: int, actions: dict[int, Callable[[], object]]) -> bool | None:
    """A screen's shortcut keys: runs the action bound to ``symbol``; True when one ran
    (the key is used up), None to let it through."""
    action = actions.get(symbol)
    if action is None:
        return None
    action()
    return True


def clip_to_width(label: arcade.Text, width: float) -> None:
    """Cuts a one-line Text with an ellipsis until it fits `width` pixels (by halving:
    each try re-lays out the glyphs, and a long name cut a letter at a time took dozens)."""
    fit_ellipsis(label, label.text, width)


def draw_badge(cx: float, cy: float, radius: float) -> None:
    """A simple police-style star badge: gold disc, navy ring, gold star."""
    arcade.draw_circle_filled(cx, cy, radius, GOLD)
    arcade.draw_circle_filled(cx, cy, radius * 0.82, TEXT_DARK)
    arcade.draw_circle_outline(cx, cy, radius * 0.7, GOLD_DIM, 1)
    star = _star_points(cx, cy, radius * 0.62, radius * 0.26)
    for i in range(5):
        arcade.draw_triangle_filled(cx, cy, *star[2 * i], *star[2 * i + 1], GOLD)
        arcade.draw_triangle_filled(cx, cy, *star[2 * i + 1], *star[(2 * i + 2) % 10], GOLD)


def draw_lock(cx: float, cy: float, size: float, color) -> None:
    """A padlock: body and shackle, `size` pixels tall overall."""
    body_top = cy + size * 0.1
    arcade.draw_lrbt_rectangle_filled(cx - size * 0.75, cx + size * 0.75, cy - size, body_top,
                                      color)
    arcade.draw_arc_outline(cx, body_top, size * 1.0, size * 1.6, color, 0, 180,
                            max(2.0, size * 0.22))
    arcade.draw_circle_filled(cx, cy - size * 0.4, size * 0.18, BACKGROUND)


def _star_points(cx: float, cy: float, outer: float, inner: float) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    return points


def format_time(seconds: float | None) -> str:
    """Game time as M:SS.cc (speedrun style); '--:--' when there is none."""
    if seconds is None:
        return "--:--"
    total_cs = round(seconds * 100)
    minutes, rest = divmod(total_cs, 6000)
    return f"{minutes}:{rest // 100:02d}.{rest % 100:02d}"


def interface_scale() -> float:
    """The player's UI scale from Settings (0.75 .. 2.0), as far as the window holds it."""
    from command_game.render import ui_scale

    return ui_scale.effective()


# --- the base scene ------------------------------------------------------------------


class UIScene(Scene):
    """A menu scene: backdrop, optional title bar, arcade.gui widgets, keyboard focus.

    Subclasses build widgets in __init__ (into `self.ui`), draw their own extras in
    `draw_content()` (under the widgets) and `draw_over()` (above them), and handle keys
    the focus ring does not use in `on_key()`. `self.scale` is the player's UI scale when
    the screen was built; `self.label()` makes text at that scale.
    """

    def __init__(self) -> None:
        super().__init__()
        load_fonts()
        self.ui = UIManager()
        self.focus = FocusRing()
        self.title_bar: TitleBar | None = None
        self.built_language = i18n.language()
        self.scale = interface_scale()

    def label(self, value: str = "", size: float = 14, color=TEXT, **options) -> arcade.Text:
        """`text()` at this screen's UI scale."""
        return text(value, size * self.scale, color, **options)

    def relocalized(self) -> UIScene | None:
        """A fresh copy of this screen, built in the current language and UI scale; None
        to keep this one. Called when the player comes back from Settings with another."""
        return None

    def on_resume(self) -> None:
        for widget in self.focus.buttons:  # the pointer left them for the screen above
            widget.hovered = False
        changed = (self.built_language, self.scale) != (i18n.language(), interface_scale())
        if changed and self.stack is not None:
            fresh = self.relocalized()
            if fresh is not None:
                self.stack.replace(fresh)
                return
        self.on_return()

    def on_return(self) -> None:
        """The screen above this one closed (language and scale did not change)."""

    def refit(self, fit: float, rebuild: Callable[[], object]) -> None:
        """After a resize, for a screen that shrinks its UI scale (`self.fit`) to what the
        window holds: when that scale changed, its widgets are made again at it."""
        if abs(fit - self.fit) > 1e-6:
            self.fit = fit
            self.ui.clear()
            rebuild()

    def on_show_view(self) -> None:
        self.ui.enable()

    def on_hide_view(self) -> None:
        self.ui.disable()

    def on_draw(self) -> None:
        self.draw_background()
        if self.title_bar is not None:
            self.title_bar.draw(self.window.width, self.window.height)
        self.draw_content()
        self.ui.draw()
        record_widgets(self.ui)
        self.draw_over()

    def draw_background(self) -> None:
        self.clear(color=BACKGROUND)
        draw_backdrop(self.window.width, self.window.height)

    def draw_content(self) -> None:
        """Drawn under the widgets."""

    def draw_over(self) -> None:
        """Drawn over the widgets."""

    def on_mouse_motion(self, x: int, y: int, dx: int, dy: int) -> None:
        """The button under the pointer takes the keyboard focus: one highlight at a time
        (coming back from the editor, the focused button and a hovered one both lit)."""
        for index, widget in enumerate(self.focus.buttons):
            if widget.rect.point_in_rect((x, y)) and index != self.focus.index:
                self.focus._set_focus(index)
                break

    def on_key_press(self, symbol: int, modifiers: int) -> bool | None:
        if self.focus.on_key_press(symbol, modifiers):
            return True
        return self.on_key(symbol, modifiers)

    def on_key(self, symbol: int, modifiers: int) -> bool | None:
        """Keys the focus ring did not use (Esc to go back, ...)."""
        return None

    def go_back(self) -> None:
        """Leaves this screen for the one beneath it."""
        if self.stack is not None and len(self.stack) > 1:
            self.stack.pop()


class Dialog(arcade.gui.UIMouseFilterMixin, arcade.gui.UIAnchorLayout):
    """A modal question in the house style (the game's navy panel, gold title, house
    buttons), over a dimmed screen that takes every click: arcade's UIMessageBox has a
    style of its own. Each choice's text maps to what it does; the first is the primary."""

    def __init__(self, title: str, body: str, choices: dict[str, Callable[[], object]],
                 width: float = 520, scale: float = 1.0) -> None:
        super().__init__(size_hint=(1, 1))
        s = scale
        self.with_background(color=DIM_OVERLAY)
        panel = arcade.gui.UIBoxLayout(vertical=True, space_between=round(16 * s), align="left")
        panel.with_padding(all=round(22 * s)).with_background(color=PANEL_HEADER)
        panel.with_border(color=GOLD, width=2)
        panel.add(arcade.gui.UILabel(text=title, font_name=FONT_DISPLAY, font_size=18 * s,
                                     text_color=GOLD))
        panel.add(arcade.gui.UILabel(text=body, width=(width - 44) * s, multiline=True,
                                     font_name=FONT_BODY, font_size=13 * s, text_color=TEXT))
        self.buttons = [button(text, action, width=150, height=40, scale=s,
                               style=STYLE_PRIMARY if i == 0 else STYLE_DEFAULT)
                        for i, (text, action) in enumerate(choices.items())]
        panel.add(horizontal(*self.buttons, space=round(10 * s)))
        self.add(panel, anchor_x="center", anchor_y="center")


def cover_beneath() -> None:
    """An overlay dimmed the scenes beneath: the layout recorder forgets what they drew."""
    recording = layout.active()
    if recording is not None:
        recording.cover()


def record_widgets(manager: UIManager) -> None:
    """Tells the layout recorder (under test) where the widgets are and whether their
    text fits: buttons as buttons, labels as texts inside their own box."""
    if layout.active() is None:
        return
    for widget in manager.walk_widgets(layer=None):
        if not widget.visible or not _shown(widget):
            continue
        r = widget.rect
        if isinstance(widget, arcade.gui.UIFlatButton):
            inner = widget.ui_label._label
            layout.record_button(r.left, r.bottom, r.width, r.height, widget.text,
                                 inner.content_width if widget.text else 0.0)
        elif isinstance(widget, arcade.gui.UILabel) and widget.parent is not None and \
                not isinstance(widget.parent, arcade.gui.UIFlatButton):
            label = widget._label
            layout.record_panel(r.left, r.bottom, r.width, r.height, "widget")
            layout.current_text(label.text, r.left, r.bottom, label.content_width,
                                label.content_height)


def _shown(widget: arcade.gui.UIWidget) -> bool:
    """A widget is on screen only while every parent up to the manager is visible."""
    parent = widget.parent
    while isinstance(parent, arcade.gui.UIWidget):
        if not parent.visible:
            return False
        parent = parent.parent
    return True


def vertical(*widgets: arcade.gui.UIWidget, space: int = 14) -> arcade.gui.UIBoxLayout:
    box = arcade.gui.UIBoxLayout(vertical=True, space_between=space)
    for widget in widgets:
        box.add(widget)
    return box


def horizontal(*widgets: arcade.gui.UIWidget, space: int = 14) -> arcade.gui.UIBoxLayout:
    box = arcade.gui.UIBoxLayout(vertical=False, space_between=space)
    for widget in widgets:
        box.add(widget)
    return box
