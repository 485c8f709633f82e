"""Masses at the sites: citizens who reach their goal's area keep walking in toward its
front (the area's deepest free ground: around the office) until the crowd about them is
as dense as people stand there, densest at the front and thinning outward, so a
thousand people read as a mass around the office rather than a ring on the area's rim.

People standing at 2-3 persons/m2 do not touch (Fruin 1971: a tight standing crowd
without body contact; one person per 0.33-0.5 m2 leaves 0.2-0.35 m between shoulders).
So those standing keep a personal distance, the spacing of a hexagonal crowd at the
density they stand at: they step away from anyone closer (the repulsion of the
collision-free speed model, Tordeux, Chraibi & Seyfried 2016), and whatever they want
to do (press toward the front, sidestep, mill about) they do at most at the speed the
gap ahead of them allows, ``(gap - personal distance) / T``. A mass then stands in
shoulder room instead of as a pile of pressed discs, and pressure cannot build through
its rows (each only closes up to the one ahead, never through it).

Whether to press on is read from a close density: the density of a hexagonal crowd with
the mean spacing of the six nearest others (within about a metre), so a mass's dense core
is not read as thin, as the level grid's 15 m neighbourhood reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from command_game.sim import rules
from command_game.sim.arrays import cap_length, row_min
from command_game.sim.neighbours import Neighbours

HEX = np.sqrt(2.0 / np.sqrt(3.0))  # a hexagonal crowd at rho per m2 stands HEX/sqrt(rho) apart


def standing_density(front_gap: np.ndarray, agitation: np.ndarray) -> np.ndarray:
    """Persons/m2 people stand at, ``front_gap`` m behind the front (rules.MASS); an
    agitated crowd presses in closer (toward crush densities at agitation 1)."""
    m = rules.MASS
    calm = np.maximum(m.front_density / (1.0 + front_gap / m.thinning_m), m.edge_density)
    return calm * (1.0 + m.agitation_press * agitation)


@dataclass
class Company:
    """The nearest others of each standing citizen: indices into the crowd's arrays
    (``len(pos)`` where fewer are near), offsets from the citizen to them and distances."""

    who: np.ndarray  # (n,) the standing citizens
    near: np.ndarray  # (n, k)
    dx: np.ndarray  # (n, k) x_j - x_i
    dy: np.ndarray
    dist: np.ndarray  # (n, k), inf where missing


def company(pos: np.ndarray, who: np.ndarray, neighbours: Neighbours) -> Company:
    """The nearest ``rules.MASS.neighbours`` within ``reach_m`` of the citizens ``who``
    among everyone (walkers, other goals' crowds), at their current positions, picked
    from the crowd's kept candidate lists (``Neighbours``: searched every few ticks)."""
    m = rules.MASS
    near, dist, dx, dy = neighbours.nearest(pos, who, m.reach_m, missing=0)
    return Company(who, near, dx, dy, dist)


def close_density(c: Company, counted: np.ndarray | None = None) -> np.ndarray:
    """Persons/m2 about each of ``c.who``, from how far its six nearest others stand
    (of those ``counted``, a (n, k) mask: default all): the density of a hexagonal crowd
    with that mean spacing (exact for people keeping their distance, about 20 % high for
    people placed at random; nobody within reach counts as twice the reach away)."""
    far = 2.0 * rules.MASS.reach_m
    if counted is None:
        dist = c.dist
    else:
        dist = c.dist.copy()
        np.copyto(dist, far, where=~counted)
        dist.sort(axis=1)
    six = np.minimum(dist[:, :6], far)
    if six.shape[1] < 6:
        six = np.pad(six, ((0, 0), (0, 6 - six.shape[1])), constant_values=far)
    mean = six.sum(axis=1)
    mean /= six.shape[1]  # as mean(axis=1) does: the sum, then over the count
    return (HEX / mean) ** 2


def press_factor(front_gap: np.ndarray, density: np.ndarray,
                 agitation: np.ndarray, wanted: np.ndarray | None = None) -> np.ndarray:
    """Walking speed (a share of the citizen's own) inside its goal area: all of it where
    those standing about it are sparser than people stand there, fading to a gentle press
    (``rules.MASS.press_mps``) as they get that dense, and none once denser still.
    ``wanted``: ``standing_density(front_gap, agitation)`` if the caller has it."""
    m = rules.MASS
    if wanted is None:
        wanted = standing_density(front_gap, agitation)
    room = (wanted - density) / (m.fill_band * wanted)
    np.maximum(room, 0.0, out=room)
    np.minimum(room, 1.0, out=room)
    press = np.where(density < wanted * (1.0 + m.press_band), m.press_mps / rules.FREE_WALK_MPS,
                     0.0)
    return np.maximum(room, press)


def still(c: Company, vel: np.ndarray, dir_x: np.ndarray, dir_y: np.ndarray) -> np.ndarray:
    """(n, k) mask of the neighbours standing: all but those walking on toward their front
    (faster than ``rules.MASS.walking_in_mps`` down their field, ``dir_x``, ``dir_y``). A
    stream walking in is no reason to stop, a mass standing is; and a mass that jostles
    (people stepping out of each other's space, milling) still stands: counting every
    neighbour faster than a shuffle as walking let a gathered mass read itself as empty
    and walk into its own front at 0.5-0.9 m/s, packing 2 /m2 to 3.6 in 10 s."""
    toward = vel[:, 0] * dir_x  # everyone's, then gathered: one gather, not four
    toward += vel[:, 1] * dir_y
    return toward.take(c.near) < rules.MASS.walking_in_mps


def personal_distance(wanted: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """Centre-to-centre distance a citizen keeps to others when standing at ``wanted``
    persons/m2: a hexagonal crowd's spacing, never closer than shoulders plus a gap."""
    return np.maximum(HEX / np.sqrt(wanted), 2.0 * radius + rules.MASS.min_gap_m)


def step_away(c: Company, spacing: np.ndarray, want_x: np.ndarray, want_y: np.ndarray
              ) -> None:
    """In place on the wanted velocities of ``c.who``: step away from anyone nearer than
    one's spacing (at most ``rules.MASS.space_max_mps``)."""
    m = rules.MASS
    into = np.maximum(spacing[:, None] - c.dist, 0.0) / np.maximum(c.dist, 1e-6)
    away_x = -(into * c.dx).sum(axis=1) * m.space_gain
    away_y = -(into * c.dy).sum(axis=1) * m.space_gain
    cap_length(away_x, away_y, m.space_max_mps)
    want_x[c.who] += away_x
    want_y[c.who] += away_y


def make_way(c: Company, pos: np.ndarray, units_xy: np.ndarray, unit_dist: np.ndarray,
             unit: np.ndarray, want_x: np.ndarray, want_y: np.ndarray) -> np.ndarray:
    """People standing in a mass make way for a police unit among them: within
    ``rules.MASS.make_way_m`` of a unit's body they step away from it (up to
    ``make_way_mps``, more the closer it is), and are let yield to its shove (see
    ``keep_to_gap``), so a formation pushing through parts the crowd instead of meeting
    a wall of people each holding their ground. ``unit_dist`` and ``unit``: each of
    ``c.who``'s distance to the nearest unit body within reach (inf beyond) and its row in
    ``units_xy`` (``Crowd._units_near``). In place on the wanted velocities; returns the
    (n,) mask of ``c.who`` near a unit."""
    m = rules.MASS
    near = np.isfinite(unit_dist)
    if near.any():
        reach = rules.UNIT_RADIUS_M + m.make_way_m
        who, d = c.who[near], np.maximum(unit_dist[near], 1e-6)
        away = pos[who] - units_xy[unit[near]]
        step = m.make_way_mps * np.minimum(1.0, (reach - d) / m.make_way_m) / d
        want_x[who] += away[:, 0] * step
        want_y[who] += away[:, 1] * step
    return near


def keep_to_gap(c: Company, radius: np.ndarray, vel: np.ndarray,
                shoved: np.ndarray | None = None) -> None:
    """In place on the velocities of ``c.who``: at most the speed the gap to the one in
    the way (within the two radii of one's line of walking) allows,
    ``(gap - shoulders) / T``, so nobody walks into anyone, and stopping is not left to
    the slow velocity relaxation (an arrival at 1.3 m/s would run on into the mass).
    What the one in the way holds back turns into a sidestep toward the emptier side
    (as people edge round a crowd to get nearer the front), itself held to its gap: the
    mass fills in round the front instead of growing back along the street it came by.
    Those ``shoved`` (near a unit, ``make_way``) are left alone: capping them would take
    away what the unit's push gave them each steering tick, a wall a formation cannot
    part."""
    if shoved is not None and shoved.any():
        c = _without(c, shoved)
    # who is how far clear of whom: the same for both looks (before and after the
    # sidestep), so read once
    bodies = radius.take(c.near)
    bodies += radius.take(c.who)[:, None]
    clear = c.dist - bodies
    held_x, held_y = _held(c, bodies, clear, vel, vel[c.who, 0], vel[c.who, 1])
    # only a few are held back at all (3 % of a mass): their size and which side is
    # crowded are read for them alone; the others' held is exactly 0 and their side +1
    # (every term of their sum below is a signed zero, never > 0)
    rows = np.flatnonzero((held_x != 0.0) | (held_y != 0.0))  # (NaN: read too)
    held = np.zeros(len(held_x))
    side = np.ones(len(held_x))
    if len(rows):
        hx, hy = held_x.take(rows), held_y.take(rows)
        size = np.hypot(hx, hy)
        held[rows] = size
        np.maximum(size, 1e-9, out=size)
        hx /= size
        hy /= size
        # neighbours on the left (cross > 0) against those on the right, nearer ones
        # more (the missing, at inf with no offset, add a zero, as masking them did)
        cross = hx[:, None] * c.dy.take(rows, axis=0)
        cross -= hy[:, None] * c.dx.take(rows, axis=0)
        np.sign(cross, out=cross)
        cross /= 0.3 + c.dist.take(rows, axis=0)
        side[rows] = np.where(cross.sum(1) > 0.0, -1.0, 1.0)  # away from the crowded side
    norm = np.maximum(held, 1e-9)
    ux, uy = held_x / norm, held_y / norm
    side *= np.minimum(held, rules.MASS.slide_mps)  # at most what is blocked (exact: x 1)
    vx, vy = vel[c.who, 0], vel[c.who, 1]
    vx += -uy * side
    vy += ux * side
    _held(c, bodies, clear, vel, vx, vy)


def _without(c: Company, drop: np.ndarray) -> Company:
    keep = ~drop
    return Company(c.who[keep], c.near[keep], c.dx[keep], c.dy[keep], c.dist[keep])


def _held(c: Company, bodies: np.ndarray, clear: np.ndarray, vel: np.ndarray,
          vx: np.ndarray, vy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Scale the velocities ``vx``, ``vy`` (copies) of ``c.who`` to what the gap ahead
    allows and write them into ``vel``; returns the part held back (in ``vx``, ``vy``).
    ``bodies``: each pair's two radii, ``clear``: its distance less those."""
    speed = np.hypot(vx, vy)
    np.maximum(speed, 1e-9, out=speed)
    ux, uy = vx / speed, vy / speed
    ahead = c.dx * ux[:, None]
    ahead += c.dy * uy[:, None]
    beside = c.dx * uy[:, None]
    beside -= c.dy * ux[:, None]
    np.abs(beside, out=beside)
    in_way = beside < bodies
    in_way &= ahead > 0.0
    gaps = np.where(in_way, clear, np.inf)
    room = row_min(gaps)  # the nearest in the way
    room -= rules.MASS.min_gap_m
    np.maximum(room, 0.0, out=room)
    room /= rules.HEADWAY.time_gap_s  # the speed allowed ...
    room /= speed
    scale = np.minimum(1.0, room, out=room)  # ... of one's own
    vel[c.who, 0] = vx * scale
    vel[c.who, 1] = vy * scale
    np.subtract(1.0, scale, out=scale)
    vx *= scale
    vy *= scale
    return vx, vy
