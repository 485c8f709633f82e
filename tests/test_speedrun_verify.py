"""Replays of real runs verify; any change to a command, the seed, the level or the version
is caught and named. The run is the sim's reference autopilot winning a small test level."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from command_game import __version__, progress
from command_game.cli import main
from command_game.level.io import load_level
from command_game.sim.autopilot import play
from command_game.sim.commands import Command
from command_game.sim.world import World
from command_game.speedrun.record import (
    import_replay,
    record_finished_run,
    replay_from_world,
    standing,
    wait_for_verification,
)
from command_game.speedrun.replay import (
    REPLAY_SUFFIX,
    group_commands,
    read_replay,
    write_replay,
)
from command_game.speedrun.store import Leaderboard
from command_game.speedrun.verify import LevelIndex, verify_file
from command_game.userdata import levels_dir, replays_dir
from tests import sprint

SPRINT = sprint.SPRINT


@pytest.fixture(scope="module")
def won_world() -> World:
    world = sprint.sprint_win()
    assert len(world.command_log) >= 1
    return world


@pytest.fixture(scope="module")
def sealed_bytes(won_world) -> bytes:
    """The replay of the autopilot's win, sealed with the checkpoints a verification makes."""
    return sprint.sealed_bytes(won_world)


@pytest.fixture
def sealed(sealed_bytes, tmp_path) -> Path:
    path = tmp_path / "sealed.kmrp"
    path.write_bytes(sealed_bytes)
    return path


def verify(path: Path, **kwargs):
    return verify_file(path, LevelIndex(), level_path=kwargs.pop("level_path", SPRINT), **kwargs)


def rewrite(path: Path, **changes) -> Path:
    replay = read_replay(path).model_copy(update=changes)
    out = path.with_name("changed.kmrp")
    write_replay(out, replay)
    return out


def test_autopilot_win_is_recorded_verified_and_ranked(won_world):
    run = record_finished_run(SPRINT, won_world.level, won_world, 41.5, "Rani",
                              background=False)
    assert run.status == "valid", run.note
    assert run.new_personal_best
    sealed = Path(run.replay_path)
    replay = read_replay(sealed)
    assert sealed.parent == replays_dir()
    assert replay.final_tick == won_world.tick and replay.seed == 3
    assert replay.game_version == __version__ and replay.level_id == "speedrun_sprint"
    assert len(replay.checkpoints) == won_world.tick // 60  # sealed by the verification
    assert replay.splits == [(o.id, o.met_tick) for o in won_world.objectives]
    assert replay.categories == ["any", "100", "cooling"]
    board = Leaderboard()
    (run,) = board.runs()
    assert run.verified and run.player == "Rani" and run.real_time_s == 41.5
    assert run.game_ticks == won_world.tick
    assert [board.rank_of(run.id, c) for c in ("any", "100", "cooling")] == [1, 1, 1]
    best = progress.load_progress().best("speedrun_sprint")
    assert best is not None and best.time_s == won_world.tick / 60
    verdict = verify(sealed)
    assert verdict.valid, verdict.message
    assert "Any% 100% Cooling%" in verdict.message


def test_verification_in_the_background_ranks_only_when_done(won_world):
    run = record_finished_run(SPRINT, won_world.level, won_world, 50.0, "Budi")
    assert run.status in ("pending", "valid")
    assert wait_for_verification(timeout=120)
    board = Leaderboard()
    assert board.get_run(run.id).verified
    assert standing(run.id).ranks == {"any": 1, "100": 1, "cooling": 1}


def test_one_changed_command_fails_at_the_divergence_tick(sealed):
    replay = read_replay(sealed)
    commands = replay.command_list()
    first = commands[0]
    other = "bawaslu_singkawang" if first.target != "bawaslu_singkawang" else "kpu_singkawang"
    commands[0] = Command(first.tick, first.kind, first.unit_ids, target=other,
                          point=first.point, route=first.route)
    verdict = verify(rewrite(sealed, commands=group_commands(commands)))
    assert not verdict.valid
    assert verdict.divergence_tick is not None and verdict.divergence_tick % 60 == 0
    assert f"diverges at tick {verdict.divergence_tick}" in verdict.message


def test_a_command_moved_by_one_tick_is_caught(sealed):
    replay = read_replay(sealed)
    commands = replay.command_list()
    commands = [Command(c.tick + 1, c.kind, c.unit_ids, c.target, c.point, c.route)
                for c in commands]
    verdict = verify(rewrite(sealed, commands=group_commands(commands)))
    assert not verdict.valid and verdict.divergence_tick is not None


def test_changed_seed_fails_with_the_tick(sealed):
    verdict = verify(rewrite(sealed, seed=4))
    assert not verdict.valid
    assert "diverges at tick" in verdict.message, verdict.message


