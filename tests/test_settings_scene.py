"""The settings scene in a real window: its controls respond to clicks and keys, apply at
once, save, and a broken settings file still lets the title screen open."""

from __future__ import annotations

import shutil

import arcade
import pytest
from pyglet.window import key

from command_game import controls, i18n, settings
from command_game.render import palette
from tests.conftest import SCREENSHOTS, click, pump, save_frame


@pytest.fixture
def scene(clean_window, stack):
    settings.apply(settings.load_settings())
    from command_game.scenes.settings import SettingsScene

    opened = stack.push(SettingsScene())
    pump(clean_window, 2)  # arcade.gui lays out in draw: widgets have rects after this
    yield opened
    stack.reset(SettingsScene())
    stack.pop()
    settings.apply(settings.Settings(), clean_window)
    clean_window.set_size(1280, 800)


def press(window, symbol, modifiers=0) -> None:
    window.dispatch_event("on_key_press", symbol, modifiers)
    window.dispatch_pending_events()
    pump(window)


def strip_pixel(window, scene):
    """The colour at the agitated end of the palette strip under the general panel."""
    r = scene.general_box.rect
    image = arcade.get_image(0, 0, *window.get_framebuffer_size())
    x, y = int(r.right - 6), int(r.bottom - 34 * scene.scale + 7)
    return image.getpixel((x, image.height - 1 - y))[:3]


def test_opens_and_shows_every_setting(scene, clean_window):
    assert set(scene.value_buttons) == set(settings.Settings.model_fields) - {
        "version", "key_bindings"} | {"category"}
    path = save_frame(clean_window, "settings_scene")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SCREENSHOTS / "settings.png")
    assert scene.value_buttons["language"].text == "English"


def test_palette_click_changes_crowd_colours_on_screen_and_in_the_file(scene, clean_window):
    before = strip_pixel(clean_window, scene)
    click(clean_window, scene.value_buttons["palette"])
    assert palette.palette() == "colorblind"
    assert settings.load_settings().palette == "colorblind"
    after = strip_pixel(clean_window, scene)
    save_frame(clean_window, "settings_scene_colorblind")
    assert tuple(after) == tuple(palette.agitation_colors([1.0])[0][:3]) != tuple(before)


def test_language_click_switches_every_label_at_once(scene, clean_window):
    click(clean_window, scene.value_buttons["language"])
    assert i18n.language() == "id"
    assert scene.title_bar.title.text == "Pengaturan"
    assert scene.value_buttons["fullscreen"].text == "Nonaktif"
    assert settings.load_settings().language == "id"
    save_frame(clean_window, "settings_scene_id")


def test_keyboard_changes_the_focused_row(scene, clean_window):
    press(clean_window, key.DOWN)  # language -> master volume
    press(clean_window, key.LEFT)
    assert settings.current().master_volume == pytest.approx(0.7)
    assert scene.value_buttons["master_volume"].text == "70%"
    assert settings.load_settings().master_volume == pytest.approx(0.7)


def test_ui_scale_makes_the_controls_bigger(scene, clean_window):
    small = scene.value_buttons["language"].rect.height
    for _ in range(3):  # 100 -> 110 -> 125 -> 150
        click(clean_window, scene.arrows["ui_scale"][1])
    assert settings.current().ui_scale == 150
    pump(clean_window)
    assert scene.value_buttons["language"].rect.height == pytest.approx(small * 1.5, abs=1)
    save_frame(clean_window, "settings_scene_150")


