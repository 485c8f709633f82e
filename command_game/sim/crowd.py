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
import shapely
from scipy import ndimage
from scipy.spatial import cKDTree

from command_game.sim import massing, pushing, rules
from command_game.sim.arrays import cap_length
from command_game.sim.flowfield import FlowFields
from command_game.sim.headway import headway_speed
from command_game.sim.neighbours import Neighbours

CITIZEN_CAT, UNIT_CAT, WALL_CAT = 0b001, 0b010, 0b100
_READ = batch.BodyFields.POSITION | batch.BodyFields.VELOCITY
_INF = float("inf")
_CITIZEN_FILTER = pymunk.ShapeFilter(categories=CITIZEN_CAT)  # a value: shapes copy it
_PER_CITIZEN = ("ids", "pos", "vel", "agitation", "base_agitation", "goal", "home_goal",
                "going_home", "source", "local_density", "arrived_home", "radius",
                "heading", "free_speed", "headway_limit", "citizen_id", "close_density")


class Crowd:
    """Citizens (arrays in creation order) plus the pymunk space they share with units."""

    def __init__(self, fields: FlowFields, width_m: float, height_m: float,
                 walls: list[list[tuple[float, float]]]) -> None:
        self.fields = fields
        self.space = pymunk.Space()
        self.space.iterations = 4  # 6 cost ~12 % more step time in packed crowds, same wins
        self._add_walls(walls, width_m, height_m)
        self._goal_keys: list[tuple[bytes, float]] = []  # area wkb, stop_m
        self._goal_areas: list[shapely.Geometry] = []
        self._goal_slot = np.zeros(0, np.int64)  # goal index -> slot in the stack, -1: none
        self._stack = np.zeros(0, np.float32)  # ready goals' fields: see _dists_all
        self._new_fields: list[np.ndarray] = []
        self._stops_all = np.zeros(0, np.float32)
        self._fronts_all = np.zeros(0)  # each ready goal's lowest distance: its front
        self.ids = np.zeros(0, np.int64)  # pymunk body ids
        # 1, 2, 3... in spawn order, never reused (body ids are addresses, which are):
        # who is who across frames of an exported trajectory
        self.citizen_id = np.zeros(0, np.int64)
        self._next_citizen_id = 1
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
        self._ground9 = _ground_around(fields)
        self._ground1 = np.maximum(np.pad(fields.walkable, 1), rules.MIN_GROUND_M2).ravel()
        self._counts_fresh = True
        self.local_density = np.zeros(0)  # persons per m2 around each citizen
        # persons per m2 within about a metre, of citizens standing in their goal's area
        # (0 for walkers): see massing.close_density
        self.close_density = np.zeros(0)
        self.arrived_home = np.zeros(0, bool)
        self.radius = np.zeros(0)  # body radius, m
        self.heading = np.zeros(0)  # facing, radians (0: +x, counter-clockwise)
        self.free_speed = np.zeros(0)  # desired walking speed on an empty street, m/s
        self.headway_limit = np.zeros(0)  # m/s the one in the way allows (inf: nobody)
        self.others_xy = np.zeros((0, 2))  # the other moving bodies (units), last step
        self._steers = 0
        self.neighbours = Neighbours(rules.MASS.neighbours)  # massing.company's search
        self._cells = np.zeros(0, np.int64)
        self._buf = batch.Buffer()
        self._out = batch.Buffer()
        self._rows_dirty = True
        self._citizen_rows = np.zeros(0, np.int64)
        self._citizen_slice: slice | None = None
        # The space's body order (the batch rows), kept through spawns: see _map_rows
        self._row_ids = np.zeros(0, np.int64)  # body id of each row
        self._other_rows = np.zeros(0, np.int64)  # every row but the citizens'...
        self._other_bodies: list[pymunk.Body | None] = []  # ...and its Body
        self._others_known = True  # every one of them found (else: batch-read them all)
        self._last_body: pymunk.Body | None = None  # the one pymunk added last
        self._model_stale = True  # re-read every body id at the next use
        self.verify_rows = False  # tests: check the rows against a full read at each use
        self._ids_buf = batch.Buffer()
        self._near_pos: np.ndarray | None = None  # the positions _near_masks were read at
        self._near_masks: dict[tuple[float, float, float], np.ndarray] = {}  # see near

    # --- setup -------------------------------------------------------------------------
    def _add_walls(self, walls, width_m: float, height_m: float) -> None:
        static = self.space.static_body
        border = [(0, 0), (width_m, 0), (width_m, height_m), (0, height_m)]
        for poly in [*walls, border]:
            for a, b in zip(poly, [*poly[1:], poly[0]], strict=True):
                seg = pymunk.Segment(static, a, b, rules.WALL_RADIUS_M)
                seg.friction = 0.0
                seg.filter = pymunk.ShapeFilter(categories=WALL_CAT, mask=CITIZEN_CAT)
                self.space.add(seg)

    def add_goal(self, area: shapely.Geometry, stop_m: float = 0.0) -> int:
        """Register an area to walk to (a disc ``Point.buffer(r)``, a polygon, or a line:
        "reach the line"); returns its goal index (the same geometry twice, compared by
        ``area.wkb``, gives the same index). Its field is computed now, while the World is
        built: computing a home field when its first citizen leaves for home stalled a
        running game for 0.3-1 s on a 3 km map."""
        key = (shapely.to_wkb(area), float(stop_m))
        if key in self._goal_keys:
            return self._goal_keys.index(key)
        self._goal_keys.append(key)
        self._goal_areas.append(area)
        self._goal_slot = np.append(self._goal_slot, -1)
        index = len(self._goal_keys) - 1
        self.ensure_goal(index)
        return index

    def ensure_goal(self, index: int) -> None:
        """Compute the goal's field if it is not ready; all ready fields are stacked in one
        array so steering is a few gathers for every citizen (stacked once per batch of
        new goals: see ``_stack``)."""
        if self._goal_slot[index] >= 0:
            return
        goal = self.fields.goal(self._goal_areas[index])
        self._goal_slot[index] = len(self._stops_all)
        self._new_fields.append(goal.distance)
        self._stops_all = np.append(self._stops_all, np.float32(self._goal_keys[index][1]))
        self._fronts_all = np.append(self._fronts_all, goal.front)

    @property
    def _dists_all(self) -> np.ndarray:
        """Every ready goal's field, one after another: fields added since the last use
        are appended in one concatenation (a World's setup adds a dozen 6 MB fields;
        appending them one by one copied the growing stack each time)."""
        if self._new_fields:
            self._stack = np.concatenate([self._stack, *self._new_fields])
            self._new_fields.clear()
        return self._stack

    def walk(self, index: int, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Distance left (m) and (n, 2) unit walking directions of a ready goal at points."""
        base = np.full(len(xy), self._goal_slot[index] * self.fields.nodes, np.int64)
        dist, dx, dy = self.fields.sample(self._dists_all, base, xy)
        return dist, np.column_stack([dx, dy])

    def goal_direction(self, index: int, cells: np.ndarray) -> np.ndarray:
        """(n, 2) unit directions of a ready goal's field at the centres of level-grid
        cells."""
        f = self.fields
        xy = np.column_stack([(cells % f.cols + 0.5) * f.cell, (cells // f.cols + 0.5) * f.cell])
        return self.walk(index, xy)[1]

    # --- population --------------------------------------------------------------------
    def spawn(self, xy: np.ndarray, goal: int, home_goal: int, source: int,
              agitation: float, rng: np.random.Generator | None = None) -> None:
        """Add citizens at the given points (already checked to be on free ground). With
        ``rng`` (the world's), each draws its own free walking speed and body size
        (``rules.PEOPLE``); without it everyone is the average person."""
        self.ensure_goal(goal)
        n = len(xy)
        radius, free_speed = _draw_people(rng, n)
        appending = self._model_fresh()
        new_ids = []
        for (x, y), r in zip(xy.tolist(), radius.tolist(), strict=True):
            body = pymunk.Body(rules.CITIZEN_MASS_KG, _INF)
            body.position = (x, y)
            shape = pymunk.Circle(body, r)  # frictionless: pymunk's default
            shape.filter = _CITIZEN_FILTER
            self.space.add(body, shape)
            self.bodies.append(body)
            new_ids.append(body.id)
        new_ids = np.asarray(new_ids, np.int64)
        self.ids = np.concatenate([self.ids, new_ids])
        if appending and n:  # Chipmunk appends a new body to its dynamic array:
            start = len(self._row_ids) - 1  # rows before the static body's, the last
            self._row_ids = np.concatenate([self._row_ids[:-1], new_ids, self._row_ids[-1:]])
            self._citizen_rows = np.concatenate([self._citizen_rows,
                                                 np.arange(start, start + n)])
            self._other_rows = np.append(self._other_rows[:-1], start + n)
            self._last_body = self.bodies[-1]
        elif n:
            self._model_stale = True
        first = self._next_citizen_id
        self.citizen_id = np.concatenate([self.citizen_id, np.arange(first, first + n)])
        self._next_citizen_id = first + n
        self.pos = np.concatenate([self.pos, xy])
        self.vel = np.concatenate([self.vel, np.zeros((n, 2))])
        self.agitation = np.concatenate([self.agitation, np.full(n, agitation)])
        self.base_agitation = np.concatenate([self.base_agitation, np.full(n, agitation)])
        self.goal = np.concatenate([self.goal, np.full(n, goal, np.int32)])
        self.home_goal = np.concatenate([self.home_goal, np.full(n, home_goal, np.int32)])
        self.going_home = np.concatenate([self.going_home, np.zeros(n, bool)])
        self.source = np.concatenate([self.source, np.full(n, source, np.int32)])
        self.local_density = np.concatenate([self.local_density, np.zeros(n)])
        self.close_density = np.concatenate([self.close_density, np.zeros(n)])
        self.arrived_home = np.concatenate([self.arrived_home, np.zeros(n, bool)])
        self.radius = np.concatenate([self.radius, radius])
        self.free_speed = np.concatenate([self.free_speed, free_speed])
        self.headway_limit = np.concatenate([self.headway_limit, np.full(n, np.inf)])
        self.heading = np.concatenate([self.heading, self._initial_heading(goal, xy)])
        self._rows_dirty = True

    def _initial_heading(self, goal: int, xy: np.ndarray) -> np.ndarray:
        """New citizens face the way their goal's field points."""
        d = self.walk(goal, xy)[1]
        return np.arctan2(d[:, 1], d[:, 0])

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
        self.neighbours.renumber(np.flatnonzero(keep), len(keep))
        self._rows_dirty = True
        self._model_stale = True  # Chipmunk moved the last bodies into the holes

    @property
    def count(self) -> int:
        return len(self.ids)

    # --- per tick ----------------------------------------------------------------------
    def update_density(self) -> None:
        """Bin citizens into grid cells; each citizen's density is the count in the 3x3
        cells around it over the free ground there (a wall or a building in the
        neighbourhood does not dilute it). A padded grid turns the neighbourhood sum into
        nine gathers."""
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
        self.local_density = self._neighbourhood(self._pcounts)
        self.local_density /= self._ground9[self._pcells]

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
        walking field at the walking speed its local density allows (Weidmann) and the
        time gap to whoever is ahead allows (headway); in the goal area they fill it
        toward its front to standing density (massing), agitated ones milling about."""
        if not self.count:
            return
        goal = np.where(self.going_home, self.home_goal, self.goal) \
            if self.going_home.any() else self.goal
        slot = self._goal_slot[goal]
        dist, dir_x, dir_y = self.fields.sample(self._dists_all, slot * self.fields.nodes,
                                                self.pos)
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
        there = dist_left <= 0.0
        slow, unit_dist, unit_row = self._standing_state(there)
        resting = self._resting(there, slow, unit_dist)
        speed = factor
        speed *= self._own_pace()
        pushing.hurry(self.agitation, speed)
        self._keep_distance(speed, dir_x, dir_y, goal, dist, there)
        standing = self._stand(dist, slot, there, resting, speed, dir_x, dir_y)
        want_x = dir_x * speed
        want_y = dir_y * speed
        self._spread(want_x, want_y, dir_x, dir_y, there, resting)
        milling = np.flatnonzero(there & ~resting & (self.agitation > 0.0))
        if len(milling):
            wander = rng.standard_normal((2, len(milling)))
            amount = rules.WANDER_MPS * self.agitation[milling]
            want_x[milling] += wander[0] * amount
            want_y[milling] += wander[1] * amount
        shoved = None
        if standing is not None:
            steered = standing[0].who
            massing.step_away(*standing, want_x, want_y)
            shoved = massing.make_way(standing[0], self.pos, self.others_xy,
                                      unit_dist[steered], unit_row[steered], want_x, want_y)
        relax = np.full(self.count, min(1.0, dt / rules.STEER_RELAX_S))
        if standing is not None:  # the slow standing are steered every rest_every ticks
            relax[steered[slow[steered]]] = min(1.0, rules.MASS.rest_every * dt
                                                / rules.STEER_RELAX_S)
        relax[resting] = 0.0  # they keep the velocity the last step left them
        for axis, want in enumerate((want_x, want_y)):
            want -= self.vel[:, axis]
            want *= relax
            self.vel[:, axis] += want
        self.vel[pushing.wedged(self.pos, self.radius, dir_x, dir_y, goal, dist,
                                self.agitation, self.local_density, rng, ~there, dt)] = 0.0
        if standing is not None:
            massing.keep_to_gap(standing[0], self.radius, self.vel, shoved)
        self.arrived_home = self.going_home & there
        self._face(dir_x, dir_y)

    def _slow(self, who: np.ndarray) -> np.ndarray:
        """Mask of ``who`` moving slower than ``rules.MASS.busy_mps``."""
        vx, vy = self.vel[who, 0], self.vel[who, 1]
        return vx * vx + vy * vy < rules.MASS.busy_mps ** 2

    def _standing_state(self, there: np.ndarray
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For everyone (only those ``there``, in their goal area, filled in): moving
        slower than ``rules.MASS.busy_mps``, and the distance to and row of the nearest
        unit within reach (``_units_near``); read once a steering tick by both the resting
        and making way."""
        who = np.flatnonzero(there)
        slow = np.zeros(self.count, bool)
        unit_dist = np.full(self.count, np.inf)
        unit_row = np.full(self.count, len(self.others_xy), np.int64)
        if len(who):
            slow[who] = self._slow(who)
            unit_dist[who], unit_row[who] = self._units_near(who)
        return slow, unit_dist, unit_row

    def _resting(self, there: np.ndarray, slow: np.ndarray, unit_dist: np.ndarray
                 ) -> np.ndarray:
        """Mask of those standing in their mass left to their last velocity this steering
        tick: most of a vigil barely moves, and steering it (the close density, keeping
        one's distance and one's gap, over (standing, 10) arrays) every tick was the
        largest cost of a gathered mass after the physics. Each standing citizen slower
        than ``rules.MASS.busy_mps`` is steered every ``rest_every``-th steering tick (by
        its citizen id, so a mass's cost is spread over the ticks; its velocity relaxes
        over the ticks it rested), faster ones (arriving, stepping aside) every tick, and
        everyone within reach of a unit every tick (they make way, ``massing.make_way``).
        Between two looks a standing citizen moves at most about a quarter of its gap
        (the gap cap allows gap / 0.42 s; 4 ticks are 0.2 s)."""
        m = rules.MASS
        who = np.flatnonzero(there)
        if m.rest_every <= 1 or not len(who):
            return np.zeros(self.count, bool)
        rest = who[slow[who] & ((self.citizen_id[who] + self._steers) % m.rest_every != 0)
                   & ~np.isfinite(unit_dist[who])]
        resting = np.zeros(self.count, bool)
        resting[rest] = True
        return resting

    def _units_near(self, who: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For the citizens ``who``: the distance to the nearest unit body within
        ``UNIT_RADIUS_M + MASS.make_way_m`` (inf beyond) and its row in ``others_xy``
        (``len(others_xy)`` beyond). Only those in level-grid cells that a unit's reach
        overlaps are looked up in the units' tree (the same answers: querying all of a
        mass of thousands for a few units cost more than the rest of making way)."""
        reach = rules.UNIT_RADIUS_M + rules.MASS.make_way_m
        units = self.others_xy
        dist, row = np.full(len(who), np.inf), np.full(len(who), len(units), np.int64)
        if not len(units) or not len(who):
            return dist, row
        f = self.fields
        mark = reach + 0.01  # cells a hair wider than the reach: no rounding at the edge
        lo_c = _clamp_index(np.floor((units[:, 0] - mark) / f.cell), f.cols)
        hi_c = _clamp_index(np.floor((units[:, 0] + mark) / f.cell), f.cols)
        lo_r = _clamp_index(np.floor((units[:, 1] - mark) / f.cell), f.rows)
        hi_r = _clamp_index(np.floor((units[:, 1] + mark) / f.cell), f.rows)
        span = np.arange(int(max((hi_c - lo_c).max(), (hi_r - lo_r).max())) + 1)
        cols = np.minimum(lo_c[:, None] + span, hi_c[:, None])
        rows = np.minimum(lo_r[:, None] + span, hi_r[:, None])
        touched = np.zeros(f.rows * f.cols, bool)
        touched[(rows[:, :, None] * f.cols + cols[:, None, :]).ravel()] = True
        maybe = np.flatnonzero(touched[self._cells[who]])
        if len(maybe):
            d, j = cKDTree(units).query(self.pos[who[maybe]], distance_upper_bound=reach)
            dist[maybe], row[maybe] = d, j
        return dist, row

    def _stand(self, dist: np.ndarray, slot: np.ndarray, there: np.ndarray,
               resting: np.ndarray, speed: np.ndarray, dir_x: np.ndarray,
               dir_y: np.ndarray) -> tuple[massing.Company, np.ndarray] | None:
        """Those in their goal area (but the resting, who keep their last close density)
        fill it toward its front to the density people stand at there, read close about
        each (``massing``); returns their company and the personal distance each keeps,
        or None when nobody is there."""
        self.close_density[~there] = 0.0
        who = np.flatnonzero(there & ~resting)
        if not len(who):
            return None
        near = massing.company(self.pos, who, self.neighbours)
        close = massing.close_density(near)
        self.close_density[who] = close
        front_gap = np.maximum(dist[who] - self._fronts_all[slot[who]], 0.0)
        agitation = self.agitation[who]
        standing = massing.close_density(near, massing.still(near, self.vel, dir_x, dir_y))
        wanted = massing.standing_density(front_gap, agitation)  # (read once for both)
        speed[who] *= massing.press_factor(front_gap, standing, agitation, wanted)
        return near, massing.personal_distance(wanted, self.radius[who])

    def _spread(self, want_x: np.ndarray, want_y: np.ndarray, dir_x: np.ndarray,
                dir_y: np.ndarray, there: np.ndarray, resting: np.ndarray) -> None:
        """Citizens step toward emptier ground, down the crowd's density gradient:
        walkers only across their way (a stream rounding a corner widens instead of
        piling into the corner along the one shortest line), those standing in their
        goal's area in any direction (the mass spreads around the front instead of
        growing back along the way it came)."""
        k = rules.SPREAD
        who = np.flatnonzero((self.local_density >= k.min_density) & ~resting)
        if not len(who):
            return
        pc, f = self.fields.cols + 2, self.fields
        cells = self._pcells[who]

        def rho(offset: int) -> np.ndarray:
            at = cells + offset
            return self._pcounts.take(at) / self._ground1.take(at)

        gx = (rho(1) - rho(-1)) / (2.0 * f.cell)
        gy = (rho(pc) - rho(-pc)) / (2.0 * f.cell)
        walking = ~there[who]
        ex, ey = dir_x[who], dir_y[who]
        along = gx * ex + gy * ey
        gx -= along * ex
        gy -= along * ey
        side_x, side_y = -k.gain * gx, -k.gain * gy
        top = np.where(walking, k.max_mps, k.max_standing_mps)
        cap_length(side_x, side_y, top)
        want_x[who] += side_x
        want_y[who] += side_y

    def _own_pace(self) -> np.ndarray:
        """Free speed each citizen walks at in its company: its own on an empty street,
        the crowd's average in a dense one (people fall into step with a crowd)."""
        p = rules.PEOPLE
        alone = np.exp(-self.local_density / p.in_step_density)
        return p.speed_mean_mps + (self.free_speed - p.speed_mean_mps) * alone

    def _keep_distance(self, speed: np.ndarray, dir_x: np.ndarray, dir_y: np.ndarray,
                       goal: np.ndarray, dist: np.ndarray, there: np.ndarray) -> None:
        """Walkers in company slow to keep a time gap to whoever is in their way (not
        those already standing in their goal's crowd). The neighbour search runs every
        HEADWAY.every steering ticks; in between each walker keeps its last limit."""
        if self._steers % rules.HEADWAY.every == 0:
            self.headway_limit[:] = np.inf
            who = np.flatnonzero((speed > 0.05) & ~there
                                 & (self.local_density >= rules.HEADWAY.min_density))
            if len(who):
                wide = self.fields.cell >= rules.HEADWAY.look_ahead_m  # (5 m >= 1.5 m)
                self.headway_limit[who] = headway_speed(
                    self.pos, self.radius, dir_x, dir_y, goal, dist, who,
                    self._pcells if wide else None, self.fields.cols + 2)
        self._steers += 1
        np.minimum(speed, pushing.pressing(self.agitation, self.headway_limit), out=speed)

    def _face(self, dir_x: np.ndarray, dir_y: np.ndarray) -> None:
        """Walkers face where they walk; those standing face their goal (the front)."""
        vx, vy = self.vel[:, 0], self.vel[:, 1]
        moving = vx * vx + vy * vy > rules.FACE_WALKING_MPS ** 2
        self.heading = np.where(moving, np.arctan2(vy, vx), np.arctan2(dir_y, dir_x))

    def tick(self, rng: np.random.Generator, tick: int) -> None:
        """One crowd tick. The crowd's physics steps every PHYSICS_EVERY ticks (30 Hz: a
        packed crowd's cost is the contact solver) and steering (density, wanted
        velocities, the batch write) every STEER_EVERY ticks; positions are read back
        after each step. Other bodies in the space (units, see ``unit_bodies.py``) are
        driven by their owners."""
        if tick % rules.PHYSICS_EVERY:
            return
        if tick % rules.STEER_EVERY == 0:
            self.update_density()
            self.steer(rng, rules.DT * rules.STEER_EVERY)
            self._write_velocities()
        self._step_and_read(rules.DT * rules.PHYSICS_EVERY)

    def _write_velocities(self) -> None:
        self._refresh_rows()
        rows = self._citizen_slice if self._citizen_slice is not None else self._citizen_rows
        if self._others_known:
            # every other body (units, their control bodies, the static body) keeps the
            # velocity it has now, read from its Body: a few dozen, not a batch read of all
            out = np.empty((len(self._row_ids), 2))
            out[self._other_rows] = [b.velocity for b in self._other_bodies]
        else:
            self._buf.clear()
            batch.get_space_bodies(self.space, batch.BodyFields.VELOCITY, self._buf)
            out = np.frombuffer(self._buf.float_buf()).reshape(-1, 2).copy()
        out[rows] = self.vel
        self._out.set_float_buf(out.ravel())
        batch.set_space_bodies(self.space, batch.BodyFields.VELOCITY, self._out)

    def _step_and_read(self, dt: float) -> None:
        self.space.step(dt)
        self._refresh_rows()
        self._buf.clear()
        batch.get_space_bodies(self.space, _READ, self._buf)
        data = np.frombuffer(self._buf.float_buf()).reshape(-1, 4)
        if len(data) != len(self._row_ids):  # the rows went wrong: never use them
            self._model_stale = True
            self._map_rows()
        rows = self._citizen_slice if self._citizen_slice is not None else self._citizen_rows
        mine = data[rows]
        self.pos = mine[:, :2].copy()
        self.vel = mine[:, 2:].copy()
        # every other moving body's position (units and their control bodies): a few rows
        self.others_xy = data[self._other_rows, :2]

    def _model_fresh(self) -> bool:
        """The rows still hold every body: nothing added or removed since the last full
        read but the citizens spawned, appended to the rows. Relies on pymunk 6's
        (pyproject pins >=6.9,<7) private ``Space._bodies``, its bodies in order of
        adding, and on Chipmunk 7: cpSpaceAddBody appends to the dynamic array and
        cpSpaceEachBody (the batch) visits it, then the static array (pymunk's static
        body: the last row), then sleeping bodies (none while sleeping is off)."""
        if self._model_stale or self.space.sleep_time_threshold != _INF:
            return False
        bodies = self.space._bodies
        return len(bodies) + 1 == len(self._row_ids) \
            and (next(reversed(bodies)) if bodies else None) is self._last_body

    def _refresh_rows(self) -> None:
        """Bring the rows up to date before a batch read or write."""
        if self._rows_dirty or not self._model_fresh():
            self._map_rows()

    def _map_rows(self) -> None:
        """Map citizens to batch rows. After spawns alone the rows are known (a new body
        is appended); after anything else (a removal: Chipmunk moves the last body into
        the hole; a unit added) every body's id is read and, after removals, citizens
        are put in the space's body order."""
        if self._model_fresh():
            self._set_rows(self._citizen_rows)  # appended rows: still in body order
        else:
            self._full_map()
        if self.verify_rows:
            self._check_rows()

    def _set_rows(self, rows: np.ndarray) -> None:
        self._citizen_rows = rows
        contiguous = len(rows) > 0 and rows[-1] - rows[0] + 1 == len(rows)
        self._citizen_slice = slice(int(rows[0]), int(rows[-1]) + 1) if contiguous else None
        self._rows_dirty = False

    def _read_row_ids(self) -> np.ndarray:
        self._ids_buf.clear()
        batch.get_space_bodies(self.space, batch.BodyFields.BODY_ID, self._ids_buf)
        return np.frombuffer(self._ids_buf.int_buf(), dtype=np.uintp).astype(np.int64)

    def _full_map(self) -> None:
        row_ids = self._read_row_ids()
        order = np.argsort(row_ids, kind="stable")
        sorted_ids = row_ids[order]
        rows = order[np.searchsorted(sorted_ids, self.ids)]
        if len(rows) > 1 and not np.all(np.diff(rows) > 0):
            self._reorder(np.argsort(rows, kind="stable"))  # after removals
            rows = order[np.searchsorted(sorted_ids, self.ids)]
        self._set_rows(rows)
        bodies, static = self.space._bodies, self.space._static_body
        others = bodies.keys() - set(self.bodies)  # set operations: no loop over citizens
        if static is not None:
            others.add(static)
        by_id = {b.id: b for b in others}  # units, their control bodies: a few dozen
        mine = np.zeros(len(row_ids), bool)
        mine[rows] = True
        self._other_rows = np.flatnonzero(~mine)
        self._other_bodies = [by_id.get(i) for i in row_ids[self._other_rows].tolist()]
        self._others_known = None not in self._other_bodies
        self._row_ids = row_ids
        self._last_body = next(reversed(bodies)) if bodies else None
        # spawns are followed only in the layout _model_fresh knows
        self._model_stale = static is None or int(row_ids[-1]) != static.id \
            or len(row_ids) != len(bodies) + 1

    def _check_rows(self) -> None:
        """The rows against a full read of every body id (``verify_rows``)."""
        row_ids = self._read_row_ids()
        assert np.array_equal(row_ids, self._row_ids), "rows: body order differs"
        assert np.array_equal(row_ids[self._citizen_rows], self.ids), "citizen rows differ"
        assert np.all(np.diff(self._citizen_rows) > 0), "citizens not in body order"
        assert np.array_equal(row_ids[self._other_rows],
                              [b.id for b in self._other_bodies]), "other rows differ"
        assert len(self._other_rows) + len(self._citizen_rows) == len(row_ids)

    def _reorder(self, perm: np.ndarray) -> None:
        """Put citizens in the space's body order, so reads and writes are plain slices."""
        self.bodies = [self.bodies[i] for i in perm.tolist()]
        for name in _PER_CITIZEN:
            setattr(self, name, getattr(self, name)[perm])
        self.neighbours.renumber(perm, len(perm))

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
        """Mask of the citizens within ``radius`` of (x, y). Read-only, and kept until the
        crowd's positions are new arrays (a step, a spawn, a removal): between two steps
        the rules ask for the same site discs again and again (tension, units calming,
        event cards, exits, dispersal), and each was a pass over every citizen."""
        if self._near_pos is not self.pos:
            self._near_masks.clear()
            self._near_pos = self.pos
        key = (x, y, radius)
        mask = self._near_masks.get(key)
        if mask is None:
            d2 = (self.pos[:, 0] - x) ** 2 + (self.pos[:, 1] - y) ** 2
            mask = d2 <= radius * radius
            mask.flags.writeable = False
            self._near_masks[key] = mask
        return mask

    def agitation_grid(self) -> np.ndarray:
        f = self.fields
        sums = np.bincount(self._cells, weights=self.agitation, minlength=f.rows * f.cols) \
            if self.count else np.zeros(f.rows * f.cols)
        return (sums / np.maximum(self.counts, 1)).reshape(f.rows, f.cols)


def _ground_around(fields: FlowFields) -> np.ndarray:
    """Free ground (m2) in the 3x3 level-grid cells around each padded cell, at least a
    body's share so a citizen pressed into a building's corner sees a finite density."""
    padded = np.pad(fields.walkable, 1)
    total = ndimage.uniform_filter(padded, size=3, mode="constant") * 9.0
    return np.maximum(total, rules.MIN_GROUND_M2).ravel()


def _draw_people(rng: np.random.Generator | None, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Body radius (m) and free walking speed (m/s) of n new citizens (rules.PEOPLE)."""
    p = rules.PEOPLE
    if rng is None:
        return np.full(n, p.radius_mean_m), np.full(n, p.speed_mean_mps)
    radius = np.clip(rng.normal(p.radius_mean_m, p.radius_sd_m, n),
                     p.radius_min_m, p.radius_max_m)
    speed = np.clip(rng.normal(p.speed_mean_mps, p.speed_sd_mps, n),
                    p.speed_min_mps, p.speed_max_mps)
    return radius, speed


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
