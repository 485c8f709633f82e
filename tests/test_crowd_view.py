"""Seeing the crowd in a real window: every citizen a disc of its own size in metres when
zoomed in, never smaller than a few pixels when zoomed out, and the finale at its peak
captured at two zoom levels for docs/screenshots/ (look at them: crowd_finale*.png).

What the crowd adds to a frame is measured as the difference between the frame and the
same frame drawn with the crowd left out, so the map beneath does not matter.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from command_game.level.gather import gather_area
from command_game.level.io import load_level, parse_level
from command_game.render.world_view import CROWD_MIN_PX
from command_game.scenes.map import MapScene
from command_game.sim.autopilot import Autopilot
from tests.conftest import LEVELS, REPO, SCREENSHOTS, pump, save_frame

TINY = REPO / "tests" / "data" / "map_tiny.json"
FINALE = LEVELS / "05_nusantara.json"


@pytest.fixture
def stack(stack):
    """The shared scene stack, with the tutorial off: these frames judge the crowd."""
    from command_game import settings

    settings.update(show_tutorial=False)
    return stack


def frame(window) -> np.ndarray:
    import arcade

    pump(window)
    return np.asarray(arcade.get_image(0, 0, *window.get_size()))[::-1, :, :3].astype(int)


def crowd_footprint(window, scene, monkeypatch) -> np.ndarray:
    """Pixels (rows top-down) where the frame differs from the same frame without the
    crowd."""
    with_crowd = frame(window)
    world = scene.world
    with monkeypatch.context() as m:
        m.setattr(world, "crowd_positions", lambda: np.zeros((0, 2)))
        m.setattr(world, "crowd_agitation", lambda: np.zeros(0))
        m.setattr(world, "crowd_radii", lambda: np.zeros(0))
        m.setattr(world, "crowd_headings", lambda: np.zeros(0))
        without = frame(window)
    return np.abs(with_crowd - without).sum(axis=2) > 24


def quiet_tiny_scene(stack) -> MapScene:
    data = json.loads(TINY.read_text("utf-8"))
    data["crowd_sources"], data["incidents"], data["triggers"] = [], [], []
    scene = stack.push(MapScene(parse_level(data)))
    scene.set_speed(0)
    pump(stack.window)  # the first frame fits the map to the HUD's scale: zoom after it
    return scene


def spawn(scene, xy) -> None:
    world = scene.world
    goal = world.crowd.add_goal(gather_area(world.level.office("kpu_kecil")))
    world.crowd.spawn(np.asarray(xy, float), goal, goal, 0, 0.5, world.rng)


def test_a_citizen_is_a_disc_of_its_own_size_when_zoomed_in(stack, clean_window,
                                                            monkeypatch):
    scene = quiet_tiny_scene(stack)
    spawn(scene, [(230.0, 140.0)])
    radius = float(scene.world.crowd_radii()[0])
    scene.camera.camera.zoom = 40.0  # pixels per metre
    scene.camera.centre_on(230.0, 140.0)
    disc = crowd_footprint(clean_window, scene, monkeypatch)
    rows, cols = np.nonzero(disc)
    expected = 2 * radius * 40.0  # about 16 px
    assert cols.max() - cols.min() + 1 == pytest.approx(expected, abs=2)
    assert rows.max() - rows.min() + 1 == pytest.approx(expected, abs=2)
    assert disc.sum() == pytest.approx(np.pi * (expected / 2) ** 2, rel=0.2)  # round
    sx, sy = scene.camera.to_screen(230.0, 140.0)
    height = clean_window.get_size()[1]
    assert abs(cols.mean() - sx) < 1.5 and abs(rows.mean() - (height - sy)) < 1.5


def test_zoomed_out_a_citizen_keeps_its_minimum_size(stack, clean_window, monkeypatch):
    scene = quiet_tiny_scene(stack)
    spawn(scene, [(230.0, 140.0)])
    assert scene.camera.zoom * 0.5 < CROWD_MIN_PX  # a real-size body would be ~1 px
    dot = crowd_footprint(clean_window, scene, monkeypatch)
    rows, cols = np.nonzero(dot)
    assert cols.max() - cols.min() + 1 == pytest.approx(CROWD_MIN_PX, abs=1)
    assert rows.max() - rows.min() + 1 == pytest.approx(CROWD_MIN_PX, abs=1)


def test_a_packed_crowd_reads_as_a_mass_of_bodies(stack, clean_window, monkeypatch):
    """300 people at about 3 per m2: zoomed in, the discs cover about a third of the
    patch (0.2 m bodies) and stay separate bodies; zoomed out they merge into one mass."""
    from benchmarks.packed import hex_lattice

    scene = quiet_tiny_scene(stack)
    spawn(scene, hex_lattice(230.0, 140.0, 3.0, 300)[:300])
    scene.camera.camera.zoom = 40.0
    scene.camera.centre_on(230.0, 140.0)
    close = crowd_footprint(clean_window, scene, monkeypatch)
    patch_px = 300 / 3.0 * 40.0 ** 2
    assert 0.25 < close.sum() / patch_px < 0.5
    from scipy import ndimage

    _, bodies = ndimage.label(close)
    assert bodies > 150  # separate discs, not one blob (some touch at the jitter)
    scene.camera.fit()
    far = crowd_footprint(clean_window, scene, monkeypatch)
    _, blobs = ndimage.label(far)
    assert blobs <= 3 and far.sum() > 0.6 * 300 / 3.0 * scene.camera.zoom ** 2


@pytest.mark.gl
def test_finale_at_its_peak_screenshots(stack, clean_window, monkeypatch):
    """docs/screenshots/crowd_finale.png (the district round the office with the most
    people, 1.5 px a metre) and crowd_finale_close.png (16 px a metre, on the densest
    crowd: each person a disc), with the autopilot playing the finale to its peak, when
    every crowd source has let out all its citizens."""
    level = load_level(FINALE)
    peak_s = max(s.start_s + s.max_agents / s.rate_per_min * 60.0 for s in level.crowd_sources)
    scene = stack.push(MapScene(level, str(FINALE)))
    world = scene.world
    commander = Autopilot(world)
    while world.time_s < peak_s and not world.finished:
        world.step(commander.commands(world))
    assert world.crowd.count >= 6000 and world.outcome is None
    scene.set_speed(0)
    scene.selection.clear()
    site = max(world.sites.values(),
               key=lambda s: int(world.crowd.near(s.x, s.y, 3 * s.radius_m).sum()))
    grid, cell = world.density_grid()
    row, col = np.unravel_index(int(np.argmax(grid)), grid.shape)
    densest = ((col + 0.5) * cell, (row + 0.5) * cell)

    pump(clean_window)  # the first frame fits the map to the HUD's scale: zoom after it
    scene.camera.camera.zoom = 1.5
    scene.camera.centre_on(site.x, site.y)
    district = crowd_footprint(clean_window, scene, monkeypatch)
    pump(clean_window)  # the crowd_footprint's last frame is the one without the crowd
    save_frame(clean_window, "crowd_finale", SCREENSHOTS)
    assert district.sum() > 1500, district.sum()

    # close up: on the unit standing in that crowd, if one does (it parts the crowd)
    unit = min(world.units.values(), key=lambda u: np.hypot(u.x - densest[0],
                                                            u.y - densest[1]))
    near = np.hypot(unit.x - densest[0], unit.y - densest[1]) < 20.0
    scene.camera.camera.zoom = 16.0
    scene.camera.centre_on(*((unit.x, unit.y) if near else densest))
    close = crowd_footprint(clean_window, scene, monkeypatch)
    pump(clean_window)
    save_frame(clean_window, "crowd_finale_close", SCREENSHOTS)
    from scipy import ndimage

    _, bodies = ndimage.label(close)
    # a crowd: either separate discs, or (packed, touching) a footprint of about one disc
    # of its own size per person the camera shows, not one smear of a few people
    left, bottom, right, top = scene.camera.visible_rect()
    xy, radius = world.crowd_positions(), world.crowd_radii()
    shown = ((xy[:, 0] > left) & (xy[:, 0] < right) & (xy[:, 1] > bottom) & (xy[:, 1] < top))
    discs = float(np.sum(np.pi * np.maximum(radius[shown] * 16.0, 1.5) ** 2))
    assert close.sum() > 150 * 25 and shown.sum() > 20, (close.sum(), shown.sum())
    assert bodies > 20 or 0.3 * discs < close.sum() < 1.5 * discs, (bodies, close.sum(), discs)
