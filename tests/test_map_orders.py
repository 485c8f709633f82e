"""Input -> Command rules, on a real World, without a window."""

from __future__ import annotations

import pytest

from command_game.level.io import load_level
from command_game.scenes import orders
from command_game.scenes.orders import Selection, Target
from command_game.sim.world import World
from tests.conftest import REPO

TINY = REPO / "tests" / "data" / "map_tiny.json"


@pytest.fixture(scope="module")
def world():
    w = World.from_level(load_level(TINY))
    while not any(i.visible for i in w.incidents):
        w.step(())
    return w


def test_pick_target_prefers_incident_then_office_then_node_then_point(world):
    incident = next(i for i in world.incidents if i.visible)
    assert orders.pick_target(world, incident.x, incident.y, 5).kind == "incident"
    hq = world.sites["polres_kecil"]
    assert orders.pick_target(world, hq.x + 3, hq.y, 5) == Target(
        "office", "polres_kecil", (hq.x, hq.y), "polres_kecil")
    assert orders.pick_target(world, 200, 101, 5).id == "n_mid"
    assert orders.pick_target(world, 380, 20, 5) == Target("point", None, (380, 20))


def test_default_orders_by_target(world):
    incident = next(i for i in world.incidents if i.visible)
    target = orders.pick_target(world, incident.x, incident.y, 5)
    assert orders.default_order(target) == "respond"
    [command] = orders.orders_for(world, "respond", target, ["samapta_1"])
    assert (command.kind, command.unit_ids, command.target, command.tick) == (
        "respond", ("samapta_1",), incident.id, world.tick)
    point = orders.pick_target(world, 380, 20, 5)
    [move] = orders.orders_for(world, orders.default_order(point), point, ["samapta_1"])
    assert move.kind == "move" and move.point == (380, 20) and move.target is None


def test_orders_that_cannot_apply_give_no_command(world):
    point = Target("point", None, (10.0, 10.0))
    assert orders.orders_for(world, "hold", point, ["samapta_1"]) == []
    assert orders.orders_for(world, "escort", point, ["samapta_1"]) == []
    assert orders.orders_for(world, "move", point, []) == []
    [recall] = orders.orders_for(world, "recall", None, ["samapta_1", "dialogis_1"])
    assert recall.unit_ids == ("samapta_1", "dialogis_1")


def test_hold_and_dialogue_on_an_incident_go_to_its_site(world):
    incident = next(i for i in world.incidents if i.visible)
    target = orders.pick_target(world, incident.x, incident.y, 5)
    [hold] = orders.orders_for(world, "hold", target, ["dialogis_1"])
    assert hold.target == incident.site
    [patrol] = orders.orders_for(world, "patrol", target, ["samapta_1"])
    assert patrol.route == ("n_hq", incident.site)


def test_units_in_box_and_unit_at(world):
    hq = world.sites["polres_kecil"]
    assert sorted(orders.units_in_box(world, hq.x + 40, hq.y + 40, hq.x - 40, hq.y - 40)) == [
        "dialogis_1", "samapta_1"]
    assert orders.units_in_box(world, 300, 200, 390, 290) == []
    assert orders.unit_at(world, hq.x, hq.y, 60) in ("dialogis_1", "samapta_1")
    assert orders.unit_at(world, 390, 290, 5) is None


def test_selection_click_shift_box_and_groups():
    sel = Selection()
    sel.click("a")
    sel.click("b", add=True)
    assert sel.ids == ["a", "b"]
    sel.click("a", add=True)  # shift-click toggles
    assert sel.ids == ["b"]
    sel.box(["c", "d"], add=True)
    assert sel.ids == ["b", "c", "d"]
    sel.set_group(2)
    sel.click(None)
    assert sel.ids == []
    assert sel.recall_group(2, existing=["b", "d"]) and sel.ids == ["b", "d"]
    assert not sel.recall_group(5, existing=["b"])
    assert sel.group_of("c") == 2 and sel.group_of("z") is None


