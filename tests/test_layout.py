"""Every screen at every UI scale, window size and language: laid out right, checked from
the boxes the game's own drawing reported (``command_game.render.layout``), not from
pixels.

For each window size (1280x720, 1280x800, 1920x1080) and language (English, Bahasa
Indonesia), each UI scale (75, 100, 125, 150, 200 %) draws every scene once with the
recorder on and asserts:

* no text leaves the panel, button or widget it hangs in, nor the window;
* no two texts overlap (map labels are checked among themselves);
* every button is inside the window, overlaps no other button and its label fits it;
* on the map, no HUD panel covers a site the level starts with.

A scale the window cannot hold is capped (``render.ui_scale``): 200 % on 1280x720 draws
as 135 %, the same layout as 150 %, so it is asserted to be capped and drawn once. The
editor (each panel tab, and its event-card page) follows the scale as far as its panels
fit the window (``editor_panel.fit_scale``), and is asserted to have laid itself out at
that scale; a scale it fits down to one already drawn is the same layout, drawn once.

The window is resized once per test; scenes that are slow to make (the maps and their
worlds) are made once per test and reused at every scale. Frames of the 150 % Indonesian
run are saved under tests/artifacts/layout/ to be looked at.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import numpy as np
import pytest

from command_game import controls, i18n, settings
from command_game import progress as campaign_progress
from command_game.level.catalog import campaign
from command_game.render import layout, ui_scale
from command_game.scenes import editor_panel
from command_game.scenes.stack import SceneStack
from command_game.userdata import levels_dir
from tests.conftest import ARTIFACTS, LEVELS, pump, save_frame

pytestmark = pytest.mark.gl

SIZES = ((1280, 720), (1280, 800), (1920, 1080))
SCALES = (75, 100, 125, 150, 200)
LANGUAGES = ("en", "id")
TOLERANCE = 1.0  # pixels: rounding of glyph boxes
SHOTS = ARTIFACTS / "layout"
LONG_NAME = "Brigadir Kepala Sulistyaningsih-Wibowo"


# --- the checks -----------------------------------------------------------------------


def _inside(inner, outer, tol: float = TOLERANCE) -> bool:
    return (inner[0] >= outer[0] - tol and inner[1] >= outer[1] - tol
            and inner[2] <= outer[2] + tol and inner[3] <= outer[3] + tol)


def _contains(box, point, tol: float = TOLERANCE) -> bool:
    return box[0] - tol <= point[0] <= box[2] + tol and box[1] - tol <= point[1] <= box[3] + tol


def _overlaps(boxes: np.ndarray) -> list[tuple[int, int]]:
    """Pairs of boxes (n, 4: l b r t) that overlap by more than the tolerance both ways."""
    if len(boxes) < 2:
        return []
    w = np.minimum(boxes[:, None, 2], boxes[None, :, 2]) - np.maximum(boxes[:, None, 0],
                                                                      boxes[None, :, 0])
    h = np.minimum(boxes[:, None, 3], boxes[None, :, 3]) - np.maximum(boxes[:, None, 1],
                                                                      boxes[None, :, 1])
    hit = np.triu((w > 2 * TOLERANCE) & (h > 2 * TOLERANCE), k=1)
    return [(int(i), int(j)) for i, j in zip(*np.nonzero(hit), strict=True)]


def problems_in(rec: layout.Recording, size: tuple[int, int]) -> list[str]:
    window = (0.0, 0.0, float(size[0]), float(size[1]))
    found: list[str] = []
    containers = [box for box, _kind, _owner in rec.panels] + [b.box for b in rec.buttons]
    # map labels are checked among themselves below; unit letters stack where units do
    texts = [t for t in rec.texts if t.owner not in ("map", "world")]
    for text in texts:
        if not _inside(text.box, window):
            found.append(f"text {text.text!r} leaves the window: {_fmt(text.box)}")
            continue
        holders = [c for c in containers if _contains(c, text.anchor, 0.0)
                   and (c[2] - c[0]) * (c[3] - c[1]) > 0]
        if holders:
            panel = min(holders, key=lambda c: (c[2] - c[0]) * (c[3] - c[1]))
            if not _inside(text.box, panel):
                found.append(f"text {text.text!r} leaves its panel: {_fmt(text.box)} "
                             f"not in {_fmt(panel)}")
    boxes = np.array([t.box for t in texts], dtype=float).reshape(-1, 4)
    for i, j in _overlaps(boxes):
        found.append(f"texts overlap: {texts[i].text!r} {_fmt(texts[i].box)} and "
                     f"{texts[j].text!r} {_fmt(texts[j].box)}")
    for button in rec.buttons:
        if not _inside(button.box, window):
            found.append(f"button {button.text!r} leaves the window: {_fmt(button.box)}")
        if button.text_width > button.box[2] - button.box[0] - 4:
            found.append(f"button {button.text!r} is too narrow for its label: "
                         f"{button.text_width:.0f} px in {button.box[2] - button.box[0]:.0f}")
    boxes = np.array([b.box for b in rec.buttons], dtype=float).reshape(-1, 4)
    for i, j in _overlaps(boxes):
        found.append(f"buttons overlap: {rec.buttons[i].text!r} {_fmt(rec.buttons[i].box)} "
                     f"and {rec.buttons[j].text!r} {_fmt(rec.buttons[j].box)}")
    labels = [t for t in rec.texts if t.owner == "map" and _inside(t.box, window, 0)]
    boxes = np.array([t.box for t in labels], dtype=float).reshape(-1, 4)
    for i, j in _overlaps(boxes):
        found.append(f"map labels collide: {labels[i].text!r} and {labels[j].text!r}")
    return found


def sites_covered(rec: layout.Recording, scene) -> list[str]:
    """Sites the level starts with that a HUD panel covers, at the camera's first view."""
    panels = [box for box, _kind, owner in rec.panels if owner == "hud"]
    covered = []
    for office in scene.level.offices:
        point = scene.camera.to_screen(office.x, office.y)
        if not _contains((0, 0, *scene.window.get_size()), point, 0):
            covered.append(f"site {office.name!r} is off the screen at {_fmt(point)}")
        elif any(_contains(box, point, 0) for box in panels):
            covered.append(f"site {office.name!r} is under a HUD panel at {_fmt(point)}")
    return covered


