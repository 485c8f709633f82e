"""The leaderboard screen: top verified runs per level and category, the personal best with
its splits, and the sum of best segments.

Runs still waiting for verification (the game may have closed while one was being
checked) are re-simulated in the background when the screen opens; the table refreshes
when they finish, so a run appears with its rank as soon as it has been proved. The
player's latest run is marked in the table. Export writes the board (CSV) and the
personal best's splits (LiveSplit .lss) into the user data directory.
"""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import arcade

from command_game.i18n import pick, t
from command_game.level.catalog import campaign, my_levels
from command_game.level.io import level_digest
from command_game.level.models import Level
from command_game.render import layout, ui_scale
from command_game.scenes import ui
from command_game.speedrun import export, record
from command_game.speedrun.replay import ReplayData, ReplayError, read_replay
from command_game.speedrun.segments import END
from command_game.speedrun.store import Leaderboard, RunRecord
from command_game.speedrun.summary import BoardSummary, SegmentLine, summarize
from command_game.speedrun.timing import CATEGORIES, CATEGORY_NAMES, format_time, game_seconds
from command_game.speedrun.verify import LevelIndex, Verdict, resolve_level
from command_game.storage import atomic_write_text
from command_game.userdata import data_dir

log = logging.getLogger(__name__)

TOP = 10
ROW_H = 34
NATURAL = (1240, 640)  # interface units the board needs: table, splits panel, buttons
COLUMNS = (("rank", 24), ("player", 80), ("game", 380), ("real", 520), ("date", 650))


def _body_font(style: dict) -> dict:
    """The house button style in the body font: the display font has no '%', '<' or '>'."""
    return {state: dataclasses.replace(look, font_name=ui.FONT_BODY, font_size=15)
            for state, look in style.items()}


STYLE_SWITCH = _body_font(ui.STYLE_DEFAULT)
STYLE_SWITCH_ON = _body_font(ui.STYLE_PRIMARY)


