"""Keeping one's distance: the speed a walker allows itself given who is ahead.

After the collision-free speed model (Tordeux, Chraibi & Seyfried 2016, "Collision-free
speed model for pedestrian dynamics", Traffic and Granular Flow '15; JuPedSim's
``CollisionFreeSpeedModel``): a walker's speed is at most ``(s - l) / T``, where ``s`` is
the distance to the nearest person in the walker's path (within one body width of its
line of walking, ahead of it), ``l`` the two bodies' radii and ``T`` a time gap. This is
what makes a queue discharge through a door at about one person per second per lane, as
in bottleneck experiments, instead of as a pressed column of discs.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from command_game.sim import rules
from command_game.sim.arrays import row_min


def headway_speed(pos: np.ndarray, radius: np.ndarray, dir_x: np.ndarray,
                  dir_y: np.ndarray, goal: np.ndarray, dist: np.ndarray, who: np.ndarray,
                  cells: np.ndarray | None = None, stride: int = 0) -> np.ndarray:
    """Speed limit (m/s) for the citizens ``who`` (indices into pos) walking along
    (dir_x, dir_y): inf where nobody is in the way within the look-ahead range. Only
    people bound for the same goal and nearer to it count as in the way: that order has no
    cycles, so two walkers converging on a door never wait for each other (people walking
    elsewhere are met by the bodies' contacts).

    ``cells``: each citizen's cell in a padded grid of rows ``stride`` long whose cells
    are at least the look-ahead wide (``Crowd._pcells``); then the tree holds only those
    in the 3x3 cells around some walker's, as nobody else can be within look-ahead of
    one (the same answers: a mass's interior far from any walker no longer built into
    the tree)."""
    p = rules.HEADWAY
    n = len(pos)
    if not len(who):
        return np.full(0, np.inf)
    k = min(p.neighbours + 1, n)
    # a tree built unbalanced and uncompacted: quicker to build and to query, same answers
    if cells is None:
        everyone = cKDTree(pos, balanced_tree=False, compact_nodes=False)
        _, near = everyone.query(pos[who], k=k, distance_upper_bound=p.look_ahead_m)
    else:
        around = np.zeros(int(cells.max()) + stride + 2, bool)
        at = cells.take(who)
        for offset in (-stride - 1, -stride, -stride + 1, -1, 0, 1,
                       stride - 1, stride, stride + 1):
            around[at + offset] = True
        rows = np.flatnonzero(around.take(cells))
        near_ones = cKDTree(pos[rows], balanced_tree=False, compact_nodes=False)
        _, near = near_ones.query(pos[who], k=k, distance_upper_bound=p.look_ahead_m)
        near = np.append(rows, n).take(near)  # the tree's missing (len(rows)) -> n
    near = near.reshape(len(who), k)  # (walker, neighbour), n where fewer are in range
    # the missing (row n) stand at NaN, so every test below is False for them; the
    # other gathers clip row n to a real one (its answer is never used)
    px = np.empty(n + 1)
    px[:n] = pos[:, 0]
    px[n] = np.nan
    py = np.empty(n + 1)
    py[:n] = pos[:, 1]
    py[n] = np.nan
    rx = px.take(near)
    rx -= px.take(who)[:, None]
    ry = py.take(near)
    ry -= py.take(who)[:, None]
    ex, ey = dir_x.take(who)[:, None], dir_y.take(who)[:, None]
    bodies = radius.take(near, mode="clip")
    bodies += radius.take(who)[:, None]
    blocking = near != who[:, None]
    blocking &= rx * ex + ry * ey > 0.0  # ahead
    blocking &= np.abs(rx * ey - ry * ex) < p.path_width * bodies  # in the way
    blocking &= goal.take(near, mode="clip") == goal.take(who)[:, None]
    blocking &= dist.take(near, mode="clip") < dist.take(who)[:, None]
    # the gap only where someone is in the way (a few of the pairs), and the nearest
    # one per walker (arrays.row_min)
    at = np.flatnonzero(blocking)
    gap = np.hypot(rx.take(at), ry.take(at))
    gap -= bodies.take(at)
    gaps = np.full(blocking.shape, np.inf)
    gaps.put(at, gap)
    nearest = row_min(gaps)
    nearest /= p.time_gap_s
    return np.maximum(nearest, p.press_mps, out=nearest)
