"""`command-game sim LEVEL`: run a level headless, as fast as it goes, and print one JSON
line with the outcome. With ``--autopilot`` the reference commander plays; without it
nobody gives orders (how a level designer checks that neglect loses)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from command_game.level.io import load_level
from command_game.level.lint import require_playable
from command_game.level.problems import LevelError
from command_game.sim.autopilot import Autopilot
from command_game.sim.dispatch import progress_ratios
from command_game.sim.world import TICK_RATE, World
from command_game.storage import backup_file
from command_game.trajectories import DEFAULT_EVERY, TrajectoryWriter


def register(sub: argparse._SubParsersAction) -> None:
    sim = sub.add_parser("sim", help="run a level headless and print the result as JSON")
    sim.add_argument("level", type=Path, metavar="LEVEL", help="a level .json file")
    sim.add_argument("--autopilot", action="store_true",
                     help="let the reference commander play (default: no orders at all)")
    sim.add_argument("--seed", type=_seed, default=0, help="random seed (default 0)")
    sim.add_argument("--ticks", type=int, default=None,
                     help="stop after this many ticks (default: until the mission ends)")
    sim.add_argument("--replay-out", type=Path, default=None, metavar="FILE",
                     help="write the run's replay (see docs/replay-format.md)")
    sim.add_argument("--trajectories", type=Path, default=None, metavar="FILE",
                     help="write every citizen's position in PedPy's text trajectory "
                          "format (see docs/trajectories.md)")
    sim.add_argument("--every", type=_positive_int, default=DEFAULT_EVERY, metavar="N",
                     help=f"with --trajectories: one frame every N ticks (default "
                          f"{DEFAULT_EVERY}: {TICK_RATE // DEFAULT_EVERY} frames per second)")
    sim.set_defaults(func=cmd_sim)


def _seed(text: str) -> int:
    """A seed a replay can hold: a whole number from 0 to 2**63 - 1."""
    try:
        seed = int(text)
    except ValueError:
        seed = -1
    if not 0 <= seed < 2**63:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number from 0 to 2**63-1")
    return seed


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of ticks") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value}: give at least 1 tick")
    return value


def run(level_path: Path, autopilot: bool, seed: int = 0, ticks: int | None = None,
        replay_out: Path | None = None, trajectories: Path | None = None,
        every: int = DEFAULT_EVERY) -> dict:
    """Play one level headless; returns the result record the CLI prints."""
    level = require_playable(load_level(level_path), str(level_path))
    started = time.perf_counter()
    world = World.from_level(level, seed=seed)
    stepping = time.perf_counter()
    if trajectories is None:
        extra = {"peak_citizens": _play(world, ticks, autopilot)}
    else:
        extra = _play_recording(world, ticks, autopilot, trajectories, every)
    elapsed = max(time.perf_counter() - stepping, 1e-9)
    score = world.score()
    result = {
        "level": level.meta.id,
        "seed": seed,
        "autopilot": autopilot,
        "outcome": world.outcome,
        "reason": world.end_reason,
        "time_s": round(world.time_s, 3),
        "clock": world.clock_text(),
        "ticks": world.tick,
        "score": score.total,
        "breakdown": score.breakdown,
        "objectives": {o.id: o.status for o in world.objectives},
        "progress": progress_ratios(world),  # per unit: distance made / distance ordered
        "cards": [[card, choice] for card, choice, _, _ in world.cards.answers],  # answered
        "ticks_per_s": round(world.tick / elapsed, 1),
        "realtime_x": round(world.tick / elapsed / TICK_RATE, 2),
        "setup_s": round(stepping - started, 3),
        "state_hash": world.state_hash(),
    } | extra
    if replay_out is not None:
        result |= _write_replay(replay_out, level, world, elapsed)
    return result


def _play(world: World, ticks: int | None, autopilot: bool,
          writer: TrajectoryWriter | None = None) -> int:
    """``autopilot.play``, also counting the most citizens on the map at once and, with a
    writer, recording trajectories after every tick (and at tick 0)."""
    commander = Autopilot(world) if autopilot else None
    limit = ticks if ticks is not None else float("inf")
    peak = world.crowd.count
    if writer is not None:
        writer.record(world)
    while not world.finished and world.tick < limit:
        world.step(commander.commands(world) if commander else ())
        peak = max(peak, world.crowd.count)
        if writer is not None:
            writer.record(world)
    return peak


def _play_recording(world: World, ticks: int | None, autopilot: bool, path: Path,
                    every: int) -> dict:
    """``_play`` writing trajectories to ``path``; an existing file is kept as FILE.bak
    before the new one replaces it."""
    backup = backup_file(path) if path.exists() else None
    description = f"level {world.level.meta.id}, seed {world.seed}, " \
        f"{'autopilot' if autopilot else 'no orders'}"
    with TrajectoryWriter(path, every, description) as out:
        peak = _play(world, ticks, autopilot, out)
    result = {"peak_citizens": peak, "trajectories": str(path),
              "trajectory_frames": out.frames, "trajectory_rows": out.rows,
              "trajectory_frame_rate": out.frame_rate}
    if backup is not None:
        result["trajectories_backup"] = str(backup)
    return result


def _write_replay(path: Path, level, world: World, elapsed: float) -> dict:
    from command_game.speedrun.record import save_replay

    verdict = save_replay(path, level, world, elapsed)
    return {"replay": str(path), "replay_verified": verdict.valid}


def cmd_sim(args: argparse.Namespace) -> int:
    try:
        result = run(args.level, args.autopilot, args.seed, args.ticks, args.replay_out,
                     args.trajectories, args.every)
    except LevelError as exc:
        for problem in exc.problems:
            print(problem.format(str(args.level)), file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"{exc.filename or args.level}: {exc.strerror or exc}; check the path",
              file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False))
    return 0
