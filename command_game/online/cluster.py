"""A private PostgreSQL cluster for `command-game board serve` on one machine.

It is made from the system's server binaries (Debian: the `postgresql` package) in the
user data directory the first time, listens on 127.0.0.1 only (no Unix socket, so no
system directory is needed) and asks for a password that only this user can read. The
server runs as a child of the board service and stops with it.

PostgreSQL refuses to run as root. When the board is started by root, the cluster's files
belong to the unprivileged `postgres` system user (created by the Debian package) and the
server is started as that user; if that user cannot reach the user data directory (root's
home is private), the cluster lives under /var/lib/kamtibmas instead.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import secrets
import shutil
import socket
import stat
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from command_game.storage import atomic_write_text
from command_game.userdata import data_dir

SERVICE_USER = "postgres"  # who runs the server when the board is started by root
DATABASE = "kamtibmas_board"
ROLE = "kamtibmas"
ROOT_FALLBACK = Path("/var/lib/kamtibmas")


class ClusterError(RuntimeError):
    """The private cluster cannot be made or started; the message says what to install."""


def server_bin_dir() -> Path:
    """The newest installed PostgreSQL server binaries (KAMTIBMAS_PG_BIN overrides)."""
    override = os.environ.get("KAMTIBMAS_PG_BIN")
    candidates = [Path(override)] if override else []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                         key=lambda p: _version_key(p.parent.name), reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "postgres").exists():
            return folder
    raise ClusterError("no PostgreSQL server binaries found (initdb, postgres): install the "
                       "Debian package 'postgresql', or pass --database-url of a running server")


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in name.split(".") if p.isdigit())


def _service_uid() -> tuple[int, int] | None:
    """(uid, gid) to run the server as, or None to run it as ourselves."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(SERVICE_USER)
    except KeyError:
        raise ClusterError(f"PostgreSQL cannot run as root and there is no '{SERVICE_USER}' "
                           "user: install the 'postgresql' package or run as another "
                           "user") from None
    return entry.pw_uid, entry.pw_gid


def _reachable(folder: Path, uid: int, gid: int) -> bool:
    """Can that user walk down to `folder` (search permission on every ancestor)?"""
    for part in [folder, *folder.parents]:
        if not part.exists():
            continue
        st = part.stat()
        if st.st_uid == uid:
            ok = st.st_mode & stat.S_IXUSR
        elif st.st_gid == gid:
            ok = st.st_mode & stat.S_IXGRP
        else:
            ok = st.st_mode & stat.S_IXOTH
        if not ok:
            return False
    return True


def default_cluster_dir() -> Path:
    """Where `board serve` keeps its database without --database-url."""
    base = data_dir() / "board-postgres"
    ids = _service_uid()
    if ids is None or _reachable(base.parent, *ids):
        return base
    digest = hashlib.sha256(str(base.resolve()).encode()).hexdigest()[:12]
    return ROOT_FALLBACK / f"board-{digest}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PrivateCluster:
    """One data directory and, while started, the server process serving it."""

    root: Path
    port: int = 0
    process: subprocess.Popen | None = None

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def password_file(self) -> Path:
        return self.root / "password"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    def url(self) -> str:
        password = self.password_file.read_text("utf-8").strip()
        return f"postgresql://{ROLE}:{password}@127.0.0.1:{self.port}/{DATABASE}"

    def _owner(self, path: Path) -> None:
        ids = _service_uid()
        if ids is not None:
            os.chown(path, *ids)

    def _run(self, args: list[str], **kwargs) -> subprocess.Popen:
        ids = _service_uid()
        user = {} if ids is None else {"user": ids[0], "group": ids[1], "extra_groups": []}
        return subprocess.Popen(args, cwd=self.root, **user, **kwargs)

    def initialise(self) -> None:
        """initdb once: a cluster with one password-protected role, local TCP only."""
        if (self.data / "PG_VERSION").exists():
            return
        bins = server_bin_dir()
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o711)
        self._owner(self.root)
        if not self.password_file.exists():
            atomic_write_text(self.password_file, secrets.token_urlsafe(24) + "\n")
        os.chmod(self.password_file, 0o600)
        self._owner(self.password_file)
        if self.data.exists():
            shutil.rmtree(self.data)  # a half-made cluster from an interrupted initdb
        proc = self._run([str(bins / "initdb"), "-D", str(self.data), "-U", ROLE,
                          "--auth=scram-sha-256", f"--pwfile={self.password_file}",
                          "-E", "UTF8", "--locale=C.UTF-8"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        out, _ = proc.communicate(timeout=300)
        if proc.returncode != 0:
            raise ClusterError(f"initdb failed in {self.data}:\n{out[-2000:]}")

    def start(self, timeout: float = 60.0) -> str:
        """Starts the server on a free loopback port; returns the database URL."""
        import psycopg

        self.initialise()
        bins = server_bin_dir()
        self._stop_leftover(bins)
        self.port = self.port or free_port()
        log = open(self.log_file, "ab")  # noqa: SIM115 - the server writes it while it runs
        self._owner(self.log_file)
        self.process = self._run(
            [str(bins / "postgres"), "-D", str(self.data), "-p", str(self.port),
             "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
             "-c", "max_connections=200"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        admin = self.url().rsplit("/", 1)[0] + "/postgres"
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise ClusterError(f"PostgreSQL exited at start; see {self.log_file}:\n"
                                   + self.log_file.read_text("utf-8", "replace")[-2000:])
            try:
                with psycopg.connect(admin, connect_timeout=2, autocommit=True) as conn:
                    exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                          (DATABASE,)).fetchone()
                    if not exists:
                        conn.execute(f'CREATE DATABASE "{DATABASE}"')
                return self.url()
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise ClusterError(f"PostgreSQL did not answer in {timeout:.0f} s; "
                                       f"see {self.log_file}") from None
                time.sleep(0.2)

    def _stop_leftover(self, bins: Path) -> None:
        """A server left running by a board that was killed (its lock file names a live
        process) would refuse this start: shut it down cleanly first."""
        if not (self.data / "postmaster.pid").exists():
            return
        proc = self._run([str(bins / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w",
                          "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        proc.wait(60)

    def stop(self, timeout: float = 30.0) -> None:
        """Fast shutdown (SIGINT): open sessions end, committed data is safe."""
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(2)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
