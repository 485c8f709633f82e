"""The local leaderboard: every finished run in SQLite (WAL mode) in the user data directory.

A run ranks only once its replay has been re-simulated and matched ('valid'); until then it
is 'pending', and a replay that does not match is kept as 'invalid' so a player can see why.
Each call opens its own short connection and every write is one IMMEDIATE transaction, so
the game, a background verifier and a command-line import can all write at once without
losing a run.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from command_game.i18n import t
from command_game.speedrun.timing import CATEGORIES, Split, game_seconds
from command_game.storage import backup_file
from command_game.userdata import leaderboard_path

log = logging.getLogger(__name__)

SCHEMA_VERSION = 3  # 2: real_splits (real time per split) and seed_kind (random or set);
#                      3: run_identity (duplicates by content)
SEED_KINDS = ("random", "set")  # a seed drawn for the player, or one the player chose
STATUSES = ("pending", "valid", "invalid")
PLAYER_MAX = 32

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    player TEXT NOT NULL,
    level_id TEXT NOT NULL,
    level_digest TEXT NOT NULL,
    seed INTEGER NOT NULL,
    outcome TEXT,
    cat_any INTEGER NOT NULL DEFAULT 0,
    cat_100 INTEGER NOT NULL DEFAULT 0,
    cat_cooling INTEGER NOT NULL DEFAULT 0,
    game_ticks INTEGER NOT NULL,
    real_time_s REAL NOT NULL,
    splits TEXT NOT NULL,
    real_splits TEXT NOT NULL DEFAULT '[]',
    recorded_at TEXT NOT NULL,
    game_version TEXT NOT NULL,
    replay_path TEXT NOT NULL,
    level_path TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending',
    status_note TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    seed_kind TEXT NOT NULL DEFAULT 'set',
    run_identity TEXT NOT NULL DEFAULT ''
);
"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS runs_by_level ON runs(level_id, status, game_ticks);
CREATE INDEX IF NOT EXISTS runs_by_identity ON runs(run_identity);
"""
_CAT_COLUMN = {"any": "cat_any", "100": "cat_100", "cooling": "cat_cooling"}
# Columns added since version 1, for boards written by an older game: ALTER TABLE keeps
# every run and gives old ones the default (no real time per split; runs from before
# seed_kind all played seed 0, a set seed; the identity is read from each run's replay).
_ADDED_COLUMNS = {"real_splits": "TEXT NOT NULL DEFAULT '[]'",
                  "seed_kind": "TEXT NOT NULL DEFAULT 'set'",
                  "run_identity": "TEXT NOT NULL DEFAULT ''"}
#: Every column this version reads: a board without them is of a layout we do not know.
_COLUMNS = frozenset(line.split()[0] for line in _SCHEMA.splitlines()
                     if line.startswith("    "))


class BoardSchemaError(sqlite3.OperationalError):
    """A leaderboard file of a layout this game cannot read (a newer game's, or another
    program's). It is left untouched; the message says which version it is and what to do.
    An sqlite3 error, so every place that reports a board it cannot open reports this."""


class DuplicateRun(Exception):
    """The board already holds a run with the same identity (same level, seed, commands
    and version: the same run, whatever its player name or date say)."""

    def __init__(self, existing: RunRecord):
        super().__init__(f"run #{existing.id} by {existing.player} is the same run")
        self.existing = existing


def clean_player(name: str) -> str:
    """A player name safe to show and store: no control characters, trimmed, bounded."""
    kept = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in name)
    kept = " ".join(kept.split())[:PLAYER_MAX].strip()
    return kept or "player"


@dataclass(frozen=True)
class RunRecord:
    """One finished run as the leaderboard keeps it."""

    player: str
    level_id: str
    level_digest: str
    seed: int
    outcome: str | None
    categories: tuple[str, ...]
    game_ticks: int
    real_time_s: float
    splits: tuple[Split, ...]
    recorded_at: str
    game_version: str
    replay_path: str
    real_splits: tuple[tuple[str, float], ...] = ()  # objective, real seconds (unverifiable)
    level_path: str = ""  # where the level was played from, to find it again for checks
    status: str = "pending"
    note: str = ""
    comment: str = ""
    seed_kind: str = "set"  # "random" and "set" runs rank on separate boards
    identity: str = ""  # ReplayData.run_identity(): what makes two runs the same run
    id: int | None = field(default=None)
    new_personal_best: bool = False  # set by record_finished_run only, not stored

    @property
    def game_time_s(self) -> float:
        return game_seconds(self.game_ticks)

    @property
    def verified(self) -> bool:
        return self.status == "valid"

    def real_split_s(self, objective: str) -> float | None:
        """The real time at which the objective was met, None if it was not recorded."""
        return dict(self.real_splits).get(objective)


