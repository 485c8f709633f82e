"""Fuzzing the Tiled import (issue 12): exported maps and a hand-drawn one with random
edits (values of the wrong type, deleted keys, copied objects) and with damaged bytes.
The importer raises nothing but LevelError; whatever it returns is level data the schema
either accepts or refuses with a LevelError, and an accepted level lints without raising."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from command_game.level.io import load_level
from command_game.level.lint import lint
from command_game.level.problems import LevelError
from command_game.level.tiled import import_tiled, level_to_tiled, tiled_to_data
from tests import fuzzing
from tests.conftest import REPO
from tests.fuzzing import FUZZING, damaged_bytes, dumps, fuzz_settings, keep_regression, mutated
from tests.test_tiled import hand_made_map

MAPS = [level_to_tiled(load_level(REPO / "tests" / "data" / "map_tiny.json")), hand_made_map()]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz_tiled")


def imported(path: Path) -> str:
    level = fuzzing.read_fuzzed(import_tiled, path)
    if level is None:
        return "refused"
    lint(level)
    return "imported"


def check(workdir: Path, data: bytes) -> None:
    path = workdir / "map.tmj"
    path.write_bytes(data)
    try:
        event(imported(path))
    except Exception:
        if FUZZING:
            keep_regression(f"tiled-{abs(hash(data)) % 10**8}.tmj", data)
        raise


@fuzz_settings(120)
@given(st.sampled_from(MAPS).flatmap(lambda m: mutated(m, max_edits=4)))
def test_tiled_maps_with_random_edits(workdir, raw):
    check(workdir, dumps(raw).encode("utf-8", "surrogatepass"))


@fuzz_settings(60)
@given(st.sampled_from([json.dumps(m).encode() for m in MAPS]).flatmap(damaged_bytes))
def test_tiled_files_with_damaged_bytes(workdir, data):
    check(workdir, data)


@fuzz_settings(40)
@given(st.sampled_from(MAPS).flatmap(mutated))
def test_the_editor_entry_point_raises_only_level_errors(raw):
    """The editor reads unfinished maps with tiled_to_data (no schema check after)."""
    try:
        data = tiled_to_data(json.loads(dumps(raw)), "map.tmj")
    except LevelError:
        return
    assert isinstance(data, dict) and "roads" in data
