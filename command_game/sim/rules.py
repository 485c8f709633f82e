"""The sim's numbers in one place, so a level designer can read and tune them.

Units are metres, seconds and game time throughout. Rates are "per second of game time"
unless a name says otherwise. ``docs/simulation.md`` explains how they combine.
"""

from __future__ import annotations

from dataclasses import dataclass

TICK_RATE = 60  # ticks per second of game time
DT = 1.0 / TICK_RATE
SLOW_EVERY = 6  # tension, incidents, objectives update at 10 Hz (every 6 ticks)
SLOW_DT = SLOW_EVERY * DT
STEER_EVERY = 3  # citizens' steering runs at 20 Hz
PHYSICS_EVERY = 3  # and the crowd's physics too (exit flows and the fundamental diagram as
# at 30 Hz; at 15 Hz exit flows rise ~8 %, to the test band's edge: docs/simulation.md)

# --- crowd -------------------------------------------------------------------------------
CITIZEN_MASS_KG = 70.0
WALL_RADIUS_M = 0.05  # building edges are segments this thick (a door keeps its width)
JAM_DENSITY = 5.4  # persons per m2 where walking stops (Weidmann's fundamental diagram)
WEIDMANN_GAMMA = 1.913
MIN_GROUND_M2 = 1.0  # a citizen's density counts at least this much ground around it
MIN_SPEED_FACTOR = 0.04  # a packed crowd still shuffles
FACE_WALKING_MPS = 0.2  # faster than this a citizen faces where it walks, else its goal
STEER_RELAX_S = 0.5  # how fast a citizen's velocity turns toward the wanted one
SPAWN_JITTER_M = 3.0
HOME_RADIUS_M = 6.0  # a citizen going home leaves the world within this of its source
WANDER_MPS = 0.35  # restless milling of an agitated crowd at its site, at agitation 1
AGITATION_SPREAD = 0.25  # per s, pull of a citizen's agitation toward its neighbourhood
AGITATION_FROM_TENSION = 0.003  # per s at a site of tension 100, on citizens gathered there
AGITATION_RELAX = 0.01  # per s, natural cooling toward the source's starting agitation
DISPERSE_AGITATION = 0.12  # a calm citizen below this may go home
DISPERSE_CHANCE = 0.01  # per s, chance that a calm citizen at its site goes home
CROWD_NEAR_FACTOR = 2.0  # citizens within radius_m * this count as "at" a site


@dataclass(frozen=True)
class People:
    """Who walks: each citizen draws its own free walking speed and body size at spawn.

    Speeds after Weidmann (1993), "Transporttechnik der Fussgaenger", whose survey of 58
    studies gives a mean free speed of 1.34 m/s with a standard deviation of 0.26 m/s;
    clipped to what healthy adults walk. Bodies are circles of the size pedestrian models
    commonly use for the shoulder ellipse (JuPedSim's collision-free speed model: radius
    0.2 m), with a small spread. The spread of both is what breaks the stable arches
    identical frictionless discs form in a narrow door.
    """

    speed_mean_mps: float = 1.34
    speed_sd_mps: float = 0.26
    speed_min_mps: float = 0.7
    speed_max_mps: float = 2.0
    in_step_density: float = 0.5  # persons/m2: the spread of speeds fades as exp(-rho/this)
    radius_mean_m: float = 0.2
    radius_sd_m: float = 0.015
    radius_min_m: float = 0.17
    radius_max_m: float = 0.23


PEOPLE = People()


@dataclass(frozen=True)
class WalkLattice:
    """Where walking distances are computed (``sim/flowfield.py``): the fast marching
    method (Sethian 1996, "A fast marching level set method for monotonically advancing
    fronts", PNAS 93) on a lattice finer than the level's grid."""

    min_spacing_m: float = 0.1  # small maps: a lattice this fine
    max_nodes: int = 1_500_000  # per goal (6 MB of float32); big maps get a coarser lattice
    narrowest_gap_m: float = 0.6  # between buildings: narrower gaps count as closed
    erode_factor: float = 0.75  # obstacles shrink by this many spacings (> 1/sqrt 2 keeps
    # any open gap connected for the 4-neighbour march, even diagonal to the lattice)
    thin_wall_nodes: int = 4  # walls up to this many nodes across stay whole: more than
    # the 1 + 2 x erode_factor the shrinking would take away


WALK = WalkLattice()