def _row_to_run(row: sqlite3.Row) -> RunRecord:
    cats = tuple(c for c in CATEGORIES if row[_CAT_COLUMN[c]])
    splits = tuple(Split(o, int(tk)) for o, tk in json.loads(row["splits"]))
    real_splits = tuple((o, float(sec)) for o, sec in json.loads(row["real_splits"]))
    return RunRecord(
        player=row["player"], level_id=row["level_id"], level_digest=row["level_digest"],
        seed=row["seed"], outcome=row["outcome"], categories=cats,
        game_ticks=row["game_ticks"], real_time_s=row["real_time_s"], splits=splits,
        real_splits=real_splits,
        recorded_at=row["recorded_at"], game_version=row["game_version"],
        replay_path=row["replay_path"], level_path=row["level_path"], status=row["status"],
        note=row["status_note"],
        comment=row["comment"], seed_kind=row["seed_kind"], identity=row["run_identity"],
        id=row["id"],
    )


def _check_layout(conn: sqlite3.Connection, path: Path) -> None:
    """Refuses, before anything is written (not even WAL mode), a board of a newer game or
    of a layout this game does not know, naming its version and what to do."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise BoardSchemaError(t("speedrun.store.newer_schema", file=str(path),
                                 found=version, supported=SCHEMA_VERSION))
    present = {row[1] for row in conn.execute("PRAGMA table_info(runs)")}
    missing = sorted(_COLUMNS - present - set(_ADDED_COLUMNS))
    if present and missing:
        raise BoardSchemaError(t("speedrun.store.unknown_schema", file=str(path),
                                 found=version, missing=", ".join(missing[:5])))


def _migrate(conn: sqlite3.Connection) -> None:
    """Brings a board from an older game up to SCHEMA_VERSION, inside _prepare's transaction
    (so two processes opening an old board at once cannot both add a column)."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    present = {row[1] for row in conn.execute("PRAGMA table_info(runs)")}
    for column, decl in _ADDED_COLUMNS.items():
        if column not in present:
            conn.execute(f"ALTER TABLE runs ADD COLUMN {column} {decl}")
    if version < 3:
        _fill_identities(conn)
    if version < SCHEMA_VERSION:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _fill_identities(conn: sqlite3.Connection) -> None:
    """Runs stored before version 3 get their identity from their replay file; a run whose
    replay is gone keeps none (it stays on the board, and cannot be imported again)."""
    from command_game.speedrun.replay import ReplayError, read_replay

    rows = conn.execute("SELECT id, replay_path FROM runs WHERE run_identity = ''").fetchall()
    for run_id, replay_path in rows:
        try:
            identity = read_replay(replay_path).run_identity()
        except ReplayError:
            continue
        conn.execute("UPDATE runs SET run_identity = ? WHERE id = ?", (identity, run_id))


