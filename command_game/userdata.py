"""Where the player's own files live: settings, leaderboard, replays, levels, autosaves.

Always the platform's user data directory, never the install directory;
COMMAND_GAME_HOME overrides it so tests and scripts never touch a real profile.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "kamtibmas"


def data_dir() -> Path:
    override = os.environ.get("COMMAND_GAME_HOME")
    base = Path(override) if override else platformdirs.user_data_path(APP_NAME, appauthor=False)
    base.mkdir(parents=True, exist_ok=True)
    return base


def _subdir(name: str) -> Path:
    path = data_dir() / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def levels_dir() -> Path:
    """The player's own levels ("My levels")."""
    return _subdir("levels")


def replays_dir() -> Path:
    return _subdir("replays")


def autosave_dir() -> Path:
    return _subdir("autosave")


def settings_path() -> Path:
    return data_dir() / "settings.json"


def leaderboard_path() -> Path:
    return data_dir() / "leaderboard.sqlite3"


def progress_path() -> Path:
    """Which campaign levels are won, and personal bests."""
    return data_dir() / "progress.json"
