"""Hotkeys as named actions: defaults, rebinding, conflicts, stored overrides."""

from __future__ import annotations

import pytest
from pyglet.window import key

from command_game import controls


@pytest.fixture(autouse=True)
def default_bindings():
    controls.reset_bindings()
    yield
    controls.reset_bindings()


def test_every_action_has_a_distinct_default_key():
    found = controls.bindings()
    assert set(found) == set(controls.ACTIONS)
    assert len(set(found.values())) == len(found)
    for action, binding in found.items():
        assert controls.action_for(binding.symbol, binding.modifiers) == action


def test_key_presses_map_to_actions():
    assert controls.action_for(key.SPACE) == "pause"
    assert controls.action_for(key.TAB) == "next_unit"
    assert controls.action_for(key.TAB, key.MOD_SHIFT) == "prev_unit"
    assert controls.action_for(key._3, key.MOD_CTRL) == "group_set_3"
    assert controls.action_for(key.NUM_3) == "group_3"  # number pad like the top row
    assert controls.action_for(key.I, key.MOD_NUMLOCK | key.MOD_CAPSLOCK) == "next_incident"
    assert controls.action_for(key.F1) == "help"
    assert controls.action_for(key.ESCAPE) is None
    assert controls.action_for(key.Z) is None


def test_keyboard_only_play_covers_every_order_kind():
    from command_game.sim.commands import COMMAND_KINDS

    # an event card is answered in its own overlay, by 1-3 or arrows and Enter
    # (tests/test_event_card_scene.py), not by a map order key
    assert set(controls.ORDER_KINDS.values()) == set(COMMAND_KINDS) - {"choose_card"}
    for needed in ("next_unit", "next_incident", "next_site", "pause"):
        assert needed in controls.ACTIONS


def test_binding_text_round_trips():
    for action, binding in controls.DEFAULTS.items():
        assert controls.parse_binding(str(binding)) == binding, action
    assert controls.parse_binding("ctrl + shift + tab") == controls.Binding(
        key.TAB, key.MOD_CTRL | key.MOD_SHIFT)
    assert str(controls.parse_binding("Shift++")) == "Shift++"


@pytest.mark.parametrize("bad, message", [
    ("", "empty"), ("Hyper+A", "unknown modifier 'Hyper'"), ("Ctrl+", "no key"),
    ("Foo", "unknown key 'Foo'"), ("Escape", "Escape cannot be bound"),
    ("LShift", "alone cannot be bound"), ("MOD_CTRL", "unknown key"),
])
def test_unreadable_bindings_say_why(bad, message):
    with pytest.raises(controls.BindingError, match=message):
        controls.parse_binding(bad)


def test_rebound_key_maps_to_the_action_and_the_old_key_no_longer_does():
    controls.rebind("order_dialogue", "K")
    assert controls.action_for(key.K) == "order_dialogue"
    assert controls.action_for(key.D) is None
    assert controls.key_name("order_dialogue") == "K"
    assert controls.overrides() == {"order_dialogue": "K"}


def test_conflicting_rebind_is_refused_or_swapped():
    with pytest.raises(controls.BindingConflict) as caught:
        controls.rebind("order_dialogue", "Space")
    assert caught.value.other == "pause"
    assert controls.action_for(key.SPACE) == "pause"  # nothing changed
    controls.rebind("order_dialogue", "Space", swap=True)
    assert controls.action_for(key.SPACE) == "order_dialogue"
    assert controls.action_for(key.D) == "pause"
    controls.rebind("pause", "D")  # rebinding to its own key is no conflict
    assert controls.conflict("pause", controls.parse_binding("D")) is None


def test_stored_overrides_apply_and_bad_entries_are_reported_not_fatal():
    problems = controls.set_overrides({"pause": "P", "no_such": "X", "help": "Foo"})
    assert controls.action_for(key.P) == "pause"  # P was patrol's: the two swapped
    assert controls.action_for(key.SPACE) == "order_patrol"
    assert len(problems) == 2 and "no_such" in problems[0] and "help" in problems[1]
    assert controls.key_name("help") == "F1"


def test_cycle_wraps_both_ways():
    items = ["a", "b", "c"]
    assert controls.cycle(items, None) == "a"
    assert controls.cycle(items, None, -1) == "c"
    assert controls.cycle(items, "c") == "a"
    assert controls.cycle(items, "a", -1) == "c"
    assert controls.cycle(items, "gone") == "a"
    assert controls.cycle([], "a") is None


