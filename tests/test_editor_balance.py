"""The editor's balance view (``scenes/editor_balance.py``): F6 in the editor opens it, R
plays the reference commanders on the level as edited in a worker process while the
editor keeps drawing, and the table and the balance verdicts appear."""

from __future__ import annotations

import json
import time

import arcade
import pytest

from command_game.level.io import level_to_dict
from command_game.scenes.editor_balance import EditorBalanceScene
from command_game.sim.sandbox import sandbox_level, unit
from tests.conftest import pump, save_frame
from tests.test_editor_scene import Driver


@pytest.mark.gl
def test_f6_shows_the_balance_table_of_the_level_being_edited(clean_window, stack, tmp_path):
    from command_game.scenes.editor import EditorScene

    level = sandbox_level(meta={"duration_s": 20.0, "par_time_s": 20.0},
                          units=[unit("s", "samapta"), unit("b", "brimob")])
    path = tmp_path / "kecil.json"
    path.write_text(json.dumps(level_to_dict(level)), "utf-8")
    editor = stack.push(EditorScene(path))
    d = Driver(clean_window, editor)
    pump(clean_window, 2)
    d.key(arcade.key.F6)
    view = clean_window.stack.top
    assert isinstance(view, EditorBalanceScene)
    view.policies = ("none", "brute")  # two commanders keep the test short
    d.key(arcade.key.R)
    assert view.run is not None
    frames, start = 0, time.monotonic()
    while not view.run.done and time.monotonic() - start < 180:
        clean_window.dispatch_event("on_update", 1 / 60)
        pump(clean_window)  # the editor keeps drawing while the runs play
        frames += 1
        time.sleep(0.02)
    clean_window.dispatch_event("on_update", 1 / 60)
    pump(clean_window, 2)
    assert view.run.done and frames > 5
    rows = view.run.rows()
    assert [r["policy"] for r in rows] == ["none", "brute"]
    assert all(r["level"] == "sandbox" and r["time_s"] <= 20.0 for r in rows)
    assert "none" in view.table.text and "brute" in view.table.text
    assert "Balance conditions" in view.status.text
    save_frame(clean_window, "editor_balance")
    d.key(arcade.key.ESCAPE)
    assert clean_window.stack.top is editor
