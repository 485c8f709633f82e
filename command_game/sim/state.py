"""Plain records of the world's gameplay state, read by the view and hashed for replays."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from command_game.level.models import Bilingual

UNIT_STATES = ("idle", "moving", "on_site", "dialogue", "returning", "patrolling", "escorting",
               "cordon", "exit_route")


@dataclass
class UnitState:
    id: str
    type: str
    name: str
    x: float
    y: float
    base: str  # office id of its HQ
    personnel: int
    available_from_tick: int = 0
    state: str = "idle"
    route: list[tuple[float, float]] = field(default_factory=list)
    target: str | None = None  # office, node, incident or convoy id of the current order
    fatigue: float = 0.0
    cooldown_until_tick: int = 0
    order: str = "idle"  # the command kind being carried out
    destination: str | None = None  # road node the route ends at
    final_state: str = "idle"  # state on arrival
    patrol: tuple[str, ...] = ()  # patrol stops (office/node ids)
    patrol_next: int = 0
    site_s: float = 0.0  # seconds spent at the current site (dialogue ramps with it)
    route_nodes: list[str] = field(default_factory=list)
    body_id: int = 0
    available: bool = True
    prev_node: str = ""  # last road node passed (the edge being driven is prev -> next)
    point: tuple[float, float] | None = None  # off-road end of the current route
    site_id: str | None = None  # office the unit is working at now (10 Hz)
    dest_site: str | None = None  # office the current route ends at, if any

    def summary(self) -> str:
        # the unit's orders too (patrol stops, destination): a changed order is a changed
        # state even before the unit acts on it, so a replay cannot edit it unnoticed
        return (f"{self.id}:{self.state}:{self.x:.6f}:{self.y:.6f}:{self.target}:"
                f"{self.fatigue:.6f}:{self.personnel}:{len(self.route)}:"
                f"{','.join(self.patrol)}:{self.patrol_next}:{self.destination}:{self.point}:"
                f"{self.dest_site}")


@dataclass
class IncidentState:
    id: str
    type: str
    site: str
    severity: int
    status: str  # hidden, open, escalated, resolved, failed
    opened_tick: int
    escalates_at_tick: int
    x: float
    y: float
    escalation_ticks: int
    resolved_tick: int | None = None
    revealed_tick: int | None = None  # when the player could first see it
    progress: float = 0.0  # resolution work done, 0..1
    blocked_edge: str | None = None

    @property
    def active(self) -> bool:
        return self.status in ("hidden", "open", "escalated")

    @property
    def visible(self) -> bool:
        return self.status in ("open", "escalated")

    def summary(self) -> str:
        return f"{self.id}:{self.status}:{self.severity}:{self.progress:.6f}"


@dataclass
class SiteState:
    id: str
    type: str
    name: str
    x: float
    y: float
    radius_m: float
    node: str
    district: str | None
    tension: float = 0.0
    crowd: int = 0  # citizens at the site
    agitation: float = 0.0  # their mean agitation
    at_max_s: float = 0.0  # how long tension has stayed at 100
    rioted: bool = False
    held_s: float = 0.0  # continuous police presence, for hold_site
    density: float = 0.0  # mean persons/m2 around the citizens at the site
    peak_density: float = 0.0  # how packed the most packed of them stand (crowd_pressure)
    crush_s: float = 0.0  # how long the crowd has been packed past the crush density
    crush_warned: bool = False  # crush_risk said, until the crowd has loosened again
    crushed: bool = False
    casualties: int = 0


@dataclass
class ObjectiveState:
    id: str
    kind: str
    optional: bool
    title: Bilingual
    status: str = "pending"  # pending, met, failed
    met_tick: int | None = None
    failed_tick: int | None = None
    spec: object = None  # the level's objective


@dataclass
class ConvoyState:
    id: str
    origin: str
    destination: str
    x: float
    y: float
    depart_tick: int
    speed_mps: float
    status: str = "waiting"  # waiting, moving, arrived, disrupted
    route: list[tuple[float, float]] = field(default_factory=list)
    route_nodes: list[str] = field(default_factory=list)
    escort: str | None = None  # unit id riding with it


@dataclass
class Score:
    total: int
    breakdown: dict[str, float]


@dataclass
class History:
    """Once per second of game time: the index and every site's tension; every 10 s the
    density grid (for the debrief's chart and heat map)."""

    index: list[float] = field(default_factory=list)
    tension: dict[str, list[float]] = field(default_factory=dict)
    density: list[tuple[int, np.ndarray]] = field(default_factory=list)
    trust: list[float] = field(default_factory=list)