def test_a_second_click_on_the_scale_arrow_changes_the_scale_again(scene, clean_window,
                                                                   monkeypatch):
    """The rebuilt screen moves the controls; the pointer moves with the one clicked, so
    clicking again where the pointer is steps the scale again (not the window size)."""
    pointer = []
    monkeypatch.setattr(clean_window, "set_mouse_position",
                        lambda x, y: pointer.append((x, y)))
    click(clean_window, scene.arrows["ui_scale"][1])  # 100 -> 110
    assert settings.current().ui_scale == 110 and pointer
    x, y = pointer[-1]
    assert scene.arrows["ui_scale"][1].rect.point_in_rect((x, y))
    clean_window.dispatch_event("on_mouse_press", x, y, arcade.MOUSE_BUTTON_LEFT, 0)
    clean_window.dispatch_event("on_mouse_release", x, y, arcade.MOUSE_BUTTON_LEFT, 0)
    clean_window.dispatch_pending_events()
    assert settings.current().ui_scale == 125
    assert settings.current().window_size == (1280, 800)


def test_window_sizes_larger_than_the_screen_are_not_offered():
    from types import SimpleNamespace

    from command_game.scenes.settings import _fits_screen

    small = SimpleNamespace(screen=SimpleNamespace(width=1280, height=800))
    offered = [size for size in settings.WINDOW_SIZES if _fits_screen(small, size)]
    assert (1280, 800) in offered and (1440, 900) not in offered


def test_a_scale_the_window_cannot_hold_is_capped_and_said(scene, clean_window):
    from command_game.render import ui_scale

    scene.change("window_size", (1280, 720))
    pump(clean_window, 2)
    scene.change("ui_scale", 200)
    assert ui_scale.effective(1280, 720) < 1.5 and scene.scale == ui_scale.effective()
    assert "200%" in scene.message.text and "1280x720" in scene.message.text


def test_window_size_click_resizes_the_window(scene, clean_window):
    click(clean_window, scene.value_buttons["window_size"])  # 1280x800 -> 1440x900
    pump(clean_window, 2)
    assert settings.current().window_size == (1440, 900)
    assert tuple(clean_window.get_size()) == (1440, 900)


def test_toggles_apply(scene, clean_window):
    click(clean_window, scene.value_buttons["reduced_flashing"])
    click(clean_window, scene.value_buttons["edge_scrolling"])
    assert palette.reduced_flashing()
    assert controls.edge_scroll(0, 0, 100, 100) == (0, 0)
    saved = settings.load_settings()
    assert saved.reduced_flashing and not saved.edge_scrolling


def test_rebinding_by_click_and_key_press(scene, clean_window):
    click(clean_window, scene.value_buttons["category"])  # camera -> time
    assert "pause" in scene.key_buttons
    click(clean_window, scene.key_buttons["speed_up"])
    assert scene.capturing == "speed_up"
    press(clean_window, key.K)
    assert controls.action_for(key.K) == "speed_up"
    assert scene.key_buttons["speed_up"].text == "K"
    assert settings.load_settings().key_bindings == {"speed_up": "K"}


def test_conflict_is_reported_then_swapped_on_the_second_press(scene, clean_window):
    click(clean_window, scene.value_buttons["category"])  # time
    click(clean_window, scene.key_buttons["speed_up"])
    press(clean_window, key.SPACE)  # Space is pause's
    assert "Pause / resume" in scene.message.text
    assert controls.action_for(key.SPACE) == "pause" and scene.capturing == "speed_up"
    save_frame(clean_window, "settings_scene_conflict")
    press(clean_window, key.SPACE)
    assert controls.action_for(key.SPACE) == "speed_up"
    assert controls.key_name("pause") == "="
    assert scene.key_buttons["pause"].text == "="


def test_escape_cancels_a_capture_and_then_leaves(scene, clean_window):
    click(clean_window, scene.key_buttons["pan_up"])
    press(clean_window, key.ESCAPE)
    assert scene.capturing is None and controls.key_name("pan_up") == "Up"
    press(clean_window, key.F1)  # not a capture any more: no rebinding happens
    assert controls.key_name("help") == "F1"


