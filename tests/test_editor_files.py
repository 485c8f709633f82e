"""Saving from the editor: canonical and byte-exact, drafts for invalid levels, backups,
autosave and crash recovery."""

from __future__ import annotations

import json
import shutil

from command_game.editor import edits
from command_game.editor.autosave import INTERVAL_S, Autosaver, find_recovery
from command_game.editor.document import Document, Ref
from command_game.editor.files import EditorFile, open_file
from command_game.editor.template import new_level_data
from command_game.level.catalog import my_levels
from command_game.level.io import load_level
from command_game.userdata import levels_dir
from tests.conftest import LEVELS


def test_open_then_save_round_trips_byte_for_byte(tmp_path):
    path = tmp_path / "level.json"
    shutil.copy(LEVELS / "01_singkawang.json", path)
    original = path.read_bytes()
    opened = open_file(path)
    opened.document.apply(edits.set_value(opened.document, ("meta", "difficulty"), 2))
    opened.document.apply(edits.set_value(opened.document, ("meta", "difficulty"), 1))
    result = opened.save()
    assert not result.draft and result.path == path
    assert path.read_bytes() == original
    assert result.backup is not None and result.backup.read_bytes() == original
    opened.save()  # the backup is made once per session, not on every save
    assert len(list(tmp_path.glob("level.json.bak*"))) == 1


def test_invalid_level_saves_only_as_a_draft_that_is_not_playable():
    doc = Document(new_level_data("draft_town"))
    doc.apply(edits.add_node(doc, 10, 10))
    result = EditorFile(doc).save()
    assert result.draft and result.errors > 0
    assert result.path.name == "draft_town.draft.json"
    assert json.loads(result.path.read_text())["draft"]["errors"] == result.errors
    assert my_levels() == []  # drafts never show up in "My levels"
    reopened = open_file(result.path)
    assert reopened.document.data == doc.data


def _small_valid(doc: Document) -> None:
    doc.apply(edits.add_node(doc, 100, 100))
    doc.apply(edits.add_node(doc, 400, 100))
    doc.apply(edits.add_edge(doc, "node_1", "node_2"))
    doc.apply(edits.add_office(doc, "polres", 90, 80))
    doc.apply(edits.add_office(doc, "kpu", 420, 130))
    doc.apply(edits.add_unit(doc, "samapta"))
    doc.apply(edits.add_objective(doc, "hold_site"))


def test_valid_new_level_goes_to_my_levels_and_replaces_its_draft():
    doc = Document(new_level_data("kota_baru"))
    file = EditorFile(doc)
    assert file.save().draft
    _small_valid(doc)
    result = file.save()
    assert not result.draft and result.path == levels_dir() / "kota_baru.json"
    assert not list((levels_dir() / "drafts").glob("*.json"))
    assert [e.level_id for e in my_levels()] == ["kota_baru"]
    assert load_level(result.path).offices[1].type == "kpu"
    assert not doc.modified


def test_crash_recovery_offers_the_newer_autosave(tmp_path):
    doc = Document(new_level_data("crashy"))
    saver = Autosaver(doc, now=1000.0)
    doc.apply(edits.add_node(doc, 50, 50))
    assert not saver.tick(now=1000.0 + INTERVAL_S / 2)
    assert saver.tick(now=1000.0 + INTERVAL_S)
    # the process dies here: no close()
    recovery = find_recovery(None)
    assert recovery is not None
    restored = recovery.document()
    assert restored.ids("nodes") == ["node_1"] and restored.modified
    saver.close()  # leaving with unsaved work: still offered next time
    assert find_recovery(None) is not None
    doc.mark_saved()
    saver.close()  # everything saved: a clean exit asks for nothing
    assert find_recovery(None) is None


def test_autosave_older_than_the_saved_file_is_not_offered(tmp_path):
    path = tmp_path / "level.json"
    shutil.copy(LEVELS / "01_singkawang.json", path)
    opened = open_file(path)
    saver = Autosaver(opened.document, now=0.0)
    opened.document.apply(edits.delete(opened.document, [Ref("units", "samapta_2")]))
    saver.write(clean=False, now=1.0)  # long before the file's mtime
    assert find_recovery(str(path)) is None
    saver.write(clean=False)
    restored = find_recovery(str(path)).document()
    assert "samapta_2" not in restored.ids("units") and restored.ids("units")


def test_edit_command_refuses_missing_or_unreadable_files_before_any_window(tmp_path, capsys):
    from command_game.cli import main

    assert main(["edit", str(tmp_path / "nope.json")]) == 1
    assert "nope.json: no such file" in capsys.readouterr().out
    bad = tmp_path / "bad.tmj"
    bad.write_text('{"type": "map"}')
    assert main(["edit", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "bad.tmj" in out and "Map Properties" in out  # names the file and the fix
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert main(["edit", str(broken)]) == 1
    assert "broken.json" in capsys.readouterr().out
