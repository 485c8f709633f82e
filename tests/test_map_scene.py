"""The map scene in a real window, driven through window events (clicks and keys).

Time is stepped by calling the scene's ``on_fixed_update`` directly (ARCADE3.md: the
window's own loop can drop a tick to float accumulation); every player action goes
through ``window.dispatch_event``.
"""

from __future__ import annotations

import numpy as np
import pytest
from pyglet.window import key, mouse

from benchmarks.bench_frame import crowd_level, fill_crowd
from command_game.level.io import load_level
from command_game.scenes.debrief import DebriefScene
from command_game.scenes.map import MapScene
from tests.conftest import LEVELS, REPO, SCREENSHOTS, pump, save_frame

TINY = REPO / "tests" / "data" / "map_tiny.json"


def send(window, event: str, *args) -> None:
    window.dispatch_event(event, *args)
    window.dispatch_pending_events()


def click(window, x: float, y: float, button: int = mouse.LEFT, modifiers: int = 0) -> None:
    x, y = int(round(x)), int(round(y))
    send(window, "on_mouse_motion", x, y, 0, 0)
    send(window, "on_mouse_press", x, y, button, modifiers)
    send(window, "on_mouse_release", x, y, button, modifiers)


def press(window, symbol: int, modifiers: int = 0) -> None:
    send(window, "on_key_press", symbol, modifiers)
    send(window, "on_key_release", symbol, modifiers)


def hud_centre(scene: MapScene, kind: str, value=None) -> tuple[float, float]:
    """Centre of the HUD box drawn for (kind, value): where a player would click."""
    for (left, bottom, width, height), hit in scene.hud.hits:
        if hit.kind == kind and (value is None or hit.value == value):
            return left + width / 2, bottom + height / 2
    raise AssertionError(f"no HUD box for {kind} {value}")


def run_until(scene: MapScene, condition, limit: int = 20000) -> None:
    for _ in range(limit):
        if condition():
            return
        scene.on_fixed_update(1 / 60)
    raise AssertionError("condition not reached")


def test_play_through_by_clicks_and_keys_wins_and_reaches_the_debrief(stack, clean_window):
    window = clean_window
    scene = stack.push(MapScene(load_level(TINY), str(TINY)))
    pump(window)
    click(window, *hud_centre(scene, "speed", 4))
    assert scene.speed == 4
    world = scene.world
    run_until(scene, lambda: any(i.visible for i in world.incidents))
    incident = next(i for i in world.incidents if i.visible)
    assert any(n.text == "Protest at KPU Kecil" for n in scene.notifications)
    pump(window)
    click(window, *hud_centre(scene, "incident", incident.id))  # the queue centres it
    assert scene.camera.position == pytest.approx((incident.x, incident.y))
    pump(window)

    # Samapta: select in the roster, right-click the incident -> respond (default order).
    click(window, *hud_centre(scene, "unit", "samapta_1"))
    assert scene.selection.ids == ["samapta_1"]
    click(window, *scene.camera.to_screen(incident.x, incident.y), button=mouse.RIGHT)
    assert [(c.kind, c.unit_ids, c.target) for c in scene.pending] == [
        ("respond", ("samapta_1",), incident.id)]
    for _ in range(30):  # half a second: the Samapta vehicle pulls away from the shared HQ
        scene.on_fixed_update(1 / 60)

    # Dialogis: click it on the map, then H with the mouse over the KPU office -> hold.
    pump(window)
    unit = world.units["dialogis_1"]
    click(window, *scene.camera.to_screen(unit.x, unit.y))
    assert "dialogis_1" in scene.selection.ids
    scene.selection.click("dialogis_1")  # the two units share the HQ: keep only one
    kpu = world.sites["kpu_kecil"]
    send(window, "on_mouse_motion", *map(int, scene.camera.to_screen(kpu.x, kpu.y)), 0, 0)
    press(window, key.H)
    assert [(c.kind, c.target) for c in scene.pending] == [("hold", "kpu_kecil")]

    run_until(scene, lambda: stack.top is not scene)
    assert world.outcome == "won"
    debrief = stack.top
    assert isinstance(debrief, DebriefScene) and debrief.world is world
    kinds = [(c.kind, c.unit_ids) for c in world.command_log]
    assert ("respond", ("samapta_1",)) in kinds and ("hold", ("dialogis_1",)) in kinds
    assert debrief.game_time_s == pytest.approx(world.tick / 60)
    splits = {obj.id: split for obj, split, _ in debrief.splits()}
    assert splits == {o.id: o.met_tick / 60 for o in world.objectives}
    assert debrief.run is not None and debrief.run.game_ticks == world.tick
    from command_game import progress
    from command_game.speedrun.record import wait_for_verification

    wait_for_verification(30)
    best = progress.load_progress().best("map_tiny")
    assert best is not None and best.time_s == pytest.approx(world.tick / 60)
    pump(window, 2)
    labels = {k: v.text for k, v in debrief.texts.slots.items() if v.visible}
    assert labels["time"] == debrief.texts.slots["time"].text
    from command_game.speedrun.timing import format_time

    assert labels["time"] == format_time(world.tick / 60)
    assert labels["score:total"] == str(world.score().total)
    save_frame(window, "debrief_tiny")