def test_siber_answers_hoaxes_remotely_while_others_travel():
    import json

    from command_game.level.io import parse_level

    data = json.loads(TINY.read_text("utf-8"))
    data["units"].append({"id": "siber_1", "type": "siber", "name": "Tim Siber",
                          "base": "polres_kecil", "personnel": 3})
    data["incidents"] = [{"id": "hoaks", "at_s": 1.0, "type": "hoax", "site": "kpu_kecil",
                          "severity": 2, "escalation_s": 120.0}]
    world = World.from_level(parse_level(data, "<siber test>"))
    while not any(i.visible for i in world.incidents):
        world.step(())
    incident = next(i for i in world.incidents if i.visible)
    target = orders.pick_target(world, incident.x, incident.y, 5)
    commands = orders.orders_for(world, "respond", target, ["siber_1", "samapta_1"])
    assert [(c.kind, c.unit_ids) for c in commands] == [
        ("cyber_response", ("siber_1",)), ("respond", ("samapta_1",))]
    assert orders.orders_for(world, "move", target, ["siber_1"]) == []
    [cyber] = orders.orders_for(world, "cyber_response", target, ["siber_1", "samapta_1"])
    assert cyber.unit_ids == ("siber_1",) and cyber.target == "hoaks"
    [tni] = orders.orders_for(world, "call_tni", target, [])
    assert tni.kind == "call_tni" and tni.target == "kpu_kecil" and tni.unit_ids == ()


def test_an_order_given_while_paused_shows_as_queued(clean_window, stack):
    """Paused, the order waits for the clock: the roster says "queued" and the map draws
    where it goes, instead of looking as if nothing happened."""
    from command_game.level.catalog import campaign
    from command_game.scenes.map import MapScene
    from tests.conftest import pump

    entry = campaign()[0]
    scene = stack.push(MapScene(entry.level, entry.path))
    scene.tutorial = None
    scene.set_speed(0)
    unit = next(iter(scene.world.units.values()))
    scene.selection.set([unit.id])
    office = next(o for o in entry.level.offices if o.type == "kpu")
    target = orders.Target("office", office.id, (office.x, office.y), office.id)
    assert scene.order("hold", target)
    pump(clean_window)
    assert unit.id in scene._hud_state().queued
    assert scene._command_point(scene.pending[0]) == (office.x, office.y)
    assert scene.hud.text.slots[f"unit:{unit.id}:state"].text == "order queued"
    stack.pop()


def test_an_order_key_on_a_road_orders_to_its_nearest_node(clean_window, stack):
    from command_game.level.catalog import campaign
    from command_game.scenes.map import MapScene
    from tests.conftest import pump

    entry = campaign()[0]
    scene = stack.push(MapScene(entry.level, entry.path))
    scene.tutorial = None
    pump(clean_window)
    unit = next(iter(scene.world.units.values()))
    scene.selection.set([unit.id])
    import math

    nodes = {n.id: n for n in entry.level.roads.nodes}
    left, bottom, right, top = scene.hud.map_area()

    def shown(node) -> bool:
        x, y = scene.camera.to_screen(node.x, node.y)
        return left < x < right and bottom < y < top

    edge = next(e for e in entry.level.roads.edges
                if shown(nodes[e.a]) and shown(nodes[e.b]))
    a, b = nodes[edge.a], nodes[edge.b]
    along = scene.click_radius_m() * 2.5 / math.hypot(b.x - a.x, b.y - a.y)
    near = (a.x + (b.x - a.x) * along, a.y + (b.y - a.y) * along)  # on the road, by node a
    sx, sy = scene.camera.to_screen(*near)
    scene.on_mouse_motion(int(sx), int(sy), 0, 0)
    assert scene.hud.hit(sx, sy) is None and scene.target_at(sx, sy).kind == "point"
    scene.do_action("order_patrol")
    assert scene.targeting is None
    assert [(c.kind, c.route[-1] if c.route else c.target) for c in scene.pending][-1][0] \
        == "patrol"
    stack.pop()


