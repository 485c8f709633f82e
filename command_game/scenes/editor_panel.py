"""The editor's panels: tool bar, property panel with tabs, and the live problem list.

Widgets sit at absolute positions in the editor's own UIManager (the layout is fixed:
tool bar left, panel right, problems along the bottom), and are rebuilt only when what
they show changes shape (another selection, another tab, another problem list, another
UI scale). Positions and sizes are given in interface units and made pixels here, at the
scale the editor is drawn at (``fit_scale``). Typed values go back to the scene as
(path, value) pairs; the scene turns them into edits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import arcade
from arcade.gui import (
    UIBoxLayout,
    UIDropdown,
    UIFlatButton,
    UIInputText,
    UILabel,
    UIManager,
    UIWidget,
)

from command_game.editor.fields import Field, parse, show
from command_game.editor.validation import place_of
from command_game.i18n import t
from command_game.level.problems import Problem
from command_game.render import ui_scale
from command_game.render.text_pool import fit_ellipsis
from command_game.scenes import ui

_Style = UIFlatButton.UIStyle
SMALL = 11
#: Interface units the editor needs: the room every screen is made for (1280x800 at
#: 150 %): tool bar, panel and a usable map across; the Level tab's fourteen fields down.
NEEDS = ui_scale.MIN_UNITS


def fit_scale(width: float, height: float) -> float:
    """The player's UI scale, as far as the editor's panels still fit the window (like
    the debrief, the editor shrinks a scale the window cannot hold)."""
    return max(0.6, min(ui_scale.effective(width, height), width / NEEDS[0],
                        height / NEEDS[1]))


def _style(bg, fg, border, size: int = SMALL) -> dict[str, _Style]:
    return {
        "normal": _Style(font_name=ui.FONT_BODY, font_size=size, font_color=fg, bg=bg,
                         border=border, border_width=1),
        "hover": _Style(font_name=ui.FONT_BODY, font_size=size, font_color=fg,
                        bg=(38, 60, 98), border=ui.GOLD, border_width=1),
        "press": _Style(font_name=ui.FONT_BODY, font_size=size, font_color=ui.TEXT_DARK,
                        bg=ui.GOLD, border=ui.GOLD, border_width=1),
        "disabled": _Style(font_name=ui.FONT_BODY, font_size=size, font_color=(92, 104, 126),
                           bg=(20, 28, 44), border=(36, 48, 70), border_width=1),
    }


STYLE = _style((26, 42, 70), ui.TEXT, ui.PANEL_BORDER)
STYLE_ACTIVE = _style(ui.GOLD_DIM, ui.TEXT, ui.GOLD)
STYLE_ERROR = _style((58, 28, 34), ui.TEXT, (120, 56, 56))
STYLE_WARNING = _style((56, 48, 26), ui.TEXT, (120, 100, 48))


def flat(text: str, on_click: Callable[[], Any], x: float, y: float, width: float,
         height: float = 26, style: dict[str, _Style] | None = None,
         scale: float = 1.0) -> UIFlatButton:
    """A button at (x, y) in interface units of ``scale`` pixels."""
    widget = UIFlatButton(text=text, x=x * scale, y=y * scale, width=width * scale,
                          height=height * scale, style=ui.scaled_style(style or STYLE, scale))

    @widget.event("on_click")
    def _clicked(event) -> None:
        on_click()

    return widget


def label(text: str, x: float, y: float, width: float, size: int = SMALL,
          color=ui.TEXT_MUTED, bold: bool = False, lines: int = 1,
          scale: float = 1.0) -> UILabel:
    return UILabel(text=text, x=x * scale, y=y * scale, width=width * scale,
                   height=(20 + (lines - 1) * (size + 4)) * scale, font_name=ui.FONT_BODY,
                   font_size=size * scale, text_color=color, bold=bold, multiline=lines > 1)


class ChoiceList(UIDropdown):
    """arcade's dropdown, whose option buttons are made when it first opens (a panel of
    choice fields, an office's road node listing every node, was hundreds of buttons
    nobody had opened, made again at every rebuild), in as many columns as it takes to
    fit under the field (one column of thirty nodes ran off the bottom of the window)."""

    def _update_options(self) -> None:
        self._options_due = True

    def _show_overlay(self) -> None:
        if getattr(self, "_options_due", True):
            self._options_due = False
            self._make_options()
            self.do_layout()  # the list's size is known now: place it under the field
        super()._show_overlay()

    def _make_options(self) -> None:
        rows = max(1, int((self.bottom - 4) // self.height))  # what fits under the field
        options = [o for o in self._options if o is not None]
        if len(options) <= rows:
            super()._update_options()
            return
        self._overlay.clear()
        self._overlay.vertical, self._overlay.align = False, "top"
        for start in range(0, len(options), rows):
            column = self._overlay.add(UIBoxLayout(vertical=True))
            for option in options[start:start + rows]:
                button = column.add(UIFlatButton(
                    text=option, width=self.width, height=self.height,
                    style=self._active_style if self.value == option else self._dropdown_style))
                button.on_click = self._on_option_click
        self._overlay.detect_focusable_widgets()

    def do_layout(self) -> None:
        super().do_layout()
        overlay, window = self._overlay, self.get_ui_manager()
        right = window.window.width if window is not None else overlay.rect.right
        if overlay.rect.right > right:  # columns past the window's edge: open leftward
            overlay.rect = overlay.rect.align_right(min(right, self.right))


def dropdown(default: str, options: list[str], x: float, y: float, width: float,
             height: float = 26, scale: float = 1.0) -> UIDropdown:
    """A choice list in the editor's style, in interface units of ``scale`` pixels."""
    return ChoiceList(x=x * scale, y=y * scale, width=width * scale, height=height * scale,
                      default=default, options=options,
                      primary_style=ui.scaled_style(STYLE, scale),
                      dropdown_style=ui.scaled_style(STYLE, scale),
                      active_style=ui.scaled_style(STYLE_ACTIVE, scale))


