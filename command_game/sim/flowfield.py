"""Flow fields: for each crowd goal, the walking distance from every grid cell and the way
downhill, around buildings. Computed once per level and kept in memory, so steering
thousands of citizens is a table look-up per citizen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from scipy import ndimage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra

from command_game.level.io import level_digest
from command_game.level.models import Level

# 8 neighbours: (drow, dcol)
_OFFSETS = ((-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1))


@dataclass
class Goal:
    """A place citizens walk to: distance (m) per cell and a unit direction per cell."""

    distance: np.ndarray  # (rows*cols,) float32, inf where unreachable
    direction: np.ndarray  # (rows*cols, 2) float32


@dataclass
class FlowFields:
    """The walkable grid of one level and the goals computed on it so far."""

    cell: float
    rows: int
    cols: int
    free: np.ndarray  # (rows, cols) bool: no building covers the cell centre
    goals: dict[tuple[float, float, float], Goal] = field(default_factory=dict)
    _graph: object | None = None

    def cell_index(self, xy: np.ndarray) -> np.ndarray:
        """Flat cell index of each point (clamped to the map)."""
        col = np.minimum(np.maximum((xy[:, 0] / self.cell).astype(np.int64), 0), self.cols - 1)
        row = np.minimum(np.maximum((xy[:, 1] / self.cell).astype(np.int64), 0), self.rows - 1)
        return row * self.cols + col

    def goal(self, x: float, y: float, radius: float) -> Goal:
        """The field toward the disc (x, y, radius), computed on first use."""
        key = (float(x), float(y), float(radius))
        if key not in self.goals:
            self.goals[key] = self._compute_goal(*key)
        return self.goals[key]

    def _compute_goal(self, x: float, y: float, radius: float) -> Goal:
        rows, cols, cell = self.rows, self.cols, self.cell
        cy, cx = np.mgrid[0:rows, 0:cols]
        centre_x, centre_y = (cx + 0.5) * cell, (cy + 0.5) * cell
        target = ((centre_x - x) ** 2 + (centre_y - y) ** 2 <= max(radius, cell) ** 2)
        target &= self.free
        if not target.any():  # the goal sits inside a building: use the nearest free cells
            dist_to = np.hypot(centre_x - x, centre_y - y)
            dist_to[~self.free] = np.inf
            target = dist_to <= dist_to.min() + cell
        sources = np.flatnonzero(target.ravel())
        dist = dijkstra(self._walk_graph(), directed=False, indices=sources, min_only=True)
        dist = dist.astype(np.float32)
        dist[~self.free.ravel()] = np.inf
        return Goal(distance=dist, direction=self._downhill(dist.reshape(rows, cols)))

    def _walk_graph(self):
        if self._graph is None:
            self._graph = _grid_graph(self.free, self.cell)
        return self._graph

    def _downhill(self, dist: np.ndarray) -> np.ndarray:
        """Unit vector down the distance gradient (central differences, one-sided next to
        walls), or toward the lowest neighbour where the gradient is undefined; blocked
        cells point the way their nearest free cell does and out of the wall."""
        best_dir = self._steepest(dist)
        with np.errstate(invalid="ignore", divide="ignore"):  # inf - inf next to walls
            gx, gy = (_one_axis_gradient(dist, dr, dc) for dr, dc in ((0, 1), (1, 0)))
            norm = np.hypot(gx, gy)
            smooth = np.stack([-gx / norm, -gy / norm], -1).astype(np.float32)
        good = np.isfinite(norm) & (norm > 1e-6) & self.free & np.isfinite(dist)
        best_dir[good] = smooth[good]
        return best_dir.reshape(-1, 2)

    def _steepest(self, dist: np.ndarray) -> np.ndarray:
        rows, cols = dist.shape
        padded = np.pad(dist, 1, constant_values=np.inf)
        best = dist.copy()
        best_dir = np.zeros((rows, cols, 2), np.float32)
        for dr, dc in _OFFSETS:
            nb = padded[1 + dr:1 + dr + rows, 1 + dc:1 + dc + cols]
            step = math.hypot(dr, dc)
            better = nb < best
            best = np.where(better, nb, best)
            best_dir[better] = (dc / step, dr / step)
        blocked = ~np.isfinite(dist) | ~self.free
        if blocked.any() and (~blocked).any():
            _, (ir, ic) = ndimage.distance_transform_edt(blocked, return_indices=True)
            best_dir[blocked] = best_dir[ir[blocked], ic[blocked]]
            # and out of the wall, toward that free cell
            out = np.stack([ic - np.arange(cols)[None, :], ir - np.arange(rows)[:, None]], -1)
            norm = np.linalg.norm(out, axis=-1, keepdims=True)
            out = np.where(norm > 0, out / np.maximum(norm, 1e-9), 0.0)
            best_dir[blocked] = 0.5 * best_dir[blocked] + out[blocked].astype(np.float32)
        return best_dir


def _one_axis_gradient(dist: np.ndarray, dr: int, dc: int) -> np.ndarray:
    """Central difference where both neighbours are walkable, else the one-sided one."""
    rows, cols = dist.shape
    padded = np.pad(dist, 1, constant_values=np.inf)
    fwd = padded[1 + dr:1 + dr + rows, 1 + dc:1 + dc + cols] - dist
    bwd = dist - padded[1 - dr:1 - dr + rows, 1 - dc:1 - dc + cols]
    ok_f, ok_b = np.isfinite(fwd), np.isfinite(bwd)
    both = 0.5 * (np.where(ok_f, fwd, 0.0) + np.where(ok_b, bwd, 0.0))
    return np.where(ok_f & ok_b, both, np.where(ok_f, fwd, np.where(ok_b, bwd, np.nan)))


def _grid_graph(free: np.ndarray, cell: float):
    """Sparse graph of free cells, 8-connected, no corner cutting past a blocked cell."""
    rows, cols = free.shape
    idx = np.arange(rows * cols).reshape(rows, cols)
    heads, tails, weights = [], [], []
    for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
        r0, r1 = max(0, -dr), rows - max(0, dr)
        c0, c1 = max(0, -dc), cols - max(0, dc)
        a = (slice(r0, r1), slice(c0, c1))
        b = (slice(r0 + dr, r1 + dr), slice(c0 + dc, c1 + dc))
        ok = free[a] & free[b]
        if dr and dc:  # diagonal: both orthogonal neighbours must be free too
            ok &= free[r0 + dr:r1 + dr, c0:c1] & free[r0:r1, c0 + dc:c1 + dc]
        heads.append(idx[a][ok])
        tails.append(idx[b][ok])
        weights.append(np.full(int(ok.sum()), cell * math.hypot(dr, dc)))
    h, t, w = np.concatenate(heads), np.concatenate(tails), np.concatenate(weights)
    return coo_matrix((w, (h, t)), shape=(rows * cols, rows * cols)).tocsr()


def free_cells(level: Level, cell: float, rows: int, cols: int) -> np.ndarray:
    """Cells whose centre no building covers."""
    free = np.ones((rows, cols), bool)
    for b in level.buildings:
        poly = shapely.Polygon(b.polygon)
        if not poly.is_valid:
            continue
        x0, y0, x1, y1 = poly.bounds  # test only the cells under the building's box
        c0, c1 = max(0, int(x0 / cell)), min(cols, int(math.ceil(x1 / cell)) + 1)
        r0, r1 = max(0, int(y0 / cell)), min(rows, int(math.ceil(y1 / cell)) + 1)
        if c0 >= c1 or r0 >= r1:
            continue
        cy, cx = np.mgrid[r0:r1, c0:c1]
        inside = shapely.contains_xy(poly, (cx + 0.5) * cell, (cy + 0.5) * cell)
        free[r0:r1, c0:c1] &= ~inside
    return free


_CACHE: dict[tuple[str, float], FlowFields] = {}


def flow_fields(level: Level) -> FlowFields:
    """The level's fields, shared by every World of the same level content in this process."""
    cell = float(level.map.grid_m)
    key = (level_digest(level), cell)
    if key not in _CACHE:
        rows = max(1, math.ceil(level.map.height_m / cell))
        cols = max(1, math.ceil(level.map.width_m / cell))
        _CACHE[key] = FlowFields(cell, rows, cols, free_cells(level, cell, rows, cols))
        if len(_CACHE) > 16:  # an editor session makes many versions: keep the newest
            del _CACHE[next(iter(_CACHE))]
    return _CACHE[key]
