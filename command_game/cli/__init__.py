"""The `command-game` command: play (no arguments) or one of the tools below.

Every command-line entry point lives in this package, at the top of the import graph:
it may reach into any part of the game, and no part of the game imports it. Each module
adds its own sub-command via a `register(subparsers)` function, so this file only lists
them.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from command_game import __version__

# Modules with a register(subparsers) function, one per tool.
TOOL_MODULES = (
    "command_game.cli.levels",
    "command_game.cli.leaderboard",
    "command_game.cli.sim",
    "command_game.cli.edit",
    "command_game.cli.settings",
    "command_game.cli.board",
    "command_game.cli.balance",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="command-game",
        description="Kamtibmas: election-night command game. With no command, plays the game.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    play = sub.add_parser("play", help="play the game (the default)")
    play.set_defaults(func=_play)
    for name in TOOL_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _play(args: argparse.Namespace) -> int:
    from command_game.app import run_game

    return run_game()


def main(argv: list[str] | None = None) -> int:
    """Runs one command. The game's own errors that no command can work around (a user
    data folder that cannot be used) end it with their message and exit status 2."""
    from command_game.userdata import UserDataError

    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", _play)
    try:
        return int(func(args) or 0)
    except UserDataError as exc:
        print(f"command-game: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