def labels_under_panels(rec: layout.Recording) -> list[str]:
    """No map label sits under a HUD panel (they keep off the panels as laid out this
    frame, also the first frame after a scale change)."""
    panels = [box for box, _kind, owner in rec.panels if owner == "hud"]
    return [f"map label {t.text!r} under a HUD panel at {_fmt(t.box)}"
            for t in rec.texts if t.owner == "map" and any(
                min(t.box[2], p[2]) - max(t.box[0], p[0]) > 2 * TOLERANCE
                and min(t.box[3], p[3]) - max(t.box[1], p[1]) > 2 * TOLERANCE for p in panels)]


def key_rows_missing(rec: layout.Recording, scene) -> list[str]:
    """A key group's tab must show its key buttons (they once vanished below the list)."""
    shown = [b for b in rec.buttons if any(_same(b.box, key.rect)
                                           for key in scene.key_buttons.values())]
    return [] if shown else [f"no key binding of group {scene.category!r} on screen"]


def editor_scale_wrong(scene, size: tuple[int, int]) -> list[str]:
    """The editor follows the UI scale as far as its panels fit the window."""
    needs = editor_panel.NEEDS
    wanted = min(ui_scale.effective(*size), size[0] / needs[0], size[1] / needs[1])
    if abs(scene.s - max(0.6, wanted)) > 1e-6:
        return [f"the editor is drawn at {scene.s:.2f}, not at {wanted:.2f}"]
    return []


def _same(box, rect) -> bool:
    return rect.width > 0 and abs(box[0] - rect.left) < 1 and abs(box[1] - rect.bottom) < 1


def _fmt(values) -> str:
    return "(" + ", ".join(f"{v:.0f}" for v in values) + ")"


# --- the scenes -----------------------------------------------------------------------


