"""The community board under load, on localhost only: submissions, verification, reads.

A private PostgreSQL cluster, the API (`command-game board serve --workers 0`) and worker
processes (`command-game board worker`) run here. N client threads submit M distinct real
replays (the autopilot on a campaign level, 40 s of game time each) at once, first with 1
worker and then, on an emptied board, with 2. Printed: submissions accepted per second,
verification throughput (runs a minute, game seconds verified per wall second), the 2/1
worker ratio (target >= 1.7x), lost or duplicated runs (target 0), and board-read latency
p50/p99 with 50 concurrent readers (target p99 < 50 ms), measured both on an idle service
and while 2 workers verify.

Everything is bounded: fixed counts, and every wait has a deadline. The machine's 2 cores
are shared (clients, API, database, workers and, today, other people's work), so the
ratios are noisy; the numbers are what this run saw.
"""

from __future__ import annotations

import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

CLIENTS = 8
RUNS = 16
RUN_TICKS = 2400
READERS = 50
READS_EACH = 20
TARGET_P99_MS = 50.0
TARGET_SCALING = 1.7
DEADLINE_S = 240.0
BOARD_READ = "/api/boards/singkawang?category=Any%25&limit=50"


def _replays(count: int) -> list[bytes]:
    from command_game.level.catalog import campaign
    from command_game.sim.autopilot import play
    from command_game.sim.world import World
    from command_game.speedrun.record import replay_from_world
    from command_game.speedrun.replay import encode

    entry = campaign()[0]
    out = []
    for seed in range(count):
        world = play(World.from_level(entry.level, seed=seed), max_ticks=RUN_TICKS)
        out.append(encode(replay_from_world(entry.level, world, 1.0, "bench")))
    return out


def _wait_health(port: int, proc: subprocess.Popen) -> None:
    from command_game.online.client import BoardClient, BoardClientError

    client = BoardClient(f"http://127.0.0.1:{port}", timeout=2)
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise SystemExit("bench_board: the API did not start")
        try:
            client.health()
            return
        except BoardClientError:
            if time.monotonic() > deadline:
                raise SystemExit("bench_board: /healthz never answered") from None
            time.sleep(0.2)


def _submit_all(port: int, tokens: list[str], replays: list[bytes]) -> float:
    """N clients at once; returns the wall time until every submission was accepted."""
    from command_game.online.client import BoardClient

    errors: list[str] = []

    def client_job(index: int) -> None:
        client = BoardClient(f"http://127.0.0.1:{port}", timeout=30)
        for data in replays[index::CLIENTS]:
            try:
                client.submit(data, tokens[index])
            except Exception as exc:  # counted: a refused submission is a lost run
                errors.append(str(exc))

    threads = [threading.Thread(target=client_job, args=(i,)) for i in range(CLIENTS)]
    started = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    if errors:
        print(f"   {len(errors)} submissions refused, first: {errors[0]}")
    return time.perf_counter() - started


def _wait_verified(sql, count: int) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while sql("SELECT count(*) FROM runs WHERE status <> 'queued'"
              " AND level_digest <> repeat('0', 64)")[0][0] < count:
        if time.monotonic() > deadline:
            raise SystemExit("bench_board: verification did not finish in time")
        time.sleep(0.2)


