"""The level editor: build, check and play-test a mission on the game's own map view.

Input becomes edits on the document (command_game.editor), never direct changes: every
click that changes the level is one undoable action, and every change re-runs the same
checks as `command-game levels validate`, shown along the bottom. The map is drawn by
the game's StaticMapLayer, rebuilt after each edit, so what the author sees is what the
player will see. F5 play-tests the level as edited on top of the editor and comes back
to it unchanged.
"""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import arcade
from arcade.gui import UIDropdown, UIManager, UIMessageBox

from command_game.editor import edits, picking
from command_game.editor.autosave import Autosaver, find_recovery
from command_game.editor.document import Document, EditAction, Ref
from command_game.editor.fields import LEVEL_FIELDS, OBJECTIVE_KINDS, UNIT_TYPES, fields_for
from command_game.editor.files import EditorFile, open_file
from command_game.editor.template import new_level_data
from command_game.editor.validation import is_playable, preview_level, validate
from command_game.i18n import pick as pick_text
from command_game.i18n import t
from command_game.level.models import HQ_TYPES, Level
from command_game.level.problems import LevelError, Problem
from command_game.level.tiled import export_tiled, import_tiled_data
from command_game.render.map_camera import MapCamera
from command_game.render.static_map import StaticMapLayer
from command_game.scenes import editor_overlay as overlay
from command_game.scenes import ui
from command_game.scenes.editor_panel import (
    STYLE,
    STYLE_ACTIVE,
    FieldForm,
    ProblemList,
    WidgetGroup,
    flat,
    label,
)
from command_game.scenes.stack import Scene
from command_game.userdata import levels_dir

TOOLS = ("select", "district", "building", "road", "office", "crowd", "incident")
TOOL_KEYS = {getattr(arcade.key, f"KEY_{i + 1}"): tool for i, tool in enumerate(TOOLS)}
OFFICE_TYPES = ("polres", "polsek", "kpu", "bawaslu", "tps", "ppk", "warehouse")
TABS = ("selection", "level", "roster", "script")
SNAP_M = 10.0
PICK_PX = 9.0
TOOLBAR_W = 150
TOP_H = 40
PANEL_W = 340
PROBLEMS_H = 140
MAP_FAST_S = 0.04  # a map layer rebuilt faster than this follows every edit at once
MAP_IDLE_S = 0.3  # otherwise it is rebuilt once edits pause this long
LIST_ROWS = 6  # roster/script rows per list (the rest: select them on the map or by problem)


