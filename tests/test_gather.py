"""Goal shapes in the level format: an office's optional ``gather`` area (disc, polygon,
line), old files loading unchanged, and the lint for an area nobody can stand in."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import numpy as np
import pytest
import shapely

from command_game.level.gather import GatherLine, GatherPolygon, gather_area
from command_game.level.io import level_digest, level_to_bytes, load_level, parse_level
from command_game.level.lint import lint
from command_game.level.problems import LevelError
from tests.conftest import LEVELS, REPO

SAMPLE = LEVELS / "01_singkawang.json"
OLD_FILES = sorted([*LEVELS.glob("0*.json"), *(REPO / "tests" / "data").glob("*.json")])


def sample() -> dict:
    return json.loads(SAMPLE.read_text("utf-8"))


def with_gather(index: int, gather: dict) -> dict:
    data = copy.deepcopy(sample())
    data["offices"][index]["gather"] = gather
    return data


def level_files() -> list[Path]:
    out = []
    for path in OLD_FILES:
        try:
            load_level(path)
        except LevelError:
            continue  # tests/data holds broken files on purpose
        out.append(path)
    return out


@pytest.mark.parametrize("path", level_files(), ids=lambda p: p.name)
def test_files_without_gather_load_and_save_unchanged(path):
    level = load_level(path)
    assert all(o.gather is None for o in level.offices)
    if path.parent == LEVELS:  # shipped levels are saved canonically: byte for byte
        assert level_to_bytes(level) == path.read_bytes()
    assert b'"gather"' not in level_to_bytes(level)


def test_the_default_gather_area_is_the_site_disc():
    level = load_level(SAMPLE)
    office = level.offices[2]
    area = gather_area(office)
    assert isinstance(area, shapely.Polygon)
    assert area.centroid.x == pytest.approx(office.x, abs=0.01)
    assert area.centroid.y == pytest.approx(office.y, abs=0.01)
    assert area.area == pytest.approx(math.pi * office.radius_m ** 2, rel=0.01)


def test_a_disc_may_give_its_own_centre_and_radius():
    office = parse_level(with_gather(2, {"shape": "disc", "radius_m": 10})).offices[2]
    area = gather_area(office)
    assert area.area == pytest.approx(math.pi * 100, rel=0.01)
    assert area.centroid.x == pytest.approx(office.x, abs=0.01)
    moved = parse_level(with_gather(2, {"shape": "disc", "x": 470, "y": 420})).offices[2]
    assert gather_area(moved).centroid.coords[0] == pytest.approx((470, 420), abs=0.01)
    assert gather_area(moved).area == pytest.approx(math.pi * office.radius_m ** 2, rel=0.01)


def test_polygon_and_line_areas_round_trip_through_the_file(tmp_path):
    square = [[470, 420], [500, 420], [500, 450], [470, 450]]
    data = with_gather(2, {"shape": "polygon", "points": square})
    data["offices"][3]["gather"] = {"shape": "line", "points": [[800, 660], [830, 660]]}
    level = parse_level(data)
    polygon, line = level.offices[2].gather, level.offices[3].gather
    assert isinstance(polygon, GatherPolygon) and isinstance(line, GatherLine)
    assert gather_area(level.offices[2]).equals(shapely.Polygon(square))
    assert gather_area(level.offices[3]).equals(shapely.LineString([(800, 660), (830, 660)]))
    path = tmp_path / "gather.json"
    path.write_bytes(level_to_bytes(level))
    again = load_level(path)
    assert level_digest(again) == level_digest(level)
    assert gather_area(again.offices[2]).wkb == gather_area(level.offices[2]).wkb
    assert level_digest(level) != level_digest(load_level(SAMPLE))  # the area is content


@pytest.mark.parametrize("gather, words", [
    ({"shape": "star"}, ["offices[2].gather", "disc", "polygon", "line"]),
    ({"shape": "polygon", "points": [[0, 0], [1, 1]]}, ["offices[2].gather.polygon.points"]),
    ({"shape": "line", "points": [[0, 0]]}, ["offices[2].gather.line.points"]),
    ({"shape": "disc", "radius_m": -4}, ["offices[2].gather.disc.radius_m", "greater than 0"]),
    ({"shape": "disc", "radius": 4}, ["offices[2].gather.disc.radius", "spelling"]),
])
def test_a_malformed_gather_area_names_the_field_and_the_fix(tmp_path, gather, words):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(with_gather(2, gather)), "utf-8")
    with pytest.raises(LevelError) as caught:
        load_level(path)
    text = "\n".join(p.format() for p in caught.value.problems)
    for word in words:
        assert word in text, text


def building_of(data: dict) -> list[list[float]]:
    return data["buildings"][0]["polygon"]


def errors(level) -> list[str]:
    return [p.format() for p in lint(level) if p.severity == "error"]


def test_lint_rejects_a_gather_area_inside_a_building():
    data = sample()
    poly = shapely.Polygon(building_of(data))
    inner = poly.buffer(-0.5) if poly.buffer(-0.5).area > 2 else poly
    ring = [list(p) for p in inner.exterior.coords[:-1]]
    for gather in ({"shape": "polygon", "points": ring},
                   {"shape": "line", "points": ring[:2]},
                   {"shape": "disc", "x": poly.representative_point().x,
                    "y": poly.representative_point().y, "radius_m": 0.3}):
        problems = errors(parse_level(with_gather(2, gather)))
        assert any("offices[2].gather" in p and "inside a building" in p for p in problems), \
            (gather, problems)


def test_lint_accepts_a_gather_area_on_open_ground():
    level = load_level(SAMPLE)
    office = level.offices[2]
    x, y = office.x, office.y
    open_square = [[x - 5, y - 5], [x + 5, y - 5], [x + 5, y + 5], [x - 5, y + 5]]
    for gather in ({"shape": "polygon", "points": open_square},
                   {"shape": "line", "points": open_square[:2]},
                   {"shape": "disc", "radius_m": 8}):
        assert errors(parse_level(with_gather(2, gather))) == []


def test_lint_rejects_a_self_crossing_gather_polygon():
    x, y = 498, 438
    bow = [[x - 5, y - 5], [x + 5, y + 5], [x + 5, y - 5], [x - 5, y + 5]]
    problems = errors(parse_level(with_gather(2, {"shape": "polygon", "points": bow})))
    assert any("offices[2].gather" in p and "not a simple shape" in p for p in problems)


def test_the_world_walks_the_crowd_to_the_office_gather_area():
    """A square forecourt away from the office's centre: the crowd gathers in and around
    it rather than round the office's centre."""
    from command_game.sim.world import World

    data = json.loads((REPO / "tests" / "data" / "map_tiny.json").read_text("utf-8"))
    data["incidents"], data["triggers"] = [], []
    square = [[250, 200], [270, 200], [270, 220], [250, 220]]
    kpu = next(o for o in data["offices"] if o.get("id") == "kpu_kecil")
    kpu["gather"] = {"shape": "polygon", "points": square}
    level = parse_level(data)
    assert errors(level) == []
    world = World.from_level(level, seed=0)
    office = level.office("kpu_kecil")
    while world.tick < 90 * 60:
        world.step(())
    pos = world.crowd.pos
    assert len(pos) >= 50
    forecourt = shapely.Polygon(square)
    near_square = shapely.distance(forecourt, shapely.points(pos)) < 6.0
    near_office = np.hypot(pos[:, 0] - office.x, pos[:, 1] - office.y) < office.radius_m
    assert near_square.mean() > 0.6, near_square.mean()
    assert near_office.mean() < 0.2


