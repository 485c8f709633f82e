"""Unit bodies: police units in the crowd's pymunk space, pulled along by a limited force.

Each unit is a dynamic circle joined to a kinematic *control body* by a ``PivotJoint``
whose ``max_bias`` is 0 and whose ``max_force`` is the unit's push (Chipmunk's pattern,
as in pymunk's ``examples/tank.py``). Dispatch sets the control body's velocity; the joint
drags the unit after it with at most that force, so citizens in the way take it up: a
dense crowd slows a unit, a packed one nearly stops it, and a big formation (a Brimob
company, a 60-strong Samapta) pushes through where a four-person team cannot.

The progress ratio of a unit is the distance it actually made along its commanded
direction over the distance it was commanded to make: 1.0 on an empty road.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pymunk

from command_game.sim import rules
from command_game.sim.crowd import CITIZEN_CAT, UNIT_CAT


@dataclass
class _UnitBody:
    body: pymunk.Body
    control: pymunk.Body
    joint: pymunk.PivotJoint
    commanded_m: float = 0.0  # distance ordered so far
    made_m: float = 0.0  # distance made along the ordered direction
    ordered: tuple[float, float] = (0.0, 0.0)  # the control body's velocity, as last set
    max_force: float = 0.0  # the joint's, as last set


def push_force(personnel: int) -> float:
    """Newtons a unit of this many officers can push with (grows with the square root:
    a formation pushes harder, but not in proportion to its head count)."""
    return rules.UNIT_PUSH_N * math.sqrt(max(1, personnel))


class UnitBodies:
    """The unit bodies of one world, keyed by the body id that ``UnitState.body_id`` holds.
    A handful per level: per-body Python here is cheap next to the crowd's batch."""

    def __init__(self, space: pymunk.Space) -> None:
        self.space = space
        self._units: dict[int, _UnitBody] = {}

    def add(self, x: float, y: float, personnel: int) -> int:
        body = pymunk.Body(rules.UNIT_MASS_KG, float("inf"))
        body.position = (x, y)
        shape = pymunk.Circle(body, rules.UNIT_RADIUS_M)
        shape.friction = 0.0
        shape.filter = pymunk.ShapeFilter(categories=UNIT_CAT, mask=CITIZEN_CAT)
        control = pymunk.Body(body_type=pymunk.Body.KINEMATIC)
        control.position = (x, y)
        joint = pymunk.PivotJoint(control, body, (0, 0), (0, 0))
        joint.max_bias = 0.0  # no position correction: the joint only matches velocities
        joint.max_force = push_force(personnel)
        self.space.add(body, shape, control, joint)
        self._units[body.id] = _UnitBody(body, control, joint, max_force=joint.max_force)
        return body.id

    def set_force(self, body_id: int, newtons: float) -> None:
        """The most force the unit may be pulled with (tired officers push less; a vehicle
        on the road adds its engine). Set on the joint only when it changes: dispatch
        calls this every physics step, and the same value set again changes nothing."""
        unit = self._units[body_id]
        if newtons != unit.max_force:
            unit.joint.max_force = unit.max_force = newtons

    def command(self, body_id: int, vx: float, vy: float) -> None:
        """The velocity the unit is ordered to move at this tick."""
        unit = self._units[body_id]
        unit.control.position = unit.body.position
        unit.control.velocity = unit.ordered = (vx, vy)

    def after_step(self, dt: float) -> None:
        """Count commanded and made distance (call once per physics step)."""
        for unit in self._units.values():
            cvx, cvy = unit.ordered  # what the control body holds, without asking pymunk
            speed = math.hypot(cvx, cvy)
            if speed < 1e-6:
                continue
            vx, vy = unit.body.velocity
            unit.commanded_m += speed * dt
            unit.made_m += max(0.0, (vx * cvx + vy * cvy) / speed) * dt

    def position(self, body_id: int) -> tuple[float, float]:
        x, y = self._units[body_id].body.position
        return float(x), float(y)

    def velocity(self, body_id: int) -> tuple[float, float]:
        vx, vy = self._units[body_id].body.velocity
        return float(vx), float(vy)

    def progress_ratio(self, body_id: int) -> float | None:
        """Distance made over distance commanded so far (None: never ordered to move)."""
        unit = self._units[body_id]
        if unit.commanded_m <= 0.0:
            return None
        return min(1.0, unit.made_m / unit.commanded_m)

    def summary(self, body_id: int) -> str:
        u = self._units[body_id]
        vx, vy = u.body.velocity
        return f"{vx:.6f}:{vy:.6f}:{u.commanded_m:.4f}:{u.made_m:.4f}"
