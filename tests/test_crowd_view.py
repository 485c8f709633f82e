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
from command_game.sim.rules import MASS
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
    """docs/screenshots/crowd_finale.png (the district round the office where most people
    stand, 1.5 px a metre) and crowd_finale_close.png (16 px a metre, on that mass: each
    person a disc), with the autopilot playing the finale to its peak, when every crowd
    source has let out all its citizens. The masses must be masses: at least 1,000 people
    standing within 40 m of KPU RI and of Bawaslu RI, reading as one body at district
    zoom."""
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
    pos = world.crowd_positions()
    speed = np.hypot(*world.crowd.vel.T)

    def standing_at(s) -> np.ndarray:
        """In the mass: not walking, as massing tells walking in from shuffling (a mass
        that people keep joining shuffles at 0.1-0.3 m/s: KPU RI's median 0.15)."""
        return (np.hypot(pos[:, 0] - s.x, pos[:, 1] - s.y) < 40.0) \
            & (speed < MASS.walking_in_mps)

    for office in ("kpu_ri", "bawaslu_ri"):  # the night's two masses, each a mass
        assert standing_at(world.sites[office]).sum() >= 1000, \
            (office, int(standing_at(world.sites[office]).sum()))
    site = max(world.sites.values(), key=lambda s: int(standing_at(s).sum()))
    mass = standing_at(site)

    pump(clean_window)  # the first frame fits the map to the HUD's scale: zoom after it
    scene.camera.camera.zoom = 1.5
    scene.camera.centre_on(site.x, site.y)
    district = crowd_footprint(clean_window, scene, monkeypatch)
    pump(clean_window)  # the crowd_footprint's last frame is the one without the crowd
    save_frame(clean_window, "crowd_finale", SCREENSHOTS)
    from scipy import ndimage

    # one body of people round the office: the biggest connected patch the crowd draws
    # there covers at least the ground its people stand on (1.5 px a metre)
    sx, sy = scene.camera.to_screen(site.x, site.y)
    patches, _ = ndimage.label(district)
    height = clean_window.get_size()[1]
    around = patches[max(0, int(height - sy) - 60):int(height - sy) + 60,
                     max(0, int(sx) - 60):int(sx) + 60]
    biggest = np.bincount(around[around > 0]).max() if (around > 0).any() else 0
    assert biggest > 0.5 * mass.sum() / 3.0 * 1.5 ** 2, (biggest, int(mass.sum()))

    # close up: on the mass, centred on the unit standing in it if one does (it parts it)
    centre = pos[mass].mean(axis=0)
    unit = min(world.units.values(), key=lambda u: np.hypot(u.x - centre[0], u.y - centre[1]))
    near = np.hypot(unit.x - centre[0], unit.y - centre[1]) < 20.0
    scene.camera.camera.zoom = 16.0
    scene.camera.centre_on(*((unit.x, unit.y) if near else centre))
    close = crowd_footprint(clean_window, scene, monkeypatch)
    pump(clean_window)
    save_frame(clean_window, "crowd_finale_close", SCREENSHOTS)
    _, bodies = ndimage.label(close)
    # a crowd: either separate discs, or (packed, touching) a footprint of about one disc
    # of its own size per person the camera shows, not one smear of a few people
    left, bottom, right, top = scene.camera.visible_rect()
    xy, radius = world.crowd_positions(), world.crowd_radii()
    shown = ((xy[:, 0] > left) & (xy[:, 0] < right) & (xy[:, 1] > bottom) & (xy[:, 1] < top))
    discs = float(np.sum(np.pi * np.maximum(radius[shown] * 16.0, 1.5) ** 2))
    assert close.sum() > 150 * 25 and shown.sum() > 300, (close.sum(), shown.sum())
    assert bodies > 20 or 0.3 * discs < close.sum() < 1.5 * discs, (bodies, close.sum(), discs)
