"""The level file format: pydantic models that are the one source of truth for levels.

The JSON Schema in ``levels/schema.json`` is generated from these models, so editors
autocomplete exactly what the loader accepts. Coordinates are metres, with the origin at
the bottom-left of the map and y pointing up (the same frame the simulation uses).
Times are seconds of game time from the start of the mission.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, Strict, model_validator
from pydantic_core import PydanticCustomError

from command_game.level.gather import GatherArea
from command_game.level.map_features import MapFeatures

FORMAT_VERSION = 1

# Limits that keep every level the schema accepts playable: World.from_level builds it in
# seconds and its first minute runs. They are far above the shipped levels (the largest
# is 3.2 x 2.4 km at 5 m cells: 307,200 cells, 2,200 citizens) and each error names its
# limit and why it exists.
#: Longest side of a map, metres: a city or a kabupaten's capital, not a province.
MAX_MAP_M = 10_000.0
#: Most crowd flow-field cells (width / grid_m x height / grid_m): each cell is walked by
#: the flow field of every crowd goal; a million take about two seconds to build.
MAX_GRID_CELLS = 1_000_000
#: Most flow-field cells of all crowd goals together (cells x (attractors + sources): each
#: goal has a field over the whole grid, a source's home one for citizens leaving). The
#: largest shipped level, Banyuasin, needs 6.6 million.
MAX_FIELD_CELLS = 12_000_000
#: Latest time of anything in a level, seconds: one election night is well under a day.
MAX_TIME_S = 86_400.0
#: Most citizens all crowd sources together may bring (sum of max_agents).
MAX_AGENTS = 50_000
#: Most points in one district or building outline.
MAX_POLYGON_POINTS = 2_000

#: A number a level may hold: finite, never a bool or a string in disguise.
Number = Annotated[float, Strict()]
#: A whole number: 120.5 is an error, never silently 120.
Count = Annotated[int, Strict()]
#: A time in seconds of game time, within one night.
Seconds = Annotated[float, Strict(), Field(le=MAX_TIME_S)]
#: A coordinate in metres; the lint checks it lies on the map, this only keeps it sane.
Coordinate = Annotated[float, Strict(), Field(ge=-MAX_MAP_M, le=MAX_MAP_M)]

Identifier = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[a-z0-9][a-z0-9_\-]*$",
        description="lowercase letters, digits, '_' and '-'; unique within its list",
    ),
]
Point = tuple[Coordinate, Coordinate]

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


def limit_error(message: str, fix: str) -> PydanticCustomError:
    """A value past one of the limits above; `fix` reaches the author as the fix."""
    return PydanticCustomError("level_limit", "{message}", {"message": message, "fix": fix})


def _grid_for(width_m: float, height_m: float) -> float:
    """The smallest grid_m (to 0.1 m) that keeps a map within MAX_GRID_CELLS."""
    grid = math.sqrt(width_m * height_m / MAX_GRID_CELLS)
    while math.ceil(width_m / grid) * math.ceil(height_m / grid) > MAX_GRID_CELLS:
        grid += 0.1
    return math.ceil(grid * 10) / 10


class Strict(BaseModel):
    """Unknown fields are errors: a typo in a level file must not be silently ignored.
    NaN and Infinity are refused in every number ("not a finite number")."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


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
    par_time_s: Seconds = Field(gt=0,
                                description="a good player's in-game time to win")
    difficulty: Count = Field(default=1, ge=1, le=5)
    campaign_order: Count | None = Field(
        default=None, ge=1, le=10_000,
        description="position in the campaign; None for custom levels"
    )
    unlock_after: str | None = Field(
        default=None, description="id of the level whose win unlocks this one"
    )
    start_clock: str = Field(
        default="19:00",
        pattern=r"^([01]\d|2[0-3]):[0-5]\d$",
        description="election-night time of day at tick 0 (HH:MM)",
    )
    duration_s: Seconds = Field(
        gt=0, description="in-game seconds until the result is read; surviving it is required"
    )


class MapSpec(Strict):
    width_m: Number = Field(gt=0, le=MAX_MAP_M)
    height_m: Number = Field(gt=0, le=MAX_MAP_M)
    grid_m: Number = Field(default=4.0, gt=0.5, le=50, description="crowd flow-field cell size")

    @model_validator(mode="after")
    def _cells_within_limit(self) -> MapSpec:
        cells = math.ceil(self.width_m / self.grid_m) * math.ceil(self.height_m / self.grid_m)
        if cells > MAX_GRID_CELLS:
            raise limit_error(
                f"{cells:,} flow-field cells at grid_m {self.grid_m:g} is over the limit of "
                f"{MAX_GRID_CELLS:,} (each cell is walked for every crowd goal; more would "
                "take too long to build)",
                f"raise grid_m to at least {_grid_for(self.width_m, self.height_m):g} "
                "or make the map smaller")
        return self


class District(Strict):
    id: Identifier
    name: str = Field(min_length=1)
    polygon: list[Point] = Field(min_length=3, max_length=MAX_POLYGON_POINTS)


class Building(Strict):
    """A static obstacle the crowd walks around; a closed polygon."""

    id: Identifier
    polygon: list[Point] = Field(min_length=3, max_length=MAX_POLYGON_POINTS)


class RoadNode(Strict):
    id: Identifier
    x: Coordinate
    y: Coordinate


class RoadEdge(Strict):
    id: Identifier
    a: str = Field(description="road node id")
    b: str = Field(description="road node id")
    speed_kmh: Number = Field(default=40.0, ge=1, le=130,
                             description="at least walking pace: travel times divide by it")
    width_m: Number = Field(default=8.0, gt=0, le=60)


class Roads(Strict):
    nodes: list[RoadNode] = Field(min_length=2, max_length=10_000)
    edges: list[RoadEdge] = Field(min_length=1, max_length=20_000)


