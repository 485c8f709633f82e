"""The board's reads and writes in PostgreSQL, shared by the JSON API and the web pages.

Every function takes an async psycopg connection from the API's pool. Claims a replay
makes (time, splits, categories) are stored as submitted but shown on a board only once a
worker has re-derived them (status 'verified').
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from command_game.online.board_cache import CHANNEL
from command_game.speedrun.replay import ReplayData

RUN_COLUMNS = ("r.id, r.player_id, p.name AS player, r.identity, r.status, r.reason_key,"
               " r.reason, r.divergence_tick, r.level_id, r.level_digest, r.seed,"
               " r.game_version, r.outcome, r.categories, r.game_ticks, r.real_time_s,"
               " r.splits, r.real_splits, r.recorded_at, r.submitted_at, r.verified_at,"
               " r.profile")


def name_key(name: str) -> str:
    """Names are unique whatever their case: 'Rani', 'RANI' and 'rani' are one player."""
    return name.casefold()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Player:
    id: int
    name: str
    banned_reason: str | None = None


async def recent_registrations(conn: psycopg.AsyncConnection, address: str) -> int:
    """Players registered from this address in the last hour; serialised per address by
    an advisory lock held until the registering transaction ends."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (address,))
    cur = await conn.execute("SELECT count(*) FROM players WHERE created_from = %s"
                             " AND created_at > now() - interval '1 hour'", (address,))
    return (await cur.fetchone())[0]


async def add_player(conn: psycopg.AsyncConnection, name: str, token: str,
                     address: str = "") -> Player | None:
    """The new player, or None when the name is taken (in any case)."""
    cur = await conn.execute(
        "INSERT INTO players (name, name_key, token_hash, created_from) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (name_key) DO NOTHING RETURNING id",
        (name, name_key(name), token_hash(token), address))
    row = await cur.fetchone()
    return Player(row[0], name) if row else None


async def player_by_token(conn: psycopg.AsyncConnection, token: str) -> Player | None:
    cur = await conn.execute("SELECT id, name, banned_reason FROM players"
                             " WHERE token_hash = %s", (token_hash(token),))
    row = await cur.fetchone()
    return Player(*row) if row else None


async def player_by_name(conn: psycopg.AsyncConnection, name: str) -> Player | None:
    cur = await conn.execute("SELECT id, name FROM players WHERE name_key = %s",
                             (name_key(name),))
    row = await cur.fetchone()
    return Player(row[0], row[1]) if row else None


async def recent_submissions(conn: psycopg.AsyncConnection, player: Player) -> int:
    """Runs this player submitted in the last minute; locks the player's row so two
    submissions at once cannot both slip under the limit."""
    await conn.execute("SELECT 1 FROM players WHERE id = %s FOR UPDATE", (player.id,))
    cur = await conn.execute("SELECT count(*) FROM runs WHERE player_id = %s"
                             " AND submitted_at > now() - interval '1 minute'", (player.id,))
    return (await cur.fetchone())[0]


async def add_run(conn: psycopg.AsyncConnection, player: Player, replay: ReplayData,
                  data: bytes) -> tuple[int, bool]:
    """(run id, True) for a new run; (the earlier run's id, False) for a run already
    submitted, by anyone: the same identity ranks once. A rejected run does not count, so
    a forged copy sent first cannot keep the genuine run off the board."""
    doc = replay.model_dump(mode="json")
    cur = await conn.execute(
        "INSERT INTO runs (player_id, identity, level_id, level_digest, seed, game_version,"
        " outcome, categories, game_ticks, real_time_s, splits, real_splits, recorded_at,"
        " replay) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
        " ON CONFLICT (identity) WHERE status <> 'rejected' DO NOTHING RETURNING id",
        (player.id, replay.run_identity(), replay.level_id, replay.level_digest, replay.seed,
         replay.game_version, replay.outcome, list(replay.categories), replay.final_tick,
         replay.real_time_s, Jsonb(doc["splits"]), Jsonb(doc["real_splits"]),
         replay.recorded_at, data))
    row = await cur.fetchone()
    if row:
        return row[0], True
    cur = await conn.execute("SELECT id FROM runs WHERE identity = %s"
                             " AND status <> 'rejected'", (replay.run_identity(),))
    return (await cur.fetchone())[0], False


async def get_run(conn: psycopg.AsyncConnection, run_id: int) -> dict[str, Any] | None:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(f"SELECT {RUN_COLUMNS} FROM runs r JOIN players p"
                          " ON p.id = r.player_id WHERE r.id = %s", (run_id,))
        return await cur.fetchone()


async def get_replay(conn: psycopg.AsyncConnection, run_id: int) -> tuple[str, bytes] | None:
    cur = await conn.execute("SELECT level_id, replay FROM runs WHERE id = %s", (run_id,))
    row = await cur.fetchone()
    return (row[0], bytes(row[1])) if row else None


