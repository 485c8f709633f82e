"""The menu screens on a real window: each opens and draws something real, and clicks and
keys dispatched through the window reach the right scene.

Screenshots of the title, level select, briefing and pause menu are written to
docs/screenshots/ on every run; look at them after a change.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import arcade
import numpy as np
import pytest

from command_game import i18n
from command_game import progress as campaign_progress
from command_game.i18n import pick
from command_game.level.catalog import campaign
from command_game.scenes import ui
from command_game.scenes.briefing import BriefingScene
from command_game.scenes.level_select import LevelSelectScene
from command_game.scenes.pause import PauseScene
from command_game.scenes.title import TitleScene
from command_game.userdata import levels_dir
from tests.conftest import LEVELS, SCREENSHOTS, pump, save_frame

pytestmark = pytest.mark.gl

FIRST_LEVEL = LEVELS / "01_singkawang.json"


@pytest.fixture
def game(clean_window, stack):
    """The session window with a fresh scene stack, as app.create_window attaches it, and
    the settings of this test's new profile (another test may have left its own current)."""
    from command_game import settings

    settings.apply(settings.load_settings())
    yield clean_window


def frame(window) -> np.ndarray:
    """Draws one frame and returns it as an (h, w, 3) array, top row first."""
    pump(window)
    window.dispatch_event("on_draw")
    window.dispatch_pending_events()
    image = arcade.get_image(0, 0, *window.get_framebuffer_size()).convert("RGB")
    return np.asarray(image)


def screenshot(window, name: str) -> None:
    """Draws a frame and saves it as docs/screenshots/<name>.png."""
    frame(window)
    save_frame(window, name, SCREENSHOTS)


def not_background(pixels: np.ndarray) -> float:
    """Share of pixels that differ clearly from the menu background colour."""
    diff = np.abs(pixels.astype(int) - np.array(ui.BACKGROUND[:3])).sum(axis=2)
    return float((diff > 40).mean())


def region(pixels: np.ndarray, window, rect: arcade.Rect) -> np.ndarray:
    """The pixels inside a rectangle given in window coordinates (y up)."""
    h = pixels.shape[0]
    scale = h / window.height
    top, bottom = int(h - rect.top * scale), int(h - rect.bottom * scale)
    return pixels[top:bottom, int(rect.left * scale):int(rect.right * scale)]


def click(window, widget) -> None:
    """A real left click on a widget: press and release through the window's events."""
    x, y = widget.rect.center
    window.dispatch_event("on_mouse_motion", x, y, 0, 0)
    window.dispatch_event("on_mouse_press", x, y, arcade.MOUSE_BUTTON_LEFT, 0)
    window.dispatch_event("on_mouse_release", x, y, arcade.MOUSE_BUTTON_LEFT, 0)
    window.dispatch_pending_events()


def press(window, symbol: int, modifiers: int = 0) -> None:
    window.dispatch_event("on_key_press", symbol, modifiers)
    window.dispatch_event("on_key_release", symbol, modifiers)
    window.dispatch_pending_events()


def win(level_id: str, time_s: float = 300.0) -> None:
    campaign_progress.record_run(level_id, won=True, time_s=time_s)


# --- title -----------------------------------------------------------------------------


def test_title_draws_and_play_opens_the_level_select(game):
    title = game.stack.push(TitleScene())
    pixels = frame(game)
    assert not_background(pixels) > 0.05
    screenshot(game, "title")
    click(game, title.buttons["play"])
    assert isinstance(game.stack.top, LevelSelectScene)
    assert game.stack.scenes[0] is title


def test_title_keyboard_moves_focus_and_enter_clicks(game):
    title = game.stack.push(TitleScene())
    frame(game)
    assert title.focus.focused is title.buttons["play"]
    press(game, arcade.key.DOWN)
    assert title.focus.focused is title.buttons["editor"]
    press(game, arcade.key.UP)
    press(game, arcade.key.ENTER)
    assert isinstance(game.stack.top, LevelSelectScene)


def test_coming_back_to_the_title_lights_one_button(game):
    from command_game.scenes.stack import Scene

    title = game.stack.push(TitleScene())
    frame(game)
    editor = title.buttons["editor"]
    x, y = editor.rect.center
    game.dispatch_event("on_mouse_motion", x, y, 0, 0)
    game.dispatch_pending_events()
    assert title.focus.focused is editor  # the hovered button is the focused one
    game.stack.push(Scene())  # stands in for the editor
    game.stack.pop()
    frame(game)
    lit = [b for b in title.buttons.values() if b.hovered or b.focused]
    assert lit == [editor]