class Office(Strict):
    id: Identifier
    type: OfficeType
    name: str = Field(min_length=1)
    node: str = Field(description="id of the road node that serves this office")
    x: Coordinate
    y: Coordinate
    radius_m: Number = Field(default=25.0, gt=0, le=500, description="site radius for presence")
    gather: GatherArea | None = Field(
        default=None, description="where its crowd gathers: a disc (default: the site "
        "disc), a polygon, or a line (a gate); see command_game/level/gather.py")


class CrowdSource(Strict):
    id: Identifier
    x: Coordinate
    y: Coordinate
    attractor: str = Field(description="id of the office the crowd walks to")
    rate_per_min: Number = Field(gt=0, le=6000)
    start_s: Seconds = Field(default=0.0, ge=0)
    end_s: Seconds | None = Field(default=None, gt=0)
    max_agents: Count = Field(gt=0, le=20000)
    agitation: Number = Field(default=0.2, ge=0, le=1)
    # optional fields default to None, so files without them save (and digest) unchanged
    gathered: Count | None = Field(
        default=None, ge=0, le=20000, description="people of this source already standing "
        "at its office when the night begins (besides the max_agents who walk in)")
    gathered_agitation: Number | None = Field(
        default=None, ge=0, le=1, description="their mood (default: the source's agitation)")
    vigil: bool | None = Field(
        default=None, description="true: its people wait at the office for the result; calm "
        "ones do not drift home on their own (a dialogue team can still lead them home)")


class UnitSpec(Strict):
    id: Identifier
    type: UnitType
    name: str = Field(min_length=1)
    base: str = Field(description="id of the polres/polsek office the unit starts at")
    personnel: Count = Field(default=10, ge=1, le=2000)
    available_s: Seconds = Field(default=0.0, ge=0, description="when the unit can be ordered")


class ScriptedIncident(Strict):
    id: Identifier
    at_s: Seconds = Field(ge=0)
    type: IncidentType
    site: str = Field(description="id of the office where it happens")
    severity: Count = Field(default=2, ge=1, le=3)
    escalation_s: Seconds = Field(default=180.0, gt=0, description="time until it escalates")
    hidden: bool = Field(default=False, description="only Intelkam reveals it before it triggers")


class ThresholdTrigger(Strict):
    """Opens an incident when a site's tension reaches a value (once)."""

    id: Identifier
    site: str
    tension: Number = Field(gt=0, le=100)
    type: IncidentType
    severity: Count = Field(default=2, ge=1, le=3)
    escalation_s: Seconds = Field(default=180.0, gt=0)


class Convoy(Strict):
    id: Identifier
    origin: str = Field(description="office id, usually a warehouse")
    destination: str = Field(description="office id, usually a KPU office")
    depart_s: Seconds = Field(ge=0)
    speed_kmh: Number = Field(default=30.0, ge=1, le=100)


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
    hold_s: Seconds = Field(gt=0, description="seconds of continuous presence needed")


class ResolveIncidents(ObjectiveBase):
    kind: Literal["resolve_incidents"]
    incident_type: IncidentType | None = Field(default=None, description="None means every kind")
    count: Count | None = Field(default=None, ge=1, le=10_000,
                                description="None means all that open")


class KeepIndexAbove(ObjectiveBase):
    kind: Literal["keep_index_above"]
    threshold: Number = Field(ge=0, le=100)


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
    districts: list[District] = Field(default_factory=list, max_length=1_000)
    buildings: list[Building] = Field(default_factory=list, max_length=20_000)
    roads: Roads
    offices: list[Office] = Field(min_length=1, max_length=1_000)
    crowd_sources: list[CrowdSource] = Field(default_factory=list, max_length=500)
    units: list[UnitSpec] = Field(min_length=1, max_length=500)
    incidents: list[ScriptedIncident] = Field(default_factory=list, max_length=2_000)
    triggers: list[ThresholdTrigger] = Field(default_factory=list, max_length=2_000)
    convoys: list[Convoy] = Field(default_factory=list, max_length=500)
    objectives: list[Objective] = Field(min_length=1, max_length=200)
    tni_backup_calls: Count = Field(default=0, ge=0, le=10,
                                    description="TNI backup calls allowed")
    event_cards: list[EventCard] | None = Field(default=None, max_length=500,
                                                description="the cards' pool")
    variation: Variation | None = Field(default=None, description="what each seed changes")
    features: MapFeatures | None = Field(default=None, description="parks, water, street names")

    @model_validator(mode="after")
    def _fields_within_limit(self) -> Level:
        m = self.map
        cells = math.ceil(m.width_m / m.grid_m) * math.ceil(m.height_m / m.grid_m)
        goals = len({s.attractor for s in self.crowd_sources}) + len(self.crowd_sources)
        if cells * goals > MAX_FIELD_CELLS:
            raise limit_error(
                f"{goals} crowd goals (attractors and sources' homes) x {cells:,} cells is "
                f"{cells * goals:,} flow-field cells, over the limit of {MAX_FIELD_CELLS:,} "
                "(every goal's field covers the whole map)",
                "raise map.grid_m, make the map smaller, or use fewer crowd sources")
        return self

    @model_validator(mode="after")
    def _agents_within_limit(self) -> Level:
        total = sum(s.max_agents + (s.gathered or 0) for s in self.crowd_sources)
        if total > MAX_AGENTS:
            raise limit_error(
                f"the crowd sources bring up to {total:,} citizens, over the limit of "
                f"{MAX_AGENTS:,} (every citizen is a physics body stepped 60 times a second)",
                "lower max_agents of some crowd_sources")
        return self

    def office(self, office_id: str) -> Office:
        return next(o for o in self.offices if o.id == office_id)