def _gathered_world(count: int, vigil: bool, seed: int = 0):
    """The sandbox's KPU (a 20 m site disc on a street corner) with ``count`` people of
    one source standing at it when the night begins, calm."""
    from command_game.sim.sandbox import sandbox_level
    from command_game.sim.world import World

    source = {"id": "massa", "x": 150.0, "y": 250.0, "attractor": "kpu", "rate_per_min": 1.0,
              "start_s": 500.0, "max_agents": 1, "agitation": 0.05, "gathered": count,
              "vigil": vigil}
    return World(sandbox_level(crowd_sources=[source]), seed)


def test_a_gathered_crowd_stands_at_its_office_when_the_night_begins():
    """Fruin's standing crowd, placed: 600 people stand in the KPU's gather disc at t=0,
    on open ground only, densest at the front (the office) and thinning outward, and
    they stay standing (no implosion onto the front: people jostling in a mass still
    count as standing, massing.still)."""
    world = _gathered_world(600, vigil=True)
    kpu = world.sites["kpu"]
    area = gather_area(world.level.office("kpu"))
    buildings = shapely.union_all([shapely.Polygon(b.polygon) for b in world.level.buildings])
    pos = world.crowd.pos
    assert world.crowd.count == 600
    assert shapely.contains_xy(area, pos[:, 0], pos[:, 1]).all()
    assert not shapely.contains_xy(buildings, pos[:, 0], pos[:, 1]).any()

    def rings() -> tuple[float, float]:
        r = np.hypot(world.crowd.pos[:, 0] - kpu.x, world.crowd.pos[:, 1] - kpu.y)
        near, far = r < 4.0, (r >= 7.0) & (r < 10.0)
        return near.sum() / (np.pi * 16.0 * 0.75), far.sum() / (np.pi * (100 - 49) * 0.75)

    start_front, start_back = rings()  # a quarter of each ring is the corner's blocks
    assert 1.5 < start_front < 3.0 and start_back < 0.8 * start_front, rings()
    while world.time_s < 20.0:
        world.step()
    front, back = rings()
    speed = np.hypot(world.crowd.vel[:, 0], world.crowd.vel[:, 1])
    assert front < 3.2 and back < 0.9 * front, (front, back)  # the edge closes up a little
    assert np.median(speed) < 0.1, np.median(speed)


