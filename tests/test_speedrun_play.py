"""The whole speedrun loop through the game's own screens: a mission is played on the map
scene (orders go in as the scene's pending Commands, as clicks and keys put them there),
the debrief follows, the run is recorded and verified in the background, and the
leaderboard opened from the debrief shows it ranked. Frame: tests/artifacts/."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import arcade
import pytest

from command_game.level.io import load_level
from command_game.scenes.debrief import DebriefScene
from command_game.scenes.leaderboard import LeaderboardScene
from command_game.scenes.map import MapScene
from command_game.scenes.pause import PauseScene
from command_game.scenes.replay_viewer import ReplayViewerScene
from command_game.sim.autopilot import Autopilot
from command_game.sim.commands import Command
from command_game.speedrun.record import standing, wait_for_verification
from command_game.speedrun.replay import read_replay
from command_game.speedrun.verify import LevelIndex, verify_file
from tests.conftest import pump, save_frame
from tests.test_speedrun_verify import SPRINT

pytestmark = pytest.mark.gl


def test_finish_a_level_then_see_the_run_ranked_and_verify_its_replay(clean_window, stack):
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
    _real_split_times_are_the_players_clock(scene, run)

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


def _real_split_times_are_the_players_clock(scene: MapScene, run) -> None:
    """Each split's real time is the scene's clock when the objective was met: one frame of
    1/60 s per four ticks at 4x, so ceil(tick / 4) frames; the .lss carries them all."""
    import math

    from command_game.speedrun import export
    from command_game.speedrun.store import Leaderboard

    replay = read_replay(run.replay_path)
    assert [o for o, _ in replay.real_splits] == [o for o, _ in replay.splits]
    assert len(replay.splits) == len(scene.world.objectives) >= 2
    seconds = [s for _, s in replay.real_splits]
    assert seconds == sorted(seconds) and seconds[-1] <= run.real_time_s
    for (objective, tick), (_, real) in zip(replay.splits, replay.real_splits, strict=True):
        assert real == pytest.approx(math.ceil(tick / 4) / 60, abs=1e-6), objective
    board = Leaderboard()
    stored = board.get_run(run.id)
    assert stored.real_splits == tuple(replay.real_splits) == run.real_splits
    lss = ET.fromstring(export.to_lss(board.runs("speedrun_sprint"), "any", scene.level))
    pb = lss.findall("Segments/Segment/SplitTimes/SplitTime[@name='Personal Best']")
    assert len(pb) == len(replay.splits) + 1  # each objective, then the mission's end
    reals = [export.parse_lss_time(p.findtext("RealTime")) for p in pb]
    assert reals == pytest.approx(seconds + [run.real_time_s], abs=1e-6)


def test_real_splits_read_the_players_clock_through_pauses(clean_window, stack):
    """On a level whose objectives fall on different ticks, at 2x with 50 frames a second
    and a 120-frame pause after frame 100: real split times count the paused frames (the
    player's clock) while the game-time splits do not."""
    from command_game.speedrun import export
    from command_game.speedrun.store import Leaderboard
    from tests.test_map_scene import TINY

    frame_s, paused = 1 / 50, range(100, 220)
    scene = stack.push(MapScene(load_level(TINY), str(TINY), seed=2))
    scene.set_speed(2)
    commander = Autopilot(scene.world)
    for frame in range(6000):
        if stack.top is not scene:
            break
        if frame in (paused.start, paused.stop):
            scene.toggle_pause()
        scene.pending += commander.commands(scene.world)
        scene.on_update(frame_s)
        scene.on_fixed_update(frame_s)
    run = stack.top.run
    assert scene.world.outcome == "won" and run is not None
    replay = read_replay(run.replay_path)
    ticks = [tick for _, tick in replay.splits]
    assert len(set(ticks)) >= 2 and ticks[0] > 2 * paused.start  # met after the pause

    def frames_to(tick: int) -> int:  # frames the scene had run when the tick ran
        return paused.start + len(paused) + -(-(tick - 2 * paused.start) // 2)

    expected = [frames_to(tick) * frame_s for tick in ticks]
    assert [s for _, s in run.real_splits] == pytest.approx(expected, abs=1e-6)
    assert run.real_time_s == pytest.approx(frames_to(replay.final_tick) * frame_s,
                                            abs=1e-6)
    assert run.real_splits[0][1] < run.real_splits[-1][1] <= run.real_time_s
    assert wait_for_verification(timeout=120)
    assert Leaderboard().get_run(run.id).verified  # real times leave verification be
    lss = ET.fromstring(export.to_lss(Leaderboard().runs("map_tiny"), "any"))
    pb = lss.findall("Segments/Segment/SplitTimes/SplitTime[@name='Personal Best']")
    assert [export.parse_lss_time(p.findtext("RealTime")) for p in pb] == pytest.approx(
        [s for _, s in run.real_splits] + [run.real_time_s], abs=1e-6)
