"""Every input that once crashed a loader, or that issue 12 reproduced, kept as a file in
tests/data/fuzz/ (`make fuzz` adds the crashes it finds there). Each must now be refused
with the game's own error, or for a replay end in a verdict that it is not valid; none
may raise anything else, and none may verify."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from command_game.cli import main
from tests.fuzzing import REGRESSIONS
from tests.test_fuzz_levels import load_check_and_run
from tests.test_fuzz_replays import read_and_verify
from tests.test_fuzz_tiled import imported

FILES = sorted(REGRESSIONS.glob("*"))


def test_there_are_regression_files():
    kinds = {path.name.split("-", 1)[0] for path in FILES}
    assert {"level", "tiled", "replay"} <= kinds


@pytest.mark.parametrize("path", [p for p in FILES if p.name.startswith("level-")],
                         ids=lambda p: p.name)
def test_level_regressions_are_refused(path: Path):
    assert load_check_and_run(path) in ("refused", "lint")
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert main(["levels", "validate", str(path)]) == 1
    assert "fix:" in out.getvalue()


@pytest.mark.parametrize("path", [p for p in FILES if p.name.startswith("tiled-")],
                         ids=lambda p: p.name)
def test_tiled_regressions_are_refused(path: Path, tmp_path: Path):
    assert imported(path) == "refused"
    with contextlib.redirect_stdout(io.StringIO()) as out:
        assert main(["levels", "import-tiled", str(path), "-o", str(tmp_path / "x.json")]) == 1
    assert str(path) in out.getvalue() and not (tmp_path / "x.json").exists()


@pytest.mark.parametrize("path", [p for p in FILES if p.name.startswith("replay-")],
                         ids=lambda p: p.name)
def test_replay_regressions_never_verify(path: Path):
    assert read_and_verify(path.read_bytes()) in ("refused", "invalid")
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["verify", "--no-progress", str(path)]) == 1
