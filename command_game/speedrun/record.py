"""Recording a finished mission: replay file, leaderboard entry, personal best.

The replay is written at once (commands, seed, splits and the live world's final state
hash), so nothing is lost if the game closes. The run then ranks only after a background
re-simulation reaches the same final state; that re-simulation also seals the replay with
its per-second checkpoint hashes, which later verifications use to name the tick where a
tampered or out-of-date replay diverges. Runs still pending when the game closed are
verified the next time the leaderboard opens.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from command_game import __version__, progress
from command_game.level.io import level_digest, load_level
from command_game.level.models import Level
from command_game.level.problems import LevelError
from command_game.sim.rules import START_TRUST
from command_game.speedrun.replay import (
    REPLAY_SUFFIX,
    ReplayData,
    ReplayError,
    encode,
    group_commands,
    read_replay,
    write_replay,
)
from command_game.speedrun.store import DuplicateRun, Leaderboard, RunRecord, clean_player
from command_game.speedrun.timing import categories_of, game_seconds, splits_of
from command_game.speedrun.verify import (
    LevelIndex,
    Verdict,
    simulate,
    verify_file,
    verify_replay,
)
from command_game.userdata import replays_dir

log = logging.getLogger(__name__)
_workers: list[threading.Thread] = []
_claimed: set[int] = set()  # run ids a worker is verifying right now
_workers_lock = threading.Lock()


def replay_from_world(level: Level, world: Any, real_time_s: float, player: str,
                      recorded_at: str | None = None,
                      real_splits: Sequence[tuple[str, float]] | None = None) -> ReplayData:
    """Everything needed to re-run this mission, taken from the finished world.

    real_splits are the player's clock when each objective was met (as the map scene saw
    them); they are informational, since re-simulation cannot check a wall clock."""
    real_time_s = max(0.0, float(real_time_s))
    splits = [(s.objective, s.tick) for s in splits_of(world)]
    return ReplayData(
        game_version=__version__,
        level_id=level.meta.id,
        level_digest=level_digest(level),
        seed=int(world.seed),
        player=clean_player(player),
        recorded_at=recorded_at or datetime.now(UTC).isoformat(timespec="seconds"),
        real_time_s=real_time_s,
        outcome=world.outcome,
        categories=list(categories_of(world)),
        brimob_used=bool(world.brimob_used),
        start_trust=_start_trust(world),
        final_tick=int(world.tick),
        final_hash=world.state_hash(),
        splits=splits,
        real_splits=_real_splits_along(splits, real_splits or (), real_time_s),
        commands=group_commands(list(world.command_log)),
    )


def _start_trust(world: Any) -> float | None:
    """The trust the night started from, when a campaign reputation changed it."""
    start = float(getattr(world, "start_trust", START_TRUST))
    return None if start == START_TRUST else start


def _real_splits_along(splits: Sequence[tuple[str, int]],
                       real_splits: Sequence[tuple[str, float]],
                       real_time_s: float) -> list[tuple[str, float]]:
    """The real times in the splits' order (ties on a tick may reach the scene in another
    order), each kept within the run's real time and never running back."""
    seen = dict(real_splits)
    out: list[tuple[str, float]] = []
    floor = 0.0
    for objective, _tick in splits:
        if objective in seen:
            floor = min(max(floor, float(seen[objective])), real_time_s)
            out.append((objective, floor))
    return out


def save_replay(path: str | Path, level: Level, world: Any, real_time_s: float,
                player: str = "autopilot") -> Verdict:
    """Writes the replay of a finished headless run, sealed with its checkpoints.

    Sealing re-simulates the run, so this also proves the replay reproduces it; the
    verdict says whether it did (the file is written either way, for inspection).
    """
    replay = replay_from_world(level, world, real_time_s, player)
    verdict = simulate(replay, level, str(path))
    if verdict.valid:
        replay = replay.model_copy(update={"checkpoints": list(verdict.checkpoints)})
    write_replay(path, replay)
    return verdict


