"""The editor driven by real window events: a level built from an empty map with mouse
clicks, drags and key presses, saved, validated and won by the autopilot; play-test
and crash recovery through the screen."""

from __future__ import annotations

import shutil

import arcade
import pytest
from arcade.gui import UIDropdown, UIFlatButton

from command_game.editor.document import Ref
from command_game.i18n import t
from command_game.level.catalog import my_levels
from command_game.level.io import level_to_bytes, load_level
from command_game.level.lint import lint
from command_game.userdata import levels_dir
from tests.conftest import SCREENSHOTS, pump, save_frame

CTRL = arcade.key.MOD_CTRL
SHIFT = arcade.key.MOD_SHIFT


class Driver:
    """Sends input to the window the way a person would, then lets the frame run."""

    def __init__(self, window, scene) -> None:
        self.window = window
        self.scene = scene

    def screen(self, x: float, y: float) -> tuple[int, int]:
        sx, sy = self.scene.camera.to_screen(x, y)
        return round(sx), round(sy)

    def _send(self, *event) -> None:
        self.window.dispatch_event(*event)
        self.window.dispatch_pending_events()

    def click_at(self, sx: int, sy: int, button: int = arcade.MOUSE_BUTTON_LEFT,
                 modifiers: int = 0) -> None:
        self._send("on_mouse_motion", sx, sy, 0, 0)
        self._send("on_mouse_press", sx, sy, button, modifiers)
        self._send("on_mouse_release", sx, sy, button, modifiers)
        pump(self.window)

    def click(self, x: float, y: float, **kw) -> None:
        """A click on the map at world metres (x, y)."""
        self.click_at(*self.screen(x, y), **kw)

    def drag(self, start: tuple[float, float], end: tuple[float, float], modifiers=0) -> None:
        (x0, y0), (x1, y1) = self.screen(*start), self.screen(*end)
        self._send("on_mouse_press", x0, y0, arcade.MOUSE_BUTTON_LEFT, modifiers)
        steps = 5
        for i in range(1, steps + 1):
            x = x0 + (x1 - x0) * i // steps
            y = y0 + (y1 - y0) * i // steps
            px = x0 + (x1 - x0) * (i - 1) // steps
            py = y0 + (y1 - y0) * (i - 1) // steps
            self._send("on_mouse_drag", x, y, x - px, y - py, arcade.MOUSE_BUTTON_LEFT,
                       modifiers)
        self._send("on_mouse_release", x1, y1, arcade.MOUSE_BUTTON_LEFT, modifiers)
        pump(self.window)

    def key(self, symbol: int, modifiers: int = 0) -> None:
        self._send("on_key_press", symbol, modifiers)
        self._send("on_key_release", symbol, modifiers)
        pump(self.window)

    def type_text(self, text: str) -> None:
        self._send("on_text", text)
        pump(self.window)

    def widget(self, text: str) -> UIFlatButton:
        pump(self.window)  # widgets get their rects when the UI is laid out
        top = self.window.stack.top  # the editor, or a scene over it (pause menu)
        found = [w for w in top.ui.walk_widgets(layer=None)
                 if isinstance(w, UIFlatButton) and w.text == text and w.visible]
        assert found, f"no button '{text}' on screen"
        return found[0]  # the topmost

    def press(self, text: str) -> None:
        w = self.widget(text)
        self.click_at(round(w.center_x), round(w.center_y))

    def choose(self, dropdown: UIDropdown, option: str) -> None:
        self.click_at(round(dropdown.center_x), round(dropdown.center_y))
        pump(self.window)
        self.press(option)


@pytest.fixture
def editor(clean_window, stack):
    from command_game.scenes.editor import EditorScene

    scene = clean_window.stack.push(EditorScene())
    pump(clean_window, 2)
    yield Driver(clean_window, scene)


