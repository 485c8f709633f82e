"""Commands: the player's only way to change the world.

A command is a small frozen record applied at the start of its tick. A replay is the
level, the seed and the list of commands, so a command must carry everything it needs
and serialise to plain JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

CommandKind = Literal[
    "move",  # go to a road node or office (target) or a map point (point)
    "hold",  # hold the target site: stay and keep presence
    "patrol",  # loop between the route's office/node ids
    "dialogue",  # open dialogue with the crowd at the target site
    "escort",  # escort the target convoy
    "respond",  # respond to the target incident
    "recall",  # return to base
    "cyber_response",  # Siber: answer a hoax or hacking incident (target) remotely
    "call_tni",  # call TNI backup to the target site
    "cordon",  # hold a line at point, square to the way to the target office
    "exit_route",  # open a way out at point for the crowd of the target office
    "choose_card",  # answer the waiting event card (target) with one of its choices
]
COMMAND_KINDS: tuple[str, ...] = CommandKind.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Command:
    tick: int
    kind: CommandKind
    unit_ids: tuple[str, ...] = ()
    target: str | None = None  # office, road node, incident or convoy id
    point: tuple[float, float] | None = None  # a map point in metres (move, cordon, exit_route)
    route: tuple[str, ...] = field(default=())  # office/node ids, for "patrol"
    choice: str | None = None  # the card's choice id, for "choose_card"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in data.items()
                if v not in (None, ())}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Command:
        if data.get("kind") not in COMMAND_KINDS:
            raise ValueError(f"unknown command kind {data.get('kind')!r}")
        point = data.get("point")
        return cls(
            tick=int(data["tick"]),
            kind=data["kind"],
            unit_ids=tuple(str(u) for u in data.get("unit_ids", ())),
            target=data.get("target"),
            point=(float(point[0]), float(point[1])) if point is not None else None,
            route=tuple(str(r) for r in data.get("route", ())),
            choice=str(data["choice"]) if data.get("choice") is not None else None,
        )
