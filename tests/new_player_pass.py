"""A new player's evening with the game, as frames to look at: not part of ``make test``.

Run it by hand (about three minutes a setting on an idle machine)::

    .venv/bin/python -m pytest -q tests/new_player_pass.py

For each setting the issue names (#14: 150 % Bahasa Indonesia on 1280x800, 100 % English
on 1280x720) it plays the first mission the way a new player does - title, level
select, briefing, the tutorial's prompts, a tooltip, an order given while paused, the
order menu, the night played out by the autopilot through the scene - then the debrief
(Space must not restart it), a live language switch back on the debrief, the level
select after the win, the board, settings' tabs, the editor (a new level with an office
placed before any road, every panel tab), the finale's map, help and pause, and the
finale's debrief with nine objectives. Every frame goes to
``tests/artifacts/new_player/<setting>/``; the few things a frame cannot show (Space on
the debrief, which level is highlighted) are asserted.
"""

from __future__ import annotations

import shutil

import arcade
import pytest

from command_game import settings
from command_game.level.catalog import campaign
from tests.conftest import ARTIFACTS, pump, save_frame

pytestmark = pytest.mark.gl

SETTINGS = {"1280x800_id_150": ((1280, 800), "id", 150),
            "1280x720_en_100": ((1280, 720), "en", 100)}


class Player:
    def __init__(self, window, folder: str) -> None:
        self.window = window
        self.folder = ARTIFACTS / "new_player" / folder
        shutil.rmtree(self.folder, ignore_errors=True)  # this evening's frames only
        self.count = 0

    def frames(self, count: int) -> None:
        """``count`` frames of the real loop: the update (tutorial, tooltips), then the draw."""
        for _ in range(count):
            self.window.dispatch_event("on_update", 1 / 60)
            pump(self.window)

    def shot(self, name: str, frames: int = 2) -> None:
        self.frames(frames)
        self.count += 1
        save_frame(self.window, f"{self.count:02d}_{name}", self.folder)

    def click(self, widget) -> None:
        from tests.test_screens import click

        click(self.window, widget)
        pump(self.window)

    def press(self, symbol: int, modifiers: int = 0) -> None:
        self.window.dispatch_event("on_key_press", symbol, modifiers)
        self.window.dispatch_event("on_key_release", symbol, modifiers)
        self.window.dispatch_pending_events()
        pump(self.window)

    def mouse(self, x: float, y: float) -> None:
        self.window.dispatch_event("on_mouse_motion", x, y, 0, 0)
        self.window.dispatch_pending_events()

    def right_click(self, x: float, y: float, modifiers: int = 0) -> None:
        for event in ("on_mouse_press", "on_mouse_release"):
            self.window.dispatch_event(event, x, y, arcade.MOUSE_BUTTON_RIGHT, modifiers)
        self.window.dispatch_pending_events()
        pump(self.window)


def _resize(window, size) -> None:
    from tests.test_layout import _resize as resize

    resize(window, size)


