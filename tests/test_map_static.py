"""The static map layer draws office nodes where the camera says they are."""

from __future__ import annotations

import arcade
import pytest

from command_game.level.io import load_level
from command_game.render.map_camera import MapCamera
from command_game.render.static_map import BACKGROUND, OFFICE_ICONS, StaticMapLayer
from tests.conftest import LEVELS, save_frame


@pytest.fixture
def level():
    return load_level(LEVELS / "01_singkawang.json")


def _pixel(window, x: float, y: float) -> tuple[int, int, int]:
    image = arcade.get_image(0, 0, *window.get_framebuffer_size())
    return image.getpixel((round(x), image.height - 1 - round(y)))[:3]


def _close(a, b, tol=12) -> bool:
    return all(abs(int(p) - int(q)) <= tol for p, q in zip(a, b, strict=False))


def test_office_icons_are_drawn_at_their_projected_screen_positions(clean_window, level):
    layer = StaticMapLayer(level)
    camera = MapCamera(level.map.width_m, level.map.height_m, (0, 0, *clean_window.get_size()))
    camera.zoom_at(640, 400, 1.25)
    camera.pan_pixels(-60, 30)
    clean_window.clear(color=BACKGROUND)
    with camera.activate():
        layer.draw()
    save_frame(clean_window, "map_static")
    shown = 0
    for office in level.offices:
        sx, sy = camera.to_screen(office.x, office.y)
        if not (10 <= sx < clean_window.width - 10 and 10 <= sy < clean_window.height - 10):
            continue
        shown += 1
        fill = OFFICE_ICONS[office.type][1][:3]
        assert _close(_pixel(clean_window, sx, sy), fill), office.id
    assert shown >= 3


def test_camera_round_trips_and_zoom_keeps_the_point_under_the_cursor(window, level):
    camera = MapCamera(level.map.width_m, level.map.height_m, (0, 0, 1280, 800))
    before = camera.to_world(900, 200)
    camera.zoom_at(900, 200, 2.0)
    after = camera.to_world(900, 200)
    assert after == pytest.approx(before, abs=0.5)
    sx, sy = camera.to_screen(540.0, 480.0)
    assert camera.to_world(sx, sy) == pytest.approx((540.0, 480.0), abs=0.01)


def test_rebuild_follows_the_level(window, level):
    layer = StaticMapLayer(level)
    assert "office:kpu_singkawang" in layer.labels
    smaller = level.model_copy(update={"offices": level.offices[:2]})
    layer.rebuild(smaller)
    assert "office:kpu_singkawang" not in layer.labels
    assert len([k for k in layer.labels if k.startswith("office:")]) == 2