class Leaderboard:
    """Runs on disk. Cheap to construct: it holds a path, not a connection."""

    def __init__(self, path: str | os.PathLike[str] | None = None):
        self.path = Path(path) if path is not None else leaderboard_path()
        self._ready = False
        self.notice: str | None = None  # set when an unreadable file was set aside

    @contextmanager
    def _connect(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        conn = self._open()
        try:
            if write:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            else:
                yield conn
        finally:
            conn.close()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 30000")
        if self._ready:
            return conn
        try:
            self._prepare(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            if isinstance(exc, sqlite3.OperationalError):
                raise
            self._set_aside(exc)
            return self._open()
        return conn

    def _set_aside(self, exc: Exception) -> None:
        """Keeps an unreadable file (not a database, damaged) beside a fresh board.

        The replays are separate files, so `command-game leaderboard rebuild` can re-add
        and re-verify every run from them.
        """
        kept = backup_file(self.path, ".corrupt")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        self.notice = t("speedrun.store.set_aside", file=str(self.path), reason=str(exc),
                        kept=str(kept))
        log.warning(self.notice)

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """WAL mode and the schema; retried because another process may be doing the same."""
        for attempt in range(50):
            try:
                _check_layout(conn, self.path)
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(_SCHEMA)
                _migrate(conn)
                for statement in _INDEXES.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute("COMMIT")
                self._ready = True
                return
            except sqlite3.OperationalError as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if attempt == 49 or isinstance(exc, BoardSchemaError):
                    raise
                time.sleep(0.05)

    def add_run(self, run: RunRecord, unique: bool = False) -> RunRecord:
        """Stores a run and returns it with its id. With unique=True a run whose identity
        the board already holds is refused (DuplicateRun), in the same transaction as the
        insert, so two importers of one replay at once cannot both add it."""
        cats = {col: int(cat in run.categories) for cat, col in _CAT_COLUMN.items()}
        with self._connect(write=True) as conn:
            if unique and run.identity:
                row = conn.execute("SELECT * FROM runs WHERE run_identity = ? ORDER BY id"
                                   " LIMIT 1", (run.identity,)).fetchone()
                if row is not None:
                    raise DuplicateRun(_row_to_run(row))
            cur = conn.execute(
                "INSERT INTO runs (player, level_id, level_digest, seed, outcome, cat_any,"
                " cat_100, cat_cooling, game_ticks, real_time_s, splits, real_splits,"
                " recorded_at, game_version, replay_path, level_path, status, status_note,"
                " comment, seed_kind, run_identity)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (clean_player(run.player), run.level_id, run.level_digest, run.seed,
                 run.outcome, cats["cat_any"], cats["cat_100"], cats["cat_cooling"],
                 run.game_ticks, run.real_time_s,
                 json.dumps([[s.objective, s.tick] for s in run.splits]),
                 json.dumps([[o, float(sec)] for o, sec in run.real_splits]), run.recorded_at,
                 run.game_version, run.replay_path, run.level_path, run.status, run.note,
                 run.comment, run.seed_kind, run.identity),
            )
            run_id = cur.lastrowid
        return replace(run, id=run_id, player=clean_player(run.player))

    def set_status(self, run_id: int, status: str, note: str = "") -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown run status '{status}'")
        with self._connect(write=True) as conn:
            conn.execute("UPDATE runs SET status = ?, status_note = ? WHERE id = ?",
                         (status, note, run_id))

    def get_run(self, run_id: int) -> RunRecord | None:
        with self._connect() as conn:
            row = conn.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        return _row_to_run(row) if row else None

    def runs(self, level_id: str | None = None, category: str | None = None,
             player: str | None = None, status: str | None = None,
             digest: str | None = None, seed_kind: str | None = None) -> list[RunRecord]:
        """Runs matching every filter given, oldest first. `digest` keeps only runs on
        that exact version of the level."""
        where, args = [], []
        for column, value in (("level_id", level_id), ("player", player),
                              ("status", status), ("level_digest", digest),
                              ("seed_kind", seed_kind)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(value)
        if category is not None:
            where.append(f"{_CAT_COLUMN[category]} = 1")
        sql = "SELECT * FROM runs" + (" WHERE " + " AND ".join(where) if where else "")
        with self._connect() as conn:
            rows = conn.execute(sql + " ORDER BY recorded_at, id", args).fetchall()
        return [_row_to_run(r) for r in rows]

    def board(self, level_id: str, category: str, limit: int | None = None,
              player: str | None = None, digest: str | None = None,
              seed_kind: str | None = None) -> list[RunRecord]:
        """Verified runs of a level in a category, fastest in-game time first; with
        seed_kind, only random-seed or only set-seed runs.

        Ties on in-game time go to the faster real time, then to the earlier run.
        """
        runs = self.runs(level_id, category, player=player, status="valid", digest=digest,
                         seed_kind=seed_kind)
        ranked = sorted(runs, key=lambda r: (r.game_ticks, r.real_time_s, r.recorded_at, r.id))
        return ranked[:limit] if limit is not None else ranked

    def rank_of(self, run_id: int, category: str) -> int | None:
        """1-based place of a verified run on its level's board, None if it does not rank."""
        run = self.get_run(run_id)
        if run is None or not run.verified or category not in run.categories:
            return None
        board = self.board(run.level_id, category, digest=run.level_digest,
                           seed_kind=run.seed_kind)
        return next(i for i, r in enumerate(board, 1) if r.id == run_id)

    def level_ids(self) -> list[str]:
        with self._connect() as conn:
            rows = conn.execute("SELECT DISTINCT level_id FROM runs ORDER BY level_id")
            return [r[0] for r in rows.fetchall()]

    def count(self) -> int:
        with self._connect() as conn:
            return conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
