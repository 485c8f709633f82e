"""A small map of a level for the menus (level select, briefing): districts, parks and
water, buildings, roads and office nodes (in the map scene's office colours), fitted into
a screen rectangle.

The map scene draws the full static map under a pan/zoom camera; a preview only needs
to say "this is the town and these are the offices", so it is a few ShapeElementLists in
screen coordinates, rebuilt only when the rectangle it is fitted into changes.
"""

from __future__ import annotations

import arcade
from arcade.earclip import earclip
from arcade.shape_list import (
    ShapeElementList,
    create_ellipse_filled,
    create_ellipse_outline,
    create_line,
    create_line_loop,
    create_rectangle_filled,
    create_triangles_filled_with_colors,
)
from shapely.geometry import Polygon as ShapelyPolygon
from shapely.geometry import box

from command_game.level.models import Level
from command_game.render.static_map import OFFICE_ICONS, blocks_in_water

GROUND = (14, 24, 40, 255)
DISTRICT_FILLS = ((26, 44, 70, 255), (30, 50, 66, 255), (34, 42, 72, 255), (24, 48, 60, 255))
DISTRICT_EDGE = (66, 94, 134, 255)
BUILDING = (48, 62, 88, 255)
PARK = (30, 66, 60, 255)  # the map's night green and blue, a step brighter for a small map
WATER = (22, 56, 104, 255)
ROAD = (176, 184, 198, 255)
#: Office markers by type, in the colours of the map scene's icons.
OFFICE_COLORS: dict[str, tuple[int, int, int, int]] = {
    kind: color for kind, (_shape, color) in OFFICE_ICONS.items()
}


class MapPreview:
    """Draws `level` fitted (aspect kept, centred) into a screen rectangle."""

    def __init__(self, level: Level, margin: float = 8) -> None:
        self.level = level
        self.margin = margin
        self._layers: list[ShapeElementList] | None = None
        self._rect: tuple[float, float, float, float] | None = None
        self._scale = 1.0
        self._origin = (0.0, 0.0)

    def draw(self, rect: arcade.Rect) -> None:
        key = (rect.left, rect.bottom, rect.width, rect.height)
        if self._layers is None or key != self._rect:
            self._rect = key
            self._fit(rect)
            self._layers = self._build()
        for layer in self._layers:
            layer.draw()

    def to_screen(self, x: float, y: float) -> tuple[float, float]:
        """Map metres -> screen pixels, for the rectangle last drawn into."""
        ox, oy = self._origin
        return ox + x * self._scale, oy + y * self._scale

    def _fit(self, rect: arcade.Rect) -> None:
        """What the level draws fits the rectangle, centred: its districts, buildings,
        roads and offices (a map area larger than the town would leave it off-centre)."""
        left, bottom, right, top = self.bounds()
        usable_w = max(rect.width - 2 * self.margin, 1)
        usable_h = max(rect.height - 2 * self.margin, 1)
        self._scale = min(usable_w / (right - left), usable_h / (top - bottom))
        w, h = (right - left) * self._scale, (top - bottom) * self._scale
        self._origin = (rect.left + (rect.width - w) / 2 - left * self._scale,
                        rect.bottom + (rect.height - h) / 2 - bottom * self._scale)

    def bounds(self) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) metres of everything the preview draws (the map's
        area when the level has nothing on it yet)."""
        level = self.level
        xs: list[float] = []
        ys: list[float] = []
        for shape in (*level.districts, *level.buildings):
            xs += [x for x, _ in shape.polygon]
            ys += [y for _, y in shape.polygon]
        for point in (*level.roads.nodes, *level.offices):
            xs.append(point.x)
            ys.append(point.y)
        if not xs or max(xs) - min(xs) <= 0 or max(ys) - min(ys) <= 0:
            return 0.0, 0.0, level.map.width_m, level.map.height_m
        return min(xs), min(ys), max(xs), max(ys)

    def _build(self) -> list[ShapeElementList]:
        """One list per layer: a ShapeElementList draws its shapes grouped by GL mode, not
        in the order added, so layers that must stack are kept in separate lists."""
        ground, edges, roads, offices = (ShapeElementList() for _ in range(4))
        self._add_areas(ground)
        self._add_edges(edges)
        self._add_roads(roads)
        self._add_offices(offices)
        return [ground, edges, roads, offices]

    def _add_areas(self, shapes: ShapeElementList) -> None:
        level, s = self.level, self._scale
        left, bottom, right, top = self.bounds()
        cx, cy = self.to_screen((left + right) / 2, (bottom + top) / 2)
        shapes.append(create_rectangle_filled(cx, cy, (right - left) * s, (top - bottom) * s,
                                              GROUND))
        for i, district in enumerate(level.districts):
            points = [self.to_screen(x, y) for x, y in district.polygon]
            self._fill(shapes, points, DISTRICT_FILLS[i % len(DISTRICT_FILLS)])
        features = level.features
        frame = box(left, bottom, right, top)  # the sea beyond the town stays off the frame
        for areas, color in ((features.parks, PARK), (features.water, WATER)) \
                if features else ():
            for area in areas:
                inside = ShapelyPolygon(area.polygon).intersection(frame)
                for part in getattr(inside, "geoms", [inside]):
                    if isinstance(part, ShapelyPolygon) and not part.is_empty:
                        self._fill(shapes, [self.to_screen(x, y) for x, y in
                                            list(part.exterior.coords)[:-1]], color)
        wet = blocks_in_water(level)
        for building in level.buildings:
            self._fill(shapes, [self.to_screen(x, y) for x, y in building.polygon],
                       WATER if building.id in wet else BUILDING)

    def _add_edges(self, shapes: ShapeElementList) -> None:
        for district in self.level.districts:
            points = [self.to_screen(x, y) for x, y in district.polygon]
            shapes.append(create_line_loop(points, DISTRICT_EDGE, 1))

    def _fill(self, shapes: ShapeElementList, points, color) -> None:
        try:
            triangles = earclip(points)
        except (ValueError, IndexError, ZeroDivisionError):
            return  # a degenerate polygon (the linter reports it); skip rather than crash
        flat = [p for tri in triangles for p in tri]
        if flat:
            shapes.append(create_triangles_filled_with_colors(flat, [color] * len(flat)))

    def _add_roads(self, shapes: ShapeElementList) -> None:
        nodes = {n.id: self.to_screen(n.x, n.y) for n in self.level.roads.nodes}
        for edge in self.level.roads.edges:
            if edge.a in nodes and edge.b in nodes:
                width = max(1.5, edge.width_m * self._scale)
                shapes.append(create_line(*nodes[edge.a], *nodes[edge.b], ROAD, width))

    def _add_offices(self, shapes: ShapeElementList) -> None:
        radius = max(5.0, min(10.0, 16 * self._scale))
        for office in self.level.offices:
            x, y = self.to_screen(office.x, office.y)
            color = OFFICE_COLORS.get(office.type, ROAD)
            shapes.append(create_ellipse_filled(x, y, radius * 2, radius * 2, color,
                                                num_segments=24))
            shapes.append(create_ellipse_outline(x, y, radius * 2, radius * 2, GROUND, 1.5,
                                                 num_segments=24))