def build_small_level(d: Driver) -> None:
    """From the empty template to a playable mission, with clicks and keys only."""
    s = d.scene
    d.key(arcade.key.KEY_4)  # road tool: a chain of three nodes
    for x, y in ((100, 120), (500, 120), (500, 420)):
        d.click(x, y)
    d.click(700, 700, button=arcade.MOUSE_BUTTON_RIGHT)  # ends the chain
    assert s.doc.ids("nodes") == ["node_1", "node_2", "node_3"]
    assert len(s.doc.items("edges")) == 2

    d.key(arcade.key.KEY_5)  # office tool, polres first
    d.click(80, 80)
    dropdown = next(w for w in s._toolbar.widgets if isinstance(w, UIDropdown))
    d.choose(dropdown, "kpu")
    d.click(540, 460)
    offices = s.doc.items("offices")
    assert [(o["type"], o["node"]) for o in offices] == [("polres", "node_1"), ("kpu", "node_3")]

    d.key(arcade.key.KEY_6)  # a crowd heading for the KPU
    d.click(700, 460)
    assert s.doc.items("crowd_sources")[0]["attractor"] == offices[1]["id"]
    d.key(arcade.key.KEY_7)  # an incident at the KPU office
    d.click(540, 460)
    assert s.doc.items("incidents")[0]["site"] == offices[1]["id"]

    d.press(t("editor.tab.roster"))
    d.press(t("editor.action.add_unit"))
    d.press(t("editor.tab.roster"))
    d.press(t("editor.action.add_unit"))
    assert [u["base"] for u in s.doc.items("units")] == [offices[0]["id"]] * 2
    d.press(t("editor.tab.script"))
    d.press(t("editor.action.add_objective"))
    assert s.doc.items("objectives")[0]["site"] == offices[1]["id"]

    d.key(arcade.key.KEY_2)  # a district: four corners, closed on the first
    for x, y in ((0, 0), (1000, 0), (1000, 800), (0, 800), (0, 0)):
        d.click(x, y)
    d.key(arcade.key.KEY_3)  # a building, closed with Enter
    for x, y in ((200, 200), (300, 200), (300, 300), (200, 300)):
        d.click(x, y)
    d.key(arcade.key.ENTER)
    assert s.doc.ids("districts") == ["district_1"] and s.doc.ids("buildings") == ["building_1"]

    d.press(t("editor.tab.level"))  # the level's id and bilingual title, typed
    for name, text in (("meta.id", "kota_uji"), ("meta.title.en", "Kota Uji: Count Night"),
                       ("meta.title.id", "Kota Uji: Malam Penghitungan")):
        field = next(r.widget for r in s.form.rows if r.field.name == name)
        d.click_at(round(field.center_x), round(field.center_y))
        d._send("on_text_motion", arcade.key.MOTION_END_OF_LINE)
        for _ in range(len(field.text)):
            d._send("on_text_motion", arcade.key.MOTION_BACKSPACE)
        d.type_text(text)
        d.key(arcade.key.ENTER)
    assert s.doc.data["meta"]["id"] == "kota_uji"
    assert s.doc.data["meta"]["title"] == {"en": "Kota Uji: Count Night",
                                           "id": "Kota Uji: Malam Penghitungan"}


def test_invalid_level_saves_as_draft_and_problem_click_selects(editor):
    d, s = editor, editor.scene
    d.key(arcade.key.KEY_4)
    d.click(100, 100)
    d.click(300, 100)
    d.key(arcade.key.ESCAPE)
    d.key(arcade.key.KEY_5)
    d.click(320, 140)  # a polres linked to node_2
    d.key(arcade.key.KEY_1)
    d.click(300, 100)  # select node_2 and delete it: the office's link dangles
    d.key(arcade.key.DELETE)
    pump(d.window)
    problem = next(p for p in s.problems if p.ref == "polres_1")
    for _ in range(len(s.problems)):  # page through the list to the problem
        rows = [w for w in s.problem_list.group.widgets if problem.message[:20] in w.text]
        if rows:
            break
        d.press(next(w.text for w in s.problem_list.group.widgets if "/" in w.text))
    d.click_at(round(rows[0].center_x), round(rows[0].center_y))
    assert s.selection == [Ref("offices", "polres_1")]
    d.key(arcade.key.S, CTRL)
    assert s.file.draft_path is not None and s.file.draft_path.exists()
    assert "DRAFT" in s.status or "DRAF" in s.status
    assert my_levels() == []
    pump(d.window, 2)
    save_frame(d.window, "editor_draft_problems")


