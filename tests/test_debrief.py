"""The debrief: figures from the finished world, deltas against the personal best,
buttons that lead somewhere real, and the screenshot for the README."""

from __future__ import annotations

import pytest

from command_game.level.io import load_level
from command_game.progress import PersonalBest
from command_game.scenes import orders
from command_game.scenes.debrief import DebriefScene, delta_text
from command_game.scenes.stack import SceneStack
from command_game.sim.world import World
from tests.conftest import LEVELS, REPO, SCREENSHOTS, pump, save_frame

TINY = REPO / "tests" / "data" / "map_tiny.json"


def won_tiny_world() -> World:
    world = World.from_level(load_level(TINY))
    while not any(i.visible for i in world.incidents):
        world.step(())
    incident = next(i for i in world.incidents if i.visible)
    target = orders.pick_target(world, incident.x, incident.y, 5)
    commands = orders.orders_for(world, "respond", target, ["samapta_1"])
    commands += orders.orders_for(world, "hold", target, ["dialogis_1"])
    world.step(commands)
    while not world.finished:
        world.step(())
    assert world.outcome == "won"
    return world


@pytest.fixture(scope="module")
def tiny_world():
    return won_tiny_world()


def test_delta_text_signs():
    assert delta_text(-12.5) == "-0:12.500"
    assert delta_text(3.0) == "+0:03.000"
    assert delta_text(None) == ""


def test_splits_and_time_are_compared_with_the_previous_best(clean_window, tiny_world):
    world = tiny_world
    met = {o.id: o.met_tick / 60 for o in world.objectives}
    best = PersonalBest(time_s=world.tick / 60 + 10, splits={"jaga_kpu": met["jaga_kpu"] - 2},
                        date="2026-01-01T00:00:00+00:00")
    debrief = DebriefScene(world, str(TINY), 42.0, previous_best=best)
    rows = {obj.id: (split, delta) for obj, split, delta in debrief.splits()}
    assert rows["jaga_kpu"] == (pytest.approx(met["jaga_kpu"]), pytest.approx(2.0))
    assert rows["tanggapi"] == (pytest.approx(met["tanggapi"]), None)
    assert debrief.time_delta() == pytest.approx(-10.0)
    points = {name: value for name, _, value in debrief.score_rows()}
    assert sum(points.values()) == pytest.approx(world.score().total, abs=1)
    assert debrief.heat_texture is not None


def test_buttons_retry_save_replay_and_level_select(clean_window, stack, tiny_world, user_home):
    from command_game.scenes.level_select import LevelSelectScene
    from command_game.scenes.map import MapScene
    from command_game.speedrun.replay import read_replay

    met = sorted((o.met_tick, o.id) for o in tiny_world.objectives if o.met_tick is not None)
    real_splits = [(oid, 30.0 * tick / tiny_world.tick) for tick, oid in met]
    debrief = stack.push(DebriefScene(tiny_world, str(TINY), 30.0, real_splits=real_splits))
    pump(clean_window)
    saved = debrief.save_replay()  # no recorded run: the debrief writes the replay itself
    assert saved is not None and saved.exists() and saved.parent.name == "saved"
    kept = read_replay(saved).real_splits
    assert [(oid, round(s, 3)) for oid, s in kept] == [(o, round(s, 3)) for o, s in real_splits]
    assert str(saved) in debrief.message
    assert debrief.buttons[1].disabled  # not a campaign level: no next level
    debrief.leaderboard()
    from command_game.scenes.leaderboard import LeaderboardScene

    assert isinstance(stack.top, LeaderboardScene)
    stack.pop()
    debrief.retry()
    assert isinstance(stack.top, MapScene) and stack.top.level.meta.id == "map_tiny"
    stack.replace(DebriefScene(tiny_world, str(TINY), 30.0)).level_select()
    assert isinstance(stack.top, LevelSelectScene)


def test_debrief_screenshot_of_a_campaign_mission(clean_window, stack):
    """docs/screenshots/debrief.png: the first campaign level played to its end."""
    level = load_level(LEVELS / "01_singkawang.json")
    world = World.from_level(level)
    sites = [s.id for s in world.sites.values() if s.type in ("kpu", "bawaslu")]
    units = list(world.units)

    def order(kind, unit_ids, target):
        return orders.orders_for(world, kind, target, unit_ids)

    def site(site_id):
        return orders.Target("office", site_id, (0, 0), site_id)

    world.step(order("hold", units[:1], site(sites[0])) + order("hold", units[1:2], site(sites[-1]))
               + order("dialogue", units[-1:], site(sites[0])))
    answered: set[str] = set()
    while not world.finished:
        commands = []
        for inc in world.incidents:
            if inc.visible and inc.id not in answered:
                answered.add(inc.id)
                commands += order("respond", units[2:3], orders.Target(
                    "incident", inc.id, (inc.x, inc.y), inc.site))
        world.step(commands)
    debrief = stack.push(DebriefScene(world, str(LEVELS / "01_singkawang.json"), 251.0))
    pump(clean_window, 2)
    assert debrief.texts.slots["score:total"].text == str(world.score().total)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert save_frame(clean_window, "debrief", SCREENSHOTS).stat().st_size > 40_000


