"""The briefing: what the player reads before the mission starts.

Level title, region and phase, the bilingual briefing in the current language, a map
preview with a legend of the offices on it, the objectives (required and optional), the
unit roster and the par time. Start replaces the briefing with the map scene (so leaving
the mission returns to the level select, not to a stale briefing); Back or Esc returns.
A level file that no longer loads shows its problems instead of crashing.
"""

from __future__ import annotations

from pathlib import Path

import arcade
import arcade.gui

from command_game import progress as campaign_progress
from command_game.i18n import pick, t
from command_game.level.io import load_level
from command_game.level.models import Level
from command_game.level.problems import LevelError
from command_game.render.preview import OFFICE_COLORS, MapPreview
from command_game.scenes import ui
from command_game.scenes.seed_picker import SeedPicker

MARGIN = 40
GAP = 24
ROSTER_ROW = 24
OBJECTIVE_GAP = 10


class BriefingScene(ui.UIScene):
    def __init__(self, level_path: str | Path) -> None:
        super().__init__()
        self.level_path = Path(level_path)
        self.level: Level | None = None
        self.error: LevelError | None = None
        try:
            self.level = load_level(self.level_path)
        except LevelError as exc:
            self.error = exc
        self.preview = MapPreview(self.level) if self.level else None
        self._make_buttons()
        self._layout_for: tuple[int, int] | None = None
        self.objective_offset = 0  # first objective shown; the mouse wheel scrolls
        self.tab: str | None = None  # "situation" / "objectives" when they take turns
        self.tab_buttons: dict[str, arcade.gui.UIFlatButton] = {}
        self._tab_anchor: arcade.gui.UIAnchorLayout | None = None
        self._objectives_rect: arcade.Rect | None = None
        self.title_bar = self._title_bar()

    # --- building -------------------------------------------------------------------

    def _title_bar(self) -> ui.TitleBar:
        if self.level is None:
            return ui.TitleBar(t("briefing.unreadable"), str(self.level_path))
        meta = self.level.meta
        return ui.TitleBar(pick(meta.title), f"{meta.region}  ·  {t('menus.phase.' + meta.phase)}")

    def _bottom(self) -> float:
        """Where the panels end: above the buttons (and the seed row, when it has a line
        of its own)."""
        s = self.scale
        if self.night is None:
            return 48 + 48 * s
        row_h = (16 + 36) * s + 14  # the seed's status line over its buttons
        if self.night_above:
            return 24 + 48 * s + 12 + row_h + 12
        return max(48 + 48 * s, 24 + row_h + 12)

    def _make_buttons(self) -> None:
        self.start_button = ui.button(t("briefing.start"), self.start, width=280, scale=self.scale,
                                      style=ui.STYLE_PRIMARY)
        self.back_button = ui.button(t("menus.back"), self.go_back, width=160, scale=self.scale)
        self.start_button.disabled = self.level is None
        anchor = self.ui.add(arcade.gui.UIAnchorLayout())
        self.night = SeedPicker(self.level.meta.id, self.scale) if self.level else None
        self.night_above = False  # the seed row on a line of its own, over the buttons
        if self.night is not None:  # which seed the mission plays (shown, typed, daily)
            sc = self.scale
            buttons = self.night.row.children[-1].children  # under the status line
            row_w = max(self.night.status.width, sum(c.width for c in buttons)
                        + 14 * len(buttons))
            gap = self.window.width - 2 * MARGIN - (160 + 280) * sc - 32
            self.night_above = row_w > gap
            if self.night_above:
                anchor.add(self.night.row, anchor_x="center", anchor_y="bottom",
                           align_y=24 + 48 * sc + 12)
            else:  # centred between Back and Start
                anchor.add(self.night.row, anchor_x="center", anchor_y="bottom", align_y=24,
                           align_x=-(280 - 160) * sc / 2)
        anchor.add(self.back_button, anchor_x="left", align_x=MARGIN, anchor_y="bottom",
                   align_y=24)
        anchor.add(self.start_button, anchor_x="right", align_x=-MARGIN, anchor_y="bottom",
                   align_y=24)
        buttons = [self.start_button, *(self.night.buttons if self.night else []),
                   self.back_button]
        self.focus.set_buttons(buttons, index=0 if self.level else len(buttons) - 1)

    def _columns(self) -> tuple[arcade.Rect, arcade.Rect]:
        """Left (situation, objectives) and right (map, roster) column rectangles."""
        w, h = self.window.width, self.window.height
        top, bottom = h - ui.TitleBar.HEIGHT - 3 - GAP, self._bottom()
        left_w = (w - 2 * MARGIN - GAP) * 0.52
        left = arcade.LRBT(MARGIN, MARGIN + left_w, bottom, top)
        right = arcade.LRBT(MARGIN + left_w + GAP, w - MARGIN, bottom, top)
        return left, right

    def _layout(self) -> None:
        """Makes the texts for the current window size (wrapping widths depend on it)."""
        self._layout_for = (self.window.width, self.window.height)
        left, right = self._columns()
        self.facts = ui.text(self._facts(), 12, ui.TEXT_MUTED, anchor_x="right")  # title bar
        if self.level is None:
            self.problem_text = self.label(str(self.error), 12, ui.BAD, font=ui.FONT_MONO,
                                        width=int(self.window.width - 2 * MARGIN - 40))
            return
        inner = int(left.width - 40)
        self.headers = {
            key: self.label(t(f"briefing.{key}"), 12, ui.GOLD, font=ui.FONT_DISPLAY,
                         anchor_y="center")
            for key in ("situation", "objectives", "map", "roster")
        }
        self.objectives = [self._objective_texts(o, inner - int(120 * self.scale))
                           for o in self.level.objectives]
        sc = self.scale
        objectives_h = 46 * sc + sum(max(o[1].content_height, 18 * sc) + OBJECTIVE_GAP * sc
                                     for o in self.objectives)
        self.story = self.label(pick(self.level.meta.briefing), 14, ui.TEXT, width=inner)
        # a long briefing, a short window or a big UI: smaller type (down to halfway
        # between 11 pt and 11 pt at the UI scale), so that the objectives still fit
        while (self.story.content_height + self._story_padding() + GAP + objectives_h
               > left.height and self.story.font_size > 11 * (1 + sc) / 2):
            self.story.font_size -= 1
        # still too tall (the finale's nine objectives at 1280x720): the situation and
        # the objectives take turns in the whole column, behind two tabs
        both = self.story.content_height + self._story_padding() + GAP + objectives_h
        self._make_tabs(left if both > left.height else None)
        self.legend = self._legend()
        self.with_ready = any(u.available_s for u in self.level.units)
        columns = self._roster_columns(right)
        self.roster = [self._unit_texts(u) for u in self.level.units]
        self.roster_groups = self._group_texts()
        for row in self.roster + self.roster_groups:
            ui.clip_to_width(row[0], columns[1] - columns[0] - 10)
            ui.clip_to_width(row[1], columns[2] - columns[1] - 50 * sc)
        self.roster_head = [
            self.label(t(f"briefing.col.{column}"), 10, ui.TEXT_MUTED, font=ui.FONT_DISPLAY,
                    anchor_x=align)
            for column, align in (("type", "left"), ("name", "left"), ("personnel", "right"),
                                  ("available", "right"))
        ][: 4 if self.with_ready else 3]
        self.more_units = self.label("", 11, ui.TEXT_MUTED)
        self.more_objectives = self.label("", 11, ui.TEXT_MUTED, anchor_x="right")

    def _make_tabs(self, column: arcade.Rect | None) -> None:
        """The two tab buttons in the column's header band, or none when both panels fit."""
        focused = self.focus.focused
        buttons = [b for b in self.focus.buttons if b not in self.tab_buttons.values()]
        if self._tab_anchor is not None:
            self.ui.remove(self._tab_anchor)
            self._tab_anchor, self.tab_buttons = None, {}
        if column is None:
            self.tab = None
            self.focus.set_buttons(buttons, buttons.index(focused) if focused in buttons
                                   else None)
            return
        # the story has the whole column now: back to its own size, as far as it fits
        self.story.font_size = 14 * self.scale
        while (self.story.content_height + self._story_padding() > column.height
               and self.story.font_size > 10):
            self.story.font_size -= 1
        self.tab = self.tab or "situation"
        sc = self.scale
        height = self._header_h - 6
        row = arcade.gui.UIBoxLayout(vertical=False, space_between=8)
        labels = {"situation": t("briefing.situation"),
                  "objectives": t("briefing.objectives_count", count=len(self.objectives))}
        for key, text in labels.items():
            button = ui.button(text.upper(), lambda k=key: self.show_tab(k),
                               width=(column.width - 40) / 2 / sc, height=height / sc,
                               scale=sc, style=ui.STYLE_TAB)
            self.tab_buttons[key] = button
            row.add(button)
        self._tab_anchor = arcade.gui.UIAnchorLayout()
        self._tab_anchor.add(row, anchor_x="left", anchor_y="top", align_x=column.left + 12,
                             align_y=-(self.window.height - column.top) - 3)
        self.ui.add(self._tab_anchor)
        buttons[1:1] = list(self.tab_buttons.values())  # after Start
        self.focus.set_buttons(buttons, buttons.index(focused) if focused in buttons else None)
        self._style_tabs()

    def show_tab(self, key: str) -> None:
        self.tab = key
        self._style_tabs()

    def _style_tabs(self) -> None:
        ui.mark_chosen(self.tab_buttons, self.tab, ui.STYLE_TAB_ON, ui.STYLE_TAB, self.scale)

    def _facts(self) -> str:
        if self.level is None:
            return ""
        meta = self.level.meta
        facts = t("briefing.facts", par=ui.format_time(meta.par_time_s), clock=meta.start_clock,
                  duration=ui.format_time(meta.duration_s))
        best = campaign_progress.load_progress().best(meta.id)
        if best is not None:
            facts += "   ·   " + t("select.personal_best", time=ui.format_time(best.time_s))
        return facts

    def _objective_texts(self, objective, width: int) -> tuple[arcade.Text, arcade.Text, bool]:
        tag = t("briefing.optional" if objective.optional else "briefing.required")
        color = ui.INFO if objective.optional else ui.GOLD
        return (self.label(tag, 9, color, font=ui.FONT_DISPLAY),
                self.label(pick(objective.title), 13, ui.TEXT, width=width), objective.optional)

    def _legend(self) -> list[tuple[arcade.Text, tuple]]:
        present = sorted({o.type for o in self.level.offices}, key=list(OFFICE_COLORS).index)
        return [(self.label(t(f"briefing.office.{kind}"), 11, ui.TEXT_MUTED),
                 OFFICE_COLORS[kind]) for kind in present]

    def _group_texts(self) -> list[list[arcade.Text]]:
        """The roster by section, for rosters too long to list unit by unit."""
        groups: dict[str, list] = {}
        for unit in self.level.units:
            groups.setdefault(unit.type, []).append(unit)
        rows = []
        for kind, units in groups.items():
            names = t("briefing.group", count=len(units), names=", ".join(u.name for u in units))
            row = [
                self.label(t(f"briefing.unit.{kind}"), 12, ui.GOLD),
                self.label(names, 12, ui.TEXT),
                self.label(str(sum(u.personnel for u in units)), 12, ui.TEXT, anchor_x="right"),
            ]
            if self.with_ready:
                ready = min(u.available_s for u in units)
                row.append(self.label(ui.format_time(ready) if ready else t("briefing.now"), 12,
                                   ui.TEXT_MUTED, anchor_x="right"))
            rows.append(row)
        return rows

    def _unit_texts(self, unit) -> list[arcade.Text]:
        available = ui.format_time(unit.available_s) if unit.available_s else t("briefing.now")
        row = [
            self.label(t(f"briefing.unit.{unit.type}"), 12, ui.GOLD),
            self.label(unit.name, 12, ui.TEXT),
            self.label(str(unit.personnel), 12, ui.TEXT, anchor_x="right"),
        ]
        if self.with_ready:
            row.append(self.label(available, 12, ui.TEXT_MUTED, anchor_x="right"))
        return row

    # --- drawing --------------------------------------------------------------------

    def draw_content(self) -> None:
        if self._layout_for != (self.window.width, self.window.height):
            self._layout()
        ui.place(self.facts, self.window.width - MARGIN, self.window.height - 70)
        self.facts.draw()
        if self.level is None:
            self._draw_problems()
            return
        left, right = self._columns()
        if self.tab is not None:
            ui.draw_panel(left, header=self._header_h)
            if self.tab == "situation":
                self._draw_story(left)
            else:
                self._draw_objective_rows(left)
        else:
            story_h = self.story.content_height + self._story_padding()
            situation = arcade.LRBT(left.left, left.right, left.top - story_h, left.top)
            self._draw_situation(situation)
            self._draw_objectives(arcade.LRBT(left.left, left.right, left.bottom,
                                              situation.bottom - GAP))
        map_h = min(right.height * 0.5, right.width * 0.62)
        map_panel = arcade.LRBT(right.left, right.right, right.top - map_h, right.top)
        self._draw_map(map_panel)
        self._draw_roster(arcade.LRBT(right.left, right.right, right.bottom,
                                      map_panel.bottom - GAP))

    @property
    def _header_h(self) -> float:
        """A panel's header band: its title grows with the UI scale, so does the band."""
        return round(22 + 8 * self.scale)

    def _story_padding(self) -> float:
        """The header band and margins around the briefing text."""
        return self._header_h + 4 + 32 * self.scale

    def _panel(self, rect: arcade.Rect, header: str) -> None:
        ui.draw_panel(rect, header=self._header_h)
        label = self.headers[header]
        ui.place(label, rect.left + 16, rect.top - self._header_h / 2)
        label.draw()

    def _draw_situation(self, rect: arcade.Rect) -> None:
        self._panel(rect, "situation")
        self._draw_story(rect)

    def _draw_story(self, rect: arcade.Rect) -> None:
        ui.place(self.story, rect.left + 20, rect.top - self._header_h - 32 * self.scale)
        self.story.draw()

    def _draw_objectives(self, rect: arcade.Rect) -> None:
        self._panel(rect, "objectives")
        self._draw_objective_rows(rect)

    def _draw_objective_rows(self, rect: arcade.Rect) -> None:
        """The objectives from `objective_offset` on (the wheel scrolls a long list)."""
        self._objectives_rect = rect
        s = self.scale
        y = rect.top - self._header_h - 16 * s
        shown = self.objectives[self.objective_offset:]
        for index, (tag, title, optional) in enumerate(shown):
            line_h = max(title.content_height, 18 * s)
            more = 0 if index == len(shown) - 1 else 22 * s  # room to say what is below
            if y - line_h < rect.bottom + 6 + more:
                self._draw_more_objectives(rect, y, len(shown) - index)
                break
            marker_y = y - 9 * s
            if optional:
                arcade.draw_circle_outline(rect.left + 24, marker_y, 5 * s, ui.INFO, 2)
            else:
                arcade.draw_circle_filled(rect.left + 24, marker_y, 5 * s, ui.GOLD)
            ui.place(tag, rect.left + 24 + 16 * s, marker_y - 4 * s)
            ui.place(title, rect.left + 24 + 116 * s, y - 14 * s)
            tag.draw()
            title.draw()
            y -= line_h + OBJECTIVE_GAP * s

    def _draw_more_objectives(self, rect: arcade.Rect, y: float, hidden: int) -> None:
        """Says how many objectives are below (a long list, a short window or a big UI)."""
        text = t("briefing.more_objectives", count=hidden)
        if self.more_objectives.text != text:
            self.more_objectives.text = text
        ui.place(self.more_objectives, rect.right - 16, rect.bottom + 8)
        self.more_objectives.draw()

    def _draw_map(self, rect: arcade.Rect) -> None:
        self._panel(rect, "map")
        places = self._legend_places(rect)
        legend_h = max(y for _, _, y in places) - rect.bottom + 16 if places else 0
        map_rect = arcade.LRBT(rect.left + 10, rect.right - 10, rect.bottom + legend_h + 6,
                               rect.top - self._header_h - 8)
        self.preview.draw(map_rect)
        for (label, color), (_, x, y) in zip(self.legend, places, strict=True):
            arcade.draw_circle_filled(x + 5, y + 5 * self.scale, 5 * self.scale, color)
            ui.place(label, x + 15, y)
            label.draw()

    def _legend_places(self, rect: arcade.Rect) -> list[tuple[arcade.Text, float, float]]:
        """Legend entries flow left to right and wrap, bottom row first from the bottom."""
        rows: list[list[tuple[arcade.Text, float]]] = [[]]
        x = rect.left + 18
        for label, _color in self.legend:
            width = 15 + label.content_width + 18
            if x + width > rect.right - 10 and rows[-1]:
                rows.append([])
                x = rect.left + 18
            rows[-1].append((label, x))
            x += width
        places = []
        for index, row in enumerate(rows):
            y = rect.bottom + 12 + (len(rows) - 1 - index) * 22 * self.scale
            places += [(label, x, y) for label, x in row]
        return places

    def _draw_roster(self, rect: arcade.Rect) -> None:
        self._panel(rect, "roster")
        columns = self._roster_columns(rect)
        row_h = ROSTER_ROW * self.scale
        y = rect.top - self._header_h - 22 * self.scale
        for label, x in zip(self.roster_head, columns, strict=True):
            ui.place(label, x, y)
            label.draw()
        arcade.draw_line(rect.left + 12, y - 8, rect.right - 12, y - 8, ui.PANEL_BORDER, 1)
        y -= row_h + 6
        room = max(0, int((y - rect.bottom - 8) // row_h) + 1)
        rows = self.roster if len(self.roster) <= room else self.roster_groups
        shown = rows if len(rows) <= room else rows[: max(room - 1, 0)]
        for row in shown:
            for label, x in zip(row, columns, strict=True):
                ui.place(label, x, y)
                label.draw()
            y -= row_h
        hidden = len(rows) - len(shown)
        if hidden:
            text = t("briefing.more_units", count=hidden,
                     personnel=sum(int(r[2].text) for r in rows[len(shown):]))
            if self.more_units.text != text:
                self.more_units.text = text
            ui.place(self.more_units, columns[1], y)
            self.more_units.draw()

    def _roster_columns(self, rect: arcade.Rect) -> list[float]:
        """x of each column: type and name left-aligned, the numbers right-aligned; the
        "ready at" column only when some unit is not ready at the start."""
        w = rect.width
        section, name = rect.left + 18, rect.left + 18 + w * 0.36
        if self.with_ready:
            return [section, name, rect.right - 18 - w * 0.2, rect.right - 18]
        return [section, name, rect.right - 18]

    def _draw_problems(self) -> None:
        rect = arcade.LRBT(MARGIN, self.window.width - MARGIN, self._bottom(),
                           self.window.height - ui.TitleBar.HEIGHT - 3 - GAP)
        ui.draw_panel(rect)
        ui.place(self.problem_text, rect.left + 20, rect.top - 30)
        self.problem_text.draw()

    # --- actions --------------------------------------------------------------------

    def start(self) -> None:
        """Replaces the briefing with the mission."""
        if self.level is None or self.stack is None:
            return
        from command_game.scenes.map import MapScene

        self.stack.replace(MapScene(self.level, self.level_path, seed=self.night.seed,
                                    seed_kind=self.night.kind))

    def on_mouse_scroll(self, x: int, y: int, scroll_x: float, scroll_y: float) -> None:
        rect = self._objectives_rect
        if self.level is not None and rect is not None and rect.point_in_rect((x, y)):
            self.scroll_objectives(-round(scroll_y))

    def relocalized(self) -> BriefingScene:
        return BriefingScene(self.level_path)

    def scroll_objectives(self, rows: int) -> None:
        """Moves the objective list (the wheel, or Page Up / Page Down)."""
        if self.level is not None:
            last = len(self.level.objectives) - 1
            self.objective_offset = int(min(last, max(0, self.objective_offset + rows)))

    def on_key(self, symbol: int, modifiers: int) -> bool | None:
        return ui.run_key(symbol, {arcade.key.ESCAPE: self.go_back,
                                   arcade.key.PAGEDOWN: lambda: self.scroll_objectives(2),
                                   arcade.key.PAGEUP: lambda: self.scroll_objectives(-2)})

    def on_key_press(self, symbol: int, modifiers: int) -> bool | None:
        if self.night is not None and self.night.typing() and symbol not in (
                arcade.key.ENTER, arcade.key.RETURN, arcade.key.ESCAPE):
            return None  # digits typed into the seed field are not shortcuts
        return super().on_key_press(symbol, modifiers)