@pytest.mark.parametrize("name", list(SETTINGS))
def test_a_new_players_evening(clean_window, stack, name):
    from command_game.scenes.briefing import BriefingScene
    from command_game.scenes.debrief import DebriefScene
    from command_game.scenes.event_card import EventCardScene
    from command_game.scenes.level_select import LevelSelectScene
    from command_game.scenes.map import MapScene
    from command_game.scenes.settings import SettingsScene
    from command_game.scenes.title import TitleScene
    from command_game.sim.autopilot import Autopilot

    size, lang, scale = SETTINGS[name]
    window = clean_window
    _resize(window, size)
    settings.apply(settings.Settings(language=lang, ui_scale=scale))
    me = Player(window, name)
    try:
        title = stack.push(TitleScene())
        me.shot("title")
        me.click(title.buttons["play"])
        select = stack.top
        assert isinstance(select, LevelSelectScene)
        me.shot("level_select")
        select.open_briefing()
        briefing = stack.top
        assert isinstance(briefing, BriefingScene)
        me.shot("briefing")
        me.click(briefing.start_button)
        mission = stack.top
        assert isinstance(mission, MapScene) and mission.tutorial is not None
        me.shot("map_tutorial_select")
        # a tooltip over the roster while the tutorial asks to pick a unit
        row = next(rect for rect, hit in mission.hud.hits if hit.kind == "unit")
        s = mission.hud.scale
        me.mouse((row[0] + row[2] / 2) * s, (row[1] + row[3] / 2) * s)
        me.shot("map_roster_tooltip", 40)  # the tooltip waits 0.4 s
        mission.left_click((row[0] + row[2] / 2) * s, (row[1] + row[3] / 2) * s)
        me.shot("map_tutorial_dispatch")
        # paused, an order to the KPU: the route and "queued" show at once
        me.press(arcade.key.SPACE)
        kpu = next(o for o in mission.level.offices if o.type == "kpu")
        x, y = mission.camera.to_screen(kpu.x, kpu.y)
        me.right_click(x, y)
        me.shot("map_paused_order_queued")
        me.right_click(x, y, arcade.key.MOD_CTRL)
        me.shot("map_order_menu")
        me.press(arcade.key.ESCAPE)  # the menu closes
        mission.tutorial = None  # the autopilot plays the rest of the night
        mission.set_speed(4)
        commander = Autopilot(mission.world)
        shots = {60 * 60 * 2: "map_night_2min", 60 * 60 * 4: "map_night_4min"}
        cards = 0
        for _ in range(20000):
            if isinstance(stack.top, EventCardScene):  # a card: read it, take the first
                cards += 1
                me.shot(f"event_card_{cards}")
                me.click(stack.top.buttons[0])
                continue
            if stack.top is not mission:
                break
            mission.pending += commander.commands(mission.world)
            mission.on_update(1 / 60)
            mission.on_fixed_update(1 / 60)
            for tick in [t for t in shots if mission.world.tick >= t]:
                me.shot(shots.pop(tick), 1)
        debrief = stack.top
        assert isinstance(debrief, DebriefScene), "the night did not end"
        me.shot("debrief")
        me.press(arcade.key.SPACE)
        assert stack.top is debrief, "Space on the debrief left it"
        # a live language switch from Settings, back on the debrief
        other = "en" if lang == "id" else "id"
        screen = stack.push(SettingsScene())
        me.shot("settings_over_debrief")
        screen.change("language", other)
        me.shot("settings_switched")
        stack.pop()
        me.shot("debrief_after_switch")
        settings.update(language=lang)
        stack.top.level_select()
        pump(window)
        select = stack.top
        assert isinstance(select, LevelSelectScene)
        me.shot("level_select_after_win")
        second = campaign()[1].level_id
        assert select.rows[select.selected].entry.level_id == second, \
            "the next open level is not the one highlighted"
        stack.reset(TitleScene())
        pump(window)
        title = stack.top
        me.click(title.buttons["leaderboard"])
        me.shot("leaderboard")
        stack.reset(TitleScene())
        pump(window)
        me.click(stack.top.buttons["settings"])
        screen = stack.top
        me.shot("settings_general")
        from command_game.scenes import ui

        if "keys" in screen.tab_buttons:  # a small window: the key bindings are a tab away
            ui.click(screen.tab_buttons["keys"])
            me.shot("settings_keys")
        _editor(me, stack)
        _finale(me, stack)
    finally:
        stack.clear()
        settings.apply(settings.Settings())
        window.set_size(1280, 800)
        pump(window)


def _editor(me: Player, stack) -> None:
    """A new level: an office placed before any road, then a road drawn to it."""
    from command_game.scenes.editor import EditorScene
    from command_game.scenes.editor_sidebar import TABS
    from command_game.scenes.title import TitleScene

    stack.reset(TitleScene())
    pump(me.window)
    me.click(stack.top.buttons["editor"])
    editor = stack.top
    assert isinstance(editor, EditorScene)
    me.shot("editor_new_level")
    cx, cy = editor.camera.to_screen(400, 300)
    editor.set_tool("office")
    for event in ("on_mouse_press", "on_mouse_release"):
        me.window.dispatch_event(event, cx, cy, arcade.MOUSE_BUTTON_LEFT, 0)
    me.window.dispatch_pending_events()
    me.shot("editor_office_before_road")
    editor.set_tool("road")
    for point in ((cx - 120, cy - 40), (cx + 120, cy - 40)):
        for event in ("on_mouse_press", "on_mouse_release"):
            me.window.dispatch_event(event, *point, arcade.MOUSE_BUTTON_LEFT, 0)
        me.window.dispatch_pending_events()
        pump(me.window)
    me.press(arcade.key.ESCAPE)
    me.shot("editor_road_drawn")
    for tab in TABS:
        editor.set_tab(tab)
        me.shot(f"editor_tab_{tab}")
    editor.leave()
    me.shot("editor_leave_dialog")


def _finale(me: Player, stack) -> None:
    from tests.test_layout import Scenes, Shared

    scenes = Scenes(stack, Shared())
    for name in ("map_nusantara", "map_menu", "help", "pause", "replay_viewer",
                 "debrief", "briefing_bontang"):
        dict(scenes.all())[name]()
        me.shot(name)
