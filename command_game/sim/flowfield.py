"""Walking fields: for each crowd goal, the walking distance from everywhere on the map to
the goal's area, around buildings. Computed once per level and kept in memory, so steering
thousands of citizens is a few table look-ups per citizen.

Distances come from the fast marching method (``scikit-fmm``): the first-arrival time of
a front leaving the goal at 1 m/s, which is close to the Euclidean geodesic in every
direction (an 8-connected grid graph overestimates off-axis paths by up to 8 %, and its
wall-side cells look further, which squeezed a street's crowd onto one line). They live on
a *walk lattice* finer than the level's grid (``walk_spacing``), whose blocked nodes are
the buildings' cores: gaps too narrow for a body are closed first, then the obstacles
shrunk by ``rules.WALK.erode_factor`` lattice spacings, so any opening a person fits
through is open in the lattice wherever it falls relative to the nodes (walls thinner
than that shrinking are kept whole, or the field would lead through them). Walking
directions are the gradient of the distance's bilinear interpolant at each citizen's
exact position, so people across a street's width walk parallel instead of converging.

The level's coarse grid (``cell``, ``rows``, ``cols``, ``free``) stays the crowd-density
and road-congestion grid; ``walkable`` is its free area per cell.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field

import numpy as np
import shapely
import skfmm
from scipy import ndimage

from command_game.level.models import Level
from command_game.sim import rules


@dataclass
class Goal:
    """A place citizens walk to: the walking distance (m) at every walk-lattice node,
    negative inside the area (depth into it); nodes in buildings or unreachable carry the
    distance of their nearest reachable node plus the way to it, so the gradient leads
    out of walls."""

    distance: np.ndarray  # (walk_rows * walk_cols,) float32
    front: float  # the lowest distance on free ground: the area's deepest point


@dataclass
class FlowFields:
    """The walkable ground of one level and the goals computed on it so far."""

    cell: float  # the level's grid: crowd density, road congestion, the view's heat map
    rows: int
    cols: int
    free: np.ndarray  # (rows, cols) bool: no building covers the cell centre
    walkable: np.ndarray  # (rows, cols) float: free ground per cell, m2
    spacing: float  # walk lattice spacing, m; node (r, c) sits at ((c+.5) h, (r+.5) h)
    walk_rows: int
    walk_cols: int
    blocked: np.ndarray  # (walk_rows, walk_cols) bool
    goals: dict[bytes, Goal] = field(default_factory=dict)
    # the last goal's unreachable nodes (mask, flat indices), the nearest reachable node
    # to each and the way there (m): see _fill_unreachable
    _nearest: tuple[np.ndarray, ...] | None = field(default=None, repr=False)

    def cell_index(self, xy: np.ndarray) -> np.ndarray:
        """Flat coarse-cell index of each point (clamped to the map)."""
        col = np.minimum(np.maximum((xy[:, 0] / self.cell).astype(np.int64), 0), self.cols - 1)
        row = np.minimum(np.maximum((xy[:, 1] / self.cell).astype(np.int64), 0), self.rows - 1)
        return row * self.cols + col

    @property
    def nodes(self) -> int:
        return self.walk_rows * self.walk_cols

    def goal(self, area: shapely.Geometry) -> Goal:
        """The field toward an area (a disc, a polygon; a line means "reach the line"),
        computed on first use and shared by every World of this level."""
        key = shapely.to_wkb(area)
        if key not in self.goals:
            dist = self._march(area)
            free = dist[~self.blocked.ravel()]
            self.goals[key] = Goal(dist, float(free.min()) if len(free) else 0.0)
        return self.goals[key]

    def _march(self, area: shapely.Geometry) -> np.ndarray:
        h, rows, cols = self.spacing, self.walk_rows, self.walk_cols
        phi, offset = self._signed_distance(area)
        blocked = self.blocked
        if not (phi < 0)[~blocked].any():  # the area lies in a building: nearest free nodes
            phi, offset = self._nearest_free(area), 0.0
        try:
            dist = skfmm.distance(np.ma.MaskedArray(phi, blocked), dx=h)
        except ValueError:  # no front at all (a map that is all building)
            return np.zeros(rows * cols, np.float32)
        dist = np.ma.filled(dist.astype(np.float64), np.inf) + offset
        return self._fill_unreachable(dist).astype(np.float32).ravel()

    def _fill_unreachable(self, dist: np.ndarray) -> np.ndarray:
        """Blocked and unreachable nodes: the nearest reachable node's distance plus the
        way there, so the gradient everywhere points out of walls and toward open ground.
        Which nodes are unreachable is nearly always the same for every goal of a level
        (the buildings' cores and closed courtyards), so the distance transform to the
        nearest reachable node is kept for the next goal (it cost a third of a field)."""
        bad = ~np.isfinite(dist)
        if not bad.any() or bad.all():
            return np.where(bad, 0.0, dist)
        if self._nearest is None or not np.array_equal(self._nearest[0], bad):
            edt, (ir, ic) = ndimage.distance_transform_edt(bad, return_indices=True)
            nodes = np.flatnonzero(bad)
            self._nearest = (bad, nodes, (ir * bad.shape[1] + ic).ravel()[nodes],
                             (edt * self.spacing).ravel()[nodes])
        _, nodes, nearest, way = self._nearest
        out = dist.ravel().copy()
        out[nodes] = out[nearest] + way
        return out.reshape(dist.shape)

    def _signed_distance(self, area: shapely.Geometry) -> tuple[np.ndarray, float]:
        """Start values for the march: +1 far away, and near the area the exact signed
        distance to it (minus a half spacing for areas without inside, lines and points),
        so the front starts where the area really is, between nodes."""
        h, rows, cols = self.spacing, self.walk_rows, self.walk_cols
        phi = np.ones((rows, cols))
        x0, y0, x1, y1 = area.bounds
        margin = 3.0 * h
        c0, c1 = _span(x0 - margin, x1 + margin, h, cols)
        r0, r1 = _span(y0 - margin, y1 + margin, h, rows)
        if c0 >= c1 or r0 >= r1:
            return phi, 0.0
        cy, cx = np.mgrid[r0:r1, c0:c1]
        px, py = (cx + 0.5) * h, (cy + 0.5) * h
        points = shapely.points(px, py)
        if area.area > 0.0:
            inside = shapely.contains_xy(area, px, py)
            local = np.where(inside, -shapely.distance(area.boundary, points),
                             shapely.distance(area, points))
            offset = 0.0
        else:
            offset = 0.5 * h
            local = shapely.distance(area, points) - offset
        phi[r0:r1, c0:c1] = np.where(np.abs(local) < margin, local, np.sign(local) + 0.0)
        phi[phi == 0.0] = -1e-6
        return phi, offset

    def _nearest_free(self, area: shapely.Geometry) -> np.ndarray:
        h = self.spacing
        cy, cx = np.mgrid[0:self.walk_rows, 0:self.walk_cols]
        p = area.representative_point() if not area.is_empty else shapely.Point(0, 0)
        d = np.hypot((cx + 0.5) * h - p.x, (cy + 0.5) * h - p.y)
        d[self.blocked] = np.inf
        return np.where(d <= d.min() + h, -1.0, 1.0)

    def sample(self, stack: np.ndarray, base: np.ndarray, xy: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distance and unit walking direction at each point, from the stacked fields
        (``base``: each point's field offset into ``stack``): the bilinear interpolant of
        the four nodes around the point and that interpolant's downhill gradient."""
        h, cols, rows = self.spacing, self.walk_cols, self.walk_rows
        fx = xy[:, 0] * (1.0 / h)
        fx -= 0.5
        fy = xy[:, 1] * (1.0 / h)
        fy -= 0.5
        c0 = _floor_index(fx, cols - 2)
        r0 = _floor_index(fy, rows - 2)
        tx = _clamp01(fx - c0)
        ty = _clamp01(fy - r0)
        i00 = r0 * cols
        i00 += c0
        i00 += base
        d00 = stack.take(i00).astype(np.float64)
        i00 += 1
        d01 = stack.take(i00)
        i00 += cols
        d11 = stack.take(i00)
        i00 -= 1
        d10 = stack.take(i00)
        top = d01 - d00  # along x on the lower row
        left = d10 - d00  # along y on the left column
        twist = d11 - d10
        twist -= top  # d11 - d10 - d01 + d00
        gx = twist * ty
        gx += top
        gy = twist * tx
        gy += left
        dist = twist * tx
        dist += left
        dist *= ty
        dist += top * tx
        dist += d00
        norm = np.hypot(gx, gy)
        np.maximum(norm, 1e-9, out=norm)
        np.divide(gx, norm, out=gx)
        np.divide(gy, norm, out=gy)
        np.negative(gx, out=gx)
        np.negative(gy, out=gy)
        return dist, gx, gy


def _floor_index(v: np.ndarray, top: int) -> np.ndarray:
    """floor(v) clamped to 0..top. Truncation (the cast alone) is floor at v >= 0 and at
    most 0 below it, where the clamp makes both 0: the same indices, one pass fewer."""
    idx = v.astype(np.int64)
    np.maximum(idx, 0, out=idx)
    np.minimum(idx, max(top, 0), out=idx)
    return idx


def _clamp01(v: np.ndarray) -> np.ndarray:
    np.maximum(v, 0.0, out=v)
    np.minimum(v, 1.0, out=v)
    return v


def _span(lo: float, hi: float, h: float, size: int) -> tuple[int, int]:
    return max(0, int(math.floor(lo / h - 0.5))), min(size, int(math.ceil(hi / h + 0.5)) + 1)


def walk_spacing(level: Level) -> float:
    """Lattice spacing for a level: as fine as ``rules.WALK`` allows within its node
    budget per goal, never coarser than half the level's grid."""
    w = rules.WALK
    area = level.map.width_m * level.map.height_m
    spacing = max(w.min_spacing_m, math.sqrt(area / w.max_nodes))
    return min(spacing, float(level.map.grid_m) / 2.0)


def obstacles(level: Level) -> shapely.Geometry:
    """The level's buildings as one geometry (invalid or empty outlines left out, as the
    walking field leaves them out): what nobody walks or stands in."""
    polys = [shapely.Polygon(b.polygon) for b in level.buildings]
    polys = [p for p in polys if p.is_valid and p.area > 0]
    return shapely.union_all(polys) if polys else shapely.Polygon()


def _blocked_nodes(obstacles: shapely.Geometry, spacing: float, rows: int, cols: int
                   ) -> np.ndarray:
    """Walk nodes inside the buildings' cores: gaps narrower than a body closed, then the
    obstacles shrunk so that every opening wider than that holds a connected row of
    nodes, however it falls relative to the lattice; walls thinner than that shrinking
    are kept whole (``_thin_walls``)."""
    w = rules.WALK
    blocked = np.zeros((rows, cols), bool)
    if obstacles.is_empty:
        return blocked
    closed = obstacles.buffer(w.narrowest_gap_m / 2.0).buffer(-w.narrowest_gap_m / 2.0)
    core = closed.buffer(-w.erode_factor * spacing)
    if not core.is_empty:
        blocked = _nodes_inside(core, spacing, rows, cols)
    inside = _nodes_inside(closed, spacing, rows, cols)
    thin = _thin_walls(inside) | _thin_walls(inside.T).T
    doors = _narrow_gaps(closed, w.erode_factor * spacing)
    if not doors.is_empty:
        thin &= ~_nodes_inside(doors.buffer(2.0 * w.erode_factor * spacing), spacing, rows,
                               cols)
    return blocked | thin


def _narrow_gaps(closed: shapely.Geometry, width: float) -> shapely.Geometry:
    """Open ground narrower than 2 x ``width`` between two separate buildings (a door in
    a wall, a passage between blocks); a building's own concave corners do not count."""
    parts = np.asarray(getattr(closed, "geoms", [closed]))
    gaps = shapely.get_parts(closed.buffer(width).buffer(-width).difference(closed))
    if len(parts) < 2 or not len(gaps):
        return shapely.Polygon()
    touching = shapely.STRtree(parts).query(shapely.buffer(gaps, 1e-6), "intersects")
    between = np.bincount(touching[0], minlength=len(gaps)) >= 2
    return shapely.union_all(gaps[between])


def _nodes_inside(geometry: shapely.Geometry, spacing: float, rows: int, cols: int
                  ) -> np.ndarray:
    """Walk nodes whose centres lie inside the geometry."""
    inside = np.zeros((rows, cols), bool)
    shapely.prepare(geometry)
    for part in getattr(geometry, "geoms", [geometry]):
        x0, y0, x1, y1 = part.bounds
        c0, c1 = _span(x0, x1, spacing, cols)
        r0, r1 = _span(y0, y1, spacing, rows)
        if c0 >= c1 or r0 >= r1:
            continue
        cy, cx = np.mgrid[r0:r1, c0:c1]
        inside[r0:r1, c0:c1] |= shapely.contains_xy(part, (cx + 0.5) * spacing,
                                                    (cy + 0.5) * spacing)
    return inside


def _thin_walls(inside: np.ndarray) -> np.ndarray:
    """Nodes inside a wall thinner than the shrinking leaves standing, along axis 0:
    runs of at most ``rules.WALK.thin_wall_nodes`` building nodes with open ground at
    both ends. Shrunk away, such a wall vanished from the field and people walked into it
    for good (the finale's Menteng crowd, 1,000 people, pressed against a 3 m wall
    between a courtyard and the street all night); kept, it stays a wall. Near a gap
    narrower than the shrinking opens (a door in the wall), the wall stays shrunk, so the
    door stays open."""
    rows = inside.shape[0]
    longest = rules.WALK.thin_wall_nodes
    padded = np.pad(inside, ((1, longest + 1), (0, 0)), constant_values=True)
    thin = np.zeros_like(inside)
    for k in range(1, longest + 1):
        run = ~padded[:rows] & ~padded[k + 1:k + 1 + rows]  # open before and after
        for m in range(1, k + 1):
            run &= padded[m:m + rows]
        for m in range(k):
            thin[m:] |= run[:rows - m]
    return thin


def _coarse_ground(obstacles: shapely.Geometry, cell: float, rows: int, cols: int,
                   width_m: float, height_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Per level-grid cell: is its centre free, and how many m2 of it are free ground
    inside the map (exact polygon areas, where a building's box touches the cell)."""
    free = np.ones((rows, cols), bool)
    xs = np.minimum((np.arange(cols) + 1) * cell, width_m) - np.arange(cols) * cell
    ys = np.minimum((np.arange(rows) + 1) * cell, height_m) - np.arange(rows) * cell
    walkable = np.outer(ys, xs)
    if obstacles.is_empty:
        return free, walkable
    covered = np.zeros((rows, cols))
    for part in getattr(obstacles, "geoms", [obstacles]):
        x0, y0, x1, y1 = part.bounds
        c0, c1 = max(0, int(x0 / cell)), min(cols, int(math.ceil(x1 / cell)) + 1)
        r0, r1 = max(0, int(y0 / cell)), min(rows, int(math.ceil(y1 / cell)) + 1)
        if c0 >= c1 or r0 >= r1:
            continue
        shapely.prepare(part)
        cy, cx = np.mgrid[r0:r1, c0:c1]
        free[r0:r1, c0:c1] &= ~shapely.contains_xy(part, (cx + 0.5) * cell, (cy + 0.5) * cell)
        boxes = shapely.box(cx * cell, cy * cell, (cx + 1) * cell, (cy + 1) * cell)
        inner = shapely.contains(part, boxes)  # whole cells: no need to intersect
        area = np.where(inner, cell * cell, 0.0)
        edge = ~inner & shapely.intersects(part, boxes)
        area[edge] = shapely.area(shapely.intersection(boxes[edge], part))
        covered[r0:r1, c0:c1] += area
    walkable = np.maximum(walkable - covered, 0.0)
    return free, walkable


def build_fields(level: Level) -> FlowFields:
    cell = float(level.map.grid_m)
    rows = max(1, math.ceil(level.map.height_m / cell))
    cols = max(1, math.ceil(level.map.width_m / cell))
    spacing = walk_spacing(level)
    walk_rows = max(2, math.ceil(level.map.height_m / spacing))
    walk_cols = max(2, math.ceil(level.map.width_m / spacing))
    blocked_by = obstacles(level)
    free, walkable = _coarse_ground(blocked_by, cell, rows, cols, level.map.width_m,
                                    level.map.height_m)
    return FlowFields(cell, rows, cols, free, walkable, spacing, walk_rows, walk_cols,
                      _blocked_nodes(blocked_by, spacing, walk_rows, walk_cols))


_CACHE: dict[str, FlowFields] = {}


def flow_fields(level: Level) -> FlowFields:
    """The level's fields, shared by every World of the same ground (map and buildings:
    all a field depends on, so every night of a level shares them) in this process."""
    ground = [level.map.model_dump(mode="json"),
              [b.model_dump(mode="json") for b in level.buildings]]
    key = hashlib.sha256(json.dumps(ground, sort_keys=True).encode()).hexdigest()
    if key not in _CACHE:
        _CACHE[key] = build_fields(level)
        if len(_CACHE) > 16:  # an editor session makes many versions: keep the newest
            del _CACHE[next(iter(_CACHE))]
    return _CACHE[key]
