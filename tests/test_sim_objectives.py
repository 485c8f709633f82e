"""Objectives decide the mission; convoys and escorts; the autopilot wins the first level
and neglect loses it; the `command-game sim` CLI prints one JSON line."""

from __future__ import annotations

import json

from command_game.cli import main
from command_game.level.catalog import bundled_levels_dir
from command_game.level.io import load_level
from command_game.sim.autopilot import play
from command_game.sim.commands import Command
from command_game.sim.sandbox import sandbox_level, unit
from command_game.sim.world import World
from tests.test_sim_world import run_until


def _title(text: str) -> dict:
    return {"en": text, "id": text}


def _convoy_level(escort_type: str = "lantas"):
    return sandbox_level(
        convoys=[{"id": "surat_suara", "origin": "gudang", "destination": "bawaslu",
                  "depart_s": 10.0, "speed_kmh": 30.0}],
        units=[unit("pengawal", escort_type, "polsek")],
        objectives=[{"id": "kawal", "kind": "escort_convoy", "convoy": "surat_suara",
                     "title": _title("Escort")}],
        meta={"duration_s": 300.0})


def test_escorted_convoy_arrives_and_wins():
    world = World.from_level(_convoy_level())
    events = run_until(world, 120.0, {0: [Command(0, "escort", ("pengawal",), "surat_suara")]})
    convoy = world.convoys["surat_suara"]
    kinds = [e.kind for e in events]
    assert kinds.index("convoy_departed") < kinds.index("convoy_arrived")
    departed = next(e for e in events if e.kind == "convoy_departed")
    assert departed.detail == "escorted"
    assert convoy.status == "arrived" and convoy.escort == "pengawal"
    assert world.objectives[0].status == "met" and world.outcome == "won"
    assert "mission_won" in kinds


def test_convoy_waits_for_its_escort_then_goes_alone():
    world = World.from_level(_convoy_level())
    run_until(world, 60.0)
    assert world.convoys["surat_suara"].status == "waiting"
    events = run_until(world, 15.0)
    assert any(e.kind == "convoy_departed" and e.detail == "unescorted" for e in events)


def test_unescorted_convoys_get_disrupted_and_the_objective_fails():
    lost = 0
    for seed in range(6):
        world = World.from_level(_convoy_level(), seed=seed)
        run_until(world, 200.0)
        if world.convoys["surat_suara"].status == "disrupted":
            lost += 1
            assert world.objectives[0].status == "failed" and world.outcome == "lost"
            assert any(i.type == "convoy_disruption" for i in world.incidents)
    assert lost >= 2  # about a 1/90 chance per second on the road, unescorted


def test_brimob_breaks_a_no_brimob_objective():
    level = sandbox_level(units=[unit("brimob_1", "brimob")], objectives=[
        {"id": "tanpa", "kind": "no_brimob", "title": _title("No Brimob")}])
    world = World.from_level(level)
    run_until(world, 5.0)
    assert world.outcome is None
    events = world.step([Command(world.tick, "hold", ("brimob_1",), "kpu")])
    events += run_until(world, 0.2)
    assert world.brimob_used and world.objectives[0].status == "failed"
    assert world.outcome == "lost" and "mission_lost" in [e.kind for e in events]


def test_a_riot_loses_the_mission():
    level = sandbox_level(crowd_sources=[
        {"id": "massa", "x": 262.0, "y": 190.0, "attractor": "kpu", "rate_per_min": 3000.0,
         "max_agents": 200, "agitation": 1.0}],
        incidents=[{"id": "bentrok", "at_s": 0.0, "type": "clash", "site": "kpu",
                    "severity": 3, "escalation_s": 600.0}],
        meta={"duration_s": 600.0})
    world = World.from_level(level)
    events = run_until(world, 400.0)
    assert world.sites["kpu"].rioted and world.outcome == "lost"
    assert world.end_reason in ("riot", "objective_failed")
    assert any(e.kind == "riot" for e in events)


