"""The leaderboard store: ranking, personal best, sum of best, and no lost runs under load."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from dataclasses import replace

from command_game.speedrun.segments import (
    END,
    best_segments,
    real_times_along,
    route_of,
    sum_of_best,
    times_along,
)
from command_game.speedrun.store import SCHEMA_VERSION, Leaderboard, RunRecord, clean_player
from command_game.speedrun.summary import summarize
from command_game.speedrun.timing import Split, categories_for, format_time, parse_category


def make_run(player="budi", ticks=6000, splits=(("a", 1000), ("b", 4000)), status="valid",
             cats=("any", "cooling"), level="singkawang", when="2026-11-23T08:00:00+00:00",
             real=120.0, comment="", digest="ab" * 32) -> RunRecord:
    return RunRecord(player=player, level_id=level, level_digest=digest, seed=0,
                     outcome="won" if cats else "lost", categories=tuple(cats),
                     game_ticks=ticks, real_time_s=real,
                     splits=tuple(Split(o, t) for o, t in splits), recorded_at=when,
                     game_version="0.1.0", replay_path=f"/tmp/{player}-{ticks}.kmrp",
                     status=status, comment=comment)


def test_timing_helpers():
    assert format_time(0) == "0:00.000"
    assert format_time(83.4567) == "1:23.457"
    assert format_time(3723.5) == "1:02:03.500"
    assert parse_category("Any%") == "any" and parse_category("COOLING%") == "cooling"
    assert categories_for("won", True, False) == ("any", "100", "cooling")
    assert categories_for("won", False, True) == ("any",)
    assert categories_for("lost", True, False) == ()


def test_only_verified_runs_rank_fastest_first():
    board = Leaderboard()
    slow = board.add_run(make_run("slow", 9000))
    fast = board.add_run(make_run("fast", 5000))
    pending = board.add_run(make_run("pending", 100, status="pending"))
    board.add_run(make_run("bad", 50, status="invalid"))
    board.add_run(make_run("lost", 10, cats=()))
    assert [r.player for r in board.board("singkawang", "any")] == ["fast", "slow"]
    assert board.rank_of(fast.id, "any") == 1 and board.rank_of(slow.id, "any") == 2
    assert board.rank_of(pending.id, "any") is None
    assert board.board("singkawang", "100") == []
    board.set_status(pending.id, "valid")
    assert board.rank_of(pending.id, "any") == 1
    summary = summarize(board, "singkawang", "any", "slow")
    assert summary.personal_best.id == slow.id and summary.personal_rank == 3
    with sqlite3.connect(board.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_ties_go_to_real_time_then_to_the_earlier_run():
    board = Leaderboard()
    board.add_run(make_run("late", 5000, real=90.0, when="2026-11-23T09:00:00+00:00"))
    board.add_run(make_run("early", 5000, real=90.0, when="2026-11-23T08:00:00+00:00"))
    board.add_run(make_run("quick", 5000, real=80.0, when="2026-11-23T10:00:00+00:00"))
    assert [r.player for r in board.board("singkawang", "any")] == ["quick", "early", "late"]


def test_player_names_are_cleaned():
    assert clean_player("  Budi\x00\n\x1b[31m  Santoso ") == "Budi [31m Santoso"
    assert clean_player("\x07\x08") == "player"
    assert len(clean_player("x" * 500)) == 32


def test_sum_of_best_takes_each_segments_fastest_run():
    one = make_run(ticks=6000, splits=(("a", 1000), ("b", 4000)))  # 1000, 3000, 2000
    two = make_run(ticks=5500, splits=(("a", 1500), ("b", 3500)))  # 1500, 2000, 2000
    three = make_run(ticks=5000, splits=(("b", 1000), ("a", 2000)))  # out of order
    route = route_of(two)
    assert route == ("a", "b", END)
    assert times_along(three, route).segment_ticks == (2000, None, 4000)
    assert sum_of_best([one, two, three], route, "any") == 1000 + 2000 + 2000
    assert sum_of_best([make_run(splits=())], ("a", END), "any") is None
    reset = make_run(ticks=300, splits=(("a", 200),), cats=())  # lost: a reset
    assert sum_of_best([one, two, reset], route, "any") == 200 + 2000 + 2000
    with_brimob = make_run(ticks=1000, splits=(("a", 10), ("b", 20)), cats=("any",))
    assert sum_of_best([one, two, with_brimob], route, "cooling") == 1000 + 2000 + 2000


def _write_many(path: str, player: str, count: int) -> None:
    board = Leaderboard(path)
    for i in range(count):
        board.add_run(make_run(player, 1000 + i))


def test_concurrent_threads_and_processes_lose_no_run(tmp_path):
    path = str(tmp_path / "board.sqlite3")
    threads = [threading.Thread(target=_write_many, args=(path, f"t{i}", 40)) for i in range(6)]
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_many, args=(path, f"p{i}", 40)) for i in range(3)]
    for worker in threads + procs:
        worker.start()
    for worker in threads + procs:
        worker.join(120)
    assert all(p.exitcode == 0 for p in procs)
    board = Leaderboard(path)
    assert board.count() == 9 * 40
    runs = board.runs()
    for name in [f"t{i}" for i in range(6)] + [f"p{i}" for i in range(3)]:
        assert sorted(r.game_ticks for r in runs if r.player == name) == list(range(1000, 1040))


# The board as the game wrote it before real splits (schema version 1), copied verbatim:
# the migration must open such a file and keep every run.
_SCHEMA_V1 = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, player TEXT NOT NULL, level_id TEXT NOT NULL,
    level_digest TEXT NOT NULL, seed INTEGER NOT NULL, outcome TEXT,
    cat_any INTEGER NOT NULL DEFAULT 0, cat_100 INTEGER NOT NULL DEFAULT 0,
    cat_cooling INTEGER NOT NULL DEFAULT 0, game_ticks INTEGER NOT NULL,
    real_time_s REAL NOT NULL, splits TEXT NOT NULL, recorded_at TEXT NOT NULL,
    game_version TEXT NOT NULL, replay_path TEXT NOT NULL, level_path TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending', status_note TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '');
CREATE INDEX runs_by_level ON runs(level_id, status, game_ticks);
PRAGMA user_version = 1;
"""


