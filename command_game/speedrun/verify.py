"""Verification: re-simulate a replay headless and check it against what it claims.

A run is trusted because the world is deterministic: the same level, seed and commands must
give the same state hash at every checkpoint, the same splits, the same end tick and the
same outcome. The first checkpoint that differs names the tick where the run and the
replay part ways. Nothing is drawn, so a replay runs many times faster than real time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from command_game import __version__
from command_game.i18n import t
from command_game.level.catalog import bundled_levels_dir
from command_game.level.io import level_digest, load_level
from command_game.level.models import Level
from command_game.level.problems import LevelError
from command_game.speedrun.replay import ReplayData, ReplayError, checkpoint_of, read_replay
from command_game.speedrun.timing import (
    CATEGORY_NAMES,
    TICK_RATE,
    categories_for,
    format_time,
    game_seconds,
    splits_of,
)
from command_game.userdata import levels_dir

Progress = Callable[[int], None]  # told how many more ticks were simulated
Observer = Callable[[Any], None]  # shown the final world of a run that verified


@dataclass(frozen=True)
class Verdict:
    """The result for one replay; `message` is the sentence a player reads."""

    file: str
    valid: bool
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    divergence_tick: int | None = None
    replay: ReplayData | None = None
    level_path: Path | None = None
    checkpoints: tuple[str, ...] = ()  # the re-simulated ones, to seal a fresh replay
    score: int | None = None  # the re-simulated score (a replay does not claim one)

    @property
    def message(self) -> str:
        return t(self.key, **self.params)


class LevelIndex:
    """Bundled and player levels by id, loaded once per batch of replays."""

    def __init__(self, extra: list[Path] | None = None):
        self.extra = list(extra or [])
        self._by_id: dict[str, list[tuple[Path, Level]]] | None = None

    def candidates(self, level_id: str) -> list[tuple[Path, Level]]:
        if self._by_id is None:
            self._by_id = {}
            folders = [bundled_levels_dir(), levels_dir()]
            paths = [p for f in folders for p in sorted(f.glob("*.json"))
                     if p.name != "schema.json"]
            for path in paths:
                try:
                    level = load_level(path)
                except LevelError:
                    continue
                self._by_id.setdefault(level.meta.id, []).append((path, level))
        return self._by_id.get(level_id, [])

    def find(self, level_id: str, played_from: Iterable[str] = ()) -> Level | None:
        """A level by id: bundled or the player's, else the first file it was played from
        (a play-tested level saved elsewhere) that still holds a level with that id."""
        found = self.candidates(level_id)
        if found:
            return found[0][1]
        for path in played_from:
            if not path:
                continue
            try:
                level = load_level(path)
            except LevelError:
                continue
            if level.meta.id == level_id:
                return level
        return None


def _fail(replay_file: str, replay: ReplayData | None, key: str, /, **params: Any) -> Verdict:
    return Verdict(replay_file, False, key, params, replay=replay)


def resolve_level(file: str, replay: ReplayData, index: LevelIndex,
                  level_path: Path | None = None) -> tuple[Path, Level] | Verdict:
    """The exact level the replay was recorded on, or a verdict naming the mismatch."""
    if level_path is not None:
        try:
            level = load_level(level_path)
        except LevelError as exc:
            first = exc.problems[0]
            return _fail(file, replay, "speedrun.verify.level_unloadable", file=str(level_path),
                         problem=f"{first.path}: {first.message}")
        candidates = [(level_path, level)]
    else:
        candidates = index.candidates(replay.level_id)
        if not candidates:
            return _fail(file, replay, "speedrun.verify.level_not_found", level=replay.level_id)
    for path, level in candidates:
        if level.meta.id == replay.level_id and level_digest(level) == replay.level_digest:
            return path, level
    path, level = candidates[0]
    if level.meta.id != replay.level_id:
        return _fail(file, replay, "speedrun.verify.level_id_mismatch",
                     recorded=replay.level_id, found=level.meta.id, file=str(path))
    return _fail(file, replay, "speedrun.verify.level_mismatch", level=replay.level_id,
                 recorded=replay.level_digest[:12], found=level_digest(level)[:12],
                 file=str(path))


def verify_file(path: str | Path, index: LevelIndex | None = None, *,
                level_path: Path | None = None, allow_version_mismatch: bool = False,
                progress: Progress | None = None) -> Verdict:
    """Reads, resolves and re-simulates one replay file; never raises for a bad file."""
    file = str(path)
    try:
        replay = read_replay(path)
    except ReplayError as exc:
        return Verdict(file, False, exc.key, exc.params)
    return verify_replay(replay, file, index or LevelIndex(), level_path=level_path,
                         allow_version_mismatch=allow_version_mismatch, progress=progress)


def verify_replay(replay: ReplayData, file: str, index: LevelIndex, *,
                  level_path: Path | None = None, allow_version_mismatch: bool = False,
                  progress: Progress | None = None, observe: Observer | None = None) -> Verdict:
    """`observe`, if given, sees the re-simulated world once the run has verified, so a
    caller that wants more than the verdict from it (the board's score breakdown and
    tension chart) never simulates the run a second time."""
    if replay.game_version != __version__ and not allow_version_mismatch:
        return _fail(file, replay, "speedrun.verify.version_mismatch",
                     recorded=replay.game_version, current=__version__)
    found = resolve_level(file, replay, index, level_path)
    if isinstance(found, Verdict):
        return found
    path, level = found
    verdict = simulate(replay, level, file, progress, observe)
    return Verdict(verdict.file, verdict.valid, verdict.key, verdict.params,
                   verdict.divergence_tick, replay, path, verdict.checkpoints, verdict.score)


def last_tick(level: Level) -> int:
    """The latest tick a run of this level can reach: the mission ends once its duration
    has passed (checked every slow update), so one second past it is never reached."""
    return math.ceil(level.meta.duration_s * TICK_RATE) + TICK_RATE


def simulate(replay: ReplayData, level: Level, file: str,
             progress: Progress | None = None, observe: Observer | None = None) -> Verdict:
    """Steps a fresh world through the replay's commands and compares as it goes."""
    from command_game.sim.world import World

    limit = last_tick(level)
    if replay.final_tick > limit:
        return _fail(file, replay, "speedrun.verify.too_long", ticks=replay.final_tick,
                     level=level.meta.id, limit=limit)
    by_tick = _commands_by_tick(replay)
    if max(by_tick, default=-1) >= replay.final_tick:
        return _fail(file, replay, "speedrun.verify.commands_after_end", tick=replay.final_tick)
    try:
        world = World.from_level(level, seed=replay.seed, reputation=replay.start_trust)
    except Exception as exc:  # a level that loads yet cannot be built must not crash it
        return _fail(file, replay, "speedrun.verify.sim_error", tick=0,
                     error=f"{type(exc).__name__}: {exc}")
    every = replay.checkpoint_every
    expected = replay.checkpoints
    made: list[str] = []
    last_good = 0
    reported = 0
    while world.tick < replay.final_tick and not world.finished:
        tick = world.tick
        try:
            world.step(by_tick.get(tick, ()))
        except Exception as exc:  # untrusted input: a replay must never crash the verifier
            return _fail(file, replay, "speedrun.verify.sim_error", tick=tick,
                         error=f"{type(exc).__name__}: {exc}")
        if world.tick % every == 0:
            mark = checkpoint_of(world.state_hash())
            made.append(mark)
            i = len(made) - 1
            if expected and (i >= len(expected) or expected[i] != mark):
                return _diverged(file, replay, world.tick, last_good)
            last_good = world.tick
        if progress is not None and world.tick - reported >= 600:
            progress(world.tick - reported)
            reported = world.tick
    if progress is not None:
        progress(world.tick - reported)
    problem = _compare_end(file, replay, world, last_good, len(made))
    if problem is not None:
        return problem
    if observe is not None:
        observe(world)
    cats = " ".join(CATEGORY_NAMES[c] for c in replay.categories) or replay.outcome or "-"
    return Verdict(file, True, "speedrun.verify.valid",
                   {"categories": cats, "time": format_time(replay.game_time_s),
                    "ticks": replay.final_tick, "player": replay.player,
                    "level": replay.level_id}, replay=replay, checkpoints=tuple(made),
                   score=int(world.score().total))