@dataclass(frozen=True)
class Headway:
    """The collision-free speed model's distance keeping (``sim/headway.py``; Tordeux,
    Chraibi & Seyfried 2016), on top of Weidmann's density speed."""

    time_gap_s: float = 0.42  # T: a walker allows itself (gap to the one ahead) / T
    path_width: float = 0.5  # of the two radii: who is "in the way" laterally
    press_mps: float = 0.15  # touching the one ahead, one still presses on this gently
    look_ahead_m: float = 1.5  # neighbours further away never limit (> v_max T + 2 r)
    neighbours: int = 6  # nearest ones looked at (the one in the way is among them)
    every: int = 3  # steering ticks between neighbour searches (6.7 Hz at 20 Hz steering:
    # exits, diagram and faster-is-slower as at 15 Hz, docs/simulation.md; the search was
    # 22 % of the finale)
    min_density: float = 0.2  # persons/m2: sparser neighbourhoods skip the search (a
    # walker in a door sees the nearly empty street beyond in its 3x3 cells: 0.5 let
    # the 1.2 m exit flow 20 % over the experiments)


HEADWAY = Headway()


@dataclass(frozen=True)
class Mass:
    """How a crowd stands at its site (``sim/massing.py``). Standing densities after
    Fruin (1971), "Pedestrian planning and design": 2-3 persons/m2 is a tight standing
    crowd without body contact pressure (levels of service D-E for queuing areas), and
    below 1 person/m2 people stand freely. Personal space after the collision-free speed
    model (Tordeux, Chraibi & Seyfried 2016): keep one's spacing, close up only as far as
    the gap ahead allows."""

    front_density: float = 1.9  # persons/m2 at the front (the goal area's deepest ground), calm
    thinning_m: float = 12.0  # the standing density halves this far behind the front
    edge_density: float = 0.8  # never thinner than this while inside the area
    agitation_press: float = 1.4  # standing density x (1 + this x agitation): 4.6 /m2 at 1
    fill_band: float = 0.3  # walking fades over the last 30 % below the standing density
    press_mps: float = 0.05  # standing citizens still press toward the front this fast,
    press_band: float = 0.15  # until the crowd is this much denser than people stand
    neighbours: int = 10  # nearest others each standing citizen looks at
    reach_m: float = 1.5  # ... within this
    kernel_m: float = 0.4  # sd of the Gaussian kernel of the close density
    min_gap_m: float = 0.04  # between shoulders, at the closest one stands
    space_gain: float = 1.5  # per s: stepping away from one 0.1 m too close is 0.15 m/s
    space_max_mps: float = 0.3
    slide_mps: float = 0.4  # at most this of a held-back step turns into a sidestep
    make_way_m: float = 1.0  # people standing this close to a unit's body make way for it
    make_way_mps: float = 0.6  # ... stepping away at up to this
    walking_in_mps: float = 0.5  # a neighbour walking toward the front faster than this is
    # not (yet) standing in the mass: see massing.still
    rest_every: int = 4  # those standing slower than busy_mps are steered every 4th tick
    busy_mps: float = 0.2  # (Crowd._resting); faster ones every tick


MASS = Mass()


@dataclass(frozen=True)
class Spread:
    """Walkers sidestep down the crowd's density gradient, across their way: the local
    route choice of density-aware flow models (Hughes 2002, "A continuum theory for the
    flow of pedestrians", Transp. Res. B 36: people avoid denser ground), without
    recomputing the walking fields."""

    gain: float = 0.6  # m/s of sidestep per (persons/m2 per m) of gradient
    max_mps: float = 0.5
    max_standing_mps: float = 0.3  # in a goal area's crowd
    min_density: float = 0.3  # persons/m2 around the walker, else no sidestep


SPREAD = Spread()
CITIZEN_RADIUS_M = PEOPLE.radius_mean_m  # the average citizen
FREE_WALK_MPS = PEOPLE.speed_mean_mps

