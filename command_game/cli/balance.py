"""`command-game balance LEVEL... [--seeds N]`: play reference policies (none, random,
brute force, checklist, type-blind, autopilot; ``sim/policies.py``) on each level and seed
through the World API, print the table (outcome, time, lowest index, trust, score) and
whether the campaign's balance conditions hold. Exit status 1 when one does not."""

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


def register(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("balance", help="play reference policies on levels; print the table")
    cmd.add_argument("levels", type=Path, nargs="+", metavar="LEVEL", help="level .json files")
    cmd.add_argument("--seeds", type=int, default=1, help="seeds 0..N-1 per level (default 1)")
    cmd.add_argument("--policies", default=",".join(POLICIES),
                     help=f"comma-separated, from {', '.join(POLICIES)} (default: all)")
    cmd.add_argument("--jobs", type=int, default=1, help="parallel processes (default 1)")
    cmd.add_argument("--json", action="store_true", help="one JSON object per row instead")
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