def test_quit_closes_the_window(game, monkeypatch):
    closed = []
    monkeypatch.setattr(game, "close", lambda: closed.append(True))  # keep the session window
    title = game.stack.push(TitleScene())
    frame(game)
    click(game, title.buttons["quit"])
    assert closed == [True]


def test_coming_back_in_another_language_rebuilds_the_screen(game):
    from command_game.scenes.stack import Scene

    title = game.stack.push(TitleScene())
    frame(game)
    game.stack.push(Scene())  # stands in for the settings screen
    try:
        i18n.set_language("id")
        game.stack.pop()
        fresh = game.stack.top
        assert fresh is not title and isinstance(fresh, TitleScene)
        assert fresh.buttons["play"].text == i18n.t("title.play") == "Main"
        frame(game)
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize(
    ("name", "module", "scene"),
    [
        ("editor", "command_game.scenes.editor", "EditorScene"),
        ("leaderboard", "command_game.scenes.leaderboard", "LeaderboardScene"),
        ("settings", "command_game.scenes.settings", "SettingsScene"),
    ],
)
def test_every_title_button_leads_to_its_screen(game, name, module, scene):
    import importlib

    title = game.stack.push(TitleScene())
    frame(game)
    click(game, title.buttons[name])
    expected = getattr(importlib.import_module(module), scene)
    assert isinstance(game.stack.top, expected)
    frame(game)  # and it draws


# --- level select ---------------------------------------------------------------------


def test_level_select_shows_the_campaign_and_personal_bests(game):
    levels = [e.level for e in campaign()]
    campaign_progress.record_run(levels[0].meta.id, won=True, time_s=351.25,
                                 splits={o.id: 60.0 * (i + 1)
                                         for i, o in enumerate(levels[0].objectives)})
    select = game.stack.push(LevelSelectScene())
    pixels = frame(game)
    assert not_background(pixels) > 0.05
    assert [r.entry.level_id for r in select.rows if r.section == "campaign"] == [
        lvl.meta.id for lvl in levels]
    assert select.rows[0].open
    assert select.rows[1].open  # the first win opened the second level
    assert "5:51.25" in select._row_labels[0]["best"].text
    screenshot(game, "level_select")


def test_locked_levels_cannot_be_started(game):
    levels = [e.level for e in campaign()]
    assert len(levels) >= 2, "the campaign ships several levels"
    select = game.stack.push(LevelSelectScene())
    frame(game)
    locked = next(i for i, row in enumerate(select.rows) if not row.open)
    click(game, select._row_buttons[locked])
    frame(game)
    assert select.selected == locked
    assert select.brief_button.disabled
    click(game, select._row_buttons[locked])  # the second click would open an open level
    press(game, arcade.key.ENTER)
    click(game, select.brief_button)
    assert game.stack.top is select


def test_clicking_the_selected_level_opens_its_briefing_and_esc_comes_back(game):
    select = game.stack.push(LevelSelectScene())
    frame(game)
    click(game, select._row_buttons[0])  # row 0 is selected already: open it
    briefing = game.stack.top
    assert isinstance(briefing, BriefingScene)
    assert briefing.level_path == select.rows[0].entry.path
    frame(game)
    press(game, arcade.key.ESCAPE)
    assert game.stack.top is select


def test_level_select_keyboard_walks_the_list_and_enter_opens_only_open_levels(game):
    select = game.stack.push(LevelSelectScene())
    frame(game)
    press(game, arcade.key.DOWN)
    press(game, arcade.key.DOWN)
    assert select.selected == 2 and not select.rows[2].open
    press(game, arcade.key.ENTER)
    assert game.stack.top is select
    press(game, arcade.key.UP)
    press(game, arcade.key.UP)
    press(game, arcade.key.ENTER)
    assert isinstance(game.stack.top, BriefingScene)


def test_a_long_list_scrolls_to_keep_the_selected_level_in_view(game):
    for n in range(12):
        shutil.copy(FIRST_LEVEL, levels_dir() / f"town_{n:02d}.json")
    select = game.stack.push(LevelSelectScene())
    frame(game)
    last = len(select.rows) - 1
    assert last not in select._visible and select._hidden_below
    for _ in range(last):
        press(game, arcade.key.DOWN)
    assert select.selected == last and last in select._visible and select.scroll > 0
    assert 0 not in select._visible
    frame(game)
    game.dispatch_event("on_mouse_scroll", 100, 300, 0, 50)
    game.dispatch_pending_events()
    assert select.scroll == 0 and 0 in select._visible


