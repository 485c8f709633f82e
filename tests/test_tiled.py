"""Tiled (.tmj) import and export: a level survives the round trip, and a map drawn in
Tiled (polylines, rectangles, rotation, y pointing down) imports as the author meant."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from command_game.cli import main
from command_game.level.io import load_level
from command_game.level.lint import lint
from command_game.level.problems import LevelError
from command_game.level.tiled import export_tiled, import_tiled, import_tiled_data
from tests.conftest import LEVELS


@pytest.mark.parametrize("name", sorted(p.name for p in LEVELS.glob("0*.json")))
def test_level_to_tmj_to_level_is_equal(tmp_path, name):
    level = load_level(LEVELS / name)
    export_tiled(level, tmp_path / "map.tmj")
    assert import_tiled(tmp_path / "map.tmj") == level


def test_exported_map_reads_in_pytiled_parser_with_y_down(tmp_path):
    import pytiled_parser

    level = load_level(LEVELS / "01_singkawang.json")
    export_tiled(level, tmp_path / "map.tmj")
    tiled = pytiled_parser.parse_map(tmp_path / "map.tmj")
    offices = next(layer for layer in tiled.layers if layer.name == "offices")
    first = offices.tiled_objects[0]
    assert first.class_ == level.offices[0].type
    assert first.properties["id"] == level.offices[0].id
    assert first.coordinates.x == level.offices[0].x
    assert first.coordinates.y == level.map.height_m - level.offices[0].y


def _obj(oid, name, cls, x, y, **extra):
    return {"id": oid, "name": name, "type": cls, "x": x, "y": y, "width": 0, "height": 0,
            "rotation": 0, "visible": True, **extra}


def _prop(name, value, kind="string"):
    return {"name": name, "type": kind, "value": value}


def hand_made_map() -> dict:
    """What an author draws in Tiled: a 400x300 m map, y down."""
    roads = [
        _obj(1, "jl_utama", "road", 20, 280, polyline=[{"x": 0, "y": 0}, {"x": 180, "y": 0},
                                                        {"x": 180, "y": -200}]),
        # starts 0.4 m from the first road's end: the same junction
        _obj(2, "", "road", 200.4, 80, polyline=[{"x": 0, "y": 0}, {"x": 150, "y": 0}],
             properties=[_prop("speed_kmh", 30.0, "float")]),
    ]
    offices = [
        _obj(3, "Polsek Kota", "polsek", 30, 270, point=True),
        _obj(4, "", "KPU", 340, 90, point=True,
             properties=[_prop("id", "kpu_kota"), _prop("name", "KPU Kota"),
                         _prop("radius", 40.0, "float")]),
    ]
    buildings = [_obj(5, "blok", "building", 250, 100, width=40, height=20, rotation=90)]
    crowd = [_obj(6, "massa", "crowd_source", 300, 150, point=True,
                  properties=[_prop("attractor", "kpu_kota"),
                              _prop("max_agents", 80, "int")])]
    group = {"id": 9, "name": "map", "type": "group", "layers": [
        {"id": 2, "name": "Roads", "type": "objectgroup", "objects": roads},
        {"id": 3, "name": "offices", "type": "objectgroup", "objects": offices}]}
    return {
        "type": "map", "orientation": "orthogonal", "width": 25, "height": 30,
        "tilewidth": 16, "tileheight": 10,
        "layers": [group,
                   {"id": 4, "name": "buildings", "type": "objectgroup", "objects": buildings},
                   {"id": 5, "name": "crowd", "type": "objectgroup", "objects": crowd}],
        "properties": [
            _prop("title_en", "Count night"), _prop("title_id", "Malam hitung"),
            _prop("briefing_en", "Keep calm."), _prop("briefing_id", "Jaga tetap tenang."),
            _prop("region", "Pontianak"), _prop("phase", "counting"),
            _prop("par_time_s", 200.0, "float"), _prop("duration_s", 300.0, "float"),
            _prop("units", json.dumps([{"id": "u1", "type": "samapta", "name": "Samapta",
                                        "base": "polsek_kota"}])),
            _prop("objectives", json.dumps([{"id": "o1", "kind": "hold_site", "hold_s": 60,
                                             "site": "kpu_kota", "title": {"en": "Hold",
                                                                           "id": "Jaga"}}])),
        ],
    }


def test_hand_made_tiled_map_imports_as_drawn(tmp_path):
    path = tmp_path / "kota.tmj"
    path.write_text(json.dumps(hand_made_map()))
    level = import_tiled(path)
    assert level.meta.id == "kota" and level.map.height_m == 300
    nodes = {(n.x, n.y): n.id for n in level.roads.nodes}
    assert set(nodes) == {(20.0, 20.0), (200.0, 20.0), (200.0, 220.0), (350.4, 220.0)}
    assert len(level.roads.edges) == 3  # the two roads share the merged junction
    assert level.roads.edges[2].speed_kmh == 30.0
    polsek, kpu = level.offices
    assert (polsek.id, polsek.node, polsek.y) == ("polsek_kota", nodes[(20.0, 20.0)], 30.0)
    assert (kpu.type, kpu.name, kpu.radius_m) == ("kpu", "KPU Kota", 40.0)
    assert kpu.node == nodes[(350.4, 220.0)]
    # a 40x20 rectangle rotated 90 degrees clockwise about its top-left corner, y flipped
    assert level.buildings[0].polygon == [(250.0, 200.0), (250.0, 160.0), (230.0, 160.0),
                                          (230.0, 200.0)]
    assert level.crowd_sources[0].max_agents == 80
    assert [p for p in lint(level) if p.severity == "error"] == []


def test_incomplete_map_says_what_is_missing_and_how(tmp_path):
    raw = hand_made_map()
    raw["properties"] = [p for p in raw["properties"] if p["name"] != "units"]
    path = tmp_path / "partial.tmj"
    path.write_text(json.dumps(raw))
    with pytest.raises(LevelError) as err:
        import_tiled(path)
    assert "partial.tmj" in str(err.value) and "units" in str(err.value)
    assert "command-game edit" in str(err.value)
    assert import_tiled_data(path)["units"] == []  # the editor can still open it


def test_bad_office_class_names_the_object(tmp_path):
    raw = hand_made_map()
    raw["layers"][0]["layers"][1]["objects"][0]["type"] = "pos_ronda"
    path = tmp_path / "bad.tmj"
    path.write_text(json.dumps(raw))
    with pytest.raises(LevelError, match="object 3.*pos_ronda"):
        import_tiled(path)


def test_cli_export_then_import(tmp_path, capsys):
    tmj, out = tmp_path / "map.tmj", tmp_path / "level.json"
    assert main(["levels", "export-tiled", str(LEVELS / "01_singkawang.json"), "-o",
                 str(tmj)]) == 0
    assert main(["levels", "import-tiled", str(tmj), "-o", str(out)]) == 0
    assert out.read_bytes() == Path(LEVELS / "01_singkawang.json").read_bytes()
    assert main(["levels", "import-tiled", str(tmp_path / "missing.tmj"), "-o",
                 str(out)]) == 1
    assert "missing.tmj" in capsys.readouterr().out


# --- hardening (issue 12): every hand-written variant is either imported as drawn or
# refused with a message naming the object and the fix; never a traceback ---------------

def _import(tmp_path, raw) -> object:
    path = tmp_path / "variant.tmj"
    path.write_text(json.dumps(raw))
    return import_tiled(path)


def _refused(tmp_path, raw, *words) -> str:
    with pytest.raises(LevelError) as err:
        _import(tmp_path, raw)
    text = str(err.value)
    assert "variant.tmj" in text
    for word in words:
        assert word in text, text
    return text


def _layer(raw, name):
    for layer in raw["layers"]:
        if layer.get("name") == name:
            return layer
        for inner in layer.get("layers", []):
            if inner.get("name", "").lower() == name:
                return inner
    raise KeyError(name)


def test_non_numeric_properties_are_named_not_a_traceback(tmp_path):
    raw = hand_made_map()
    _layer(raw, "roads")["objects"][1]["properties"] = [_prop("speed_kmh", "fast")]
    _refused(tmp_path, raw, "object 2", "speed_kmh", "'fast' is not a finite number")
    raw = hand_made_map()
    _layer(raw, "offices")["objects"][1]["properties"][2] = _prop("radius", "wide")
    _refused(tmp_path, raw, "object 4", "radius")
    raw = hand_made_map()
    _layer(raw, "roads")["objects"][1]["properties"] = [_prop("speed_kmh", "nan")]
    _refused(tmp_path, raw, "not a finite number")


def test_numeric_text_and_fractions_in_properties(tmp_path):
    raw = hand_made_map()
    _layer(raw, "roads")["objects"][1]["properties"] = [_prop("speed_kmh", "30")]
    assert _import(tmp_path, raw).roads.edges[2].speed_kmh == 30.0
    raw = hand_made_map()
    _layer(raw, "crowd")["objects"][0]["properties"][1] = _prop("max_agents", 120.5, "float")
    _refused(tmp_path, raw, "max_agents", "not a whole number")  # never silently 120


def test_property_without_value_and_bad_shapes_are_named(tmp_path):
    raw = hand_made_map()
    _layer(raw, "roads")["objects"][1]["properties"] = [{"name": "speed_kmh", "type": "float"}]
    _refused(tmp_path, raw, "layer 'Roads' object 2", "value")
    raw = hand_made_map()
    _layer(raw, "buildings")["objects"][0]["polygon"] = []
    _refused(tmp_path, raw, "object 5", "fewer than 3")
    raw = hand_made_map()
    _layer(raw, "roads")["objects"][0]["polyline"][1] = {"x": 5}
    _refused(tmp_path, raw, "object 1", "polyline[1].y", "Field required")
    raw = hand_made_map()
    raw["layers"] = {"roads": []}
    _refused(tmp_path, raw, "layers", "valid list")
    raw = hand_made_map()
    raw["width"] = "25"  # text, not a number: never "25" * 16
    _refused(tmp_path, raw, "width", "number")


def test_old_dict_style_properties_are_read(tmp_path):
    """Tiled before 1.2 wrote {name: value}; a property called "name" is just a name."""
    raw = hand_made_map()
    kpu = _layer(raw, "offices")["objects"][1]
    kpu["properties"] = {"id": "kpu_kota", "name": "KPU Kota", "radius": 40.0}
    level = _import(tmp_path, raw)
    assert (level.offices[1].id, level.offices[1].name, level.offices[1].radius_m) == (
        "kpu_kota", "KPU Kota", 40.0)
    raw["properties"] = {p["name"]: p["value"] for p in raw["properties"]}
    assert _import(tmp_path, raw).meta.title.en == "Count night"


def test_layer_and_group_offsets_move_their_objects(tmp_path):
    raw = hand_made_map()
    raw["layers"][0]["offsetx"] = 10  # the group holding roads and offices
    _layer(raw, "offices")["offsety"] = -5  # Tiled y down: 5 m up the map
    level = _import(tmp_path, raw)
    assert (level.roads.nodes[0].x, level.roads.nodes[0].y) == (30.0, 20.0)
    assert (level.offices[0].x, level.offices[0].y) == (40.0, 35.0)


def test_hidden_layers_are_left_out_and_same_named_layers_merge(tmp_path):
    raw = hand_made_map()
    extra = _obj(7, "gudang", "building", 100, 100, width=10, height=10)
    raw["layers"].append({"id": 6, "name": "buildings", "type": "objectgroup",
                          "objects": [extra]})
    raw["layers"].append({"id": 7, "name": "buildings", "type": "objectgroup",
                          "visible": False, "objects": [_obj(8, "draft", "building", 5, 5,
                                                             width=9, height=9)]})
    level = _import(tmp_path, raw)
    assert [b.id for b in level.buildings] == ["blok", "gudang"]


def test_tile_objects_sit_on_their_bottom_left_corner(tmp_path):
    raw = hand_made_map()
    _layer(raw, "buildings")["objects"][0] = _obj(5, "blok", "building", 250, 100, width=40,
                                                  height=20, gid=1)
    level = _import(tmp_path, raw)
    # a tile object's y is its bottom edge (Tiled's convention): it spans y 80..100 down
    ys = sorted({y for _, y in level.buildings[0].polygon})
    assert ys == [200.0, 220.0]


def test_templates_are_refused_with_what_to_do(tmp_path):
    raw = hand_made_map()
    _layer(raw, "offices")["objects"][0] = {"id": 3, "template": "polsek.tx", "x": 30,
                                            "y": 270}
    _refused(tmp_path, raw, "template 'polsek.tx'", "Detach Template")


@pytest.mark.parametrize("text", ['{"type": "map", "layers": ' + "[" * 5000 + "]" * 5000 + "}",
                                  "[1, 2]", '{"type": "map", "width": 1e999}'])
def test_structurally_hostile_files_are_refused(tmp_path, text):
    path = tmp_path / "variant.tmj"
    path.write_text(text)
    with pytest.raises(LevelError, match="variant.tmj"):
        import_tiled(path)


def test_cli_import_of_a_broken_map_exits_1_without_traceback(tmp_path, capsys):
    raw = hand_made_map()
    _layer(raw, "roads")["objects"][1]["properties"] = [{"name": "speed_kmh"}]
    path = tmp_path / "variant.tmj"
    path.write_text(json.dumps(raw))
    out = tmp_path / "out.json"
    assert main(["levels", "import-tiled", str(path), "-o", str(out)]) == 1
    assert "speed_kmh" in capsys.readouterr().out and not out.exists()
