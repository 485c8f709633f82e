"""Every incident type is resolved by its unit type and escalates, then fails, without it;
hidden threats, Siber's remote work and cooldown, tension up and down, Binluh, TNI, Brimob."""

from __future__ import annotations

import pytest

from command_game.sim import rules
from command_game.sim.commands import Command
from command_game.sim.sandbox import sandbox_level, unit
from command_game.sim.world import TICK_RATE, World
from tests.test_sim_world import run_until

TYPES = list(rules.RESOLVERS)


# the unit type the source reports give each threat
PRIMARY = {"clash": "samapta", "protest": "dialogis", "intimidation": "reskrim",
           "hoax": "siber", "hacking": "siber", "convoy_disruption": "lantas",
           "sabotage": "brimob", "provocation": "reskrim", "suspicious_package": "brimob"}


def _primary(itype: str) -> str:
    assert rules.RESOLVERS[itype][PRIMARY[itype]] >= 1.0
    return PRIMARY[itype]


def _incident_world(itype: str, utype: str, escalation_s: float, hidden: bool = False,
                    site: str = "kpu", base: str = "polsek"):
    level = sandbox_level(
        incidents=[{"id": "kasus", "at_s": 0.0, "type": itype, "site": site, "severity": 1,
                    "escalation_s": escalation_s, "hidden": hidden}],
        units=[unit("satu", utype, base)])
    world = World.from_level(level)
    run_until(world, 0.1)
    return world


def _answer(world: World, utype: str) -> Command:
    kind = "cyber_response" if utype == "siber" else "respond"
    return Command(world.tick, kind, ("satu",), "kasus")


def test_every_incident_type_has_a_resolver():
    assert sorted(TYPES) == sorted(rules.INCIDENT_AGITATION) and len(TYPES) == 9


@pytest.mark.parametrize("itype", TYPES)
def test_incident_resolved_by_its_unit_type(itype):
    utype = _primary(itype)
    world = _incident_world(itype, utype, escalation_s=90.0)
    events = run_until(world, 80.0, {world.tick: [_answer(world, utype)]})
    inc = world.incidents[0]
    assert inc.status == "resolved", (itype, utype, inc)
    assert any(e.kind == "incident_resolved" and e.subject == "kasus" for e in events)
    assert world.response_s and world.response_s[0] < 80.0


@pytest.mark.parametrize("itype", TYPES)
def test_incident_escalates_then_fails_without_its_unit_type(itype):
    wrong = "intelkam" if "intelkam" not in rules.RESOLVERS[itype] else "lantas"
    assert wrong not in rules.RESOLVERS[itype]
    world = _incident_world(itype, wrong, escalation_s=20.0)
    if wrong != "siber":
        world.step([Command(world.tick, "hold", ("satu",), "kpu")])  # on site, but useless
    events = run_until(world, 25.0)
    inc = world.incidents[0]
    assert inc.status == "escalated" and inc.severity == 2
    assert any(e.kind == "incident_escalated" for e in events)
    tension_after_escalation = world.sites["kpu"].tension
    events = run_until(world, 20.0)
    assert inc.status == "failed"
    assert any(e.kind == "incident_failed" for e in events)
    assert world.sites["kpu"].tension > tension_after_escalation
    assert world.trust < rules.START_TRUST


def test_wrong_unit_cannot_answer_remotely():
    world = _incident_world("clash", "siber", 60.0)
    events = world.step([_answer(world, "siber")])
    assert [e.detail for e in events if e.kind == "command_rejected"] == [
        "cyber_response: target is not an open hoax or hacking incident"]


def test_hidden_threat_revealed_by_intelkam_before_it_triggers():
    # Intelkam starts at the polres, 300 m from the polsek: too far to see the threat
    world = _incident_world("sabotage", "intelkam", 60.0, hidden=True, site="polsek",
                            base="polres")
    inc = world.incidents[0]
    run_until(world, 5.0)
    assert inc.status == "hidden"
    events = run_until(world, 40.0, {world.tick: [Command(world.tick, "move", ("satu",), "kpu")]})
    assert inc.status == "open" and inc.severity == 1
    assert any(e.kind == "incident_revealed" for e in events)


def test_hidden_threat_without_intelkam_happens_unseen_and_fails():
    world = _incident_world("sabotage", "samapta", 10.0, hidden=True)
    inc = world.incidents[0]
    events = run_until(world, 1.0)
    assert inc.status == "hidden" and not any(e.kind.startswith("incident") for e in events)
    rejected = world.step([Command(world.tick, "respond", ("satu",), "kasus")])
    assert rejected[0].kind == "command_rejected"  # the player cannot see it yet
    trust = world.trust
    events = run_until(world, 10.0)
    assert inc.status == "failed" and inc.severity == 2  # nobody found it: it happened
    assert {"incident_opened", "incident_failed"} <= {e.kind for e in events}
    assert world.trust < trust