def test_default_keys_button_restores_every_binding(scene, clean_window):
    controls.rebind("pan_up", "W")
    settings.update(key_bindings=controls.overrides())
    click(clean_window, scene.rows[-2].main)  # "Default keys", just above Back
    assert controls.overrides() == {}
    assert settings.load_settings().key_bindings == {}


def test_corrupt_settings_file_still_opens_the_title(clean_window, stack, user_home):
    from command_game.scenes.title import TitleScene

    settings_path = user_home / "settings.json"
    settings_path.parent.mkdir(parents=True, exist_ok=True)
    settings_path.write_text('{"version": 1, "language": "klingon"')
    loaded = settings.load_settings()
    assert loaded.notice is not None and loaded.notice.backup.exists()
    settings.apply(loaded, clean_window)
    stack.push(TitleScene())
    pump(clean_window, 2)
    save_frame(clean_window, "title_after_corrupt_settings")
    assert isinstance(stack.top, TitleScene)
    assert "settings.json.bak" in stack.top.settings_notice.text  # the title says so
    from command_game.scenes.settings import SettingsScene

    opened = stack.push(SettingsScene())
    pump(clean_window, 2)
    assert "could not be used" in opened.message.text
    save_frame(clean_window, "settings_after_corrupt_file")
    stack.reset(TitleScene())
    stack.pop()


def test_a_disk_that_refuses_the_file_is_reported_not_a_crash(scene, clean_window, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(settings, "save_settings", refuse)
    click(clean_window, scene.value_buttons["palette"])
    assert palette.palette() == "colorblind"  # still applied for this session
    assert "not saved" in scene.message.text and "Permission denied" in scene.message.text


@pytest.mark.parametrize("on", [True, False])
def test_edge_scrolling_setting_pans_the_map_or_not(clean_window, stack, on):
    from command_game.level.io import load_level
    from command_game.scenes.map import MapScene
    from tests.conftest import LEVELS

    settings.apply(settings.Settings(edge_scrolling=on, show_tutorial=False))
    scene = stack.push(MapScene(load_level(LEVELS / "01_singkawang.json")))
    try:
        scene.camera.zoom_at(640, 400, 2.0)  # zoomed in, so there is room to pan
        before = scene.camera.position
        clean_window.dispatch_event("on_mouse_motion", 1, 400, 0, 0)  # at the left edge
        clean_window.dispatch_pending_events()
        scene.on_update(0.25)
        moved = scene.camera.position != before
        assert moved is on
    finally:
        stack.pop()
        settings.apply(settings.Settings())


def test_at_a_big_scale_the_key_bindings_are_a_tab_away(scene, clean_window):
    """At 150 % on 1280x800 the two columns do not fit side by side: a Keys tab shows the
    bindings (they used to vanish below the list)."""
    scene.change("ui_scale", 150)
    pump(clean_window, 2)
    assert scene.page == "general" and set(scene.tab_buttons) == {"general", "keys"}
    click(clean_window, scene.tab_buttons["keys"])
    pump(clean_window)
    assert scene.page == "keys"
    shown = [b for b in scene.key_buttons.values() if b.parent is not None and b.rect.width]
    assert shown and all(b.rect.bottom >= 0 and b.rect.top <= clean_window.height for b in shown)
    save_frame(clean_window, "settings_scene_150_keys")
    press(clean_window, key.UP)  # from the group row the keyboard walks into the general page
    assert scene.page == "general"


def test_a_window_resized_by_its_border_keeps_its_size_when_other_settings_change(
        scene, clean_window):
    """Only the window size and fullscreen settings size the window: a player who
    dragged it to 1200x760 and then switches the language keeps 1200x760."""
    from tests.test_layout import _resize

    _resize(clean_window, (1200, 760))
    try:
        scene.change("language", "id")
        scene.change("master_volume", 0.5)
        pump(clean_window)
        assert tuple(clean_window.get_size()) == (1200, 760)
    finally:
        clean_window.set_size(1280, 800)
        pump(clean_window)
