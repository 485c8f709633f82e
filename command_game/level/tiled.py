"""Tiled (.tmj) import and export, so maps can be drawn in the Tiled map editor.

The JSON is read directly: pytiled-parser drops object ids and rotation. One Tiled pixel
is one metre. Tiled's y axis points down from the top of the map and ours points up from
the bottom, so every y is flipped against the map height. The object layers and the
classes and custom properties used are documented in levels/README.md:

  districts  polygons (or rectangles), name = district name, property id
  buildings  polygons (or rectangles), name = id
  roads      polylines: every vertex becomes a road node (vertices closer than the merge
             tolerance, and road_node points, are one node) and every segment an edge;
             point objects of class road_node name a node (name = node id)
  offices    points, class = office type (kpu, bawaslu, tps, ppk, warehouse, polres,
             polsek), name = office name, properties id, node, radius_m (a "name" or
             "radius" property is read too)
  crowd      points of class crowd_source, name = id, properties attractor, rate_per_min,
             start_s, end_s, max_agents, agitation

Metadata and the parts that have no place on a map (units, incidents, triggers, convoys,
objectives) are custom properties of the map: plain values for the metadata, JSON text
for the lists.
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError, field_validator

from command_game.json_input import JsonInputError, parse_json
from command_game.level.io import MAX_LEVEL_BYTES, level_to_dict, parse_level, read_json
from command_game.level.models import OFFICE_TYPES, Level
from command_game.level.problems import LevelError, Problem, json_path
from command_game.storage import atomic_write_text

TILE_PX = 16
MERGE_TOLERANCE_M = 1.0
LAYERS = ("districts", "buildings", "roads", "offices", "crowd")
#: Map properties holding JSON lists, for what has no geometry.
LIST_PROPERTIES = ("units", "incidents", "triggers", "convoys", "objectives")
#: Map properties holding JSON for optional blocks, written only when a level has them.
OPTIONAL_PROPERTIES = ("event_cards", "variation", "features")
#: Those of them holding a JSON object (the rest hold lists).
OBJECT_PROPERTIES = ("variation", "features")
#: Map properties for the metadata: (property, path in the level, Tiled type).
META_PROPERTIES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("id", ("meta", "id"), "string"),
    ("title_en", ("meta", "title", "en"), "string"),
    ("title_id", ("meta", "title", "id"), "string"),
    ("briefing_en", ("meta", "briefing", "en"), "string"),
    ("briefing_id", ("meta", "briefing", "id"), "string"),
    ("debrief_win_en", ("meta", "debrief_win", "en"), "string"),
    ("debrief_win_id", ("meta", "debrief_win", "id"), "string"),
    ("debrief_loss_en", ("meta", "debrief_loss", "en"), "string"),
    ("debrief_loss_id", ("meta", "debrief_loss", "id"), "string"),
    ("region", ("meta", "region"), "string"),
    ("phase", ("meta", "phase"), "string"),
    ("par_time_s", ("meta", "par_time_s"), "float"),
    ("difficulty", ("meta", "difficulty"), "int"),
    ("campaign_order", ("meta", "campaign_order"), "int"),
    ("unlock_after", ("meta", "unlock_after"), "string"),
    ("start_clock", ("meta", "start_clock"), "string"),
    ("duration_s", ("meta", "duration_s"), "float"),
    ("grid_m", ("map", "grid_m"), "float"),
    ("tni_backup_calls", ("tni_backup_calls",), "int"),
)


# --- import ------------------------------------------------------------------------------

#: A number in a Tiled map: finite, and never text ("50" * 16 is not 800).
TiledNumber = Annotated[float, Strict(), Field(allow_inf_nan=False, ge=-1e7, le=1e7)]


class _Tiled(BaseModel):
    """The parts of Tiled's JSON format the importer reads, checked before anything is
    computed from them; everything else Tiled writes is allowed and ignored."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class TiledProperty(_Tiled):
    name: str
    type: str = "string"
    value: Any = Field(description="required: Tiled always writes it")


