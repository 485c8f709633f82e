"""`command-game levels ...`: schema export and validation for level authors."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from command_game.level.catalog import bundled_levels_dir
from command_game.level.io import load_level, save_level
from command_game.level.lint import lint
from command_game.level.models import Level
from command_game.level.problems import LevelError
from command_game.level.tiled import MERGE_TOLERANCE_M, export_tiled, import_tiled
from command_game.storage import atomic_write_text, backup_file


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

    _register_tiled(lsub)


def schema_text() -> str:
    schema = Level.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Kamtibmas level"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def cmd_schema(args: argparse.Namespace) -> int:
    out = args.output or bundled_levels_dir() / "schema.json"
    if not _write(out, lambda: atomic_write_text(out, schema_text()), keep=False):
        return 1
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


# --- command line ------------------------------------------------------------------------

def _register_tiled(lsub: argparse._SubParsersAction) -> None:
    """`levels import-tiled` and `levels export-tiled`, added to `command-game levels`."""
    imp = lsub.add_parser("import-tiled", help="make a level file from a Tiled map (.tmj)")
    imp.add_argument("map", type=Path, metavar="MAP.tmj")
    imp.add_argument("-o", "--output", type=Path, required=True, metavar="LEVEL.json")
    imp.add_argument("--merge-m", type=float, default=MERGE_TOLERANCE_M,
                     help="road ends closer than this (metres) join (default: %(default)s)")
    imp.set_defaults(func=cmd_import_tiled)
    exp = lsub.add_parser("export-tiled", help="write a level as a Tiled map (.tmj)")
    exp.add_argument("level", type=Path, metavar="LEVEL.json")
    exp.add_argument("-o", "--output", type=Path, required=True, metavar="MAP.tmj")
    exp.set_defaults(func=cmd_export_tiled)


def cmd_import_tiled(args: argparse.Namespace) -> int:
    level = _read(import_tiled, args.map, args.merge_m)
    if level is None:
        return 1
    if not _write(args.output, lambda: save_level(level, args.output)):
        return 1
    problems = lint(level)
    for problem in problems:
        print(problem.format(str(args.output)))
    print(f"wrote {args.output} ({len(level.roads.nodes)} road nodes, "
          f"{len(level.offices)} offices, {len(problems)} problem(s))")
    return 1 if any(p.severity == "error" for p in problems) else 0


def cmd_export_tiled(args: argparse.Namespace) -> int:
    level = _read(load_level, args.level)
    if level is None:
        return 1
    if not _write(args.output, lambda: export_tiled(level, args.output)):
        return 1
    print(f"wrote {args.output}")
    return 0


def _read(reader, *args):
    """A level from `reader(*args)`, or None after printing each problem of a refused file
    (file, field and fix), so a bad input ends the command with its reasons."""
    try:
        return reader(*args)
    except LevelError as exc:
        for problem in exc.problems:
            print(problem.format(exc.file))
        return None


def _write(path: Path, save, keep: bool = True) -> bool:
    """Writes an output file, keeping a copy of one that is already there (keep=False for
    a generated file such as the schema); a path that cannot be written ends the command
    with one line instead of a traceback."""
    try:
        if keep and path.is_file():
            print(f"{path} exists: kept as {backup_file(path)}")
        save()
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        print(f"{path}: cannot write it ({getattr(exc, 'strerror', None) or exc}); "
              "choose another path with -o")
        return False
    return True