# --- units -------------------------------------------------------------------------------
UNIT_RADIUS_M = 1.5
UNIT_MASS_KG = 500.0
UNIT_PUSH_N = 600.0  # x sqrt(personnel): the most force a unit's joint pulls it with
VEHICLE_DRIVE_N = 5000.0  # a vehicle's engine adds this on the road (corners, starts)
FOOT_MPS = 1.5  # officers on foot, the last PARK_M to the office or map point
PARK_M = 25.0  # the vehicle drives in off the road and parks this far short
BRAKE_MPS2 = 5.0  # vehicles slow down for the stop at this deceleration
OFFROAD_MPS = 6.0  # driving in off the road (a side street, a car park)
SIREN_FACTOR = 1.5  # with lights and siren police drive up to 1.5 x the road's limit
FATIGUE_SLOWDOWN = 0.3  # a fully tired unit moves this much slower (fatigue.py)
ARRIVE_M = 3.0
ARRIVE_SITE_SHARE = 0.8  # at an office, within this share of its radius_m is arrived
CALM_RADIUS_M = 35.0  # citizens this close to a calming unit lose agitation (at a site:
# at least the site's crowd radius, radius_m * CROWD_NEAR_FACTOR)
ON_SITE_MARGIN_M = 20.0  # a unit within radius_m + this of an office is on that site
REVEAL_RADIUS_M = 250.0  # Intelkam reveals hidden incidents at sites this close
DIALOGUE_RAMP_S = (20.0, 45.0)  # dialogue starts working after 20 s, full at 45 s
SIBER_COOLDOWN_S = 60.0
BRIMOB_TRUST_COST = 8.0  # per order given to a Brimob unit
BRIMOB_TRUST_DRAIN = 0.05  # per s while Brimob stands at a site with a crowd
PROVOKE_AGITATION = 0.02  # per s added by Brimob standing over a peaceful crowd
CORDON_M_PER_OFFICER = 1.0  # a cordon line is this long per officer ...
CORDON_MIN_M, CORDON_MAX_M = 4.0, 60.0  # ... within these
CORDON_RADIUS_M = 0.4
LEAD_HOME_AGITATION = 0.45  # citizens calmer than this listen to a dialogue team
VIGIL_LEAD_HOME = 0.1  # people keeping vigil for the result are led home this much less
FATIGUE_PER_S = 1.0 / 1200.0  # on duty: fully tired after 20 min
FATIGUE_CROWD_MIN = 20  # a site with more citizens than this tires the units there
FATIGUE_CROWD_PER_S = 1.0 / 1000.0  # x (0.5 + persons/m2 there)
FATIGUE_DIALOGUE_PER_S = 1.0 / 900.0  # talking a crowd down is hard work
FATIGUE_CORDON_PER_S = 1.0 / 600.0  # holding a line against a crowd is harder
FATIGUE_WEAKENS = 0.7  # an exhausted unit works, calms and pushes at 30 %
FATIGUE_WARN = 0.7  # "unit_tired": time to relieve it
RECOVER_PER_S = 1.0 / 300.0  # resting at base
TNI_PERSONNEL = 30
BINLUH_GROWTH_FACTOR = 0.5  # tension growth multiplier in a district with Binluh on site


@dataclass(frozen=True)
class UnitRole:
    """What a unit type does. Strengths are for 10 personnel; they scale with sqrt."""

    speed_kmh: float  # top road speed (the road's limit applies too)
    presence: float  # tension points per s removed at the site it stands on
    calm: float  # agitation per s removed from citizens within CALM_RADIUS_M
    dialogue: float  # extra tension per s removed once a dialogue has ramped up
    travels: bool = True
    lead_home: float = 0.0  # per s, share of a listening crowd a ramped dialogue leads home
    provokes_below: float = 0.0  # over a crowd calmer than this it raises agitation


ROLES: dict[str, UnitRole] = {
    "samapta": UnitRole(60.0, presence=0.6, calm=0.010, dialogue=0.2),
    "intelkam": UnitRole(70.0, presence=0.1, calm=0.002, dialogue=0.1),
    "lantas": UnitRole(80.0, presence=0.2, calm=0.003, dialogue=0.1),
    "reskrim": UnitRole(65.0, presence=0.2, calm=0.004, dialogue=0.1),
    "siber": UnitRole(0.0, presence=0.0, calm=0.0, dialogue=0.0, travels=False),
    "brimob": UnitRole(55.0, presence=2.0, calm=0.060, dialogue=0.0, provokes_below=0.25),
    "dialogis": UnitRole(55.0, presence=0.3, calm=0.015, dialogue=1.6, lead_home=0.02),
    "binluh": UnitRole(55.0, presence=0.3, calm=0.008, dialogue=0.4, lead_home=0.008),
    "tni": UnitRole(50.0, presence=1.2, calm=0.030, dialogue=0.0),
}

# --- incidents ---------------------------------------------------------------------------
INCIDENT_WORK_S = 40.0  # seconds of work per severity point for a unit of rate 1.0
# incident type -> unit type -> work rate (0 or absent: that unit cannot resolve it)
RESOLVERS: dict[str, dict[str, float]] = {
    "clash": {"samapta": 1.0, "brimob": 2.5, "tni": 2.0, "dialogis": 0.5},
    "protest": {"dialogis": 1.5, "samapta": 0.7, "brimob": 2.0, "binluh": 0.6},
    "intimidation": {"reskrim": 1.5, "intelkam": 0.6},
    "hoax": {"siber": 1.5, "binluh": 0.5},
    "hacking": {"siber": 1.2},
    "convoy_disruption": {"lantas": 1.5, "samapta": 0.6, "brimob": 1.0},
    "sabotage": {"brimob": 1.5, "tni": 1.5, "samapta": 0.8, "reskrim": 0.8},
    "provocation": {"reskrim": 1.5, "intelkam": 0.8, "dialogis": 0.6},
    "suspicious_package": {"brimob": 1.5, "tni": 1.0, "samapta": 0.4},
}
REMOTE_INCIDENTS = ("hoax", "hacking")  # Siber answers these without travelling
INCIDENT_TENSION = 0.25  # tension per s per severity point at the site while visible
# agitation per s per severity point added to citizens within `radius` m of the site
# (radius None: every citizen, e.g. a hoax wave on social media)
INCIDENT_AGITATION: dict[str, tuple[float, float | None]] = {
    "clash": (0.012, 40.0),
    "protest": (0.004, 60.0),
    "intimidation": (0.003, 40.0),
    "hoax": (0.002, None),
    "hacking": (0.001, None),
    "convoy_disruption": (0.004, 60.0),
    "sabotage": (0.010, 60.0),
    "provocation": (0.010, 80.0),
    "suspicious_package": (0.006, 60.0),
}
ESCALATION_TENSION = 10.0  # per severity point when an incident escalates
FAILURE_TENSION = 25.0  # when an escalated incident runs out of time again
FAILURE_TRUST = 5.0
ROAD_BLOCKING_INCIDENTS = ("convoy_disruption", "clash", "sabotage")

