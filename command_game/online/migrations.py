"""The board's database schema, as numbered migrations applied in order, each once.

A table `board_schema` lists the migrations already applied. `migrate` takes a
transaction-scoped advisory lock first, so API processes and workers starting together on
many machines never apply one twice; each migration and its row commit together, so a
crash leaves the schema at a whole step. Migration 1 also installs procrastinate's own
tables (the job queue lives in this same database).

A new migration is a new entry at the end of MIGRATIONS; an entry is never edited once
released.
"""

from __future__ import annotations

import psycopg
from procrastinate.schema import SchemaManager

LOCK_KEY = 0x4B4D5442  # "KMTB": the advisory lock every migrating process takes

_BOARD_V1 = """
CREATE TABLE players (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE runs (
    id BIGSERIAL PRIMARY KEY,
    player_id BIGINT NOT NULL REFERENCES players(id),
    identity TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'verified', 'rejected')),
    reason_key TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    divergence_tick INTEGER,
    level_id TEXT NOT NULL,
    level_digest TEXT NOT NULL,
    seed BIGINT NOT NULL,
    game_version TEXT NOT NULL,
    outcome TEXT,
    categories TEXT[] NOT NULL,
    game_ticks INTEGER NOT NULL,
    real_time_s DOUBLE PRECISION NOT NULL,
    splits JSONB NOT NULL,
    real_splits JSONB NOT NULL,
    recorded_at TEXT NOT NULL,
    submitted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    verified_at TIMESTAMPTZ,
    profile JSONB,
    replay BYTEA NOT NULL
);
-- one live run per identity; a rejected forgery never blocks the genuine run
CREATE UNIQUE INDEX runs_identity ON runs (identity) WHERE status <> 'rejected';
CREATE INDEX runs_board ON runs (level_id, status, game_ticks, real_time_s, id);
CREATE INDEX runs_by_player ON runs (player_id, submitted_at);
CREATE TABLE verifications (
    id BIGSERIAL PRIMARY KEY,
    run_id BIGINT NOT NULL REFERENCES runs(id),
    job_id BIGINT,
    worker TEXT NOT NULL,
    started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ,
    outcome TEXT
);
CREATE INDEX verifications_by_run ON verifications (run_id);
"""

_REGISTRATION_ADDRESS = """
ALTER TABLE players ADD COLUMN created_from TEXT NOT NULL DEFAULT '';
CREATE INDEX players_by_address ON players (created_from, created_at);
"""

_BANS = """
ALTER TABLE players ADD COLUMN banned_reason TEXT;
"""

MIGRATIONS: tuple[tuple[str, str], ...] = (
    ("procrastinate job queue", SchemaManager.get_schema()),
    ("players, runs and verifications", _BOARD_V1),
    ("where each player registered from, to pace registrations", _REGISTRATION_ADDRESS),
    ("moderators can ban a player", _BANS),
)


def migrate(url: str) -> list[str]:
    """Applies the migrations this database lacks; returns the names of those applied."""
    applied: list[str] = []
    with psycopg.connect(url) as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        conn.execute("CREATE TABLE IF NOT EXISTS board_schema ("
                     " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                     " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
        done = {row[0] for row in conn.execute("SELECT version FROM board_schema")}
        for version, (name, sql) in enumerate(MIGRATIONS, 1):
            if version in done:
                continue
            conn.execute(sql)
            conn.execute("INSERT INTO board_schema (version, name) VALUES (%s, %s)",
                         (version, name))
            applied.append(name)
    return applied


def schema_version(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT max(version) FROM board_schema").fetchone()
    return int(row[0] or 0)