class LeaderboardScene(ui.UIScene):
    def __init__(self, level_id: str | None = None, category: str = "any",
                 player: str = "player") -> None:
        super().__init__()
        self.board = Leaderboard()
        self.player = player
        self.levels = self._known_levels()
        ids = list(self.levels)
        self.level_index = ids.index(level_id) if level_id in ids else 0
        self.category = category if category in CATEGORIES else "any"
        self.seed_kind: str | None = None  # random or set seeds (apart); first: the latest
        # run's, so a debrief's Leaderboard shows the board its run ranks on
        self.summary: BoardSummary | None = None
        self.latest_id: int | None = None
        self.selected = 0  # the row Watch replay plays
        self.real_clock = False  # T: the splits panel in real time instead of in-game
        self._row_rects: list[arcade.Rect] = []
        self.message = ""
        self._was_verifying = False
        self.title_bar = ui.TitleBar(t("speedrun.board.title"), t("speedrun.board.subtitle"))
        self.fit = self._fit_scale()
        self._build_widgets()
        self.refresh()

    # --- data -----------------------------------------------------------------------

    def _known_levels(self) -> dict[str, Level | None]:
        """Campaign levels in order, then the player's own, then any only the board knows."""
        levels: dict[str, Level | None] = {}
        for entry in campaign() + my_levels():
            if entry.level is not None:
                levels.setdefault(entry.level.meta.id, entry.level)
        index = LevelIndex()
        try:
            for level_id in self.board.level_ids():
                if level_id not in levels:
                    played = [r.level_path for r in reversed(self.board.runs(level_id))]
                    levels[level_id] = index.find(level_id, played)
        except sqlite3.Error as exc:
            self._unreadable(exc)
        return levels

    def _unreadable(self, exc: sqlite3.Error) -> None:
        """The board file cannot be opened (permissions, a full disk): say so, keep going."""
        log.error("leaderboard unreadable: %s", exc)
        self.message = t("speedrun.board.unreadable", file=str(self.board.path),
                         reason=str(exc))

    @property
    def level_id(self) -> str | None:
        ids = list(self.levels)
        return ids[self.level_index] if ids else None

    @property
    def level(self) -> Level | None:
        return self.levels.get(self.level_id) if self.level_id else None

    def refresh(self) -> None:
        """Re-reads the board for the current level and category and rebuilds the texts."""
        self.summary = None
        if self.level_id is not None:
            digest = level_digest(self.level) if self.level is not None else None
            try:
                mine = self.board.runs(self.level_id, player=self.player, digest=digest)
                if self.seed_kind is None:
                    self.seed_kind = mine[-1].seed_kind if mine else "random"
                    self.seed_button.text = t(f"speedrun.board.seed_{self.seed_kind}")
                self.summary = summarize(self.board, self.level_id, self.category,
                                         self.player, TOP, digest, seed_kind=self.seed_kind)
            except sqlite3.Error as exc:
                self._unreadable(exc)
                mine = []
            self.latest_id = mine[-1].id if mine else None
        top = self.summary.top if self.summary else ()
        ids = [r.id for r in top]
        self.selected = ids.index(self.latest_id) if self.latest_id in ids else 0
        self.watch_button.disabled = not top
        self._build_texts()

    def on_enter(self) -> None:
        try:
            pending = self.board.runs(status="pending")
        except sqlite3.Error:
            return  # already said by refresh
        if pending:
            record.verify_pending_in_background(self.board)
            self._was_verifying = True

    def on_update(self, delta_time: float) -> None:
        busy = record.verifying()
        if self._was_verifying and not busy:
            self.refresh()
        self._was_verifying = busy

    # --- widgets --------------------------------------------------------------------

    def _fit_scale(self) -> float:
        """The UI scale, as far as the window holds the table beside the splits panel."""
        w, h = self.window.get_size()
        return max(0.6, min(self.scale, w / NATURAL[0], (h - ui.TitleBar.HEIGHT) / NATURAL[1]))

    def on_resize(self, width: int, height: int) -> None:
        super().on_resize(width, height)
        self.refit(self._fit_scale(), self._rebuild)

    def _rebuild(self) -> None:
        self._build_widgets()
        self.refresh()

    def _build_widgets(self) -> None:
        f = self.fit
        self.prev_button = ui.button("<", lambda: self.switch_level(-1), width=48,
                                     style=STYLE_SWITCH, scale=f)
        self.next_button = ui.button(">", lambda: self.switch_level(1), width=48,
                                     style=STYLE_SWITCH, scale=f)
        self.category_buttons = {
            cat: ui.button(CATEGORY_NAMES[cat], lambda c=cat: self.set_category(c), width=140,
                           style=STYLE_SWITCH, scale=f)
            for cat in CATEGORIES
        }
        self.watch_button = ui.button(t("speedrun.board.watch"), self.watch, width=200, scale=f)
        self.export_button = ui.button(t("speedrun.board.export"), self.export, width=200,
                                       scale=f)
        self.back_button = ui.button(t("speedrun.board.back"), self.go_back, width=200, scale=f)
        self.seed_button = ui.button(t(f"speedrun.board.seed_{self.seed_kind or 'random'}"),
                                     self.toggle_seed_kind,
                                     width=130, style=STYLE_SWITCH, scale=f)
        self.global_button = ui.button(t("online.leaderboard.global"), self.open_global,
                                       width=140, scale=f)
        anchor = self.ui.add(arcade.gui.UIAnchorLayout())
        top = -(ui.TitleBar.HEIGHT + 22 * f)
        anchor.add(ui.horizontal(*self.category_buttons.values(), self.seed_button,
                                 space=round(10 * f)),
                   anchor_x="right", align_x=-24 * f, anchor_y="top", align_y=top)
        anchor.add(ui.horizontal(self.prev_button, self.next_button, space=round(8 * f)),
                   anchor_x="left", align_x=24 * f, anchor_y="top", align_y=top)
        anchor.add(ui.horizontal(self.global_button, self.watch_button, self.export_button,
                                 self.back_button, space=round(14 * f)),
                   anchor_x="right", align_x=-24 * f, anchor_y="bottom", align_y=20)
        self.focus.set_buttons([*self.category_buttons.values(), self.seed_button,
                                self.global_button, self.watch_button,
                                self.export_button, self.back_button])
        self._style_category_buttons()

    def _style_category_buttons(self) -> None:
        ui.mark_chosen(self.category_buttons, self.category, STYLE_SWITCH_ON, STYLE_SWITCH,
                       self.fit)

    def switch_level(self, step: int) -> None:
        if self.levels:
            self.level_index = (self.level_index + step) % len(self.levels)
            self.message = ""
            self.refresh()

    def toggle_seed_kind(self) -> None:
        """Random nights or set seeds: the two boards of a level."""
        self.seed_kind = "set" if self.seed_kind == "random" else "random"
        self.seed_button.text = t(f"speedrun.board.seed_{self.seed_kind}")
        self.refresh()

    def set_category(self, category: str) -> None:
        self.category = category
        self._style_category_buttons()
        self.message = ""
        self.refresh()

    def open_global(self) -> None:
        """The Global tab: the online board for this level and category."""
        from command_game.scenes.leaderboard_global import GlobalBoardScene

        self.stack.push(GlobalBoardScene(self.level_id, self.category))

    def export(self) -> None:
        """Writes the board as CSV and the player's splits as .lss, and says where."""
        if self.level_id is None:
            return
        folder = data_dir() / "exports"
        stem = f"{self.level_id}-{self.category}"
        try:
            rows = export.board_rows(self.board, self.level_id, self.category)
            atomic_write_text(folder / f"{stem}.csv", export.to_csv(rows))
            attempts = self.board.runs(self.level_id, player=self.player)
            atomic_write_text(folder / f"{stem}.lss",
                              export.to_lss(attempts, self.category, self.level))
        except OSError as exc:
            log.exception("leaderboard export failed")
            self.message = t("speedrun.board.export_failed", reason=str(exc))
        else:
            self.message = t("speedrun.board.exported", folder=str(folder))
        self._build_texts()

    def watch(self) -> None:
        """Plays the selected run's replay on the map (the latest or the top run)."""
        top = self.summary.top if self.summary else ()
        if not top:
            return
        run = top[min(self.selected, len(top) - 1)]
        try:
            replay = read_replay(run.replay_path)
        except ReplayError as exc:
            self.message = str(exc)
            self._build_texts()
            return
        found = self._level_for(run, replay)
        if isinstance(found, Verdict):
            self.message = found.message
            self._build_texts()
            return
        from command_game.scenes.replay_viewer import ReplayViewerScene

        path, level = found
        self.stack.push(ReplayViewerScene(replay, level, path, on_done=self._watched))

    def _level_for(self, run: RunRecord, replay: ReplayData) -> tuple[Path | None, Level] | Verdict:
        if self.level is not None and level_digest(self.level) == replay.level_digest:
            return None, self.level
        played = Path(run.level_path) if run.level_path else None
        return resolve_level(run.replay_path, replay, LevelIndex(),
                             played if played and played.exists() else None)

    def _watched(self, matches: bool) -> None:
        self.message = t("speedrun.board.watched_ok" if matches else "speedrun.board.watched_bad")
        self._build_texts()

    # --- texts ----------------------------------------------------------------------

    def _build_texts(self) -> None:
        level = self.level
        name = pick(level.meta.title) if level else (self.level_id or t("speedrun.board.none"))
        self.level_label = ui.text(name, 18, ui.TEXT, font=ui.FONT_DISPLAY, anchor_y="center")
        self.headers = [ui.text(t(f"speedrun.board.col.{key}"), 12, ui.GOLD, bold=True)
                        for key, _ in COLUMNS]
        self.rows = [self._row_texts(rank, run) for rank, run in
                     enumerate(self.summary.top if self.summary else (), 1)]
        self.empty = ui.text(t("speedrun.board.empty"), 14, ui.TEXT_MUTED)
        self.side = self._side_texts()
        self.status = ui.text(self._status_line(), 12, ui.INFO)
        # wraps downward beside the buttons: every key it names is read
        self.hint = ui.text(t("speedrun.board.hint"), 11, ui.TEXT_MUTED, width=300,
                            anchor_y="top")

    def _row_texts(self, rank: int, run: RunRecord) -> list[arcade.Text]:
        color = ui.GOLD if run.id == self.latest_id else ui.TEXT
        values = (f"{rank}.", run.player, format_time(run.game_time_s),
                  format_time(run.real_time_s), run.recorded_at[:16].replace("T", " "))
        labels = [ui.text(v, 14, color, font=ui.FONT_MONO if i in (2, 3) else ui.FONT_BODY)
                  for i, v in enumerate(values)]
        # a name as wide as the board allows (the store keeps 32 characters) ends in an
        # ellipsis before the time column, never under it
        ui.clip_to_width(labels[1], COLUMNS[2][1] - COLUMNS[1][1] - 14)
        return labels

    def _side_texts(self) -> list[tuple[arcade.Text, int]]:
        """(text, gap above it) lines of the personal-best panel; a split's times ride on
        the same line as its name, right-aligned (see _draw_side)."""
        s = self.summary
        self.split_times: dict[int, arcade.Text] = {}
        lines: list[tuple[arcade.Text, int]] = [
            (ui.text(t("speedrun.board.pb_title", player=self.player), 15, ui.GOLD,
                     font=ui.FONT_DISPLAY), 0)]
        if s is None or s.personal_best is None:
            lines.append((ui.text(t("speedrun.board.pb_none"), 13, ui.TEXT_MUTED), 14))
            if s is not None and s.attempts:
                lines.append((self._attempts_text(s), 8))
            return lines
        pb = s.personal_best
        lines.append((ui.text(t("speedrun.board.pb", time=format_time(pb.game_time_s),
                                rank=s.personal_rank), 16, ui.TEXT, bold=True), 14))
        lines.append((ui.text(t("speedrun.board.pb_real", time=format_time(pb.real_time_s),
                                date=pb.recorded_at[:10]), 12, ui.TEXT_MUTED), 8))
        lines.append((self._attempts_text(s), 8))
        lines.append((ui.text(t("speedrun.board.splits_real" if self.real_clock
                                else "speedrun.board.splits"), 13, ui.GOLD), 18))
        for seg in s.segments:
            label = export.segment_name(seg.name, self.level) if seg.name != END \
                else t("speedrun.segment.end")
            split, best = self._split_pair(seg)
            self.split_times[len(lines)] = ui.text(
                t("speedrun.board.split_times", split=split, best=best), 12, ui.TEXT,
                font=ui.FONT_MONO, anchor_x="right")
            lines.append((ui.text(label, 12, ui.TEXT_MUTED), 8))
        sob = s.sum_of_best_real_s if self.real_clock else (
            game_seconds(s.sum_of_best_ticks) if s.sum_of_best_ticks is not None else None)
        lines.append((ui.text(t("speedrun.board.sob", time=format_time(sob)), 14, ui.GOOD,
                              bold=True), 18))
        return lines

    def _split_pair(self, seg: SegmentLine) -> tuple[str, str]:
        """The personal best's split and the best segment, on the clock being shown."""
        if self.real_clock:
            return format_time(seg.pb_real_s), format_time(seg.best_real_s)
        split = game_seconds(seg.pb_split_ticks) if seg.pb_split_ticks is not None else None
        best = game_seconds(seg.best_ticks) if seg.best_ticks is not None else None
        return format_time(split), format_time(best)

    def toggle_clock(self) -> None:
        """Splits in real time or in-game time, like LiveSplit's timing method switch."""
        self.real_clock = not self.real_clock
        self._build_texts()

    def _attempts_text(self, s: BoardSummary) -> arcade.Text:
        return ui.text(t("speedrun.board.attempts", attempts=s.attempts, completed=s.completed),
                       12, ui.TEXT_MUTED)

    def _status_line(self) -> str:
        parts = [self.board.notice] if self.board.notice else []
        s = self.summary
        if s is not None and s.pending:
            parts.append(t("speedrun.board.pending", count=s.pending))
        if s is not None and s.invalid:
            parts.append(t("speedrun.board.invalid", count=s.invalid))
        if s is not None and s.other_versions:
            parts.append(t("speedrun.board.other_versions", count=s.other_versions))
        if self.message:
            parts.append(self.message)
        return "   ".join(parts)

    # --- drawing --------------------------------------------------------------------

    def draw_content(self) -> None:
        """The table and the splits panel in interface units (pixels over the fit)."""
        f = self.fit
        w, h = self.window.get_size()
        with ui_scale.camera(f, w, h).activate(), layout.scaled(f, "board"), \
                ui_scale.pixel_grid(f):
            self._draw_board(w / f, h / f, (ui.TitleBar.HEIGHT + 22) / f + 22)
        self.window.default_camera.use()

    def on_mouse_press(self, x: int, y: int, button: int, modifiers: int) -> bool | None:
        """A click on a row selects the run Watch replay plays."""
        ux, uy = x / self.fit, y / self.fit
        for index, rect in enumerate(self._row_rects):
            if rect.left <= ux <= rect.right and rect.bottom <= uy <= rect.top:
                self.selected = index
                return True
        return None

    def _draw_board(self, w: float, h: float, header: float) -> None:
        top = h - header + 22
        ui.place(self.level_label, 140, top - 24)
        switches = len(CATEGORIES) * 150 + 130 + 24  # the category and seed buttons, right
        ui.fit_width(self.level_label, min(540, w - switches - 140 - 16), smallest=11)
        self.level_label.draw()
        bottom = (20 + 48 * self.fit) / self.fit + 40
        table = arcade.LBWH(24, bottom, min(820, w - 420), top - bottom - 60)
        ui.draw_panel(table, header=36)
        for (_key, x), header in zip(COLUMNS, self.headers, strict=True):
            ui.place(header, table.left + x, table.top - 24)
            header.draw()
        y = table.top - 36 - ROW_H + 8
        self._row_rects = []
        for index, row in enumerate(self.rows):
            rect = arcade.LBWH(table.left + 1, y - 10, table.width - 2, ROW_H)
            self._row_rects.append(rect)
            if index % 2:
                arcade.draw_rect_filled(rect, (22, 36, 60, 255))
            if index == self.selected:
                arcade.draw_rect_outline(rect, ui.GOLD_DIM, 1)
            for (_key, x), label in zip(COLUMNS, row, strict=True):
                ui.place(label, table.left + x, y)
                label.draw()
            y -= ROW_H
        if not self.rows:
            ui.place(self.empty, table.left + 24, table.top - 80)
            self.empty.draw()
        self._draw_side(arcade.LBWH(table.right + 20, bottom, w - table.right - 44, table.height))
        ui.place(self.status, 24, bottom - 24)
        ui.clip_to_width(self.status, w - 48)
        self.status.draw()
        self.hint.width = int(max(120, w - 48 - (140 + 3 * 200 + 3 * 14 + 24)))
        ui.place(self.hint, 24, bottom - 30)
        self.hint.draw()

    def _draw_side(self, rect: arcade.Rect) -> None:
        ui.draw_panel(rect)
        y = rect.top - 30
        for index, (label, gap) in enumerate(self.side):
            y -= gap
            if y < rect.bottom + 10:
                break
            times = self.split_times.get(index)
            room = rect.width - 30
            if times is not None:
                ui.place(times, rect.right - 14, y)
                times.draw()
                room -= times.content_width + 12
            ui.place(label, rect.left + 18, y)
            ui.clip_to_width(label, room)
            label.draw()
            y -= label.content_height

    # --- keys -----------------------------------------------------------------------

    def on_key(self, symbol: int, modifiers: int) -> bool | None:
        return browse_key(self, symbol, {arcade.key.T: self.toggle_clock})

    def relocalized(self) -> LeaderboardScene:
        return LeaderboardScene(self.level_id, self.category, self.player)


def browse_key(scene: Any, symbol: int,
               more: dict[int, Callable[[], object]] | None = None) -> bool | None:
    """The keys every board screen (this one and the online Global tab) shares: Esc goes
    back, Left/Right show another level, C the next category; `more` adds a screen's own."""
    cats = list(CATEGORIES)
    return ui.run_key(symbol, {
        arcade.key.ESCAPE: scene.go_back,
        arcade.key.LEFT: lambda: scene.switch_level(-1),
        arcade.key.RIGHT: lambda: scene.switch_level(1),
        arcade.key.C: lambda: scene.set_category(
            cats[(cats.index(scene.category) + 1) % len(cats)]),
        **(more or {}),
    })
