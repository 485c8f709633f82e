"""The board's HTTP service: a FastAPI app with the JSON API, the web pages and /healthz.

The API never trusts a client: a replay is size-checked before it is read, decoded and
bounded before it is stored, and ranks only after a worker re-simulated it. Errors are
JSON `{"error": {"code": ..., "message": ...}}` with a stable code per kind of refusal
(docs/online.md lists them). OpenAPI is served at /openapi.json, the explorer at /docs.
"""

from __future__ import annotations

import json
import secrets
import time
from contextlib import asynccontextmanager
from typing import Annotated, Any

import anyio
import procrastinate
from fastapi import FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from psycopg_pool import AsyncConnectionPool
from pydantic import BaseModel, Field

from command_game.online import store
from command_game.online.board_cache import BoardCache
from command_game.online.jobs import app as job_app
from command_game.online.limits import Limits
from command_game.speedrun.replay import HEADER, MAGIC, ReplayData, ReplayError, decode
from command_game.speedrun.store import clean_player
from command_game.speedrun.timing import CATEGORY_NAMES, format_time, parse_category


class BoardError(Exception):
    """A refusal the client is told about: HTTP status, a stable code, a sentence."""

    def __init__(self, status: int, code: str, message: str, **extra: Any):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


class Registration(BaseModel):
    name: str = Field(min_length=1, max_length=200, description="shown on the board")


