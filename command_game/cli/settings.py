"""`command-game settings path|show|reset`: the player's settings from the command line.

For when the game itself is hard to reach: a window size the screen cannot show, or a
key binding that hides a menu. `reset` never deletes: the old file is kept as a backup.
"""

from __future__ import annotations

import argparse
import sys

from command_game import settings
from command_game.storage import backup_file, move_aside
from command_game.userdata import settings_path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("settings", help="locate, show or reset your settings")
    actions = parser.add_subparsers(dest="settings_action", metavar="ACTION", required=True)
    actions.add_parser("path", help="print where the settings file is").set_defaults(
        func=_path)
    actions.add_parser("show", help="print the settings in force").set_defaults(func=_show)
    actions.add_parser("reset", help="back up the settings file and go back to defaults"
                       ).set_defaults(func=_reset)


def _path(args: argparse.Namespace) -> int:
    print(settings_path())
    return 0


def _show(args: argparse.Namespace) -> int:
    loaded = settings.load_settings()
    notice = loaded.notice
    if notice is not None and notice.backup is not None:
        print(f"{notice.path}: {notice.reason}; kept as {notice.backup}, defaults written",
              file=sys.stderr)
    elif notice is not None:
        print(f"{notice.path}: {notice.reason}; defaults apply, nothing was written",
              file=sys.stderr)
    print(loaded.model_dump_json(indent=2))
    return 0


def _reset(args: argparse.Namespace) -> int:
    path = settings_path()
    try:
        if path.is_file():
            print(f"old settings kept as {backup_file(path)}")
        elif path.exists():
            print(f"{path} was not a file; moved aside to {move_aside(path)}")
        settings.save_settings(settings.Settings(), path)
    except OSError as exc:
        print(f"{path}: cannot reset the settings ({exc.strerror or exc}); check that the "
              "folder is writable", file=sys.stderr)
        return 1
    print(f"defaults written to {path}")
    return 0
