"""`command-game settings`: locate, show and reset the settings without the game."""

from __future__ import annotations

import json

from command_game import settings
from command_game.cli import main
from command_game.userdata import settings_path


def test_path_show_and_reset(capsys):
    assert main(["settings", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(settings_path())

    settings.save_settings(settings.Settings(language="id", ui_scale=150))
    assert main(["settings", "show"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["language"] == "id" and shown["ui_scale"] == 150

    assert main(["settings", "reset"]) == 0
    out = capsys.readouterr().out
    assert "settings.json.bak" in out and "defaults written" in out
    assert json.loads((settings_path().parent / "settings.json.bak").read_text())["ui_scale"] == 150
    assert settings.load_settings().model_dump() == settings.Settings().model_dump()


def test_show_reports_an_unusable_file(capsys):
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text("{broken")
    assert main(["settings", "show"]) == 0
    captured = capsys.readouterr()
    assert "not valid JSON" in captured.err and "settings.json.bak" in captured.err
    assert json.loads(captured.out)["version"] == settings.SETTINGS_VERSION


# --- hardening (issue 12) ---------------------------------------------------------------

def test_deeply_nested_settings_are_backed_up_not_a_recursion_error(capsys):
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text('{"key_bindings": ' + "[" * 100000 + "]" * 100000 + "}")
    assert main(["settings", "show"]) == 0
    err = capsys.readouterr().err
    assert "nest" in err and "at most 64" in err and "settings.json.bak" in err
    backup = settings_path().parent / "settings.json.bak"
    assert backup.read_text().count("[") == 100000  # the player's file is kept as it was


def test_settings_json_that_is_a_folder(capsys):
    folder = settings_path()
    (folder / "inside").mkdir(parents=True)
    (folder / "inside" / "keep.txt").write_text("mine")
    assert main(["settings", "show"]) == 0
    err = capsys.readouterr().err
    assert "is a folder" in err and "nothing was written" in err
    assert "defaults written" not in err and folder.is_dir()
    assert main(["settings", "reset"]) == 0
    out = capsys.readouterr().out
    assert "moved aside" in out and "defaults written" in out
    moved = folder.parent / "settings.json.bak"
    assert (moved / "inside" / "keep.txt").read_text() == "mine"  # nothing is lost
    assert settings.load_settings().notice is None


def test_a_home_that_is_a_file_is_one_line_in_every_command(tmp_path, monkeypatch, capsys):
    home = tmp_path / "not_a_folder"
    home.write_text("x")
    monkeypatch.setenv("COMMAND_GAME_HOME", str(home))
    for argv in (["settings", "show"], ["settings", "reset"], ["leaderboard", "show"],
                 ["leaderboard", "rebuild"], ["verify", "--all"]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert f"COMMAND_GAME_HOME {home} is a file, not a folder" in err, argv
    assert home.read_text() == "x"
