"""The leaderboard screen in a real window: reached from the title, shows ranked verified
runs, the personal best with splits and sum of best, switches category and level, exports,
and verifies waiting runs when it opens. Frames go to tests/artifacts/ to be looked at."""

from __future__ import annotations

from dataclasses import replace

import arcade
import pytest

from command_game.level.catalog import campaign
from command_game.level.io import level_digest
from command_game.scenes.leaderboard import LeaderboardScene
from command_game.scenes.title import TitleScene
from command_game.speedrun import record
from command_game.speedrun.store import Leaderboard
from command_game.userdata import data_dir
from tests.conftest import pump, save_frame
from tests.test_speedrun_store import make_run

pytestmark = pytest.mark.gl


@pytest.fixture
def game(clean_window, stack):
    yield clean_window


def fill_board() -> str:
    level = campaign()[0].level
    digest = level_digest(level)
    first, second = (o.id for o in level.objectives[:2])
    board = Leaderboard()
    for i, (name, ticks) in enumerate([("Rani", 9000), ("player", 9600), ("Budi", 8400),
                                       ("player", 9300), ("Sari <script>", 12000)]):
        run = make_run(name, ticks, splits=((first, ticks // 3), (second, ticks // 2)),
                       level=level.meta.id, real=ticks / 60 + 7.5, digest=digest,
                       when=f"2026-11-23T08:{i:02d}:00+00:00",
                       cats=("any", "cooling") if name != "Budi" else ("any",))
        board.add_run(replace(run, real_splits=((first, ticks // 3 / 60 + 2.5),
                                                (second, ticks // 2 / 60 + 5.0))))
    board.add_run(make_run("player", 100, level=level.meta.id, status="pending", digest=digest,
                           when="2026-11-23T09:00:00+00:00"))  # its replay file is missing
    board.add_run(make_run("Old", 60, level=level.meta.id))  # on an earlier version
    return level.meta.id


def texts(scene: LeaderboardScene) -> list[list[str]]:
    return [[label.text for label in row] for row in scene.rows]


def test_leaderboard_opens_from_the_title_and_shows_ranked_runs(game):
    level_id = fill_board()
    title = game.stack.push(TitleScene())
    pump(game, 2)
    x, y = title.buttons["leaderboard"].rect.center  # a real click on the title's button
    game.dispatch_event("on_mouse_motion", x, y, 0, 0)
    game.dispatch_event("on_mouse_press", x, y, arcade.MOUSE_BUTTON_LEFT, 0)
    game.dispatch_event("on_mouse_release", x, y, arcade.MOUSE_BUTTON_LEFT, 0)
    game.dispatch_pending_events()
    scene = game.stack.top
    assert isinstance(scene, LeaderboardScene) and scene.level_id == level_id
    assert record.wait_for_verification(timeout=60)
    for _ in range(3):
        scene.on_update(1 / 60)
        pump(game)
    rows = texts(scene)
    assert [r[1] for r in rows] == ["Budi", "Rani", "player", "player", "Sari <script>"]
    assert rows[0][2] == "2:20.000" and rows[2][2] == "2:35.000"
    side = [label.text for label, _ in scene.side]
    assert "2:35.000 in-game, rank 3" in side
    assert "3 attempt(s), 2 verified in this category" in side  # the two, and the bad one
    assert any(s.startswith("Sum of best segments: 2:35.000") for s in side)
    assert "1 run(s) did not verify" in scene.status.text  # the pending one, checked on open
    assert "1 run(s) on another version of this level" in scene.status.text
    x, y = scene._row_rects[1].center  # a real click on the second row selects it
    game.dispatch_event("on_mouse_press", int(x), int(y), arcade.MOUSE_BUTTON_LEFT, 0)
    game.dispatch_pending_events()
    assert scene.selected == 1
    path = save_frame(game, "leaderboard_any")
    assert path.stat().st_size > 10_000
    game.dispatch_event("on_key_press", arcade.key.T, 0)  # the splits on the real clock
    game.dispatch_pending_events()
    pump(game, 2)
    assert scene.real_clock
    side = [label.text for label, _ in scene.side]
    assert "Real-time splits (PB / best segment)" in side
    # the PB (player's 9300 ticks, its splits 2.5 s and 5 s behind in real time) beats the
    # player's other run (9600) on every real segment: 54.167, 28.333, 80.000
    times = sorted(text.text for text in scene.split_times.values())
    assert times == ["0:54.167  0:54.167", "1:22.500  0:28.333", "2:42.500  1:20.000"]
    assert any(s.startswith("Sum of best segments: 2:42.500") for s in side)
    save_frame(game, "leaderboard_real_splits")
    game.dispatch_event("on_key_press", arcade.key.T, 0)
    game.dispatch_pending_events()
    assert not scene.real_clock

    game.dispatch_event("on_key_press", arcade.key.C, 0)  # Any% -> 100%
    game.dispatch_pending_events()
    assert scene.category == "100" and scene.rows == []
    scene.set_category("cooling")
    pump(game, 2)
    assert [r[1] for r in texts(scene)] == ["Rani", "player", "player", "Sari <script>"]
    save_frame(game, "leaderboard_cooling")

    scene.export()
    assert (data_dir() / "exports" / f"{level_id}-cooling.csv").exists()
    assert (data_dir() / "exports" / f"{level_id}-cooling.lss").exists()
    assert "written to" in scene.status.text

    game.dispatch_event("on_key_press", arcade.key.RIGHT, 0)
    game.dispatch_pending_events()
    assert scene.level_id != level_id
    game.dispatch_event("on_key_press", arcade.key.ESCAPE, 0)
    game.dispatch_pending_events()
    assert game.stack.top is title


def test_empty_board_says_so(game):
    scene = game.stack.push(LeaderboardScene())
    pump(game, 2)
    assert scene.rows == [] and scene.empty.text.startswith("No verified runs")
    assert scene.watch_button.disabled
    save_frame(game, "leaderboard_empty")


def test_an_unopenable_board_is_reported_not_a_crash(game, user_home):
    blocker = user_home / "leaderboard.sqlite3"
    blocker.mkdir(parents=True)  # a folder where the file should be: sqlite cannot open it
    scene = game.stack.push(LeaderboardScene())
    pump(game, 2)
    assert scene.rows == [] and "cannot be opened" in scene.status.text


def test_a_name_as_wide_as_the_board_allows_ends_in_an_ellipsis(game):
    """32 wide letters (the store's limit) are wider than the player column: the name is
    cut with an ellipsis before the time column, not under it; keys go through run_key."""
    level = campaign()[0].level
    wide = "W" * 32
    Leaderboard().add_run(make_run(wide, 9000, level=level.meta.id, digest=level_digest(level),
                                   when="2026-11-23T08:00:00+00:00"))
    scene = game.stack.push(LeaderboardScene(level.meta.id, player=wide))  # its board
    pump(game)
    name = scene.rows[0][1]
    assert name.text.endswith("\u2026") and wide.startswith(name.text[:-1])
    assert name.content_width <= 380 - 80 - 14
    category = scene.category
    game.dispatch_event("on_key_press", arcade.key.C, 0)
    game.dispatch_pending_events()
    assert scene.category != category