def test_a_board_from_before_real_splits_opens_and_keeps_its_runs(tmp_path):
    path = tmp_path / "leaderboard.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(_SCHEMA_V1)
        conn.execute("PRAGMA journal_mode = WAL")
        for player, ticks in (("lama", 7000), ("dulu", 6500)):
            conn.execute(
                "INSERT INTO runs (player, level_id, level_digest, seed, outcome, cat_any,"
                " game_ticks, real_time_s, splits, recorded_at, game_version, replay_path,"
                " status) VALUES (?, 'singkawang', ?, 0, 'won', 1, ?, 99.5, ?,"
                " '2026-11-22T08:00:00+00:00', '0.1.0', '/tmp/x.kmrp', 'valid')",
                (player, "ab" * 32, ticks, '[["a", 1000], ["b", 4000]]'))
    board = Leaderboard(path)
    old = board.runs()
    assert [(r.player, r.game_ticks, r.real_time_s) for r in old] == [
        ("lama", 7000, 99.5), ("dulu", 6500, 99.5)]
    assert all(r.real_splits == () and r.splits == (Split("a", 1000), Split("b", 4000))
               for r in old)
    new = board.add_run(replace(make_run("baru", 5000), real_splits=(("a", 20.5),
                                                                    ("b", 80.25))))
    assert board.get_run(new.id).real_splits == (("a", 20.5), ("b", 80.25))
    assert board.get_run(new.id).real_split_s("b") == 80.25
    assert [r.player for r in board.board("singkawang", "any")] == ["baru", "dulu", "lama"]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    assert Leaderboard(path).count() == 3  # opening the migrated board again changes nothing


def test_real_segments_follow_the_recorded_real_splits():
    timed = replace(make_run(ticks=6000, real=100.0), real_splits=(("a", 20.0), ("b", 70.0)))
    route = route_of(timed)
    assert real_times_along(timed, route).split_s == (20.0, 70.0, 100.0)
    assert real_times_along(timed, route).segment_s == (20.0, 50.0, 30.0)
    untimed = make_run(ticks=5000, real=90.0)  # recorded before real splits
    assert real_times_along(untimed, route).segment_s == (None, None, None)
    faster = replace(make_run(ticks=7000, real=95.0), real_splits=(("a", 15.0), ("b", 75.0)))
    assert best_segments([timed, untimed, faster], route, "any", real=True) == (
        15.0, 50.0, 20.0)


def test_several_writers_opening_an_old_board_at_once_migrate_it_once(tmp_path):
    path = tmp_path / "leaderboard.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(_SCHEMA_V1)
    threads = [threading.Thread(target=_write_many, args=(str(path), f"t{i}", 10))
               for i in range(4)]
    for worker in threads:
        worker.start()
    for worker in threads:
        worker.join(60)
    board = Leaderboard(path)
    assert board.count() == 40 and all(r.real_splits == () for r in board.runs())
    with sqlite3.connect(path) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(runs)")]
    assert columns.count("real_splits") == 1