class EditorScene(Scene):
    """Edits the level at `level_path` (a level, a draft or a Tiled map), or a new one."""

    def __init__(self, level_path: str | Path | None = None) -> None:
        super().__init__()
        ui.load_fonts()
        self.file = _open(level_path)
        self.ui = UIManager()
        self.tool = "select"
        self.office_type = "polres"
        self.selection: list[Ref] = []
        self.snap_on = True
        self.tab = "level"
        self.clipboard: edits.Clipboard | None = None
        self.pending: list[tuple[float, float]] = []  # polygon being drawn
        self.road_from: str | None = None  # road tool: the node the next edge starts at
        self.drag: dict[str, Any] | None = None
        self.cursor: tuple[float, float] | None = None
        self.status = ""
        self._status_at = 0.0
        self._seen_revision = -1
        self._map_revision = -1
        self._map_cost = 0.0
        self._last_edit = 0.0
        self._preview: Level | None = None
        self.level: Level | None = None
        self.problems: list[Problem] = []
        self.layer: StaticMapLayer | None = None
        self.camera: MapCamera | None = None
        self.autosaver: Autosaver | None = None
        self.dialog: UIMessageBox | None = None
        self._leaving = False
        self._toolbar = WidgetGroup(self.ui)
        self._panel = WidgetGroup(self.ui)
        self.form = FieldForm(self._panel, self._commit_field, self.say)
        self.problem_list = ProblemList(self.ui, self.select_problem)
        self._panel_key: tuple | None = None
        self.title_text = ui.text("", 13, ui.TEXT, bold=True)
        self.status_text = ui.text("", 11, ui.TEXT_MUTED)
        self.hint_text = ui.text("", 11, ui.TEXT_MUTED)

    # --- the document ---------------------------------------------------------------
    @property
    def doc(self) -> Document:
        return self.file.document

    def apply(self, action: EditAction) -> bool:
        done = self.doc.apply(action)
        if done:
            self._last_edit = time.monotonic()
            self.refresh()
        return done

    def refresh(self, force_map: bool = False) -> None:
        """After any change: revalidate and update the panels (once per revision), and
        rebuild the map layer when it is due (see _map_due)."""
        if self.doc.revision != self._seen_revision or self.camera is None:
            self._seen_revision = self.doc.revision
            self.level, self.problems = validate(self.doc.data)
            self._preview = self.level or preview_level(self.doc.data)
            size = (self._preview.map.width_m, self._preview.map.height_m)
            if self.camera is None or self.camera.map_size != size:
                self.camera = MapCamera(*size, self.map_viewport)
            self.selection = [r for r in self.selection if self.doc.get(r) is not None]
            self.problem_list.show(self.problems, self.problems_rect)
            self._rebuild_panel()
            self.form.sync(self.doc.data)
            self._rebuild_toolbar()
        if self._map_revision != self.doc.revision and (force_map or self._map_due()):
            started = time.perf_counter()
            if self.layer is None:
                self.layer = StaticMapLayer(self._preview)
            else:
                self.layer.rebuild(self._preview)
            self._map_cost = time.perf_counter() - started
            self._map_revision = self.doc.revision

    def _map_due(self) -> bool:
        """The game's map layer rebuilds whole (0.1-0.4 s on a large map): on a large map
        it waits until a drag ends and edits pause, while the overlay shows the edit."""
        if self.layer is None:
            return True
        if self.drag is not None and self.drag["kind"] == "move":
            return self._map_cost < MAP_FAST_S / 2
        return self._map_cost < MAP_FAST_S or time.monotonic() - self._last_edit >= MAP_IDLE_S

    def say(self, message: str) -> None:
        self.status = message
        self._status_at = time.monotonic()

    # --- layout -----------------------------------------------------------------------
    @property
    def map_viewport(self) -> tuple[int, int, int, int]:
        w, h = self.window.width, self.window.height
        return (TOOLBAR_W, PROBLEMS_H, w - TOOLBAR_W - PANEL_W, h - TOP_H - PROBLEMS_H)

    @property
    def problems_rect(self) -> arcade.Rect:
        return arcade.LBWH(TOOLBAR_W, 0, self.window.width - TOOLBAR_W - PANEL_W, PROBLEMS_H)

    @property
    def panel_rect(self) -> arcade.Rect:
        return arcade.LBWH(self.window.width - PANEL_W, 0, PANEL_W, self.window.height - TOP_H)

    def in_map(self, x: float, y: float) -> bool:
        left, bottom, w, h = self.map_viewport
        return left <= x < left + w and bottom <= y < bottom + h

    # --- scene hooks ------------------------------------------------------------------
    def on_enter(self) -> None:
        self.autosaver = Autosaver(self.doc)
        self.refresh()
        self.window.push_handlers(on_close=self._window_closing)
        recovery = find_recovery(self.doc.path)
        if recovery is not None:
            self._offer_recovery(recovery)

    def on_exit(self) -> None:
        self._leaving = True
        if self.autosaver is not None:
            self.autosaver.close()
        self.window.remove_handlers(on_close=self._window_closing)

    def on_show_view(self) -> None:
        self.ui.enable()

    def on_hide_view(self) -> None:
        self.ui.disable()

    def _window_closing(self) -> None:
        if self.autosaver is not None and not self._leaving:
            self.autosaver.close()

    def on_resize(self, width: int, height: int) -> None:
        if self.camera is not None:
            # a fresh camera: Camera2D's projection setter scales by the current zoom, so
            # MapCamera.set_viewport is only safe before the first zoom
            position, zoom = self.camera.position, self.camera.zoom
            self.camera = MapCamera(*self.camera.map_size, self.map_viewport)
            self.camera.camera.zoom = zoom
            self.camera.centre_on(*position)
        self._panel_key = None
        self._seen_revision = -1
        self.refresh()

    def on_update(self, delta_time: float) -> None:
        self.refresh()
        if self.autosaver is not None:
            self.autosaver.tick()

    # --- crash recovery -----------------------------------------------------------------
    def ask(self, title: str, body: str, choices: dict[str, Any]) -> None:
        """A modal question; each choice's text maps to what it does."""
        box = UIMessageBox(width=480, height=200, title=title, message_text=body,
                           buttons=tuple(choices))
        self.dialog = box

        @box.event("on_action")
        def _chosen(event) -> None:
            self.dialog = None
            choices[event.action]()

        self.ui.add(box, layer=2)

    def _offer_recovery(self, recovery) -> None:
        def discard() -> None:
            recovery.discard()
            self.say(t("editor.status.discarded"))

        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(recovery.saved_at))
        self.ask(t("editor.recover.title"), t("editor.recover.body", when=when),
                 {t("editor.recover.restore"): lambda: self.restore(recovery),
                  t("editor.recover.discard"): discard})

    def restore(self, recovery) -> None:
        self.file = EditorFile(recovery.document())
        self.autosaver = Autosaver(self.doc)
        self.selection = []
        self._seen_revision = -1
        self._map_revision = -1
        self._panel_key = None
        self.refresh(force_map=True)
        self.say(t("editor.status.restored"))

    # --- panels -------------------------------------------------------------------------
    def _rebuild_toolbar(self) -> None:
        """Builds the tool bar and the panel tabs once per window size; after that
        _update_toolbar only restyles them (making arcade.gui widgets is slow)."""
        if getattr(self, "_toolbar_height", None) == self.window.height:
            self._update_toolbar()
            return
        self._toolbar_height = self.window.height
        self._toolbar.clear()
        x, w = 8, TOOLBAR_W - 16
        y = self.window.height - TOP_H - 36
        self._tool_buttons = {}
        for i, tool in enumerate(TOOLS):
            self._tool_buttons[tool] = self._toolbar.add(flat(
                f"{i + 1}  {t('editor.tool.' + tool)}", lambda tool=tool: self.set_tool(tool),
                x, y, w, 28))
            y -= 32
        self._office_types = UIDropdown(x=x, y=y, width=w, height=26, default=self.office_type,
                                        options=list(OFFICE_TYPES), primary_style=STYLE,
                                        dropdown_style=STYLE, active_style=STYLE_ACTIVE)
        self._office_types.event("on_change")(lambda e: self._set_office_type(e.new_value))
        self._toolbar.add(self._office_types, layer=1)
        y -= 40
        self._action_buttons = {}
        for name, action in (("undo", self.undo), ("redo", self.redo),
                             ("snap", self.toggle_snap), ("save", self.save),
                             ("playtest", self.playtest), ("export", self.export_tmj),
                             ("exit", self.leave)):
            self._action_buttons[name] = self._toolbar.add(flat(
                t("editor.action." + name if name != "snap" else "editor.action.snap_on"),
                action, x, y, w, 28))
            y -= 32
        rect = self.panel_rect
        tab_w = (rect.width - 20) / len(TABS)
        self._tab_buttons = {
            tab: self._toolbar.add(flat(t("editor.tab." + tab), lambda tab=tab: self.set_tab(tab),
                                        rect.left + 10 + i * tab_w, rect.top - 34, tab_w - 4,
                                        26))
            for i, tab in enumerate(TABS)}
        self._update_toolbar()

    def _update_toolbar(self) -> None:
        for tool, button in self._tool_buttons.items():
            _restyle(button, STYLE_ACTIVE if tool == self.tool else STYLE)
        for tab, button in self._tab_buttons.items():
            _restyle(button, STYLE_ACTIVE if tab == self.tab else STYLE)
        self._office_types.visible = self.tool == "office"
        self._action_buttons["undo"].disabled = not self.doc.can_undo
        self._action_buttons["redo"].disabled = not self.doc.can_redo
        snap = t("editor.action.snap_on" if self.snap_on else "editor.action.snap_off")
        if self._action_buttons["snap"].text != snap:
            self._action_buttons["snap"].text = snap

    def _set_office_type(self, value: str) -> None:
        self.office_type = value

    def _panel_content_key(self) -> tuple:
        """What the current tab shows: the panel is rebuilt only when this changes."""
        if self.tab == "selection":
            if len(self.selection) != 1 or self.doc.get(self.selection[0]) is None:
                return (len(self.selection),)
            ref = self.selection[0]
            return (ref, tuple((f.key, f.choices) for f in fields_for(self.doc, ref)))
        if self.tab == "roster":
            return tuple(self._describe("units", u) for u in self.doc.items("units"))
        if self.tab == "script":
            return (self._default_site(),) + tuple(
                self._describe(c, item) for c in ("incidents", "objectives", "triggers",
                                                  "convoys") for item in self.doc.items(c))
        return tuple(p.name for p in tiled_maps()[:4])

    def _rebuild_panel(self) -> None:
        key = (self.tab, self.window.height, self._panel_content_key())
        if key == self._panel_key:
            return
        self._panel_key = key
        self.form.stop_typing()
        self._panel.clear()
        self.form.rows = []
        if hasattr(self, "_tab_buttons"):
            self._update_toolbar()
        rect = self.panel_rect
        x, width = rect.left + 10, rect.width - 20
        getattr(self, f"_panel_{self.tab}")(x, rect.top - 46, width)

    def _panel_selection(self, x: float, top: float, width: float) -> None:
        if len(self.selection) != 1:
            text = (t("editor.panel.nothing") if not self.selection else
                    t("editor.panel.many", count=len(self.selection)))
            self._panel.add(label(text, x, top - 22, width, 12, ui.TEXT))
            if self.selection:
                self._panel.add(flat(t("editor.action.delete"), self.delete_selection, x,
                                     top - 56, 120))
            return
        ref = self.selection[0]
        item = self.doc.get(ref) or {}
        self._panel.add(label(t("editor.kind." + ref.collection) + f": {ref.id}", x, top - 22,
                              width, 12, ui.GOLD, bold=True))
        base = edits.object_path(self.doc, ref)
        y = self.form.build(fields_for(self.doc, ref), base, item, x, top - 30, width)
        self._panel.add(flat(t("editor.action.delete"), self.delete_selection, x, y - 36, 120))

    def _panel_level(self, x: float, top: float, width: float) -> None:
        self._panel.add(label(t("editor.panel.level"), x, top - 22, width, 12, ui.GOLD,
                              bold=True))
        y = self.form.build(list(LEVEL_FIELDS), (), self.doc.data, x, top - 30, width)
        y -= 44
        self._panel.add(label(t("editor.panel.tiled", folder=str(levels_dir())), x, y, width,
                              10, lines=3))
        for path in tiled_maps()[:4]:
            y -= 28
            self._panel.add(flat(t("editor.action.import", name=path.name),
                                 lambda path=path: self.import_tmj(path), x, y, width, 24))

    def import_tmj(self, path: Path) -> None:
        """Brings a Tiled map's geometry and properties into this level (undoable)."""
        try:
            data = import_tiled_data(path)
        except LevelError as exc:
            self.say(exc.problems[0].format(exc.file))
            return
        if self.apply(edits.replace_content(self.doc, data, f"import {path.name}")):
            self.selection = []
            self.say(t("editor.status.imported", path=str(path)))

    def _panel_roster(self, x: float, top: float, width: float) -> None:
        y = self._list_rows("units", x, top, width)
        unit_type = UIDropdown(x=x, y=y - 30, width=150, height=26, default="samapta",
                               options=list(UNIT_TYPES), primary_style=STYLE,
                               dropdown_style=STYLE, active_style=STYLE_ACTIVE)
        self._panel.add(unit_type, layer=1)
        self._panel.add(flat(t("editor.action.add_unit"),
                             lambda: self.add_and_select(edits.add_unit(self.doc, unit_type.value)),
                             x + 160, y - 30, width - 160))

    def _panel_script(self, x: float, top: float, width: float) -> None:
        y = top
        for collection in ("incidents", "objectives", "triggers", "convoys"):
            y = self._list_rows(collection, x, y, width) - 6
        kind = UIDropdown(x=x, y=y - 24, width=150, height=26, default="hold_site",
                          options=list(OBJECTIVE_KINDS), primary_style=STYLE,
                          dropdown_style=STYLE, active_style=STYLE_ACTIVE)
        self._panel.add(kind, layer=1)
        self._panel.add(flat(t("editor.action.add_objective"),
                             lambda: self.add_and_select(edits.add_objective(self.doc,
                                                                             kind.value)),
                             x + 160, y - 24, width - 160))
        site = self._default_site()
        self._panel.add(flat(t("editor.action.add_incident"),
                             lambda: self.add_and_select(edits.add_incident(self.doc, site)),
                             x, y - 56, 104))
        self._panel.add(flat(t("editor.action.add_trigger"),
                             lambda: self.add_and_select(edits.add_trigger(self.doc, site)),
                             x + 108, y - 56, 104))
        self._panel.add(flat(t("editor.action.add_convoy"),
                             lambda: self.add_and_select(edits.add_convoy(self.doc)),
                             x + 216, y - 56, width - 216))

    @staticmethod
    def _describe(collection: str, item: dict[str, Any]) -> str:
        """One line per roster/script entry."""
        if collection == "units":
            return f"{item.get('id')} · {item.get('type')} @ {item.get('base')}"
        if collection == "incidents":
            return f"{item.get('id')} · {item.get('at_s', 0)}s {item.get('type')} @ " \
                   f"{item.get('site')}"
        if collection == "objectives":
            return f"{item.get('id')} · {pick_text_safe(item.get('title'))}"
        if collection == "triggers":
            return f"{item.get('id')} · {item.get('tension', 0)} @ {item.get('site')}"
        return f"{item.get('id')} · {item.get('origin')} > {item.get('destination')}"

    def _default_site(self) -> str:
        sites = [o["id"] for o in self.doc.items("offices") if o.get("type") not in HQ_TYPES]
        return sites[0] if sites else (self.doc.ids("offices") or [""])[0]

    def _list_rows(self, collection: str, x: float, top: float, width: float) -> float:
        items = self.doc.items(collection)
        self._panel.add(label(f"{t('editor.kind.' + collection)} ({len(items)})", x, top - 20,
                              width, 12, ui.GOLD, bold=True))
        y = top - 22
        for item in items[:LIST_ROWS]:
            y -= 26
            ref = Ref(collection, item.get("id", ""))
            self._panel.add(flat(self._describe(collection, item)[:40],
                                 lambda ref=ref: self.select([ref]), x, y, width, 24))
        return y

    def set_tab(self, tab: str) -> None:
        self.tab = tab
        self._rebuild_panel()

    def _commit_field(self, path: tuple, value: Any) -> None:
        if path and path[-1] == "id" and len(path) >= 2 and isinstance(path[-2], int):
            ref = self._ref_at(path)
            if ref is not None:
                action = edits.rename(self.doc, ref, str(value))
                if self.apply(action):
                    self.selection = [Ref(ref.collection, str(value))]
                    self._panel_key = None
                    self._rebuild_panel()
                return
        self.apply(edits.set_value(self.doc, path, value))

    def _ref_at(self, path: tuple) -> Ref | None:
        from command_game.editor.document import COLLECTIONS

        for name, list_path in COLLECTIONS.items():
            if tuple(path[: len(list_path)]) == list_path and len(path) > len(list_path):
                index = path[len(list_path)]
                items = self.doc.items(name)
                if isinstance(index, int) and index < len(items):
                    return Ref(name, items[index]["id"])
        return None

    # --- selection --------------------------------------------------------------------
    def select(self, refs: list[Ref]) -> None:
        self.selection = list(dict.fromkeys(refs))
        if len(self.selection) == 1 or self.tab == "selection":
            self.tab = "selection"
        self._rebuild_panel()

    def select_problem(self, problem: Problem) -> None:
        ref = self.doc.find(problem.ref) if problem.ref else None
        if ref is None:
            self.tab = "level" if problem.path.startswith(("meta", "map")) else self.tab
            self._panel_key = None
            self._rebuild_panel()
            self.say(f"{problem.path}: {problem.fix}")
            return
        self.select([ref])
        where = _anchor_point(self.doc.get(ref))
        if self.camera is not None and where is not None:
            self.camera.centre_on(*where)
        self.say(f"{problem.message} ({problem.fix})")

    def add_and_select(self, action: EditAction) -> None:
        if self.apply(action):
            step = action.steps[0]
            self.select([Ref(_collection_of(step.path), step.value["id"])])

    # --- commands ---------------------------------------------------------------------
    def set_tool(self, tool: str) -> None:
        self.tool = tool
        self.pending = []
        self.road_from = None
        self.say(t("editor.hint." + tool))
        self._rebuild_toolbar()

    def toggle_snap(self) -> None:
        self.snap_on = not self.snap_on
        self._rebuild_toolbar()

    def undo(self) -> None:
        if self.doc.undo():
            self.refresh()
            self.say(t("editor.status.undone"))

    def redo(self) -> None:
        if self.doc.redo():
            self.refresh()
            self.say(t("editor.status.redone"))

    def delete_selection(self) -> None:
        if self.apply(edits.delete(self.doc, self.selection)):
            self.selection = []
            self._rebuild_panel()

    def copy(self) -> None:
        self.clipboard = edits.copy_selection(self.doc, [r for r in self.selection
                                                         if r.vertex is None])
        self.say(t("editor.status.copied", count=len(self.clipboard.items)))

    def paste(self) -> None:
        if not self.clipboard:
            return
        dx, dy = SNAP_M * 2, -SNAP_M * 2
        anchor = _anchor(self.clipboard)
        if self.cursor is not None and anchor is not None:
            tx, ty = self.snap(*self.cursor)
            dx, dy = tx - anchor[0], ty - anchor[1]
        action, refs = edits.paste(self.doc, self.clipboard, dx, dy)
        if self.apply(action):
            self.select(refs)

    def save(self) -> None:
        result = self.file.save()
        if self.autosaver is not None:
            self.autosaver.write(clean=True)
        self._rebuild_toolbar()
        if result.draft:
            self.say(t("editor.status.saved_draft", path=str(result.path), errors=result.errors))
        else:
            self.say(t("editor.status.saved", path=str(result.path)))

    def export_tmj(self) -> None:
        if self.level is None or not is_playable(self.problems, self.level):
            self.say(t("editor.status.fix_first"))
            return
        path = Path(self.file.target()).with_suffix(".tmj")
        export_tiled(self.level, path)
        self.say(t("editor.status.exported", path=str(path)))

    def playtest(self) -> None:
        """Plays the level as edited, above the editor; the mission's end comes back here."""
        self.refresh()
        if self.level is None or not is_playable(self.problems, self.level):
            errors = sum(1 for p in self.problems if p.severity == "error")
            self.say(t("editor.status.cannot_play", errors=errors))
            return
        from command_game.scenes.editor_playtest import PlaytestScene

        self.stack.push(PlaytestScene(self.level.model_copy(deep=True),
                                      level_path=self.doc.path,
                                      on_finish=self._playtest_finished))

    def _playtest_finished(self, world) -> None:
        while self.stack is not None and self.stack.top is not self:
            self.stack.pop()
        self.say(t("editor.status.playtest_" + (world.outcome or "quit")))

    def leave(self, confirmed: bool = False) -> None:
        """Back to the screen below; unsaved work first asks (and is autosaved anyway)."""
        if self.doc.modified and not confirmed:
            def save_and_leave() -> None:
                self.save()
                self.leave(confirmed=True)

            self.ask(t("editor.leave.title"), t("editor.leave.body"),
                     {t("editor.leave.save"): save_and_leave,
                      t("editor.leave.discard"): lambda: self.leave(confirmed=True),
                      t("editor.leave.cancel"): lambda: None})
            return
        if self.stack is not None:
            if len(self.stack) > 1:
                self.stack.pop()
            else:
                from command_game.scenes.title import TitleScene

                self.stack.replace(TitleScene())

    # --- snapping and coordinates -------------------------------------------------------
    def snap(self, x: float, y: float) -> tuple[float, float]:
        return edits.snap_point(x, y, SNAP_M if self.snap_on else None)

    def world(self, x: float, y: float) -> tuple[float, float]:
        assert self.camera is not None
        return self.camera.to_world(x, y)

    def pick_radius(self) -> float:
        return PICK_PX / (self.camera.zoom if self.camera else 1.0)

    # --- keyboard -----------------------------------------------------------------------
    def on_key_press(self, symbol: int, modifiers: int) -> bool | None:
        ctrl = modifiers & (arcade.key.MOD_CTRL | arcade.key.MOD_COMMAND)
        shift = modifiers & arcade.key.MOD_SHIFT
        if self.form.typing():
            if symbol in (arcade.key.ENTER, arcade.key.RETURN, arcade.key.ESCAPE):
                self.form.stop_typing()
                return True
            if ctrl and symbol == arcade.key.S:
                self.save()
            return None
        if self.dialog is not None:
            return None
        if ctrl:
            handlers = {arcade.key.Z: self.redo if shift else self.undo, arcade.key.Y: self.redo,
                        arcade.key.S: self.save, arcade.key.C: self.copy,
                        arcade.key.V: self.paste, arcade.key.E: self.export_tmj}
            if symbol in handlers:
                handlers[symbol]()
                return True
            return None
        if symbol in TOOL_KEYS:
            self.set_tool(TOOL_KEYS[symbol])
        elif symbol == arcade.key.F5:
            self.playtest()
        elif symbol == arcade.key.G:
            self.toggle_snap()
        elif symbol in (arcade.key.DELETE, arcade.key.BACKSPACE):
            self.delete_selection()
        elif symbol in (arcade.key.ENTER, arcade.key.RETURN):
            self.finish_polygon()
        elif symbol == arcade.key.ESCAPE:
            self.escape()
        elif symbol in (arcade.key.LEFT, arcade.key.RIGHT, arcade.key.UP, arcade.key.DOWN):
            self._nudge(symbol, shift)
        else:
            return None
        return True

    def escape(self) -> None:
        if self.pending or self.road_from:
            self.pending, self.road_from = [], None
        elif self.selection:
            self.select([])
        elif self.tool != "select":
            self.set_tool("select")

    def _nudge(self, symbol: int, shift: bool) -> None:
        """Arrow keys move the selection by one grid step (shift: pan the view)."""
        step = SNAP_M if self.snap_on else 1.0
        dx = {arcade.key.LEFT: -step, arcade.key.RIGHT: step}.get(symbol, 0.0)
        dy = {arcade.key.DOWN: -step, arcade.key.UP: step}.get(symbol, 0.0)
        if shift or not self.selection:
            if self.camera is not None:
                self.camera.pan_pixels(-dx * 4, -dy * 4)
            return
        self.apply(edits.move(self.doc, self.selection, dx, dy))

    # --- mouse --------------------------------------------------------------------------
    def on_mouse_motion(self, x: int, y: int, dx: int, dy: int) -> None:
        self.cursor = self.world(x, y) if self.in_map(x, y) and self.camera else None

    def on_mouse_scroll(self, x: int, y: int, scroll_x: float, scroll_y: float) -> None:
        if self.camera is not None and self.in_map(x, y):
            self.camera.zoom_at(x, y, 1.15 ** scroll_y)

    def on_mouse_press(self, x: int, y: int, button: int, modifiers: int) -> None:
        if not self.in_map(x, y) or self.camera is None or self.dialog is not None:
            return
        self.form.stop_typing()
        if button in (arcade.MOUSE_BUTTON_MIDDLE, arcade.MOUSE_BUTTON_RIGHT):
            if button == arcade.MOUSE_BUTTON_RIGHT and (self.pending or self.road_from):
                self.finish_polygon() if self.pending else setattr(self, "road_from", None)
                return
            self.drag = {"kind": "pan"}
            return
        wx, wy = self.world(x, y)
        self.cursor = (wx, wy)
        getattr(self, f"_press_{self.tool}")(wx, wy, modifiers)

    def on_mouse_drag(self, x: int, y: int, dx: int, dy: int, buttons: int,
                      modifiers: int) -> None:
        if self.drag is None or self.camera is None:
            return
        if self.drag["kind"] == "pan":
            self.camera.pan_pixels(dx, dy)
            return
        wx, wy = self.world(x, y)
        self.cursor = (wx, wy)
        if self.drag["kind"] == "box":
            self.drag["end"] = (wx, wy)
        elif self.drag["kind"] == "move":
            self._drag_move(wx, wy)

    def on_mouse_release(self, x: int, y: int, button: int, modifiers: int) -> None:
        drag, self.drag = self.drag, None
        if drag is None or drag["kind"] != "box" or self.camera is None:
            return
        x0, y0 = drag["start"]
        x1, y1 = drag.get("end", drag["start"])
        if max(abs(x1 - x0), abs(y1 - y0)) <= self.pick_radius():  # a click, not a box
            found = [drag["click"]] if drag["click"] is not None else []
        else:
            found = picking.in_box(self.doc, x0, y0, x1, y1)
        self.select(list(dict.fromkeys(self.selection + found)) if drag["add"] else found)

    def _drag_move(self, wx: float, wy: float) -> None:
        """Moves the grabbed things so the grabbed point follows the (snapped) cursor;
        the whole drag undoes as one edit."""
        gx, gy = self.drag["grab"]
        tx, ty = self.snap(wx + self.drag["offset"][0], wy + self.drag["offset"][1])
        action = edits.move(self.doc, self.drag["refs"], tx - gx, ty - gy)
        action.merge_key = self.drag["merge"]
        if self.apply(action):
            self.drag["grab"] = (tx, ty)

    def _start_move(self, refs: list[Ref], wx: float, wy: float, anchor: tuple[float, float]):
        self.drag = {"kind": "move", "refs": refs, "grab": anchor,
                     "offset": (anchor[0] - wx, anchor[1] - wy),
                     "merge": f"drag:{time.monotonic_ns()}"}

    # --- tools --------------------------------------------------------------------------
    def _selected_polygons(self) -> list[Ref]:
        return [Ref(r.collection, r.id) for r in self.selection
                if r.collection in edits.POLYGON_COLLECTIONS]

    def _press_select(self, wx: float, wy: float, modifiers: int) -> None:
        radius = self.pick_radius()
        polygons = self._selected_polygons()
        vertex = picking.pick_vertex(self.doc, wx, wy, radius, polygons)
        if vertex is not None:
            self.selection = [vertex]
            point = picking.polygon_of(self.doc.get(vertex))[vertex.vertex]
            self._start_move([vertex], wx, wy, point)
            return
        mid = picking.pick_midpoint(self.doc, wx, wy, radius, polygons)
        if mid is not None:
            ref, index, point = mid
            if self.apply(edits.insert_vertex(self.doc, ref, index, self.snap(*point))):
                vertex = Ref(ref.collection, ref.id, index)
                self.selection = [vertex]
                self._start_move([vertex], wx, wy, self.snap(*point))
            return
        hit = picking.pick(self.doc, wx, wy, radius)
        shift = modifiers & arcade.key.MOD_SHIFT
        if hit is None or (hit.collection == "districts" and hit not in self.selection):
            # districts cover the map: dragging on one draws a box, a click selects it
            self.drag = {"kind": "box", "start": (wx, wy), "add": bool(shift), "click": hit}
            return
        if shift:
            chosen = [r for r in self.selection if r != hit] if hit in self.selection else \
                [*self.selection, hit]
            self.select(chosen)
            return
        if hit not in self.selection:
            self.select([hit])
        self._start_move(list(self.selection), wx, wy, self._anchor_of(hit, wx, wy))

    def _anchor_of(self, ref: Ref, wx: float, wy: float) -> tuple[float, float]:
        return _anchor_point(self.doc.get(ref)) or self.snap(wx, wy)

    def _press_district(self, wx: float, wy: float, modifiers: int) -> None:
        self._polygon_click("districts", wx, wy)

    def _press_building(self, wx: float, wy: float, modifiers: int) -> None:
        self._polygon_click("buildings", wx, wy)

    def _polygon_click(self, collection: str, wx: float, wy: float) -> None:
        point = self.snap(wx, wy)
        if len(self.pending) >= 3:
            fx, fy = self.pending[0]
            if abs(fx - wx) <= self.pick_radius() and abs(fy - wy) <= self.pick_radius():
                self.finish_polygon()
                return
        if not self.pending or point != self.pending[-1]:
            self.pending.append(point)

    def finish_polygon(self) -> None:
        if self.tool not in ("district", "building") or len(self.pending) < 3:
            return
        collection = "districts" if self.tool == "district" else "buildings"
        action = edits.add_polygon(self.doc, collection, self.pending)
        self.pending = []
        self.add_and_select(action)

    def _press_road(self, wx: float, wy: float, modifiers: int) -> None:
        """Click empty ground: a node (joined to the last one); click a node: join it;
        click a road: a junction splitting it."""
        hit = picking.pick(self.doc, wx, wy, self.pick_radius())
        if hit is not None and hit.collection == "nodes":
            node = hit.id
        elif hit is not None and hit.collection == "edges":  # a junction on the road
            action, node = edits.split_edge(self.doc, hit.id, *self.snap(wx, wy))
            if not self.apply(action):
                return
        else:
            action = edits.add_node(self.doc, *self.snap(wx, wy))
            if not self.apply(action):
                return
            node = action.steps[0].value["id"]
        if self.road_from is not None and self.road_from != node:
            self.apply(edits.add_edge(self.doc, self.road_from, node))
        self.road_from = node
        self.select([Ref("nodes", node)])

    def _press_office(self, wx: float, wy: float, modifiers: int) -> None:
        self.add_and_select(edits.add_office(self.doc, self.office_type, *self.snap(wx, wy)))

    def _press_crowd(self, wx: float, wy: float, modifiers: int) -> None:
        self.add_and_select(edits.add_crowd_source(self.doc, *self.snap(wx, wy)))

    def _press_incident(self, wx: float, wy: float, modifiers: int) -> None:
        hit = picking.pick(self.doc, wx, wy, self.pick_radius())
        if hit is None or hit.collection != "offices":
            self.say(t("editor.hint.incident"))
            return
        self.add_and_select(edits.add_incident(self.doc, hit.id))

    # --- drawing ------------------------------------------------------------------------
    def on_draw(self) -> None:
        self.refresh()
        self.clear(color=ui.BACKGROUND)
        assert self.camera is not None and self.layer is not None
        w, h = self.doc.data["map"].get("width_m", 0), self.doc.data["map"].get("height_m", 0)
        with self.camera.activate():
            self.layer.draw()
            zoom = self.camera.zoom
            if self.snap_on and isinstance(w, (int, float)) and isinstance(h, (int, float)):
                overlay.draw_grid(float(w), float(h), SNAP_M, zoom)
            overlay.draw_boundary(float(w or 0), float(h or 0), zoom)
            overlay.draw_objects(self.doc, zoom, self.selection)
            overlay.draw_in_progress(self.pending, self.cursor, zoom)
            if self.road_from is not None and self.tool == "road":
                node = self.doc.get(Ref("nodes", self.road_from))
                overlay.draw_rubber_band(node, self.cursor, zoom)
            if self.drag is not None and self.drag["kind"] == "box" and "end" in self.drag:
                overlay.draw_box(*self.drag["start"], *self.drag["end"], zoom)
        self.window.default_camera.use()
        self._draw_chrome()
        self.ui.draw()

    def _draw_chrome(self) -> None:
        width, height = self.window.width, self.window.height
        arcade.draw_lbwh_rectangle_filled(0, height - TOP_H, width, TOP_H, ui.PANEL_HEADER)
        arcade.draw_lbwh_rectangle_filled(0, height - TOP_H - 2, width, 2, ui.GOLD)
        ui.draw_panel(arcade.LBWH(0, 0, TOOLBAR_W, height - TOP_H))
        ui.draw_panel(self.panel_rect)
        ui.draw_panel(self.problems_rect)
        title = self.doc.data.get("meta", {}).get("title", {})
        name = pick_text_safe(title) or t("editor.untitled")
        where = self.doc.path or t("editor.new_file")
        mark = " *" if self.doc.modified else ""
        ui.place(self.title_text, 12, height - 26)
        _set_text(self.title_text, f"{t('editor.title')}: {name}{mark}  ·  {where}")
        self.title_text.draw()
        if self.status and time.monotonic() - self._status_at < 12:
            ui.place(self.status_text, TOOLBAR_W + 10, PROBLEMS_H + 8)
            _set_text(self.status_text, self.status)
            arcade.draw_lbwh_rectangle_filled(TOOLBAR_W, PROBLEMS_H, self.status_text
                                              .content_width + 20, 24, (10, 18, 33, 220))
            self.status_text.draw()
        hint = t("editor.keys")
        ui.place(self.hint_text, TOOLBAR_W + 10, 8)
        _set_text(self.hint_text, hint)
        self.hint_text.draw()
        self.problem_list.draw(self.problems_rect)


