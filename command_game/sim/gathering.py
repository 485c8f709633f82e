"""Crowds already gathered when the night begins: on the nights the reports describe, the
supporters' masses stand at the KPU and Bawaslu before the result is read, they do not all
walk in after the first whistle. A crowd source's ``gathered`` people start standing in
its office's gather area, packed as a standing mass is (``massing.standing_density``:
densest at the front, thinning outward), nearest the front first.

Places come from a hexagonal lattice at the front's standing density over the area's open
ground (a body's width clear of every building), each kept with the chance that the
standing density where it lies bears to the front's, so the mass thins outward as one
that walked in and stood does; the world's generator draws the chances and a small
jitter, so a seed gives the same mass every time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import shapely

from command_game.level.gather import gather_area
from command_game.sim import massing
from command_game.sim.flowfield import obstacles as buildings_of

if TYPE_CHECKING:
    from command_game.sim.crowd import Crowd
    from command_game.sim.world import World

CLEAR_OF_WALLS_M = 0.35  # a body's radius and the wall's, and a little room
JITTER = 0.04  # of the lattice spacing: people do not stand on a crystal's nodes


def places(crowd: Crowd, goal: int, area: shapely.Geometry, obstacles: shapely.Geometry,
           count: int, agitation: float, rng: np.random.Generator) -> np.ndarray:
    """(n, 2) standing places for up to ``count`` people of ``agitation`` in the goal
    ``goal`` (its ``area``), front first; fewer when the area holds fewer."""
    if count <= 0:
        return np.zeros((0, 2))
    front = float(massing.standing_density(np.zeros(1), np.array([agitation]))[0])
    spacing = float(massing.HEX / np.sqrt(front))
    ground = area if area.area > 0 else area.buffer(spacing)
    if not obstacles.is_empty:
        ground = ground.difference(obstacles.buffer(CLEAR_OF_WALLS_M))
    xy = _hex_lattice(ground.bounds, spacing)
    xy = xy[shapely.contains_xy(ground, xy[:, 0], xy[:, 1])]
    if not len(xy):
        return xy
    dist, _ = crowd.walk(goal, xy)
    inside = np.isfinite(dist) & (dist <= 0.0)
    xy, dist = xy[inside], dist[inside]
    gap = np.maximum(dist - crowd.fields.goal(area).front, 0.0)
    wanted = massing.standing_density(gap, np.full(len(gap), agitation))
    keep = rng.random(len(gap)) < wanted / front
    xy, gap = xy[keep], gap[keep]
    order = np.argsort(gap, kind="stable")[:count]
    return xy[order] + rng.normal(0.0, JITTER * spacing, (len(order), 2))


def _hex_lattice(bounds: tuple[float, float, float, float], spacing: float) -> np.ndarray:
    """Points of a hexagonal lattice of ``spacing`` covering ``bounds``."""
    x0, y0, x1, y1 = bounds
    rows = np.arange(y0, y1 + spacing, spacing * np.sqrt(3.0) / 2.0)
    cols = np.arange(x0, x1 + spacing, spacing)
    gx, gy = np.meshgrid(cols, rows)
    gx = gx + (np.arange(len(rows)) % 2)[:, None] * spacing / 2.0
    return np.column_stack([gx.ravel(), gy.ravel()])


def gather(world: World) -> None:
    """Stand every source's ``gathered`` people at its office, called once while the World
    is built. Sources of one office share its places, mixed (front places go to either):
    their places are drawn once for all of them, at their mean mood."""
    by_office: dict[str, list] = {}
    for entry in world._sources:
        if entry[1].gathered:
            by_office.setdefault(entry[1].attractor, []).append(entry)
    if not by_office:
        return
    obstacles = buildings_of(world.level)
    for office, entries in by_office.items():  # in source order: one seed, one mass
        counts = np.array([e[1].gathered for e in entries])
        moods = np.array([_mood(e[1]) for e in entries])
        mood = float((counts * moods).sum() / counts.sum())
        area = gather_area(world.level.office(office))
        xy = places(world.crowd, entries[0][2], area, obstacles, int(counts.sum()), mood,
                    world.rng)
        whose = world.rng.permutation(np.repeat(np.arange(len(entries)), counts))[:len(xy)]
        for k, (index, src, goal, home, _, _) in enumerate(entries):
            world.crowd.spawn(xy[whose == k], goal, home, index, _mood(src), world.rng)


def _mood(src) -> float:
    return src.agitation if src.gathered_agitation is None else src.gathered_agitation
