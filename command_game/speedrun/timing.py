"""Speedrun timing: in-game time counts simulation ticks, so pause and loading never count.

A run's splits are the ticks at which each objective was met. Its categories follow from
the outcome: Any% (mission won), 100% (won with every objective met, optional ones too)
and Cooling% (won without ever sending Brimob).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TICK_RATE = 60  # ticks per second of game time; the World's fixed step

CATEGORIES: tuple[str, ...] = ("any", "100", "cooling")
CATEGORY_NAMES: dict[str, str] = {"any": "Any%", "100": "100%", "cooling": "Cooling%"}


def game_seconds(ticks: int) -> float:
    return ticks / TICK_RATE


def format_time(seconds: float | None) -> str:
    """Speedrun notation: m:ss.mmm, h:mm:ss.mmm past an hour; '-' for no time."""
    if seconds is None:
        return "-"
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, ms = divmod(rest, 1000)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}.{ms:03d}"
    return f"{minutes}:{secs:02d}.{ms:03d}"


def parse_category(text: str) -> str:
    """Accepts 'any', 'Any%', '100', '100%', 'cooling', 'Cooling%' (any case)."""
    key = text.strip().lower().rstrip("%")
    if key not in CATEGORIES:
        names = ", ".join(CATEGORY_NAMES.values())
        raise ValueError(f"unknown category '{text}': use one of {names}")
    return key


@dataclass(frozen=True)
class Split:
    """An objective met, and the tick it was met at."""

    objective: str
    tick: int

    @property
    def game_time_s(self) -> float:
        return game_seconds(self.tick)

    def to_json(self) -> dict[str, Any]:
        return {"objective": self.objective, "tick": self.tick}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Split:
        return cls(str(data["objective"]), int(data["tick"]))


def splits_of(world: Any) -> tuple[Split, ...]:
    """Objectives the world met, in the order they were met (ties in level order)."""
    met = [(o.met_tick, i, o.id) for i, o in enumerate(world.objectives)
           if o.status == "met" and o.met_tick is not None]
    return tuple(Split(oid, int(tick)) for tick, _, oid in sorted(met))


def categories_for(outcome: str | None, all_objectives_met: bool, brimob_used: bool
                   ) -> tuple[str, ...]:
    if outcome != "won":
        return ()
    cats = ["any"]
    if all_objectives_met:
        cats.append("100")
    if not brimob_used:
        cats.append("cooling")
    return tuple(cats)


def categories_of(world: Any) -> tuple[str, ...]:
    all_met = all(o.status == "met" for o in world.objectives)
    return categories_for(world.outcome, all_met, bool(world.brimob_used))