def test_gamepad_with_no_controller_does_not_stop_the_game(clean_window):
    from command_game import gamepad

    pad = gamepad.attach(clean_window)
    assert clean_window.gamepad is pad
    assert isinstance(pad.controllers, list)  # none on CI; opening them must not raise


def test_gamepad_drives_a_menu_through_its_keys(clean_window, stack):
    from types import SimpleNamespace

    from command_game import gamepad, settings
    from command_game.scenes.settings import SettingsScene
    from command_game.scenes.title import TitleScene
    from tests.conftest import pump

    settings.apply(settings.load_settings())
    stack.push(TitleScene())
    scene = stack.push(SettingsScene())
    pump(clean_window, 2)
    pad = gamepad.MenuGamepad(clean_window)
    controller = object()
    try:
        pad.on_dpad_motion(controller, SimpleNamespace(x=0.0, y=-1.0))  # down: master volume
        pad.on_dpad_motion(controller, SimpleNamespace(x=0.0, y=-1.0))  # held: no repeat
        pad.on_dpad_motion(controller, SimpleNamespace(x=0.0, y=0.0))
        pad.on_stick_motion(controller, "leftstick", SimpleNamespace(x=0.9, y=0.1))  # right
        clean_window.dispatch_pending_events()
        assert scene.focus_index == 1
        assert settings.current().master_volume == pytest.approx(0.9)
        pad.on_button_press(controller, "b")  # back to the title
        clean_window.dispatch_pending_events()
        assert isinstance(stack.top, TitleScene)
    finally:
        stack.reset(TitleScene())
        stack.pop()
        settings.apply(settings.Settings())


def test_keyboard_focus_gives_order_targets_without_a_mouse():
    from types import SimpleNamespace

    from command_game.level.io import load_level
    from command_game.scenes import orders
    from command_game.scenes.keyboard_focus import KeyboardFocus
    from command_game.sim.world import World
    from tests.conftest import LEVELS

    world = World.from_level(load_level(LEVELS / "01_singkawang.json"), seed=0)
    focus = KeyboardFocus()
    assert focus.target(world) is None
    sites = list(world.sites)
    point = focus.cycle_site(world, 1, mouse=(5.0, 5.0))
    assert focus.id == sites[0] and point == (world.sites[sites[0]].x, world.sites[sites[0]].y)
    focus.cycle_site(world, -1, mouse=(5.0, 5.0))
    focus.cycle_site(world, -1, mouse=(5.0, 5.0))
    assert focus.id == sites[-2]
    target = focus.target(world, mouse=(5.0, 5.0))
    assert target.kind == "office" and target.site == sites[-2]
    assert focus.target(world, mouse=(9.0, 5.0)) is None  # the mouse moved: it points now
    unit = next(iter(world.units))
    commands = orders.orders_for(world, "dialogue", target, [unit])
    assert [(c.kind, c.target) for c in commands] == [("dialogue", sites[-2])]

    fake = SimpleNamespace(incidents=[
        SimpleNamespace(id="a", status="open", x=1.0, y=2.0, site="kpu"),
        SimpleNamespace(id="b", status="resolved", x=3.0, y=4.0, site="kpu"),
        SimpleNamespace(id="c", status="escalated", x=5.0, y=6.0, site="ppk"),
    ], sites={})
    assert focus.cycle_incident(fake, 1) == (1.0, 2.0)
    assert focus.cycle_incident(fake, 1) == (5.0, 6.0)  # resolved ones are skipped
    assert focus.target(fake) == orders.Target("incident", "c", (5.0, 6.0), "ppk")
    fake.incidents[2].status = "resolved"
    assert focus.target(fake) is None


def test_a_rebound_key_issues_the_order_on_the_map(clean_window, stack):
    from command_game import settings
    from command_game.level.io import load_level
    from command_game.scenes.map import MapScene
    from tests.conftest import LEVELS

    settings.apply(settings.Settings(key_bindings={"order_dialogue": "K"},
                                     show_tutorial=False))
    scene = stack.push(MapScene(load_level(LEVELS / "01_singkawang.json")))
    try:
        for symbol in (key.TAB, key.O, key.D, key.K):  # unit, site, old key, new key
            clean_window.dispatch_event("on_key_press", symbol, 0)
            clean_window.dispatch_event("on_key_release", symbol, 0)
            clean_window.dispatch_pending_events()
        kinds = [c.kind for c in scene.pending]
        assert kinds == ["dialogue"]  # D did nothing; K ordered the dialogue
        assert scene.pending[0].target == scene.focus.id
    finally:
        stack.pop()
        settings.apply(settings.Settings())
