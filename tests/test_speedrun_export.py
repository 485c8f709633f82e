"""Exports round-trip, LiveSplit gets the structure it reads, and no name escapes its field."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace

from command_game.cli import main
from command_game.level.io import load_level
from command_game.speedrun import export
from command_game.speedrun.store import Leaderboard, clean_player
from tests.conftest import LEVELS
from tests.test_speedrun_store import make_run

NASTY = ['=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "\tTab", "'quoted",
         'Bu"di, <b>&amp;</b>\n</Name><Evil/>', "Ωmega ☃"]


def filled_board() -> Leaderboard:
    """Hostile names; every other run has real split times (the rest are older runs)."""
    board = Leaderboard()
    for i, name in enumerate(NASTY):
        run = make_run(name, 5000 + 100 * i, real=100.0 + i, comment=name,
                       cats=("any", "100", "cooling"))
        if i % 2 == 0:
            run = replace(run, real_splits=(("a", 16.6 + i / 3), ("b", 66.7 + i / 7)))
        board.add_run(run)
    return board


def test_csv_round_trips_and_never_starts_a_formula():
    rows = export.board_rows(filled_board(), "singkawang", "any")
    assert len(rows) == len(NASTY)
    assert rows[0]["real_splits"] == [["a", 16.6], ["b", 66.7]]
    assert rows[1]["real_splits"] == []
    text = export.to_csv(rows)
    assert export.read_csv(text) == rows
    import csv
    import io

    for raw in csv.reader(io.StringIO(text)):
        for cell in raw:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_json_round_trips():
    rows = export.board_rows(filled_board())
    assert {r["category"] for r in rows} == {"Any%", "100%", "Cooling%"}
    assert export.read_json(export.to_json(rows)) == rows


def test_lss_has_livesplit_structure_and_the_runs_times():
    board = Leaderboard()
    level = load_level(LEVELS / "01_singkawang.json")
    runs = [make_run("rani", 9000, splits=(("jaga_kpu", 3000), ("tuntas", 8000)), real=160.0,
                     when="2026-11-23T08:00:00+00:00"),
            make_run("rani", 8000, splits=(("jaga_kpu", 3500), ("tuntas", 7000)), real=150.5,
                     when="2026-11-23T08:10:00+00:00"),
            make_run("rani", 2500, splits=(("jaga_kpu", 2000),), cats=(),
                     when="2026-11-23T08:20:00+00:00")]  # a loss: a reset after one split
    for run in runs:
        board.add_run(run)
    text = export.to_lss(board.runs("singkawang", player="rani"), "any", level)
    root = ET.fromstring(text)
    assert root.tag == "Run"
    assert root.findtext("GameName") == "Kamtibmas"
    assert root.findtext("CategoryName") == f"{level.meta.title.en} - Any%"
    assert root.findtext("AttemptCount") == "3"
    attempts = root.findall("AttemptHistory/Attempt")
    assert [a.get("id") for a in attempts] == ["1", "2", "3"]
    assert abs(export.parse_lss_time(attempts[1].findtext("GameTime")) - 8000 / 60) < 1e-7
    assert export.parse_lss_time(attempts[1].findtext("RealTime")) == 150.5
    assert attempts[2].find("GameTime") is None  # the loss: reset, no time
    segments = root.findall("Segments/Segment")
    assert [s.findtext("Name") for s in segments] == [
        export.segment_name("jaga_kpu", level), export.segment_name("tuntas", level),
        "Mission end"]
    pb = [s.find("SplitTimes/SplitTime[@name='Personal Best']") for s in segments]
    assert [round(export.parse_lss_time(p.findtext("GameTime")) * 60) for p in pb] == [
        3500, 7000, 8000]
    assert export.parse_lss_time(pb[-1].findtext("RealTime")) == 150.5
    best = [round(export.parse_lss_time(s.findtext("BestSegmentTime/GameTime")) * 60)
            for s in segments]
    assert best == [2000, 3500, 1000]  # the reset's first segment is the gold one
    history = [{h.get("id"): round(export.parse_lss_time(h.findtext("GameTime")) * 60)
                for h in s.findall("SegmentHistory/Time")} for s in segments]
    assert history == [{"1": 3000, "2": 3500, "3": 2000}, {"1": 5000, "2": 3500},
                       {"1": 1000, "2": 1000}]


def test_lss_carries_real_time_on_every_split():
    board = Leaderboard()
    level = load_level(LEVELS / "01_singkawang.json")
    runs = [replace(make_run("rani", 9000, splits=(("jaga_kpu", 3000), ("tuntas", 8000)),
                             real=160.0, when="2026-11-23T08:00:00+00:00"),
                    real_splits=(("jaga_kpu", 52.5), ("tuntas", 140.0))),
            replace(make_run("rani", 8000, splits=(("jaga_kpu", 3500), ("tuntas", 7000)),
                             real=150.5, when="2026-11-23T08:10:00+00:00"),
                    real_splits=(("jaga_kpu", 60.25), ("tuntas", 120.0))),
            make_run("rani", 8500, splits=(("jaga_kpu", 2900), ("tuntas", 7500)), real=149.0,
                     when="2026-11-23T08:05:00+00:00")]  # recorded before real splits
    for run in runs:
        board.add_run(run)
    root = ET.fromstring(export.to_lss(board.runs("singkawang", player="rani"), "any", level))
    segments = root.findall("Segments/Segment")

    def seconds(nodes, clock):
        return [export.parse_lss_time(n.findtext(clock)) if n.find(clock) is not None
                else None for n in nodes]

    pb = [s.find("SplitTimes/SplitTime[@name='Personal Best']") for s in segments]
    assert seconds(pb, "RealTime") == [60.25, 120.0, 150.5]  # the 8000-tick run's clock
    assert [round(g * 60) for g in seconds(pb, "GameTime")] == [3500, 7000, 8000]
    best = [s.find("BestSegmentTime") for s in segments]
    assert seconds(best, "RealTime") == [52.5, 59.75, 20.0]  # each clock's own best
    assert [round(g * 60) for g in seconds(best, "GameTime")] == [2900, 3500, 1000]
    history = [{h.get("id"): export.parse_lss_time(h.findtext("RealTime"))
                for h in s.findall("SegmentHistory/Time") if h.find("RealTime") is not None}
               for s in segments]
    # attempts by date: 1 = 08:00, 2 = 08:05 (no real splits), 3 = 08:10
    assert history == [{"1": 52.5, "3": 60.25}, {"1": 87.5, "3": 59.75},
                       {"1": 20.0, "3": 30.5}]
    assert all(len(s.findall("SegmentHistory/Time")) == 3 for s in segments)


def test_lss_of_hostile_names_is_well_formed():
    board = filled_board()
    for name in NASTY:
        text = export.to_lss(board.runs(player=name), "any")
        ET.fromstring(text)  # parses: well formed
    assert "<Evil" not in export.to_lss(board.runs(), "any")


def test_src_submission_per_run():
    board = filled_board()
    subs = json.loads(export.to_src(board.board("singkawang", "cooling"), "cooling"))
    assert len(subs) == len(NASTY)
    first = subs[0]["run"]
    assert first["category"] == "Cooling%" and first["level"] == "singkawang"
    assert first["times"] == {"realtime": 100.0, "ingame": round(5000 / 60, 3)}
    assert first["date"] == "2026-11-23"
    assert [s["run"]["players"][0]["name"] for s in subs] == [clean_player(n) for n in NASTY]
    assert subs[6]["run"]["comment"].startswith(NASTY[6])  # the comment keeps its text


def test_export_cli_writes_each_format(tmp_path, capsys):
    filled_board()

    def cli(*args):
        code = main(["leaderboard", *args])
        out, err = capsys.readouterr()
        return code, out, err

    for fmt in ("csv", "json", "lss", "src"):
        code, _, err = cli("export", "--format", fmt, "--level", "singkawang", "--category",
                           "Any%", "-o", str(tmp_path / f"board.{fmt}"))
        assert code == 0, err
        assert (tmp_path / f"board.{fmt}").stat().st_size > 100
    assert export.read_csv((tmp_path / "board.csv").read_text()) == export.board_rows(
        Leaderboard(), "singkawang", "any")
    code, _, err = cli("export", "--format", "csv", "--category", "fastest", "-o",
                       str(tmp_path / "x"))
    assert code == 2 and "unknown category 'fastest'" in err
    code, _, err = cli("export", "--format", "lss", "-o", str(tmp_path / "x.lss"))
    assert code == 2 and "needs --level" in err
    code, _, err = cli("export", "--format", "csv", "-o", str(tmp_path / "nul\0name.csv"))
    assert code == 1 and "cannot write" in err
    (tmp_path / "a_file").write_text("x")
    code, _, err = cli("export", "--format", "csv", "-o", str(tmp_path / "a_file" / "b.csv"))
    assert code == 1 and "cannot write" in err
    code, out, _ = cli("show", "--level", "singkawang", "--category", "any", "--limit", "3")
    assert code == 0 and "singkawang - Any%" in out
    assert len([ln for ln in out.splitlines() if ln[:4].strip().endswith(".")]) == 3


def test_cli_with_an_unopenable_board_says_so(user_home, capsys, tmp_path):
    (user_home / "leaderboard.sqlite3").mkdir(parents=True)
    assert main(["leaderboard", "show"]) == 1
    assert "cannot be opened" in capsys.readouterr().err
    assert main(["leaderboard", "export", "--format", "json", "-o", str(tmp_path / "b")]) == 1

