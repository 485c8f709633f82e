"""The mission as the editor play-tests it: ending it, or quitting from the pause menu,
returns to the editor instead of the debrief or the title screen."""

from __future__ import annotations

from command_game.scenes.map import MapScene


class PlaytestScene(MapScene):
    """A MapScene whose pause menu's Quit hands the world to ``on_finish`` (the editor)."""

    def _escape(self) -> None:
        if self.menu is not None or self.targeting is not None or self.stack is None:
            super()._escape()
            return
        from command_game.scenes.pause import PauseScene

        self.stack.push(PauseScene(quit_to=lambda: self.on_finish(self.world)))
