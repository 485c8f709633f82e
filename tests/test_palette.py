"""Agitation and tension colours: readable in grey, and the palette setting changes them."""

from __future__ import annotations

import numpy as np
import pytest

from command_game.render import palette


@pytest.fixture(autouse=True)
def restore_palette():
    yield
    palette.set_palette("default")
    palette.set_reduced_flashing(False)


@pytest.mark.parametrize("name", palette.PALETTES)
def test_luminance_rises_from_calm_to_agitated(name):
    """Readable in greyscale: ten agitation steps are ten distinct, rising grey levels."""
    palette.set_palette(name)
    steps = palette.agitation_colors(np.linspace(0.0, 1.0, 11))
    grey = palette.lightness(steps)
    assert np.all(np.diff(grey) > 4.0), grey  # each step a visible L* difference
    assert grey[-1] - grey[0] > 60  # calm vs agitated: strong contrast in grey alone
    full = palette.lightness(palette.table(name))
    assert np.all(np.diff(full) > -0.2)  # no visible dip anywhere along the ramp


def test_agitation_colors_shape_dtype_and_clipping():
    values = np.array([-1.0, 0.0, 0.5, 1.0, 7.0, np.nan])
    colors = palette.agitation_colors(values)
    assert colors.shape == (6, 4) and colors.dtype == np.uint8
    assert np.array_equal(colors[0], colors[1]) and np.array_equal(colors[3], colors[4])
    assert np.array_equal(colors[5], colors[1])
    assert np.all(colors[:, 3] == 255)
    assert np.all(palette.agitation_colors(values, alpha=90)[:, 3] == 90)
    assert palette.agitation_colors(np.zeros(0)).shape == (0, 4)


def test_palette_setting_changes_the_crowd_colours():
    values = np.linspace(0, 1, 50)
    palette.set_palette("default")
    default = palette.agitation_colors(values)
    t_default = palette.tension_color(80)
    palette.set_palette("colorblind")
    safe = palette.agitation_colors(values)
    assert palette.palette() == "colorblind"
    assert np.abs(default.astype(int) - safe.astype(int)).sum(axis=1).min() > 20
    assert palette.tension_color(80) != t_default
    with pytest.raises(ValueError, match="unknown palette"):
        palette.set_palette("rainbow")


def test_tension_follows_the_same_ramp():
    for t in (0, 25, 50, 100):
        assert palette.tension_color(t) == tuple(palette.agitation_colors(np.array([t / 100]))[0])
    assert palette.tension_color(250) == palette.tension_color(100)
    assert palette.tension_color(-5, alpha=10) == palette.tension_color(0)[:3] + (10,)


#: Machado, Oliveira & Fernandes (2009) full-severity simulation matrices (linear RGB).
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}


def _as_seen_with(colors: np.ndarray, deficiency: str) -> np.ndarray:
    c = colors[:, :3].astype(float) / 255
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    seen = np.clip(linear @ np.array(CVD[deficiency]).T, 0, 1)
    return 255 * np.where(seen <= 0.0031308, 12.92 * seen, 1.055 * seen ** (1 / 2.4) - 0.055)


@pytest.mark.parametrize("deficiency", sorted(CVD))
@pytest.mark.parametrize("name", palette.PALETTES)
def test_both_palettes_keep_their_order_for_colour_blind_players(name, deficiency):
    """Simulated protanopia, deuteranopia and tritanopia: ten agitation steps still rise
    in lightness, calm and agitated stay far apart."""
    palette.set_palette(name)
    seen = palette.lightness(_as_seen_with(palette.agitation_colors(np.linspace(0, 1, 11)),
                                           deficiency))
    assert np.all(np.diff(seen) > 2.5), seen
    assert seen[-1] - seen[0] > 60


def test_reduced_flashing_holds_pulses_steady():
    palette.set_reduced_flashing(False)
    samples = [palette.pulse(t / 10) for t in range(20)]
    assert max(samples) - min(samples) > 0.5
    palette.set_reduced_flashing(True)
    assert palette.reduced_flashing()
    assert {palette.pulse(t / 10) for t in range(20)} == {1.0}


def test_palette_changes_the_crowd_in_a_captured_map_frame(clean_window, stack):
    """The map scene colours its crowd through the palette: switching it recolours the
    dots (and nothing but the crowd and tension marks) in the next frame."""
    import arcade

    from command_game.level.io import load_level
    from command_game.scenes.map import MapScene
    from tests.conftest import LEVELS, pump, save_frame

    scene = stack.push(MapScene(load_level(LEVELS / "01_singkawang.json")))
    try:
        for _ in range(2400):  # 40 s of game time: the first crowds have gathered
            scene.world.step([])
        positions = scene.world.crowd_positions()
        assert len(positions) > 10

        def frame(name: str) -> np.ndarray:
            pump(clean_window, 2)
            save_frame(clean_window, name)
            return np.asarray(arcade.get_image(0, 0, *clean_window.get_framebuffer_size()))

        palette.set_palette("default")
        heat = frame("map_palette_default")
        palette.set_palette("colorblind")
        safe = frame("map_palette_colorblind")
        changed = np.any(heat[..., :3] != safe[..., :3], axis=2)
        assert 0 < changed.sum() < 0.05 * changed.size  # the crowd, not the whole map
        height = changed.shape[0]
        near_agents = 0
        for wx, wy in positions:
            sx, sy = scene.camera.to_screen(wx, wy)
            row, col = int(height - 1 - sy), int(sx)
            if 0 <= row < height and 0 <= col < changed.shape[1]:
                near_agents += changed[max(row - 2, 0):row + 3, max(col - 2, 0):col + 3].any()
        assert near_agents > len(positions) // 2
    finally:
        stack.pop()


def test_reduced_flashing_freezes_the_incident_pulse_in_map_frames(clean_window, stack):
    """Two frames a quarter second apart differ only by the pulsing incident marker;
    with reduced flashing they are identical."""
    import arcade

    from command_game.level.io import load_level
    from command_game.scenes.map import MapScene
    from tests.conftest import LEVELS, pump

    scene = stack.push(MapScene(load_level(LEVELS / "01_singkawang.json")))
    try:
        while not any(i.visible for i in scene.world.incidents):
            scene.world.step([])
            assert scene.world.tick < 60 * 300, "no incident opened in five minutes"
        scene.set_speed(0)

        def frame_at(time_s: float) -> np.ndarray:
            scene.real_time_s = time_s
            pump(clean_window)
            return np.asarray(arcade.get_image(0, 0, *clean_window.get_framebuffer_size()))

        palette.set_reduced_flashing(False)
        assert not np.array_equal(frame_at(100.0), frame_at(100.3))
        palette.set_reduced_flashing(True)
        assert np.array_equal(frame_at(100.0), frame_at(100.3))
    finally:
        stack.pop()
