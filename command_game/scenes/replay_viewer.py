"""Watching a replay on the live map: how a speedrunner studies a run.

The viewer is the map scene with the player's hands off the controls: the replay's
commands go into the world at their recorded ticks, the viewer's own orders are ignored,
and the speed controls, camera and HUD work as in play. Nothing is recorded. At the end it
reports whether the world reached the recorded final state, so watching a run is also
seeing it verified.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import arcade

from command_game.i18n import t
from command_game.level.models import Level
from command_game.scenes import ui
from command_game.scenes.map import MapScene
from command_game.sim.commands import Command
from command_game.speedrun.replay import ReplayData
from command_game.speedrun.timing import format_time


class ReplayViewerScene(MapScene):
    shows_cards = False  # the replay's own choose_card commands answer the cards
    def __init__(self, replay: ReplayData, level: Level, level_path: str | Path | None = None,
                 on_done: Callable[[bool], None] | None = None) -> None:
        super().__init__(level, level_path, seed=replay.seed, on_finish=self._ended)
        self.replay = replay
        self.on_done = on_done
        self.tutorial = None  # a replay teaches nothing; its hints would wait for orders
        self.script: dict[int, list[Command]] = {}
        for command in replay.command_list():
            self.script.setdefault(command.tick, []).append(command)
        self.matches: bool | None = None
        self.banner = ui.text(t("speedrun.viewer.banner", player=replay.player,
                                time=format_time(replay.game_time_s)), 14, ui.GOLD,
                              bold=True, anchor_x="center")

    def on_draw(self) -> None:
        super().on_draw()
        width = self.banner.content_width + 28
        cx = self.window.width / 2
        arcade.draw_lbwh_rectangle_filled(cx - width / 2, 34, width, 30, ui.PANEL)
        arcade.draw_lbwh_rectangle_outline(cx - width / 2, 34, width, 30, ui.GOLD_DIM)
        ui.place(self.banner, cx, 44)
        self.banner.draw()

    def _escape(self) -> None:
        """The pause menu, with Restart replaying from the start and Quit back to the board."""
        if self.menu is not None or self.targeting is not None:
            self.menu, self.targeting = None, None
            return
        from command_game.scenes.pause import PauseScene

        if self.stack is not None:
            self.stack.push(PauseScene(restart=self._restart, quit_to=self._leave))

    def _restart(self) -> None:
        if self.stack is not None:
            self.stack.replace(ReplayViewerScene(self.replay, self.level, self.level_path,
                                                 self.on_done))

    def _leave(self) -> None:
        if self.stack is not None and self.stack.top is self:
            self.stack.pop()

    def queue(self, commands: list[Command]) -> None:
        """Watching, not commanding: orders given in the viewer are ignored."""

    def on_fixed_update(self, delta_time: float) -> None:
        """Runs `speed` ticks one at a time so each gets exactly its recorded commands."""
        speed, ran = self.speed, 0
        try:
            self.speed = 1
            for _ in range(speed):
                if self.finished:
                    break
                self.pending = list(self.script.get(self.world.tick, ()))
                super().on_fixed_update(delta_time)
                ran += self.ticks_last_update
                if not self.finished and self.world.tick >= self.replay.final_tick:
                    self.finished = True  # an abandoned run: the replay stops here
                    self._ended(self.world)
        finally:
            self.speed = speed
            self.ticks_last_update = ran

    def _ended(self, world) -> None:
        self.matches = (world.tick == self.replay.final_tick
                        and world.state_hash() == self.replay.final_hash)
        if self.stack is not None and self.stack.top is self:
            self.stack.pop()
        if self.on_done is not None:
            self.on_done(self.matches)
