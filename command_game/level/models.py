"""The level file format: pydantic models that are the one source of truth for levels.

The JSON Schema in ``levels/schema.json`` is generated from these models, so editors
autocomplete exactly what the loader accepts. Coordinates are metres, with the origin at
the bottom-left of the map and y pointing up (the same frame the simulation uses).
Times are seconds of game time from the start of the mission.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

FORMAT_VERSION = 1

Identifier = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[a-z0-9][a-z0-9_\-]*$",
        description="lowercase letters, digits, '_' and '-'; unique within its list",
    ),
]
Point = tuple[float, float]

OfficeType = Literal["kpu", "bawaslu", "tps", "ppk", "warehouse", "polres", "polsek"]
OFFICE_TYPES: tuple[str, ...] = get_args(OfficeType)
HQ_TYPES: tuple[str, ...] = ("polres", "polsek")

UnitType = Literal[
    "samapta", "intelkam", "lantas", "reskrim", "siber", "brimob", "dialogis", "binluh", "tni"
]
IncidentType = Literal[
    "clash",  # supporters' clash
    "protest",  # protest at KPU/Bawaslu
    "intimidation",  # intimidation of KPU members
    "hoax",  # hoax wave on social media
    "hacking",  # hacking attempt on election systems
    "convoy_disruption",  # logistics convoy disruption
    "sabotage",  # sabotage/attack on an office
    "provocation",  # provocation after the result
    "suspicious_package",  # terror threat
]
Phase = Literal["campaign", "polling", "counting", "determination", "post_election"]


class Strict(BaseModel):
    """Unknown fields are errors: a typo in a level file must not be silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Bilingual(Strict):
    """Player-facing text in English and Bahasa Indonesia."""

    en: str = Field(min_length=1)
    id: str = Field(min_length=1)


class Meta(Strict):
    id: Identifier
    title: Bilingual
    briefing: Bilingual
    debrief_win: Bilingual | None = None
    debrief_loss: Bilingual | None = None
    region: str = Field(min_length=1, description="place name, e.g. 'Singkawang, Kalimantan Barat'")
    phase: Phase
    par_time_s: float = Field(gt=0, description="a good player's in-game time to win")
    difficulty: int = Field(default=1, ge=1, le=5)
    campaign_order: int | None = Field(
        default=None, ge=1, description="position in the campaign; None for custom levels"
    )
    unlock_after: str | None = Field(
        default=None, description="id of the level whose win unlocks this one"
    )
    start_clock: str = Field(
        default="19:00",
        pattern=r"^([01]\d|2[0-3]):[0-5]\d$",
        description="election-night time of day at tick 0 (HH:MM)",
    )
    duration_s: float = Field(
        gt=0, description="in-game seconds until the result is read; surviving it is required"
    )


class MapSpec(Strict):
    width_m: float = Field(gt=0, le=20000)
    height_m: float = Field(gt=0, le=20000)
    grid_m: float = Field(default=4.0, gt=0.5, le=50, description="crowd flow-field cell size")


class District(Strict):
    id: Identifier
    name: str = Field(min_length=1)
    polygon: list[Point] = Field(min_length=3)


class Building(Strict):
    """A static obstacle the crowd walks around; a closed polygon."""

    id: Identifier
    polygon: list[Point] = Field(min_length=3)


class RoadNode(Strict):
    id: Identifier
    x: float
    y: float


class RoadEdge(Strict):
    id: Identifier
    a: str = Field(description="road node id")
    b: str = Field(description="road node id")
    speed_kmh: float = Field(default=40.0, gt=0, le=130)
    width_m: float = Field(default=8.0, gt=0, le=60)


class Roads(Strict):
    nodes: list[RoadNode] = Field(min_length=2)
    edges: list[RoadEdge] = Field(min_length=1)


class Office(Strict):
    id: Identifier
    type: OfficeType
    name: str = Field(min_length=1)
    node: str = Field(description="id of the road node that serves this office")
    x: float
    y: float
    radius_m: float = Field(default=25.0, gt=0, le=500, description="site radius for presence")


