"""The F1 help overlay lists the current bindings and closes with its own key."""

from __future__ import annotations

import pytest
from pyglet.window import key

from command_game import controls, i18n
from tests.conftest import pump, save_frame


@pytest.fixture
def stack(stack):
    """The shared stack (conftest) from the title, with the default key bindings."""
    from command_game.scenes.title import TitleScene

    controls.reset_bindings()
    stack.push(TitleScene())
    yield stack
    controls.reset_bindings()
    i18n.set_language("en")


def test_help_shows_every_action_with_its_current_key(stack, clean_window):
    from command_game.scenes.help import HelpScene

    controls.rebind("order_dialogue", "K")
    help_scene = stack.push(HelpScene())
    pump(clean_window, 2)
    save_frame(clean_window, "help_overlay")
    assert set(help_scene.keys_shown) == set(controls.ACTIONS)
    assert help_scene.keys_shown["order_dialogue"] == "K"
    texts = {label.text for label in help_scene.labels}
    assert "Order: dialogue" in texts and "K" in texts


def test_help_closes_with_its_rebound_key_and_not_with_others(stack, clean_window):
    from command_game.scenes.help import HelpScene

    controls.rebind("help", "F2")
    stack.push(HelpScene())
    pump(clean_window)
    clean_window.dispatch_event("on_key_press", key.F1, 0)  # F1 is nothing now
    clean_window.dispatch_pending_events()
    assert isinstance(stack.top, HelpScene)
    clean_window.dispatch_event("on_key_press", key.F2, 0)
    clean_window.dispatch_pending_events()
    assert not isinstance(stack.top, HelpScene)


def test_help_in_indonesian(stack, clean_window):
    from command_game.scenes.help import HelpScene

    i18n.set_language("id")
    help_scene = stack.push(HelpScene())
    pump(clean_window)
    texts = {label.text for label in help_scene.labels}
    assert "Tombol dan kendali" in texts and "Perintah: dialog" in texts
    save_frame(clean_window, "help_overlay_id")


def test_help_follows_the_interface_scale_within_the_window(stack, clean_window):
    from command_game import settings
    from command_game.scenes.help import HelpScene

    try:
        settings.apply(settings.Settings(ui_scale=75))
        small = stack.push(HelpScene())
        pump(clean_window)
        assert small.scale == 0.75
        small_font = max(label.font_size for label in small.labels)
        stack.pop()
        settings.apply(settings.Settings(ui_scale=200))
        big = stack.push(HelpScene())
        pump(clean_window)
        assert 0.75 < big.scale <= 2.0
        assert max(label.font_size for label in big.labels) > small_font
        assert big.panel.width <= clean_window.width  # never larger than the window
    finally:
        settings.apply(settings.Settings())
