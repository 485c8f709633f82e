"""The player's side of the board: their token per server, and the offline outbox.

Both are small JSON files in the user data directory, written atomically. The token file
is readable by its owner only. The outbox lists replays a submission could not deliver
(no network, server down, rate limit); `flush` sends them when the server answers, and
drops an entry once the server has given a final answer (queued, duplicate or refused).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from command_game.online.client import BoardClient, BoardClientError
from command_game.storage import atomic_write_text
from command_game.userdata import data_dir


def credentials_path() -> Path:
    return data_dir() / "board-players.json"


def outbox_path() -> Path:
    return data_dir() / "board-outbox.json"


def _read(path: Path, default: Any) -> Any:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return default


def _key(url: str) -> str:
    return url.rstrip("/")


def saved_player(url: str) -> dict[str, str] | None:
    """{'name', 'token'} registered on that server, if any."""
    entry = _read(credentials_path(), {}).get(_key(url))
    return entry if isinstance(entry, dict) and entry.get("token") else None


def save_player(url: str, name: str, token: str) -> None:
    doc = _read(credentials_path(), {})
    doc = doc if isinstance(doc, dict) else {}
    doc[_key(url)] = {"name": name, "token": token}
    atomic_write_text(credentials_path(), json.dumps(doc, indent=2) + "\n")
    os.chmod(credentials_path(), 0o600)


def ensure_player(client: BoardClient, name: str) -> dict[str, str]:
    """The saved registration for this server, registering `name` the first time."""
    found = saved_player(client.url)
    if found is not None:
        return found
    answer = client.register(name)
    save_player(client.url, answer["name"], answer["token"])
    return {"name": answer["name"], "token": answer["token"]}


@dataclass(frozen=True)
class Delivery:
    replay: str
    ok: bool  # the server has the run (new or already there)
    queued_offline: bool
    run_id: int | None = None
    message: str = ""


def queue_offline(url: str, replay: str | Path) -> None:
    entries = [e for e in _read(outbox_path(), []) if isinstance(e, dict)]
    item = {"url": _key(url), "replay": str(Path(replay).resolve())}
    if not any(e.get("url") == item["url"] and e.get("replay") == item["replay"]
               for e in entries):
        item["queued_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        entries.append(item)
        atomic_write_text(outbox_path(), json.dumps(entries, indent=2) + "\n")


def waiting(url: str | None = None) -> list[dict[str, str]]:
    entries = [e for e in _read(outbox_path(), []) if isinstance(e, dict)]
    return [e for e in entries if url is None or e.get("url") == _key(url)]


def submit(client: BoardClient, name: str, replay: str | Path) -> Delivery:
    """Sends one replay; if the server cannot take it now, keeps it in the outbox."""
    try:
        data = Path(replay).read_bytes()
    except OSError as exc:
        return Delivery(str(replay), False, False, message=f"{replay}: {exc.strerror or exc}")
    try:
        token = ensure_player(client, name)["token"]
        answer = client.submit(data, token)
        return Delivery(str(replay), True, False, answer["run_id"], answer["status"])
    except BoardClientError as exc:
        if exc.code == "duplicate_run":
            return Delivery(str(replay), True, False, exc.detail.get("run_id"), exc.message)
        if exc.retry_later:
            queue_offline(client.url, replay)
            return Delivery(str(replay), False, True, message=exc.message)
        return Delivery(str(replay), False, False, message=exc.message)


def flush(client: BoardClient, name: str) -> list[Delivery]:
    """Sends what waits for this server; stops at the first one that must wait again."""
    done: list[Delivery] = []
    for entry in waiting(client.url):
        result = submit(client, name, entry["replay"])
        if result.queued_offline:
            break
        done.append(result)
        _drop(entry)
    return done


def _drop(entry: dict[str, str]) -> None:
    entries = [e for e in _read(outbox_path(), []) if isinstance(e, dict)
               and (e.get("url"), e.get("replay")) != (entry.get("url"), entry.get("replay"))]
    atomic_write_text(outbox_path(), json.dumps(entries, indent=2) + "\n")


def submit_verified_run(url: str, name: str, replay: str | Path, run_id: int | None,
                        wait_s: float = 60.0) -> Delivery:
    """The debrief's Submit: waits for the local verification of the run (a run the game
    could not prove is never sent), then delivers it or keeps it in the outbox."""
    from command_game.speedrun import record

    record.wait_for_verification(wait_s)
    if run_id is not None:
        standing = record.standing(run_id)
        if standing.status != "valid":
            return Delivery(str(replay), False, False,
                            message=standing.note or standing.status)
    client = BoardClient(url, timeout=5.0)
    flush(client, name)
    return submit(client, name, replay)
