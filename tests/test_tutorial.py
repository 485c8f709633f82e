"""The first-mission tutorial advances only on the action each step asks for."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from pyglet.window import key

from command_game import settings
from command_game.level.catalog import campaign
from command_game.scenes.orders import Selection
from command_game.scenes.tutorial import STEPS, Tutorial
from command_game.sim.commands import Command


def fake_scene(speed: int = 1):
    return SimpleNamespace(selection=Selection(), speed=speed)


def cmd(kind: str) -> Command:
    return Command(0, kind, ("u1",), target="kpu")


@pytest.fixture(autouse=True)
def fresh_settings():
    settings.apply(settings.load_settings())
    yield
    settings.apply(settings.Settings())


def test_only_the_first_campaign_mission_with_the_setting_on_gets_a_tutorial():
    levels = campaign()
    assert Tutorial.for_level(levels[0].level) is not None
    if len(levels) > 1:
        assert Tutorial.for_level(levels[1].level) is None
    settings.update(show_tutorial=False)
    assert Tutorial.for_level(levels[0].level) is None


def test_each_step_waits_for_its_own_action():
    tut, scene = Tutorial(), fake_scene()
    tut.update(scene)
    assert tut.current == "select"
    tut.on_commands([cmd("move"), cmd("dialogue")])  # orders before selecting: not it
    scene.speed = 0
    tut.update(scene)
    scene.speed = 1
    tut.update(scene)
    assert tut.current == "select"
    scene.selection.click("u1")
    tut.update(scene)
    assert tut.current == "dispatch"

    tut.on_commands([cmd("dialogue")])  # a dialogue is the next lesson, not a dispatch
    tut.on_commands([cmd("recall")])
    tut.update(scene)
    assert tut.current == "dispatch"
    tut.on_commands([cmd("respond")])
    assert tut.current == "dialogue"

    tut.on_commands([cmd("move"), cmd("hold")])
    assert tut.current == "dialogue"
    tut.on_commands([cmd("dialogue")])
    assert tut.current == "pause"

    tut.on_commands([cmd("dialogue")])
    tut.update(scene)
    assert tut.current == "pause"
    scene.speed = 0
    tut.update(scene)
    assert tut.current is None and tut.state == "done"
    assert settings.load_settings().show_tutorial is False  # not offered again


def test_selecting_needs_a_new_selection_and_pausing_needs_a_running_clock():
    tut, scene = Tutorial(), fake_scene(speed=0)
    scene.selection.click("u1")  # already selected when the tutorial starts
    tut.update(scene)
    tut.update(scene)
    assert tut.current == "select"
    scene.selection.click("u2")
    tut.update(scene)
    tut.on_commands([cmd("move")])
    tut.on_commands([cmd("dialogue")])
    assert tut.current == "pause"
    tut.update(scene)  # already paused: that is not the player pausing
    tut.update(scene)
    assert tut.current == "pause"
    scene.speed = 2
    tut.update(scene)
    scene.speed = 0
    tut.update(scene)
    assert tut.state == "done"


def test_skip_key_and_skip_box_end_it_other_keys_do_not():
    tut = Tutorial()
    assert not tut.on_key_press(key.F9, 0)
    assert tut.on_key_press(key.F10, 0)
    assert tut.state == "skipped" and tut.current is None
    assert settings.load_settings().show_tutorial is False
    tut2 = Tutorial()
    tut2.skip_box = (100, 100, 50, 20)
    assert not tut2.on_mouse_press(90, 110)
    assert tut2.on_mouse_press(120, 110)
    assert tut2.state == "skipped"


def test_closing_line_shows_for_a_while_then_goes():
    tut, scene = Tutorial(), fake_scene()
    tut.skip()
    assert tut.visible and "skipped" in tut.prompt()
    tut.update(scene, 9.0)
    assert not tut.visible


def test_prompts_name_the_current_keys():
    from command_game import controls

    tut, scene = Tutorial(), fake_scene()
    assert "Tab" in tut.prompt()
    controls.rebind("next_unit", "N")
    assert "N" in tut.prompt() and "Tab" not in tut.prompt()
    assert len(STEPS) == 4
    tut.update(scene)
    scene.selection.click("u1")
    tut.update(scene)
    assert "O" in tut.prompt() and "M" in tut.prompt()


def _press(window, symbol, modifiers=0):
    window.dispatch_event("on_key_press", symbol, modifiers)
    window.dispatch_event("on_key_release", symbol, modifiers)
    window.dispatch_pending_events()


@pytest.fixture
def first_mission(clean_window, stack):
    from command_game.scenes.map import MapScene

    entry = campaign()[0]
    scene = stack.push(MapScene(entry.level, entry.path))
    yield scene
    if stack.top is not None:
        stack.reset(stack.scenes[0])
        stack.pop()


def test_tutorial_runs_in_the_first_mission_and_is_played_by_keyboard(first_mission,
                                                                      clean_window):
    from tests.conftest import pump, save_frame

    scene = first_mission
    tut = scene.tutorial
    assert tut is not None and tut.current == "select"
    scene.on_update(1 / 60)
    pump(clean_window)
    save_frame(clean_window, "tutorial_step_select")

    _press(clean_window, key.SPACE)  # pausing now is not what step 1 asks
    scene.on_update(1 / 60)
    assert tut.current == "select" and scene.speed == 0
    _press(clean_window, key.SPACE)
    _press(clean_window, key.TAB)  # next unit: selects one
    scene.on_update(1 / 60)
    assert scene.selection.ids and tut.current == "dispatch"
    pump(clean_window)
    kpu = next(s for s in scene.world.sites.values() if s.type == "kpu")
    assert tut.pointer == scene.camera.to_screen(kpu.x, kpu.y)  # on-map: where to send it
    pump(clean_window)
    save_frame(clean_window, "tutorial_step_dispatch")

    _press(clean_window, key.O)  # focus a site ...
    _press(clean_window, key.M)  # ... and send the unit there
    assert [c.kind for c in scene.pending] == ["move"]
    assert tut.current == "dialogue"
    _press(clean_window, key.D)
    assert scene.pending[-1].kind == "dialogue" and tut.current == "pause"
    for _ in range(5):
        scene.on_fixed_update(1 / 60)
        scene.on_update(1 / 60)
    assert tut.current == "pause"
    _press(clean_window, key.SPACE)
    scene.on_update(1 / 60)
    assert tut.state == "done" and scene.speed == 0
    pump(clean_window)
    save_frame(clean_window, "tutorial_done")
    assert settings.load_settings().show_tutorial is False


def test_tutorial_skip_key_in_the_mission(first_mission, clean_window):
    from tests.conftest import pump

    _press(clean_window, key.F10)
    assert first_mission.tutorial.state == "skipped"
    pump(clean_window)
    _press(clean_window, key.TAB)  # the map goes on working as usual
    assert first_mission.selection.ids
