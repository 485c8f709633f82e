"""Where the player's own files live: settings, leaderboard, replays, levels, autosaves.

Always the platform's user data directory, never the install directory;
COMMAND_GAME_HOME overrides it so tests and scripts never touch a real profile.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "kamtibmas"


class UserDataError(OSError):
    """The user data folder cannot be made or used; the message names it and the fix.
    An OSError, so code that already survives a failed write survives this too."""


def _folder(path: Path, what: str) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise UserDataError(f"{what} {path} is a file, not a folder: move the file away, "
                            "or point COMMAND_GAME_HOME at a folder") from None
    except OSError as exc:
        raise UserDataError(f"{what} {path} cannot be created ({exc.strerror or exc}): "
                            "check its permissions, or point COMMAND_GAME_HOME at a "
                            "folder you can write") from None
    return path


def data_dir() -> Path:
    override = os.environ.get("COMMAND_GAME_HOME")
    if override:
        return _folder(Path(override), "COMMAND_GAME_HOME")
    return _folder(platformdirs.user_data_path(APP_NAME, appauthor=False),
                   "the user data folder")


def _subdir(name: str) -> Path:
    return _folder(data_dir() / name, "the folder")


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
