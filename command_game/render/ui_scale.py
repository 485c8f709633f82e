"""The interface scale a window can hold: the player's choice, capped by the window.

Every screen is laid out in interface units (window pixels divided by the scale) and is
designed to fit ``MIN_UNITS`` of them: 1280x800 at 150 %. A larger scale on a smaller
window (200 % on 1280x720) would push panels off the screen, so the game uses the largest
scale that still gives that room, and Settings says so (``capped``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import arcade

MIN_UNITS = (850.0, 530.0)


def window_cap(width: float, height: float) -> float:
    """The largest scale at which a window of this size still holds every screen."""
    return max(0.75, min(width / MIN_UNITS[0], height / MIN_UNITS[1]))


def chosen() -> float:
    """The player's UI scale from Settings (0.75 .. 2.0)."""
    from command_game import settings

    return settings.current().ui_scale / 100


def effective(width: float | None = None, height: float | None = None) -> float:
    """The scale the screens use: the player's, as far as the window holds it."""
    if width is None or height is None:
        width, height = arcade.get_window().get_size()
    return min(chosen(), window_cap(width, height))


def capped(width: float, height: float) -> bool:
    return chosen() > window_cap(width, height) + 1e-9


_grid = 1.0  # pixels per unit of the positions being laid out now (see pixel_grid)


@contextmanager
def pixel_grid(scale: float) -> Iterator[None]:
    """Texts placed inside, in interface units drawn ``scale`` pixels each, land on whole
    window pixels (``snap``): at a fractional pixel a glyph loses its lowest rows."""
    global _grid
    held, _grid = _grid, scale
    try:
        yield
    finally:
        _grid = held


def grid() -> float:
    """Pixels per unit of what is being laid out now (1 outside any ``pixel_grid``)."""
    return _grid


@contextmanager
def pixels(scale: float) -> Iterator[None]:
    """Draws inside at the window's own pixels. Text laid out in interface units is
    rasterised at ``scale`` times its size and drawn here 1:1: through the scaling
    camera its glyphs would be magnified bitmaps of the base size, soft at 125 %."""
    if scale == 1.0:
        yield
        return
    with arcade.get_window().default_camera.activate():
        yield


def snap(value: float) -> float:
    """``value`` (in the units being laid out) moved to the nearest whole pixel."""
    return round(value * _grid) / _grid


def camera(scale: float, width: float, height: float) -> arcade.Camera2D:
    """A camera that draws interface units (``width``/``height`` pixels over ``scale``)
    at the window's pixels: text and shapes grow with the scale, positions too."""
    cam = arcade.Camera2D()
    cam.viewport = arcade.LBWH(0, 0, width, height)
    w, h = width / scale, height / scale
    cam.projection_data.rect = arcade.LRBT(-w / 2, w / 2, -h / 2, h / 2)
    cam.position = (w / 2, h / 2)
    return cam
