"""Level select: the campaign in order with what is open and the personal bests, then the
player's own levels ("My levels").

Selecting a row shows that level's map preview and details on the right; the briefing
opens from there (button, Enter, or a second click on the selected row). Locked levels
say which win opens them and cannot be started. A level file that does not load is
listed with its error rather than hidden, so an author sees why it is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import arcade
import arcade.gui

from command_game import progress as campaign_progress
from command_game.i18n import pick, t
from command_game.level.catalog import LevelEntry, campaign, my_levels
from command_game.render.preview import MapPreview
from command_game.scenes import ui

ROW_HEIGHT = 58
HEADER_HEIGHT = 34
LIST_LEFT = 40


@dataclass
class Row:
    """One level in the list: its entry, whether it can be played and why not."""

    entry: LevelEntry
    section: str  # "campaign" | "mine"
    number: int
    open: bool
    locked_by: str | None = None  # title of the level whose win opens it

    @property
    def broken(self) -> bool:
        return self.entry.level is None

    @property
    def playable(self) -> bool:
        return self.open and not self.broken


class LevelSelectScene(ui.UIScene):
    def __init__(self) -> None:
        super().__init__()
        self.title_bar = ui.TitleBar(t("select.title"))
        self.selected: int | None = None
        self.scroll = 0
        self._was_open: set[str] | None = None  # levels open at the last refresh
        self._visible: list[int] = []
        self._placed: list[tuple[str, object, float]] = []
        self._make_static_widgets()
        self.refresh()

    def refresh(self) -> None:
        """(Re)reads progress and the level folders: after a mission, a win opens levels."""
        for index in self._visible:
            self.ui.remove(self._row_buttons[index])
        self._visible = []
        self.progress = campaign_progress.load_progress()
        self.rows = self._build_rows()
        self.title_bar.set(t("select.title"), self._summary())
        self._row_buttons = [self._row_button(i) for i in range(len(self.rows))]
        self.list_width: float | None = None  # texts are (re)made for the width in layout
        self._previews: dict[int, MapPreview] = {}
        self._details_for: int | None = None
        self._details: list[tuple[arcade.Text, float]] = []
        fresh = self.selected is None or self.selected >= len(self.rows)
        keep = self._next_to_play() if fresh else self.selected
        opened = [i for i, r in enumerate(self.rows) if r.open and self._was_open is not None
                  and r.entry.level_id not in self._was_open]
        if opened:  # a win opened the next level: that is where the player goes now
            keep = opened[0]
        self._was_open = {r.entry.level_id for r in self.rows if r.open}
        self.selected = keep if self.rows else None
        self._update_brief_button()
        self._layout_rows()
        if (opened or fresh) and self.rows:
            self._scroll_to(keep)

    def _next_to_play(self) -> int:
        """Where a fresh list starts: the first open campaign level not won yet (back from
        a won night's debrief, the level it opened), else the first."""
        return next((i for i, r in enumerate(self.rows) if r.section == "campaign"
                     and r.playable and not self.progress.is_won(r.entry.level_id)), 0)

    # --- data -----------------------------------------------------------------------

    def _build_rows(self) -> list[Row]:
        entries = campaign()
        levels = [e.level for e in entries]
        state = campaign_progress.unlocked(levels, self.progress)
        titles = {lvl.meta.id: pick(lvl.meta.title) for lvl in levels}
        rows = []
        for n, entry in enumerate(entries, start=1):
            opener = campaign_progress.unlocked_by(levels, entry.level_id)
            rows.append(Row(entry, "campaign", n, state[entry.level_id],
                            None if state[entry.level_id] else titles.get(opener, opener)))
        for n, entry in enumerate(my_levels(), start=1):
            rows.append(Row(entry, "mine", n, True))
        return rows

    def _summary(self) -> str:
        camp = [r for r in self.rows if r.section == "campaign"]
        won = sum(self.progress.is_won(r.entry.level_id) for r in camp)
        summary = t("select.summary", won=won, total=len(camp))
        if self.progress.reputation is not None:  # the Polres's trust carried between nights
            summary += "   ·   " + t("select.reputation", trust=round(self.progress.reputation))
        return summary

    # --- widgets --------------------------------------------------------------------

    def _row_button(self, index: int) -> arcade.gui.UIFlatButton:
        return ui.button("", lambda: self.click_row(index), width=640,
                         height=ROW_HEIGHT - 6, style=ui.STYLE_ROW, scale=self.scale)

    def _row_texts(self, row: Row) -> dict[str, arcade.Text]:
        entry = row.entry
        if row.broken:
            title = entry.path.name
            sub = _first_problem(entry)
        else:
            meta = entry.level.meta
            title = pick(meta.title)
            sub = f"{meta.region}  ·  {t('menus.phase.' + meta.phase)}"
        color = ui.GOLD if row.section == "campaign" else ui.INFO
        number = f"{row.number:02d}" if row.open else ""  # a locked row shows a padlock
        return {
            "number": self.label(number, 18, color, font=ui.FONT_DISPLAY, anchor_y="center"),
            "title": self.label(title, 14, ui.TEXT if row.open else ui.TEXT_MUTED, bold=True),
            "sub": self.label(sub, 11, ui.BAD if row.broken else ui.TEXT_MUTED),
            "status": self.label(self._status(row), 12, self._status_color(row),
                              font=ui.FONT_DISPLAY, anchor_x="right"),
            "best": self.label(self._best_text(row), 11, ui.TEXT_MUTED, anchor_x="right"),
        }

    def _status(self, row: Row) -> str:
        if row.broken:
            return t("select.status.broken")
        if not row.open:
            return t("select.status.locked")
        if self.progress.is_won(row.entry.level_id):
            return t("select.status.won")
        return t("select.status.new") if row.section == "campaign" else t("select.status.custom")

    def _status_color(self, row: Row):
        if row.broken:
            return ui.BAD
        if not row.open:
            return ui.TEXT_MUTED
        return ui.GOOD if self.progress.is_won(row.entry.level_id) else ui.INFO

    def _best_text(self, row: Row) -> str:
        best = None if row.broken else self.progress.best(row.entry.level_id)
        return t("select.best", time=ui.format_time(best.time_s)) if best else ""

    def _make_static_widgets(self) -> None:
        self.back_button = ui.button(t("menus.back"), self.go_back, width=160, scale=self.scale)
        self.brief_button = ui.button(t("select.open_briefing"), self.open_briefing,
                                      width=260, style=ui.STYLE_PRIMARY, scale=self.scale)
        anchor = self.ui.add(arcade.gui.UIAnchorLayout())
        anchor.add(self.back_button, anchor_x="left", align_x=LIST_LEFT, anchor_y="bottom",
                   align_y=24)
        anchor.add(self.brief_button, anchor_x="right", align_x=-40, anchor_y="bottom",
                   align_y=24)
        self.edit_button = ui.button(t("select.edit"), self.open_editor, width=160,
                                     scale=self.scale)
        anchor.add(self.edit_button, anchor_x="right", align_x=-60 - 260 * self.scale,
                   anchor_y="bottom", align_y=24)

    def _make_static_texts(self) -> None:
        self.headers = {
            "campaign": self.label(t("select.campaign"), 13, ui.GOLD, font=ui.FONT_DISPLAY),
            "mine": self.label(t("select.my_levels"), 13, ui.GOLD, font=ui.FONT_DISPLAY),
        }
        width = int(self.list_width)
        self.empty_mine = self.label(t("select.no_my_levels"), 11, ui.TEXT_MUTED, width=width)
        self.more_above = self.label(t("select.more_above"), 11, ui.TEXT_MUTED, anchor_x="right")
        self.more_below = self.label(t("select.more_below"), 11, ui.TEXT_MUTED, anchor_x="right")
        notice = self.progress.notice
        message = ""
        if notice is not None:
            backup = notice.backup.name if notice.backup else "-"
            message = t("select.progress_reset", reason=notice.reason, backup=backup)
        self.notice = self.label(message, 11, ui.BAD, width=width)

    # --- list layout ----------------------------------------------------------------

    def _list_items(self) -> list[tuple[str, object]]:
        """Headers and rows in display order: ('header', section) or ('row', index)."""
        items: list[tuple[str, object]] = [("header", "campaign")]
        items += [("row", i) for i, r in enumerate(self.rows) if r.section == "campaign"]
        items.append(("header", "mine"))
        mine = [("row", i) for i, r in enumerate(self.rows) if r.section == "mine"]
        items += mine or [("empty", None)]
        return items

    def _list_top(self) -> float:
        top = self.window.height - ui.TitleBar.HEIGHT - 24
        return top - (self.notice.content_height + 10 if self.notice.text else 0)

    def _list_bottom(self) -> float:
        """Above the Back and Open briefing buttons."""
        return 48 + 48 * self.scale

    def _fit_to_window(self) -> None:
        """The list takes about half the window; its texts are clipped to that width."""
        width = min(640.0 * self.scale, max(420.0, (self.window.width - 120) * 0.55))
        if width == self.list_width:
            return
        self.list_width = width
        self._row_labels = [self._row_texts(row) for row in self.rows]
        s = self.scale
        rooms = [width - (70 + 32) * s - labels["status"].content_width
                 for labels in self._row_labels]
        for labels, room in zip(self._row_labels, rooms, strict=True):  # the size every
            ui.fit_width(labels["title"], room, smallest=round(12 * s))  # title fits at
        size = min((labels["title"].font_size for labels in self._row_labels), default=0)
        for labels, room in zip(self._row_labels, rooms, strict=True):  # one size for all
            labels["title"].font_size = size
            ui.clip_to_width(labels["title"], room)
            ui.clip_to_width(labels["sub"], width - (70 + 32) * s - labels["best"].content_width)
        self._make_static_texts()
        self._details_for = None

    def _layout_rows(self) -> None:
        """Places the visible row buttons; rows scrolled out of view leave the UI."""
        self._fit_to_window()
        for index in self._visible:
            self.ui.remove(self._row_buttons[index])
        self._visible = []
        self._placed: list[tuple[str, object, float]] = []
        y = self._list_top()
        items = self._list_items()[self.scroll:]
        for kind, value in items:
            height = (ROW_HEIGHT if kind == "row" else HEADER_HEIGHT) * self.scale
            if y - height < self._list_bottom():
                break
            y -= height
            self._placed.append((kind, value, y))
            if kind == "row":
                widget = self._row_buttons[value]
                widget.rect = arcade.LBWH(LIST_LEFT, y + 3, self.list_width,
                                          ROW_HEIGHT * self.scale - 6)
                widget.style = ui.STYLE_ROW_SELECTED if value == self.selected else ui.STYLE_ROW
                widget.trigger_full_render()
                self.ui.add(widget)
                self._visible.append(value)
        self._hidden_below = len(self._placed) < len(items)
        self._layout_size = (self.window.width, self.window.height)

    def _scroll_to(self, index: int) -> None:
        """Scrolls just enough that row `index` is fully in view."""
        position = self._list_items().index(("row", index))
        if position <= self.scroll:
            self.scroll = max(0, position - 1)  # keep a section header above the row
        self._layout_rows()
        while index not in self._visible and self.scroll < position:
            self.scroll += 1
            self._layout_rows()

    def on_mouse_scroll(self, x: int, y: int, scroll_x: float, scroll_y: float) -> None:
        if x > LIST_LEFT + self.list_width + 10:
            return
        most = max(0, len(self._list_items()) - 1)
        self.scroll = int(min(most, max(0, self.scroll - scroll_y)))
        self._layout_rows()

    # --- drawing --------------------------------------------------------------------

    def draw_content(self) -> None:
        if self._layout_size != (self.window.width, self.window.height):
            self._layout_rows()
        if self.notice.text:
            ui.place(self.notice, LIST_LEFT, self.window.height - ui.TitleBar.HEIGHT - 30)
            self.notice.draw()
        for kind, value, y in self._placed:
            if kind == "header":
                ui.place(self.headers[value], LIST_LEFT + 4, y + 10 * self.scale)
                self.headers[value].draw()
                arcade.draw_line(LIST_LEFT + 4, y + 4, LIST_LEFT + self.list_width, y + 4,
                                 ui.GOLD_DIM, 1)
            elif kind == "empty":
                ui.place(self.empty_mine, LIST_LEFT + 8, y + (HEADER_HEIGHT - 12) * self.scale)
                self.empty_mine.draw()
        self._draw_scroll_hints()

    def draw_over(self) -> None:
        self._draw_details()
        for index in self._visible:
            self._draw_row_texts(index)

    def _draw_scroll_hints(self) -> None:
        right = LIST_LEFT + self.list_width
        if self.scroll > 0:
            ui.place(self.more_above, right, self._list_top() + 4)
            self.more_above.draw()
        if self._hidden_below:
            ui.place(self.more_below, right, self._list_bottom() - 14)
            self.more_below.draw()

    def _draw_row_texts(self, index: int) -> None:
        rect = self._row_buttons[index].rect
        row, labels = self.rows[index], self._row_labels[index]
        mid, s = rect.bottom + rect.height / 2, self.scale
        ui.place(labels["number"], rect.left + 16 * s, mid)
        ui.place(labels["title"], rect.left + 70 * s, mid + 4 * s)
        ui.place(labels["sub"], rect.left + 70 * s, mid - 16 * s)
        ui.place(labels["status"], rect.right - 16 * s, mid + 4 * s)
        ui.place(labels["best"], rect.right - 16 * s, mid - 16 * s)
        for label in labels.values():
            label.draw()
        if not row.open:
            ui.draw_lock(rect.left + 34 * s, mid, 10 * s, ui.TEXT_MUTED)

    def _details_rect(self) -> arcade.Rect:
        left = LIST_LEFT + self.list_width + 40
        top = self.window.height - ui.TitleBar.HEIGHT - 24
        return arcade.LRBT(left, self.window.width - 40, self._list_bottom(), top)

    def _draw_details(self) -> None:
        rect = self._details_rect()
        if rect.width < 200:
            return
        ui.draw_panel(rect)
        if self.selected is None:
            return
        row = self.rows[self.selected]
        map_rect = arcade.LBWH(rect.left + 12, rect.top - 12 - rect.height * 0.46,
                               rect.width - 24, rect.height * 0.46)
        if not row.broken:
            preview = self._previews.setdefault(self.selected, MapPreview(row.entry.level))
            preview.draw(map_rect)
            arcade.draw_rect_outline(map_rect, ui.PANEL_BORDER, 1)
        if self._details_for != self.selected:
            self._details = self._detail_texts(row, rect.width - 40)
            self._details_for = self.selected
        y = (map_rect.bottom if not row.broken else rect.top) - 30 * self.scale
        for index, (label, gap) in enumerate(self._details):
            if not label.multiline:
                ui.fit_width(label, rect.width - 40)
            last = index == len(self._details) - 1
            if y - label.content_height - (0 if last else 20 * self.scale) < rect.bottom + 6:
                self._draw_more_splits(rect, y, len(self._details) - index)
                break
            ui.place(label, rect.left + 20, y)
            label.draw()
            gap *= self.scale
            y -= label.content_height + gap if label.multiline else gap

    def _draw_more_splits(self, rect: arcade.Rect, y: float, hidden: int) -> None:
        """The lines that do not fit (splits of a long level at a big UI scale)."""
        text = t("select.more_lines", count=hidden)
        if getattr(self, "_more_lines", None) is None:
            self._more_lines = self.label("", 11, ui.TEXT_MUTED)
        if self._more_lines.text != text:
            self._more_lines.text = text
        ui.place(self._more_lines, rect.left + 20, max(y - 14 * self.scale, rect.bottom + 8))
        self._more_lines.draw()

    def _detail_texts(self, row: Row, width: float) -> list[tuple[arcade.Text, float]]:
        """The lines of the details panel and the space below each."""
        w = int(width)
        if row.broken:
            return [
                (self.label(row.entry.path.name, 16, ui.TEXT, bold=True), 26),
                (self.label(t("select.broken_help"), 12, ui.TEXT_MUTED, width=w), 12),
                (self.label(str(row.entry.error), 11, ui.BAD, width=w, font=ui.FONT_MONO), 0),
            ]
        meta = row.entry.level.meta
        lines = [
            (self.label(pick(meta.title), 17, ui.TEXT, bold=True), 24),
            (self.label(f"{meta.region}  ·  {t('menus.phase.' + meta.phase)}", 12,
                     ui.TEXT_MUTED), 22),
            (self.label(t("select.facts", difficulty=_stars(meta.difficulty),
                       par=ui.format_time(meta.par_time_s)), 12, ui.TEXT), 20),
            (self.label(_forces(row.entry.level), 12, ui.TEXT), 28),
        ]
        if not row.open:
            lines.append((self.label(t("select.locked_by", level=row.locked_by), 12, ui.BAD,
                                  width=w), 10))
            return lines
        best = self.progress.best(row.entry.level_id)
        if best is None:
            lines.append((self.label(t("select.no_best"), 12, ui.TEXT_MUTED), 20))
            return lines
        lines.append((self.label(t("select.personal_best", time=ui.format_time(best.time_s)), 13,
                              ui.GOLD, bold=True), 20))
        titles = {o.id: pick(o.title) for o in row.entry.level.objectives}
        for objective_id, split in best.splits.items():
            name = titles.get(objective_id, objective_id)
            label = self.label(f"{ui.format_time(split):>9}   {name}", 11, ui.TEXT_MUTED,
                            font=ui.FONT_MONO)
            ui.clip_to_width(label, width)
            lines.append((label, 17))
        return lines

    # --- actions --------------------------------------------------------------------

    def click_row(self, index: int) -> None:
        """First click selects a level; clicking the selected level opens its briefing."""
        if index == self.selected:
            self.open_briefing()
        else:
            self.select(index)

    def select(self, index: int) -> None:
        self.selected = index
        self._update_brief_button()
        self._scroll_to(index)

    def _update_brief_button(self) -> None:
        row = self.rows[self.selected] if self.selected is not None else None
        self.brief_button.disabled = row is None or not row.playable
        # only the player's own levels are edited here; campaign levels are not theirs to
        # overwrite (the editor opens copies of them from its own file dialog)
        self.edit_button.disabled = row is None or row.section != "mine"

    def open_briefing(self) -> None:
        """Opens the selected level's briefing, if it can be played."""
        if self.selected is None or not self.rows[self.selected].playable:
            return
        from command_game.scenes.briefing import BriefingScene

        self.stack.push(BriefingScene(self.rows[self.selected].entry.path))

    def open_editor(self) -> None:
        """Opens the selected level of "My levels" in the editor, broken ones too: the
        editor shows their problems and lets the author fix them."""
        row = self.rows[self.selected] if self.selected is not None else None
        if row is None or row.section != "mine":
            return
        from command_game.scenes.editor import EditorScene

        self.stack.push(EditorScene(row.entry.path))

    def on_return(self) -> None:
        """Back from a briefing or a mission: progress may have changed."""
        self.refresh()

    def relocalized(self) -> LevelSelectScene:
        fresh = LevelSelectScene()
        if self.selected is not None and self.selected < len(fresh.rows):
            fresh.select(self.selected)
        return fresh

    def on_key(self, symbol: int, modifiers: int) -> bool | None:
        if symbol == arcade.key.ESCAPE:
            self.go_back()
        elif symbol in (arcade.key.UP, arcade.key.DOWN) and self.rows:
            step = -1 if symbol == arcade.key.UP else 1
            current = self.selected if self.selected is not None else -step
            self.select(max(0, min(len(self.rows) - 1, current + step)))
        elif symbol in (arcade.key.ENTER, arcade.key.RETURN, arcade.key.NUM_ENTER):
            self.open_briefing()
        else:
            return None
        return True


def _first_problem(entry: LevelEntry) -> str:
    if entry.error and entry.error.problems:
        problem = entry.error.problems[0]
        return f"{problem.path}: {problem.message}"
    return str(entry.error or "")


def _forces(level) -> str:
    required = sum(not o.optional for o in level.objectives)
    return t("select.forces", units=len(level.units),
             personnel=sum(u.personnel for u in level.units), required=required,
             optional=len(level.objectives) - required)


def _stars(difficulty: int) -> str:
    return "●" * difficulty + "○" * (5 - difficulty)
