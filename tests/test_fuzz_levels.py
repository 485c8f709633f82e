"""Fuzzing level files (issue 12): levels generated from levels/schema.json, shipped
levels with random edits, and level files with damaged bytes. Whatever the input, loading
and checking it raises nothing but LevelError (a message naming file, field and fix), and
a level that loads and passes the lint builds a World that runs 600 ticks (10 s)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from command_game.cli import main
from command_game.level.io import load_level
from command_game.level.lint import lint
from command_game.sim.world import World
from tests import fuzzing
from tests.conftest import LEVELS, REPO
from tests.fuzzing import FUZZING, damaged_bytes, dumps, fuzz_settings, keep_regression, mutated

SEEDS = [REPO / "tests" / "data" / "map_tiny.json", REPO / "tests" / "data" /
         "speedrun_sprint.json", LEVELS / "01_singkawang.json"]
SEED_DOCS = [json.loads(p.read_text("utf-8")) for p in SEEDS]
SCHEMA = json.loads((LEVELS / "schema.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz_levels")


def load_check_and_run(path: Path) -> str:
    """What the game does with a level file; any exception but LevelError is a bug."""
    level = fuzzing.read_fuzzed(load_level, path)
    if level is None:
        return "refused"
    if any(p.severity == "error" for p in lint(level)):
        return "lint"
    world = World.from_level(level, seed=0)
    for _ in range(600):
        world.step()
    assert world.tick == 600 or world.finished
    return "ran"


def check(workdir: Path, name: str, data: bytes) -> str:
    path = workdir / name
    path.write_bytes(data)
    try:
        outcome = load_check_and_run(path)
        event(outcome)
        return outcome
    except Exception:
        if FUZZING:  # keep the input that crashed, to become a regression file
            keep_regression(f"level-{Path(name).stem}-{abs(hash(data)) % 10**8}.json", data)
        raise


@fuzz_settings(12)
@given(from_schema(SCHEMA))
def test_levels_generated_from_the_schema(workdir, doc):
    check(workdir, "schema.json", dumps(doc).encode("utf-8", "surrogatepass"))


def connected(doc: dict) -> dict:
    """A schema-generated level with its references tied together (ids made unique, every
    reference pointing at something that exists, every point on the map), so the lint
    passes and the world is built from the schema's extreme values (tiny maps, long
    times, many citizens) instead of the lint stopping almost every one."""
    w, h = doc["map"]["width_m"], doc["map"]["height_m"]

    def on_map(item: dict) -> None:
        item["x"], item["y"] = min(max(item["x"], 0.0), w), min(max(item["y"], 0.0), h)

    for name in ("districts", "buildings", "triggers", "convoys"):
        doc.pop(name, None)
    nodes, edges = doc["roads"]["nodes"], doc["roads"]["edges"]
    for i, item in enumerate(nodes):
        item["id"] = f"n{i}"
        on_map(item)
    for i, edge in enumerate(edges):
        edge.update(id=f"e{i}", a="n0", b="n1")
    offices = doc["offices"]
    for i, office in enumerate(offices):
        office.update(id=f"o{i}", node="n0")
        on_map(office)
    offices[0]["type"] = "polres"
    for i, unit in enumerate(doc["units"]):
        unit.update(id=f"u{i}", base="o0")
    for i, source in enumerate(doc.get("crowd_sources", [])):
        source.update(id=f"s{i}", attractor=offices[-1]["id"])
        on_map(source)
        source.pop("end_s", None)
    for i, incident in enumerate(doc.get("incidents", [])):
        incident.update(id=f"i{i}", site=offices[-1]["id"])
    objectives = [ob for ob in doc["objectives"] if ob["kind"] != "escort_convoy"] or [
        {"id": "x", "kind": "no_riot", "title": {"en": "x", "id": "x"}}]
    for i, ob in enumerate(objectives):
        ob["id"] = f"ob{i}"
        if ob["kind"] == "hold_site":
            ob["site"] = offices[-1]["id"]
    objectives[0]["optional"] = False
    doc["objectives"] = objectives
    return doc


@fuzz_settings(12)
@given(from_schema(SCHEMA).map(connected))
def test_levels_generated_from_the_schema_and_connected_run(workdir, doc):
    check(workdir, "connected.json", dumps(doc).encode("utf-8", "surrogatepass"))


@fuzz_settings(100)
@given(st.sampled_from(SEED_DOCS).flatmap(mutated))
def test_shipped_levels_with_random_edits(workdir, doc):
    check(workdir, "edited.json", dumps(doc).encode("utf-8", "surrogatepass"))


@fuzz_settings(80)
@given(st.sampled_from([p.read_bytes() for p in SEEDS[:2]]).flatmap(damaged_bytes))
def test_level_files_with_damaged_bytes(workdir, data):
    check(workdir, "damaged.json", data)


@fuzz_settings(15)
@given(st.sampled_from(SEED_DOCS[:2]).flatmap(mutated))
def test_levels_validate_exits_0_or_1_and_never_raises(workdir, doc):
    path = workdir / "cli.json"
    path.write_text(dumps(doc), "utf-8", "surrogatepass")
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert main(["levels", "validate", str(path)]) in (0, 1)
    assert str(path) in out.getvalue()
