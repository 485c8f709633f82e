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
