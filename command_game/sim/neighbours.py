"""Who stands near whom, kept from one steering tick to the next.

Those standing in a mass look at their nearest others every steering tick (``massing``).
A tree search for each of 3,000-6,000 standing citizens every tick was the finale's
largest cost after the physics, yet a standing mass barely moves (under 0.1 m a tick):
so who are one's nearest is searched every ``REFRESH`` steering ticks, and in between
the same people are looked at where they stand now (those who moved out of reach
count as missing). A citizen who just arrived is searched for at once, in the tree of
the last search (its rows followed through removals and reorders).
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

REFRESH = 8  # steering ticks between searches (0.4 s at 20 Hz; 4 cost 6 % more of the
# finale with masses, whose resting people are looked at every 4th tick anyway)
NEVER = -(1 << 40)  # the search tick of a citizen never searched for
MISSING = -1  # in the kept lists: nobody (the last of an array with one appended)


class Neighbours:
    """Per citizen (rows in the crowd's order): its nearest others as last searched
    (``MISSING`` where fewer were found) and the tick of that search."""

    def __init__(self, k: int) -> None:
        self.k = k
        # kept with MISSING (-1) where fewer were found or one left: a row number that
        # stays right when citizens are appended (a marker of n had to be rewritten in
        # every list at every spawn); ``nearest`` hands out n, as before
        self.near = np.zeros((0, k), np.int64)
        self._store = self.near  # self.near is its first rows: room to append in place
        self.searched = np.zeros(0, np.int64)  # steering tick of the search (or NEVER)
        self.tick = 0
        self._tree: cKDTree | None = None  # of everyone, at the last search of all ...
        self._tree_rows = np.full(1, MISSING, np.int64)  # ... its points' rows now (+ missing)

    def nearest(self, pos: np.ndarray, who: np.ndarray, reach: float,
                missing: int | None = None) -> tuple[np.ndarray, ...]:
        """For the citizens ``who``: their ``k`` nearest others within ``reach`` (as of
        the last search) at their current positions, as (n, k) indices (``missing``
        where missing, default ``len(pos)``), distances (inf), and offsets
        x_j - x_i, y_j - y_i (0). Call once per steering tick."""
        n = len(pos)
        self._fit(n)
        if self.tick % REFRESH == 0 or self._tree is None:
            self._tree = cKDTree(pos, balanced_tree=False, compact_nodes=False)
            self._tree_rows = np.arange(n + 1)
            self._tree_rows[n] = MISSING
            self._search(pos, who, reach)
        else:  # those who just arrived (or came back): in the tree of a few ticks ago
            due = who[self.tick - self.searched[who] >= REFRESH]
            if len(due):
                self._search(pos, due, reach)
        self.tick += 1
        near = self.near.take(who, axis=0)
        px = np.append(pos[:, 0], np.inf)  # the missing (row -1) stand infinitely far
        py = np.append(pos[:, 1], np.inf)
        dx = px.take(near)
        dx -= px.take(who)[:, None]
        dy = py.take(near)
        dy -= py.take(who)[:, None]
        dist = np.hypot(dx, dy)
        gone = dist > reach
        if gone.any():
            np.copyto(dist, np.inf, where=gone)
            np.copyto(dx, 0.0, where=gone)
            np.copyto(dy, 0.0, where=gone)
            np.copyto(near, n if missing is None else missing, where=gone)
        return near, dist, dx, dy

    def _search(self, pos: np.ndarray, who: np.ndarray, reach: float) -> None:
        """The ``k`` nearest others within reach of ``who`` in the last tree (its rows
        mapped to the crowd's rows now), nearest first."""
        k = min(self.k + 1, self._tree.n)
        _, near = self._tree.query(pos[who], k=k, distance_upper_bound=reach)
        near = self._tree_rows[near.reshape(len(who), k)]  # tree.n (missing) -> MISSING
        rows = np.full((len(who), self.k), MISSING, np.int64)
        if np.array_equal(near[:, 0], who):  # each found itself first (as nearly always)
            rows[:, :k - 1] = near[:, 1:]
        else:
            me = near == who[:, None]
            first = np.where(me.any(axis=1), np.argmax(me, axis=1), k - 1)  # drop oneself
            # (or the furthest): the columns before it, then those after it
            cols = np.arange(k - 1)[None, :] + (np.arange(k - 1)[None, :] >= first[:, None])
            rows[:, :k - 1] = np.take_along_axis(near, cols, axis=1)
        self.near[who] = rows
        self.searched[who] = self.tick

    def _fit(self, n: int) -> None:
        """New citizens (appended by a spawn) get never-searched, empty rows (appended in
        place where the store has room: a spawn a tick copied every list each time)."""
        old = len(self.searched)
        if old == n:
            return
        if len(self._store) < n:
            store = np.empty((max(n, 2 * len(self._store)), self.k), np.int64)
            store[:old] = self.near
            self._store = store
        self.near = self._store[:n]
        self.near[old:] = MISSING
        self.searched = np.concatenate([self.searched, np.full(n - old, NEVER, np.int64)])

    def renumber(self, kept: np.ndarray, before: int) -> None:
        """The crowd's arrays became ``old[kept]`` (some left, or a reorder): keep every
        list pointing at the same people; those who left drop out of the lists."""
        self._fit(before)
        new = np.full(before + 1, MISSING, np.int64)  # MISSING (-1) reads new[before]
        new[kept] = np.arange(len(kept))
        self.near = self._store = new[self.near[kept]]
        self.searched = self.searched[kept]
        self._tree_rows = new[self._tree_rows]