def _old_style(value: Any) -> Any:
    """Tiled before 1.2 wrote properties as one object {name: value}: read those too."""
    if isinstance(value, dict):
        return [{"name": str(k), "value": v} for k, v in value.items()]
    return value


class TiledXY(_Tiled):
    x: TiledNumber
    y: TiledNumber


class TiledObject(_Tiled):
    id: Annotated[int, Strict()] | None = None
    name: str = ""
    type: str = ""
    class_: str = Field("", alias="class")
    x: TiledNumber  # Tiled always writes both: a missing one is a hand edit gone wrong
    y: TiledNumber
    width: TiledNumber = 0.0
    height: TiledNumber = 0.0
    rotation: TiledNumber = 0.0
    visible: bool = True
    point: bool = False
    ellipse: bool = False
    polygon: list[TiledXY] | None = None
    polyline: list[TiledXY] | None = None
    gid: int | None = None
    template: str | None = None
    properties: list[TiledProperty] = Field(default_factory=list)

    _props = field_validator("properties", mode="before")(lambda cls, v: _old_style(v))


class TiledLayer(_Tiled):
    type: str = ""
    name: str = ""
    visible: bool = True
    offsetx: TiledNumber = 0.0
    offsety: TiledNumber = 0.0
    objects: list[TiledObject] = Field(default_factory=list)
    layers: list[TiledLayer] = Field(default_factory=list)


class TiledMap(_Tiled):
    type: str = ""
    orientation: str = "orthogonal"
    width: TiledNumber = 0.0
    height: TiledNumber = 0.0
    tilewidth: TiledNumber = float(TILE_PX)
    tileheight: TiledNumber = float(TILE_PX)
    layers: list[TiledLayer] = Field(default_factory=list)
    properties: list[TiledProperty] = Field(default_factory=list)

    _props = field_validator("properties", mode="before")(lambda cls, v: _old_style(v))


class TiledError(LevelError):
    """A .tmj file that cannot be turned into a level; names the file, object and fix."""


def _fail(file: str, where: str, message: str, fix: str) -> TiledError:
    return TiledError(file, [Problem("error", where, message, fix)])


def _where_in(raw: Any, loc: tuple[Any, ...]) -> str:
    """A pydantic error location in a map, as an author finds it in Tiled: the layer by
    name, the object by id, then the field."""
    parts, node, rest = [], raw, list(loc)
    while len(rest) >= 2 and rest[0] in ("layers", "objects") and isinstance(rest[1], int):
        key, index = rest.pop(0), rest.pop(0)
        try:
            node = node[key][index]
        except (KeyError, IndexError, TypeError):
            break
        label = node.get("name", "") if isinstance(node, dict) else ""
        if key == "layers":
            parts.append(f"layer '{label}'" if label else f"layer {index + 1}")
        else:
            oid = node.get("id", index + 1) if isinstance(node, dict) else index + 1
            parts.append(f"object {oid}" + (f" ('{label}')" if label else ""))
    if len(rest) >= 2 and rest[0] == "properties" and isinstance(rest[1], int):
        try:
            prop = node["properties"][rest[1]]
            parts.append(f"property '{prop.get('name', rest[1] + 1)}'")
            rest = rest[2:]
        except (KeyError, IndexError, TypeError, AttributeError):
            pass
    field = json_path(tuple(rest)) if rest else ""
    return " ".join(parts + ([field] if field else [])) or "(map)"


def check_map(raw: Any, file: str) -> TiledMap:
    """The map's structure, checked at once; every problem names layer, object and field."""
    if not isinstance(raw, dict):
        raise _fail(file, "(map)", "the file holds JSON but not a Tiled map",
                    "in Tiled use File > Export As... and choose JSON map files (*.tmj)")
    try:
        return TiledMap.model_validate(raw)
    except ValidationError as exc:
        problems = [Problem("error", _where_in(raw, tuple(e["loc"])),
                            "not a finite number" if e["type"] == "finite_number" else e["msg"],
                            "correct it in Tiled (a number must be a number, not text)"
                            if e["type"] in ("float_type", "int_type", "finite_number")
                            else "correct it in Tiled, or export the map again")
                    for e in exc.errors(include_url=False)[:20]]
        raise TiledError(file, problems) from None