# --- sites, index, trust ------------------------------------------------------------------
# crowd pressure on a site: TENSION_FROM_CROWD * mean agitation * n / (n + CROWD_HALF)
# tension points per s (a crowd's size counts, with diminishing returns)
TENSION_FROM_CROWD = 3.0
CROWD_HALF = 150.0
# packing adds to mood: + DENSITY_TENSION per person/m2 above COMFORT_DENSITY (crowd_pressure)
DENSITY_TENSION = 0.15
COMFORT_DENSITY = 1.0
CRUSH_DENSITY = 5.0  # persons/m2: past this a crowd can collapse (Fruin, Still)
CRUSH_SHARE = 0.02  # a site is as packed as its most packed 2 % of those standing stand ...
CRUSH_MIN_PACKED = 10  # ... and at least 10 of them (close density, ~1 m around each)
CRUSH_EASED = 0.9  # a crush warning is given again once the crowd has loosened below this
CRUSH_AFTER_S = 20.0  # that packed this long: a crush (casualties, mission lost)
CRUSH_CASUALTY_SHARE = 0.05  # of the citizens packed past the crush density
CRUSH_TRUST = 30.0
TENSION_RELAX = 0.2  # per s, tension falls by itself when nothing feeds it
TENSION_THRESHOLDS = (50.0, 80.0, 100.0)
RIOT_AFTER_S = 30.0  # a site at tension 100 this long riots (mission lost)
RIOT_TRUST = 30.0
SITE_WEIGHT = {"kpu": 2.0, "bawaslu": 2.0, "ppk": 1.5, "tps": 1.0, "warehouse": 1.0}
INDEX_INCIDENT_PENALTY = 2.0  # per severity point of visible unresolved incidents
START_TRUST = 75.0
# trust.py: at trust 0 / 100 these multiply by (1 +/- value)
TRUST_AGITATION = 0.5  # how fast crowds are stirred
TRUST_DIALOGUE = 0.5  # what dialogue achieves
TRUST_HOAX = 0.6  # how far hoaxes spread
TRUST_COMPLAINTS = 0.4  # how fast complaints (protest, intimidation, provocation) settle
TRUST_PER_RESOLVED = 1.0  # trust won back per incident resolved

# --- roads and convoys ---------------------------------------------------------------------
CONGESTED_DENSITY = 1.5  # persons per m2 on a road: units re-plan around it
DENSITY_SLOWDOWN = 1.5  # travel time multiplier per person per m2 on an edge
BLOCKED_PENALTY = 50.0  # a blocked road is used only when there is no other way
ROAD_BLOCK_DENSITY = 3.0  # persons per m2 on a road: a crowd blocks it like an incident
CONVOY_CROWD_HAZARD_PER_S = 1.0 / 30.0  # x persons/m2 above comfort on a convoy's road
ESCORT_RANGE_M = 20.0
CONVOY_WAIT_FOR_ESCORT_S = 60.0
CONVOY_HAZARD_PER_S = 1.0 / 90.0  # disruption chance per s for an unescorted moving convoy
ESCORT_HAZARD_FACTOR = {"lantas": 0.0}  # other escorts cut the hazard to 20 %
OTHER_ESCORT_HAZARD_FACTOR = 0.2

# --- score -------------------------------------------------------------------------------
SCORE_INDEX = 10.0  # points per index point averaged over the mission
SCORE_RESOLVED = 150.0  # per incident resolved
SCORE_RESPONSE_S = 240.0  # mean response at or above this gives no response points
SCORE_RESPONSE = 1000.0
SCORE_TRUST = 5.0  # per trust point at the end
SCORE_WIN = 1000.0
SCORE_TIME = 2.0  # per second under par on a win