def test_a_panel_header_click_folds_the_panel(clean_window, stack):
    """The finale's 17-row roster covers a quarter of the map: its header folds it."""
    from command_game.level.catalog import campaign
    from command_game.scenes.map import MapScene
    from tests.conftest import pump

    entry = campaign()[-1]
    scene = stack.push(MapScene(entry.level, entry.path))
    scene.tutorial = None
    pump(clean_window)
    header = next(rect for rect, hit in scene.hud.hits if hit.kind == "collapse"
                  and hit.value == "roster")
    s = scene.hud.scale
    x, y = (header[0] + header[2] / 2) * s, (header[1] + header[3] / 2) * s
    rows = sum(1 for _, hit in scene.hud.hits if hit.kind == "unit")
    assert rows > 5
    scene.left_click(x, y)
    pump(clean_window)
    assert not any(hit.kind == "unit" for _, hit in scene.hud.hits)
    scene.left_click(x, y)
    pump(clean_window)
    assert sum(1 for _, hit in scene.hud.hits if hit.kind == "unit") == rows
    stack.pop()


def test_cordons_and_open_exit_routes_are_drawn_on_the_map(clean_window, stack):
    """A police line and an open way out change where the crowd walks: the map shows
    both (a blue bar; a green ring at the exit point with a dashed way from the site)."""
    import numpy as np

    from command_game.level.catalog import campaign
    from command_game.render.world_view import CORDON, EXIT
    from command_game.scenes.map import MapScene
    from command_game.sim.commands import Command
    from tests.conftest import pump, save_frame

    entry = campaign()[0]
    scene = stack.push(MapScene(entry.level, entry.path))
    scene.tutorial = None
    world = scene.world
    hq = next(o for o in entry.level.offices if o.type == "polres")
    warehouse = next(o for o in entry.level.offices if o.type == "warehouse")
    first, second = [u.id for u in world.units.values() if u.base == hq.id][:2]
    exit_point = (warehouse.x + 40.0, warehouse.y - 50.0)
    scene.pending = [Command(world.tick, "exit_route", (first,), warehouse.id, point=exit_point),
                     Command(world.tick, "cordon", (second,), hq.id,
                             point=(hq.x - 40.0, hq.y + 30.0))]
    for _ in range(60 * 120):
        scene.on_fixed_update(1 / 60)
        if world.exits.points() and world.cordons.lines():
            break
    assert world.exits.points() and world.cordons.lines(), "the orders took effect"
    scene.set_speed(0)
    scene.camera.centre_on(*exit_point)
    pump(clean_window, 2)
    shot = np.asarray(__import__("PIL.Image").Image.open(save_frame(clean_window,
                                                                    "map_exit_and_cordon")))

    def near(world_xy, color, radius=14) -> int:
        sx, sy = scene.camera.to_screen(*world_xy)
        h = shot.shape[0]
        patch = shot[max(0, int(h - sy) - radius):int(h - sy) + radius,
                     max(0, int(sx) - radius):int(sx) + radius].reshape(-1, 3).astype(int)
        return int((np.abs(patch - np.array(color[:3])).sum(axis=1) < 40).sum())

    assert near(world.exits.points()[0], EXIT) > 10
    a, b = world.cordons.lines()[0]  # its ends reach out past the unit holding it
    (ax, ay), (bx, by) = a, b
    end = (ax + (ax - bx) * 0.5, ay + (ay - by) * 0.5) if abs(ax - bx) + abs(ay - by) > 1 \
        else a
    assert near(end, CORDON, 10) > 6
    assert near(a, CORDON, 10) + near(b, CORDON, 10) > 12
    assert "map." not in " ".join(n.text for n in scene.notifications)  # all translated
    stack.pop()


