"""`command-game balance LEVEL... [--seeds N]`: play reference policies (none, random,
brute force, checklist, type-blind, autopilot; ``sim/policies.py``) on each level and seed
through the World API, print the table (outcome, time, lowest index, trust, score) and
whether the campaign's balance conditions hold. Exit status 1 when one does not.

`command-game balance --travel LEVEL...`: how long a new player's first orders take
instead: every unit sent to the level's main office the moment it may leave (issue 13,
item 11: a first trip should not take more than about a minute of game time)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from command_game.level.io import load_level
from command_game.level.problems import LevelError
from command_game.sim.policies import POLICIES, check, run_one
from command_game.sim.travel import travel_times


def register(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("balance", help="play reference policies on levels; print the table")
    cmd.add_argument("levels", type=Path, nargs="+", metavar="LEVEL", help="level .json files")
    cmd.add_argument("--seeds", type=int, default=1, help="seeds 0..N-1 per level (default 1)")
    cmd.add_argument("--policies", default=",".join(POLICIES),
                     help=f"comma-separated, from {', '.join(POLICIES)} (default: all)")
    cmd.add_argument("--jobs", type=int, default=1, help="parallel processes (default 1)")
    cmd.add_argument("--json", action="store_true", help="one JSON object per row instead")
    cmd.add_argument("--travel", action="store_true",
                     help="print each unit's trip to the level's main office instead")
    cmd.set_defaults(func=cmd_balance)


def _row(args: tuple[Path, str, int]) -> dict:
    path, policy, seed = args
    return run_one(load_level(path), policy, seed)


def tournament(paths: list[Path], policies: list[str], seeds: int, jobs: int = 1
               ) -> Iterator[dict]:
    """Rows in level, policy, seed order, each as soon as it (and those before it) ran."""
    yield from play_tasks([(p, pol, s) for p in paths for pol in policies
                           for s in range(seeds)], jobs)


def play_tasks(tasks: list[tuple[Path, str, int]], jobs: int = 1) -> Iterator[dict]:
    """Rows for (level file, policy, seed) tasks, in order."""
    if jobs <= 1:
        yield from map(_row, tasks)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_row, tasks)


HEAD = f"{'level':<12} {'policy':<10} {'seed':>4} {'outcome':<10} {'reason':<17} " \
       f"{'time':>6} {'low idx':>7} {'trust':>6} {'score':>6}  objectives failed"


def format_row(r: dict) -> str:
    return (f"{r['level']:<12} {r['policy']:<10} {r['seed']:>4} {r['outcome']:<10} "
            f"{r['reason']:<17} {r['time_s']:>6.0f} {r['lowest_index']:>7.1f} "
            f"{r['trust']:>6.1f} {r['score']:>6}  {','.join(r['failed']) or '-'}")


def cmd_balance(args: argparse.Namespace) -> int:
    policies = [p.strip() for p in args.policies.split(",") if p.strip()]
    unknown = [p for p in policies if p not in POLICIES]
    if unknown:
        print(f"--policies: unknown {', '.join(unknown)}; use {', '.join(POLICIES)}",
              file=sys.stderr)
        return 2
    for path in args.levels:
        try:
            load_level(path)
        except LevelError as exc:
            for problem in exc.problems:
                print(problem.format(str(path)), file=sys.stderr)
            return 2
        except OSError as exc:
            print(f"{path}: cannot read the level ({exc.strerror or exc})", file=sys.stderr)
            return 2
    if args.travel:
        return _print_travel(args.levels, args.json)
    if not args.json:
        print(HEAD, "-" * len(HEAD), sep="\n", flush=True)
    rows = []
    for row in tournament(args.levels, policies, max(1, args.seeds), args.jobs):
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False) if args.json else format_row(row),
              flush=True)
    verdicts = check(rows)
    if not args.json:
        print()
    for claim, holds, evidence in verdicts:
        print(json.dumps({"claim": claim, "holds": holds, "evidence": evidence}) if args.json
              else f"{'PASS' if holds else 'FAIL'}  {claim}  ({evidence})")
    return 0 if all(h for _, h, _ in verdicts) else 1


def _print_travel(paths: list[Path], as_json: bool) -> int:
    head = (f"{'level':<12} {'office':<20} {'unit':<18} {'type':<9} {'pers':>4} "
            f"{'from':<24} {'straight m':>10} {'sent s':>6} {'trip s':>6}")
    if not as_json:
        print(head, "-" * len(head), sep="\n", flush=True)
    for path in paths:
        for r in travel_times(load_level(path)):
            trip = f"{r['trip_s']:.1f}" if r["trip_s"] is not None else r["status"]
            print(json.dumps(r, ensure_ascii=False) if as_json else
                  f"{r['level']:<12} {r['office']:<20} {r['unit']:<18} {r['type']:<9} "
                  f"{r['personnel']:>4} {r['base']:<24} {r['straight_m']:>10} "
                  f"{r['sent_s'] if r['sent_s'] is not None else '-':>6} {trip:>6}",
                  flush=True)
    return 0
