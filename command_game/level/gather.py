"""Where an office's crowd gathers: the goal area its citizens walk to and mass in.

By default that is the site disc (the office's ``x``, ``y`` and ``radius_m``), so level
files written before gather areas existed load and play unchanged. An office may instead
name its ``gather`` area explicitly:

- ``{"shape": "disc", "radius_m": 12}``: a disc round the office (or round ``x``, ``y``);
- ``{"shape": "polygon", "points": [[x, y], ...]}``: a square, a forecourt, a car park;
- ``{"shape": "line", "points": [[x, y], [x, y], ...]}``: a gate or an exit line, meaning
  "reach the line".

Points are map metres like every other coordinate in a level. ``gather_area(office)``
turns the office into the shapely geometry the crowd's ``add_goal`` takes; the level lint
(``check_gather``) reports an area nobody can stand in (inside a building) as an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Literal, Protocol

import shapely
from pydantic import BaseModel, ConfigDict, Field
from shapely.ops import unary_union

from command_game.level.problems import Problem

if TYPE_CHECKING:
    from command_game.level.models import Level

Point = tuple[float, float]
# Less open ground than this (or than half the shape, for a tiny one) and nobody fits:
MIN_OPEN_AREA_M2 = 1.0  # in a disc or polygon
MIN_OPEN_LINE_M = 0.8  # along a line: a doorway's width
MAX_GATHERED_DENSITY = 2.0  # persons/m2 over a whole gather area: a calm mass's front is ~2


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GatherDisc(_Shape):
    """A disc; centre and radius default to the office's own."""

    shape: Literal["disc"]
    x: float | None = Field(default=None, description="centre x (default: the office's x)")
    y: float | None = Field(default=None, description="centre y (default: the office's y)")
    radius_m: float | None = Field(default=None, gt=0, le=500,
                                   description="radius (default: the office's radius_m)")


class GatherPolygon(_Shape):
    """A closed area, e.g. a square in front of the office."""

    shape: Literal["polygon"]
    points: list[Point] = Field(min_length=3, description="corners, in map metres")


class GatherLine(_Shape):
    """A gate or exit line: citizens walk until they reach it."""

    shape: Literal["line"]
    points: list[Point] = Field(min_length=2, description="the line's points, in map metres")


GatherArea = Annotated[GatherDisc | GatherPolygon | GatherLine, Field(discriminator="shape")]


class _HasSite(Protocol):
    x: float
    y: float
    radius_m: float
    gather: GatherDisc | GatherPolygon | GatherLine | None


def gather_area(office: _HasSite) -> shapely.Geometry:
    """The office's gather area as a shapely geometry (a disc is a buffered point)."""
    spec = office.gather
    if spec is None or isinstance(spec, GatherDisc):
        x = office.x if spec is None or spec.x is None else spec.x
        y = office.y if spec is None or spec.y is None else spec.y
        radius = office.radius_m if spec is None or spec.radius_m is None else spec.radius_m
        return shapely.Point(x, y).buffer(radius)
    if isinstance(spec, GatherPolygon):
        return shapely.Polygon(spec.points)
    return shapely.LineString(spec.points)


def check_gather(level: Level) -> Iterator[Problem]:
    """Lint pass: a gather area must be a valid shape with room to stand outside buildings
    (a crowd sent into a building presses against its wall for ever), and room for the
    people its crowd sources have gathered there when the night begins."""
    blocked = unary_union([p for p in (shapely.Polygon(b.polygon) for b in level.buildings)
                           if p.is_valid])
    yield from _check_room(level, blocked)
    for i, office in enumerate(level.offices):
        if office.gather is None:
            continue
        path = f"offices[{i}].gather"
        area = gather_area(office)
        if not area.is_valid:
            yield Problem("error", path, f"gather area of '{office.id}' is not a simple "
                          f"shape: {shapely.is_valid_reason(area)}",
                          "reorder or move the points so no edges cross", office.id)
            continue
        if area.area == 0 and area.length == 0:
            yield Problem("error", path, f"gather area of '{office.id}' has no size",
                          "spread its points apart", office.id)
            continue
        open_part = area.difference(blocked) if not blocked.is_empty else area
        if isinstance(office.gather, GatherLine):
            if open_part.length < min(MIN_OPEN_LINE_M, 0.5 * area.length):
                yield Problem("error", path, f"gather line of '{office.id}' lies inside a "
                              "building, so the crowd can never reach it",
                              "draw the line across open ground (a gate or street)", office.id)
        elif open_part.area < min(MIN_OPEN_AREA_M2, 0.5 * area.area):
            yield Problem("error", path, f"gather area of '{office.id}' lies inside a "
                          "building, so nobody can stand in it",
                          "move or redraw it onto open ground in front of the office",
                          office.id)


def _check_room(level: Level, blocked: shapely.Geometry) -> Iterator[Problem]:
    """More people gathered at an office than its gather area's open ground holds even
    packed at the densest a calm crowd stands (``MAX_GATHERED_DENSITY``): the night would
    start with fewer than the file says (``sim/gathering.py`` places what fits)."""
    for i, src in enumerate(level.crowd_sources):
        office = next((o for o in level.offices if o.id == src.attractor), None)
        if not src.gathered or office is None:
            continue
        area = gather_area(office)
        if area.area == 0:
            continue
        open_m2 = (area.difference(blocked) if not blocked.is_empty else area).area
        sharing = sum(s.gathered or 0 for s in level.crowd_sources if s.attractor == office.id)
        room = int(open_m2 * MAX_GATHERED_DENSITY)
        if sharing > room:
            yield Problem("warning", f"crowd_sources[{i}].gathered",
                          f"'{office.id}' has {sharing:,} people gathered at it, more than "
                          f"its gather area's {open_m2:,.0f} m2 of open ground holds "
                          f"(about {room:,})", "lower gathered, or give the office a larger "
                          "gather area", src.id)