class CrowdSource(Strict):
    id: Identifier
    x: float
    y: float
    attractor: str = Field(description="id of the office the crowd walks to")
    rate_per_min: float = Field(gt=0, le=6000)
    start_s: float = Field(default=0.0, ge=0)
    end_s: float | None = Field(default=None, gt=0)
    max_agents: int = Field(gt=0, le=20000)
    agitation: float = Field(default=0.2, ge=0, le=1)


class UnitSpec(Strict):
    id: Identifier
    type: UnitType
    name: str = Field(min_length=1)
    base: str = Field(description="id of the polres/polsek office the unit starts at")
    personnel: int = Field(default=10, ge=1, le=2000)
    available_s: float = Field(default=0.0, ge=0, description="when the unit can be ordered")


class ScriptedIncident(Strict):
    id: Identifier
    at_s: float = Field(ge=0)
    type: IncidentType
    site: str = Field(description="id of the office where it happens")
    severity: int = Field(default=2, ge=1, le=3)
    escalation_s: float = Field(default=180.0, gt=0, description="time until it escalates")
    hidden: bool = Field(default=False, description="only Intelkam reveals it before it triggers")


class ThresholdTrigger(Strict):
    """Opens an incident when a site's tension reaches a value (once)."""

    id: Identifier
    site: str
    tension: float = Field(gt=0, le=100)
    type: IncidentType
    severity: int = Field(default=2, ge=1, le=3)
    escalation_s: float = Field(default=180.0, gt=0)


class Convoy(Strict):
    id: Identifier
    origin: str = Field(description="office id, usually a warehouse")
    destination: str = Field(description="office id, usually a KPU office")
    depart_s: float = Field(ge=0)
    speed_kmh: float = Field(default=30.0, gt=0, le=100)


class ObjectiveBase(Strict):
    id: Identifier
    title: Bilingual
    optional: bool = False


class EscortConvoy(ObjectiveBase):
    kind: Literal["escort_convoy"]
    convoy: str


class HoldSite(ObjectiveBase):
    kind: Literal["hold_site"]
    site: str
    hold_s: float = Field(gt=0, description="seconds of continuous presence needed")


class ResolveIncidents(ObjectiveBase):
    kind: Literal["resolve_incidents"]
    incident_type: IncidentType | None = Field(default=None, description="None means every kind")
    count: int | None = Field(default=None, ge=1, description="None means all that open")


class KeepIndexAbove(ObjectiveBase):
    kind: Literal["keep_index_above"]
    threshold: float = Field(ge=0, le=100)


class NoBrimob(ObjectiveBase):
    kind: Literal["no_brimob"]


class NoRiot(ObjectiveBase):
    kind: Literal["no_riot"]


Objective = Annotated[
    EscortConvoy | HoldSite | ResolveIncidents | KeepIndexAbove | NoBrimob | NoRiot,
    Field(discriminator="kind"),
]


# the night's choices and its seeded variation live in their own modules (they need the
# models above)
from command_game.level.cards import EventCard  # noqa: E402
from command_game.level.variation import Variation  # noqa: E402


class Level(Strict):
    format_version: Literal[1] = FORMAT_VERSION
    meta: Meta
    map: MapSpec
    districts: list[District] = Field(default_factory=list)
    buildings: list[Building] = Field(default_factory=list)
    roads: Roads
    offices: list[Office] = Field(min_length=1)
    crowd_sources: list[CrowdSource] = Field(default_factory=list)
    units: list[UnitSpec] = Field(min_length=1)
    incidents: list[ScriptedIncident] = Field(default_factory=list)
    triggers: list[ThresholdTrigger] = Field(default_factory=list)
    convoys: list[Convoy] = Field(default_factory=list)
    objectives: list[Objective] = Field(min_length=1)
    tni_backup_calls: int = Field(default=0, ge=0, le=10, description="TNI backup calls allowed")
    event_cards: list[EventCard] | None = Field(default=None, description="the cards' pool")
    variation: Variation | None = Field(default=None, description="what each seed changes")

    def office(self, office_id: str) -> Office:
        return next(o for o in self.offices if o.id == office_id)