def test_one_byte_of_the_level_is_a_named_mismatch(sealed, tmp_path):
    text = SPRINT.read_bytes()
    at = text.index(b'"hold_s": 3.0') + len(b'"hold_s": ')
    changed = tmp_path / "sprint.json"
    changed.write_bytes(text[:at] + b"4" + text[at + 1:])
    verdict = verify(sealed, level_path=changed)
    assert not verdict.valid
    assert "level mismatch" in verdict.message and str(changed) in verdict.message
    # found by id among the player's levels, without --level
    shutil.copy(changed, levels_dir() / "sprint.json")
    verdict = verify_file(sealed, LevelIndex())
    assert "level mismatch" in verdict.message
    shutil.copy(SPRINT, levels_dir() / "sprint.json")
    assert verify_file(sealed, LevelIndex()).valid


def test_unknown_level_and_version_mismatch_are_named(sealed):
    verdict = verify_file(sealed, LevelIndex())
    assert "'speedrun_sprint' is neither bundled nor among your levels" in verdict.message
    old = rewrite(sealed, game_version="0.0.1")
    verdict = verify(old)
    assert not verdict.valid and "game version 0.0.1" in verdict.message
    assert verify(old, allow_version_mismatch=True).valid


def test_false_claims_are_caught(sealed):
    replay = read_replay(sealed)
    assert "ended" in verify(rewrite(sealed, final_tick=replay.final_tick + 60)).message
    fewer = rewrite(sealed, final_tick=replay.final_tick - 1, commands=replay.commands)
    assert "outcome" in verify(fewer).message
    split = [(replay.splits[0][0], replay.splits[0][1] - 60)] + replay.splits[1:]
    assert "split 1:" in verify(rewrite(sealed, splits=split)).message
    assert "qualifies" in verify(rewrite(sealed, categories=["any"])).message
    late = group_commands([Command(replay.final_tick + 5, "recall", ("samapta_1",))])
    assert "after its last tick" in verify(rewrite(sealed, commands=replay.commands + late)
                                           ).message


def test_unsealed_replay_still_catches_tampering_at_the_end(won_world, tmp_path):
    replay = replay_from_world(won_world.level, won_world, 10.0, "x")
    assert replay.checkpoints == []
    path = tmp_path / "fresh.kmrp"
    write_replay(path, replay)
    assert verify(path).valid
    verdict = verify(rewrite(path, seed=99))
    assert not verdict.valid


def test_import_verifies_first_and_refuses_bad_replays(sealed, tmp_path):
    copy = tmp_path / "theirs.kmrp"
    shutil.copy(sealed, copy)
    verdict, run = import_replay(copy, "=Sneaky", level_path=SPRINT)
    assert run is not None and run.player == "=Sneaky" and run.verified
    again, dup = import_replay(copy, "Other", level_path=SPRINT)
    assert dup is None and "already on the leaderboard" in again.message
    bad, none = import_replay(rewrite(sealed, seed=9), "Cheat", level_path=SPRINT)
    assert none is None and "diverges" in bad.message
    assert [r.player for r in Leaderboard().runs()] == ["=Sneaky"]


