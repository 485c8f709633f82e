"""HUD tooltips: every clickable HUD element explains itself and names its current key."""

from __future__ import annotations

import typing

import pytest

from command_game import controls, i18n
from command_game.level.models import UnitSpec
from command_game.render.tooltip import HOVER_DELAY_S, Tooltip, tooltip_for


@pytest.fixture
def map_scene(clean_window, stack):
    from command_game import settings
    from command_game.level.io import load_level
    from command_game.scenes.map import MapScene
    from tests.conftest import LEVELS, pump

    settings.apply(settings.Settings(show_tutorial=False))
    scene = stack.push(MapScene(load_level(LEVELS / "01_singkawang.json")))
    scene.selection.set(list(scene.world.units)[:1])  # order buttons show with a selection
    for _ in range(1200):
        scene.world.step([])
    pump(clean_window, 2)
    yield scene
    stack.pop()
    settings.apply(settings.Settings())
    controls.reset_bindings()


def test_every_unit_type_has_a_role_in_both_languages():
    types = typing.get_args(UnitSpec.model_fields["type"].annotation)
    assert types
    for lang in i18n.LANGUAGES:
        for unit_type in types:
            assert f"tooltip.role.{unit_type}" in i18n.catalog(lang)


def test_every_clickable_hud_element_has_a_tooltip(map_scene):
    kinds = set()
    for _, hit in map_scene.hud.hits:
        if hit.kind == "panel":
            assert tooltip_for(hit, map_scene.world) is None
            continue
        text = tooltip_for(hit, map_scene.world)
        assert text and "{" not in text, hit
        kinds.add(hit.kind)
    assert {"speed", "unit", "order", "minimap", "stat", "objective"} <= kinds


def test_order_tooltip_names_the_rebound_key(map_scene):
    order = next(hit for _, hit in map_scene.hud.hits if hit.kind == "order"
                 and hit.value == "move")
    assert "(M)" in tooltip_for(order, map_scene.world)
    controls.rebind("order_move", "K")
    assert "(K)" in tooltip_for(order, map_scene.world)


def test_tooltip_waits_for_the_mouse_to_rest(map_scene, clean_window):
    from tests.conftest import save_frame

    (left, bottom, width, height), hit = next(
        (rect, hit) for rect, hit in map_scene.hud.hits if hit.kind == "order")
    mouse = (left + width / 2, bottom + height / 2)
    tip = Tooltip()
    size = clean_window.get_size()
    tip.draw(hit, map_scene.world, mouse, 10.0, size)
    assert tip.text is None
    tip.draw(hit, map_scene.world, mouse, 10.0 + HOVER_DELAY_S / 2, size)
    assert tip.text is None
    map_scene.on_draw()
    tip.draw(hit, map_scene.world, mouse, 10.0 + HOVER_DELAY_S, size)
    assert tip.text == tooltip_for(hit, map_scene.world)
    save_frame(clean_window, "tooltip_order_button")
    tip.draw(None, map_scene.world, mouse, 11.0, size)
    assert tip.text is None


def test_map_scene_shows_the_tooltip_of_the_hovered_button(map_scene, clean_window):
    from tests.conftest import pump, save_frame

    (left, bottom, width, height), hit = next(
        (rect, hit) for rect, hit in map_scene.hud.hits if hit.kind == "speed" and hit.value == 0)
    clean_window.dispatch_event("on_mouse_motion", left + width / 2, bottom + height / 2, 0, 0)
    clean_window.dispatch_pending_events()
    pump(clean_window)
    assert map_scene.tooltip.text is None  # not yet: the mouse has only just arrived
    map_scene.on_update(HOVER_DELAY_S + 0.1)
    pump(clean_window)
    assert map_scene.tooltip.text == tooltip_for(hit, map_scene.world)
    assert "Space" in map_scene.tooltip.text
    save_frame(clean_window, "tooltip_pause_button")


def test_tooltip_follows_the_interface_scale(map_scene, clean_window):
    from command_game import settings

    _, hit = next((rect, hit) for rect, hit in map_scene.hud.hits if hit.kind == "order")
    tip = Tooltip()
    tip.draw(hit, map_scene.world, (300, 300), 0.0, clean_window.get_size())
    tip.draw(hit, map_scene.world, (300, 300), 1.0, clean_window.get_size())
    normal = tip._label.font_size
    settings.apply(settings.Settings(ui_scale=150, show_tutorial=False))
    tip.draw(hit, map_scene.world, (300, 300), 2.0, clean_window.get_size())
    assert tip._label.font_size > normal


def test_objective_tooltip_has_the_whole_title_the_hud_shortens(map_scene):
    from command_game.i18n import pick

    for _, hit in map_scene.hud.hits:
        if hit.kind == "objective":
            objective = next(o for o in map_scene.world.objectives if o.id == hit.value)
            text = tooltip_for(hit, map_scene.world)
            assert text.startswith(pick(objective.title))
            assert ("optional" in text) is objective.optional
            assert "Not met yet." in text
