"""Text laid out in interface units (the HUD, debrief, board and editor draw through a
camera that scales those units up) is made at the window's pixels: at 150 % it draws the
very pixels of the same text set at 1.5 times its size, not a magnified small bitmap."""

from __future__ import annotations

import arcade
import numpy as np
import pytest

from command_game.render import ui_scale
from command_game.render.text_pool import FONT, Label, TextPool
from tests.conftest import pump

pytestmark = pytest.mark.gl

WORDS = "Kepercayaan publik 75.0"


def _pixels(window) -> np.ndarray:
    image = arcade.get_image(0, 0, 400, 120).convert("L")
    return np.asarray(image, dtype=float)


def _reference(window, scale: float) -> np.ndarray:
    """The words set at ``scale`` times 11 pt straight at the window's pixels."""
    window.clear()
    window.default_camera.use()
    arcade.Text(WORDS, 20 * scale, 30 * scale, font_size=11 * scale, font_name=FONT).draw()
    return _pixels(window)


def _in_units(window, scale: float, draw) -> np.ndarray:
    window.clear()
    w, h = window.get_size()
    with ui_scale.camera(scale, w, h).activate(), ui_scale.pixel_grid(scale):
        draw()
    window.default_camera.use()
    return _pixels(window)


@pytest.mark.parametrize("scale", (1.25, 1.5))
def test_scaled_text_is_made_at_the_windows_pixels(clean_window, scale):
    window = clean_window
    pump(window)
    reference = _reference(window, scale)
    assert reference.max() > 200  # the words are there

    label = Label(WORDS, 20, 30, font_size=11, font_name=FONT)
    single = _in_units(window, scale, label.draw)
    pool = TextPool()

    def pooled() -> None:
        pool.begin()
        pool.put("words", WORDS, 20, 30, (255, 255, 255, 255), size=11)
        pool.end()
        pool.draw()

    batched = _in_units(window, scale, pooled)
    for drawn in (single, batched):
        assert np.abs(drawn - reference).mean() < 0.5, "the glyphs are not the window's own"
    # the callers still lay out in units: the words measure what they measure at 100 %
    assert label.content_width == pytest.approx(
        arcade.Text(WORDS, 0, 0, font_size=11, font_name=FONT).content_width, rel=0.06)
    assert label.position == (20, 30) and label.font_size == 11
