"""Crowd pressure: what a site's crowd does to its tension, and the crush.

A crowd presses on a site by its size, its mood *and* how tightly it is packed: a calm
crowd at 3 persons/m2 is a tense one (people cannot move away, small pushes travel). Above
``CRUSH_DENSITY`` (about 5 persons/m2, where Fruin's and Still's crowd-safety limits put
the onset of crowd collapse) the site's crush clock runs; if the crowd stays that packed
for ``CRUSH_AFTER_S`` people fall and are hurt: a crush, the mission lost. Density comes
from the crowd's own ``local_density`` (persons/m2 around each citizen), so it is only
ever shaped through the physics: cordons, exit routes, dialogue leading people home.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from command_game.sim import rules, trust
from command_game.sim.pushing import PUSHING

if TYPE_CHECKING:
    from command_game.sim.state import SiteState
    from command_game.sim.world import World


def measure(world: World, site: SiteState, near: np.ndarray) -> None:
    """Head count, mean mood, mean density of the crowd at a site, and how packed its
    most packed stand: the close density (persons/m2 within about a metre,
    ``massing.close_density``) that the ``CRUSH_SHARE`` most packed of those standing
    there, and at least ``CRUSH_MIN_PACKED`` of them, stand at or above, counting only
    those pushing (``pushing.PUSHING.min_agitation``). The 15 m neighbourhood density
    reads a packed core as thin, one squeezed body is not a crush, and a calm crowd
    packed by its own numbers stands and yields: a crush is a pushing crowd's."""
    crowd = world.crowd
    site.crowd = int(near.sum())
    site.agitation = site.density = site.peak_density = 0.0
    if site.crowd:
        site.agitation = float(crowd.agitation[near].mean())
        site.density = float(crowd.local_density[near].mean())
        close = crowd.close_density[near]
        standing = int((close > 0.0).sum())  # walkers read 0
        # only those pushing (agitated past pushing.py's threshold) press a crowd into
        # collapse; calm people at the same density stand and yield
        pushing = np.where(crowd.agitation[near] >= PUSHING.min_agitation, close, 0.0)
        packed = max(rules.CRUSH_MIN_PACKED, math.ceil(rules.CRUSH_SHARE * standing))
        if standing >= packed:  # the density the packed-th most packed pusher stands at
            site.peak_density = float(np.partition(pushing, len(pushing) - packed)[-packed])


def feed(count: float, agitation: float, density: float = 0.0) -> float:
    """Tension points per second a crowd of ``count`` people at mean ``agitation`` and
    mean ``density`` (persons/m2) adds to its site: size (with diminishing returns) times
    mood plus packing. The autopilot reads it for crowds still on their way, too."""
    size = count / (count + rules.CROWD_HALF)
    packed = rules.DENSITY_TENSION * max(0.0, density - rules.COMFORT_DENSITY)
    return rules.TENSION_FROM_CROWD * size * (agitation + packed)


def crowd_feed(site: SiteState) -> float:
    """What the crowd standing at a site adds to its tension now (``feed``)."""
    return feed(site.crowd, site.agitation, site.density)


def crush_clock(world: World, site: SiteState, dt: float) -> None:
    """Runs while the site's crowd is packed past the crush density; warns when it starts
    (again only once the crowd has loosened to ``CRUSH_EASED`` of it, so a crowd hovering
    at the limit warns once), and after CRUSH_AFTER_S a crush hurts people and loses the
    mission. Eases off at twice the rate it builds when the crowd loosens."""
    if site.crushed:
        return
    if site.peak_density >= rules.CRUSH_DENSITY:
        if not site.crush_warned:
            site.crush_warned = True
            world.emit("crush_risk", subject=site.id, site=site.id, value=site.peak_density)
        site.crush_s += dt
    else:
        site.crush_s = max(0.0, site.crush_s - 2.0 * dt)
        if site.crush_s == 0.0 and site.peak_density < rules.CRUSH_EASED * rules.CRUSH_DENSITY:
            site.crush_warned = False
    if site.crush_s >= rules.CRUSH_AFTER_S:
        site.crushed = True
        crowd = world.crowd
        packed = int((crowd.near(site.x, site.y, site.radius_m * rules.CROWD_NEAR_FACTOR)
                      & (crowd.close_density >= rules.CRUSH_DENSITY)).sum())
        site.casualties = max(1, round(packed * rules.CRUSH_CASUALTY_SHARE))
        trust.lose(world, rules.CRUSH_TRUST, "crush")
        world.emit("crush", subject=site.id, site=site.id, value=float(site.casualties))
