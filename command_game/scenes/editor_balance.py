"""The editor's balance view: the balance table of the level being edited.

The same reference commanders as ``command-game balance`` (``sim/policies.py``: none,
random, brute force, checklist, type-blind, autopilot) play the level as it stands in
the editor, on request (R or Run), over 1-5 seeds (+ and -). The runs go to one worker
process, so the editor keeps drawing while they play; each row appears when its run is
done, and once all are in, the balance conditions are checked on them. Esc or Back
returns (and stops the runs still waiting).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

import arcade
from arcade.gui import UIManager

from command_game.i18n import t
from command_game.level.models import Level
from command_game.scenes import ui
from command_game.scenes.editor_panel import WidgetGroup, flat
from command_game.scenes.stack import Scene
from command_game.sim.policies import POLICIES, check, run_one

MAX_SEEDS = 5


class BalanceRun:
    """The policies' runs of one level, played in a worker process in table order."""

    def __init__(self, level: Level, policies: tuple[str, ...], seeds: int) -> None:
        self.pool = ProcessPoolExecutor(max_workers=1,
                                        mp_context=multiprocessing.get_context("spawn"))
        self.futures: list[Future] = [self.pool.submit(run_one, level, policy, seed)
                                      for policy in policies for seed in range(seeds)]

    def rows(self) -> list[dict]:
        """The rows finished so far, in table order (up to the first still running)."""
        out = []
        for future in self.futures:
            if not future.done():
                break
            out.append(future.result())
        return out

    @property
    def done(self) -> bool:
        return all(f.done() for f in self.futures)

    def stop(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


class EditorBalanceScene(Scene):
    def __init__(self, editor: Any, policies: tuple[str, ...] = tuple(POLICIES)) -> None:
        super().__init__()
        ui.load_fonts()
        self.editor = editor
        self.policies = policies
        self.seeds = 1
        self.run: BalanceRun | None = None
        self.shown = -1  # rows drawn so far (the table is re-laid out when it grows)
        self.ui = UIManager()
        self._buttons = WidgetGroup(self.ui)
        self.title = ui.text(t("editor.balance.title"), 16, ui.GOLD, font=ui.FONT_DISPLAY)
        self.status = ui.text("", 11, ui.TEXT_MUTED, width=self.window.width - 40)
        self.table = ui.text("", 11, ui.TEXT, font=ui.FONT_MONO, width=self.window.width - 40)
        self._build()
        self._say_idle()

    # --- actions --------------------------------------------------------------------
    def start(self) -> bool:
        """Plays the level as edited now; refused while the level has errors."""
        level = getattr(self.editor, "level", None)
        if level is None:
            self.status.text = t("editor.balance.invalid")
            return False
        self.stop()
        self.run = BalanceRun(level.model_copy(deep=True), self.policies, self.seeds)
        self.shown = -1
        return True

    def stop(self) -> None:
        if self.run is not None:
            self.run.stop()

    def more_seeds(self, step: int) -> None:
        self.seeds = min(MAX_SEEDS, max(1, self.seeds + step))
        self._say_idle()

    def back(self) -> None:
        self.stop()
        if self.stack is not None and self.stack.top is self:
            self.stack.pop()

    # --- the table ------------------------------------------------------------------
    def on_update(self, delta_time: float) -> None:
        if self.run is None:
            return
        rows = self.run.rows()
        if len(rows) == self.shown:
            return
        self.shown = len(rows)
        self.table.text = "\n".join([_head()] + [_row(r) for r in rows])
        total = len(self.run.futures)
        if len(rows) < total:
            self.status.text = t("editor.balance.running", done=len(rows), total=total)
            return
        verdicts = check(rows)
        failing = [claim for claim, holds, _ in verdicts if not holds]
        self.status.text = t("editor.balance.verdicts", held=len(verdicts) - len(failing),
                             total=len(verdicts)) + "".join(
            "   " + t("editor.balance.fails", claim=c) for c in failing)

    def _say_idle(self) -> None:
        if self.run is None:
            self.status.text = t("editor.balance.hint", seeds=self.seeds,
                                 runs=self.seeds * len(self.policies))

    # --- scene ----------------------------------------------------------------------
    def _build(self) -> None:
        self._buttons.clear()
        for i, (key, action) in enumerate((("editor.balance.run", self.start),
                                           ("editor.balance.back", self.back))):
            self._buttons.add(flat(t(key), action, 20 + i * 190, 20, 180, 32))

    def on_show_view(self) -> None:
        self.ui.enable()

    def on_hide_view(self) -> None:
        self.ui.disable()

    def on_draw(self) -> None:
        self.clear(color=ui.BACKGROUND)
        h = self.window.height
        ui.place(self.title, 20, h - 40)
        self.title.draw()
        ui.place(self.status, 20, h - 70)
        self.status.draw()
        ui.place(self.table, 20, h - 110)
        self.table.draw()
        self.ui.draw()

    def on_key_press(self, symbol: int, modifiers: int) -> bool | None:
        keys = {arcade.key.R: self.start, arcade.key.ESCAPE: self.back,
                arcade.key.PLUS: lambda: self.more_seeds(1),
                arcade.key.EQUAL: lambda: self.more_seeds(1),
                arcade.key.NUM_ADD: lambda: self.more_seeds(1),
                arcade.key.MINUS: lambda: self.more_seeds(-1),
                arcade.key.NUM_SUBTRACT: lambda: self.more_seeds(-1)}
        if symbol in keys:
            keys[symbol]()
            return True
        return None


COLUMNS = (("policy", 10), ("seed", 4), ("outcome", 8), ("reason", 17), ("time", 5),
           ("low_index", 7), ("trust", 6), ("score", 6))


def _head() -> str:
    return " ".join(f"{t('editor.balance.col.' + name)[:width]:<{width}}"
                    for name, width in COLUMNS)


def _row(r: dict) -> str:
    outcome = t(f"editor.balance.{r['outcome']}") if r["outcome"] in ("won", "lost") \
        else r["outcome"]
    return (f"{r['policy']:<10} {r['seed']:<4} {outcome[:8]:<8} {r['reason'][:17]:<17} "
            f"{r['time_s']:<5.0f} {r['lowest_index']:<7.1f} {r['trust']:<6.1f} {r['score']:<6}")
