"""The game window: one arcade.Window with the scene stack attached as `window.stack`.

Other parts of the game reach the stack through the window (`self.window.stack` in a
scene), so no scene needs a global to move between screens.
"""

from __future__ import annotations

import logging

import arcade

from command_game.i18n import t
from command_game.scenes.stack import SceneStack
from command_game.scenes.ui import load_fonts

log = logging.getLogger(__name__)

WIDTH, HEIGHT = 1280, 800
MIN_WIDTH, MIN_HEIGHT = 1024, 640


def create_window(visible: bool = True) -> arcade.Window:
    """The 1280x800 resizable game window with bundled fonts and an empty scene stack."""
    window = arcade.Window(WIDTH, HEIGHT, t("game.title"), resizable=True, visible=visible)
    window.set_minimum_size(MIN_WIDTH, MIN_HEIGHT)
    load_fonts()
    window.stack = SceneStack(window)
    return window


def run_game() -> int:
    """Opens the window on the title screen, in the player's settings, and runs until the
    window is closed."""
    from command_game import gamepad, music, settings
    from command_game.scenes.title import TitleScene

    prefs = settings.current()
    window = create_window()
    gamepad.attach(window)  # D-pad/A/B drive the menus; nothing happens without a pad
    for problem in settings.apply(prefs, window):
        log.warning("settings: %s", problem)
    window.stack.push(TitleScene())
    music.start()  # the night-time loop, at the music volume from Settings
    arcade.run()
    return 0