def run_from_replay(replay: ReplayData, replay_path: Path, level_path: str = "",
                    status: str = "pending", note: str = "", comment: str = "",
                    seed_kind: str = "set") -> RunRecord:
    return RunRecord(
        player=replay.player, level_id=replay.level_id, level_digest=replay.level_digest,
        seed=replay.seed, outcome=replay.outcome, categories=tuple(replay.categories),
        game_ticks=replay.final_tick, real_time_s=replay.real_time_s,
        splits=replay.split_list(), real_splits=replay.real_split_list(),
        recorded_at=replay.recorded_at,
        game_version=replay.game_version, replay_path=str(replay_path),
        level_path=level_path, status=status, note=note, comment=comment,
        identity=replay.run_identity(),
        seed_kind=seed_kind,
    )


def replay_path_for(replay: ReplayData) -> Path:
    """A name that sorts by level and date and never collides: the content hash ends it."""
    stamp = replay.recorded_at.replace(":", "").replace("-", "")[:15]
    digest = hashlib.sha256(encode(replay)).hexdigest()[:10]
    return replays_dir() / f"{replay.level_id}-{stamp}-{digest}{REPLAY_SUFFIX}"


def record_finished_run(level_path: str | Path | None, level: Level, world: Any,
                        real_time_s: float, player: str = "player", *,
                        background: bool = True,
                        real_splits: Sequence[tuple[str, float]] | None = None,
                        seed_kind: str = "set") -> RunRecord:
    """Writes the replay, stores the run (pending), updates the personal best, and starts
    verifying it; with background=False the run is verified before this returns.

    real_splits: (objective, real seconds) as the player's clock read when each objective
    was met; without them only the whole run has a real time. seed_kind: "random" when
    the game drew the seed for this attempt, "set" when the player chose it (the board
    ranks them apart; a replay cannot prove which, so imported runs are "set")."""
    replay = replay_from_world(level, world, real_time_s, player, real_splits=real_splits)
    path = replay_path_for(replay)
    write_replay(path, replay)
    board = Leaderboard()
    run = board.add_run(run_from_replay(replay, path, str(level_path or ""),
                                        seed_kind=seed_kind))
    new_best = _update_personal_best(level, world, replay, real_time_s)
    if background:
        _start_worker(lambda: verify_run(run.id, board, level))
    else:
        run = verify_run(run.id, board, level)
    return replace(run, new_personal_best=new_best)


def _update_personal_best(level: Level, world: Any, replay: ReplayData,
                          real_time_s: float) -> bool:
    """The campaign's personal best; a progress file that cannot be written must not cost
    the player the run, which is already stored."""
    try:
        return progress.record_run(
            level.meta.id, won=world.outcome == "won", time_s=game_seconds(replay.final_tick),
            splits={s: game_seconds(tk) for s, tk in replay.splits}, real_time_s=real_time_s,
            score=int(world.score().total),
            end_trust=float(world.trust) if level.meta.campaign_order is not None else None)
    except OSError:
        log.exception("personal best not updated")
        return False


def verify_run(run_id: int, board: Leaderboard | None = None,
               level: Level | None = None) -> RunRecord:
    """Re-simulates a stored run, sets its status, and seals a fresh replay's checkpoints.

    A run another worker is already verifying is returned as it stands (still pending),
    so opening the leaderboard during a check never re-simulates the same run twice.
    """
    board = board or Leaderboard()
    run = board.get_run(run_id)
    if run is None:
        raise KeyError(f"no run with id {run_id}")
    with _workers_lock:
        if run_id in _claimed:
            return run
        _claimed.add(run_id)
    try:
        verdict = _verify_stored(run, level)
        if verdict.valid and verdict.replay is not None and not verdict.replay.checkpoints:
            sealed = verdict.replay.model_copy(
                update={"checkpoints": list(verdict.checkpoints)})
            write_replay(run.replay_path, sealed)
        board.set_status(run_id, "valid" if verdict.valid else "invalid",
                         "" if verdict.valid else verdict.message)
    finally:
        with _workers_lock:
            _claimed.discard(run_id)
    return board.get_run(run_id) or run


def _verify_stored(run: RunRecord, level: Level | None) -> Verdict:
    try:
        replay = read_replay(run.replay_path)
    except ReplayError as exc:
        return Verdict(run.replay_path, False, exc.key, exc.params)
    if level is not None and level_digest(level) == replay.level_digest:
        verdict = simulate(replay, level, run.replay_path)
        return Verdict(verdict.file, verdict.valid, verdict.key, verdict.params,
                       verdict.divergence_tick, replay, None, verdict.checkpoints)
    return verify_replay(replay, run.replay_path, LevelIndex(),
                         level_path=_level_path_of(run, replay))


