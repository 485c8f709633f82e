"""`command-game verify` and `command-game leaderboard ...`: speedrun tools for the terminal.

verify re-simulates replays headless and exits non-zero if any is invalid; leaderboard
shows, exports, imports and re-checks runs. Every bad input (a broken replay, an unknown
category, an unwritable output) ends in one clear line and an exit status, never a
traceback.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sqlite3
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from command_game.i18n import t
from command_game.speedrun import export
from command_game.speedrun.progressbar import ProgressBar
from command_game.speedrun.replay import REPLAY_SUFFIX, ReplayError, read_replay
from command_game.speedrun.store import Leaderboard, clean_player
from command_game.speedrun.timing import CATEGORIES, CATEGORY_NAMES, format_time, parse_category
from command_game.speedrun.verify import LevelIndex, Verdict, verify_file
from command_game.storage import atomic_write_text
from command_game.userdata import leaderboard_path, replays_dir


def register(sub: argparse._SubParsersAction) -> None:
    verify = sub.add_parser("verify", help="re-simulate replays; non-zero exit if any is invalid")
    verify.add_argument("replays", nargs="*", type=Path, metavar="REPLAY")
    verify.add_argument("--all", action="store_true",
                        help="also every replay in your replays folder (the game's own runs)")
    verify.add_argument("--level", type=Path, default=None,
                        help="the level file to check against (default: find it by id)")
    verify.add_argument("--allow-version-mismatch", action="store_true",
                        help="re-simulate replays recorded by another game version anyway")
    verify.add_argument("-j", "--jobs", type=int, default=1,
                        help="replays to verify at once (processes)")
    bar = verify.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None,
                     help="always draw the progress bar on stderr")
    bar.add_argument("--no-progress", dest="progress", action="store_false")
    verify.add_argument("--json", action="store_true",
                        help="one JSON object per replay on stdout (for scripts)")
    verify.set_defaults(func=cmd_verify)

    board = sub.add_parser("leaderboard", help="local leaderboard: show, export, import runs")
    bsub = board.add_subparsers(dest="leaderboard_command", metavar="ACTION", required=True)
    show = bsub.add_parser("show", help="print the ranked runs")
    _filters(show)
    show.add_argument("--limit", type=int, default=10)
    show.add_argument("--paths", action="store_true", help="print each run's replay file")
    show.set_defaults(func=_reporting_board_errors(_parsing_category(cmd_show)))

    exp = bsub.add_parser("export", help="write the board as csv, json, lss or src")
    exp.add_argument("--format", required=True, choices=export.FORMATS)
    _filters(exp)
    exp.add_argument("--player", default=None, help="whose runs (.lss; default: the best's)")
    exp.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    exp.set_defaults(func=_reporting_board_errors(_parsing_category(cmd_export)))

    imp = bsub.add_parser("import", help="add a run from a replay after verifying it")
    imp.add_argument("replay", type=Path, metavar="REPLAY")
    imp.add_argument("--player", required=True,
                     help="the runner's name; one that starts with '-' is given as "
                     "--player=-NAME (e.g. --player=-2+3)")
    imp.add_argument("--comment", default="", help="a note shown with the run")
    imp.add_argument("--level", type=Path, default=None, help="the level file, if not found")
    imp.set_defaults(func=_reporting_board_errors(cmd_import))

    check = bsub.add_parser("verify", help="verify runs still waiting for verification")
    check.set_defaults(func=_reporting_board_errors(cmd_verify_pending))

    rebuild = bsub.add_parser("rebuild", help="re-add and verify runs from the replays folder")
    rebuild.set_defaults(func=_reporting_board_errors(cmd_rebuild))


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--level", default=None, metavar="ID", help="level id")
    parser.add_argument("--category", default=None, metavar="C",
                        help="Any%%, 100%% or Cooling%% (any, 100, cooling)")


def _reporting_board_errors(command):
    """A leaderboard file that cannot be opened ends the command with one line, exit 1."""
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except sqlite3.Error as exc:
            _say(t("speedrun.board.unreadable", file=str(leaderboard_path()), reason=str(exc)),
                 err=True)
            return 1

    return run


def _say(line: str, err: bool = False) -> None:
    print(line, file=sys.stderr if err else sys.stdout, flush=True)


# -- verify ----------------------------------------------------------------------------

def cmd_verify(args: argparse.Namespace) -> int:
    if args.all:
        args.replays += sorted(replays_dir().rglob(f"*{REPLAY_SUFFIX}"))
    if not args.replays:
        _say(t("speedrun.cli.no_replays", folder=str(replays_dir())), err=True)
        return 2
    total_ticks = sum(_ticks_of(path) for path in args.replays)
    show = sys.stderr.isatty() if args.progress is None else args.progress
    bar = ProgressBar(total_ticks, enabled=show and (len(args.replays) > 1 or total_ticks > 0))
    if args.jobs > 1 and len(args.replays) > 1:
        verdicts = _verify_parallel(args, bar)
    else:
        index = LevelIndex()
        verdicts = []
        reached = 0
        for path in args.replays:
            bar.set_label(path.name)
            verdict = verify_file(path, index, level_path=args.level,
                                  allow_version_mismatch=args.allow_version_mismatch,
                                  progress=bar.advance)
            reached += _ticks_of(path)
            bar.reach(reached)
            _report(verdict, bar, args.json)
            verdicts.append(verdict)
    bar.close()
    valid = sum(v.valid for v in verdicts)
    _say(t("speedrun.cli.summary", valid=valid, total=len(verdicts),
           speed=f"{bar.speed():.1f}"), err=args.json)
    return 0 if valid == len(verdicts) else 1


def _ticks_of(path: Path) -> int:
    """A replay's length for the progress bar; a broken file counts 0 (reported later)."""
    try:
        return read_replay(path).final_tick
    except ReplayError:
        return 0


