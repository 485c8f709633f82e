"""A small text progress bar for batches on stderr (no tqdm dependency for one bar).

It redraws in place at most ten times a second, shows the speed as a multiple of real
time (simulated game seconds per wall-clock second), and stays silent when disabled so
scripts that read stderr get only the messages.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from command_game.speedrun.timing import TICK_RATE


class ProgressBar:
    def __init__(self, total_ticks: int, stream: TextIO | None = None, enabled: bool = True,
                 width: int = 28):
        self.total = max(1, total_ticks)
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.width = width
        self.done = 0
        self.label = ""
        self._start = time.perf_counter()
        self._last_draw = 0.0

    def advance(self, ticks: int) -> None:
        self.done = min(self.total, self.done + ticks)
        self._draw()

    def reach(self, ticks: int) -> None:
        """Moves to an absolute count: a replay that stopped early still counts whole."""
        self.done = min(self.total, max(self.done, ticks))
        self._draw()

    def set_label(self, label: str) -> None:
        self.label = label
        self._draw(force=True)

    def speed(self) -> float:
        """Game time simulated per second of real time so far."""
        elapsed = time.perf_counter() - self._start
        return (self.done / TICK_RATE) / elapsed if elapsed > 0 else 0.0

    def _draw(self, force: bool = False) -> None:
        now = time.perf_counter()
        if not self.enabled or (not force and now - self._last_draw < 0.1):
            return
        self._last_draw = now
        filled = round(self.width * self.done / self.total)
        bar = "#" * filled + "-" * (self.width - filled)
        percent = 100 * self.done / self.total
        line = f"\r[{bar}] {percent:5.1f}% {self.speed():6.1f}x  {self.label[-40:]}"
        self.stream.write(line.ljust(100))
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()
