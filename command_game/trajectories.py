"""Every citizen's position every N ticks, in PedPy's plain-text trajectory format.

So a run of the game can be analysed with the field's own tools (PedPy, JuPedSim's
jpsreport): a header of ``#`` lines (``# framerate: X``, the unit), then one line per
citizen per frame with the columns id, frame, x, y, z (metres, z = 0). Ids are the
crowd's ``citizen_id`` (1, 2, 3... in spawn order, never reused), so a person keeps one
id across frames while others arrive and leave. See ``docs/trajectories.md``.

The file is streamed (a finale's trajectories run to hundreds of MB) into a temporary
file beside the target and renamed over it only when the run is done, so a crash or
Ctrl+C never leaves half a file under the name asked for.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO, Any

import numpy as np

from command_game.sim.rules import TICK_RATE

DEFAULT_EVERY = 6  # ticks between frames: 10 frames per second of game time
_ROW = "%d %d %.3f %.3f 0\n"


class TrajectoryWriter:
    """Open with ``with TrajectoryWriter(path, every, ...) as out``; call
    ``out.record(world)`` after every step (it writes only on every N-th tick)."""

    def __init__(self, path: str | os.PathLike[str], every: int = DEFAULT_EVERY,
                 description: str = "") -> None:
        if every < 1:
            raise ValueError(f"--every must be at least 1 tick, not {every}")
        self.path = Path(path)
        self.every = int(every)
        self.description = description
        self.frames = 0
        self.rows = 0
        self._tmp: Path | None = None
        self._fh: IO[str] | None = None

    @property
    def frame_rate(self) -> float:
        return TICK_RATE / self.every

    def __enter__(self) -> TrajectoryWriter:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                   dir=self.path.parent)
        self._tmp = Path(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # an ordinary file, not mkstemp's private 0600
        self._fh = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        self._fh.write(self._header())
        return self

    def _header(self) -> str:
        lines = [f"# Kamtibmas crowd trajectories{': ' if self.description else ''}"
                 f"{self.description}",
                 f"# framerate: {self.frame_rate:g}",
                 "# x/m, y/m: positions in m, origin at the map's bottom-left, y up",
                 f"# one frame every {self.every} ticks of 1/{TICK_RATE} s; "
                 "frame 0 is tick 0",
                 "# id frame x y z"]
        return "\n".join(lines) + "\n"

    def record(self, world: Any) -> None:
        """Writes the current positions if the world's tick falls on a frame."""
        if world.tick % self.every or self._fh is None:
            return
        crowd = world.crowd
        n = crowd.count
        if n:
            frame = world.tick // self.every
            rows = np.column_stack([crowd.citizen_id, np.full(n, frame), crowd.pos])
            self._fh.write((_ROW * n) % tuple(rows.ravel().tolist()))  # one format call
            self.rows += n
        self.frames += 1

    def __exit__(self, exc_type, exc, tb) -> None:
        assert self._fh is not None and self._tmp is not None
        try:
            if exc_type is None:
                self._fh.flush()
                os.fsync(self._fh.fileno())
            self._fh.close()
            if exc_type is None:
                os.replace(self._tmp, self.path)
        finally:
            self._tmp.unlink(missing_ok=True)
            self._fh = None