@pytest.mark.parametrize("kind", ["cordon", "exit_route"])
def test_the_order_bar_gives_a_cordon_or_a_way_out_by_clicks(clean_window, stack, kind):
    """The police line and the way out are on the order bar, like the other orders: a
    click on the button, then on the street, orders it at that point."""
    from command_game.level.catalog import campaign
    from command_game.scenes.map import MapScene
    from tests.conftest import pump

    entry = campaign()[0]
    scene = stack.push(MapScene(entry.level, entry.path))
    scene.tutorial = None
    unit = next(iter(scene.world.units.values()))
    scene.selection.set([unit.id])
    pump(clean_window)
    s = scene.hud.scale
    button = next(rect for rect, hit in scene.hud.hits if hit.kind == "order"
                  and hit.value == kind)
    scene.left_click((button[0] + button[2] / 2) * s, (button[1] + button[3] / 2) * s)
    assert scene.targeting == kind
    kpu = next(o for o in entry.level.offices if o.type == "kpu")
    point = (kpu.x + kpu.radius_m + 30.0, kpu.y)  # the street beside the office
    scene.left_click(*scene.camera.to_screen(*point))
    [command] = scene.pending
    assert command.kind == kind and command.unit_ids == (unit.id,)
    assert command.point == pytest.approx(point, abs=2.0) and command.target == kpu.id


def test_siber_and_tni_are_on_the_order_bar_and_ordered_by_clicks(clean_window, stack):
    """A player finds the cyber response and the TNI call on the order bar, at 150 % on
    1280x800 (the narrowest bar: eleven buttons): each is a click on its button, then
    one on the hoax or the site."""
    import json

    from command_game import settings
    from command_game.level.io import parse_level
    from command_game.scenes.map import MapScene
    from tests.conftest import pump

    data = json.loads(TINY.read_text("utf-8"))
    data["units"].append({"id": "siber_1", "type": "siber", "name": "Satgas Siber",
                          "base": "polres_kecil", "personnel": 4})
    data["incidents"].append({"id": "hoaks", "at_s": 1.0, "type": "hoax", "site": "kpu_kecil",
                              "severity": 1, "escalation_s": 200.0})
    data["tni_backup_calls"] = 2
    level = parse_level(data)
    settings.apply(settings.Settings(ui_scale=150, language="id"))
    scene = stack.push(MapScene(level, TINY))
    scene.tutorial = None
    for _ in range(90):
        scene.world.step(())
    scene.selection.set(scene.world.units)
    pump(clean_window)
    s, hud = scene.hud.scale, scene.hud
    bar = {hit.value: rect for rect, hit in hud.hits if hit.kind == "order"}
    assert list(bar) == ["move", "hold", "patrol", "dialogue", "escort", "respond",
                         "cyber_response", "cordon", "exit_route", "call_tni", "recall"]
    assert max(r[0] + r[2] for r in bar.values()) < hud.minimap_rect[0] - 4  # beside it
    for kind, rect in bar.items():
        label = hud.text.slots[f"order:{kind}"]
        assert label.content_width <= rect[2] - 4, kind  # every name whole on its button
    assert hud.text.slots["order:call_tni:key"].text.endswith("2")  # the calls left

    def press(kind: str) -> None:
        rect = bar[kind]
        scene.left_click((rect[0] + rect[2] / 2) * s, (rect[1] + rect[3] / 2) * s)
        assert scene.targeting == kind

    hoax = next(i for i in scene.world.incidents if i.id == "hoaks")
    press("cyber_response")
    scene.left_click(*scene.camera.to_screen(hoax.x, hoax.y))
    kpu = scene.world.sites["kpu_kecil"]
    press("call_tni")
    scene.left_click(*scene.camera.to_screen(kpu.x, kpu.y))
    cyber, tni = scene.pending
    assert (cyber.kind, cyber.unit_ids, cyber.target) == ("cyber_response", ("siber_1",),
                                                           "hoaks")
    assert (tni.kind, tni.target) == ("call_tni", "kpu_kecil")
    scene.selection.set(["samapta_1"])  # no Siber selected: no cyber button
    pump(clean_window)
    assert "cyber_response" not in [hit.value for _, hit in hud.hits if hit.kind == "order"]
    stack.pop()
