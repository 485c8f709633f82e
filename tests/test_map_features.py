"""Parks, water and street names on the map (level.features): old files load unchanged,
a street naming a road that is not there is said by the lint, and the map draws them in
its night style (fills under the blocks, names that give way to the offices')."""

from __future__ import annotations

import json

import pytest

from command_game.level.io import level_to_bytes, load_level, parse_level
from command_game.level.lint import lint
from tests.conftest import ARTIFACTS, LEVELS, REPO, save_frame

TINY = REPO / "tests" / "data" / "map_tiny.json"
FEATURES = {
    "parks": [{"id": "alun", "name": "Alun-alun", "polygon": [[20, 160], [100, 160],
                                                              [100, 280], [20, 280]]}],
    "water": [{"id": "kali", "name": "Kali Kecil", "polygon": [[220, 180], [400, 200],
                                                               [400, 230], [220, 215]]}],
    "streets": [{"name": "Jl. Merdeka", "edges": ["jl_1", "jl_2"]},
                {"name": "Jl. Utara", "edges": ["jl_3"]}],
}


def tiny_with_features(**changes):
    data = json.loads(TINY.read_text("utf-8"))
    data["features"] = {**FEATURES, **changes}
    return parse_level(data)


def test_old_levels_load_unchanged_and_features_round_trip():
    level = load_level(TINY)  # written before features existed
    assert level.features is None
    assert b'"features"' not in level_to_bytes(level)  # written back as it was
    for path in sorted(p for p in LEVELS.glob("*.json") if p.name != "schema.json"):
        level = load_level(path)  # every campaign level names its streets and water
        assert level.features is not None and level.features.streets, path.name
        assert level.features.water, path.name
        assert level_to_bytes(level) == path.read_bytes()  # the block as the game saves it
        assert not [p for p in lint(level) if p.path.startswith("features")], path.name
    level = tiny_with_features()
    again = parse_level(json.loads(level_to_bytes(level)))
    assert again.features == level.features
    assert not [p for p in lint(level) if p.severity == "error"]


def test_a_street_on_a_missing_road_is_named_by_the_lint():
    level = tiny_with_features(streets=[{"name": "Jl. Hilang", "edges": ["jl_9"]}])
    problems = [p for p in lint(level) if p.path.startswith("features")]
    assert [p.path for p in problems] == ["features.streets[0].edges[0]"]
    assert "jl_9" in problems[0].message and "roads.edges" in problems[0].fix


def test_bad_features_are_refused_with_the_field():
    from command_game.level.problems import LevelError

    data = json.loads(TINY.read_text("utf-8"))
    data["features"] = {"parks": [{"id": "p", "polygon": [[0, 0], [1, 1]]}]}
    with pytest.raises(LevelError) as err:
        parse_level(data)
    assert "features.parks[0].polygon" in str(err.value)


@pytest.mark.gl
def test_the_map_draws_parks_water_and_street_names(clean_window, stack):
    from command_game.render import layout
    from command_game.render.static_map import PARK_FILL, WATER_FILL, StaticMapLayer
    from command_game.scenes.map import MapScene

    level = tiny_with_features()
    layer = StaticMapLayer(level)
    assert {"park:alun", "water:kali", "street:0", "street:1"} <= set(layer.labels)
    colors = set(layer.shape.colors) if hasattr(layer.shape, "colors") else None
    if colors is not None:
        assert tuple(PARK_FILL) in colors and tuple(WATER_FILL) in colors
    scene = stack.push(MapScene(level))
    scene.tutorial = None
    for _ in range(2):
        clean_window.dispatch_events()
        clean_window.dispatch_event("on_draw")
        clean_window.flip()
    rec = layout.start()
    try:
        clean_window.dispatch_event("on_draw")
        clean_window.dispatch_pending_events()
    finally:
        layout.stop()
    shown = {t.text for t in rec.texts if t.owner == "map"}
    assert {"Jl. Merdeka", "Jl. Utara", "Alun-alun", "Polres Kecil", "KPU Kecil"} <= shown
    image = save_frame(clean_window, "map_features", ARTIFACTS)
    from PIL import Image

    pixels = set(Image.open(image).getdata())
    assert tuple(PARK_FILL[:3]) in pixels and tuple(WATER_FILL[:3]) in pixels
    stack.pop()
