"""Masses at the sites: citizens who reach their goal's area keep walking in toward its
front (the area's deepest free ground: around the office) until the crowd about them is
as dense as people stand there, densest at the front and thinning outward, so a
thousand people read as a mass around the office rather than a ring on the area's rim.
"""

from __future__ import annotations

import numpy as np

from command_game.sim import rules


def standing_density(front_gap: np.ndarray) -> np.ndarray:
    """Persons/m2 people stand at, ``front_gap`` m behind the front (rules.MASS)."""
    m = rules.MASS
    return np.maximum(m.front_density / (1.0 + front_gap / m.thinning_m), m.edge_density)


def press_factor(front_gap: np.ndarray, density: np.ndarray) -> np.ndarray:
    """Walking speed (a share of the citizen's own) inside its goal area: all of it where
    the crowd is sparser than people stand there, fading to a gentle press
    (``rules.MASS.press_mps``) as it gets that dense, and none once it is denser still."""
    m = rules.MASS
    wanted = standing_density(front_gap)
    room = (wanted - density) / (m.fill_band * wanted)
    np.maximum(room, 0.0, out=room)
    np.minimum(room, 1.0, out=room)
    press = np.where(density < wanted * (1.0 + m.press_band), m.press_mps / rules.FREE_WALK_MPS,
                     0.0)
    return np.maximum(room, press)
