"""Network calls off the UI thread: a screen starts one and polls it while it draws.

A board that is slow or down must never freeze the game, so every call a scene makes to
the server runs in a daemon thread (with the client's short timeout); the scene looks at
`done` each frame and shows the value or the error when it comes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class Background:
    def __init__(self, job: Callable[[], Any], name: str = "board-call"):
        self.value: Any = None
        self.error: Exception | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(job,), name=name, daemon=True)
        self._thread.start()

    def _run(self, job: Callable[[], Any]) -> None:
        try:
            self.value = job()
        except Exception as exc:  # shown to the player; the game goes on
            log.warning("board call failed: %s", exc)
            self.error = exc
        finally:
            self._done.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)