def test_a_win_seen_on_return_opens_the_next_level(game):
    levels = [e.level for e in campaign()]
    assert len(levels) >= 2, "the campaign ships several levels"
    select = game.stack.push(LevelSelectScene())
    frame(game)
    assert not select.rows[1].open
    game.stack.push(BriefingScene(select.rows[0].entry.path))
    win(levels[0].meta.id)
    game.stack.pop()
    assert select.rows[1].open
    assert select.selected == 1  # the level the win opened, not the one just won
    frame(game)


def test_the_level_select_after_a_won_night_starts_on_the_level_it_opened(game):
    """From the debrief's "Level select" the list is made anew (title, then the list):
    it starts on the first open level not yet won, not on the level just won."""
    levels = [e.level for e in campaign()]
    assert game.stack.push(LevelSelectScene()).selected == 0  # a new player: the first
    game.stack.clear()
    win(levels[0].meta.id)
    select = game.stack.push(LevelSelectScene())
    assert select.selected == 1 and select.brief_button.disabled is False
    frame(game)


def test_my_levels_lists_broken_files_with_their_error(game):
    shutil.copy(FIRST_LEVEL, levels_dir() / "my_town.json")
    (levels_dir() / "broken.json").write_text('{"format_version": 1}', "utf-8")
    select = game.stack.push(LevelSelectScene())
    frame(game)
    mine = [r for r in select.rows if r.section == "mine"]
    assert [r.entry.path.name for r in mine] == ["broken.json", "my_town.json"]
    broken = select.rows.index(mine[0])
    assert "meta" in select._row_labels[broken]["sub"].text
    click(game, select._row_buttons[broken])
    frame(game)
    assert select.brief_button.disabled
    assert any("meta" in label.text for label, _ in select._details)
    click(game, select._row_buttons[select.rows.index(mine[1])])
    assert not select.brief_button.disabled


def test_edit_opens_my_levels_in_the_editor_but_not_the_campaign(game):
    from command_game.scenes.editor import EditorScene

    mine_path = levels_dir() / "my_town.json"
    shutil.copy(FIRST_LEVEL, mine_path)
    select = game.stack.push(LevelSelectScene())
    frame(game)
    if select.selected != 0:  # a click on the selected row would open its briefing
        click(game, select._row_buttons[0])  # a campaign level
    frame(game)
    assert select.rows[select.selected].section == "campaign"
    assert select.edit_button.disabled
    click(game, select.edit_button)
    assert game.stack.top is select
    mine = next(i for i, r in enumerate(select.rows) if r.section == "mine")
    click(game, select._row_buttons[mine])
    frame(game)
    assert not select.edit_button.disabled
    click(game, select.edit_button)
    editor = game.stack.top
    assert isinstance(editor, EditorScene)
    assert editor.doc.path is not None and Path(editor.doc.path) == mine_path


def test_a_corrupt_progress_file_is_reported_on_the_level_select(game):
    from command_game.userdata import progress_path

    progress_path().write_text("garbage", "utf-8")
    select = game.stack.push(LevelSelectScene())
    frame(game)
    assert "progress.json.corrupt" in select.notice.text


# --- briefing -------------------------------------------------------------------------


def test_briefing_draws_its_text_in_the_current_language(game):
    briefing = game.stack.push(BriefingScene(FIRST_LEVEL))
    english = frame(game)
    screenshot(game, "briefing")
    left, _ = briefing._columns()
    story = arcade.LRBT(left.left + 10, left.right - 10, left.top - 160, left.top - 40)
    assert not_background(region(english, game, story)) > 0.03
    try:
        i18n.set_language("id")
        game.stack.replace(BriefingScene(FIRST_LEVEL))
        indonesian = frame(game)
    finally:
        i18n.set_language("en")
    assert game.stack.top.story.text == briefing.level.meta.briefing.id
    changed = np.abs(region(english, game, story).astype(int)
                     - region(indonesian, game, story).astype(int)).sum(axis=2) > 60
    assert changed.mean() > 0.02  # the text itself changed, not just the panel


