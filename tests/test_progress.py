"""Campaign progress: unlock order, personal bests, atomic saves, corrupt-file recovery."""

from __future__ import annotations

import json

from command_game import progress as prog
from command_game.level.catalog import campaign
from command_game.level.io import load_level
from command_game.userdata import progress_path
from tests.conftest import LEVELS


def make_campaign(n: int, unlock_after: dict[int, str] | None = None):
    """n copies of the bundled level with ids lvl0..lvl{n-1}, in campaign order."""
    base = load_level(LEVELS / "01_singkawang.json")
    levels = []
    for i in range(n):
        meta = base.meta.model_copy(update={
            "id": f"lvl{i}", "campaign_order": i + 1,
            "unlock_after": (unlock_after or {}).get(i),
        })
        levels.append(base.model_copy(update={"meta": meta}))
    return levels


def test_new_player_has_only_the_first_level_open():
    levels = make_campaign(3)
    state = prog.unlocked(levels, prog.load_progress())
    assert state == {"lvl0": True, "lvl1": False, "lvl2": False}


def test_winning_a_level_opens_the_next_and_losing_does_not():
    levels = make_campaign(3)
    assert prog.record_run("lvl0", won=False, time_s=100.0) is False
    assert prog.unlocked(levels, prog.load_progress())["lvl1"] is False
    prog.record_run("lvl0", won=True, time_s=300.0)
    state = prog.unlocked(levels, prog.load_progress())
    assert state == {"lvl0": True, "lvl1": True, "lvl2": False}


def test_unlock_after_overrides_the_campaign_order():
    levels = make_campaign(3, unlock_after={2: "lvl0"})
    prog.record_run("lvl0", won=True, time_s=300.0)
    state = prog.unlocked(levels, prog.load_progress())
    assert state["lvl2"] is True
    assert prog.unlocked_by(levels, "lvl2") == "lvl0"
    assert prog.unlocked_by(levels, "lvl1") == "lvl0"
    assert prog.unlocked_by(levels, "lvl0") is None


def test_personal_best_keeps_the_fastest_win_with_its_splits():
    assert prog.record_run("a", won=True, time_s=300.0, splits={"o1": 100.0, "o2": 250.0})
    assert not prog.record_run("a", won=True, time_s=310.0, splits={"o1": 90.0})
    assert not prog.record_run("a", won=False, time_s=10.0)
    assert prog.record_run("a", won=True, time_s=280.5, splits={"o1": 80.0}, real_time_s=290.0)
    p = prog.load_progress()
    best = p.best("a")
    assert (best.time_s, best.splits, best.real_time_s) == (280.5, {"o1": 80.0}, 290.0)
    assert (p.levels["a"].attempts, p.levels["a"].wins) == (4, 3)
    assert p.best("never-played") is None


def test_saved_file_is_json_and_no_temporary_files_remain():
    prog.record_run("a", won=True, time_s=12.0)
    path = progress_path()
    data = json.loads(path.read_text("utf-8"))
    assert data["levels"]["a"]["best"]["time_s"] == 12.0
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_corrupt_file_is_backed_up_and_reset_with_a_notice():
    path = progress_path()
    path.write_text("{ not json", "utf-8")
    p = prog.load_progress()
    assert p.levels == {}
    assert p.notice is not None and p.notice.backup is not None
    assert p.notice.backup.read_text("utf-8") == "{ not json"
    assert json.loads(path.read_text("utf-8"))["levels"] == {}
    assert prog.load_progress().notice is None  # reset once, then a normal file


def test_wrong_shape_is_reset_and_the_notice_names_the_field():
    path = progress_path()
    path.write_text(json.dumps({"version": 1, "levels": {"a": {"wins": "many"}}}), "utf-8")
    p = prog.load_progress()
    assert p.levels == {}
    assert "levels.a.wins" in p.notice.reason


def test_the_bundled_campaign_starts_unlocked():
    levels = [e.level for e in campaign()]
    state = prog.unlocked(levels, prog.load_progress())
    assert state[levels[0].meta.id] is True
