"""Agitated crowds push: "faster is slower" at a narrow exit.

After Helbing, Farkas & Vicsek (2000), "Simulating dynamical features of escape panic",
Nature 407: nervous people want to move faster than normal, stop keeping their distance
and push; at a narrow door the pushing presses bodies into each other and onto the door
posts, and contact friction makes arches that hold, so the door clogs in bursts and the
flow falls as the wish to hurry grows past a point. Measured with real people pushing
through a narrow door by Garcimartín, Zuriguel et al. (2016), "Flow of pedestrians through
narrow doors with different competitiveness", J. Stat. Mech. 043402, and by Pastor et al.
(2015), "Experimental proof of faster-is-slower in systems of frictional particles
flowing through constrictions", Phys. Rev. E 92.

Here agitation (0 calm, 1 furious) raises a citizen's wanted speed and shortens the time
gap it keeps to the one ahead (so, touching, it presses harder: the solver turns the
larger velocity error into a larger contact force). Bodies have one constant Coulomb
friction: calm people barely press, so the small jostle of walking breaks any arch at a
door post; pushed hard, the friction an arch can hold grows with the push and the arch
stands. No per-body state: a few array operations on the agitation each steering tick.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree


@dataclass(frozen=True)
class Pushing:
    """How agitation turns into hurry and pushing (Helbing et al. 2000; Garcimartín et
    al. 2016). Helbing's escape panic raises the desired speed from 0.6 up to 5 m/s; an
    election crowd is angry, not fleeing for its life, so at agitation 1 a citizen wants
    ``1 + speed_gain`` times its own walking speed."""

    speed_gain: float = 0.3  # wanted speed x (1 + this x agitation)
    time_gap_cut: float = 0.8  # headway time gap x (1 - this x agitation): pushing
    wedge: float = 2.0  # chance per wedge_s (above 1: sure) two at agitation 1 wedge
    wedge_s: float = 1.0 / 30.0  # the chance's time base: a chance per second of game time,
    # whatever the steering rate (calibrated at 30 Hz, where it was per steering tick)
    contact_m: float = 0.1  # bodies this close touch (0.05 at 30 Hz steering: at 20 Hz
    # pairs close up further between two looks)
    converging: float = 0.3  # (e_i - e_j) . unit(x_j - x_i) above this: their ways cross
    min_agitation: float = 0.4  # calmer people yield: they never wedge
    min_density: float = 0.5  # persons/m2 around: only in company


PUSHING = Pushing()


def hurry(agitation: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Multiply ``out`` (wanted speeds) in place by how much faster agitation makes one
    want to go."""
    p = PUSHING
    out *= 1.0 + p.speed_gain * agitation
    return out


def pressing(agitation: np.ndarray, headway_limit: np.ndarray) -> np.ndarray:
    """The speed each walker allows itself behind the one in its way: the headway limit
    (gap / time gap, or a gentle press when touching) with the time gap shortened by
    agitation, so agitated people close up and press on those ahead."""
    keep = 1.0 - PUSHING.time_gap_cut * agitation
    return headway_limit / np.maximum(keep, 0.05)


def wedged(pos: np.ndarray, radius: np.ndarray, dir_x: np.ndarray, dir_y: np.ndarray,
           goal: np.ndarray, dist: np.ndarray, agitation: np.ndarray, density: np.ndarray,
           rng: np.random.Generator, walking: np.ndarray, dt: float) -> np.ndarray:
    """Indices of walkers wedged this steering tick (``dt`` s since the last): two
    pushing people bound for the same goal, touching, side by side (neither ahead of the
    other) and converging (their ways cross, as at a door) both try to go first; with a
    chance that grows with both agitations, and with the time they have been at it,
    neither yields and both stick, shoulder to shoulder, until the next tick.
    This is the friction of Kirchner, Nishinari & Schadschneider (2003), "Friction
    effects and clogging in a cellular automaton model for pedestrian dynamics", Phys.
    Rev. E 67, 056122, in continuous space; calm people (who yield) never wedge."""
    p = PUSHING
    who = np.flatnonzero((agitation >= p.min_agitation) & (density >= p.min_density)
                         & walking)
    if len(who) < 2:
        return who[:0]
    reach = 2.0 * float(radius[who].max()) + p.contact_m
    tree = cKDTree(pos[who], balanced_tree=False, compact_nodes=False)  # quicker, same pairs
    pairs = tree.query_pairs(reach, output_type="ndarray")
    if not len(pairs):
        return who[:0]
    i, j = who[pairs[:, 0]], who[pairs[:, 1]]
    # the tests that need no distance first (same goal, side by side), the distance and
    # the crossing only for the pairs left: the same pairs, in the same order
    bodies = radius[i] + radius[j]
    same = (goal[i] == goal[j]) & (np.abs(dist[i] - dist[j]) < 0.5 * bodies)
    i, j, bodies = i[same], j[same], bodies[same]
    rx, ry = pos[j, 0] - pos[i, 0], pos[j, 1] - pos[i, 1]
    apart = np.hypot(rx, ry)
    crossing = ((dir_x[i] - dir_x[j]) * rx + (dir_y[i] - dir_y[j]) * ry
                > p.converging * apart)
    contest = (apart - bodies < p.contact_m) & crossing
    i, j = i[contest], j[contest]
    order = np.lexsort((j, i))  # one order (of the chances drawn), whatever the tree's
    i, j = i[order], j[order]
    over = 1.0 - p.min_agitation
    chance = p.wedge * (agitation[i] - p.min_agitation) * (agitation[j] - p.min_agitation)
    np.minimum(chance / (over * over), 1.0, out=chance)  # per wedge_s ...
    chance = 1.0 - (1.0 - chance) ** (dt / p.wedge_s)  # ... and so per dt
    stuck = rng.random(len(i)) < chance
    if not stuck.any():  # (most steering ticks: the set operation costs more than the rest)
        return who[:0]
    return np.union1d(i[stuck], j[stuck])