@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_campaign_briefing_draws_with_no_missing_text(game, lang):
    """Each shipped level's briefing, in both languages: drawn, captured, and no label
    shows a raw translation key (what t() returns for a key it does not know)."""
    looks_like_a_key = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")
    try:
        i18n.set_language(lang)
        for entry in campaign():
            briefing = game.stack.push(BriefingScene(entry.path))
            pixels = frame(game)
            assert not_background(pixels) > 0.05
            save_frame(game, f"briefing_{entry.level_id}_{lang}")
            labels = [briefing.story, *briefing.headers.values(), *briefing.roster_head]
            labels += [text for row in briefing.roster + briefing.roster_groups for text in row]
            labels += [text for objective in briefing.objectives for text in objective[:2]]
            labels += [label for label, _ in briefing.legend]
            assert not [label.text for label in labels if looks_like_a_key.match(label.text)]
            assert briefing.story.text == pick(entry.level.meta.briefing)
            game.stack.pop()
    finally:
        i18n.set_language("en")


def test_briefing_lists_objectives_and_the_roster(game):
    briefing = game.stack.push(BriefingScene(FIRST_LEVEL))
    frame(game)
    level = briefing.level
    assert [o[1].text for o in briefing.objectives] == [o.title.en for o in level.objectives]
    assert [o[2] for o in briefing.objectives] == [o.optional for o in level.objectives]
    assert [r[1].text for r in briefing.roster][0].startswith(level.units[0].name[:10])
    assert ui.format_time(level.meta.par_time_s) in briefing.facts.text


def test_briefing_start_replaces_it_with_the_mission(game):
    from command_game.scenes.map import MapScene

    game.stack.push(TitleScene())
    briefing = game.stack.push(BriefingScene(FIRST_LEVEL))
    frame(game)
    click(game, briefing.start_button)
    mission = game.stack.top
    assert isinstance(mission, MapScene)
    assert len(game.stack) == 2 and briefing.stack is None
    assert mission.level.meta.id == briefing.level.meta.id
    frame(game)