_measure: arcade.Text | None = None


def _measured(text: str, scale: float, size: float) -> arcade.Text:
    """The one-line text in the font a button draws it in at ``scale`` (its size rounded
    to whole points), for measuring."""
    global _measure
    size = round(size * scale)
    if _measure is None:
        _measure = arcade.Text("", 0, 0, font_name=ui.FONT_BODY, font_size=size)
    if _measure.font_size != size:
        _measure.font_size = size
    if _measure.text != text:
        _measure.text = text
    return _measure


def clip_text(text: str, width: float, scale: float = 1.0, size: float = SMALL) -> str:
    """``text`` cut with an ellipsis to ``width`` interface units, measured in the font
    a button draws it at ``scale``."""
    measure = _measured(text, scale, size)
    fit_ellipsis(measure, text, width * scale)
    return measure.text


def shared_widths(texts: list[str], room: float, scale: float = 1.0, pad: float = 14,
                  size: float = SMALL) -> list[float]:
    """Widths (interface units) for a row of buttons in ``room``: each as wide as its
    label and ``pad``, the spare room shared out alike (a row of tabs in any language)."""
    needs = [_measured(text, scale, size).content_width / scale + pad for text in texts]
    spare = max(0.0, room - sum(needs)) / len(texts)
    return [need + spare for need in needs]


class WidgetGroup:
    """Widgets added together and removed together."""

    def __init__(self, manager: UIManager) -> None:
        self.manager = manager
        self.widgets: list[UIWidget] = []

    def add(self, widget: UIWidget, layer: int = 0) -> UIWidget:
        self.manager.add(widget, layer=layer)
        self.widgets.append(widget)
        return widget

    def clear(self) -> None:
        for widget in self.widgets:
            self.manager.remove(widget)
        self.widgets = []


@dataclass
class FieldRow:
    field: Field
    path: tuple[str | int, ...]  # the value's path in the level data
    widget: UIInputText | UIDropdown


