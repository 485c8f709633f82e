"""`command-game board serve`: the whole board on one machine, in one command.

Order of start: the database (a private cluster unless a URL is given), its migrations,
N worker processes, then the API; /healthz answers once the API listens, which is after
the database is ready. Ctrl+C (or SIGTERM) stops them in the reverse order: the API stops
taking requests, each worker finishes the job in hand, then the database shuts down. The
children run in their own process groups, so Ctrl+C reaches only this supervisor, which
stops them in that order.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass

from command_game.online.cluster import PrivateCluster, default_cluster_dir
from command_game.online.jobs import URL_ENV
from command_game.online.limits import Limits
from command_game.online.migrations import migrate


@dataclass(frozen=True)
class WorkerOptions:
    heartbeat: float = 2.0  # seconds between a worker's heartbeats
    stalled_after: float = 10.0  # a worker silent this long is dead; its job is retried
    nice: int = 10  # below the API's priority: reads stay quick while workers simulate


def start_worker(url: str, options: WorkerOptions = WorkerOptions(),
                 name: str | None = None, env: dict[str, str] | None = None
                 ) -> subprocess.Popen:
    """One worker process (`command-game board worker`); the URL goes by environment, so
    the database password never shows in a process list."""
    args = [sys.executable, "-m", "command_game", "board", "worker",
            "--heartbeat", str(options.heartbeat),
            "--stalled-after", str(options.stalled_after), "--nice", str(options.nice),
            "--exit-with-parent"]
    if name:
        args += ["--name", name]
    return subprocess.Popen(args, env={**(env or os.environ), URL_ENV: url},
                            start_new_session=True)


class WorkerPool:
    """N worker processes kept alive: one that dies (killed, out of memory) is replaced
    within a second, and its job goes back in the queue once its heartbeat is stale."""

    def __init__(self, url: str, count: int, options: WorkerOptions):
        self.url, self.options = url, options
        self.procs = [start_worker(url, options, f"verify-{i + 1}") for i in range(count)]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="worker-pool", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(1.0):
            for i, proc in enumerate(self.procs):
                if proc.poll() is not None and not self._stop.is_set():
                    print(f"worker verify-{i + 1} exited ({proc.returncode}); starting "
                          "another", flush=True)
                    self.procs[i] = start_worker(self.url, self.options, f"verify-{i + 1}")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        stop_workers(self.procs)


def stop_workers(procs: list[subprocess.Popen], timeout: float = 30.0) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def serve(database_url: str | None = None, workers: int = 2, host: str = "127.0.0.1",
          port: int = 8765, limits: Limits | None = None,
          options: WorkerOptions = WorkerOptions()) -> int:
    import uvicorn

    from command_game.online.api import create_app

    cluster = None
    pool: WorkerPool | None = None
    try:
        if database_url is None:
            cluster = PrivateCluster(default_cluster_dir())
            database_url = cluster.start()
            print(f"database: private PostgreSQL cluster in {cluster.root} "
                  f"(127.0.0.1:{cluster.port})", flush=True)
        applied = migrate(database_url)
        if applied:
            print("schema: applied " + "; ".join(applied), flush=True)
        pool = WorkerPool(database_url, workers, options)
        print(f"board: http://{host}:{port}/ with {workers} worker(s); Ctrl+C stops it",
              flush=True)
        config = uvicorn.Config(create_app(database_url, limits), host=host, port=port,
                                log_level="warning", lifespan="on")
        with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises Ctrl+C after
            uvicorn.Server(config).run()  # its graceful shutdown; ours follows below
    finally:
        if pool is not None:
            pool.stop()
        if cluster is not None:
            cluster.stop()
    print("board: stopped", flush=True)
    return 0
