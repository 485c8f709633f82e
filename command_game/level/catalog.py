"""Finding levels: the bundled campaign and the player's own levels."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from command_game.level.io import load_level
from command_game.level.lint import require_playable
from command_game.level.models import Level
from command_game.level.problems import LevelError
from command_game.userdata import levels_dir


def bundled_levels_dir() -> Path:
    """The copy inside an installed package, else levels/ of the source checkout.

    The packaged copy is looked for first: beside an installed package, parents[2] is
    site-packages, where an unrelated top-level "levels" folder could live.
    """
    here = Path(__file__).resolve()
    packaged = here.parents[1] / "levels"
    return packaged if packaged.is_dir() else here.parents[2] / "levels"


@dataclass(frozen=True)
class LevelEntry:
    path: Path
    level: Level | None  # None when the file does not load
    error: LevelError | None = None

    @property
    def level_id(self) -> str:
        return self.level.meta.id if self.level else self.path.stem


#: Levels that loaded and passed the lint, by the SHA-256 of their file's bytes: every
#: menu lists the campaign (the title, level select, the board, the debrief's Next), and
#: checking a level costs a quarter of a second; the same bytes give the same level.
_PLAYABLE: OrderedDict[bytes, Level] = OrderedDict()
_PLAYABLE_MAX = 64


def _playable(path: Path) -> Level:
    """The level in ``path`` once the lint accepts it (LevelError otherwise)."""
    try:
        digest = hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        digest = None  # load_level says why, naming the file
    level = _PLAYABLE.get(digest) if digest is not None else None
    if level is None:
        level = require_playable(load_level(path), str(path))
        if digest is not None:
            _PLAYABLE[digest] = level
            while len(_PLAYABLE) > _PLAYABLE_MAX:
                _PLAYABLE.popitem(last=False)
    return level


def _scan(folder: Path) -> list[LevelEntry]:
    entries = []
    for path in sorted(folder.glob("*.json")):
        if path.name == "schema.json":
            continue
        try:  # a level the lint rejects is listed with its errors, never played
            entries.append(LevelEntry(path, _playable(path)))
        except LevelError as exc:
            entries.append(LevelEntry(path, None, exc))
    return entries


def campaign() -> list[LevelEntry]:
    """Bundled levels in campaign order; levels without an order come last."""
    entries = [e for e in _scan(bundled_levels_dir()) if e.level is not None]
    return sorted(entries, key=lambda e: (e.level.meta.campaign_order or 10**6, e.level_id))


def my_levels() -> list[LevelEntry]:
    return _scan(levels_dir())