def error_response(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    headers = {"Retry-After": "60"} if status == 429 else None
    return JSONResponse({"error": {"code": code, "message": message, **extra}}, status,
                        headers=headers)


class ServerTiming:
    """Adds `Server-Timing: app;dur=MS` (W3C) to every answer: how long the app took from
    the request's arrival to its answer, so a client or a benchmark can tell the server's
    time from the network's and its own. Plain ASGI: a few microseconds a request."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()

        async def timed_send(message):
            if message["type"] == "http.response.start":
                took = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
                message["headers"] = [*message.get("headers", ()),
                                      (b"server-timing", took.encode())]
            await send(message)

        await self.app(scope, receive, timed_send)


def create_app(database_url: str, limits: Limits | None = None) -> FastAPI:
    from command_game.online.pages import LevelNames, add_pages

    limits = limits or Limits()
    names = LevelNames()  # the pages' level and objective titles, read once at start

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        pool = AsyncConnectionPool(database_url, min_size=2, max_size=20, open=False,
                                   kwargs={"autocommit": False})
        await pool.open(wait=True, timeout=30)
        app.state.board_cache = BoardCache(database_url)
        await app.state.board_cache.start()
        await anyio.to_thread.run_sync(names.load)
        with job_app.replace_connector(procrastinate.PsycopgConnector()):
            async with job_app.open_async(pool):
                app.state.pool = pool
                yield
        await app.state.board_cache.stop()
        await pool.close()

    app = FastAPI(title="Kamtibmas community board", version="1",
                  description="Every run on this board is a replay the server re-simulated.",
                  lifespan=lifespan)
    app.state.limits = limits

    @app.exception_handler(BoardError)
    async def _board_error(_request: Request, exc: BoardError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())) or "request"
        return error_response(422, "bad_request", f"{where}: {first.get('msg', 'invalid')}")

    app.add_middleware(ServerTiming)
    _routes(app, limits)
    add_pages(app, names)
    return app


def _routes(app: FastAPI, limits: Limits) -> None:
    @app.get("/healthz", tags=["service"])
    async def healthz(request: Request) -> dict[str, Any]:
        async with request.app.state.pool.connection() as conn:
            return {"status": "ok", **await store.health(conn)}

    @app.post("/api/players", status_code=201, tags=["players"])
    async def register(body: Registration, request: Request) -> dict[str, Any]:
        """Registers a name; the token in the answer is shown once and signs submissions."""
        if not body.name.strip():
            raise BoardError(422, "name_empty", "a player name needs at least one letter")
        name = clean_player(body.name)[: limits.max_name_chars]
        token = secrets.token_urlsafe(32)
        address = request.client.host if request.client else ""
        async with request.app.state.pool.connection() as conn, conn.transaction():
            if await store.recent_registrations(conn, address) >= \
                    limits.registrations_per_hour:
                raise BoardError(429, "registrations_limited", "too many names registered "
                                 "from your address this hour; try again later")
            player = await store.add_player(conn, name, token, address)
        if player is None:
            raise BoardError(409, "name_taken", f"the name '{name}' is taken (names are "
                             "unique whatever their case); choose another")
        return {"player_id": player.id, "name": player.name, "token": token,
                "page": f"/players/{player.name}"}

    @app.post("/api/runs", status_code=202, tags=["runs"], openapi_extra={
        "requestBody": {"content": {
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "replay": {"type": "string", "format": "binary"}}}}}}})
    async def submit(request: Request,
                     authorization: Annotated[str, Header()] = "") -> dict[str, Any]:
        """Queues a replay (.kmrp, as the body or as the multipart field 'replay') for
        verification. Header: `Authorization: Bearer TOKEN`."""
        pool = request.app.state.pool
        async with pool.connection() as conn:
            player = await _player_of(conn, authorization)
        data = await _read_replay(request, limits)
        replay = await anyio.to_thread.run_sync(_decode, data, limits)
        async with pool.connection() as conn, conn.transaction():
            if await store.recent_submissions(conn, player) >= limits.submissions_per_minute:
                raise BoardError(429, "rate_limited",
                                 f"at most {limits.submissions_per_minute} submissions a "
                                 "minute per player; try again in a minute")
            run_id, new = await store.add_run(conn, player, replay, data)
            if not new:
                raise BoardError(409, "duplicate_run", f"this run is already on the board "
                                 f"as run {run_id}", run_id=run_id, url=f"/api/runs/{run_id}")
            await job_app.configure_task("verify_run", connection=conn).defer_async(
                run_id=run_id)
        return {"run_id": run_id, "status": "queued", "identity": replay.run_identity(),
                "url": f"/api/runs/{run_id}", "page": f"/runs/{run_id}"}

    @app.get("/api/runs/{run_id}", tags=["runs"])
    async def run_status(run_id: int, request: Request) -> dict[str, Any]:
        """A run: status (queued, verified, rejected with the reason), claims, ranks."""
        async with request.app.state.pool.connection() as conn:
            run = await store.get_run(conn, run_id)
            if run is None:
                raise BoardError(404, "run_not_found", f"there is no run {run_id}")
            ranks = {}
            if run["status"] == "verified":
                ranks = {CATEGORY_NAMES[cat]: rank for cat, rank
                         in (await store.ranks_of(conn, run)).items() if rank is not None}
        return run_json(run) | {"ranks": ranks, "profile": run["profile"]}

    @app.get("/api/runs/{run_id}/replay", tags=["runs"],
             response_class=Response, responses={200: {"content": {
                 "application/octet-stream": {}}}})
    async def run_replay(run_id: int, request: Request) -> Response:
        """The replay file exactly as submitted: anyone can verify it again at home."""
        async with request.app.state.pool.connection() as conn:
            found = await store.get_replay(conn, run_id)
        if found is None:
            raise BoardError(404, "run_not_found", f"there is no run {run_id}")
        _level, data = found  # the level id is the client's text: kept out of the header
        return Response(data, media_type="application/octet-stream", headers={
            "Content-Disposition": f'attachment; filename="run{run_id}.kmrp"'})

    @app.get("/api/boards/{level}", tags=["boards"])
    async def board(level: str, request: Request,
                    category: Annotated[str, Query(max_length=16)] = "Any%",
                    seed: Annotated[int | None, Query(ge=0, lt=2**63)] = None,
                    player: Annotated[str | None, Query(max_length=200)] = None,
                    limit: Annotated[int, Query(ge=1, le=200)] = 50,
                    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Response:
        """Verified runs of a level in a category, one per player, fastest first; with
        `player`, that player's own entry too (wherever it ranks). Served from memory
        until a worker verifies a run of that level."""
        cat = _category(category)
        cache = request.app.state.board_cache
        key = (level, cat, seed, limit, offset, store.name_key(player) if player else None)
        body = cache.get(key)
        if body is None:
            async with cache.lock(key):
                body = cache.get(key)
                if body is None:
                    body = await _board_body(request, key)
        return Response(body, media_type="application/json")

    async def _board_body(request: Request, key: tuple) -> bytes:
        level, cat, seed, limit, offset, player = key
        generation = request.app.state.board_cache.generation
        async with request.app.state.pool.connection() as conn:
            rows, mine, total = await store.board(conn, level, cat, seed, limit, offset,
                                                  player)
        body = json.dumps({"level": level, "category": CATEGORY_NAMES[cat], "seed": seed,
                           "players_ranked": total, "runs": [board_json(r) for r in rows],
                           "player": board_json(mine) if mine else None},
                          ensure_ascii=False).encode("utf-8")
        request.app.state.board_cache.put(key, body, generation)
        return body

    @app.get("/api/players/{name:path}", tags=["players"])
    async def player_page(name: str, request: Request) -> dict[str, Any]:
        async with request.app.state.pool.connection() as conn:
            player = await store.player_by_name(conn, name)
            if player is None:
                raise BoardError(404, "player_not_found", "there is no player of that name")
            runs = await store.player_runs(conn, player)
        return {"name": player.name, "runs": [run_json(r) for r in runs]}

    @app.get("/api/levels", tags=["boards"])
    async def level_list(request: Request) -> dict[str, Any]:
        async with request.app.state.pool.connection() as conn:
            return {"levels": await store.levels(conn)}


async def _player_of(conn, authorization: str) -> store.Player:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise BoardError(401, "token_missing", "send your player token as "
                         "'Authorization: Bearer TOKEN' (register a name to get one)")
    player = await store.player_by_token(conn, token.strip())
    if player is None:
        raise BoardError(401, "token_unknown", "this player token is not registered here")
    if player.banned_reason is not None:
        raise BoardError(403, "player_banned", f"the board's moderators banned this player: "
                         f"{player.banned_reason}")
    return player


async def _read_replay(request: Request, limits: Limits) -> bytes:
    """The replay's bytes, refusing more than the limit without reading past it."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limits.max_replay_bytes + 4096:
        raise _too_large(int(declared), limits)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=4,
                                  max_part_size=limits.max_replay_bytes + 1)
        upload = form.get("replay")
        if upload is None or isinstance(upload, str):
            raise BoardError(422, "replay_missing", "the multipart form has no file 'replay'")
        data = await upload.read(limits.max_replay_bytes + 1)
    else:
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limits.max_replay_bytes:
                raise _too_large(size, limits)
            chunks.append(chunk)
        data = b"".join(chunks)
    if len(data) > limits.max_replay_bytes:
        raise _too_large(len(data), limits)
    return data


