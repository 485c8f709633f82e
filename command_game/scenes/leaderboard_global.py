"""The Global tab of the leaderboard: the online board's top runs and the player's rank,
and the debrief's Submit.

Both talk to the server only through `online.background` (a daemon thread with short
timeouts), so a slow or absent server shows a line of text and never holds a frame.
Submissions the server cannot take now wait in the outbox (user data directory) and go
with the next submission or the next time this screen reaches the server.
"""

from __future__ import annotations

from typing import Any

import arcade

from command_game import settings
from command_game.i18n import pick, t
from command_game.level.catalog import campaign, my_levels
from command_game.online import account
from command_game.online.background import Background
from command_game.online.client import BoardClient, BoardClientError
from command_game.scenes import ui
from command_game.scenes.leaderboard import STYLE_SWITCH, STYLE_SWITCH_ON, browse_key
from command_game.speedrun.timing import CATEGORIES, CATEGORY_NAMES

TOP = 10
ROW_H = 34
COLUMNS = ((24, "speedrun.board.col.rank"), (90, "speedrun.board.col.player"),
           (420, "speedrun.board.col.game"), (580, "online.global.col.run"))


def fetch_board(url: str, level_id: str, category: str, player: str) -> dict[str, Any]:
    """Sends what waits in the outbox, then reads the board (runs in a thread)."""
    client = BoardClient(url, timeout=4.0)
    if player and account.waiting(url):
        account.flush(client, player)
    return client.top(level_id, CATEGORY_NAMES[category], player=player or None, limit=TOP)