def test_siber_works_remotely_then_cools_down():
    level = sandbox_level(
        incidents=[{"id": "hoaks", "at_s": 0.0, "type": "hoax", "site": "kpu", "severity": 1},
                   {"id": "retas", "at_s": 0.0, "type": "hacking", "site": "bawaslu",
                    "severity": 1}],
        units=[unit("siber_1", "siber", "polres")])
    world = World.from_level(level)
    run_until(world, 0.1)
    siber = world.units["siber_1"]
    home = (siber.x, siber.y)
    events = run_until(world, 40.0, {world.tick: [
        Command(world.tick, "cyber_response", ("siber_1",), "hoaks")]})
    assert world.incidents[0].status == "resolved" and (siber.x, siber.y) == home
    assert not siber.available and siber.state == "idle"
    events = world.step([Command(world.tick, "cyber_response", ("siber_1",), "retas")])
    assert events[0].detail == "cyber_response: cooling down"
    run_until(world, rules.SIBER_COOLDOWN_S)
    assert siber.available
    run_until(world, 60.0, {world.tick: [
        Command(world.tick, "cyber_response", ("siber_1",), "retas")]})
    assert world.incidents[1].status == "resolved"


def _crowd_level(units, agitation=0.6):
    return sandbox_level(
        crowd_sources=[{"id": "warga", "x": 262.0, "y": 200.0, "attractor": "kpu",
                        "rate_per_min": 1200.0, "max_agents": 150, "agitation": agitation}],
        units=units)


def test_tension_rises_with_an_agitated_crowd_and_falls_with_dialogue():
    world = World.from_level(_crowd_level([unit("dialog", "dialogis", "polsek")]))
    run_until(world, 60.0)
    kpu = world.sites["kpu"]
    assert kpu.crowd > 100 and kpu.tension > 15.0
    risen = kpu.tension
    agitation = kpu.agitation
    run_until(world, 70.0, {world.tick: [Command(world.tick, "dialogue", ("dialog",), "kpu")]})
    assert world.units["dialog"].state == "dialogue"
    assert kpu.tension < risen - 10.0 and kpu.agitation < agitation


def test_binluh_in_the_district_slows_tension_growth():
    def tension(with_binluh: bool) -> float:
        units = [unit("binluh_1", "binluh", "polsek")]
        world = World.from_level(_crowd_level(units))
        # Binluh stands at the polsek (same district, timur), not at the KPU itself
        cmds = {0: [Command(0, "hold", ("binluh_1",), "polsek")]} if with_binluh else {}
        run_until(world, 90.0, cmds)
        return world.sites["kpu"].tension
    without, with_ = tension(False), tension(True)
    assert with_ < 0.8 * without


def test_tni_backup_calls_are_limited():
    level = sandbox_level(tni_backup_calls=1)
    world = World.from_level(level)
    events = world.step([Command(0, "call_tni", (), "kpu")])
    assert "tni_backup_1" in world.units and world.units["tni_backup_1"].type == "tni"
    assert world.units["tni_backup_1"].personnel == rules.TNI_PERSONNEL
    assert any(e.kind == "unit_dispatched" for e in events)
    events = world.step([Command(1, "call_tni", (), "kpu")])
    assert events[0].kind == "command_rejected" and world.tni_calls_left == 0


def test_brimob_calms_fast_but_costs_trust():
    world = World.from_level(_crowd_level([unit("brimob_1", "brimob", "polsek")]))
    run_until(world, 60.0)
    risen = world.sites["kpu"].tension
    run_until(world, 30.0, {world.tick: [Command(world.tick, "hold", ("brimob_1",), "kpu")]})
    assert world.brimob_used and world.trust < rules.START_TRUST - rules.BRIMOB_TRUST_COST + 1e-9
    assert world.sites["kpu"].tension < risen


def test_fatigue_grows_on_duty_and_recovers_at_base():
    world = World.from_level(_crowd_level([unit("samapta_1", "samapta", "polsek")]))
    run_until(world, 90.0, {0: [Command(0, "hold", ("samapta_1",), "kpu")]})
    s = world.units["samapta_1"]
    tired = s.fatigue
    assert tired > 80.0 * rules.FATIGUE_PER_S
    run_until(world, 50.0, {world.tick: [Command(world.tick, "recall", ("samapta_1",))]})
    assert s.state == "idle" and s.fatigue < tired


def test_incident_opened_by_a_tension_trigger():
    level = _crowd_level([unit("samapta_1", "samapta")], agitation=0.9)
    level = level.model_copy(update={"triggers": [
        type(level).model_fields["triggers"].annotation.__args__[0](
            id="ricuh", site="kpu", tension=20.0, type="clash")]})
    world = World.from_level(level)
    events = run_until(world, 120.0)
    opened = [e for e in events if e.kind == "incident_opened"]
    assert [e.subject for e in opened] == ["ricuh"]
    assert world.sites["kpu"].tension >= 20.0 or opened
    assert TICK_RATE == 60