def pick_text_safe(value: Any) -> str:
    """Bilingual text from raw data that may be half-filled."""
    if not isinstance(value, dict):
        return ""
    if value.get("en") and value.get("id"):
        return pick_text(SimpleNamespace(en=value["en"], id=value["id"]))
    return str(value.get("en") or value.get("id") or "")


def _restyle(button, style) -> None:
    if button.style is not style:
        button.style = style
        button.trigger_render()


def _set_text(text: arcade.Text, value: str) -> None:
    if text.text != value:
        text.text = value


def _collection_of(path: tuple) -> str:
    from command_game.editor.document import COLLECTIONS

    return next(name for name, p in COLLECTIONS.items() if p == tuple(path))


def _anchor_point(item: dict[str, Any] | None) -> tuple[float, float] | None:
    """Where an object is grabbed: its point, or its polygon's first corner."""
    polygon = picking.polygon_of(item)
    return picking.point_of(item) or (polygon[0] if polygon else None)


def _anchor(clip: edits.Clipboard) -> tuple[float, float] | None:
    return next((p for _, item in clip.items if (p := _anchor_point(item))), None)


def tiled_maps() -> list[Path]:
    """Tiled maps in the player's levels folder, newest first."""
    return sorted(levels_dir().glob("*.tmj"), key=lambda p: p.stat().st_mtime, reverse=True)


def _open(level_path: str | Path | None) -> EditorFile:
    """A level or draft opens as itself; a Tiled map opens as a new level to finish."""
    if level_path is None:
        return EditorFile(Document(new_level_data()))
    path = Path(level_path)
    if path.suffix.lower() == ".tmj":
        return EditorFile(Document(import_tiled_data(path)))
    return open_file(path)