def test_surviving_to_the_result_wins_when_only_survival_objectives_exist():
    world = World.from_level(sandbox_level(meta={"duration_s": 20.0}))
    run_until(world, 19.0)
    assert world.outcome is None
    run_until(world, 2.0)
    assert world.outcome == "won" and world.end_reason == "result_read"
    assert world.objectives[0].status == "met"
    score = world.score()
    assert score.total > 0 and score.breakdown["win_points"] > 0


def test_autopilot_wins_singkawang_and_neglect_loses_it():
    level = load_level(bundled_levels_dir() / "01_singkawang.json")
    won = play(World.from_level(level, seed=0))
    idle = play(World.from_level(level, seed=0), pilot=False)
    assert won.outcome == "won", {o.id: o.status for o in won.objectives}
    assert idle.outcome == "lost" or idle.score().total < 0.6 * won.score().total
    assert won.score().total > idle.score().total
    assert all(o.status == "met" for o in won.objectives if not o.optional)
    assert won.command_log and all(isinstance(c, Command) for c in won.command_log)


def test_cli_prints_one_json_line(capsys, tmp_path):
    path = tmp_path / "sandbox.json"
    from command_game.level.io import save_level

    save_level(sandbox_level(), path)
    assert main(["sim", str(path), "--autopilot", "--seed", "2", "--ticks", "120"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert result["ticks"] == 120 and result["time_s"] == 2.0 and result["seed"] == 2
    assert result["outcome"] is None and result["ticks_per_s"] > 0
    assert set(result) >= {"outcome", "time_s", "score", "ticks_per_s", "objectives"}


def test_cli_names_the_file_of_a_bad_level(capsys, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{}")
    assert main(["sim", str(path)]) == 2
    assert "broken.json" in capsys.readouterr().err


def test_autopilot_never_uses_brimob_under_a_no_brimob_objective():
    level = sandbox_level(
        units=[unit("brimob_1", "brimob", "polsek"), unit("samapta_1", "samapta")],
        incidents=[{"id": "bentrok", "at_s": 1.0, "type": "clash", "site": "kpu",
                    "severity": 2}],
        objectives=[{"id": "tanpa", "kind": "no_brimob", "title": _title("No Brimob")},
                    {"id": "lerai", "kind": "resolve_incidents", "title": _title("Resolve")}],
        meta={"duration_s": 200.0})
    world = play(World.from_level(level))
    assert not world.brimob_used and world.outcome == "won"
    assert world.incidents[0].status == "resolved"
    assert all("brimob_1" not in c.unit_ids for c in world.command_log)


def test_autopilot_escorts_a_convoy_to_a_win():
    world = play(World.from_level(_convoy_level()))
    assert world.outcome == "won" and world.convoys["surat_suara"].status == "arrived"
    assert any(c.kind == "escort" for c in world.command_log)


def test_an_early_win_waits_for_the_rest_of_the_script():
    """Objectives met early do not skip the night: a scripted incident still to come is
    played out before the result is read."""
    level = sandbox_level(
        units=[unit("s", "samapta", personnel=12), unit("r", "reskrim", personnel=10)],
        incidents=[{"id": "ancaman", "at_s": 90.0, "type": "intimidation", "site": "bawaslu",
                    "severity": 1, "escalation_s": 200.0}],
        objectives=[{"id": "jaga", "kind": "hold_site", "site": "kpu", "hold_s": 10.0,
                     "title": _title("Hold")}],
        meta={"duration_s": 600.0})
    world = World.from_level(level)
    run_until(world, 85.0, {0: [Command(0, "hold", ("s",), "kpu")]})
    assert world.objectives[0].status == "met" and world.outcome is None
    run_until(world, 10.0, {world.tick: [Command(world.tick, "hold", ("r",), "bawaslu")]})
    while not world.finished and world.time_s < 400.0:
        world.step()
    assert world.outcome == "won" and world.end_reason == "objectives_met"
    assert world.incidents[0].status == "resolved"
    assert world.time_s < 400.0