class FieldForm:
    """Label + input rows for a list of fields; typing commits each valid value."""

    ROW = 27

    def __init__(self, group: WidgetGroup, commit: Callable[[tuple, Any], None],
                 report: Callable[[str], None]) -> None:
        self.group = group
        self.commit = commit
        self.report = report
        self.rows: list[FieldRow] = []
        self.scale = 1.0

    def build(self, fields: list[Field], base: tuple[str | int, ...], values: dict[str, Any],
              x: float, top: float, width: float) -> float:
        """Lays out one row per field from `top` down (interface units, at the form's
        ``scale``); returns the y below the last row."""
        self.rows = []
        y, s = top, self.scale
        label_w, gap = 132, 8  # a label never touches its input; "Bantuan TNI (kali)" whole
        for field in fields:
            y -= self.ROW
            self.group.add(label(clip_text(t(f"editor.field.{field.name}"), label_w - 4, s),
                                 x, y + 2, label_w, scale=s))
            value = show(field, _read(values, field.key))
            left, room = x + label_w + gap, width - label_w - gap
            if field.kind in ("choice", "bool"):
                options = list(field.choices or ("true", "false")) or [value]
                if value not in options:
                    options = [value, *options]
                widget = dropdown(value, options, left, y, room, 23, s)
            else:
                widget = UIInputText(x=left * s, y=y * s, width=room * s, height=23 * s,
                                     text=value, font_name=ui.FONT_BODY, font_size=SMALL * s,
                                     text_color=ui.TEXT, caret_color=ui.GOLD)
            row = FieldRow(field, (*base, *field.key), widget)
            widget.event("on_change")(lambda event, row=row: self._changed(row))
            self.group.add(widget, layer=1 if isinstance(widget, UIDropdown) else 0)
            self.rows.append(row)
        return y

    def _changed(self, row: FieldRow) -> None:
        text = row.widget.value if isinstance(row.widget, UIDropdown) else row.widget.text
        try:
            value = parse(row.field, text or "")
        except ValueError as exc:
            if isinstance(row.widget, UIInputText):
                row.widget.invalid = True
            self.report(f"{t(f'editor.field.{row.field.name}')}: {exc}")
            return
        if isinstance(row.widget, UIInputText):
            row.widget.invalid = False
        self.commit(row.path, value)

    def typing(self) -> bool:
        return any(isinstance(r.widget, UIInputText) and r.widget.active for r in self.rows)

    def stop_typing(self) -> None:
        for r in self.rows:
            if isinstance(r.widget, UIInputText) and r.widget.active:
                r.widget.deactivate()

    def sync(self, data: dict[str, Any]) -> None:
        """Shows values changed elsewhere (a drag, an undo) in rows not being typed in."""
        for row in self.rows:
            value = show(row.field, _read_path(data, row.path))
            if isinstance(row.widget, UIInputText):
                if not row.widget.active and not row.widget.invalid and row.widget.text != value:
                    row.widget.text = value
            elif row.widget.value != value:
                row.widget.value = value


def _read(values: dict[str, Any], key: tuple[str, ...]) -> Any:
    for part in key:
        if not isinstance(values, dict):
            return None
        values = values.get(part)
    return values


def _read_path(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


#: A problem row's mark besides its colour (red errors, amber warnings): the message
#: keeps the room a word would take, and a player who tells no red from amber still knows.
SEVERITY_MARK = {"error": "\u00d7", "warning": "!"}
PAGE_W = 100  # the problem list's page button


class ProblemList:
    """The live problem list along the bottom, a page at a time; a click on a problem
    selects the object at fault."""

    ROWS = 3  # the key hints keep the bottom line

    def __init__(self, manager: UIManager, on_pick: Callable[[Problem], None]) -> None:
        self.group = WidgetGroup(manager)
        self.on_pick = on_pick
        self.shown: list[Problem] | None = None
        self.page = 0
        self.rect: arcade.Rect | None = None
        self.scale = 1.0
        self.header = ui.text("", 12, ui.TEXT, bold=True)

    def show(self, problems: list[Problem], rect: arcade.Rect, scale: float = 1.0) -> None:
        """Lists ``problems`` in ``rect`` (interface units of ``scale`` pixels)."""
        if problems == self.shown and rect == self.rect and scale == self.scale:
            return
        if problems != self.shown:
            self.page = 0
        self.shown, self.rect, self.scale = list(problems), rect, scale
        self._build()

    def next_page(self) -> None:
        pages = max(1, -(-len(self.shown or []) // self.ROWS))
        self.page = (self.page + 1) % pages
        self._build()

    def _build(self) -> None:
        problems, rect, s = self.shown or [], self.rect, self.scale
        self.group.clear()
        errors = sum(1 for p in problems if p.severity == "error")
        warnings = len(problems) - errors
        header = (t("editor.problems.none") if not problems else
                  t("editor.problems.count", errors=errors, warnings=warnings))
        paged = len(problems) > self.ROWS  # the page button takes the line's right end
        fit_ellipsis(self.header, header, rect.width - 20 - (PAGE_W + 10 if paged else 0))
        self.header.color = ui.GOOD if not errors else ui.BAD
        if paged:
            pages = -(-len(problems) // self.ROWS)
            self.group.add(flat(t("editor.problems.page", page=self.page + 1, pages=pages),
                                self.next_page, rect.right - PAGE_W - 8, rect.top - 26, PAGE_W,
                                22, scale=s))
        y = rect.top - 28
        for problem in problems[self.page * self.ROWS:(self.page + 1) * self.ROWS]:
            y -= 26
            where = place_of(problem.path, problem.ref)
            text = f"{SEVERITY_MARK[problem.severity]} {where}: {problem.message}"
            style = STYLE_ERROR if problem.severity == "error" else STYLE_WARNING
            self.group.add(flat(clip_text(text, rect.width - 30, s), lambda p=problem:
                                self.on_pick(p), rect.left + 8, y, rect.width - 16, 24, style,
                                scale=s))

    def draw(self, rect: arcade.Rect) -> None:
        ui.place(self.header, rect.left + 10, rect.top - 20)
        self.header.draw()