def test_play_test_returns_to_the_editor_unchanged(editor, tmp_path):
    from command_game.scenes.map import MapScene
    from tests.conftest import LEVELS

    d = editor
    path = tmp_path / "01_singkawang.json"
    shutil.copy(LEVELS / "01_singkawang.json", path)
    from command_game.scenes.editor import EditorScene

    scene = d.window.stack.push(EditorScene(path))
    d.scene = scene
    pump(d.window, 2)
    kpu = next(o for o in scene.doc.items("offices") if o["type"] == "kpu")
    d.click(kpu["x"], kpu["y"])
    assert scene.selection == [Ref("offices", kpu["id"])]
    scene.refresh(force_map=True)
    pump(d.window, 2)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    save_frame(d.window, "editor", SCREENSHOTS)
    before = scene.doc.data
    d.key(arcade.key.F5)
    mission = d.window.stack.top
    assert isinstance(mission, MapScene)
    for _ in range(30):
        mission.on_fixed_update(1 / 60)
    pump(d.window, 2)
    save_frame(d.window, "editor_playtest")
    d.key(arcade.key.ESCAPE)  # pause menu, then Quit
    d.press(t("pause.quit_mission"))
    assert d.window.stack.top is scene and scene.doc.data == before
    d.key(arcade.key.F5)  # and when the mission ends
    mission = d.window.stack.top
    mission.world.end("won", "test")
    mission.on_fixed_update(1 / 60)
    assert d.window.stack.top is scene and not scene.doc.modified
    assert scene.status == t("editor.status.playtest_won")


def test_crash_recovery_dialog_restores_the_autosave(clean_window, stack):
    from command_game.editor import edits
    from command_game.editor.autosave import Autosaver
    from command_game.editor.document import Document
    from command_game.editor.template import new_level_data
    from command_game.scenes.editor import EditorScene

    doc = Document(new_level_data("crashed"))
    doc.apply(edits.add_node(doc, 40, 40))
    Autosaver(doc).write(clean=False)  # then the process died
    scene = clean_window.stack.push(EditorScene())
    d = Driver(clean_window, scene)
    pump(clean_window, 2)
    assert scene.dialog is not None
    save_frame(clean_window, "editor_recover_dialog")
    d.press(t("editor.recover.restore"))
    assert scene.dialog is None
    assert scene.doc.ids("nodes") == ["node_1"] and scene.doc.modified
    assert scene.doc.data["meta"]["id"] == "crashed"
    clean_window.stack.pop()


def test_import_a_tiled_map_from_the_tiled_tab_and_undo_it(editor):
    from command_game.level.tiled import export_tiled
    from tests.conftest import LEVELS

    d, s = editor, editor.scene
    level = load_level(LEVELS / "01_singkawang.json")
    export_tiled(level, levels_dir() / "kota.tmj")
    d.press(t("editor.tab.selection"))
    d.press(t("editor.tab.tiled"))  # the panel lists the maps in the levels folder
    template = s.doc.data
    d.press(t("editor.action.import", name="kota.tmj"))
    assert s.doc.ids("offices") == [o.id for o in level.offices]
    # every property came across, the map features too (a map property): the level is
    # complete
    assert s.level == level and s.level.features is not None
    pump(d.window, 2)
    save_frame(d.window, "editor_tiled_import")
    d.key(arcade.key.Z, CTRL)
    assert s.doc.data == template


