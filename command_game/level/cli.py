"""`command-game levels ...`: schema export and validation for level authors."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from command_game.level.catalog import bundled_levels_dir
from command_game.level.io import load_level
from command_game.level.lint import lint
from command_game.level.models import Level
from command_game.level.problems import LevelError
from command_game.storage import atomic_write_text


def register(sub: argparse._SubParsersAction) -> None:
    levels = sub.add_parser("levels", help="level files: schema, validate, Tiled import/export")
    lsub = levels.add_subparsers(dest="levels_command", metavar="ACTION", required=True)

    schema = lsub.add_parser("schema", help="write the level JSON Schema")
    schema.add_argument("-o", "--output", type=Path, default=None,
                        help="where to write it (default: levels/schema.json)")
    schema.set_defaults(func=cmd_schema)

    validate = lsub.add_parser("validate", help="check level files; non-zero exit on any error")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validate.set_defaults(func=cmd_validate)

    from command_game.level.tiled import register_commands as register_tiled
    register_tiled(lsub)


def schema_text() -> str:
    schema = Level.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Kamtibmas level"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def cmd_schema(args: argparse.Namespace) -> int:
    out = args.output or bundled_levels_dir() / "schema.json"
    atomic_write_text(out, schema_text())
    print(f"wrote {out}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.paths:
        try:
            level = load_level(path)
        except LevelError as exc:
            for problem in exc.problems:
                print(problem.format(str(path)))
            failed += 1
            continue
        problems = lint(level)
        for problem in problems:
            print(problem.format(str(path)))
        errors = [p for p in problems if p.severity == "error" or args.strict]
        if errors:
            failed += 1
        else:
            print(f"{path}: ok ({len(problems)} warning(s))")
    if failed:
        print(f"{failed} of {len(args.paths)} file(s) invalid")
    return 1 if failed else 0
