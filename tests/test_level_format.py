"""Level loading and validation: every malformed file gets its own, specific message."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from command_game.level.io import (
    level_digest,
    level_to_bytes,
    load_level,
    parse_level,
    save_level,
)
from command_game.level.lint import lint
from command_game.level.problems import LevelError
from tests.conftest import LEVELS

SAMPLE = LEVELS / "01_singkawang.json"
REPO_DATA = LEVELS.parent / "tests" / "data"


def sample() -> dict:
    return json.loads(SAMPLE.read_text("utf-8"))


def problems_of(tmp_path: Path, data: dict | str) -> list[str]:
    path = tmp_path / "broken.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), "utf-8")
    try:
        level = load_level(path)
    except LevelError as exc:
        assert exc.file == str(path)
        return [p.format() for p in exc.problems]
    return [p.format() for p in lint(level) if p.severity == "error"]


def mutate(fn) -> dict:
    data = copy.deepcopy(sample())
    fn(data)
    return data


MALFORMED = {
    "bad_json": ('{"meta": ', ["line 1 column 10", "invalid JSON"]),
    "missing_title": (mutate(lambda d: d["meta"].pop("title")),
                      ["meta.title", "add the required field 'title'"]),
    "typo_field": (mutate(lambda d: d["map"].update(widht_m=5)),
                   ["map.widht_m", "correct its spelling"]),
    "bad_office_type": (mutate(lambda d: d["offices"][2].update(type="kantor")),
                        ["offices[2].type", "'kpu'"]),
    "negative_width": (mutate(lambda d: d["map"].update(width_m=-3)),
                       ["map.width_m", "greater than 0"]),
    "bad_id": (mutate(lambda d: d["units"][0].update(id="Samapta Satu")),
               ["units[0].id", "lowercase"]),
    "dangling_edge": (mutate(lambda d: d["roads"]["edges"][0].update(b="n_nowhere")),
                      ["roads.edges[0].b", "'n_nowhere' does not exist"]),
    "dangling_office_node": (mutate(lambda d: d["offices"][2].update(node="n_zz")),
                             ["offices[2].node", "road node 'n_zz'"]),
    "duplicate_unit": (mutate(lambda d: d["units"].append(dict(d["units"][0]))),
                       ["units[4].id", "duplicate id 'samapta_1'"]),
    "unreachable_office": (mutate(lambda d: (
        d["roads"]["nodes"].append({"id": "n_island", "x": 10, "y": 10}),
        d["roads"]["nodes"].append({"id": "n_island2", "x": 20, "y": 10}),
        d["roads"]["edges"].append({"id": "jl_island", "a": "n_island", "b": "n_island2"}),
        d["offices"][5].update(node="n_island"))),
        ["offices[5].node", "cannot be reached by road"]),
    "self_intersecting": (mutate(lambda d: d["districts"][0].update(
        polygon=[[0, 0], [600, 900], [600, 0], [0, 900]])),
        ["districts[0].polygon", "not simple"]),
    "unit_not_at_hq": (mutate(lambda d: d["units"][0].update(base="kpu_singkawang")),
                       ["units[0].base", "polres or polsek"]),
    "bad_objective_kind": (mutate(lambda d: d["objectives"][0].update(kind="win_hearts")),
                           ["objectives[0]", "kind"]),
    "outside_map": (mutate(lambda d: d["offices"][3].update(x=5000)),
                    ["offices[3]", "outside the map"]),
    "all_optional": (mutate(lambda d: [o.update(optional=True) for o in d["objectives"]]),
                     ["objectives", "required"]),
    "source_in_building": (mutate(lambda d: d["crowd_sources"][0].update(
        x=sum(x for x, _ in d["buildings"][0]["polygon"]) / len(d["buildings"][0]["polygon"]),
        y=sum(y for _, y in d["buildings"][0]["polygon"]) / len(d["buildings"][0]["polygon"]))),
        ["crowd_sources[0]", "inside a building"]),
    "bad_clock": (mutate(lambda d: d["meta"].update(start_clock="25:00")),
                  ["meta.start_clock"]),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_level_names_field_and_fix(tmp_path, name):
    data, expected = MALFORMED[name]
    messages = problems_of(tmp_path, data)
    assert messages, f"{name}: no problem reported"
    joined = "\n".join(messages)
    for fragment in expected:
        assert fragment in joined, f"{name}: {fragment!r} not in:\n{joined}"
    assert all("fix:" in m for m in messages)


def test_shipped_levels_are_valid():
    paths = [p for p in LEVELS.glob("*.json") if p.name != "schema.json"]
    assert paths
    for path in paths:
        level = load_level(path)
        assert [p for p in lint(level) if p.severity == "error"] == [], path


def test_save_round_trips_byte_for_byte(tmp_path):
    level = load_level(SAMPLE)
    out = tmp_path / "copy.json"
    save_level(level, out)
    assert out.read_bytes() == SAMPLE.read_bytes() == level_to_bytes(load_level(out))
    assert level_digest(load_level(out)) == level_digest(level)


def test_unreadable_and_non_utf8_files(tmp_path):
    with pytest.raises(LevelError, match="fix:"):
        load_level(tmp_path / "missing.json")
    bad = tmp_path / "latin.json"
    bad.write_bytes(b"\xff\xfe{}")
    with pytest.raises(LevelError, match="UTF-8"):
        load_level(bad)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "command_game", *args],
                          capture_output=True, text=True, timeout=120)


def test_cli_validate_exit_status(tmp_path):
    ok = cli("levels", "validate", str(SAMPLE))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(MALFORMED["dangling_edge"][0]), "utf-8")
    bad = cli("levels", "validate", str(SAMPLE), str(broken))
    assert bad.returncode == 1
    assert "roads.edges[0].b" in bad.stdout and str(broken) in bad.stdout


def test_cli_schema_matches_models(tmp_path):
    out = tmp_path / "schema.json"
    assert cli("levels", "schema", "-o", str(out)).returncode == 0
    schema = json.loads(out.read_text("utf-8"))
    assert {"meta", "roads", "offices", "objectives"} <= set(schema["properties"])
    shipped = LEVELS / "schema.json"
    assert shipped.read_text("utf-8") == out.read_text("utf-8"), (
        "levels/schema.json is stale: run `command-game levels schema`")


# --- hardening (issue 12): hostile files are refused by the one guarded reader and the
# schema's limits, with the field and the fix; an accepted level always simulates ---------

HOSTILE_TEXT = {
    "deep_nesting": ('{"meta": ' + "[" * 20000 + "]" * 20000 + "}",
                     ["(file)", "nest 20001 deep", "at most 64"]),
    "huge_integer": ('{"map": {"width_m": ' + "9" * 5000 + "}}", ["5000 digits"]),
    "nan_in_polygon": (SAMPLE.read_text("utf-8").replace(
        '"polygon": [\n        [\n          ', '"polygon": [\n [NaN, ', 1),
        ["NaN is not a finite number"]),
    "infinity_literal": (SAMPLE.read_text("utf-8").replace('"duration_s": 360.0',
                                                            '"duration_s": Infinity'),
                         ["Infinity is not a finite number"]),
    "overflowing_float": (SAMPLE.read_text("utf-8").replace('"duration_s": 360.0',
                                                             '"duration_s": 1e999'),
                          ["1e999 is not a finite number"]),
    "duplicate_key": (SAMPLE.read_text("utf-8").replace('"duration_s": 360.0',
                                                         '"duration_s": 360.0, "duration_s": 1'),
                      ["'duration_s' appears twice"]),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_TEXT))
def test_hostile_json_is_refused_by_the_guarded_reader(tmp_path, name):
    text, expected = HOSTILE_TEXT[name]
    messages = "\n".join(problems_of(tmp_path, text))
    for fragment in expected:
        assert fragment in messages, f"{name}: {fragment!r} not in:\n{messages}"
    assert "fix:" in messages


def _set(path: str, value):
    def change(d):
        node = d
        *parents, last = path.split(".")
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value
    return mutate(change)


OUT_OF_BOUNDS = {
    # values the schema used to accept and the world then crashed on (OverflowError)
    "inf_available_s": (_set("units.0.available_s", float("inf")),
                        ["units[0].available_s", "not a finite number", "NaN and Infinity"]),
    "inf_escalation_s": (_set("incidents.0.escalation_s", float("inf")),
                         ["incidents[0].escalation_s", "not a finite number"]),
    "nan_threshold": (_set("objectives.3.threshold", float("nan")),
                      ["not a finite number"]),
    "nan_polygon": (_set("buildings.0.polygon.0", [float("nan"), 1.0]),
                    ["buildings[0].polygon[0][0]", "not a finite number"]),
    "late_time": (_set("incidents.0.at_s", 10.0**9), ["incidents[0].at_s", "86400"]),
    "huge_map": (_set("map.width_m", 20000.0), ["map.width_m", "10000"]),
    "tiny_grid": (_set("map.grid_m", 0.51),
                  ["map", "4,153,045 flow-field cells", "1,000,000", "raise grid_m to at "
                   "least 1.2"]),
    "fractional_count": (_set("crowd_sources.0.max_agents", 120.5),
                         ["crowd_sources[0].max_agents", "whole number"]),
    "count_as_text": (_set("crowd_sources.0.max_agents", "120"),
                      ["crowd_sources[0].max_agents", "valid integer"]),
    "number_as_bool": (_set("map.grid_m", True), ["map.grid_m", "valid number"]),
    "too_many_citizens": (mutate(lambda d: [s.update(max_agents=20000)
                                            for s in d["crowd_sources"]]),
                          ["up to 60,000 citizens", "50,000", "lower max_agents"]),
}


@pytest.mark.parametrize("name", sorted(OUT_OF_BOUNDS))
def test_values_past_the_limits_are_named_with_the_limit(name):
    """In process (the editor, the Tiled importer): NaN and Infinity reach the schema."""
    data, expected = OUT_OF_BOUNDS[name]
    with pytest.raises(LevelError) as err:
        parse_level(data, "x.json")
    messages = "\n".join(p.format() for p in err.value.problems)
    for fragment in expected:
        assert fragment in messages, f"{name}: {fragment!r} not in:\n{messages}"
    assert "less than or equal" not in messages or "finite" not in messages


def test_a_level_at_every_limit_still_builds_and_runs_a_minute(tmp_path):
    """The largest map of the most cells, every time at the end of the night: it loads,
    passes the lint, and the world runs 600 ticks."""
    from command_game.level.models import MAX_GRID_CELLS, MAX_TIME_S
    from command_game.sim.world import World

    data = sample()
    data["map"]["grid_m"] = 1.2  # 1000 x 750 cells
    assert MAX_GRID_CELLS >= 1200 / 1.2 * 900 / 1.2
    data["meta"]["duration_s"] = MAX_TIME_S
    for unit in data["units"]:
        unit["available_s"] = MAX_TIME_S
    for incident in data["incidents"]:
        incident["escalation_s"] = MAX_TIME_S
    path = tmp_path / "edge.json"
    path.write_text(json.dumps(data), "utf-8")
    level = load_level(path)
    assert [p for p in lint(level) if p.severity == "error"] == []
    world = World.from_level(level)
    for _ in range(600):
        world.step()
    assert world.tick == 600


def test_sim_refuses_a_level_the_lint_rejects(tmp_path, capsys):
    from command_game.cli import main

    path = tmp_path / "dangling.json"
    path.write_text(json.dumps(MALFORMED["dangling_edge"][0]), "utf-8")
    assert main(["sim", str(path), "--ticks", "10"]) == 2
    assert "roads.edges[0].b" in capsys.readouterr().err


def test_cli_validate_of_hostile_files_exits_1_without_traceback(tmp_path):
    paths = []
    for name, (text, _) in HOSTILE_TEXT.items():
        paths.append(tmp_path / f"{name}.json")
        paths[-1].write_text(text, "utf-8")
    (tmp_path / "a_folder.json").mkdir()
    paths.append(tmp_path / "a_folder.json")
    result = cli("levels", "validate", *map(str, paths))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert f"{len(paths)} of {len(paths)} file(s) invalid" in result.stdout


def test_sim_seeds_a_replay_cannot_hold_are_refused_by_argparse(capsys):
    from command_game.cli import main

    for seed in ("-1", str(2**63), "x"):
        with pytest.raises(SystemExit) as exit_:
            main(["sim", str(REPO_DATA / "map_tiny.json"), "--seed", seed])
        assert exit_.value.code == 2
        assert "0 to 2**63-1" in capsys.readouterr().err


def test_too_many_crowd_goals_on_a_fine_grid_are_named():
    data = sample()
    data["map"]["grid_m"] = 1.2  # 750,000 cells
    data["crowd_sources"] = [dict(data["crowd_sources"][0], id=f"s{i}", max_agents=10)
                             for i in range(20)]
    with pytest.raises(LevelError) as err:
        parse_level(data, "many.json")
    text = str(err.value)
    assert "21 crowd goals" in text and "12,000,000" in text and "raise map.grid_m" in text
