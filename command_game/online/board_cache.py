"""Board reads served from memory until the board changes.

Reads outnumber verifications by far, and a board changes only when a worker verifies a
run. The worker's verdict transaction sends `NOTIFY board_changed, '<level>'`, delivered
at commit; every API process LISTENs and drops that level's cached answers, so a run shows
as soon as it is verified and a read in between costs no query. If the listening
connection breaks, the cache is emptied and not used until it is listening again, and a
short time-to-live bounds staleness anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

import psycopg

log = logging.getLogger(__name__)

CHANNEL = "board_changed"
TTL_S = 10.0
MAX_ENTRIES = 2048


class BoardCache:
    def __init__(self, url: str):
        self.url = url
        self._entries: dict[tuple, tuple[float, bytes]] = {}
        self._locks: dict[tuple, asyncio.Lock] = {}
        self.listening = False
        self.generation = 0  # counts drops: an answer read before one is never kept
        self._task: asyncio.Task | None = None

    def get(self, key: tuple) -> bytes | None:
        if not self.listening:
            return None
        found = self._entries.get(key)
        if found is None or found[0] < time.monotonic():
            return None
        return found[1]

    def lock(self, key: tuple) -> asyncio.Lock:
        """One query per missing answer: readers of the same board wait for the first."""
        if len(self._locks) >= MAX_ENTRIES:
            self._locks = {k: v for k, v in self._locks.items() if v.locked()}
        return self._locks.setdefault(key, asyncio.Lock())

    def put(self, key: tuple, body: bytes, generation: int) -> None:
        if not self.listening or generation != self.generation:
            return
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()
        self._entries[key] = (time.monotonic() + TTL_S, body)

    def drop(self, level: str | None = None) -> None:
        self.generation += 1
        if level is None:
            self._entries.clear()
        else:
            for key in [k for k in self._entries if k[0] == level]:
                del self._entries[key]

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _listen(self) -> None:
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                        self.url, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self.drop()
                    self.listening = True
                    async for note in conn.notifies():
                        self.drop(note.payload or None)
            except psycopg.Error as exc:
                log.warning("board cache not listening (%s); reads go to the database", exc)
            finally:
                self.listening = False
                self.drop()
            await asyncio.sleep(1.0)