def _props(obj: TiledObject | TiledMap) -> dict[str, Any]:
    return {p.name: p.value for p in obj.properties}


def _class(obj: dict[str, Any]) -> str:
    """Tiled 1.9 wrote "class", 1.8 and 1.10+ write "type": accept both."""
    return str(obj.get("type") or obj.get("class_") or "").strip().lower()


def _r(v: float) -> float:
    return round(float(v), 3) + 0.0  # + 0.0 turns -0.0 into 0.0


def _number(file: str, where: str, name: str, value: Any, whole: bool = False) -> float | int:
    """A custom property that must be a number: Tiled's float and int properties are, a
    string property may hold one as text; anything else is named with its fix."""
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    if number is None or not math.isfinite(number):
        shown = "no value" if value is None else repr(value)[:40]
        raise _fail(file, f"{where} property '{name}'", f"{shown} is not a finite number",
                    f"give '{name}' a number (property type float or int in Tiled)")
    if whole:
        if not number.is_integer():
            raise _fail(file, f"{where} property '{name}'", f"{value!r} is not a whole "
                        "number", f"give '{name}' a whole number (property type int)")
        return int(number)
    return number


class _Reader:
    def __init__(self, raw: TiledMap, file: str, merge_m: float) -> None:
        self.raw, self.file, self.merge_m = raw, file, merge_m
        props = _props(raw)
        self.props = props

        def size(prop: str, tiles: float, tile: float) -> float:
            if props.get(prop) not in (None, ""):
                return float(_number(file, "map", prop, props[prop]))
            return tiles * tile

        self.height_m = size("height_m", raw.height, raw.tileheight)
        self.width_m = size("width_m", raw.width, raw.tilewidth)
        if self.width_m <= 0 or self.height_m <= 0:
            raise _fail(file, "(map)", "the map has no size",
                        "set the map's width and height in Tiled (Map > Map Properties)")

    def where(self, layer: dict[str, Any], obj: dict[str, Any]) -> str:
        return f"layer '{layer.get('name')}' object {obj.get('id')} ('{obj.get('name', '')}')"

    def number(self, layer: dict[str, Any], obj: dict[str, Any], name: str, default: float,
               props: dict[str, Any]) -> float:
        value = props.get(name)
        return default if value is None else float(
            _number(self.file, self.where(layer, obj), name, value))

    def points(self, obj: dict[str, Any]) -> list[tuple[float, float]]:
        """Absolute points in level metres (y up), rotation applied. A tile object's (x, y)
        is its bottom-left corner, a rectangle's its top-left: Tiled's own convention."""
        ox, oy = obj["x"], obj["y"]
        shape = obj["polygon"] if obj["polygon"] is not None else obj["polyline"]
        if shape is not None:
            rel = [(p["x"], p["y"]) for p in shape]
        elif obj["point"]:
            rel = [(0.0, 0.0)]
        else:
            w, h = obj["width"], obj["height"]
            top = -h if obj["gid"] is not None else 0.0
            rel = [(0.0, top), (w, top), (w, top + h), (0.0, top + h)]
        angle = math.radians(obj["rotation"])
        cos, sin = math.cos(angle), math.sin(angle)
        out = []
        for px, py in rel:
            tx, ty = ox + px * cos - py * sin, oy + px * sin + py * cos
            out.append((_r(tx), _r(self.height_m - ty)))
        return out

    def object_layers(self) -> dict[str, dict[str, Any]]:
        """Object layers by name, as the map shows them: hidden layers (and layers inside
        hidden groups) are left out, layer and group offsets move their objects, and
        layers of the same name (say, 'buildings' in two groups) are one layer."""
        found: dict[str, dict[str, Any]] = {}

        def walk(layers: list[TiledLayer], dx: float, dy: float) -> None:
            for layer in layers:
                if not layer.visible:
                    continue
                x, y = dx + layer.offsetx, dy + layer.offsety
                if layer.type == "group":
                    walk(layer.layers, x, y)
                elif layer.type == "objectgroup":
                    name = layer.name.strip().lower()
                    merged = found.setdefault(name, {"name": layer.name, "objects": []})
                    merged["objects"] += [self._placed(layer, o, x, y) for o in layer.objects
                                          if o.visible]
        walk(self.raw.layers, 0.0, 0.0)
        return found

    def _placed(self, layer: TiledLayer, obj: TiledObject, dx: float,
                dy: float) -> dict[str, Any]:
        data = obj.model_dump()
        if obj.template is not None:
            raise _fail(self.file, self.where({"name": layer.name}, data),
                        f"the object uses the template '{obj.template}', which the importer "
                        "does not read", "in Tiled select the object and choose Detach "
                        "Template (or place a plain object)")
        for shape, least in ((obj.polygon, 3), (obj.polyline, 2)):
            if shape is not None and len(shape) < least:
                raise _fail(self.file, self.where({"name": layer.name}, data),
                            f"the shape has {len(shape)} point(s), fewer than {least}",
                            "redraw it with at least that many points, or delete it")
        data["x"], data["y"] = obj.x + dx, obj.y + dy
        data["properties"] = _props(obj)
        return data