class GlobalBoardScene(ui.UIScene):
    def __init__(self, level_id: str | None = None, category: str = "any") -> None:
        super().__init__()
        self.levels = [e.level for e in campaign() + my_levels() if e.level is not None]
        ids = [lv.meta.id for lv in self.levels]
        self.level_index = ids.index(level_id) if level_id in ids else 0
        self.category = category if category in CATEGORIES else "any"
        self.call: Background | None = None
        self.board: dict[str, Any] | None = None
        self.status = ""
        self.title_bar = ui.TitleBar(t("speedrun.board.title"), t("online.global.tab"))
        self._build_widgets()
        self.refresh()

    @property
    def level_id(self) -> str | None:
        return self.levels[self.level_index].meta.id if self.levels else None

    def refresh(self) -> None:
        self._style_category_buttons()
        s = settings.current()
        self.board = None
        if not s.board_url:
            self.status = t("online.global.no_board")
        elif self.level_id is not None:
            self.status = t("online.global.loading")
            url, level, cat, me = s.board_url, self.level_id, self.category, s.player_name
            self.call = Background(lambda: fetch_board(url, level, cat, me))
        self._build_texts()

    def _poll(self) -> None:
        call = self.call
        if call is None or not call.done:
            return
        self.call = None
        if isinstance(call.error, BoardClientError):
            self.status = t("online.global.offline", reason=call.error.message)
        elif call.error is not None:
            self.status = t("online.global.offline", reason=str(call.error))
        else:
            self.board = call.value
            self.status = self._rank_line()
        self._build_texts()

    def _rank_line(self) -> str:
        board = self.board or {}
        if not board.get("runs"):
            return t("online.global.empty")
        mine = board.get("player")
        if mine is None:
            return t("online.global.not_ranked")
        return t("online.global.your_rank", rank=mine["rank"], total=board["players_ranked"])

    def on_update(self, delta_time: float) -> None:
        self._poll()

    # --- widgets and texts ----------------------------------------------------------

    def _build_widgets(self) -> None:
        self.category_buttons = {
            cat: ui.button(CATEGORY_NAMES[cat], lambda c=cat: self.set_category(c), width=140,
                           style=STYLE_SWITCH) for cat in CATEGORIES}
        prev = ui.button("<", lambda: self.switch_level(-1), width=48, style=STYLE_SWITCH)
        nxt = ui.button(">", lambda: self.switch_level(1), width=48, style=STYLE_SWITCH)
        back = ui.button(t("speedrun.board.back"), self.go_back, width=200)
        anchor = self.ui.add(arcade.gui.UIAnchorLayout())
        anchor.add(ui.horizontal(*self.category_buttons.values(), space=10), anchor_x="left",
                   align_x=700, anchor_y="top", align_y=-110)
        anchor.add(ui.horizontal(prev, nxt, space=8), anchor_x="left", align_x=24,
                   anchor_y="top", align_y=-110)
        anchor.add(back, anchor_x="right", align_x=-24, anchor_y="bottom", align_y=20)
        self.focus.set_buttons([*self.category_buttons.values(), back])

    def switch_level(self, step: int) -> None:
        if self.levels:
            self.level_index = (self.level_index + step) % len(self.levels)
            self.refresh()

    def set_category(self, category: str) -> None:
        self.category = category
        self.refresh()

    def _style_category_buttons(self) -> None:
        for cat, widget in self.category_buttons.items():
            widget.style = STYLE_SWITCH_ON if cat == self.category else STYLE_SWITCH
            widget.trigger_full_render()

    def _build_texts(self) -> None:
        level = self.levels[self.level_index] if self.levels else None
        self.level_label = ui.text(pick(level.meta.title) if level else "-", 18, ui.TEXT,
                                   font=ui.FONT_DISPLAY, anchor_y="center")
        self.headers = [ui.text(t(key), 12, ui.GOLD, bold=True) for _x, key in COLUMNS]
        me = settings.current().player_name.casefold()
        self.rows = []
        runs = list((self.board or {}).get("runs", []))
        mine = (self.board or {}).get("player")
        if mine and all(r["run_id"] != mine["run_id"] for r in runs):
            runs.append(mine)  # the player's own place, below the top
        for run in runs:
            color = ui.GOLD if run["player"].casefold() == me else ui.TEXT
            values = (f"{run['rank']}.", run["player"], run["time"], f"#{run['run_id']}")
            self.rows.append([ui.text(v, 14, color, font=ui.FONT_MONO if i == 2
                                      else ui.FONT_BODY) for i, v in enumerate(values)])
        waiting = len(account.waiting(settings.current().board_url or None)) \
            if settings.current().board_url else 0
        line = self.status + (("   " + t("online.global.waiting", count=waiting))
                              if waiting else "")
        self.status_label = ui.text(line, 13, ui.INFO)

    def draw_content(self) -> None:
        self._poll()
        w, h = self.window.width, self.window.height
        top = h - ui.TitleBar.HEIGHT - 22
        ui.place(self.level_label, 140, top - 24)
        ui.fit_width(self.level_label, 540, smallest=11)
        self.level_label.draw()
        table = arcade.LBWH(24, 104, min(820, w - 48), top - 104 - 60)
        ui.draw_panel(table, header=36)
        for (x, _key), header in zip(COLUMNS, self.headers, strict=True):
            ui.place(header, table.left + x, table.top - 24)
            header.draw()
        y = table.top - 36 - ROW_H + 8
        for index, row in enumerate(self.rows):
            if index % 2:
                arcade.draw_rect_filled(arcade.LBWH(table.left + 1, y - 10, table.width - 2,
                                                    ROW_H), (22, 36, 60, 255))
            for (x, _key), label in zip(COLUMNS, row, strict=True):
                ui.place(label, table.left + x, y)
                ui.clip_to_width(label, 320)
                label.draw()
            y -= ROW_H
        ui.place(self.status_label, 24, 80)
        ui.clip_to_width(self.status_label, w - 48)
        self.status_label.draw()

    def on_key(self, symbol: int, modifiers: int) -> bool | None:
        return browse_key(self, symbol, {arcade.key.R: self.refresh})

    def relocalized(self) -> GlobalBoardScene:
        return GlobalBoardScene(self.level_id, self.category)


def submit_from_debrief(scene: Any) -> Background | None:
    """The debrief's Submit button: sends its run in the background and writes the outcome
    into the debrief's message line (read each frame)."""
    s = settings.current()
    run = scene.run
    if not s.board_url or not s.player_name or run is None:
        scene.message = t("online.submit.no_board")
        return None
    scene.message = t("online.submit.sending")

    def job() -> None:
        result = account.submit_verified_run(s.board_url, s.player_name, run.replay_path,
                                             run.id)
        if result.ok:
            scene.message = t("online.submit.queued", run=result.run_id)
        elif result.queued_offline:
            scene.message = t("online.submit.offline")
        else:
            scene.message = t("online.submit.refused", reason=result.message)

    return Background(job, name="board-submit")