def test_briefing_of_a_broken_file_shows_the_problem_and_cannot_start(game, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format_version": 1, "meta": {}}', "utf-8")
    briefing = game.stack.push(BriefingScene(broken))
    frame(game)
    assert briefing.level is None and briefing.start_button.disabled
    assert "broken.json" in briefing.problem_text.text
    click(game, briefing.start_button)
    assert game.stack.top is briefing


# --- UI scale -------------------------------------------------------------------------


@pytest.fixture
def big_ui():
    """The player's UI scale at 150% for one test."""
    from command_game import settings

    before = settings.current()
    settings.apply(before.model_copy(update={"ui_scale": 150}))
    yield 1.5
    settings.apply(before)


def test_menus_follow_the_ui_scale(game, big_ui):
    title = game.stack.push(TitleScene())
    frame(game)
    assert title.buttons["play"].rect.height == pytest.approx(48 * big_ui)
    click(game, title.buttons["play"])
    select = game.stack.top
    frame(game)
    assert select._row_buttons[0].rect.height == pytest.approx(58 * big_ui - 6)
    # the titles share the largest size, 12 to 14 pt at the scale, at which they fit
    sizes = {labels["title"].font_size for labels in select._row_labels}
    assert len(sizes) == 1 and 12 * big_ui - 1 <= sizes.pop() <= 14 * big_ui
    click(game, select.brief_button)
    briefing = game.stack.top
    assert isinstance(briefing, BriefingScene)
    frame(game)
    assert briefing.start_button.rect.height == pytest.approx(48 * big_ui)
    screenshot(game, "briefing_150")


def test_a_long_objective_list_scrolls_under_the_wheel(game, big_ui):
    nusantara = next(e for e in campaign() if len(e.level.objectives) >= 6)
    briefing = game.stack.push(BriefingScene(nusantara.path))
    frame(game)
    # at 150% the story and nine objectives cannot share the column: they take turns
    assert briefing.tab == "situation" and briefing._objectives_rect is None
    tab = briefing.tab_buttons["objectives"]
    game.dispatch_event("on_mouse_motion", *tab.rect.center, 0, 0)
    game.dispatch_event("on_mouse_press", *tab.rect.center, arcade.MOUSE_BUTTON_LEFT, 0)
    game.dispatch_event("on_mouse_release", *tab.rect.center, arcade.MOUSE_BUTTON_LEFT, 0)
    game.dispatch_pending_events()
    frame(game)
    assert briefing.tab == "objectives"
    left, _ = briefing._columns()
    assert briefing._objectives_rect.height == pytest.approx(left.height)  # the whole column
    x, y = briefing._objectives_rect.center
    game.dispatch_event("on_mouse_scroll", x, y, 0, -2)
    game.dispatch_pending_events()
    assert briefing.objective_offset == 2
    game.dispatch_event("on_mouse_scroll", x, y, 0, 5)
    game.dispatch_pending_events()
    assert briefing.objective_offset == 0
    game.dispatch_event("on_key_press", arcade.key.PAGEDOWN, 0)  # and from the keyboard
    game.dispatch_pending_events()
    assert briefing.objective_offset == 2
    frame(game)


def test_coming_back_at_another_ui_scale_rebuilds_the_screen(game):
    from command_game import settings
    from command_game.scenes.stack import Scene

    title = game.stack.push(TitleScene())
    frame(game)
    game.stack.push(Scene())  # stands in for the settings screen
    before = settings.current()
    try:
        settings.apply(before.model_copy(update={"ui_scale": 125}))
        game.stack.pop()
        fresh = game.stack.top
        assert fresh is not title and fresh.scale == 1.25
    finally:
        settings.apply(before)


# --- pause ----------------------------------------------------------------------------


@pytest.fixture
def mission(game):
    from command_game.scenes.map import MapScene

    game.stack.push(TitleScene())
    scene = game.stack.push(MapScene(FIRST_LEVEL, FIRST_LEVEL))
    frame(game)
    return scene


def test_pause_draws_the_frozen_mission_beneath(game, mission):
    before = frame(game)
    pause = game.stack.push(PauseScene())
    paused = frame(game)
    screenshot(game, "pause")
    # the corners show the map, darker than before; the centre shows the menu panel
    corner = arcade.LBWH(0, 0, 200, 200)
    assert region(paused, game, corner).mean() < region(before, game, corner).mean()
    assert region(paused, game, corner).std() > 1.0  # still the map, not a flat fill
    tick = mission.world.tick
    for _ in range(5):
        game.dispatch_event("on_fixed_update", 1 / 60)
        game.dispatch_event("on_update", 1 / 60)
    game.dispatch_pending_events()
    assert mission.world.tick == tick  # no time passes under the pause menu
    assert "Singkawang" in pause.detail.text


def test_esc_and_resume_close_the_pause_menu(game, mission):
    pause = game.stack.push(PauseScene())
    frame(game)
    press(game, arcade.key.ESCAPE)
    assert game.stack.top is mission
    pause = game.stack.push(PauseScene())
    frame(game)
    click(game, pause.buttons[0])
    assert game.stack.top is mission


def test_restart_starts_the_mission_again(game, mission):
    for _ in range(10):
        mission.on_fixed_update(1 / 60)
    assert mission.world.tick > 0
    pause = game.stack.push(PauseScene())
    frame(game)
    click(game, pause.buttons[2])
    fresh = game.stack.top
    assert fresh is not mission and type(fresh) is type(mission)
    assert fresh.world.tick == 0 and fresh.level is mission.level
    assert len(game.stack) == 2


def test_restart_and_quit_can_be_given_by_the_caller(game, mission):
    calls = []
    pause = game.stack.push(PauseScene(restart=lambda: calls.append("restart"),
                                       quit_to=lambda: calls.append("quit")))
    frame(game)
    click(game, pause.buttons[2])
    assert calls == ["restart"] and game.stack.top is mission
    pause = game.stack.push(PauseScene(quit_to=lambda: calls.append("quit")))
    frame(game)
    click(game, pause.buttons[3])
    assert calls == ["restart", "quit"] and game.stack.top is mission


def test_quit_to_title_empties_the_stack(game, mission):
    pause = game.stack.push(PauseScene())
    frame(game)
    click(game, pause.buttons[3])
    assert len(game.stack) == 1 and isinstance(game.stack.top, TitleScene)


def test_settings_from_the_pause_menu_returns_to_it(game, mission):
    from command_game.scenes.settings import SettingsScene

    pause = game.stack.push(PauseScene())
    frame(game)
    click(game, pause.buttons[1])
    assert isinstance(game.stack.top, SettingsScene)
    frame(game)
    game.stack.pop()
    assert game.stack.top is pause