def _report(verdict: Verdict, bar: ProgressBar, as_json: bool = False) -> None:
    if bar.enabled:
        bar.stream.write("\r" + " " * 100 + "\r")
    if as_json:
        _say(json.dumps(_verdict_json(verdict), ensure_ascii=False))
        return
    label = t("speedrun.cli.valid" if verdict.valid else "speedrun.cli.invalid")
    _say(f"{verdict.file}: {label}: {verdict.message}")


def _verdict_json(verdict: Verdict) -> dict:
    out = {"file": verdict.file, "valid": verdict.valid, "reason": verdict.key,
           "message": verdict.message, "divergence_tick": verdict.divergence_tick}
    replay = verdict.replay
    if replay is not None:
        out |= {"level": replay.level_id, "level_digest": replay.level_digest,
                "player": replay.player, "seed": replay.seed, "outcome": replay.outcome,
                "game_ticks": replay.final_tick, "game_time_s": replay.game_time_s,
                "real_time_s": replay.real_time_s, "categories": replay.categories,
                "splits": replay.splits, "real_splits": replay.real_splits,
                "game_version": replay.game_version}
    return out


def _verify_one(path: Path, level: Path | None, allow: bool) -> Verdict:
    return verify_file(path, LevelIndex(), level_path=level, allow_version_mismatch=allow)


def _verify_parallel(args: argparse.Namespace, bar: ProgressBar) -> list[Verdict]:
    verdicts = []
    spawn = multiprocessing.get_context("spawn")  # no fork of a process with threads
    with ProcessPoolExecutor(max_workers=args.jobs, mp_context=spawn) as pool:
        futures = [pool.submit(_verify_one, p, args.level, args.allow_version_mismatch)
                   for p in args.replays]
        for path, future in zip(args.replays, futures, strict=True):
            verdict = future.result()
            bar.advance(_ticks_of(path))
            _report(verdict, bar, args.json)
            verdicts.append(verdict)
    return verdicts


# -- leaderboard -----------------------------------------------------------------------

def _parsing_category(command):
    """Turns --category ("Any%", "cooling", ...) into its key before the command runs;
    an unknown one ends with one line and exit status 2."""
    def run(args: argparse.Namespace) -> int:
        try:
            args.category = parse_category(args.category) if args.category else None
        except ValueError as exc:
            _say(str(exc), err=True)
            return 2
        return command(args)
    return run