def test_pause_really_stops_the_world(stack, clean_window):
    scene = stack.push(MapScene(load_level(TINY), str(TINY)))
    for _ in range(30):
        scene.on_fixed_update(1 / 60)
    press(clean_window, key.SPACE)
    assert scene.speed == 0
    tick, digest = scene.world.tick, scene.world.state_hash()
    for _ in range(120):
        scene.on_fixed_update(1 / 60)
    assert scene.world.tick == tick and scene.world.state_hash() == digest
    press(clean_window, key.SPACE)
    scene.on_fixed_update(1 / 60)
    assert scene.speed == 1 and scene.world.tick == tick + 1


def test_four_x_runs_four_ticks_per_fixed_update(stack, clean_window):
    scene = stack.push(MapScene(load_level(TINY), str(TINY)))
    press(clean_window, key.EQUAL)
    assert scene.speed == 2
    press(clean_window, key.EQUAL)
    assert scene.speed == 4
    before = scene.world.tick
    scene.on_fixed_update(1 / 60)
    assert scene.world.tick == before + 4 and scene.ticks_last_update == 4
    for _ in range(10):
        scene.on_fixed_update(1 / 60)
    assert scene.world.tick == before + 44
    press(clean_window, key.MINUS)
    scene.on_fixed_update(1 / 60)
    assert scene.world.tick == before + 46


def test_escape_pushes_the_pause_overlay_and_freezes_the_map(stack, clean_window):
    scene = stack.push(MapScene(load_level(TINY), str(TINY)))
    press(clean_window, key.ESCAPE)
    from command_game.scenes.pause import PauseScene

    assert isinstance(stack.top, PauseScene)
    tick = scene.world.tick
    clean_window.dispatch_event("on_fixed_update", 1 / 60)
    clean_window.dispatch_pending_events()
    assert scene.world.tick == tick


def test_box_select_control_groups_zoom_and_minimap(stack, clean_window):
    window = clean_window
    scene = stack.push(MapScene(load_level(TINY), str(TINY)))
    pump(window)
    hq = scene.world.sites["polres_kecil"]
    x, y = scene.camera.to_screen(hq.x, hq.y)
    send(window, "on_mouse_press", int(x - 60), int(y - 60), mouse.LEFT, 0)
    send(window, "on_mouse_drag", int(x), int(y), 60, 60, mouse.LEFT, 0)
    send(window, "on_mouse_drag", int(x + 60), int(y + 60), 60, 60, mouse.LEFT, 0)
    send(window, "on_mouse_release", int(x + 60), int(y + 60), mouse.LEFT, 0)
    assert sorted(scene.selection.ids) == ["dialogis_1", "samapta_1"]
    press(window, key._3, key.MOD_CTRL)
    press(window, key.BACKSPACE)
    assert scene.selection.ids == []
    press(window, key._3)
    assert sorted(scene.selection.ids) == ["dialogis_1", "samapta_1"]
    zoom = scene.camera.zoom
    send(window, "on_mouse_scroll", 640, 400, 0, 2)
    assert scene.camera.zoom > zoom
    pump(window)
    left, bottom, width, height = scene.hud.minimap_rect
    click(window, left + width * 0.75, bottom + height * 0.5)
    cx, cy = scene.camera.position
    assert cx == pytest.approx(scene.level.map.width_m * 0.75, rel=0.1)
    assert cy == pytest.approx(scene.level.map.height_m * 0.5, rel=0.15)


