"""The crowd: citizens as small circles in one pymunk Space, steered all at once in numpy.

Per tick: wanted velocities come from the flow field of each citizen's goal, slowed by
local density (Weidmann's fundamental diagram) and stirred by agitation; they are written
with ``pymunk.batch`` and, after ``space.step``, positions are read back the same way.
Rows of the batch buffer are mapped to citizens by body id, because pymunk reorders its
bodies when one is removed.
"""

from __future__ import annotations

import numpy as np
import pymunk
import pymunk.batch as batch

from command_game.sim import rules
from command_game.sim.flowfield import FlowFields

CITIZEN_CAT, UNIT_CAT, WALL_CAT = 0b001, 0b010, 0b100
_READ = batch.BodyFields.POSITION | batch.BodyFields.VELOCITY
_PER_CITIZEN = ("ids", "pos", "vel", "agitation", "base_agitation", "goal", "home_goal",
                "going_home", "source", "local_density", "arrived_home")


class Crowd:
    """Citizens (arrays in creation order) plus the pymunk space they share with units."""

    def __init__(self, fields: FlowFields, width_m: float, height_m: float,
                 walls: list[list[tuple[float, float]]]) -> None:
        self.fields = fields
        self.space = pymunk.Space()
        self.space.iterations = 4  # 6 cost ~12 % more step time in packed crowds, same wins
        self._add_walls(walls, width_m, height_m)
        self._goal_specs: list[tuple[float, float, float, float]] = []  # x, y, radius, stop
        self._goal_slot = np.zeros(0, np.int64)  # goal index -> slot in the stack, -1: none
        self._dx_all = self._dy_all = self._dists_all = np.zeros(0, np.float32)
        self._stops_all = np.zeros(0, np.float32)
        self.ids = np.zeros(0, np.int64)  # pymunk body ids
        self.bodies: list[pymunk.Body] = []
        self.pos = np.zeros((0, 2))
        self.vel = np.zeros((0, 2))
        self.agitation = np.zeros(0)
        self.base_agitation = np.zeros(0)
        self.goal = np.zeros(0, np.int32)  # goal index (see add_goal)
        self.home_goal = np.zeros(0, np.int32)
        self.going_home = np.zeros(0, bool)
        self.source = np.zeros(0, np.int32)
        self._pcells = np.zeros(0, np.int64)
        self._pcounts = np.zeros((fields.rows + 2) * (fields.cols + 2), np.int64)
        self._agitation_sums = np.zeros(len(self._pcounts))
        self._touched = np.zeros(0, np.int64)  # padded cells holding counts
        self._sums_touched = np.zeros(0, np.int64)  # padded cells holding agitation sums
        self._counts = np.zeros(fields.rows * fields.cols, np.int32)
        self._counts_fresh = True
        self.local_density = np.zeros(0)  # persons per m2 around each citizen
        self.arrived_home = np.zeros(0, bool)
        self._cells = np.zeros(0, np.int64)
        self._buf = batch.Buffer()
        self._out = batch.Buffer()
        self._rows_dirty = True
        self._citizen_rows = np.zeros(0, np.int64)
        self._citizen_slice: slice | None = None

    # --- setup -------------------------------------------------------------------------
    def _add_walls(self, walls, width_m: float, height_m: float) -> None:
        static = self.space.static_body
        border = [(0, 0), (width_m, 0), (width_m, height_m), (0, height_m)]
        for poly in [*walls, border]:
            for a, b in zip(poly, [*poly[1:], poly[0]], strict=True):
                seg = pymunk.Segment(static, a, b, 0.1)
                seg.friction = 0.0
                seg.filter = pymunk.ShapeFilter(categories=WALL_CAT, mask=CITIZEN_CAT)
                self.space.add(seg)

    def add_goal(self, x: float, y: float, radius: float, stop_m: float,
                 now: bool = True) -> int:
        """Register a place to walk to; returns its goal index (the same place twice gives
        the same index). Its field is computed now, or with ``now=False`` on first use
        (``ensure_goal``): a home field nobody walks yet costs neither time nor memory."""
        spec = (float(x), float(y), float(radius), float(stop_m))
        if spec in self._goal_specs:
            index = self._goal_specs.index(spec)
        else:
            self._goal_specs.append(spec)
            self._goal_slot = np.append(self._goal_slot, -1)
            index = len(self._goal_specs) - 1
        if now:
            self.ensure_goal(index)
        return index

    def ensure_goal(self, index: int) -> None:
        """Compute the goal's field if it is not ready; all ready fields are stacked in one
        array so steering is a single gather for every citizen."""
        if self._goal_slot[index] >= 0:
            return
        x, y, radius, stop = self._goal_specs[index]
        goal = self.fields.goal(x, y, radius)
        self._goal_slot[index] = len(self._stops_all)
        self._dx_all = np.concatenate([self._dx_all, goal.direction[:, 0]])
        self._dy_all = np.concatenate([self._dy_all, goal.direction[:, 1]])
        self._dists_all = np.concatenate([self._dists_all, goal.distance])
        self._stops_all = np.append(self._stops_all, np.float32(stop))

    def goal_direction(self, index: int, cells: np.ndarray) -> np.ndarray:
        """(n, 2) unit directions of a ready goal's field at the given cells."""
        flat = self._goal_slot[index] * (self.fields.rows * self.fields.cols) + cells
        return np.column_stack([self._dx_all[flat], self._dy_all[flat]])

    # --- population --------------------------------------------------------------------
    def spawn(self, xy: np.ndarray, goal: int, home_goal: int, source: int,
              agitation: float) -> None:
        """Add citizens at the given points (already checked to be on free ground)."""
        self.ensure_goal(goal)
        new_ids = []
        for x, y in xy.tolist():
            body = pymunk.Body(rules.CITIZEN_MASS_KG, float("inf"))
            body.position = (x, y)
            shape = pymunk.Circle(body, rules.CITIZEN_RADIUS_M)
            shape.friction = 0.0
            shape.filter = pymunk.ShapeFilter(categories=CITIZEN_CAT)
            self.space.add(body, shape)
            self.bodies.append(body)
            new_ids.append(body.id)
        n = len(new_ids)
        self.ids = np.concatenate([self.ids, np.asarray(new_ids, np.int64)])
        self.pos = np.concatenate([self.pos, xy])
        self.vel = np.concatenate([self.vel, np.zeros((n, 2))])
        self.agitation = np.concatenate([self.agitation, np.full(n, agitation)])
        self.base_agitation = np.concatenate([self.base_agitation, np.full(n, agitation)])
        self.goal = np.concatenate([self.goal, np.full(n, goal, np.int32)])
        self.home_goal = np.concatenate([self.home_goal, np.full(n, home_goal, np.int32)])
        self.going_home = np.concatenate([self.going_home, np.zeros(n, bool)])
        self.source = np.concatenate([self.source, np.full(n, source, np.int32)])
        self.local_density = np.concatenate([self.local_density, np.zeros(n)])
        self.arrived_home = np.concatenate([self.arrived_home, np.zeros(n, bool)])
        self._rows_dirty = True

    def remove(self, mask: np.ndarray) -> None:
        """Take the marked citizens out of the world (they went home)."""
        if not mask.any():
            return
        for i in np.flatnonzero(mask).tolist():
            body = self.bodies[i]
            self.space.remove(body, *body.shapes)
        keep = ~mask
        self.bodies = [b for b, k in zip(self.bodies, keep.tolist(), strict=True) if k]
        for name in _PER_CITIZEN:
            setattr(self, name, getattr(self, name)[keep])
        self._rows_dirty = True

    @property
    def count(self) -> int:
        return len(self.ids)

    # --- per tick ----------------------------------------------------------------------
    def update_density(self) -> None:
        """Bin citizens into grid cells; each citizen's density is that of the 3x3 cells
        around it. A padded grid turns the neighbourhood sum into nine gathers."""
        if self._rows_dirty:
            self._map_rows()  # may reorder citizens: before anything derived from the order
        f = self.fields
        pc = f.cols + 2
        col = _clamp_index(self.pos[:, 0] / f.cell, f.cols)
        row = _clamp_index(self.pos[:, 1] / f.cell, f.rows)
        self._cells = row * f.cols + col
        self._pcells = (row + 1) * pc + col + 1
        self._touched = self._bin(self._pcounts, None, self._touched)
        self._counts_fresh = False
        self.local_density = self._neighbourhood(self._pcounts) / (9.0 * f.cell * f.cell)

    def _bin(self, grid: np.ndarray, weights: np.ndarray | None,
             touched: np.ndarray | None) -> np.ndarray | None:
        """Per-cell sums (counts, or of weights) into the padded grid, in place; returns
        the cells that may now be non-zero (None: any of them). A big map with few citizens
        only clears and fills the cells that were and are occupied: zeroing the whole grid
        every tick would cost more than the crowd. ``np.add.at`` sums in citizen order like
        ``bincount`` (the same floats) and costs a tenth of ``np.unique`` + ``bincount``."""
        if 8 * len(self._pcells) >= len(grid):
            grid[:] = np.bincount(self._pcells, weights=weights, minlength=len(grid))
            return None  # the whole grid may be non-zero
        if touched is None:
            grid[:] = 0
        else:
            grid[touched] = 0
        np.add.at(grid, self._pcells, 1 if weights is None else weights)
        return self._pcells  # repeats do no harm: only used to zero the cells again

    def _neighbourhood(self, padded: np.ndarray) -> np.ndarray:
        """Sum of a padded grid over the 3x3 cells around each citizen: nine gathers added
        one after another into one array, in the order a (9, n) ``sum(axis=0)`` would (the
        same floats), without its (9, n) index and value temporaries (8x faster)."""
        pc = self.fields.cols + 2
        n = len(self._pcells)
        index = np.empty(n, np.int64)
        value = np.empty(n, padded.dtype)
        total = np.empty(n)
        for k, offset in enumerate((-pc - 1, -pc, -pc + 1, -1, 0, 1, pc - 1, pc, pc + 1)):
            np.add(self._pcells, offset, out=index)
            padded.take(index, out=value)
            if k:
                total += value
            else:
                total[:] = value
        return total

    @property
    def counts(self) -> np.ndarray:
        """Citizens per grid cell, (rows*cols,) int."""
        if not self._counts_fresh:
            f = self.fields
            grid = self._pcounts.reshape(f.rows + 2, f.cols + 2)[1:-1, 1:-1]
            self._counts = np.ascontiguousarray(grid).ravel().astype(np.int32)
            self._counts_fresh = True
        return self._counts

    def steer(self, rng: np.random.Generator, dt: float) -> None:
        """Wanted velocity for every citizen, relaxed into its current velocity: down the
        flow field at the walking speed its local density allows (Weidmann), slowing to a
        stop at the goal, where agitated citizens mill about."""
        if not self.count:
            return
        goal = np.where(self.going_home, self.home_goal, self.goal) \
            if self.going_home.any() else self.goal
        slot = self._goal_slot[goal]
        flat = slot * (self.fields.rows * self.fields.cols)
        flat += self._cells
        dist = self._dists_all[flat]
        # Weidmann: 1 - exp(gamma (1/jam - 1/rho)), in place (one array, not six)
        factor = np.maximum(self.local_density, 1e-3)
        np.divide(1.0, factor, out=factor)
        np.subtract(1.0 / rules.JAM_DENSITY, factor, out=factor)
        factor *= rules.WEIDMANN_GAMMA
        np.exp(factor, out=factor)
        np.subtract(1.0, factor, out=factor)
        np.maximum(factor, rules.MIN_SPEED_FACTOR, out=factor)
        np.minimum(factor, 1.0, out=factor)
        dist_left = dist - self._stops_all[slot]
        approach = _clamp01(dist_left * 0.25)
        approach[~np.isfinite(dist)] = 1.0
        speed = factor
        speed *= approach * rules.FREE_WALK_MPS
        stirred = self.agitation * 0.3
        stirred += 1.0
        speed *= stirred
        want_x = self._dx_all[flat] * speed
        want_y = self._dy_all[flat] * speed
        milling = np.flatnonzero((approach < 1.0) & (self.agitation > 0.0))
        if len(milling):
            wander = rng.standard_normal((2, len(milling)))
            amount = rules.WANDER_MPS * self.agitation[milling] * (1.0 - approach[milling])
            want_x[milling] += wander[0] * amount
            want_y[milling] += wander[1] * amount
        relax = min(1.0, dt / rules.STEER_RELAX_S)
        for axis, want in enumerate((want_x, want_y)):
            want -= self.vel[:, axis]
            want *= relax
            self.vel[:, axis] += want
        self.arrived_home = self.going_home & (dist_left <= 0.0)

    def tick(self, rng: np.random.Generator, tick: int) -> None:
        """One crowd tick. Steering (density, wanted velocities, the batch write) runs every
        STEER_EVERY ticks; pymunk steps and positions are read back every tick. Other
        bodies in the space (units, see ``unit_bodies.py``) are driven by their owners."""
        if tick % rules.STEER_EVERY == 0:
            self.update_density()
            self.steer(rng, rules.DT * rules.STEER_EVERY)
            self._write_velocities()
        self._step_and_read(rules.DT)

    def _write_velocities(self) -> None:
        if self._rows_dirty:
            self._map_rows()
        rows = self._citizen_slice if self._citizen_slice is not None else self._citizen_rows
        self._buf.clear()  # every other body (static, units) keeps the velocity it has now
        batch.get_space_bodies(self.space, batch.BodyFields.VELOCITY, self._buf)
        out = np.frombuffer(self._buf.float_buf()).reshape(-1, 2).copy()
        out[rows] = self.vel
        self._out.set_float_buf(out.ravel())
        batch.set_space_bodies(self.space, batch.BodyFields.VELOCITY, self._out)

    def _step_and_read(self, dt: float) -> None:
        self.space.step(dt)
        if self._rows_dirty:
            self._map_rows()
        rows = self._citizen_slice if self._citizen_slice is not None else self._citizen_rows
        self._buf.clear()
        batch.get_space_bodies(self.space, _READ, self._buf)
        data = np.frombuffer(self._buf.float_buf()).reshape(-1, 4)
        mine = data[rows]
        self.pos = mine[:, :2].copy()
        self.vel = mine[:, 2:].copy()

    def _map_rows(self) -> None:
        self._buf.clear()
        batch.get_space_bodies(self.space, batch.BodyFields.BODY_ID, self._buf)
        row_ids = np.frombuffer(self._buf.int_buf(), dtype=np.uintp).astype(np.int64)
        order = np.argsort(row_ids, kind="stable")
        sorted_ids = row_ids[order]
        rows = order[np.searchsorted(sorted_ids, self.ids)]
        if len(rows) > 1 and not np.all(np.diff(rows) > 0):
            self._reorder(np.argsort(rows, kind="stable"))  # after removals
            rows = order[np.searchsorted(sorted_ids, self.ids)]
        self._citizen_rows = rows
        contiguous = len(rows) > 0 and rows[-1] - rows[0] + 1 == len(rows)
        self._citizen_slice = slice(int(rows[0]), int(rows[-1]) + 1) if contiguous else None
        self._rows_dirty = False

    def _reorder(self, perm: np.ndarray) -> None:
        """Put citizens in the space's body order, so reads and writes are plain slices."""
        self.bodies = [self.bodies[i] for i in perm.tolist()]
        for name in _PER_CITIZEN:
            setattr(self, name, getattr(self, name)[perm])

    # --- agitation -----------------------------------------------------------------------
    def spread_agitation(self, dt: float) -> None:
        """Neighbours' agitation pulls toward each other (3x3 cell mean); calm drifts back
        toward each citizen's starting mood."""
        if not self.count:
            return
        sums = self._agitation_sums
        self._sums_touched = self._bin(sums, self.agitation, self._sums_touched)
        mean = self._neighbourhood(sums) / np.maximum(self._neighbourhood(self._pcounts), 1.0)
        self.agitation += dt * rules.AGITATION_SPREAD * (mean - self.agitation)
        self.agitation += dt * rules.AGITATION_RELAX * (self.base_agitation - self.agitation)
        _clamp01(self.agitation)

    def near(self, x: float, y: float, radius: float) -> np.ndarray:
        d2 = (self.pos[:, 0] - x) ** 2 + (self.pos[:, 1] - y) ** 2
        return d2 <= radius * radius

    def agitation_grid(self) -> np.ndarray:
        f = self.fields
        sums = np.bincount(self._cells, weights=self.agitation, minlength=f.rows * f.cols) \
            if self.count else np.zeros(f.rows * f.cols)
        return (sums / np.maximum(self.counts, 1)).reshape(f.rows, f.cols)


def _clamp_index(v: np.ndarray, size: int) -> np.ndarray:
    idx = v.astype(np.int64)
    np.maximum(idx, 0, out=idx)
    np.minimum(idx, size - 1, out=idx)
    return idx


def _clamp01(v: np.ndarray) -> np.ndarray:
    """Clip to 0..1 in place (np.clip's wrapper costs more than the work on small arrays)."""
    np.maximum(v, 0.0, out=v)
    np.minimum(v, 1.0, out=v)
    return v
