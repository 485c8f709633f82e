"""The editor's panels: tool bar, property panel with tabs, and the live problem list.

Widgets sit at absolute positions in the editor's own UIManager (the layout is fixed:
tool bar left, panel right, problems along the bottom), and are rebuilt only when what
they show changes shape (another selection, another tab, another problem list). Typed
values go back to the scene as (path, value) pairs; the scene turns them into edits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import arcade
from arcade.gui import UIDropdown, UIFlatButton, UIInputText, UILabel, UIManager, UIWidget

from command_game.editor.fields import Field, parse, show
from command_game.editor.validation import place_of
from command_game.i18n import t
from command_game.level.problems import Problem
from command_game.scenes import ui

_Style = UIFlatButton.UIStyle
SMALL = 11


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
         height: float = 26, style: dict[str, _Style] | None = None) -> UIFlatButton:
    widget = UIFlatButton(text=text, x=x, y=y, width=width, height=height, style=style or STYLE)

    @widget.event("on_click")
    def _clicked(event) -> None:
        on_click()

    return widget


def label(text: str, x: float, y: float, width: float, size: int = SMALL,
          color=ui.TEXT_MUTED, bold: bool = False, lines: int = 1) -> UILabel:
    return UILabel(text=text, x=x, y=y, width=width, height=20 + (lines - 1) * (size + 4),
                   font_name=ui.FONT_BODY, font_size=size, text_color=color, bold=bold,
                   multiline=lines > 1)


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

    ROW = 30

    def __init__(self, group: WidgetGroup, commit: Callable[[tuple, Any], None],
                 report: Callable[[str], None]) -> None:
        self.group = group
        self.commit = commit
        self.report = report
        self.rows: list[FieldRow] = []

    def build(self, fields: list[Field], base: tuple[str | int, ...], values: dict[str, Any],
              x: float, top: float, width: float) -> float:
        """Lays out one row per field from `top` down; returns the y below the last row."""
        self.rows = []
        y = top
        label_w, gap = 118, 8  # a label never touches its input
        for field in fields:
            y -= self.ROW
            self.group.add(label(t(f"editor.field.{field.name}"), x, y + 4, label_w))
            value = show(field, _read(values, field.key))
            if field.kind in ("choice", "bool"):
                options = list(field.choices or ("true", "false")) or [value]
                if value not in options:
                    options = [value, *options]
                widget = UIDropdown(x=x + label_w + gap, y=y, width=width - label_w - gap,
                                    height=24,
                                    default=value, options=options,
                                    primary_style=STYLE, dropdown_style=STYLE,
                                    active_style=STYLE_ACTIVE)
            else:
                widget = UIInputText(x=x + label_w + gap, y=y, width=width - label_w - gap,
                                     height=24,
                                     text=value, font_name=ui.FONT_BODY, font_size=SMALL,
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
        self.header = ui.text("", 12, ui.TEXT, bold=True)

    def show(self, problems: list[Problem], rect: arcade.Rect) -> None:
        if problems == self.shown and rect == self.rect:
            return
        if problems != self.shown:
            self.page = 0
        self.shown, self.rect = list(problems), rect
        self._build()

    def next_page(self) -> None:
        pages = max(1, -(-len(self.shown or []) // self.ROWS))
        self.page = (self.page + 1) % pages
        self._build()

    def _build(self) -> None:
        problems, rect = self.shown or [], self.rect
        self.group.clear()
        errors = sum(1 for p in problems if p.severity == "error")
        warnings = len(problems) - errors
        self.header.text = (t("editor.problems.none") if not problems else
                            t("editor.problems.count", errors=errors, warnings=warnings))
        self.header.color = ui.GOOD if not errors else ui.BAD
        if len(problems) > self.ROWS:
            pages = -(-len(problems) // self.ROWS)
            self.group.add(flat(t("editor.problems.page", page=self.page + 1, pages=pages),
                                self.next_page, rect.right - 128, rect.top - 26, 120, 22))
        y = rect.top - 28
        for problem in problems[self.page * self.ROWS:(self.page + 1) * self.ROWS]:
            y -= 26
            where = place_of(problem.path, problem.ref)
            text = f"{t('editor.problems.' + problem.severity)} · {where}: {problem.message}"
            style = STYLE_ERROR if problem.severity == "error" else STYLE_WARNING
            self.group.add(flat(_clip(text, 110), lambda p=problem: self.on_pick(p),
                                rect.left + 8, y, rect.width - 16, 24, style))

    def draw(self, rect: arcade.Rect) -> None:
        ui.place(self.header, rect.left + 10, rect.top - 20)
        self.header.draw()


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
