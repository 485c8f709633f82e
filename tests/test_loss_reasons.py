"""Why the night was lost (``sim/loss_reasons.py``): a night lost by ignoring a crowd,
by the wrong unit or by too much force says so, in both languages, naming the site or
unit concerned, most decisive reason first. Played through the World in the sandbox."""

from __future__ import annotations

import pytest

from command_game import i18n
from command_game.sim.commands import Command
from command_game.sim.loss_reasons import MAX_REASONS
from command_game.sim.sandbox import sandbox_level, unit
from command_game.sim.world import World
from tests.test_sim_rules_v2 import _crowd_at_kpu
from tests.test_sim_world import run_until

RESOLVE_ALL = {"id": "resolve", "kind": "resolve_incidents",
               "title": {"en": "Resolve every incident", "id": "Tangani semua insiden"}}


def _lines(world: World) -> dict[str, list[str]]:
    out = {}
    for lang in ("en", "id"):
        i18n.set_language(lang)
        out[lang] = [r.text(i18n.t) for r in world.loss_reasons]
    i18n.set_language("en")
    return out


def _assert_readable(world: World) -> None:
    lines = _lines(world)
    assert 1 <= len(world.loss_reasons) <= MAX_REASONS
    for lang, texts in lines.items():
        for text in texts:
            assert "{" not in text and "loss." not in text and "map.incident" not in text, \
                (lang, text)
    assert lines["en"] != lines["id"]


def test_an_ignored_crowd_riots_and_the_debrief_says_nobody_stood_with_it():
    world = World(sandbox_level(), 0)
    _crowd_at_kpu(world, 250, 0.9)
    world.sites["kpu"].tension = 90.0  # boiling already: no need to wait for it
    run_until(world, 120.0)
    assert world.outcome == "lost" and world.end_reason == "riot"
    keys = [(r.key, r.site) for r in world.loss_reasons]
    assert keys[:2] == [("loss.riot", "kpu"), ("loss.ignored_crowd", "kpu")]
    _assert_readable(world)
    assert "KPU" in _lines(world)["en"][1]


def test_the_wrong_unit_cannot_resolve_an_intimidation_case_and_is_named():
    level = sandbox_level(
        units=[unit("s1", "samapta")], objectives=[RESOLVE_ALL],
        incidents=[{"id": "ancaman", "at_s": 0.0, "type": "intimidation", "site": "kpu",
                    "severity": 1, "escalation_s": 30.0}])
    world = World(level, 0)
    run_until(world, 100.0, {12: [Command(12, "respond", ("s1",), "ancaman")]})
    assert world.outcome == "lost" and world.end_reason == "objective_failed"
    first = world.loss_reasons[0]
    assert (first.key, first.unit, first.site) == ("loss.wrong_unit", "s1", "kpu")
    _assert_readable(world)
    assert "Reskrim" in _lines(world)["en"][0]  # the right unit is named


@pytest.mark.parametrize("forbidden", [True, False])
def test_too_much_force_is_named_when_it_lost_the_night(forbidden):
    """Brimob ordered again and again over a calm crowd: where force is forbidden that
    alone loses; elsewhere the crowd it provoked riots and the lost trust is named."""
    objectives = [{"id": "tanpa_brimob", "kind": "no_brimob",
                   "title": {"en": "No Brimob", "id": "Tanpa Brimob"}}] if forbidden else None
    level = sandbox_level(units=[unit("b", "brimob", personnel=40)],
                          **({"objectives": objectives} if forbidden else {}))
    world = World(level, 0)
    _crowd_at_kpu(world, 250, 0.2)
    # Brimob stands over the calm crowd at the KPU for two minutes, then is ordered about
    orders = {0: [Command(0, "hold", ("b",), "kpu")]}
    for k in range(6):
        tick = (120 + 5 * k) * 60
        orders[tick] = [Command(tick, "hold", ("b",), "bawaslu" if k % 2 == 0 else "gudang")]
    run_until(world, 600.0, orders)
    assert world.outcome == "lost"
    keys = [r.key for r in world.loss_reasons]
    if forbidden:
        assert keys[0] == "loss.no_brimob" and world.loss_reasons[0].unit == "b"
    else:
        assert keys[0] == "loss.riot"
        assert "loss.provoked" in keys and "loss.force_trust" in keys
    _assert_readable(world)


def test_a_won_night_has_no_loss_reasons():
    world = World(sandbox_level(meta={"duration_s": 20.0}), 0)
    run_until(world, 25.0)
    assert world.outcome == "won" and world.loss_reasons == []