def test_leaving_with_unsaved_work_asks_and_the_work_is_offered_next_time(clean_window, stack):
    from command_game.editor.autosave import find_recovery
    from command_game.scenes.editor import EditorScene
    from command_game.scenes.stack import Scene

    below = clean_window.stack.push(Scene())
    scene = clean_window.stack.push(EditorScene())
    d = Driver(clean_window, scene)
    pump(clean_window, 2)
    d.key(arcade.key.KEY_4)
    d.click(200, 200)
    d.press(t("editor.action.exit"))
    assert scene.dialog is not None and clean_window.stack.top is scene
    save_frame(clean_window, "editor_leave_dialog")
    d.press(t("editor.leave.cancel"))
    assert clean_window.stack.top is scene
    d.press(t("editor.action.exit"))
    d.press(t("editor.leave.discard"))
    assert clean_window.stack.top is below
    assert find_recovery(None).data["roads"]["nodes"][0]["id"] == "node_1"
    clean_window.stack.pop()


def test_a_hand_broken_level_opens_shows_its_problems_and_can_be_fixed(clean_window, stack,
                                                                     tmp_path):
    import json

    from command_game.level.io import level_to_dict
    from command_game.scenes.editor import EditorScene
    from tests.conftest import LEVELS

    data = level_to_dict(load_level(LEVELS / "01_singkawang.json"))
    data["roads"]["nodes"][0]["x"] = "far east"  # wrong type
    data["buildings"][0]["polygon"][1] = [1.0]  # a point with one number
    data["offices"][0]["colour"] = "red"  # unknown field
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data))
    scene = clean_window.stack.push(EditorScene(path))
    d = Driver(clean_window, scene)
    pump(clean_window, 2)
    paths = {p.path for p in scene.problems}
    assert {"roads.nodes[0].x", "buildings[0].polygon[1][1]", "offices[0].colour"} <= paths
    d.drag((0, 0), (1200, 900))  # box-select everything and move it: bad values stay put
    d.key(arcade.key.RIGHT)
    save_frame(clean_window, "editor_broken_file")
    d.key(arcade.key.Z, CTRL)
    assert scene.doc.data == data
    node = data["roads"]["nodes"][0]["id"]
    scene.select([Ref("nodes", node)])
    pump(clean_window)
    x_field = next(r.widget for r in scene.form.rows if r.field.name == "x")
    x_field.text = "150"  # what typing does: the value is committed as a number
    assert scene.doc.items("nodes")[0]["x"] == 150.0
    assert "roads.nodes[0].x" not in {p.path for p in scene.problems}
    clean_window.stack.pop()


