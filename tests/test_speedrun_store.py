"""The leaderboard store: ranking, personal best, sum of best, and no lost runs under load."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading

from command_game.speedrun.segments import END, route_of, sum_of_best, times_along
from command_game.speedrun.store import Leaderboard, RunRecord, clean_player
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
