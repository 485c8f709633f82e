"""Rules v2: cordons, crowd pressure and the crush, trust with effects, fatigue, roles
with a cost, hidden threats, roads planned and driven at one cost."""

from __future__ import annotations

import numpy as np
import shapely

from command_game.sim import crowd_pressure, fatigue, rules
from command_game.sim.commands import Command
from command_game.sim.sandbox import sandbox_level, unit
from command_game.sim.state import SiteState
from command_game.sim.world import World
from tests.test_sim_world import run_until


def _crowd_at_kpu(world: World, n: int, agitation: float) -> None:
    rng = np.random.default_rng(3)
    xy = np.column_stack([rng.uniform(250, 275, n), rng.uniform(125, 150, n)])
    goal = world.crowd.add_goal(shapely.Point(262.0, 138.0).buffer(10.0))
    world.crowd.spawn(xy, goal, goal, 0, agitation)


def test_a_cordon_is_a_line_the_crowd_cannot_cross():
    def citizens_at_kpu(cordon: bool) -> int:
        level = sandbox_level(
            units=[unit("c", "samapta", "polsek", personnel=70)],
            crowd_sources=[{"id": "w", "x": 265.0, "y": 20.0, "attractor": "kpu",
                            "rate_per_min": 600.0, "max_agents": 200, "start_s": 25.0}])
        world = World(level, 0)
        cmds = {0: [Command(0, "cordon", ("c",), "kpu", point=(265.0, 95.0))]} if cordon else {}
        events = run_until(world, 140.0, cmds)
        if cordon:
            assert world.units["c"].state == "cordon" and len(world.cordons.lines()) == 1
            assert any(e.kind == "cordon_raised" for e in events)
        return world.sites["kpu"].crowd

    assert citizens_at_kpu(False) > 150
    assert citizens_at_kpu(True) < 20


def test_a_cordon_order_needs_a_point_and_an_office():
    world = World(sandbox_level(), 0)
    events = world.step([Command(0, "cordon", ("samapta_1",), "kpu")])
    assert [e.kind for e in events] == ["command_rejected"]


def test_packing_feeds_tension_and_a_crush_loses_the_night():
    loose = SiteState("a", "kpu", "A", 0, 0, 20, "n", None, crowd=200, agitation=0.2, density=0.5)
    packed = SiteState("b", "kpu", "B", 0, 0, 20, "n", None, crowd=200, agitation=0.2, density=4.0)
    assert crowd_pressure.crowd_feed(packed) > 2 * crowd_pressure.crowd_feed(loose)
    world = World(sandbox_level(), 0)
    site = world.sites["kpu"]
    kinds = []
    for _ in range(round(rules.CRUSH_AFTER_S / rules.SLOW_DT) + 1):
        site.peak_density = rules.CRUSH_DENSITY + 0.5
        crowd_pressure.crush_clock(world, site, rules.SLOW_DT)
        kinds += [e.kind for e in world.events]
    assert kinds[0] == "crush_risk" and kinds[-1] == "crush" and site.crushed
    run_until(world, 1.0)
    assert world.outcome == "lost" and world.end_reason == "crush"


def _agitation_after(reputation: float, utype: str | None = None, seconds: float = 30.0,
                     start: float = 0.3) -> float:
    units = [unit("u", utype or "samapta", personnel=20)]
    level = sandbox_level(units=units, incidents=[
        {"id": "demo", "at_s": 0.0, "type": "protest", "site": "kpu", "severity": 2,
         "escalation_s": 500.0}] if utype is None else [])
    world = World(level, 0, reputation=reputation)
    _crowd_at_kpu(world, 120, start)
    cmds = {0: [Command(0, "hold", ("u",), "kpu")]} if utype else {}
    run_until(world, seconds, cmds)
    return float(world.crowd.agitation.mean())


def test_low_trust_stirs_a_crowd_faster_than_high_trust():
    assert _agitation_after(15.0) > _agitation_after(95.0) + 0.02


def test_brimob_over_a_peaceful_crowd_raises_its_agitation():
    calm = 0.15
    assert _agitation_after(75.0, "brimob", 70.0, calm) > calm + 0.02
    assert _agitation_after(75.0, "samapta", 70.0, calm) < calm


def test_fatigue_grows_faster_in_dense_crowds_and_dialogue_and_rest_restores():
    u = World(sandbox_level(), 0).units["samapta_1"]
    empty = SiteState("a", "kpu", "A", 0, 0, 20, "n", None)
    dense = SiteState("b", "kpu", "B", 0, 0, 20, "n", None, crowd=300, density=3.0)
    u.state = "on_site"
    on_site = fatigue.rate(u, dense)
    assert on_site > 3 * fatigue.rate(u, empty)
    u.state = "dialogue"
    assert fatigue.rate(u, dense) > on_site
    u.fatigue = 0.9
    fresh = fatigue.work_factor(u)
    assert fresh < 0.5 and fatigue.speed_factor(u) < 0.8
    world = World(sandbox_level(), 0)
    world.units["samapta_1"].fatigue = 0.5
    run_until(world, 60.0)
    assert world.units["samapta_1"].fatigue < 0.35, "an hour's rest at base restores"


def test_a_hidden_threat_nobody_finds_happens():
    def status(with_intelkam: bool) -> str:
        units = [unit("i", "intelkam", personnel=4)] if with_intelkam else [unit("s", "samapta")]
        level = sandbox_level(units=units, incidents=[
            {"id": "paket", "at_s": 0.0, "type": "suspicious_package", "site": "kpu",
             "severity": 1, "escalation_s": 40.0, "hidden": True}])
        world = World(level, 0)
        cmds = {0: [Command(0, "hold", ("i",), "kpu")]} if with_intelkam else {}
        run_until(world, 45.0, cmds)
        return world.incidents[0].status

    assert status(False) == "failed"
    assert status(True) in ("open", "escalated")


def test_a_blocked_last_road_is_driven_at_the_cost_it_was_planned_with():
    world = World(sandbox_level(), 0)
    roads = world.roads
    eid = roads.edges_at("n21")[0]
    a, b = roads.edge_ids[eid]
    roads.block(eid)
    goal = b if b == "n21" else a
    open_speed = roads.graph.edges[a, b]["length"] / roads.graph.edges[a, b]["open_time"]
    assert roads.edge_speed(a, b, goal) == open_speed
    assert roads.edge_speed(a, b, None) < open_speed / 10


def test_an_exit_route_lets_a_packed_crowd_walk_out():
    """The crowd leaves by walking to the exit point (seen there, going), not by being
    taken off the map where it stands; without the route it stays."""
    exit_point = (292.0, 100.0)

    def run(open_route: bool) -> tuple[int, int]:
        world = World(sandbox_level(units=[unit("s", "samapta", "polsek", personnel=30)]), 0)
        _crowd_at_kpu(world, 300, 0.2)
        cmds = {6: [Command(6, "exit_route", ("s",), "kpu", point=exit_point)]} \
            if open_route else {}
        seen_at_exit = 0
        for _ in range(9):
            events = run_until(world, 10.0, cmds)
            crowd = world.crowd
            near = crowd.near(*exit_point, 15.0) & crowd.going_home
            seen_at_exit = max(seen_at_exit, int(near.sum()))
            if open_route and any(e.kind == "exit_opened" for e in events):
                assert world.units["s"].state == "exit_route"
        return world.sites["kpu"].crowd, seen_at_exit

    closed, _ = run(False)
    opened, at_exit = run(True)
    assert closed == 300
    assert opened < 220 and at_exit >= 5