def test_office_nodes_appear_where_the_camera_puts_them(stack, clean_window):
    scene = stack.push(MapScene(load_level(TINY), str(TINY)))
    send(clean_window, "on_resize", *clean_window.get_size())  # a resize keeps the view true
    pump(clean_window)
    image = np.asarray(__import__("arcade").get_image(0, 0, *clean_window.get_size()))
    from command_game.render.static_map import OFFICE_ICONS

    free = [o for o in scene.level.offices  # units stand on their HQ and hide its icon
            if all(np.hypot(u.x - o.x, u.y - o.y) > 30 for u in scene.world.units.values())]
    assert free
    for office in free:
        sx, sy = scene.camera.to_screen(office.x, office.y)
        pixel = image[image.shape[0] - 1 - round(sy), round(sx), :3].astype(int)
        assert np.abs(pixel - OFFICE_ICONS[office.type][1][:3]).max() <= 16, office.id


def test_a_frame_with_5000_agents_shows_the_crowd(stack, clean_window):
    scene = stack.push(MapScene(crowd_level(5000)))
    empty = _crowd_pixels(clean_window, scene)
    fill_crowd(scene.world, 5000)
    assert len(scene.world.crowd_positions()) >= 5000
    shown = _crowd_pixels(clean_window, scene)
    save_frame(clean_window, "map_5000_agents")
    assert shown > empty + 3000, (shown, empty)


def _crowd_pixels(window, scene) -> int:
    """Pixels in the map area whose colour is a saturated crowd colour."""
    import arcade

    scene.selection.clear()
    pump(window)
    image = np.asarray(arcade.get_image(0, 0, *window.get_size()))[..., :3].astype(int)
    spread = image.max(axis=2) - image.min(axis=2)
    return int(((spread > 70) & (image.mean(axis=2) > 40)).sum())


def test_map_screenshot_of_a_live_mission(stack, clean_window):
    """docs/screenshots/map.png: the first campaign level a few minutes in."""
    from command_game import settings

    settings.update(show_tutorial=False)  # a returning player: no tutorial prompt
    path = LEVELS / "01_singkawang.json"
    scene = stack.push(MapScene(load_level(path), str(path)))
    scene.shows_cards = False  # a picture of the map, not of an event card over it
    assert scene.tutorial is None
    world = scene.world
    from command_game.scenes import orders

    def order(unit_ids, kind, site):
        scene.selection.set(unit_ids)
        target = orders.Target("office", site, (0, 0), site)
        scene.order(kind, target)

    sites = [s.id for s in world.sites.values() if s.type in ("kpu", "bawaslu")]
    units = [u.id for u in world.units.values()]
    order(units[:1], "hold", sites[0])
    order(units[1:2], "hold", sites[-1])
    order(units[-1:], "dialogue", sites[0])
    scene.set_speed(4)
    run_until(scene, lambda: world.time_s >= 170 or world.finished, 4000)
    scene.selection.set(units[:2])
    scene._mouse = scene.camera.to_screen(world.sites[sites[0]].x, world.sites[sites[0]].y)
    scene._mouse_inside = True
    pump(clean_window, 2)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = save_frame(clean_window, "map", SCREENSHOTS)
    assert shot.stat().st_size > 50_000