def _commands_by_tick(replay: ReplayData) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for cmd in replay.command_list():
        grouped.setdefault(cmd.tick, []).append(cmd)
    return grouped


def _compare_splits(file: str, replay: ReplayData, world: Any) -> Verdict | None:
    """Every split, in order: a list compare, so a split added twice, moved earlier or
    swapped with another is caught (a dict of the splits would hide all three)."""
    found = [(s.objective, s.tick) for s in splits_of(world)]
    claimed = [(objective, tick) for objective, tick in replay.splits]
    if found == claimed:
        return None
    n = next(i for i in range(max(len(found), len(claimed)))
             if i >= len(found) or i >= len(claimed) or found[i] != claimed[i])

    def said(splits: list[tuple[str, int]]) -> str:
        if n >= len(splits):
            return t("speedrun.verify.no_split")
        return t("speedrun.verify.split_at", objective=splits[n][0], tick=splits[n][1])

    return _fail(file, replay, "speedrun.verify.splits", n=n + 1, found=said(found),
                 recorded=said(claimed))


def _diverged(file: str, replay: ReplayData, tick: int, last_good: int) -> Verdict:
    return Verdict(file, False, "speedrun.verify.diverged",
                   {"tick": tick, "time": format_time(game_seconds(tick)),
                    "last_good": last_good}, divergence_tick=tick, replay=replay)


def _compare_end(file: str, replay: ReplayData, world: Any, last_good: int,
                 made: int) -> Verdict | None:
    """After the last tick: end, hash, splits and categories must all be as claimed."""
    if world.tick < replay.final_tick:
        return Verdict(file, False, "speedrun.verify.ended_early",
                       {"outcome": world.outcome, "tick": world.tick,
                        "expected": replay.final_tick},
                       divergence_tick=world.tick, replay=replay)
    if replay.checkpoints and len(replay.checkpoints) != made:
        return _fail(file, replay, "speedrun.verify.checkpoints_count",
                     found=len(replay.checkpoints), expected=made)
    if world.outcome != replay.outcome:
        return Verdict(file, False, "speedrun.verify.outcome",
                       {"found": world.outcome or "-", "recorded": replay.outcome or "-",
                        "tick": world.tick}, divergence_tick=world.tick, replay=replay)
    if world.state_hash() != replay.final_hash:
        return _diverged(file, replay, world.tick, last_good)
    problem = _compare_splits(file, replay, world)
    if problem is not None:
        return problem
    all_met = all(o.status == "met" for o in world.objectives)
    cats = categories_for(world.outcome, all_met, bool(world.brimob_used))
    if list(cats) != list(replay.categories) or bool(world.brimob_used) != replay.brimob_used:
        return _fail(file, replay, "speedrun.verify.categories",
                     found=", ".join(cats) or "-", recorded=", ".join(replay.categories) or "-")
    return None