_BOARD = """
WITH best AS (
    SELECT DISTINCT ON (r.player_id) r.id, r.player_id, p.name AS player, p.name_key,
           r.game_ticks, r.real_time_s, r.splits, r.seed, r.recorded_at, r.level_digest,
           r.game_version
      FROM runs r JOIN players p ON p.id = r.player_id
     WHERE r.level_id = %(level)s AND r.status = 'verified' AND p.banned_reason IS NULL
       AND %(category)s = ANY(r.categories)
       AND (%(seed)s::bigint IS NULL OR r.seed = %(seed)s::bigint)
     ORDER BY r.player_id, r.game_ticks, r.real_time_s, r.id
), ranked AS (
    SELECT best.*, row_number() OVER (ORDER BY game_ticks, real_time_s, id) AS rank,
           count(*) OVER () AS total
      FROM best
)
SELECT * FROM ranked
 WHERE (rank > %(offset)s AND rank <= %(offset)s + %(limit)s) OR name_key = %(me)s
 ORDER BY rank
"""


async def board(conn: psycopg.AsyncConnection, level: str, category: str,
                seed: int | None = None, limit: int = 50, offset: int = 0,
                player: str | None = None) -> tuple[list[dict], dict | None, int]:
    """(the page of ranked runs, the named player's own entry or None, players ranked).

    One entry per player (their best run), fastest in-game time first; ties go to the
    faster real time, then to the earlier submission."""
    me = name_key(player) if player else None
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(_BOARD, {"level": level, "category": category, "seed": seed,
                                   "limit": limit, "offset": offset, "me": me})
        rows = await cur.fetchall()
    page = [r for r in rows if offset < r["rank"] <= offset + limit]
    mine = next((r for r in rows if me is not None and r["name_key"] == me), None)
    total = rows[0]["total"] if rows else 0
    return page, mine, total


async def player_runs(conn: psycopg.AsyncConnection, player: Player) -> list[dict]:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute(f"SELECT {RUN_COLUMNS} FROM runs r JOIN players p"
                          " ON p.id = r.player_id WHERE r.player_id = %s"
                          " ORDER BY r.submitted_at DESC, r.id DESC LIMIT 200", (player.id,))
        return await cur.fetchall()


_RANKS = """
WITH best AS (
    SELECT DISTINCT ON (r.player_id, cat) cat, r.id, r.game_ticks, r.real_time_s
      FROM runs r JOIN players p ON p.id = r.player_id, unnest(r.categories) AS cat
     WHERE r.level_id = %(level)s AND r.status = 'verified' AND p.banned_reason IS NULL
       AND cat = ANY(%(categories)s)
     ORDER BY r.player_id, cat, r.game_ticks, r.real_time_s, r.id
), ranked AS (
    SELECT cat, id, row_number() OVER (PARTITION BY cat
                                       ORDER BY game_ticks, real_time_s, id) AS rank
      FROM best
)
SELECT cat, rank FROM ranked WHERE id = %(run)s
"""


async def ranks_of(conn: psycopg.AsyncConnection, run: dict) -> dict[str, int | None]:
    """The run's place on its level's board in each of its categories (None where it is
    not its player's best), ranked as `board` ranks, in one query."""
    cur = await conn.execute(_RANKS, {"level": run["level_id"], "run": run["id"],
                                      "categories": list(run["categories"])})
    found = dict(await cur.fetchall())
    return {cat: found.get(cat) for cat in run["categories"]}


def ban(url: str, name: str, reason: str | None) -> bool:
    """A moderator's ban (reason None lifts it): the player's runs leave every board and
    their submissions are refused; nothing is deleted. False if there is no such player."""
    with psycopg.connect(url) as conn:
        found = conn.execute("UPDATE players SET banned_reason = %s WHERE name_key = %s",
                             (reason, name_key(name))).rowcount == 1
        conn.execute("SELECT pg_notify(%s, '')", (CHANNEL,))  # every cached board is stale
        return found


async def levels(conn: psycopg.AsyncConnection) -> list[dict]:
    async with conn.cursor(row_factory=dict_row) as cur:
        await cur.execute("SELECT level_id, count(*) FILTER (WHERE status = 'verified')"
                          " AS verified, count(*) AS submitted FROM runs GROUP BY level_id"
                          " ORDER BY level_id")
        return await cur.fetchall()


async def health(conn: psycopg.AsyncConnection, fresh_s: float = 60.0) -> dict[str, int]:
    cur = await conn.execute(
        "SELECT (SELECT max(version) FROM board_schema),"
        " (SELECT count(*) FROM procrastinate_workers"
        "   WHERE last_heartbeat > now() - make_interval(secs => %s)),"
        " (SELECT count(*) FROM runs WHERE status = 'queued')", (fresh_s,))
    schema, workers, queued = await cur.fetchone()
    return {"schema": int(schema or 0), "workers": int(workers), "queued": int(queued)}