def test_context_menu_and_order_buttons_issue_the_chosen_order(stack, clean_window):
    window = clean_window
    scene = stack.push(MapScene(load_level(TINY), str(TINY)))
    pump(window)
    click(window, *hud_centre(scene, "unit", "samapta_1"))
    kpu = scene.world.sites["kpu_kecil"]
    sx, sy = scene.camera.to_screen(kpu.x + 15, kpu.y + 12)  # inside the site, no incident yet
    click(window, sx, sy, button=mouse.RIGHT, modifiers=key.MOD_CTRL)
    assert scene.menu is not None and scene.menu[2][0] == "hold"
    pump(window)
    click(window, *hud_centre(scene, "menu", "dialogue"))
    assert scene.menu is None
    assert [(c.kind, c.target) for c in scene.pending] == [("dialogue", "kpu_kecil")]
    scene.on_fixed_update(1 / 60)
    pump(window)
    click(window, *hud_centre(scene, "order", "move"))
    assert scene.targeting == "move"
    mx, my = scene.camera.to_screen(100.0, 250.0)
    click(window, mx, my)
    [move] = scene.pending
    assert move.kind == "move" and move.point == pytest.approx((100.0, 250.0), abs=1.0)
    assert scene.targeting is None


def test_keyboard_only_orders_help_and_heat_layer(stack, clean_window):
    window = clean_window
    scene = stack.push(MapScene(load_level(TINY), str(TINY)))
    pump(window)
    press(window, key.TAB)  # next unit
    assert scene.selection.ids == ["samapta_1"]
    press(window, key.O)
    press(window, key.O)  # second site: the KPU
    assert scene.camera.position == pytest.approx((320.0, 130.0))
    press(window, key.D)
    assert [(c.kind, c.unit_ids, c.target) for c in scene.pending] == [
        ("dialogue", ("samapta_1",), "kpu_kecil")]
    press(window, key.G)
    assert scene.show_heat
    for _ in range(240):
        scene.on_fixed_update(1 / 60)
    pump(window)
    save_frame(window, "map_heat_layer")
    press(window, key.F1)
    from command_game.scenes.help import HelpScene

    assert isinstance(stack.top, HelpScene)


def test_interface_scale_enlarges_the_hud_and_clicks_still_land(stack, clean_window):
    from command_game import settings

    settings.update(ui_scale=150)
    scene = stack.push(MapScene(load_level(TINY), str(TINY)))
    pump(clean_window)
    assert scene.hud.scale == pytest.approx(1.5)
    x, y = hud_centre(scene, "speed", 4)  # interface units
    click(clean_window, x * 1.5, y * 1.5)  # the button is drawn 1.5x as far out
    assert scene.speed == 4
    click(clean_window, *(v * 1.5 for v in hud_centre(scene, "unit", "dialogis_1")))
    assert scene.selection.ids == ["dialogis_1"]
    save_frame(clean_window, "map_ui_scale_150")


def test_a_long_roster_scrolls_with_the_wheel(stack, clean_window):
    import json

    from command_game.level.io import parse_level

    data = json.loads(TINY.read_text("utf-8"))
    data["units"] += [{"id": f"samapta_x{i}", "type": "samapta", "name": f"Samapta {i}",
                       "base": "polres_kecil", "personnel": 10} for i in range(30)]
    scene = stack.push(MapScene(parse_level(data, "<long roster>")))
    pump(clean_window)
    shown = [hit.value for _, hit in scene.hud.hits if hit.kind == "unit"]
    units = list(scene.world.units)
    assert 0 < len(shown) < len(units) and shown == units[:len(shown)]
    x, y = hud_centre(scene, "unit", shown[0])
    send(clean_window, "on_mouse_scroll", int(x), int(y), 0, -3)
    pump(clean_window)
    after = [hit.value for _, hit in scene.hud.hits if hit.kind == "unit"]
    assert after == units[3:3 + len(after)]
    _, bottom, _, _ = next(r for r, hit in scene.hud.hits if hit.kind == "roster")
    assert bottom > 84  # the roster stays above the order buttons
