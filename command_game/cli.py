"""The `command-game` command: play (no arguments) or one of the tools below.

Each tool lives beside the part of the game it serves and adds its own sub-command via
a `register(subparsers)` function, so this file only lists them.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from command_game import __version__

# Modules with a register(subparsers) function, one per tool.
TOOL_MODULES = (
    "command_game.level.cli",
    "command_game.speedrun.cli",
    "command_game.sim.cli",
    "command_game.editor.cli",
    "command_game.settings_cli",
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
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", _play)
    return int(func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