def _reads(port: int) -> tuple[list[float], list[float]]:
    """READERS threads, each with its own keep-alive connection (opened before timing, as a
    browser or the game keeps one), READS_EACH board reads each, all at once."""
    latencies: list[float] = []
    in_app: list[float] = []  # the app's own time (its Server-Timing header)
    lock = threading.Lock()
    barrier = threading.Barrier(READERS)

    def reader() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", BOARD_READ)  # connected (keep-alive) and the board read once
        conn.getresponse().read()  # before the clock starts, as on a running service
        mine: list[float] = []
        server: list[float] = []
        barrier.wait()
        for _ in range(READS_EACH):
            started = time.perf_counter()
            conn.request("GET", BOARD_READ)
            resp = conn.getresponse()
            resp.read()
            mine.append(time.perf_counter() - started)
            timing = resp.getheader("Server-Timing", "app;dur=0")
            server.append(float(timing.rsplit("=", 1)[1]) / 1000)
            if resp.status != 200:
                raise RuntimeError(f"board read answered {resp.status}")
        conn.close()
        with lock:
            latencies.extend(mine)
            in_app.extend(server)

    threads = [threading.Thread(target=reader) for _ in range(READERS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return latencies, in_app


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _seed_board(sql_exec) -> None:
    """A board to read: 500 players' verified runs of the level (rows written directly;
    the read path is what is measured here, verification is measured separately)."""
    sql_exec("INSERT INTO players (name, name_key, token_hash) SELECT 'reader' || i,"
             " 'reader' || i, md5('reader' || i) FROM generate_series(1, 500) i")
    sql_exec("INSERT INTO runs (player_id, identity, status, level_id, level_digest, seed,"
             " game_version, outcome, categories, game_ticks, real_time_s, splits,"
             " real_splits, recorded_at, replay) SELECT p.id, md5('run' || p.id),"
             " 'verified', 'singkawang', repeat('0', 64), p.id, 'bench', 'won',"
             " ARRAY['any','cooling'], 9000 + (p.id * 37) % 3000, 200.0,"
             " '[[\"a\", 3000], [\"b\", 6000]]', '[]', '2026-12-01T00:00:00', ''::bytea"
             " FROM players p WHERE p.name LIKE 'reader%'")


def main() -> None:
    import psycopg

    from command_game.online.client import BoardClient
    from command_game.online.cluster import PrivateCluster, free_port
    from command_game.online.jobs import URL_ENV
    from command_game.online.migrations import migrate
    from command_game.online.service import WorkerTiming, start_worker, stop_workers

    root = Path(tempfile.mkdtemp(prefix="kmtb-bench-"))
    os.chmod(root, 0o711)
    home = root / "home"
    home.mkdir()
    env = {**os.environ, "COMMAND_GAME_HOME": str(home), "KAMTIBMAS_BOARD_LOG": "WARNING"}
    cluster = PrivateCluster(root / "pg")
    api = None
    try:
        url = cluster.start()
        migrate(url)

        def sql(query: str, *args):
            with psycopg.connect(url) as conn:
                return conn.execute(query, args).fetchall()

        def sql_exec(query: str) -> None:
            with psycopg.connect(url) as conn:
                conn.execute(query)

        made = time.perf_counter()
        replays = _replays(RUNS)
        print(f"board_replays {RUNS} real runs of {RUN_TICKS / 60:.0f} s game time made in "
              f"{time.perf_counter() - made:.1f} s")
        port = free_port()
        api = subprocess.Popen([sys.executable, "-m", "command_game", "board", "serve",
                                "--database-url", url, "--workers", "0", "--port", str(port),
                                "--per-minute", "100000",
                                "--registrations-per-hour", "100000"], env={**env, URL_ENV: url},
                               stdout=subprocess.DEVNULL)
        _wait_health(port, api)
        _seed_board(sql_exec)
        idle = _reads(port)
        throughput = {}
        during: tuple[list[float], list[float]] = ([], [])
        for workers in (1, 2):
            sql_exec("TRUNCATE verifications, procrastinate_jobs CASCADE;"
                     " DELETE FROM runs WHERE level_digest <> repeat('0', 64);"
                     " DELETE FROM players WHERE name LIKE 'client%'")
            client = BoardClient(f"http://127.0.0.1:{port}")
            tokens = [client.register(f"client{workers}-{i}")["token"] for i in range(CLIENTS)]
            procs = [start_worker(url, WorkerTiming(), f"bench-{i}", env)
                     for i in range(workers)]
            try:
                time.sleep(2.0)  # workers up (import, connect) before the clock starts
                submit_s = _submit_all(port, tokens, replays)
                if workers == 2:
                    during = _reads(port)
                _wait_verified(sql, RUNS)
            finally:
                stop_workers(procs)
            (span, game_s), = sql("SELECT extract(epoch FROM max(verified_at) -"
                                  " min(submitted_at)), sum(game_ticks) / 60.0 FROM runs"
                                  " WHERE level_digest <> repeat('0', 64)")
            span, game_s = float(span), float(game_s)
            throughput[workers] = RUNS / span
            lost = RUNS - sql("SELECT count(*) FROM runs WHERE level_digest <> repeat('0', 64)"
                              " AND status <> 'queued'")[0][0]
            dup = sql("SELECT count(*) FROM (SELECT run_id FROM verifications GROUP BY run_id"
                      " HAVING count(*) > 1) d")[0][0]
            statuses = dict(sql("SELECT status, count(*) FROM runs WHERE level_digest"
                                " <> repeat('0', 64) GROUP BY status"))
            print(f"board_{workers}worker submissions {RUNS / submit_s:.1f} accepted/s "
                  f"({CLIENTS} clients, {RUNS} replays in {submit_s:.2f} s)")
            print(f"board_{workers}worker verification {RUNS / span * 60:.1f} runs/min, "
                  f"{game_s / span:.1f} game-s per wall-s ({span:.1f} s for {RUNS} runs, "
                  f"{statuses}); lost {lost}, verified twice {dup} (target 0, 0)")
        ratio = throughput[2] / throughput[1]
        print(f"board_scaling 2 workers / 1 worker = {ratio:.2f}x (target >= "
              f"{TARGET_SCALING}x; 2 shared cores also run the API, PostgreSQL and the "
              "clients, so this is noisy)")
        for label, (lat, app_s) in (("idle", idle), ("while 2 workers verify", during)):
            if lat:
                print(f"board_reads {label}: p50 {_pct(lat, 0.5):.1f} ms, p99 "
                      f"{_pct(lat, 0.99):.1f} ms, mean {statistics.mean(lat) * 1000:.1f} ms "
                      f"({READERS} concurrent readers x {READS_EACH}, 500-player board; "
                      f"target p99 < {TARGET_P99_MS:.0f} ms); inside the app p50 "
                      f"{_pct(app_s, 0.5):.2f} ms, p99 {_pct(app_s, 0.99):.2f} ms")
    finally:
        if api is not None and api.poll() is None:
            api.send_signal(2)
            try:
                api.wait(30)
            except subprocess.TimeoutExpired:
                api.kill()
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