def test_a_lost_mission_debriefs_as_lost_with_failed_objectives(clean_window, stack):
    world = World.from_level(load_level(TINY))
    while not world.finished:
        world.step(())
    assert world.outcome == "lost"
    debrief = stack.push(DebriefScene(world, str(TINY), 80.0))
    pump(clean_window, 2)
    assert debrief.title_bar.title.text == "Mission failed"
    assert debrief.time_delta() is None and debrief.buttons[1].disabled
    statuses = {obj.id: obj.status for obj, _, _ in debrief.splits()}
    assert "failed" in statuses.values()
    save_frame(clean_window, "debrief_lost")


def test_space_held_from_the_mission_does_not_retry(clean_window, stack, tiny_world):
    """A player pressing Space to pause as the mission ends stays on the debrief."""
    import arcade

    debrief = stack.push(DebriefScene(tiny_world, str(TINY), 30.0))
    pump(clean_window)
    for _ in range(2):
        clean_window.dispatch_event("on_key_press", arcade.key.SPACE, 0)
        clean_window.dispatch_event("on_key_release", arcade.key.SPACE, 0)
        clean_window.dispatch_pending_events()
        pump(clean_window)
    assert stack.top is debrief
    clean_window.dispatch_event("on_key_press", arcade.key.DOWN, 0)
    clean_window.dispatch_pending_events()
    assert debrief.focus.focused is debrief.buttons[0]  # the keyboard still reaches them
    stack.pop()


def test_a_language_switch_reaches_the_debrief(clean_window, stack, tiny_world):
    from command_game import i18n
    from command_game.scenes.stack import Scene

    debrief = stack.push(DebriefScene(tiny_world, str(TINY), 30.0))
    pump(clean_window)
    stack.push(Scene())  # stands in for the settings screen
    try:
        i18n.set_language("id")
        stack.pop()
        fresh = stack.top
        assert fresh is not debrief and isinstance(fresh, DebriefScene)
        assert fresh.title_bar.title.text == i18n.t("debrief.won") == "Misi berhasil"
        assert fresh.buttons[0].text == "Ulangi"
        pump(clean_window)
    finally:
        i18n.set_language("en")
    stack.pop()


class _Reason:
    """Shaped like rules' LossReason (sim/loss_reasons.py): the debrief asks it for its
    line in the current language."""

    def __init__(self, en: str, idn: str) -> None:
        self.lines = {"en": en, "id": idn}

    def text(self, translate) -> str:
        from command_game import i18n

        return self.lines[i18n.language()]


LONG_REASON = ("Bawaslu Kota Jakarta Pusat rioted at 7:42.000 with 2,850 people massed at its "
               "gate while no unit held it")


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_lost_night_says_why_and_the_trust_it_ended_on(clean_window, lang):
    """Up to three reasons under the story, inside the summary panel, none overlapping;
    the record shows trust from start to end (a riot on the last tick costs 30 points
    the map never draws: the HUD said 74, the debrief 44)."""
    from command_game import i18n
    from command_game.render import layout
    from tests.test_layout import problems_in

    world = World.from_level(load_level(TINY))
    while not world.finished:
        world.step(())
    world.loss_reasons = [_Reason(LONG_REASON, "Bawaslu Kota Jakarta Pusat rusuh pukul 7:42"),
                          _Reason("The index fell under 40", "Indeks jatuh di bawah 40"),
                          _Reason("Intimidation at KPU left unanswered", "Intimidasi di KPU"),
                          _Reason("a fourth is never shown", "yang keempat tidak tampil")]
    i18n.set_language(lang)
    try:
        stack = SceneStack(clean_window)
        debrief = stack.push(DebriefScene(world, str(TINY), 80.0))
        pump(clean_window)
        rec = layout.start()
        try:
            pump(clean_window)
        finally:
            layout.stop()
        drawn = [t.text for t in rec.texts]
        assert i18n.t("debrief.why_lost").upper() in drawn
        reasons = [t for t in rec.texts if t.text.startswith("\u2022 ")]
        assert [r.text[2:] for r in reasons] == [r.text(i18n.t) for r in world.loss_reasons[:3]]
        assert problems_in(rec, clean_window.get_size()) == []
        trust = dict(debrief.record_lines())[i18n.t("debrief.trust")]
        assert trust == f"{world.start_trust:.1f} \u2192 {world.trust:.1f}"
        assert world.score().breakdown["trust"] == pytest.approx(world.trust, abs=0.01)
        save_frame(clean_window, f"debrief_why_lost_{lang}")
        stack.pop()
    finally:
        i18n.set_language("en")
