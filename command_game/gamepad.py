"""A gamepad in the menus, by pressing the keys the menus already understand.

Every menu is keyboard-driven (arrows move, Enter selects, Esc backs out), so the
gamepad does not need a second navigation system: the D-pad and the left stick send the
arrow keys, A sends Enter, B and Back send Escape, Start sends Escape as well (it opens
the pause menu on the map). A machine with no controller, or with no controller support
at all, simply gets no gamepad; nothing here may stop the game from starting.
"""

from __future__ import annotations

import logging
from typing import Any

from pyglet.window import key

log = logging.getLogger(__name__)

BUTTON_KEYS: dict[str, int] = {
    "a": key.ENTER, "b": key.ESCAPE, "back": key.ESCAPE, "start": key.ESCAPE,
    "leftshoulder": key.LEFT, "rightshoulder": key.RIGHT,
}
STICK_DEADZONE = 0.6  # the stick must be pushed well over before it counts as a press


def _direction(x: float, y: float, threshold: float) -> int | None:
    """The arrow key a D-pad or stick position means, or None when centred."""
    if abs(x) < threshold and abs(y) < threshold:
        return None
    if abs(y) >= abs(x):
        return key.UP if y > 0 else key.DOWN
    return key.RIGHT if x > 0 else key.LEFT


class MenuGamepad:
    """Turns controller input into the window's key presses."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.manager: Any = None
        self.controllers: list[Any] = []
        self._held: dict[tuple[int, str], int | None] = {}  # (controller, pad) -> arrow

    def start(self) -> MenuGamepad:
        """Opens the controllers there are now and listens for more being plugged in."""
        try:
            from pyglet.input import ControllerManager

            self.manager = ControllerManager()
            self.manager.push_handlers(on_connect=self.on_connect,
                                       on_disconnect=self.on_disconnect)
            for controller in self.manager.get_controllers():
                self.on_connect(controller)
        except Exception as exc:  # no udev, no permission, no backend: play without it
            log.info("no gamepad support here: %s", exc)
            self.manager = None
        return self

    def on_connect(self, controller: Any) -> None:
        try:
            controller.open()
        except Exception as exc:
            log.info("could not open controller %s: %s", controller, exc)
            return
        controller.push_handlers(self)
        self.controllers.append(controller)

    def on_disconnect(self, controller: Any) -> None:
        if controller in self.controllers:
            self.controllers.remove(controller)
            controller.remove_handlers(self)

    def on_button_press(self, controller: Any, button: str) -> None:
        symbol = BUTTON_KEYS.get(button)
        if symbol is not None:
            self.press(symbol)

    def on_button_release(self, controller: Any, button: str) -> None:
        """Menus act on presses; releases are not needed."""

    def on_dpad_motion(self, controller: Any, vector: Any) -> None:
        self._pad(controller, "dpad", _direction(vector.x, vector.y, 0.5))

    def on_stick_motion(self, controller: Any, stick: str, vector: Any) -> None:
        if stick == "leftstick":
            self._pad(controller, stick, _direction(vector.x, vector.y, STICK_DEADZONE))

    def on_trigger_motion(self, controller: Any, trigger: str, value: float) -> None:
        """Triggers do nothing in menus."""

    def _pad(self, controller: Any, pad: str, arrow: int | None) -> None:
        """One key press per push: holding the stick over does not repeat."""
        slot = (id(controller), pad)
        if arrow != self._held.get(slot):
            self._held[slot] = arrow
            if arrow is not None:
                self.press(arrow)

    def press(self, symbol: int) -> None:
        self.window.dispatch_event("on_key_press", symbol, 0)
        self.window.dispatch_event("on_key_release", symbol, 0)


def attach(window: Any) -> MenuGamepad:
    """Gives a window its gamepad (as `window.gamepad`); safe with no controller."""
    pad = MenuGamepad(window).start()
    window.gamepad = pad
    return pad