def _too_large(size: int, limits: Limits) -> BoardError:
    return BoardError(413, "replay_too_large", f"the replay is {size} bytes; the limit is "
                      f"{limits.max_replay_bytes}", limit=limits.max_replay_bytes)


def _decode(data: bytes, limits: Limits) -> ReplayData:
    """Header first: a replay that would inflate past the limit is never inflated."""
    if len(data) >= HEADER.size and data.startswith(MAGIC):
        json_size = HEADER.unpack_from(data)[4]
        if json_size > limits.max_json_bytes:
            raise BoardError(413, "replay_inflates_too_large", f"the replay would inflate "
                             f"to {json_size} bytes; the limit is {limits.max_json_bytes}")
    try:
        replay = decode(data, "replay")
    except ReplayError as exc:
        raise BoardError(400, "bad_replay", str(exc), reason=exc.key) from None
    if replay.final_tick > limits.max_ticks:
        raise BoardError(422, "run_too_long", f"the run lasts {replay.final_tick} ticks; the "
                         f"board takes runs up to {limits.max_ticks}", limit=limits.max_ticks)
    return replay


def _category(text: str) -> str:
    try:
        return parse_category(text)
    except ValueError as exc:
        raise BoardError(422, "unknown_category", str(exc)) from None


def _splits(splits: list) -> list[dict[str, Any]]:
    return [{"objective": obj, "tick": tick, "time": format_time(tick / 60)}
            for obj, tick in splits]


def board_json(row: dict) -> dict[str, Any]:
    return {"rank": row["rank"], "run_id": row["id"], "player": row["player"],
            "time": format_time(row["game_ticks"] / 60), "time_s": row["game_ticks"] / 60,
            "ticks": row["game_ticks"], "real_time_s": row["real_time_s"],
            "splits": _splits(row["splits"]), "seed": row["seed"],
            "recorded_at": row["recorded_at"], "level_digest": row["level_digest"]}


def run_json(run: dict) -> dict[str, Any]:
    return {"run_id": run["id"], "status": run["status"], "reason": run["reason"],
            "reason_key": run["reason_key"], "divergence_tick": run["divergence_tick"],
            "player": run["player"], "level": run["level_id"],
            "level_digest": run["level_digest"], "seed": run["seed"],
            "game_version": run["game_version"], "outcome": run["outcome"],
            "categories": [CATEGORY_NAMES[c] for c in run["categories"]],
            "time": format_time(run["game_ticks"] / 60), "ticks": run["game_ticks"],
            "real_time_s": run["real_time_s"], "splits": _splits(run["splits"]),
            "recorded_at": run["recorded_at"],
            "submitted_at": run["submitted_at"].isoformat(),
            "verified_at": run["verified_at"].isoformat() if run["verified_at"] else None}