def _long_level_list() -> None:
    """A long "My levels" list with long titles, and a won first level with splits."""
    data = json.loads((LEVELS / "01_singkawang.json").read_text("utf-8"))
    for n in range(12):
        data["meta"]["id"] = f"kota_{n:02d}"
        data["meta"]["title"] = {"en": f"Recount night in {LONG_NAME} district {n}",
                                 "id": f"Malam rekapitulasi di kecamatan {LONG_NAME} {n}"}
        (levels_dir() / f"kota_{n:02d}.json").write_text(json.dumps(data), "utf-8")
    first = campaign()[0].level
    campaign_progress.record_run(first.meta.id, won=True, time_s=351.25,
                                 splits={o.id: 60.0 * (i + 1)
                                         for i, o in enumerate(first.objectives)})


def _long_board() -> str:
    from dataclasses import replace

    from command_game.level.io import level_digest
    from command_game.speedrun.store import Leaderboard
    from tests.test_speedrun_store import make_run

    level = campaign()[-1].level
    digest = level_digest(level)
    ids = [o.id for o in level.objectives]
    board = Leaderboard()
    for i in range(12):
        ticks = 20000 + 700 * i
        splits = tuple((oid, ticks * (k + 1) // (len(ids) + 1)) for k, oid in enumerate(ids))
        run = make_run(f"{LONG_NAME} {i}" if i % 2 else "player", ticks, splits=splits,
                       level=level.meta.id, real=ticks / 60 + 7.5, digest=digest,
                       when=f"2026-11-23T08:{i:02d}:00+00:00")
        board.add_run(replace(run, real_splits=tuple((oid, s / 60 + 2.0) for oid, s in splits)))
    return level.meta.id


class Shared:
    """What every window size and language can reuse: the missions (their worlds and flow
    fields are the slowest thing to make) and the finished finale the debrief reads. A
    mission keeps no text of the language it was made in (its HUD asks the translation
    layer every frame), so drawing it again after a switch is also the live switch a
    player makes in Settings."""

    def __init__(self) -> None:
        self.maps: dict[str, object] = {}
        self.debrief_world = None


_SHARED: Shared | None = None


@pytest.fixture(scope="module")
def shared():
    global _SHARED
    _SHARED = Shared()
    yield _SHARED
    _SHARED = None


class Scenes:
    """Makes each scene of the matrix; the maps, their worlds and the replay viewer once
    for the whole matrix, the rest at each scale (they lay out when they are made)."""

    def __init__(self, stack: SceneStack, shared: Shared) -> None:
        self.stack = stack
        self.maps = shared.maps
        self.shared = shared
        self.entries = campaign()
        self.finale = self.entries[-1]
        self.cached: dict[object, object] = {}

    def all(self) -> list[tuple[str, Callable[[], object]]]:
        from command_game.scenes.editor_sidebar import TABS

        scenes: list[tuple[str, Callable[[], object]]] = [
            ("title", self.title), ("level_select", self.level_select)]
        for entry in self.entries:
            scenes.append((f"briefing_{entry.level_id}", lambda e=entry: self.briefing(e)))
        for entry in self.entries:
            scenes.append((f"map_{entry.level_id}", lambda e=entry: self.map(e)))
        scenes += [("map_menu", self.map_menu), ("pause", self.pause), ("help", self.help)]
        if self.finale.level.event_cards:
            scenes.append(("event_card", self.event_card))
        for category in controls.CATEGORIES:
            scenes.append((f"settings_{category}", lambda c=category: self.settings(c)))
        scenes += [("leaderboard", self.leaderboard), ("replay_viewer", self.replay_viewer),
                   ("debrief", self.debrief)]
        for tab in TABS:
            scenes.append((f"editor_{tab}", lambda tab=tab: self.editor(tab)))
        scenes.append(("editor_cards", self.editor_cards))
        return scenes

    def title(self):
        from command_game.scenes.title import TitleScene

        return self.stack.reset(TitleScene())

    def level_select(self):
        from command_game.scenes.level_select import LevelSelectScene

        self.title()
        return self.stack.push(LevelSelectScene())

    def briefing(self, entry):
        from command_game.scenes.briefing import BriefingScene

        return self.stack.reset(BriefingScene(entry.path))

    def map(self, entry):
        """The mission with every unit selected, paused, and a full notification stack."""
        from command_game.render.hud import Notification
        from command_game.scenes.map import MapScene

        scene = self.maps.get(entry.level_id)
        if scene is None:
            scene = MapScene(entry.level, entry.path)
            scene.tutorial = None  # the tutorial has its own test; here the HUD is judged
            self.maps[entry.level_id] = scene
        self.stack.reset(scene)
        scene.on_resize(*scene.window.get_size())
        scene.menu = None
        scene.selection.set(scene.world.units)
        scene.set_speed(0)
        scene.notifications = [Notification(f"{LONG_NAME} {i}: " + i18n.t(
            "map.note.cannot_order", order=i18n.t("map.order.escort")), (250, 140, 40, 255),
            scene.real_time_s) for i in range(5)]
        return scene

    def map_menu(self):
        scene = self.map(self.finale)
        scene.menu = (30.0, 60.0, ("respond", "hold", "dialogue", "escort", "patrol", "move"))
        return scene

    def pause(self):
        from command_game.scenes.pause import PauseScene

        self.map(self.finale)
        return self.stack.push(PauseScene())

    def event_card(self):
        """The finale's card with the longest text, over its map."""
        from command_game.i18n import pick
        from command_game.scenes.event_card import EventCardScene

        mission = self.map(self.finale)
        card = max(self.finale.level.event_cards, key=lambda c: len(pick(c.text)))
        return self.stack.push(EventCardScene(mission, card))

    def help(self):
        from command_game.scenes.help import HelpScene

        self.map(self.finale)
        return self.stack.push(HelpScene())

    def settings(self, category: str):
        """One settings screen per scale, walked through its key groups."""
        from command_game.scenes import ui
        from command_game.scenes.settings import SettingsScene

        self.title()
        scale = settings.current().ui_scale
        scene = self.cached.get(("settings", scale))
        if scene is None:
            scene = self.cached[("settings", scale)] = SettingsScene()
        self.stack.push(scene)
        if scene.category != category:
            scene.change("category", category)
        elif scene.page == "general":  # the bindings are a tab away: open it
            ui.click(scene.tab_buttons["keys"])
        return scene

    def leaderboard(self):
        from command_game.scenes.leaderboard import LeaderboardScene

        self.title()
        return self.stack.push(LeaderboardScene(self.finale.level_id))

    def replay_viewer(self):
        from command_game.scenes.replay_viewer import ReplayViewerScene
        from command_game.sim.world import World
        from command_game.speedrun.record import replay_from_world

        level = self.entries[0].level
        scene = self.maps.get("replay_viewer")
        if scene is None:
            world = World.from_level(level)
            world.end("won", "test")
            replay = replay_from_world(level, world, 12.0, LONG_NAME)
            scene = self.maps["replay_viewer"] = ReplayViewerScene(replay, level)
        self.title()
        self.stack.push(scene)
        scene.on_resize(*scene.window.get_size())
        return scene

    def debrief(self):
        """The finale's debrief: nine objectives, most met, against a personal best."""
        from command_game.progress import PersonalBest
        from command_game.scenes.debrief import DebriefScene
        from command_game.sim.world import World

        if self.shared.debrief_world is None:
            world = World.from_level(self.finale.level)
            for _ in range(600):
                world.step(())
            for i, objective in enumerate(world.objectives):
                if i != 3:
                    objective.status, objective.met_tick = "met", 900 * (i + 1)
            world.end("won", "test")
            self.shared.debrief_world = world
        world = self.shared.debrief_world
        best = PersonalBest(time_s=world.tick / 60 + 10,
                            splits={o.id: 900 * (i + 1) / 60 + 3
                                    for i, o in enumerate(world.objectives)},
                            date="2026-01-01T00:00:00+00:00")
        return self.stack.reset(DebriefScene(world, self.finale.path, 600.0,
                                             previous_best=best))

    def editor(self, tab: str):
        from command_game.editor.document import Ref
        from command_game.scenes.editor import EditorScene

        scene = self.cached.get("editor")  # it lays itself out again at another scale
        if scene is None:
            scene = self.cached["editor"] = EditorScene(self.finale.path)
        self.stack.reset(scene)
        if tab == "selection":
            office = self.finale.level.offices[0]
            scene.select([Ref("offices", office.id)])
        else:
            scene.set_tab(tab)
        return scene

    def editor_cards(self):
        from command_game.scenes.editor_cards import EditorCardsScene

        editor = self.editor("script")
        return self.stack.push(EditorCardsScene(editor))


@pytest.fixture
def matrix_window(clean_window, stack):
    yield clean_window
    while len(clean_window.stack):
        clean_window.stack.pop()
    settings.apply(settings.Settings())
    clean_window.set_size(1280, 800)
    pump(clean_window)


def _draw(window) -> None:
    """One frame as the loop draws it, without the flip (the recorder needs the drawing,
    and a saved frame reads the buffer just drawn)."""
    window.dispatch_pending_events()
    window.dispatch_event("on_draw")
    window.dispatch_pending_events()


def _resize(window, size: tuple[int, int]) -> None:
    window.set_size(*size)
    for _ in range(20):
        pump(window)
        if tuple(window.get_size()) == size:
            break
    assert tuple(window.get_size()) == size


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_fits_at_every_scale(matrix_window, shared, size, lang):
    window = matrix_window
    _resize(window, size)
    _long_level_list()
    _long_board()
    scenes = Scenes(window.stack, shared)
    failures: list[str] = []
    started, frames = time.perf_counter(), 0
    cost: dict[str, float] = {}
    seen: set[float] = set()
    editor_seen: set[float] = set()  # the editor's own fitted scales already drawn
    for scale in SCALES:
        settings.apply(settings.Settings(language=lang, ui_scale=scale))
        effective = ui_scale.effective(*size)
        if effective in seen:  # capped to a scale already checked: the same layout
            assert ui_scale.capped(*size)
            continue
        seen.add(effective)
        editor_fit = editor_panel.fit_scale(*size)
        editor_again = editor_fit in editor_seen  # the same layout as a scale drawn before
        editor_seen.add(editor_fit)
        for name, make in scenes.all():
            if name.startswith("editor_") and editor_again:
                continue
            began = time.perf_counter()
            scene = make()
            rec = layout.start()
            try:
                _draw(window)
            finally:
                layout.stop()
            frames += 1
            where = f"{size[0]}x{size[1]} {lang} {scale}% {name}"
            found = problems_in(rec, size)
            if name.startswith("map_") and name != "map_menu":
                found += sites_covered(rec, scene) + labels_under_panels(rec)
            if name.startswith("settings_"):
                found += key_rows_missing(rec, scene)
            if name.startswith("editor_"):
                found += editor_scale_wrong(scene, size)
            failures += [f"{where}: {problem}" for problem in found]
            if lang == "id" and scale == 150:
                save_frame(window, f"{size[0]}x{size[1]}_{name}", SHOTS)
            cost[name] = cost.get(name, 0.0) + time.perf_counter() - began
    elapsed = time.perf_counter() - started
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / f"problems_{size[0]}x{size[1]}_{lang}.txt").write_text("\n".join(failures), "utf-8")
    slowest = sorted(cost.items(), key=lambda kv: -kv[1])[:6]
    editor = sum(seconds for name, seconds in cost.items() if name.startswith("editor_"))
    print(f"\n{size} {lang}: {frames} frames in {elapsed:.1f} s (the editor's {editor:.1f} s); "
          "slowest: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in slowest))
    assert not failures, _report(failures)


def _report(failures: list[str]) -> str:
    """The problems grouped by screen: how many, and the first few of each."""
    by_screen: dict[str, list[str]] = {}
    for failure in failures:
        screen = failure.split(":")[0].rsplit(" ", 1)[-1]
        by_screen.setdefault(screen, []).append(failure)
    lines = [f"{len(failures)} layout problems on {len(by_screen)} screens"]
    for screen, found in by_screen.items():
        lines.append(f"--- {screen}: {len(found)}")
        lines += found[:4]
    return "\n".join(lines)


def test_the_recorder_sees_what_the_menus_draw(matrix_window):
    """The check itself: a text pushed out of its panel is reported."""
    from command_game.scenes import ui

    rec = layout.start()
    try:
        ui.draw_panel(ui.arcade.LBWH(10, 10, 100, 40))
        label = ui.text("far too long for that panel", 14)
        ui.place(label, 20, 20)
        label.draw()
    finally:
        layout.stop()
    problems = problems_in(rec, (1280, 800))
    assert any("leaves its panel" in p for p in problems), problems
