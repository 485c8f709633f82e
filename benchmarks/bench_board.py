"""The community board under load, on localhost only: submissions, verification, reads.

A private PostgreSQL cluster, the API (`command-game board serve --workers 0`) and worker
processes (`command-game board worker`, at serve's default lower priority) run here. N
client threads submit M distinct real replays (the autopilot on a campaign level, 40 s of
game time each) at once, with 1 worker and then, on an emptied board, with 2, in the same
run and ROUNDS times over; each worker has verified a warm-up run first (its first run of
a level builds the flow fields once), so what is timed is a running service. Printed:
submissions accepted per second, verification throughput (runs a minute, game seconds
verified per wall second), the 2/1 worker ratio (target >= 1.7x), lost or duplicated runs
(target 0), the workers' CPU time per verified run and how many cores the workers, the
API, the database, the clients and everything else on the machine kept busy, and
board-read latency p50/p99 with 50 concurrent readers (target p99 < 50 ms) on an idle
service and while 2 workers verify.

Everything is bounded: fixed counts, and every wait has a deadline. The machine's 2 cores
may be shared with other people's work (the `others` column says how much), so the ratios
are noisy; the numbers are what this run saw.
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
RUNS = 24
WARMUPS = 6  # extra replays, verified before the clock starts until every worker is warm
RUN_TICKS = 2400
ROUNDS = int(os.environ.get("BENCH_BOARD_ROUNDS", "2"))  # 1 then 2 workers, this many times
NICE = int(os.environ.get("BENCH_BOARD_NICE", "10"))  # the workers' priority (serve's default)
READERS = 50
READS_EACH = 20
TARGET_P99_MS = 50.0
TARGET_SCALING = 1.7
DEADLINE_S = 240.0
BOARD_READ = "/api/boards/singkawang?category=Any%25&limit=50"
MEASURED = "level_digest <> repeat('0', 64)"  # the submitted runs, not the seeded board
CLK_TCK = os.sysconf("SC_CLK_TCK")


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
    while sql(f"SELECT count(*) FROM runs WHERE status <> 'queued' AND {MEASURED}"
              )[0][0] < count:
        if time.monotonic() > deadline:
            raise SystemExit("bench_board: verification did not finish in time")
        time.sleep(0.1)


def _cpu_s(pids: list[int]) -> float:
    """CPU seconds (user + system) these processes have used so far (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / CLK_TCK


def _children(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _machine_busy_s() -> float:
    """CPU seconds the whole machine (every core, everyone's processes) has been busy."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / CLK_TCK  # all but idle and iowait


def _load() -> str:
    return "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])


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


class Bench:
    """The service under test and one phase of the benchmark at a time."""

    def __init__(self, url: str, port: int, api_pid: int, db_pid: int, env: dict,
                 replays: list[bytes]):
        import psycopg

        self.url, self.port, self.env, self.replays = url, port, env, replays
        self.api_pid, self.db_pid = api_pid, db_pid
        self.conn = psycopg.connect(url, autocommit=True)

    def sql(self, query: str, *args):
        cur = self.conn.execute(query, args or None)
        return cur.fetchall() if cur.description else []

    def reset(self) -> None:
        """An empty queue and the seeded board only (the phase's players stay), once every
        worker has closed its last job (a run's verdict commits just before its job does)."""
        deadline = time.monotonic() + 30
        while self.sql("SELECT count(*) FROM procrastinate_jobs"
                       " WHERE status IN ('todo', 'doing')")[0][0]:
            if time.monotonic() > deadline:
                raise SystemExit("bench_board: a job stayed open")
            time.sleep(0.05)
        self.sql("TRUNCATE verifications, procrastinate_jobs CASCADE")
        self.sql(f"DELETE FROM runs WHERE {MEASURED}")

    def warm(self, procs, token: str) -> bool:
        """Verifies warm-up runs until every worker has done one (its first run builds the
        level's flow fields, about a second, which a worker that runs for days pays once),
        then takes them off the board. False if some worker stayed cold."""
        from command_game.online.client import BoardClient

        client = BoardClient(f"http://127.0.0.1:{self.port}", timeout=30)
        pids = {str(p.pid) for p in procs}
        warm: set[str] = set()
        sent = 0
        while warm != pids and sent < WARMUPS:
            batch = self.replays[RUNS + sent: RUNS + sent + len(pids - warm)]
            for data in batch:
                client.submit(data, token)
            sent += len(batch)
            _wait_verified(self.sql, sent)
            warm = {w.rsplit(":", 1)[1] for (w,) in self.sql("SELECT worker FROM verifications")}
        self.reset()
        return warm == pids

    def phase(self, workers: int, read: bool = False) -> dict:
        from command_game.online.client import BoardClient
        from command_game.online.service import WorkerOptions, start_worker, stop_workers

        self.reset()
        self.sql("DELETE FROM players WHERE name LIKE 'client%'")
        client = BoardClient(f"http://127.0.0.1:{self.port}")
        tag = f"{workers}-{time.monotonic_ns()}"
        tokens = [client.register(f"client{tag}-{i}")["token"] for i in range(CLIENTS + 1)]
        procs = [start_worker(self.url, WorkerOptions(nice=NICE), f"bench-{i}",
                              self.env)
                 for i in range(workers)]
        out: dict = {"workers": workers}
        try:
            out["warm"] = self.warm(procs, tokens[-1])
            db = [self.db_pid, *_children(self.db_pid)]
            mine = [os.getpid()]
            before = [_cpu_s([p.pid for p in procs]), _cpu_s([self.api_pid]), _cpu_s(db),
                      _cpu_s(mine), _machine_busy_s()]
            started = time.perf_counter()
            out["submit_s"] = _submit_all(self.port, tokens[:CLIENTS], self.replays[:RUNS])
            if read:
                out["reads"] = _reads(self.port)
            _wait_verified(self.sql, RUNS)
            wall = time.perf_counter() - started
            after = [_cpu_s([p.pid for p in procs]), _cpu_s([self.api_pid]),
                     _cpu_s([self.db_pid, *_children(self.db_pid)]), _cpu_s(mine),
                     _machine_busy_s()]
        finally:
            stop_workers(procs)
        used = [b - a for a, b in zip(before, after, strict=True)]
        out["cores"] = {"workers": used[0] / wall, "api": used[1] / wall,
                        "database": used[2] / wall, "clients": used[3] / wall,
                        "others": (used[4] - sum(used[:4])) / wall}
        out["worker_cpu_per_run"] = used[0] / RUNS
        (span, game_s), = self.sql(f"SELECT extract(epoch FROM max(verified_at) -"
                                   f" min(submitted_at)), sum(game_ticks) / 60.0 FROM runs"
                                   f" WHERE {MEASURED}")
        out["span"], out["game_s"] = float(span), float(game_s)
        out["lost"] = RUNS - self.sql(f"SELECT count(*) FROM runs WHERE {MEASURED}"
                                      " AND status <> 'queued'")[0][0]
        out["twice"] = self.sql("SELECT count(*) FROM (SELECT run_id FROM verifications"
                                " GROUP BY run_id HAVING count(*) > 1) d")[0][0]
        out["statuses"] = dict(self.sql(f"SELECT status, count(*) FROM runs WHERE {MEASURED}"
                                        " GROUP BY status"))
        return out


def _report(res: dict, label: str) -> None:
    w, span = res["workers"], res["span"]
    cores = ", ".join(f"{k} {v:.2f}" for k, v in res["cores"].items())
    print(f"board_{w}worker{label} submissions {RUNS / res['submit_s']:.1f} accepted/s "
          f"({CLIENTS} clients, {RUNS} replays in {res['submit_s']:.2f} s)")
    print(f"board_{w}worker{label} verification {RUNS / span * 60:.1f} runs/min, "
          f"{res['game_s'] / span:.1f} game-s per wall-s ({span:.1f} s for {RUNS} runs, "
          f"{res['statuses']}); lost {res['lost']}, verified twice {res['twice']} "
          f"(target 0, 0){'' if res['warm'] else '; a worker was still cold'}")
    print(f"board_{w}worker{label} cpu {res['worker_cpu_per_run'] * 1000:.0f} ms of worker "
          f"CPU per verified run; cores busy: {cores} (of {os.cpu_count()})")


def _report_reads(label: str, lat: list[float], app_s: list[float]) -> None:
    print(f"board_reads {label}: p50 {_pct(lat, 0.5):.1f} ms, p99 {_pct(lat, 0.99):.1f} ms, "
          f"mean {statistics.mean(lat) * 1000:.1f} ms ({READERS} concurrent readers x "
          f"{READS_EACH}, 500-player board; target p99 < {TARGET_P99_MS:.0f} ms); inside "
          f"the app p50 {_pct(app_s, 0.5):.2f} ms, p99 {_pct(app_s, 0.99):.2f} ms")


def main() -> None:
    from command_game.online.cluster import PrivateCluster, free_port
    from command_game.online.jobs import URL_ENV
    from command_game.online.migrations import migrate

    print(f"board_machine {_load()} at the start, {os.cpu_count()} cores, workers at "
          f"nice {NICE}")
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
        made = time.perf_counter()
        replays = _replays(RUNS + WARMUPS)
        print(f"board_replays {RUNS + WARMUPS} real runs of {RUN_TICKS / 60:.0f} s game time "
              f"made in {time.perf_counter() - made:.1f} s")
        port = free_port()
        api = subprocess.Popen([sys.executable, "-m", "command_game", "board", "serve",
                                "--workers", "0", "--port", str(port),  # the URL: by env
                                "--per-minute", "100000",
                                "--registrations-per-hour", "100000"], env={**env, URL_ENV: url},
                               stdout=subprocess.DEVNULL)
        _wait_health(port, api)
        db_pid = int((cluster.data / "postmaster.pid").read_text().split()[0])
        bench = Bench(url, port, api.pid, db_pid, env, replays)
        _seed_board(bench.sql)
        idle = _reads(port)
        ratios = []
        for n in range(ROUNDS):
            one, two = bench.phase(1), bench.phase(2)
            _report(one, f" round{n + 1}")
            _report(two, f" round{n + 1}")
            ratios.append(one["span"] / two["span"])
            cores = two["cores"]["workers"] / one["cores"]["workers"]
            cost = two["worker_cpu_per_run"] / one["worker_cpu_per_run"]
            print(f"board_scaling round{n + 1} 2 workers / 1 worker = {ratios[-1]:.2f}x; "
                  f"the workers got {cores:.2f}x the CPU, and a run cost {cost:.2f}x the "
                  f"worker CPU ({_load()})")
        print(f"board_scaling 2 workers / 1 worker = {statistics.median(ratios):.2f}x median "
              f"of {ROUNDS} (each {', '.join(f'{r:.2f}x' for r in ratios)}; target >= "
              f"{TARGET_SCALING}x; the API idle while the workers verify)")
        during = bench.phase(2, read=True)
        _report(during, " with50readers")
        _report_reads("idle", *idle)
        _report_reads("while 2 workers verify", *during["reads"])
        print(f"board_machine {_load()} at the end")
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
