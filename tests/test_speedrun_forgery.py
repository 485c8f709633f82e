"""Issue 12: what a forger edits in a replay (then recomputing the CRC, as
docs/replay-format.md tells anyone how) is caught and named, and the local board never
holds the same run twice, whatever metadata was edited. The run is the autopilot's win
of the sprint level, as in test_speedrun_verify."""

from __future__ import annotations

import json
import sqlite3
import struct
import time
import zlib
from pathlib import Path

import pytest

from command_game.cli import main
from command_game.level.io import load_level
from command_game.speedrun import export
from command_game.speedrun.record import import_replay
from command_game.speedrun.replay import (
    FORMAT_VERSION,
    HEADER,
    MAGIC,
    MAX_JSON_BYTES,
    ReplayError,
    decode,
    read_replay,
)
from command_game.speedrun.store import Leaderboard
from command_game.speedrun.verify import LevelIndex, verify_file
from tests import sprint

SPRINT = sprint.SPRINT


@pytest.fixture(scope="module")
def sealed_bytes() -> bytes:
    return sprint.sealed_bytes(sprint.sprint_win())


def payload(data: bytes) -> dict:
    return json.loads(zlib.decompress(data[HEADER.size:]))


def forge(doc: dict, flags: int = 0) -> bytes:
    """A replay written by hand from its JSON, with a valid CRC: what anyone can do."""
    raw = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()
    packed = zlib.compress(raw, 9)
    header = HEADER.pack(MAGIC, FORMAT_VERSION, flags, len(packed), len(raw), zlib.crc32(packed))
    return header + packed


def write(tmp_path: Path, data: bytes, name: str = "forged.kmrp") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def verify(path: Path):
    return verify_file(path, LevelIndex(), level_path=SPRINT)


def test_the_untouched_replay_verifies(sealed_bytes, tmp_path):
    verdict = verify(write(tmp_path, forge(payload(sealed_bytes))))
    assert verdict.valid, verdict.message
    assert verdict.score is not None  # re-derived: a replay claims no score


def test_a_fake_early_split_is_caught_and_never_imported_or_exported(sealed_bytes, tmp_path):
    doc = payload(sealed_bytes)
    first, tick = doc["splits"][0]
    doc["splits"] = [[first, 60], *doc["splits"]]  # the same objective, met "earlier" too
    path = write(tmp_path, forge(doc))
    verdict = verify(path)
    assert not verdict.valid
    assert verdict.message.startswith("split 1: the re-simulation has "
                                      f"'{first}' at tick {tick}, the replay claims "
                                      f"'{first}' at tick 60")
    assert main(["leaderboard", "import", str(path), "--player", "x", "--level",
                 str(SPRINT)]) == 1
    assert Leaderboard().count() == 0
    assert "60" not in export.to_csv(export.board_rows(Leaderboard()))


def test_reordered_splits_and_a_dropped_split_are_caught(sealed_bytes, tmp_path):
    doc = payload(sealed_bytes)
    assert len(doc["splits"]) >= 2
    swapped = dict(doc, splits=[doc["splits"][1], doc["splits"][0], *doc["splits"][2:]])
    if swapped["splits"] != doc["splits"]:
        assert "split 1:" in verify(write(tmp_path, forge(swapped))).message
    dropped = dict(doc, splits=doc["splits"][:-1])
    message = verify(write(tmp_path, forge(dropped), "dropped.kmrp")).message
    assert f"split {len(doc['splits'])}:" in message and "no split" in message


@pytest.mark.parametrize("flags", [1, 2, 5, 65535])
def test_reserved_header_flags_must_be_zero(sealed_bytes, tmp_path, flags):
    verdict = verify(write(tmp_path, forge(payload(sealed_bytes), flags=flags)))
    assert not verdict.valid and verdict.key == "speedrun.replay.flags"
    assert f"flags are {flags}" in verdict.message


