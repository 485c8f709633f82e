"""The whole speedrun loop through the game's own screens: a mission is played on the map
scene (orders go in as the scene's pending Commands, as clicks and keys put them there),
the debrief follows, the run is recorded and verified in the background, and the
leaderboard opened from the debrief shows it ranked. Frame: tests/artifacts/."""

from __future__ import annotations

import arcade
import pytest

from command_game.level.io import load_level
from command_game.scenes.debrief import DebriefScene
from command_game.scenes.leaderboard import LeaderboardScene
from command_game.scenes.map import MapScene
from command_game.scenes.pause import PauseScene
from command_game.scenes.replay_viewer import ReplayViewerScene
from command_game.scenes.stack import SceneStack
from command_game.sim.autopilot import Autopilot
from command_game.sim.commands import Command
from command_game.speedrun.record import standing, wait_for_verification
from command_game.speedrun.replay import read_replay
from command_game.speedrun.verify import LevelIndex, verify_file
from tests.conftest import pump, save_frame
from tests.test_speedrun_verify import SPRINT

pytestmark = pytest.mark.gl


def test_finish_a_level_then_see_the_run_ranked_and_verify_its_replay(clean_window):
    stack = SceneStack(clean_window)
    clean_window.stack = stack
    try:
        scene = stack.push(MapScene(load_level(SPRINT), str(SPRINT), seed=2))
        scene.set_speed(4)
        commander = Autopilot(scene.world)
        for _ in range(5000):  # frames; at 4x each fixed update runs 4 ticks
            if stack.top is not scene:
                break
            scene.pending += commander.commands(scene.world)  # orders, as input makes them
            scene.on_update(1 / 60)
            scene.on_fixed_update(1 / 60)
        debrief = stack.top
        assert isinstance(debrief, DebriefScene) and scene.world.outcome == "won"
        run = debrief.run
        assert run is not None and run.categories == ("any", "100", "cooling")
        assert run.real_time_s == pytest.approx(scene.world.tick / 4 / 60, abs=0.1)
        assert wait_for_verification(timeout=120)
        assert standing(run.id).status == "valid", standing(run.id).note
        assert standing(run.id).ranks["any"] == 1

        verdict = verify_file(run.replay_path, LevelIndex(), level_path=SPRINT)
        assert verdict.valid, verdict.message
        assert read_replay(run.replay_path).final_tick == scene.world.tick

        debrief.leaderboard()
        board = stack.top
        assert isinstance(board, LeaderboardScene) and board.level_id == "speedrun_sprint"
        pump(clean_window, 2)
        (row,) = board.rows
        assert row[0].text == "1." and row[1].text == "player"
        assert row[1].color == (234, 180, 62, 255)  # the latest run is marked in gold
        save_frame(clean_window, "leaderboard_after_a_run")

        board.watch()  # the selected run (the latest) plays on the map
        viewer = stack.top
        viewer.on_fixed_update(1 / 60)
        clean_window.dispatch_event("on_key_press", arcade.key.ESCAPE, 0)
        clean_window.dispatch_pending_events()
        pause = stack.top
        assert isinstance(pause, PauseScene)
        pause.restart()  # Restart: the replay again from tick 0
        viewer = stack.top
        assert isinstance(viewer, ReplayViewerScene) and viewer.world.tick == 0
        assert isinstance(viewer, ReplayViewerScene) and viewer.world.seed == 2
        viewer.set_speed(4)
        viewer.queue([Command(0, "recall", ("samapta_2",))])  # ignored: watching only
        for frame in range(2000):
            if stack.top is not viewer:
                break
            viewer.on_fixed_update(1 / 60)
            if frame == 100:
                pump(clean_window)
                save_frame(clean_window, "replay_viewer")
        assert stack.top is board and viewer.matches
        assert viewer.world.tick == run.game_ticks
        assert "final state matches the recording" in board.status.text
    finally:
        while len(stack):
            stack.pop()