def test_a_vigil_stays_calm_at_its_office_where_a_crowd_without_one_drifts_home():
    """Calm people at a calm site drift home (1 %/s, dispersal.py) unless their source
    keeps a vigil: they came to wait for the result."""
    def home_after(vigil: bool) -> int:
        world = _gathered_world(300, vigil)
        while world.time_s < 60.0:
            world.step()
        return int(world.crowd.going_home.sum()) + 300 - world.crowd.count

    assert home_after(vigil=False) > 60
    assert home_after(vigil=True) == 0


def test_the_gathered_and_vigil_fields_are_optional_and_round_trip():
    data = sample()
    assert "gathered" not in json.dumps(data["crowd_sources"])
    level = parse_level(data)
    assert all(s.gathered is None and s.vigil is None for s in level.crowd_sources)
    assert level_to_bytes(level) == SAMPLE.read_bytes()
    data["crowd_sources"][0].update(gathered=250, gathered_agitation=0.1, vigil=True)
    again = parse_level(json.loads(level_to_bytes(parse_level(data))))
    src = again.crowd_sources[0]
    assert (src.gathered, src.gathered_agitation, src.vigil) == (250, 0.1, True)


def test_lint_warns_when_more_are_gathered_than_the_area_holds():
    data = sample()
    source = data["crowd_sources"][0]
    office = next(o for o in data["offices"] if o["id"] == source["attractor"])
    office["radius_m"] = 20.0  # so that overfilling it stays within the 5,000 a source may gather
    source["gathered"] = 10
    assert not [p for p in lint(parse_level(data)) if "gathered" in p.path]
    source["gathered"] = int(math.pi * office["radius_m"] ** 2 * 2.5)
    problems = [p for p in lint(parse_level(data)) if "gathered" in p.path]
    assert problems and problems[0].severity == "warning"
    assert office["id"] in problems[0].message and "gather area" in problems[0].fix