def test_editing_metadata_does_not_make_a_second_run(sealed_bytes, tmp_path):
    """recorded_at, player and real time are metadata: the run's identity is what the
    simulation depends on, so the same run is imported once however often it is edited."""
    original = write(tmp_path, sealed_bytes, "original.kmrp")
    verdict, run = import_replay(original, "Rani", level_path=SPRINT)
    assert run is not None, verdict.message
    for i in range(5):
        doc = payload(sealed_bytes)
        doc.update(recorded_at=f"2027-01-0{i + 1}T00:00:00+00:00", player=f"alt{i}",
                   real_time_s=30.0 + i)
        doc.pop("real_splits", None)
        again, dup = import_replay(write(tmp_path, forge(doc), f"edit{i}.kmrp"), f"alt{i}",
                                   level_path=SPRINT)
        assert dup is None and again.key == "speedrun.import.duplicate", again.message
        assert f"run #{run.id} by Rani" in again.message
    assert Leaderboard().count() == 1
    assert Leaderboard().runs()[0].identity == read_replay(original).run_identity()


@pytest.mark.parametrize("command, field", [
    ({"kind": "move", "unit_ids": ["samapta_1"], "point": 5}, "point"),
    ({"kind": "move", "unit_ids": ["samapta_1"], "point": [5]}, "point"),
    ({"kind": "move", "unit_ids": ["samapta_1"], "point": [None, 3]}, "point"),
    ({"kind": "move", "unit_ids": 7, "target": "x"}, "unit_ids"),
    ({"kind": "patrol", "unit_ids": ["samapta_1"], "route": 3}, "route"),
    ({"kind": "hold", "unit_ids": [1], "target": "x"}, "unit_ids"),
])
def test_commands_of_the_wrong_shape_are_field_errors(sealed_bytes, command, field):
    doc = payload(sealed_bytes)
    doc["commands"] = [[0, [command]], *doc["commands"][1:]]
    with pytest.raises(ReplayError) as err:
        decode(forge(doc), "shapes.kmrp")
    assert err.value.key == "speedrun.replay.bad_field" and field in str(err.value)


def test_resource_bounds_are_checked_before_inflating_or_simulating(sealed_bytes, tmp_path):
    # a header claiming a huge payload: refused before a byte is inflated
    doc = payload(sealed_bytes)
    raw = json.dumps(doc).encode()
    packed = zlib.compress(raw)
    bomb = HEADER.pack(MAGIC, FORMAT_VERSION, 0, len(packed), MAX_JSON_BYTES + 1,
                       zlib.crc32(packed))
    with pytest.raises(ReplayError, match="over the"):
        decode(bomb + packed, "bomb.kmrp")
    # a run claiming far more ticks than the level lasts: refused before simulating
    doc["final_tick"] = 5_000_000
    start = time.perf_counter()
    verdict = verify(write(tmp_path, forge(doc)))
    assert verdict.key == "speedrun.verify.too_long", verdict.message
    assert "refused before simulating" in verdict.message
    assert time.perf_counter() - start < 5
    doc["final_tick"] = 10**9
    with pytest.raises(ReplayError, match="final_tick"):
        decode(forge(doc), "long.kmrp")


def test_a_replay_that_is_hostile_json_is_refused(sealed_bytes):
    raw = b"[" * 10000 + b"]" * 10000
    packed = zlib.compress(raw)
    data = HEADER.pack(MAGIC, FORMAT_VERSION, 0, len(packed), len(raw), zlib.crc32(packed)) + packed
    with pytest.raises(ReplayError, match="nest"):
        decode(data, "deep.kmrp")
    doc = payload(sealed_bytes)
    text = json.dumps(doc).replace('"real_time_s": 41.5', '"real_time_s": NaN').encode()
    packed = zlib.compress(text)
    data = HEADER.pack(MAGIC, FORMAT_VERSION, 0, len(packed), len(text), zlib.crc32(packed))
    data += packed
    with pytest.raises(ReplayError, match="not a finite number"):
        decode(data, "nan.kmrp")


def test_player_names_that_look_like_options(sealed_bytes, tmp_path, capsys):
    path = write(tmp_path, sealed_bytes)
    assert main(["leaderboard", "import", str(path), "--player=-2+3", "--level",
                 str(SPRINT)]) == 0
    assert Leaderboard().runs()[0].player == "-2+3"
    rows = export.read_csv(export.to_csv(export.board_rows(Leaderboard())))
    assert {r["player"] for r in rows} == {"-2+3"}  # one row per category, never a formula
    assert ",-2+3," not in export.to_csv(export.board_rows(Leaderboard()))