def test_cli_verify_and_import_exit_codes(sealed, tmp_path, capsys):
    bad = rewrite(sealed, seed=5)
    cut = tmp_path / "cut.kmrp"
    cut.write_bytes(sealed.read_bytes()[:-10])
    code = main(["verify", "--progress", "--level", str(SPRINT), str(sealed), str(bad),
                 str(cut)])
    out, err = capsys.readouterr()
    assert code == 1, out
    assert f"{sealed}: VALID: Any% 100% Cooling%" in out
    assert "diverges at tick" in out and "truncated" in out
    assert "1 of 3 replay(s) valid" in out
    assert "[" in err and "100.0%" in err  # the progress bar
    # other processes (another hash seed each) in parallel: same verdicts
    assert main(["verify", "-j", "2", "--level", str(SPRINT), str(sealed), str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{sealed}: VALID" in out and f"{bad}: INVALID" in out and "1 of 2" in out
    assert main(["leaderboard", "import", str(bad), "--player", "x", "--level",
                 str(SPRINT)]) == 1
    assert "not imported" in capsys.readouterr().err
    assert main(["leaderboard", "import", str(sealed), "--player", "Rani", "--level",
                 str(SPRINT), "--comment", "first try"]) == 0
    assert "ranks: Any% #1, 100% #1, Cooling% #1" in capsys.readouterr().out
    assert Leaderboard().runs()[0].comment == "first try"
    assert main(["leaderboard", "show", "--paths"]) == 0
    shown = capsys.readouterr().out
    assert "Rani" in shown and REPLAY_SUFFIX in shown
    assert main(["verify", "--all", "--level", str(SPRINT)]) == 0  # the imported copy
    assert "1 of 1 replay(s) valid" in capsys.readouterr().out
    assert main(["verify"]) == 2 and "use --all" in capsys.readouterr().err
    assert main(["verify", "--json", "--level", str(SPRINT), str(sealed), str(bad)]) == 1
    good, wrong = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert good["valid"] and good["game_ticks"] == read_replay(sealed).final_tick
    assert good["categories"] == ["any", "100", "cooling"] and good["player"] == "Rani"
    assert not wrong["valid"] and wrong["reason"] == "speedrun.verify.diverged"
    assert wrong["divergence_tick"] > 0


def test_an_abandoned_run_is_kept_and_verified_but_never_ranks():
    world = World.from_level(load_level(SPRINT), seed=1)
    play(world, max_ticks=300, pilot=False)
    assert world.outcome is None
    run = record_finished_run(SPRINT, world.level, world, 6.0, background=False)
    assert run.verified and run.categories == () and run.game_ticks == 300
    assert standing(run.id).ranks == {}
    assert Leaderboard().board("speedrun_sprint", "any") == []
    assert not run.new_personal_best


def test_sim_replay_out_writes_a_sealed_replay_that_verifies(tmp_path):
    from command_game.cli import sim as sim_cli

    out = tmp_path / "autopilot.kmrp"
    result = sim_cli.run(SPRINT, autopilot=True, seed=5, replay_out=out)
    assert result["replay"] == str(out) and result["replay_verified"]
    replay = read_replay(out)
    assert replay.final_tick == result["ticks"] and replay.player == "autopilot"
    assert len(replay.checkpoints) == result["ticks"] // 60
    assert verify(out).valid


def test_a_damaged_board_is_set_aside_and_rebuilt_from_the_replays(won_world, capsys):
    run = record_finished_run(SPRINT, won_world.level, won_world, 30.0, "Rani",
                              background=False)
    path = Leaderboard().path
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"this is not a database" * 100)
    board = Leaderboard()
    assert board.count() == 0
    assert "could not be read" in board.notice and "leaderboard rebuild" in board.notice
    assert Path(f"{path}.corrupt").exists()
    shutil.copy(run.replay_path, replays_dir() / "copy-of-the-same-run.kmrp")  # not twice
    shutil.copy(SPRINT, levels_dir() / "sprint.json")  # found by id among "My levels"
    assert main(["leaderboard", "rebuild"]) == 0
    assert "1 run(s) re-added from replays, 1 verified" in capsys.readouterr().out
    (back,) = Leaderboard().runs()
    assert back.verified and back.player == "Rani" and back.game_ticks == run.game_ticks


def test_a_run_being_verified_is_not_verified_twice(won_world, monkeypatch):
    from command_game.speedrun import record

    calls = []
    real = record.simulate

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(record, "simulate", counting)
    run = record_finished_run(SPRINT, won_world.level, won_world, 20.0, "Rani")
    (again,) = record.verify_pending()  # as the leaderboard does when it opens
    assert again.id == run.id
    assert wait_for_verification(timeout=120)
    assert Leaderboard().get_run(run.id).verified
    assert len(calls) == 1 or again.verified  # the second pass only if the first had ended


def test_old_replays_without_real_splits_still_load_verify_and_import(sealed_bytes, tmp_path,
                                                                       capsys):
    """A replay written before real splits existed (no `real_splits` key at all) verifies,
    imports, and its run simply has no real time per split."""
    from tests.test_speedrun_format import wrap_json

    doc = read_replay_bytes(sealed_bytes).model_dump(mode="json")
    del doc["real_splits"]
    del doc["start_trust"]  # a default-trust night: the key is left out as well
    old = tmp_path / "old.kmrp"
    old.write_bytes(wrap_json(doc))
    assert old.read_bytes() == sealed_bytes  # the same bytes an older game wrote
    assert verify(old).valid
    verdict, run = import_replay(old, "Lama", level_path=SPRINT)
    assert verdict.valid and run is not None and run.real_splits == ()
    assert Leaderboard().get_run(run.id).real_splits == ()


def test_real_split_times_are_carried_but_not_verified(won_world, sealed_bytes, tmp_path,
                                                       capsys):
    """The player's clock cannot be re-simulated: verification checks game state only, so
    a replay with edited real times still verifies; they travel to the board and --json."""
    splits = [o for o, _ in read_replay_bytes(sealed_bytes).splits]
    run = record_finished_run(SPRINT, won_world.level, won_world, 41.5, "Rani",
                              background=False, real_splits=[(splits[-1], 9.0),
                                                             (splits[0], 7.0)])
    assert run.verified
    assert run.real_splits == ((splits[0], 7.0), (splits[-1], 9.0))  # in the splits' order
    edited = rewrite(Path(run.replay_path), real_splits=[(splits[0], 1.0), (splits[-1], 2.0)])
    assert verify(edited).valid
    assert main(["verify", "--json", "--level", str(SPRINT), str(edited)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["real_splits"] == [[splits[0], 1.0], [splits[-1], 2.0]]
    clamped = replay_from_world(won_world.level, won_world, 5.0, "Rani",
                                real_splits=[(splits[0], 8.0)])
    assert clamped.real_splits == [(splits[0], 5.0)]  # never past the run's real time


def read_replay_bytes(data: bytes):
    from command_game.speedrun.replay import decode

    return decode(data, "sealed")
