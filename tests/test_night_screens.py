"""The night on the screens: the briefing's seed row (a new night drawn, a typed seed,
the daily seed), the mission playing that seed, the debrief showing it, and Retry
drawing a new night only after a random one."""

from __future__ import annotations

import arcade
import pytest

from command_game import night_seed
from command_game.level.io import load_level
from command_game.scenes.briefing import BriefingScene
from command_game.scenes.debrief import DebriefScene
from command_game.scenes.map import MapScene
from command_game.sim.autopilot import play
from command_game.sim.world import World
from tests.conftest import LEVELS, pump, save_frame
from tests.test_screens import click, frame, game  # noqa: F401  (the game fixture)

FIRST_LEVEL = LEVELS / "01_singkawang.json"


def test_briefing_draws_a_night_takes_a_typed_or_daily_seed_and_starts_it(game):  # noqa: F811
    briefing = game.stack.push(BriefingScene(FIRST_LEVEL))
    frame(game)
    night = briefing.night
    assert night.kind == "random" and 0 <= night.seed < 10**6
    assert str(night.seed) in night.status.text
    save_frame(game, "briefing_night_random")
    click(game, night.daily_button)
    assert night.kind == "daily" and night.seed == night_seed.daily_seed("singkawang")
    assert night.field.text == str(night.seed)
    click(game, night.new_button)
    assert night.kind == "random" and night.field.text == ""
    click(game, night.field)  # type a seed to replay a night
    for ch in "4x":
        game.dispatch_event("on_text", ch)
        game.dispatch_pending_events()
    assert night.kind == "random" and night.field.invalid  # not a seed: said, not played
    game.dispatch_event("on_key_press", arcade.key.BACKSPACE, 0)
    game.dispatch_event("on_text_motion", arcade.key.MOTION_BACKSPACE)
    game.dispatch_pending_events()
    for ch in "242":
        game.dispatch_event("on_text", ch)
        game.dispatch_pending_events()
    assert (night.seed, night.kind) == (4242, "set") and not night.field.invalid
    frame(game)
    save_frame(game, "briefing_night_set")
    click(game, briefing.start_button)
    mission = game.stack.top
    assert isinstance(mission, MapScene)
    assert (mission.world.seed, mission.seed_kind) == (4242, "set")


@pytest.mark.parametrize("kind", ["random", "set"])
def test_debrief_shows_the_night_and_retry_draws_a_new_one_after_a_random_night(game, kind):  # noqa: F811
    level = load_level(FIRST_LEVEL)
    world = play(World(level, 777))
    debrief = game.stack.push(DebriefScene(world, str(FIRST_LEVEL), 200.0, seed_kind=kind))
    frame(game)
    assert debrief.night_line() == f"night 777 ({'random' if kind == 'random' else 'set seed'})"
    assert debrief.night_line() in debrief.texts.slots["par"].text  # drawn under the time
    save_frame(game, f"debrief_night_{kind}")
    assert debrief.relocalized().seed_kind == kind  # a language switch keeps how it was chosen
    debrief.retry()
    again = game.stack.top
    assert isinstance(again, MapScene) and again.seed_kind == kind
    assert again.level == level  # the level as written, varied again by the new seed
    if kind == "set":
        assert again.world.seed == 777
    pump(game)


def test_the_leaderboard_shows_random_nights_and_set_seeds_on_separate_boards(game):  # noqa: F811
    from dataclasses import replace

    from command_game.level.io import level_digest
    from command_game.scenes.leaderboard import LeaderboardScene
    from command_game.speedrun.store import Leaderboard
    from tests.test_leaderboard_scene import texts
    from tests.test_speedrun_store import make_run

    level = load_level(FIRST_LEVEL)
    board = Leaderboard()
    digest = level_digest(level)
    for name, ticks, kind in (("Acak", 9000, "random"), ("Latih", 7000, "set"),
                              ("player", 9500, "random")):
        board.add_run(replace(make_run(name, ticks, level="singkawang", digest=digest),
                              seed_kind=kind))
    scene = game.stack.push(LeaderboardScene("singkawang"))
    pump(game, 2)
    assert scene.seed_kind == "random"  # the player's latest run was a random night
    assert [r[1] for r in texts(scene)] == ["Acak", "player"]
    click(game, scene.seed_button)
    pump(game, 2)
    assert scene.seed_kind == "set" and [r[1] for r in texts(scene)] == ["Latih"]
    assert scene.seed_button.text == "Set seeds"
    save_frame(game, "leaderboard_set_seeds")