def test_exports_say_real_time_is_not_verified(sealed_bytes, tmp_path):
    import_replay(write(tmp_path, sealed_bytes), "Rani", level_path=SPRINT)
    board = Leaderboard()
    rows = export.board_rows(board)
    assert all(r["real_time_verified"] is False for r in rows)
    assert export.read_csv(export.to_csv(rows))[0]["real_time_verified"] is False
    assert "real_time_s" in json.loads(export.to_json(rows))["trust"]
    lss = export.to_lss(board.runs(), "any", load_level(SPRINT))
    assert "<!-- Verified by re-simulating" in lss and "RealTime" in lss.split("-->")[0]
    src = json.loads(export.to_src(board.board("speedrun_sprint", "any"), "any"))
    assert "not verified" in src[0]["run"]["comment"]


# --- the local board's file -------------------------------------------------------------

def test_a_board_of_unknown_layout_is_named_and_left_untouched(capsys):
    path = Leaderboard().path
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, who TEXT)")
        conn.execute("PRAGMA user_version = 7")
    before = path.read_bytes()
    assert main(["leaderboard", "show"]) == 1
    err = capsys.readouterr().err
    assert "newer version of the game" in err and "schema 7" in err
    assert "no such column" not in err and path.read_bytes() == before
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 0")
    assert main(["leaderboard", "show"]) == 1
    err = capsys.readouterr().err
    assert "layout this game does not know" in err and "missing columns cat_100" in err
    assert "leaderboard rebuild" in err


def test_a_board_from_schema_2_gets_identities_from_its_replays(sealed_bytes, tmp_path):
    replay_path = write(tmp_path, sealed_bytes, "old.kmrp")
    replay = read_replay(replay_path)
    path = tmp_path / "v2.sqlite3"
    columns = ("player TEXT NOT NULL, level_id TEXT NOT NULL, level_digest TEXT NOT NULL,"
               " seed INTEGER NOT NULL, outcome TEXT, cat_any INTEGER NOT NULL DEFAULT 0,"
               " cat_100 INTEGER NOT NULL DEFAULT 0, cat_cooling INTEGER NOT NULL DEFAULT 0,"
               " game_ticks INTEGER NOT NULL, real_time_s REAL NOT NULL, splits TEXT NOT NULL,"
               " real_splits TEXT NOT NULL DEFAULT '[]', recorded_at TEXT NOT NULL,"
               " game_version TEXT NOT NULL, replay_path TEXT NOT NULL,"
               " level_path TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'pending',"
               " status_note TEXT NOT NULL DEFAULT '', comment TEXT NOT NULL DEFAULT ''")
    with sqlite3.connect(path) as conn:
        conn.execute(f"CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, {columns})")
        conn.execute("PRAGMA user_version = 2")
        conn.execute("INSERT INTO runs (player, level_id, level_digest, seed, game_ticks,"
                     " real_time_s, splits, recorded_at, game_version, replay_path, status)"
                     " VALUES ('lama', ?, ?, ?, ?, 1.0, '[]', ?, ?, ?, 'valid')",
                     (replay.level_id, replay.level_digest, replay.seed, replay.final_tick,
                      replay.recorded_at, replay.game_version, str(replay_path)))
        conn.execute("INSERT INTO runs (player, level_id, level_digest, seed, game_ticks,"
                     " real_time_s, splits, recorded_at, game_version, replay_path)"
                     " VALUES ('gone', 'x', 'y', 0, 5, 1.0, '[]', 'z', '0', '/nowhere.kmrp')")
    board = Leaderboard(path)
    runs = board.runs()
    assert [r.player for r in runs] == ["lama", "gone"]
    assert runs[0].identity == replay.run_identity() and runs[1].identity == ""


def test_header_layout_is_what_the_docs_say():
    assert HEADER.size == 24 and struct.calcsize(">8sHHIII") == 24


def test_an_order_edited_without_changing_the_outcome_is_caught(tmp_path):
    """Found by the replay fuzzer: dropping a patrol stop the unit had not reached yet left
    the hashed state unchanged, so a different run verified (and got a new identity, a
    way around the duplicate check). The state hash now covers the units' orders."""
    doc = payload(sprint.sealed_bytes(sprint.sprint_win_with_patrol()))
    patrol = next(c for _, cmds in doc["commands"] for c in cmds if c["kind"] == "patrol")
    assert len(patrol["route"]) > 2
    del patrol["route"][1]
    verdict = verify(write(tmp_path, forge(doc)))
    assert not verdict.valid and verdict.key == "speedrun.verify.diverged", verdict.message
