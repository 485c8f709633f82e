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


def headway_speed(pos: np.ndarray, radius: np.ndarray, dir_x: np.ndarray,
                  dir_y: np.ndarray, goal: np.ndarray, dist: np.ndarray, who: np.ndarray
                  ) -> np.ndarray:
    """Speed limit (m/s) for the citizens ``who`` (indices into pos) walking along
    (dir_x, dir_y): inf where nobody is in the way within the look-ahead range. Only
    people bound for the same goal and nearer to it count as in the way: that order has no
    cycles, so two walkers converging on a door never wait for each other (people walking
    elsewhere are met by the bodies' contacts)."""
    p = rules.HEADWAY
    limit = np.full(len(who), np.inf)
    if not len(who):
        return limit
    everyone = cKDTree(pos)
    k = min(p.neighbours + 1, len(pos))
    _, near = everyone.query(pos[who], k=k, distance_upper_bound=p.look_ahead_m)
    near = near.reshape(len(who), k)
    i = np.repeat(np.arange(len(who)), k)
    j = near.ravel()
    me = who[i]
    keep = (j < len(pos)) & (j != me)  # missing neighbours come back as len(pos)
    i, j, me = i[keep], j[keep], me[keep]
    rx = pos[j, 0] - pos[me, 0]
    ry = pos[j, 1] - pos[me, 1]
    ex, ey = dir_x[me], dir_y[me]
    ahead = rx * ex + ry * ey
    beside = np.abs(rx * ey - ry * ex)
    bodies = radius[me] + radius[j]
    blocking = (ahead > 0.0) & (beside < p.path_width * bodies)
    blocking &= (goal[j] == goal[me]) & (dist[j] < dist[me])
    i = i[blocking]
    gap = np.hypot(rx[blocking], ry[blocking]) - bodies[blocking]
    speed = np.maximum(gap / p.time_gap_s, p.press_mps)
    np.minimum.at(limit, i, speed)
    return limit
