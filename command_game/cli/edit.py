"""`command-game edit [LEVEL]`: opens the game window straight into the level editor.

LEVEL may be a level file, a draft (``*.draft.json``) or a Tiled map (``.tmj``, opened
as a new level to finish). Without LEVEL the editor starts from the new-level template.
The window toolkit is imported only when the command runs, so the editor package stays
headless.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    edit = sub.add_parser("edit", help="open the level editor (on LEVEL, or a new level)")
    edit.add_argument("level", nargs="?", type=Path, default=None, metavar="LEVEL",
                      help="a level .json, a draft, or a Tiled .tmj map")
    edit.set_defaults(func=cmd_edit)


def cmd_edit(args: argparse.Namespace) -> int:
    if args.level is not None and not args.level.exists():
        print(f"{args.level}: no such file (give a level .json, a draft or a Tiled .tmj)")
        return 1
    from command_game.level.problems import LevelError

    try:
        return run_editor(args.level)
    except LevelError as exc:
        for problem in exc.problems:
            print(problem.format(exc.file))
        return 1


def check_openable(level: Path) -> None:
    """Reads the file before any window opens, so a bad file fails with a clear message."""
    from command_game.editor.files import open_file
    from command_game.level.tiled import import_tiled_data

    if level.suffix.lower() == ".tmj":
        import_tiled_data(level)
    else:
        open_file(level)


def run_editor(level: Path | None) -> int:
    if level is not None:
        check_openable(level)
    import arcade

    from command_game import settings
    from command_game.app import create_window
    from command_game.scenes.editor import EditorScene

    settings.apply(settings.current())  # the player's language, as when playing
    window = create_window()
    window.stack.push(EditorScene(level))
    arcade.run()
    return 0
