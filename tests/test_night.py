"""Every night a different night, and choices during it: the seeded variation of a
level's script (sim/scenario.py), event cards (sim/event_cards.py), seeds for the player
(night_seed.py) and the board's random/set split, all headless."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date

import pytest

from command_game import night_seed
from command_game.level.cards import EventCard
from command_game.level.io import level_digest, level_to_bytes, load_level, parse_level
from command_game.level.lint import lint
from command_game.level.models import Level
from command_game.sim import scenario
from command_game.sim.autopilot import play
from command_game.sim.commands import Command
from command_game.sim.world import World
from command_game.speedrun.record import save_replay
from command_game.speedrun.replay import read_replay
from command_game.speedrun.store import Leaderboard
from command_game.speedrun.verify import LevelIndex, verify_replay
from tests.conftest import LEVELS, REPO
from tests.test_speedrun_store import make_run

SINGKAWANG = LEVELS / "01_singkawang.json"
SHIPPED = sorted(LEVELS.glob("0*.json"))


def singkawang() -> Level:
    return load_level(SINGKAWANG)


def with_cards(level: Level, *cards: dict) -> Level:
    """The level with these cards only, and no variation (cards come up when written)."""
    data = level.model_dump(mode="json", exclude_none=True)
    data["event_cards"] = list(cards)
    data.pop("variation", None)
    return parse_level(data)


def card(cid="kartu", at_s=2.0, site="kpu_singkawang", choices=None, default="a",
         decide_s=5.0) -> dict:
    return {"id": cid, "at_s": at_s, "site": site, "title": {"en": "T", "id": "J"},
            "text": {"en": "Situation", "id": "Situasi"}, "default": default,
            "decide_s": decide_s, "choices": choices or [
                {"id": "a", "label": {"en": "A", "id": "A"}, "outcome": {"en": "a", "id": "a"},
                 "effects": [{"kind": "trust", "delta": -10}]},
                {"id": "b", "label": {"en": "B", "id": "B"}, "outcome": {"en": "b", "id": "b"},
                 "effects": [{"kind": "trust", "delta": 7}], "recommended": True}]}


def run_until(world: World, condition, limit: int = 60 * 120, commands=()) -> None:
    for _ in range(limit):
        if condition():
            return
        world.step(commands)
    raise AssertionError("condition not reached")


# --- the variation ------------------------------------------------------------------------

def test_vary_is_pure_and_stays_within_the_levels_bounds():
    level = singkawang()
    spec = {v.incident: v for v in level.variation.incidents}
    nights = [scenario.vary(level, seed) for seed in range(40)]
    assert scenario.vary(level, 7) == nights[7]  # pure: same level and seed, same night
    assert level == singkawang()  # and the level itself is untouched
    written = {i.id: i for i in level.incidents}
    for night in nights:
        assert night.variation is None
        for inc in night.incidents:
            rule, base = spec.get(inc.id), written[inc.id]
            if rule is None:
                assert inc == base
                continue
            assert abs(inc.at_s - base.at_s) <= rule.jitter_s + 1e-9
            assert inc.site in (rule.sites or [base.site])
        assert len(night.event_cards) == level.variation.cards.draw
        assert [c.at_s for c in night.event_cards] == sorted(c.at_s for c in night.event_cards)
    hidden = {next(i.site for i in n.incidents if i.hidden) for n in nights}
    assert hidden == set(spec["intimidasi_ppk"].sites)  # hidden among every candidate
    draws = {tuple(sorted(c.id for c in n.event_cards)) for n in nights}
    assert len(draws) >= 5  # the pool gives different nights
    times = {n.incidents[0].at_s for n in nights}
    assert len(times) > 20


def test_a_level_without_variation_plays_the_same_night_on_every_seed():
    level = load_level(REPO / "tests" / "data" / "speedrun_sprint.json")
    assert level.variation is None and level.event_cards is None
    assert scenario.vary(level, 123) is level
    # old files load unchanged and keep their digest (the new fields are left out)
    assert level_to_bytes(level) == (REPO / "tests" / "data" / "speedrun_sprint.json"
                                     ).read_bytes()


def test_the_world_plays_the_varied_night_and_keeps_the_written_level():
    level = singkawang()
    world = World(level, 11)
    assert world.base_level is level
    assert world.level == scenario.vary(level, 11)
    assert [c.id for c in world.cards.pending] == [c.id for c in world.level.event_cards]


def test_same_seed_and_commands_same_hash_other_seed_other_night():
    level = singkawang()
    hashes = {}
    for seed in (3, 3, 4):
        world = World(level, seed)
        commander_log = []
        while world.tick < 60 * 90:
            cmds = []
            if world.cards.showing is not None:
                cmds = [Command(world.tick, "choose_card", target=world.cards.showing.id,
                                choice=world.cards.showing.choices[-1].id)]
            commander_log += cmds
            world.step(cmds)
        hashes.setdefault(seed, []).append(world.state_hash())
    assert hashes[3][0] == hashes[3][1]
    assert hashes[4][0] != hashes[3][0]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_levels_have_variation_and_at_least_three_cards_a_night(path):
    level = load_level(path)
    assert level.variation is not None and level.variation.incidents
    assert level.variation.cards.draw >= 3 and len(level.event_cards) > level.variation.cards.draw
    for c in level.event_cards:
        assert any(ch.recommended for ch in c.choices)
        for text in [c.title, c.text] + [ch.label for ch in c.choices]:
            assert text.en.strip() and text.id.strip() and text.en != text.id
    assert lint(level) == []


# --- the cards -----------------------------------------------------------------------------

def test_a_card_waits_for_a_choice_and_its_consequences_go_through_the_rules():
    world = World(with_cards(singkawang(), card()), 0)
    trust = world.trust
    run_until(world, lambda: world.cards.showing is not None)
    assert any(e.kind == "event_card" and e.subject == "kartu" for e in world.events)
    events = world.step([Command(world.tick, "choose_card", target="kartu", choice="nope")])
    assert any(e.kind == "command_rejected" for e in events)
    events = world.step([Command(world.tick, "choose_card", target="kartu", choice="b")])
    assert [e.detail for e in events if e.kind == "card_chosen"] == ["b"]
    assert world.cards.showing is None and world.trust == pytest.approx(trust + 7)
    assert world.cards.answers[0][:2] == ("kartu", "b")
    events = world.step([Command(world.tick, "choose_card", target="kartu", choice="b")])
    assert any(e.kind == "command_rejected" for e in events)  # answered once only


def test_an_unanswered_card_takes_its_default_at_its_deadline():
    world = World(with_cards(singkawang(), card(decide_s=3.0)), 0)
    run_until(world, lambda: world.cards.showing is not None)
    shown = world.tick
    trust = world.trust
    run_until(world, lambda: world.cards.answers)
    assert world.cards.answers[0][1:] == ("a", world.cards.answers[0][2], True)
    assert world.cards.answers[0][2] - shown == pytest.approx(3 * 60, abs=6)
    assert world.trust == pytest.approx(trust - 10, abs=0.5)


def test_commit_unit_sends_a_unit_that_cannot_be_ordered_for_a_while():
    choices = [
        {"id": "a", "label": {"en": "A", "id": "A"}, "outcome": {"en": "a", "id": "a"},
         "effects": [{"kind": "commit_unit", "unit_types": ["samapta"], "for_s": 20},
                     {"kind": "incident", "type": "protest", "severity": 1, "after_s": 5,
                      "site": "bawaslu_singkawang"},
                     {"kind": "tension", "delta": 30}]},
        {"id": "b", "label": {"en": "B", "id": "B"}, "outcome": {"en": "b", "id": "b"}}]
    world = World(with_cards(singkawang(), card(choices=choices)), 0)
    run_until(world, lambda: world.cards.showing is not None)
    world.step([Command(world.tick, "choose_card", target="kartu", choice="a")])
    committed = [u for u in world.units.values() if u.type == "samapta" and not u.available]
    assert len(committed) == 1
    unit = committed[0]
    assert unit.order == "hold" and unit.target == "kpu_singkawang"
    assert world.sites["kpu_singkawang"].tension >= 29
    events = world.step([Command(world.tick, "move", (unit.id,), "bawaslu_singkawang")])
    assert any(e.kind == "command_rejected" and e.subject == unit.id for e in events)
    run_until(world, lambda: any(i.id == "kartu_a_1" for i in world.incidents))
    assert next(i for i in world.incidents if i.id == "kartu_a_1").site == "bawaslu_singkawang"
    run_until(world, lambda: unit.available)
    assert unit.available_from_tick <= world.tick


def test_the_autopilot_answers_with_the_recommended_choice():
    world = World(with_cards(singkawang(), card(), card("kedua", at_s=20.0)), 0)
    play(world, max_ticks=60 * 40)
    assert [(a[0], a[1], a[3]) for a in world.cards.answers] == [("kartu", "b", False),
                                                                  ("kedua", "b", False)]


def test_card_models_refuse_a_default_that_is_not_a_choice():
    bad = card(default="zzz")
    with pytest.raises(ValueError, match="default 'zzz'"):
        EventCard.model_validate(bad)


def test_lint_names_a_card_site_that_does_not_exist():
    broken = card(site="kpu_hilang")
    problems = lint(with_cards(singkawang(), broken))
    assert any(p.path == "event_cards[0].site" and "kpu_hilang" in p.message for p in problems)


def test_a_replay_with_card_choices_verifies(tmp_path):
    level = singkawang()
    world = play(World(level, 5), max_ticks=60 * 150)
    assert any(c.kind == "choose_card" for c in world.command_log)
    path = tmp_path / "run.kmrp"
    assert save_replay(path, level, world, 12.0).valid
    replay = read_replay(path)
    assert replay.seed == 5 and any(c.kind == "choose_card" for c in replay.command_list())
    assert verify_replay(replay, str(path), LevelIndex(), level_path=SINGKAWANG).valid
    forged = replay.model_copy(update={"seed": 6})
    assert not verify_replay(forged, str(path), LevelIndex(), level_path=SINGKAWANG).valid
    assert level_digest(level) == replay.level_digest


# --- seeds and the board ------------------------------------------------------------------

def test_daily_seed_is_the_same_all_day_and_differs_by_day_and_level():
    day = date(2026, 12, 1)
    assert night_seed.daily_seed("singkawang", day) == night_seed.daily_seed("singkawang", day)
    assert night_seed.daily_seed("singkawang", day) != night_seed.daily_seed(
        "singkawang", date(2026, 12, 2))
    assert night_seed.daily_seed("singkawang", day) != night_seed.daily_seed("bontang", day)
    assert 0 <= night_seed.draw_seed() < 10**night_seed.SEED_DIGITS
    assert night_seed.parse_seed(" 482 913 ") == 482913
    for bad in ("", "12a", "-4", str(2**63)):
        with pytest.raises(ValueError):
            night_seed.parse_seed(bad)


def test_the_board_ranks_random_and_set_seeds_apart():
    board = Leaderboard()
    fast_set = board.add_run(replace(make_run("latihan", 4000), seed_kind="set"))
    random_run = board.add_run(replace(make_run("acak", 6000), seed_kind="random"))
    assert [r.player for r in board.board("singkawang", "any", seed_kind="random")] == ["acak"]
    assert [r.player for r in board.board("singkawang", "any", seed_kind="set")] == ["latihan"]
    assert board.rank_of(random_run.id, "any") == 1 and board.rank_of(fast_set.id, "any") == 1
    assert board.get_run(random_run.id).seed_kind == "random"


def test_a_board_from_before_seed_kinds_keeps_its_runs_as_set_seeds(tmp_path):
    path = tmp_path / "leaderboard.sqlite3"
    Leaderboard(path).add_run(make_run("lama", 7000))
    with sqlite3.connect(path) as conn:  # make it look like a board from before seed_kind
        conn.execute("ALTER TABLE runs DROP COLUMN seed_kind")
    board = Leaderboard(path)
    assert [(r.player, r.seed_kind) for r in board.runs()] == [("lama", "set")]
    board.add_run(replace(make_run("baru", 5000), seed_kind="random"))
    assert [r.player for r in board.board("singkawang", "any", seed_kind="set")] == ["lama"]
