"""Campaign progress: which levels are won, what that unlocks, and personal bests.

Stored as JSON in `userdata.progress_path()`, always written atomically. A file that
cannot be read back (hand-edited, truncated, from a future version) is copied aside as
`progress.json.corrupt` and progress starts fresh; `Progress.notice` tells the screens so
they can say what happened, instead of the game crashing or silently forgetting.

Unlock order: the first campaign level is always open; a level with `meta.unlock_after`
opens when that level is won; any other level opens when the campaign level before it
is won. A level once won stays open. Player-made levels are always open.

The personal best of a level is its fastest won run in game time (ticks, so pauses and
loading never count), with the splits: objective id -> game seconds when it was met.

The Polres's reputation is the public trust the campaign carries from night to night:
each finished campaign night moves it halfway to the trust that night ended with, and
the next campaign night starts from it (``sim/trust.py``), so a forceful night makes the
next one harder. None until the first campaign night is played.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from command_game.json_input import parse_json
from command_game.level.models import Level
from command_game.sim.rules import START_TRUST
from command_game.storage import atomic_write_text, backup_file
from command_game.userdata import progress_path

PROGRESS_VERSION = 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonalBest(_Strict):
    time_s: float = Field(ge=0, description="in-game seconds to win")
    real_time_s: float | None = Field(default=None, ge=0)
    splits: dict[str, float] = Field(default_factory=dict, description="objective id -> s")
    score: int | None = None
    date: str = Field(description="UTC ISO time the run finished")


class LevelProgress(_Strict):
    attempts: int = Field(default=0, ge=0)
    wins: int = Field(default=0, ge=0)
    best: PersonalBest | None = None

    @property
    def won(self) -> bool:
        return self.wins > 0


@dataclass(frozen=True)
class Notice:
    """Why progress was reset: the file, where the unreadable copy went, and the reason."""

    path: Path
    backup: Path | None
    reason: str


class Progress(_Strict):
    version: Literal[1] = PROGRESS_VERSION
    levels: dict[str, LevelProgress] = Field(default_factory=dict)
    reputation: float | None = Field(default=None, ge=0, le=100,
                                     description="public trust carried between campaign nights")
    _notice: Notice | None = PrivateAttr(default=None)

    @property
    def notice(self) -> Notice | None:
        return self._notice

    def is_won(self, level_id: str) -> bool:
        entry = self.levels.get(level_id)
        return entry is not None and entry.won

    def best(self, level_id: str) -> PersonalBest | None:
        entry = self.levels.get(level_id)
        return entry.best if entry else None

    def record_run(
        self,
        level_id: str,
        *,
        won: bool,
        time_s: float,
        splits: Mapping[str, float] | None = None,
        real_time_s: float | None = None,
        score: int | None = None,
        end_trust: float | None = None,
    ) -> bool:
        """Counts a finished run; returns True when it is a new personal best. A campaign
        night passes its end_trust on to the reputation."""
        if end_trust is not None:
            self.reputation = reputation_after(self.reputation, end_trust)
        entry = self.levels.setdefault(level_id, LevelProgress())
        entry.attempts += 1
        if not won:
            return False
        entry.wins += 1
        if entry.best is not None and entry.best.time_s <= time_s:
            return False
        entry.best = PersonalBest(
            time_s=time_s,
            real_time_s=real_time_s,
            splits=dict(splits or {}),
            score=score,
            date=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        return True


def reputation_after(reputation: float | None, end_trust: float) -> float:
    """Halfway from the reputation (the start trust before any night) to the night's end."""
    before = START_TRUST if reputation is None else reputation
    return round(min(100.0, max(0.0, 0.5 * before + 0.5 * float(end_trust))), 2)


def campaign_reputation(level: Level, path: Path | None = None) -> float | None:
    """The trust a night starts from: the reputation for a campaign level, None (the
    default start) for any other level."""
    if level.meta.campaign_order is None:
        return None
    return load_progress(path).reputation


def load_progress(path: Path | None = None) -> Progress:
    """Reads progress; a missing file is a new player, a broken one is backed up and reset."""
    path = path or progress_path()
    if not path.exists():
        return Progress()
    try:
        return Progress.model_validate(parse_json(path.read_bytes()))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValidationError) as exc:
        return _reset(path, exc)


def _reset(path: Path, exc: Exception) -> Progress:
    reason = _first_line(exc)
    backup = None
    try:
        backup = backup_file(path, ".corrupt")
        save_progress(Progress(), path)
    except OSError as write_error:
        reason += f" (and it could not be reset: {write_error})"
    progress = Progress()
    progress._notice = Notice(path, backup, reason)
    return progress


def _first_line(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        return f"{where}: {err['msg']}"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def save_progress(progress: Progress, path: Path | None = None) -> None:
    atomic_write_text(path or progress_path(), progress.model_dump_json(indent=2) + "\n")


def record_run(level_id: str, *, path: Path | None = None, **run) -> bool:
    """Loads, counts one finished run (the keywords of `Progress.record_run`) and saves;
    True when it set a new personal best."""
    progress = load_progress(path)
    new_best = progress.record_run(level_id, **run)
    save_progress(progress, path)
    return new_best


def unlocked(campaign: Sequence[Level], progress: Progress) -> dict[str, bool]:
    """Level id -> whether it can be played, for the campaign in order."""
    state: dict[str, bool] = {}
    for index, level in enumerate(campaign):
        state[level.meta.id] = _is_open(campaign, index, progress)
    return state


def _is_open(campaign: Sequence[Level], index: int, progress: Progress) -> bool:
    level = campaign[index]
    if progress.is_won(level.meta.id):
        return True
    if level.meta.unlock_after:
        return progress.is_won(level.meta.unlock_after)
    if index == 0:
        return True
    return progress.is_won(campaign[index - 1].meta.id)


def unlocked_by(campaign: Sequence[Level], level_id: str) -> str | None:
    """The id of the level whose win opens `level_id` (None for the first level)."""
    ids = [level.meta.id for level in campaign]
    if level_id not in ids:
        return None
    index = ids.index(level_id)
    level = campaign[index]
    if level.meta.unlock_after:
        return level.meta.unlock_after
    return ids[index - 1] if index > 0 else None