def _set_path(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value


def _slug(text: str, fallback: str) -> str:
    slug = re.sub(r"[^a-z0-9_\-]+", "_", text.strip().lower()).strip("_-")
    return slug[:64] or fallback


class _Ids:
    """Ids given in the map are kept; objects without one get name-based ids."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, wanted: Any, fallback: str) -> str:
        base = _slug(str(wanted), fallback) if wanted else fallback
        obj_id, n = base, 2
        while obj_id in self.used:
            obj_id, n = f"{base}_{n}", n + 1
        self.used.add(obj_id)
        return obj_id


def tiled_to_data(raw: Any, file: str = "<tmj>",
                  merge_m: float = MERGE_TOLERANCE_M) -> dict[str, Any]:
    """Level data from parsed .tmj JSON; may be incomplete (the editor finishes it)."""
    tiled = check_map(raw, file)
    if tiled.type != "map" or tiled.orientation != "orthogonal":
        raise _fail(file, "(map)", "not an orthogonal Tiled map",
                    "export the map from Tiled as JSON (.tmj) with orthogonal orientation")
    reader = _Reader(tiled, file, merge_m)
    layers = reader.object_layers()
    data: dict[str, Any] = {"format_version": 1, "meta": {}, "map": {
        "width_m": _r(reader.width_m), "height_m": _r(reader.height_m)}}
    for prop, path, kind in META_PROPERTIES:
        value = reader.props.get(prop)
        if value in (None, ""):
            continue
        if kind in ("float", "int"):
            value = _number(file, "map", prop, value, whole=kind == "int")
        _set_path(data, path, value)
    data["meta"].setdefault("id", _slug(Path(file).stem, "tiled_map"))
    data["districts"] = _read_polygons(reader, layers.get("districts"), _Ids(), "district")
    data["buildings"] = _read_polygons(reader, layers.get("buildings"), _Ids(), "building")
    data["roads"] = _read_roads(reader, layers.get("roads"))
    data["offices"] = _read_offices(reader, layers.get("offices"), data["roads"]["nodes"])
    data["crowd_sources"] = _read_crowd(reader, layers.get("crowd"))
    for name in LIST_PROPERTIES:
        data[name] = _json_property(file, name, reader.props.get(name), list) or []
    for name in OPTIONAL_PROPERTIES:
        value = _json_property(file, name, reader.props.get(name),
                               dict if name in OBJECT_PROPERTIES else list)
        if value is not None:
            data[name] = value
    if "tni_backup_calls" not in data:
        data["tni_backup_calls"] = 0
    return data


def _json_property(file: str, name: str, text: Any, kind: type) -> Any:
    """A map property holding JSON text (a list, or for 'variation' and 'features' an
    object), read
    through the guarded JSON reader; None when it is absent or empty."""
    if text in (None, ""):
        return None
    shape = "a JSON list" if kind is list else "a JSON object"
    fix = f"write '{name}' as {shape} in a string property"
    if not isinstance(text, str):
        raise _fail(file, f"map property '{name}'", "is not text holding JSON", fix)
    try:
        value = parse_json(text)
    except JsonInputError as exc:
        raise _fail(file, f"map property '{name}'", f"not valid JSON: {exc.reason}",
                    fix) from None
    if not isinstance(value, kind):
        raise _fail(file, f"map property '{name}'", f"holds JSON but not {shape}", fix)
    return value


def _objects(layer: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [] if layer is None else layer["objects"]


def _read_polygons(reader: _Reader, layer: dict[str, Any] | None, ids: _Ids,
                   kind: str) -> list[dict[str, Any]]:
    out = []
    for obj in _objects(layer):
        if obj["point"] or obj["polyline"] is not None or obj["ellipse"]:
            raise _fail(reader.file, reader.where(layer, obj), f"a {kind} must be a polygon",
                        f"draw {kind}s with the polygon or rectangle tool")
        props = obj["properties"]
        name = str(obj["name"]).strip()
        if kind == "district":
            item = {"id": ids.take(props.get("id") or name, f"district_{obj['id']}"),
                    "name": name or f"District {obj['id']}"}
        else:
            item = {"id": ids.take(props.get("id") or name, f"building_{obj['id']}")}
        item["polygon"] = [list(p) for p in reader.points(obj)]
        out.append(item)
    return out


def _read_roads(reader: _Reader, layer: dict[str, Any] | None) -> dict[str, Any]:
    node_ids, edge_ids = _Ids(), _Ids()
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []

    def node_at(x: float, y: float, wanted: str | None = None) -> str:
        for n in nodes:
            if math.hypot(n["x"] - x, n["y"] - y) <= reader.merge_m:
                return n["id"]
        node_id = node_ids.take(wanted, f"node_{len(nodes) + 1}")
        nodes.append({"id": node_id, "x": x, "y": y})
        return node_id

    objects = _objects(layer)
    for obj in objects:  # named nodes first, so polylines snap onto them
        if obj["point"] and _class(obj) in ("road_node", "node", ""):
            (x, y), = reader.points(obj)
            node_at(x, y, obj["name"] or None)
    for obj in objects:
        if obj["polyline"] is None:
            continue
        props = obj["properties"]
        points = reader.points(obj)
        if len(points) < 2:
            raise _fail(reader.file, reader.where(layer, obj), "a road needs two points",
                        "draw the road as a polyline with at least two points")
        speed = reader.number(layer, obj, "speed_kmh", 40.0, props)
        width = reader.number(layer, obj, "width_m", 8.0, props)
        chain = [node_at(x, y) for x, y in points]
        segments = [(a, b) for a, b in zip(chain, chain[1:], strict=False) if a != b]
        base = props.get("id") or obj["name"] or f"road_{obj['id']}"
        for i, (a, b) in enumerate(segments):
            wanted = base if len(segments) == 1 else f"{base}_{i + 1}"
            edges.append({"id": edge_ids.take(wanted, f"road_{obj['id']}_{i + 1}"), "a": a,
                          "b": b, "speed_kmh": speed, "width_m": width})
    return {"nodes": nodes, "edges": edges}


def _read_offices(reader: _Reader, layer: dict[str, Any] | None,
                  nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids, out = _Ids(), []
    for obj in _objects(layer):
        office_type = _class(obj)
        if office_type not in OFFICE_TYPES:
            raise _fail(reader.file, reader.where(layer, obj),
                        f"office class '{office_type}' is not an office type",
                        f"set the object's class to one of {', '.join(OFFICE_TYPES)}")
        props = obj["properties"]
        x, y = reader.points(obj)[0] if obj["point"] else _centre(reader.points(obj))
        node = props.get("node") or _nearest_node(nodes, x, y)
        name = str(props.get("name") or obj["name"] or "").strip() or \
            f"{office_type.upper()} {len(out) + 1}"
        radius_key = "radius_m" if props.get("radius_m") is not None else "radius"
        radius = reader.number(layer, obj, radius_key, 25.0, props)
        out.append({"id": ids.take(props.get("id") or name, f"{office_type}_{obj['id']}"),
                    "type": office_type, "name": name, "node": node, "x": x, "y": y,
                    "radius_m": radius})
    return out


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    xs, ys = zip(*points, strict=True)
    return _r(sum(xs) / len(xs)), _r(sum(ys) / len(ys))


def _nearest_node(nodes: list[dict[str, Any]], x: float, y: float) -> str:
    if not nodes:
        return ""
    return min(nodes, key=lambda n: math.hypot(n["x"] - x, n["y"] - y))["id"]


#: Crowd source properties that are numbers: name -> whole number?
CROWD_FIELDS = {"rate_per_min": False, "start_s": False, "end_s": False, "max_agents": True,
                "agitation": False, "gathered": True, "gathered_agitation": False}


def _read_crowd(reader: _Reader, layer: dict[str, Any] | None) -> list[dict[str, Any]]:
    ids, out = _Ids(), []
    for obj in _objects(layer):
        props = obj["properties"]
        x, y = reader.points(obj)[0]
        item: dict[str, Any] = {
            "id": ids.take(props.get("id") or obj["name"], f"crowd_{obj['id']}"),
            "x": x, "y": y, "attractor": str(props.get("attractor", "")),
            "rate_per_min": 30.0, "start_s": 0.0, "max_agents": 150, "agitation": 0.2}
        for key, whole in CROWD_FIELDS.items():
            if props.get(key) not in (None, ""):
                item[key] = _number(reader.file, reader.where(layer, obj), key, props[key],
                                    whole)
        if "vigil" in props:  # a bool property; a wrong type is the level model's to name
            item["vigil"] = props["vigil"]
        out.append(item)
    return out


def read_tmj(path: str | os.PathLike[str]) -> Any:
    """The JSON of a .tmj file, through the guarded reader (LevelError when it is not)."""
    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise _fail(file, "(file)", exc.strerror or str(exc),
                    "check the path and that the file is readable") from None
    if len(raw) > MAX_LEVEL_BYTES * 4:
        raise _fail(file, "(file)", f"the file is {len(raw)} bytes",
                    f"maps must be under {MAX_LEVEL_BYTES * 4} bytes")
    try:
        return read_json(raw, file)
    except LevelError as exc:
        first = exc.problems[0]
        raise _fail(file, first.path, f"not Tiled JSON ({first.message})",
                    "in Tiled use File > Export As... and choose JSON map files (*.tmj)"
                    ) from None


def import_tiled_data(path: str | os.PathLike[str],
                      merge_m: float = MERGE_TOLERANCE_M) -> dict[str, Any]:
    """Level data from a .tmj; may be incomplete, for the editor to finish."""
    return tiled_to_data(read_tmj(path), str(path), merge_m)


def import_tiled(path: str | os.PathLike[str], merge_m: float = MERGE_TOLERANCE_M) -> Level:
    """A complete level from a .tmj; raises LevelError naming what is missing."""
    data = import_tiled_data(path, merge_m)
    try:
        return parse_level(data, str(path))
    except LevelError as exc:
        hint = ("add it as a custom property of the map in Tiled, or open the map with "
                "`command-game edit MAP.tmj` and finish it in the level editor")
        problems = [Problem(p.severity, p.path, p.message, f"{p.fix}; {hint}" if p.path
                            .split(".")[0].split("[")[0] in (*LIST_PROPERTIES, "meta") else p.fix,
                            p.ref) for p in exc.problems]
        raise LevelError(exc.file, problems) from None


# --- export ------------------------------------------------------------------------------

class _Writer:
    def __init__(self, height_m: float) -> None:
        self.height_m = height_m
        self.next_id = 1

    def obj(self, name: str, cls: str, x: float, y: float,
            props: dict[str, Any] | None = None) -> dict[str, Any]:
        out = {"id": self.next_id, "name": name, "type": cls, "x": _r(x),
               "y": _r(self.height_m - y), "width": 0, "height": 0, "rotation": 0,
               "visible": True}
        self.next_id += 1
        if props:
            out["properties"] = _tiled_props(props)
        return out

    def shape(self, key: str, name: str, cls: str, points: list[tuple[float, float]],
              props: dict[str, Any] | None = None) -> dict[str, Any]:
        x0, y0 = points[0]
        out = self.obj(name, cls, x0, y0, props)
        out[key] = [{"x": _r(x - x0), "y": _r(y0 - y)} for x, y in points]
        return out

    def point(self, name: str, cls: str, x: float, y: float,
              props: dict[str, Any] | None = None) -> dict[str, Any]:
        out = self.obj(name, cls, x, y, props)
        out["point"] = True
        return out


def _crowd_extras(source) -> dict[str, Any]:
    """A crowd source's optional fields that it sets."""
    extras = {"gathered": source.gathered, "gathered_agitation": source.gathered_agitation,
              "vigil": source.vigil}
    return {k: v for k, v in extras.items() if v is not None}


def _tiled_props(values: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name, value in values.items():
        if value is None:
            continue
        kind = ("bool" if isinstance(value, bool) else "int" if isinstance(value, int)
                else "float" if isinstance(value, float) else "string")
        out.append({"name": name, "type": kind, "value": value})
    return out


def _layer(layer_id: int, name: str, objects: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": layer_id, "name": name, "type": "objectgroup", "draworder": "topdown",
            "objects": objects, "opacity": 1, "visible": True, "x": 0, "y": 0}


def level_to_tiled(level: Level) -> dict[str, Any]:
    """The level as a Tiled map (.tmj JSON), one object layer per kind of map object."""
    data = level_to_dict(level)
    w = _Writer(level.map.height_m)
    districts = [w.shape("polygon", d.name, "district", d.polygon, {"id": d.id})
                 for d in level.districts]
    buildings = [w.shape("polygon", b.id, "building", b.polygon) for b in level.buildings]
    nodes = {n.id: n for n in level.roads.nodes}
    roads = [w.point(n.id, "road_node", n.x, n.y) for n in level.roads.nodes]
    roads += [w.shape("polyline", e.id, "road", [(nodes[e.a].x, nodes[e.a].y),
                                                 (nodes[e.b].x, nodes[e.b].y)],
                      {"id": e.id, "speed_kmh": e.speed_kmh, "width_m": e.width_m})
              for e in level.roads.edges if e.a in nodes and e.b in nodes]
    offices = [w.point(o.name, o.type, o.x, o.y, {"id": o.id, "node": o.node,
                                                  "radius_m": o.radius_m})
               for o in level.offices]
    crowd = [w.point(s.id, "crowd_source", s.x, s.y,
                     {"id": s.id, "attractor": s.attractor, "rate_per_min": s.rate_per_min,
                      "start_s": s.start_s, "end_s": s.end_s, "max_agents": s.max_agents,
                      "agitation": s.agitation, **_crowd_extras(s)})
             for s in level.crowd_sources]
    props: dict[str, Any] = {"width_m": level.map.width_m, "height_m": level.map.height_m}
    for prop, path, kind in META_PROPERTIES:
        value: Any = data
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        if value is not None:
            props[prop] = float(value) if kind == "float" else value
    for name in LIST_PROPERTIES:
        props[name] = json.dumps(data[name], ensure_ascii=False)
    for name in OPTIONAL_PROPERTIES:
        if data.get(name) is not None:
            props[name] = json.dumps(data[name], ensure_ascii=False)
    layers = [_layer(i + 1, name, objs) for i, (name, objs) in enumerate(
        zip(LAYERS, (districts, buildings, roads, offices, crowd), strict=True))]
    return {
        "type": "map", "version": "1.10", "tiledversion": "1.10.2",
        "orientation": "orthogonal", "renderorder": "right-down", "infinite": False,
        "width": math.ceil(level.map.width_m / TILE_PX),
        "height": math.ceil(level.map.height_m / TILE_PX),
        "tilewidth": TILE_PX, "tileheight": TILE_PX, "compressionlevel": -1,
        "nextlayerid": len(layers) + 1, "nextobjectid": w.next_id,
        "layers": layers, "tilesets": [], "properties": _tiled_props(props),
    }


def export_tiled(level: Level, path: str | os.PathLike[str]) -> None:
    atomic_write_text(path, json.dumps(level_to_tiled(level), indent=1, ensure_ascii=False)
                      + "\n")