def test_from_the_title_build_edit_play_test_save_win_and_find_it_in_my_levels(clean_window, stack):
    """The issue's "done": open the editor from the title, build a mission from nothing
    (and use undo/redo, box select, delete, copy/paste on the way), play-test it, save
    it, see the autopilot win it, and find it in level select under "My levels"."""
    from command_game.scenes.editor import EditorScene
    from command_game.scenes.level_select import LevelSelectScene
    from command_game.scenes.map import MapScene
    from command_game.scenes.title import TitleScene
    from command_game.sim import autopilot
    from command_game.sim.world import World

    title = stack.push(TitleScene())
    d = Driver(clean_window, title)
    pump(clean_window, 2)
    d.press(t("title.editor"))
    s = d.scene = stack.top
    assert isinstance(s, EditorScene)
    pump(clean_window, 2)
    assert s.level is None and s.problems  # the empty template lists what is missing
    build_small_level(d)
    assert not [p for p in s.problems if p.severity == "error"], s.problems

    d.key(arcade.key.KEY_1)  # select tool: drag the building, undo, redo
    before = [list(p) for p in s.doc.items("buildings")[0]["polygon"]]
    d.drag((250, 250), (250, 330))
    moved = s.doc.items("buildings")[0]["polygon"]
    assert moved == [[x, y + 80] for x, y in before]
    d.key(arcade.key.Z, CTRL)
    assert s.doc.items("buildings")[0]["polygon"] == before
    d.key(arcade.key.Z, CTRL | SHIFT)
    assert s.doc.items("buildings")[0]["polygon"] == moved
    d.key(arcade.key.Z, CTRL)

    d.drag((650, 430), (750, 490))  # box-select the crowd source, delete, undo
    assert s.selection == [Ref("crowd_sources", "crowd_1")]
    d.key(arcade.key.DELETE)
    assert s.doc.items("crowd_sources") == []
    d.key(arcade.key.Z, CTRL)
    assert s.doc.ids("crowd_sources") == ["crowd_1"]

    d.click(250, 250)  # copy the building, paste it at the cursor, undo
    d.key(arcade.key.C, CTRL)
    d._send("on_mouse_motion", *d.screen(700, 200), 0, 0)
    d.key(arcade.key.V, CTRL)
    assert s.doc.items("buildings")[1]["polygon"][0] == [700.0, 200.0]
    d.key(arcade.key.Z, CTRL)
    d.click(540, 460)  # the KPU office, to show its properties
    d._send("on_mouse_motion", *d.screen(500, 420), 0, 0)  # hovering names the node
    assert s.hover == Ref("nodes", "node_3")
    pump(clean_window, 2)
    save_frame(clean_window, "editor_new_level")

    d.key(arcade.key.F5)  # play-test, then quit from the pause menu
    assert isinstance(stack.top, MapScene)
    for _ in range(120):
        stack.top.on_fixed_update(1 / 60)
    d.key(arcade.key.ESCAPE)
    d.press(t("pause.quit_mission"))
    assert stack.top is s

    d.key(arcade.key.S, CTRL)
    path = levels_dir() / "kota_uji.json"
    assert path.exists() and not s.doc.modified
    level = load_level(path)
    assert level_to_bytes(level) == path.read_bytes()  # canonical: round-trips byte for byte
    assert not [p for p in lint(level) if p.severity == "error"]
    world = autopilot.play(World.from_level(level, seed=0))
    assert world.outcome == "won", [(o.id, o.status) for o in world.objectives]

    d.press(t("editor.action.exit"))
    assert stack.top is title
    d.press(t("title.play"))
    select = stack.top
    assert isinstance(select, LevelSelectScene)
    assert [r.entry.level_id for r in select.rows if r.section == "mine"] == ["kota_uji"]
    pump(clean_window, 2)
    save_frame(clean_window, "editor_level_in_my_levels")
    while len(stack):
        stack.pop()


def test_a_long_choice_list_opens_in_columns_that_fit_the_window(clean_window, stack):
    """An office's road node lists every node of the finale (about thirty): the list
    opens in columns under the field, every option on screen, the last one clickable."""
    from command_game.editor.document import Ref
    from command_game.level.catalog import campaign
    from command_game.scenes.editor import EditorScene

    finale = campaign()[-1]
    scene = stack.push(EditorScene(finale.path))
    d = Driver(clean_window, scene)
    pump(clean_window, 2)
    office = finale.level.offices[0]
    scene.select([Ref("offices", office.id)])
    pump(clean_window, 2)
    row = next(r for r in scene.form.rows if r.field.name == "node")
    d.click_at(round(row.widget.center_x), round(row.widget.center_y))
    pump(clean_window)

    def walk(widget):
        for child in widget.children:
            yield child
            yield from walk(child)

    options = [w for w in walk(row.widget._overlay) if isinstance(w, UIFlatButton)]
    assert len(options) == len(finale.level.roads.nodes)
    width, height = clean_window.get_size()
    assert all(w.rect.left >= 0 and w.rect.right <= width and w.rect.bottom >= 0
               and w.rect.top <= height for w in options), "an option is off the window"
    last = options[-1]
    d.click_at(round(last.center_x), round(last.center_y))
    assert scene.doc.get(Ref("offices", office.id))["node"] == last.text != office.node
