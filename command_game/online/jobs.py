"""Verification jobs: procrastinate tasks that workers run, on any machine that reaches
the database.

A submission inserts its run and defers its `verify_run` job in one transaction, so a run
is never stored without its job nor a job queued for a run that was rolled back. A
worker takes a job with `SELECT ... FOR UPDATE SKIP LOCKED` (procrastinate), so two
workers never take the same one. Each worker sends a heartbeat; a worker that dies
mid-job (SIGKILL, power cut) stops sending it, and any other worker's stall watcher puts
its job back in the queue. The run's status changes only from 'queued', in the same
transaction that closes the attempt, so a retried job can never put a run on the board
twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
from typing import Any

import procrastinate
import psycopg
from psycopg.types.json import Jsonb

from command_game.online.board_cache import CHANNEL
from command_game.online.profile import profile_of
from command_game.speedrun.replay import ReplayError, decode
from command_game.speedrun.verify import LevelIndex, Verdict, verify_replay

log = logging.getLogger(__name__)

QUEUE = "verify"
URL_ENV = "KAMTIBMAS_BOARD_DATABASE_URL"  # how workers get the URL (not argv: ps shows it)
app = procrastinate.App(connector=procrastinate.PsycopgConnector())
_levels: LevelIndex | None = None  # one per worker process: the levels it can check against


def _level_index() -> LevelIndex:
    global _levels
    if _levels is None:
        _levels = LevelIndex()
    return _levels


def database_url() -> str:
    url = os.environ.get(URL_ENV, "")
    if not url:
        raise RuntimeError(f"set {URL_ENV} to the board's database URL")
    return url


@app.task(name="verify_run", queue=QUEUE, pass_context=True,
          retry=procrastinate.RetryStrategy(max_attempts=10, wait=2))
def verify_run(context: procrastinate.JobContext, run_id: int) -> str:
    """Re-simulates one submitted run and writes its verdict; returns the new status."""
    worker = f"{socket.gethostname()}:{os.getpid()}"
    url = database_url()
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT status, replay FROM runs WHERE id = %s",
                           (run_id,)).fetchone()
        if row is None or row[0] != "queued":
            return row[0] if row else "missing"
        attempt = conn.execute(
            "INSERT INTO verifications (run_id, job_id, worker) VALUES (%s, %s, %s) "
            "RETURNING id", (run_id, context.job.id, worker)).fetchone()[0]
        conn.commit()
    # no connection is held while simulating: a long run outlives a database restart
    verdict, profile = check(bytes(row[1]), f"run {run_id}")
    status = "verified" if verdict.valid else "rejected"
    with psycopg.connect(url) as conn, conn.transaction():
        changed = conn.execute(
            "UPDATE runs SET status = %s, reason_key = %s, reason = %s,"
            " divergence_tick = %s, profile = %s, verified_at = now()"
            " WHERE id = %s AND status = 'queued'",
            (status, "" if verdict.valid else verdict.key,
             "" if verdict.valid else verdict.message, verdict.divergence_tick,
             Jsonb(profile) if profile is not None else None, run_id)).rowcount
        conn.execute("UPDATE verifications SET finished_at = now(), outcome = %s "
                     "WHERE id = %s", (status if changed else "superseded", attempt))
        if changed and verdict.valid:  # API processes drop that level's cached boards
            conn.execute("SELECT pg_notify(%s, level_id) FROM runs WHERE id = %s"
                         " AND categories <> '{}'", (CHANNEL, run_id))  # (if it can rank)
    return status


def check(data: bytes, name: str) -> tuple[Verdict, dict[str, Any] | None]:
    """The speedrun module's verification, as the local board uses it: nothing else decides
    whether a run is real. The server checks against its own levels only. With the verdict
    comes the verified run's profile for its page, read from the same simulation."""
    try:
        replay = decode(data, name)
    except ReplayError as exc:
        return Verdict(name, False, exc.key, exc.params), None
    seen: list[dict[str, Any]] = []
    verdict = verify_replay(replay, name, _level_index(),
                            observe=lambda world: seen.append(profile_of(world)))
    return verdict, (seen[0] if verdict.valid and seen else None)


async def _watch_stalled(stalled_after: float) -> None:
    """Puts back in the queue the jobs of workers whose heartbeat stopped."""
    while True:
        await asyncio.sleep(max(0.2, stalled_after / 3))
        try:
            stalled = await app.job_manager.get_stalled_jobs(
                seconds_since_heartbeat=stalled_after)
            for job in stalled:
                with contextlib.suppress(procrastinate.exceptions.ConnectorException):
                    await app.job_manager.retry_job(job)  # another watcher may be first
                    log.warning("job %s of a stalled worker put back in the queue", job.id)
            await app.job_manager.prune_stalled_workers(stalled_after)
        except procrastinate.exceptions.ConnectorException:
            log.exception("stall watcher could not reach the database")


async def _exit_with_parent(parent: int) -> None:
    """A worker started by `board serve` stops (gracefully: SIGTERM to itself) when the
    service is gone, even if the service was killed and could not stop it."""
    while os.getppid() == parent:
        await asyncio.sleep(1.0)
    log.warning("board serve is gone; stopping after the job in hand")
    os.kill(os.getpid(), signal.SIGTERM)


async def run_worker_async(url: str, name: str | None = None, heartbeat: float = 2.0,
                           stalled_after: float = 10.0, with_parent: bool = False) -> None:
    """One worker: one job at a time (verification is CPU-bound; start more processes to
    go faster), until SIGINT or SIGTERM, after finishing the job in hand."""
    os.environ[URL_ENV] = url
    connector = procrastinate.PsycopgConnector(conninfo=url)
    with app.replace_connector(connector):
        async with app.open_async():
            watcher = asyncio.create_task(_watch_stalled(stalled_after))
            orphan = asyncio.create_task(_exit_with_parent(os.getppid())) if with_parent \
                else None
            try:
                await app.run_worker_async(
                    queues=[QUEUE], name=name or f"verify-{os.getpid()}", concurrency=1,
                    update_heartbeat_interval=heartbeat, stalled_worker_timeout=stalled_after,
                    fetch_job_polling_interval=1.0)
            finally:
                for side in (watcher, orphan):
                    if side is not None:
                        side.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await side


def run_worker(url: str, nice: int = 0, **kwargs: Any) -> None:
    """`nice` lowers this process's CPU priority first: verification is batch work, and on
    a machine that also runs the API a board read should not wait behind a simulation."""
    logging.basicConfig(level=os.environ.get("KAMTIBMAS_BOARD_LOG", "INFO"),
                        format="%(asctime)s %(name)s %(message)s")
    if nice > 0:
        os.nice(nice)
    asyncio.run(run_worker_async(url, **kwargs))