def cmd_show(args: argparse.Namespace) -> int:
    category = args.category
    board = Leaderboard()
    rows = export.board_rows(board, args.level, category)
    if not rows:
        _say(t("speedrun.cli.no_runs"))
        return 0
    shown: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row["level"], row["category"])
        shown[key] = shown.get(key, 0) + 1
        if shown[key] == 1:
            _say(f"\n{row['level']} - {row['category']}")
        if shown[key] <= args.limit:
            _say(f"{row['rank']:>3}. {row['player']:<24} {row['game_time']:>11}  "
                 f"{t('speedrun.cli.real')} {format_time(row['real_time_s']):>11}  "
                 f"{row['date'][:10]}")
            if args.paths:
                _say(f"     {row['replay']}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    category = args.category
    board = Leaderboard()
    if args.format in ("lss", "src") and (not args.level or not category):
        _say(t("speedrun.cli.needs_level_category", format=args.format), err=True)
        return 2
    if args.format == "csv":
        text = export.to_csv(export.board_rows(board, args.level, category))
    elif args.format == "json":
        text = export.to_json(export.board_rows(board, args.level, category))
    elif args.format == "src":
        runs = board.board(args.level, category, player=_player(args.player))
        text = export.to_src(runs, category)
    else:
        text = _lss(board, args.level, category, args.player)
        if text is None:
            _say(t("speedrun.cli.no_runs_for", level=args.level,
                   category=CATEGORY_NAMES[category]), err=True)
            return 1
    try:
        atomic_write_text(args.output, text)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        _say(t("speedrun.cli.cannot_write", file=str(args.output),
               reason=getattr(exc, "strerror", None) or str(exc)), err=True)
        return 1
    _say(t("speedrun.cli.wrote", file=str(args.output)))
    return 0


def _player(name: str | None) -> str | None:
    return clean_player(name) if name else None


def _lss(board: Leaderboard, level_id: str, category: str, player: str | None) -> str | None:
    if player is None:
        best = board.board(level_id, category, limit=1)
        if not best:
            return None
        player = best[0].player
    attempts = board.runs(level_id, player=clean_player(player))
    if not attempts:
        return None
    level = LevelIndex().find(level_id, [r.level_path for r in reversed(attempts)])
    return export.to_lss(attempts, category, level)


def cmd_import(args: argparse.Namespace) -> int:
    from command_game.speedrun.record import import_replay

    verdict, run = import_replay(args.replay, args.player, level_path=args.level,
                                 comment=args.comment)
    if run is None:
        _say(f"{verdict.file}: {t('speedrun.cli.refused')}: {verdict.message}", err=True)
        return 1
    ranks = [f"{CATEGORY_NAMES[c]} #{Leaderboard().rank_of(run.id, c)}" for c in CATEGORIES
             if c in run.categories]
    _say(t("speedrun.cli.imported", player=run.player, level=run.level_id,
           time=format_time(run.game_time_s), ranks=", ".join(ranks) or "-"))
    return 0


def cmd_verify_pending(args: argparse.Namespace) -> int:
    from command_game.speedrun.record import verify_pending

    runs = verify_pending()
    for run in runs:
        label = t("speedrun.cli.valid" if run.verified else "speedrun.cli.invalid")
        _say(f"#{run.id} {run.player} {run.level_id}: {label} {run.note}".rstrip())
    _say(t("speedrun.cli.pending_done", count=len(runs)))
    return 0 if all(r.verified for r in runs) else 1



def cmd_rebuild(args: argparse.Namespace) -> int:
    from command_game.speedrun.record import rebuild_from_replays

    board = Leaderboard()
    runs = rebuild_from_replays(board)
    if board.notice:
        _say(board.notice, err=True)
    valid = sum(r.verified for r in runs)
    _say(t("speedrun.cli.rebuilt", added=len(runs), valid=valid))
    return 0