def _level_path_of(run: RunRecord, replay: ReplayData) -> Path | None:
    """The file the run was played from, if it still holds that exact level."""
    if not run.level_path:
        return None
    try:
        level = load_level(run.level_path)
    except LevelError:
        return None
    return Path(run.level_path) if level_digest(level) == replay.level_digest else None


def verify_pending(board: Leaderboard | None = None) -> list[RunRecord]:
    """Verifies every run still pending (e.g. the game closed while it was being checked)."""
    board = board or Leaderboard()
    return [verify_run(run.id, board) for run in board.runs(status="pending")]


def rebuild_from_replays(board: Leaderboard | None = None) -> list[RunRecord]:
    """Re-adds every replay in the replays folder the board does not hold, then verifies
    them: how a lost or damaged leaderboard file is recovered."""
    board = board or Leaderboard()
    known = {Path(r.replay_path).resolve() for r in board.runs()}
    added = []
    for path in sorted(replays_dir().rglob(f"*{REPLAY_SUFFIX}")):
        if path.resolve() in known:
            continue
        try:
            replay = read_replay(path)
            added.append(board.add_run(run_from_replay(replay, path), unique=True))
        except (ReplayError, DuplicateRun):
            continue
    return [verify_run(run.id, board) for run in added]


def verify_pending_in_background(board: Leaderboard | None = None) -> threading.Thread:
    return _start_worker(lambda: verify_pending(board))


def _start_worker(job) -> threading.Thread:
    def guarded() -> None:
        try:
            job()
        except Exception:  # the run stays pending and is checked again on the next open
            log.exception("background verification failed")

    worker = threading.Thread(target=guarded, name="speedrun-verify", daemon=True)
    with _workers_lock:
        _workers[:] = [w for w in _workers if w.is_alive()]
        _workers.append(worker)
    worker.start()
    return worker


@dataclass(frozen=True)
class Standing:
    """Where a run stands, for the debrief to poll: its status and places once verified."""

    status: str  # "pending", "valid" or "invalid"
    note: str  # why it did not verify
    ranks: dict[str, int]  # category -> 1-based place (verified runs only)


def standing(run_id: int, board: Leaderboard | None = None) -> Standing:
    board = board or Leaderboard()
    run = board.get_run(run_id)
    if run is None:
        return Standing("invalid", f"no run with id {run_id}", {})
    ranks = {c: board.rank_of(run_id, c) for c in run.categories} if run.verified else {}
    return Standing(run.status, run.note, {c: r for c, r in ranks.items() if r is not None})


def verifying() -> bool:
    """True while a background verification is still running."""
    with _workers_lock:
        return any(w.is_alive() for w in _workers)


def wait_for_verification(timeout: float | None = None) -> bool:
    """Waits for background verifications; True if they all finished in time."""
    with _workers_lock:
        workers = list(_workers)
    for worker in workers:
        worker.join(timeout)
    return not verifying()


def import_replay(path: str | Path, player: str, level_path: Path | None = None,
                  comment: str = "", allow_version_mismatch: bool = False
                  ) -> tuple[Verdict, RunRecord | None]:
    """Adds someone's replay to the board after verifying it; refuses one that fails."""
    verdict = verify_file(path, LevelIndex(), level_path=level_path,
                          allow_version_mismatch=allow_version_mismatch)
    if not verdict.valid or verdict.replay is None:
        return verdict, None
    replay = verdict.replay.model_copy(update={"player": clean_player(player)})
    if not replay.checkpoints:
        replay = replay.model_copy(update={"checkpoints": list(verdict.checkpoints)})
    board = Leaderboard()
    dest = replay_path_for(replay)
    record = run_from_replay(replay, dest, str(verdict.level_path or ""), status="valid",
                             comment=comment)
    written = Path(path).resolve() != dest.resolve() and not dest.exists()
    if written:  # before the run, so a stored run always has its replay
        write_replay(dest, replay)
    try:
        run = board.add_run(record, unique=True)
    except DuplicateRun as dup:
        if written:
            dest.unlink(missing_ok=True)
        return Verdict(str(path), False, "speedrun.import.duplicate",
                       {"run": dup.existing.id, "player": dup.existing.player}), None
    return verdict, run

